// @ts-check
/**
 * The last N packet arrivals as the jitter buffer saw them, (media time, arrival time) in ms,
 * for recording arrival traces from a real run (`?record-arrivals=N`; bench/run traces writes
 * them in the format of web-player/bench/traces, which bench/replay-traces.mjs replays). A
 * fixed ring of two Float64Arrays: O(1) and no allocation per packet, so it can run in the
 * AudioWorklet; the playout worklet has none unless the page asks for one.
 */

/**
 * What a log holds, oldest first.
 * @typedef {object} ArrivalRecord
 * @property {number[]} mediaMs    each packet's media time
 * @property {number[]} arrivalMs  when it came off the transport (the transport worker's performance.now())
 * @property {number} frameMs      the last packet's duration
 * @property {number} capacity     packets kept at most
 * @property {number} total        packets noted since the last clear (the oldest beyond capacity are gone)
 * @property {number} resets       times the log was cleared (a reconnect resets the jitter buffer, and the log with it)
 */

export class ArrivalLog {
  /** @param {number} capacity packets kept (the most recent) */
  constructor(capacity) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`arrival log capacity ${capacity}`);
    this.capacity = capacity;
    this.mediaMs = new Float64Array(capacity);
    this.arrivalMs = new Float64Array(capacity);
    this.total = 0;
    this.resets = 0;
    this.frameMs = NaN;
  }

  /** @param {number} mediaTimeMs @param {number} arrivalMs @param {number} frameMs the packet's duration */
  note(mediaTimeMs, arrivalMs, frameMs) {
    const i = this.total % this.capacity;
    this.mediaMs[i] = mediaTimeMs;
    this.arrivalMs[i] = arrivalMs;
    this.frameMs = frameMs;
    this.total++;
  }

  /** Forgets what it holds (the jitter buffer starts over). */
  clear() {
    this.total = 0;
    this.resets++;
  }

  /** @returns {ArrivalRecord} a copy, oldest first */
  record() {
    const kept = Math.min(this.total, this.capacity);
    const start = this.total - kept;
    /** @type {number[]} */
    const mediaMs = new Array(kept);
    /** @type {number[]} */
    const arrivalMs = new Array(kept);
    for (let k = 0; k < kept; k++) {
      const i = (start + k) % this.capacity;
      mediaMs[k] = this.mediaMs[i];
      arrivalMs[k] = this.arrivalMs[i];
    }
    return { mediaMs, arrivalMs, frameMs: this.frameMs, capacity: this.capacity, total: this.total, resets: this.resets };
  }
}

/** The most packets `?record-arrivals=N` keeps: 10 minutes of 20 ms packets (480 KB in the worklet). */
export const MAX_RECORDED_ARRIVALS = 30_000;
