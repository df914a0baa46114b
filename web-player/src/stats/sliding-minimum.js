// @ts-check
/**
 * The smallest value added over the last windowMs, the newest included: a monotonic queue, so
 * each value is added and dropped once. Pure; times on any steady clock.
 */
export class SlidingMinimum {
  /** @param {number} windowMs */
  constructor(windowMs) {
    this.windowMs = windowMs;
    /** @type {{ atMs: number, value: number }[]} increasing values */
    this.queue = [];
  }

  /**
   * @param {number} atMs @param {number} value
   * @returns {number} the minimum over (atMs - windowMs, atMs]
   */
  add(atMs, value) {
    const q = this.queue;
    while (q.length && q[q.length - 1].value >= value) q.pop();
    q.push({ atMs, value });
    while (q[0].atMs <= atMs - this.windowMs) q.shift();
    return q[0].value;
  }

  clear() {
    this.queue = [];
  }
}
