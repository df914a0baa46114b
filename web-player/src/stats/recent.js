// @ts-check
/** A bounded window of recent numbers with percentiles: the figures behind the stats. */
export class Recent {
  /** @param {number} capacity */
  constructor(capacity) {
    this.capacity = capacity;
    /** @type {number[]} */
    this.values = [];
  }

  /** @param {number} value */
  add(value) {
    if (!Number.isFinite(value)) return;
    this.values.push(value);
    if (this.values.length > this.capacity) this.values.shift();
  }

  get count() {
    return this.values.length;
  }

  /** Nearest-rank percentile, NaN when empty. @param {number} p 0..1 */
  percentile(p) {
    if (this.values.length === 0) return NaN;
    const sorted = [...this.values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  }

  last() {
    return this.values.length ? this.values[this.values.length - 1] : NaN;
  }

  clear() {
    this.values = [];
  }
}
