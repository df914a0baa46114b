// @ts-check
/**
 * Arrival times of the packets inside an audio decoder, by timestamp, so that decoded
 * audio carries its packet's arrival (the jitter statistics need the arrival, not the
 * decode time). The decoder outputs in order, so taking one timestamp forgets it and every
 * older one; when the output timestamps do not match the input's (a decoder may shift or
 * round them), the nearest older arrival is used and the map stays bounded all the same.
 */
export class ArrivalTimes {
  /** @param {number} [maxPending] entries kept at most (~1 s of 20 ms packets) */
  constructor(maxPending = 50) {
    this.maxPending = maxPending;
    /** @type {Map<number, number>} timestamp (µs) → arrival (ms), in timestamp order */
    this.pending = new Map();
    /** entries forgotten without being taken (outputs whose timestamps matched none) */
    this.evicted = 0;
  }

  get size() {
    return this.pending.size;
  }

  /** @param {number} timestamp @param {number} arrivalMs */
  note(timestamp, arrivalMs) {
    this.pending.set(timestamp, arrivalMs);
    while (this.pending.size > this.maxPending) {
      this.pending.delete(/** @type {number} */ (this.pending.keys().next().value));
      this.evicted++;
    }
  }

  /**
   * The arrival of the packet with this timestamp (else of the newest older one, else of
   * the oldest pending); forgets it and every older one. Undefined when nothing is pending.
   * @param {number} timestamp
   */
  take(timestamp) {
    /** @type {number | undefined} */
    let arrival;
    for (const [ts, ms] of this.pending) {
      if (ts > timestamp) {
        arrival ??= ms;
        break;
      }
      arrival = ms;
      this.pending.delete(ts);
      if (ts !== timestamp) this.evicted++;
    }
    return arrival;
  }

  clear() {
    this.pending.clear();
  }
}
