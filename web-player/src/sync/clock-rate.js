// @ts-check
/**
 * How fast the master clock really runs against performance.now(): the least-squares slope
 * of the media time heard over the last windowMs. The jitter buffer knows its own speed (time-stretch and
 * accelerate), but not the output device's: a starved audio thread plays fewer samples than
 * real time asks for (headless Chromium's device ran at 0.91× under load), and video that
 * followed the buffer's own figure ran ahead of what was heard. Pure; fed every tick.
 */
export class ClockRate {
  /** @param {{ windowMs?: number, minSpanMs?: number }} [options] */
  constructor(options = {}) {
    this.windowMs = options.windowMs ?? 500;
    // A shorter span is dominated by the steps of the worklet's reports.
    this.minSpanMs = options.minSpanMs ?? 250;
    /** @type {{ perfMs: number, mediaMs: number }[]} */
    this.samples = [];
  }

  /**
   * @param {number} perfMs   a performance.now() moment
   * @param {number} mediaMs  the master's media time then (NaN without audio: forgets)
   */
  add(perfMs, mediaMs) {
    if (!Number.isFinite(mediaMs)) {
      this.samples = [];
      return;
    }
    const last = this.samples[this.samples.length - 1];
    // A jump (a skip, an underrun, a new track) is not a speed: start over from it.
    if (last && Math.abs(mediaMs - last.mediaMs - (perfMs - last.perfMs)) > MAX_STEP_MS) this.samples = [];
    this.samples.push({ perfMs, mediaMs });
    while (this.samples.length > 2 && this.samples[1].perfMs <= perfMs - this.windowMs) this.samples.shift();
  }

  /** Media time per real time over the window; 1 until the window spans minSpanMs. */
  get speed() {
    const n = this.samples.length;
    if (n < 2 || this.samples[n - 1].perfMs - this.samples[0].perfMs < this.minSpanMs) return 1;
    // Relative to the first sample: the absolute times are too large to square in a float.
    const { perfMs: t0, mediaMs: m0 } = this.samples[0];
    let st = 0, sm = 0, stt = 0, stm = 0;
    for (const { perfMs, mediaMs } of this.samples) {
      const t = perfMs - t0, m = mediaMs - m0;
      st += t; sm += m; stt += t * t; stm += t * m;
    }
    return (n * stm - st * sm) / (n * stt - st * st);
  }

  clear() {
    this.samples = [];
  }
}

/**
 * A step of the master beyond real time by more than this between two ticks is a jump: more
 * than accelerate's largest removal (12 ms, and the heard time smooths it).
 */
const MAX_STEP_MS = 25;
