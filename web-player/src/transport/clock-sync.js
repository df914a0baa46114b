// @ts-check
/**
 * Estimates the offset from this browser's clock to the relay clock, NTP-style, keeping the
 * sample with the smallest round trip over a sliding window (min-RTT filter): queueing
 * delay only ever adds to a round trip, so the fastest exchange is the most truthful.
 * Pure: times come in as arguments, in microseconds.
 */
export class ClockSync {
  /** @param {{ windowSize?: number }} [options] */
  constructor(options = {}) {
    this.windowSize = options.windowSize ?? 16;
    /** @type {{ rttMicros: number, offsetMicros: number }[]} */
    this.samples = [];
  }

  /**
   * Adds one Ping/Pong exchange.
   * @param {number} t0 local time the Ping was sent
   * @param {number} t1 relay time the Ping was received
   * @param {number} t2 relay time the Pong was sent
   * @param {number} t3 local time the Pong was received
   */
  addExchange(t0, t1, t2, t3) {
    const rttMicros = t3 - t0 - (t2 - t1);
    if (!(rttMicros >= 0) || t3 < t0) return; // clock stepped backwards or a forged Pong
    const offsetMicros = (t1 - t0 + (t2 - t3)) / 2;
    this.samples.push({ rttMicros, offsetMicros });
    if (this.samples.length > this.windowSize) this.samples.shift();
  }

  get synced() {
    return this.samples.length > 0;
  }

  best() {
    let best = this.samples[0];
    for (const s of this.samples) if (s.rttMicros < best.rttMicros) best = s;
    return best;
  }

  /** Relay clock minus local clock, microseconds (0 before the first exchange). */
  get offsetMicros() {
    return this.synced ? this.best().offsetMicros : 0;
  }

  get rttMicros() {
    return this.synced ? this.best().rttMicros : NaN;
  }

  /** The round trip of the latest exchange (not filtered): the queueing on the path now, above rttMicros. */
  get lastRttMicros() {
    return this.synced ? this.samples[this.samples.length - 1].rttMicros : NaN;
  }

  /** @param {number} localMicros */
  toRelayMicros(localMicros) {
    return localMicros + this.offsetMicros;
  }
}

/** This browser's wall clock in microseconds, at sub-millisecond resolution. */
export function localNowMicros() {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}
