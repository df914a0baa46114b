// @ts-check
/**
 * A histogram of delays that forgets exponentially, as WebRTC NetEq's delay manager keeps one:
 * each sample weighs `forgetFactor` times less with every (unit of weight) sample after it, so
 * the histogram covers about 1 / (1 − forgetFactor) samples, and its `quantile` is read at once.
 *
 * O(1) per sample: instead of multiplying every bucket by the factor, a new sample's weight
 * grows by 1 / factor (all buckets are rescaled once its weight gets huge, every few thousand
 * samples), and the quantile is a bucket pointer that moves by the mass added (amortised O(1):
 * a pointer moves as far as the distribution does). It starts as if its whole memory had seen
 * delays of 0: the first samples (a start's hiccups) weigh what one sample of that memory does.
 * Pure; no clock.
 */

/**
 * @typedef {object} DelayHistogramOptions
 * @property {number} [quantile]      0..1, the share of samples at or below the value read (NetEq: 0.97)
 * @property {number} [forgetFactor]  0..1, how much a sample's weight keeps per sample after it
 *                                    (0.99: a memory of ~100 samples, 2 s of 20 ms packets)
 * @property {number} [resolutionMs]  bucket width
 * @property {number} [maxMs]         delays above count in the top bucket
 */

/** Rescale before the weights leave the range of doubles (about 1e308). */
const RESCALE_ABOVE = 1e150;

export class DelayHistogram {
  /** @param {DelayHistogramOptions} [options] */
  constructor(options = {}) {
    this.quantile = options.quantile ?? 0.97;
    this.forgetFactor = options.forgetFactor ?? 0.99;
    this.resolutionMs = options.resolutionMs ?? 1;
    const maxMs = options.maxMs ?? 5000;
    if (!(this.quantile > 0 && this.quantile < 1)) throw new RangeError(`quantile must be in (0, 1), got ${this.quantile}`);
    if (!(this.forgetFactor > 0 && this.forgetFactor < 1)) throw new RangeError(`forget factor must be in (0, 1), got ${this.forgetFactor}`);
    if (!(this.resolutionMs > 0 && maxMs >= this.resolutionMs)) throw new RangeError(`bad histogram range ${this.resolutionMs} ms buckets up to ${maxMs} ms`);
    this.counts = new Float64Array(Math.ceil(maxMs / this.resolutionMs) + 1);
    /** the weight of a sample added now (older ones' stay as they were: relatively, they shrink) */
    this.unit = 1;
    this.total = 0;
    /** the bucket the quantile falls in */
    this.index = 0;
    /** the mass of the buckets below `index` */
    this.below = 0;
    this.clear();
  }

  /** Forgets every sample: back to a memory full of zero delays. */
  clear() {
    this.counts.fill(0);
    this.unit = 1;
    this.counts[0] = 1 / (1 - this.forgetFactor);
    this.total = this.counts[0];
    this.index = 0;
    this.below = 0;
  }

  /**
   * Adds a delay. A weight under 1 counts as that share of a sample, and ages the others as much.
   * @param {number} delayMs @param {number} [weight]
   */
  add(delayMs, weight = 1) {
    if (!(weight > 0)) return;
    // Bucket b > 0 holds ((b − 1) × resolution, b × resolution]; bucket 0 holds delays of 0 (and below).
    const bucket = delayMs > 0 ? Math.min(this.counts.length - 1, Math.ceil(delayMs / this.resolutionMs)) : 0;
    const aging = Math.pow(this.forgetFactor, weight);
    this.unit /= aging;
    // The exact share of a fractional sample: (1 − f^w) / (1 − f), which is w for small w and 1 for 1.
    const mass = ((1 - aging) / (1 - this.forgetFactor)) * this.unit;
    this.counts[bucket] += mass;
    this.total += mass;
    if (bucket < this.index) this.below += mass;
    if (this.unit > RESCALE_ABOVE) this.rescale();
    this.settle();
  }

  /** Moves the quantile's pointer onto its bucket: below < quantile × total ≤ below + counts[index]. */
  settle() {
    const wanted = this.quantile * this.total;
    const last = this.counts.length - 1;
    while (this.index < last && this.below + this.counts[this.index] < wanted) this.below += this.counts[this.index++];
    while (this.index > 0 && this.below >= wanted) this.below -= this.counts[--this.index];
    if (this.index === 0) this.below = 0;
  }

  /** Divides every weight by the current unit, and sums the mass below the pointer afresh (no drift). */
  rescale() {
    const unit = this.unit;
    let below = 0;
    for (let i = 0; i < this.counts.length; i++) {
      this.counts[i] /= unit;
      if (i < this.index) below += this.counts[i];
    }
    this.total /= unit;
    this.below = below;
    this.unit = 1;
  }

  /** The delay at the quantile, ms: interpolated inside its bucket. */
  get valueMs() {
    const inBucket = this.counts[this.index];
    const share = inBucket > 0 ? Math.min(1, Math.max(0, (this.quantile * this.total - this.below) / inBucket)) : 0;
    return this.index === 0 ? 0 : (this.index - 1 + share) * this.resolutionMs;
  }
}
