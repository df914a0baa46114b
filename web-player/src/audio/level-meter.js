// @ts-check
/**
 * The level of an audio signal, for a call's speaking indicator, and the onsets of tones
 * (beeps) in it, for the call tests' and benchmark's mouth-to-ear measurement. Works on 10 ms
 * windows of one channel: a window's level is its RMS in dBFS; "speaking" holds for a while
 * after the last window above the speaking threshold (so a pause between words does not
 * flicker); a beep starts at the first sample above the onset amplitude in the first loud
 * window after at least `quietBeforeBeepMs` of quiet (hysteresis: quiet is below `quietDb`;
 * a window between the two after quiet may hold the beep's first samples, so it is searched
 * too).
 * Pure: times come in as arguments (ms on any clock the caller likes), so it runs in the
 * playout worklet (context time), the publish worker (capture time) and under `node --test`.
 */

export const SILENCE_DB = -100;

/**
 * @typedef {object} LevelMeterOptions
 * @property {number} sampleRate
 * @property {number} [windowMs]           10
 * @property {number} [speakingDb]         -50: a window above this is voice (or a tone)
 * @property {number} [hangoverMs]         400: speaking holds this long after the last loud window
 * @property {number} [beepDb]             -30: a window above this can start a beep
 * @property {number} [quietDb]            -50: a window below this is quiet
 * @property {number} [quietBeforeBeepMs]  60: quiet needed before a new beep counts
 * @property {number} [onsetsKept]         32: the most recent onset times kept
 *
 * @typedef {object} LevelFigures
 * @property {number} levelDb        the last window's level (SILENCE_DB for digital silence)
 * @property {number} peakDb         the loudest window of the last ~300 ms: what a meter shows
 * @property {boolean} speaking
 * @property {number} beeps          onsets counted since the start
 * @property {number[]} onsetsMs     the most recent onsets, oldest first
 */

export class LevelMeter {
  /** @param {LevelMeterOptions} options */
  constructor(options) {
    this.sampleRate = options.sampleRate;
    this.windowSamples = Math.max(1, Math.round((options.sampleRate * (options.windowMs ?? 10)) / 1000));
    this.speakingDb = options.speakingDb ?? -50;
    this.hangoverMs = options.hangoverMs ?? 400;
    this.beepDb = options.beepDb ?? -30;
    this.quietDb = options.quietDb ?? -50;
    this.quietBeforeBeepMs = options.quietBeforeBeepMs ?? 60;
    this.onsetsKept = options.onsetsKept ?? 32;
    /** the onset amplitude: a sine at beepDb RMS peaks at √2 times its RMS; half of that peak */
    this.onsetAmplitude = (10 ** (this.beepDb / 20) * Math.SQRT2) / 2;
    this.window = new Float32Array(this.windowSamples);
    /** the window before, kept to find a beep's first samples when it started late in it */
    this.previous = new Float32Array(this.windowSamples);
    this.previousStartMs = NaN;
    /** the previous window was between quiet and loud, right after quiet */
    this.rising = false;
    this.filled = 0;
    /** the time of the window's first sample */
    this.windowStartMs = NaN;
    this.levelDb = SILENCE_DB;
    /** @type {{ atMs: number, db: number }[]} recent windows for the peak */
    this.recent = [];
    this.lastLoudMs = -Infinity;
    /** when the current stretch of quiet started (NaN while not quiet, and before any) */
    this.quietSinceMs = NaN;
    this.inBeep = false;
    this.beeps = 0;
    /** @type {number[]} */
    this.onsetsMs = [];
    this.nowMs = NaN;
  }

  /**
   * Feeds samples of one channel.
   * @param {Float32Array} samples @param {number} startMs the time of samples[0]
   */
  process(samples, startMs) {
    const msPerSample = 1000 / this.sampleRate;
    for (let i = 0; i < samples.length; i++) {
      if (this.filled === 0) this.windowStartMs = startMs + i * msPerSample;
      this.window[this.filled++] = samples[i];
      if (this.filled === this.windowSamples) {
        this.closeWindow();
        this.filled = 0;
      }
    }
    this.nowMs = startMs + samples.length * msPerSample;
  }

  closeWindow() {
    let sum = 0;
    for (let i = 0; i < this.windowSamples; i++) sum += this.window[i] * this.window[i];
    const rms = Math.sqrt(sum / this.windowSamples);
    const db = rms > 0 ? Math.max(SILENCE_DB, 20 * Math.log10(rms)) : SILENCE_DB;
    const startMs = this.windowStartMs;
    const endMs = startMs + (this.windowSamples * 1000) / this.sampleRate;
    this.levelDb = db;
    this.recent.push({ atMs: endMs, db });
    while (this.recent.length && this.recent[0].atMs < endMs - 300) this.recent.shift();
    if (db >= this.speakingDb) this.lastLoudMs = endMs;
    const rising = this.rising;
    this.rising = false;
    if (db < this.quietDb) {
      if (!Number.isFinite(this.quietSinceMs)) this.quietSinceMs = startMs;
      this.inBeep = false;
    } else if (db >= this.beepDb) {
      if (!this.inBeep) {
        this.inBeep = true;
        // A tone that starts late in a window leaves it between quiet and loud: the onset is in there.
        const from = rising ? this.previousStartMs : startMs;
        if (startMs - this.quietSinceMs >= this.quietBeforeBeepMs + (rising ? this.windowMs() : 0)) {
          this.onset(rising ? this.previous : null, from);
        }
      }
      this.quietSinceMs = NaN;
    } else if (!this.inBeep && Number.isFinite(this.quietSinceMs)) {
      this.rising = true; // between quiet and loud, after quiet: maybe a beep's first samples
    }
    // The window just closed becomes the previous one (the buffers swap, nothing is copied).
    [this.previous, this.window] = [this.window, this.previous];
    this.previousStartMs = startMs;
  }

  windowMs() {
    return (this.windowSamples * 1000) / this.sampleRate;
  }

  /**
   * Counts a beep; its time is the first sample above the onset amplitude.
   * @param {Float32Array | null} rising the window before the loud one, when the tone started in it
   * @param {number} fromMs the time of the first sample searched
   */
  onset(rising, fromMs) {
    // The loud window is `previous` now only after the swap; here it is still `window`.
    const searched = rising ? [rising, this.window] : [this.window];
    let index = 0;
    let found = -1;
    for (const samples of searched) {
      for (let i = 0; i < this.windowSamples && found < 0; i++, index++) {
        if (Math.abs(samples[i]) >= this.onsetAmplitude) found = index;
      }
    }
    this.beeps++;
    this.onsetsMs.push(fromMs + (Math.max(0, found) * 1000) / this.sampleRate);
    if (this.onsetsMs.length > this.onsetsKept) this.onsetsMs.shift();
  }

  /** @returns {LevelFigures} */
  figures() {
    let peakDb = SILENCE_DB;
    for (const w of this.recent) peakDb = Math.max(peakDb, w.db);
    return { levelDb: this.levelDb, peakDb, speaking: this.nowMs - this.lastLoudMs <= this.hangoverMs, beeps: this.beeps, onsetsMs: [...this.onsetsMs] };
  }
}
