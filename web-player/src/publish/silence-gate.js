// @ts-check
/**
 * The publisher's discontinuous transmission (DTX): packets of quiet frames are not sent,
 * but one every `keepAliveMs` (as Opus' own DTX refreshes its comfort noise), and speech keeps
 * going for `hangoverMs` after its last loud frame so word endings are not cut. Ours, not the
 * encoder's: Chromium's Opus encoder with `usedtx` stamps the packets it does send by
 * counting them, so every suppressed frame put the following ones 20 ms further in the past
 * (measured: 67 packets stamped 0-1.32 s for 2 s of audio), and the players saw the audio
 * fall behind by the length of every silence. Pure: times in µs.
 */

/** A frame quieter than this (RMS, dBFS) is silence: a muted microphone, or the room after noise suppression. */
export const SILENCE_DB = -60;

export class SilenceGate {
  /** @param {{ thresholdDb?: number, hangoverMicros?: number, keepAliveMicros?: number }} [options] */
  constructor(options = {}) {
    this.thresholdDb = options.thresholdDb ?? SILENCE_DB;
    this.hangoverMicros = options.hangoverMicros ?? 200_000;
    this.keepAliveMicros = options.keepAliveMicros ?? 400_000;
    this.lastLoudMicros = -Infinity;
    this.lastSentMicros = -Infinity;
    this.dropped = 0;
  }

  /**
   * Whether to send a frame's packet.
   * @param {number} timestampMicros the frame's time @param {number} levelDb its loudest input's RMS
   */
  send(timestampMicros, levelDb) {
    if (levelDb >= this.thresholdDb) this.lastLoudMicros = timestampMicros;
    const send = timestampMicros - this.lastLoudMicros <= this.hangoverMicros || timestampMicros - this.lastSentMicros >= this.keepAliveMicros
      || timestampMicros < this.lastSentMicros; // a timeline that went back (a new source): start afresh
    if (send) this.lastSentMicros = timestampMicros;
    else this.dropped++;
    return send;
  }
}

/** RMS of samples in dBFS (-Infinity for digital silence). @param {Float32Array} samples */
export function rmsDb(samples) {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  return samples.length ? 10 * Math.log10(sum / samples.length) : -Infinity;
}
