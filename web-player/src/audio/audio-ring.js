// @ts-check
/**
 * The jitter buffer's audio: planar float samples in a ring, with a write position and a
 * fractional read position that only grow, so the depth is their difference. Reads interpolate
 * between neighbouring samples (the playout resamples by a few percent at most); a splice
 * (a pitch period or a burst dropped) crossfades in place. Pure: no clocks, no browser APIs.
 */
export class AudioRing {
  /** @param {number} channels @param {number} capacity  samples per channel */
  constructor(channels, capacity) {
    this.capacity = capacity;
    this.planes = Array.from({ length: channels }, () => new Float32Array(capacity));
    /** total samples written */
    this.writeIndex = 0;
    /** total samples read, fractional */
    this.readIndex = 0;
  }

  get depthSamples() {
    return this.writeIndex - this.readIndex;
  }

  /** Empties it. */
  clear() {
    this.writeIndex = 0;
    this.readIndex = 0;
  }

  /** Appends silence, as much of it as fits. @param {number} frames @returns {number} the samples written */
  writeSilence(frames) {
    const n = Math.min(frames, this.capacity - this.depthSamples - 1);
    for (let i = 0; i < n; i++) {
      const at = (this.writeIndex + i) % this.capacity;
      for (const plane of this.planes) plane[at] = 0;
    }
    this.writeIndex += n;
    return n;
  }

  /**
   * Appends audio (one array per channel; a missing channel repeats the last). When full, the
   * oldest audio goes, not the newest: latency must not grow unbounded.
   * @param {Float32Array[]} planes @param {number} frames @returns {number} the oldest samples dropped for room
   */
  write(planes, frames) {
    const room = this.capacity - Math.ceil(this.depthSamples) - 2;
    const dropped = Math.max(0, frames - room);
    this.readIndex += dropped;
    this.planes.forEach((dst, c) => {
      const src = planes[Math.min(c, planes.length - 1)];
      for (let i = 0; i < frames; i++) dst[(this.writeIndex + i) % this.capacity] = src[i];
    });
    this.writeIndex += frames;
    return dropped;
  }

  /**
   * The sample at the read position, between its two neighbours, times `gain`, into `out[c][i]`.
   * @param {Float32Array[]} out @param {number} i @param {number} gain
   */
  readInto(out, i, gain) {
    const whole = Math.floor(this.readIndex);
    const frac = this.readIndex - whole;
    const a = whole % this.capacity;
    const b = (whole + 1) % this.capacity;
    for (let c = 0; c < out.length; c++) {
      const plane = this.planes[Math.min(c, this.planes.length - 1)];
      out[c][i] = (plane[a] + (plane[b] - plane[a]) * frac) * gain;
    }
  }

  /**
   * Blends the `length` samples at `from` into those at `to`, in place, from all old to all new:
   * reading continues at `to` without a step. Backwards: the two stretches overlap when a
   * period is shorter than the crossfade, and each blend must read the old samples.
   * @param {number} from @param {number} to @param {number} length
   */
  crossfade(from, to, length) {
    for (let k = Math.min(length, this.writeIndex - to) - 1; k >= 0; k--) {
      const w = k / length;
      for (const plane of this.planes) {
        const at = (to + k) % this.capacity;
        plane[at] = plane[(from + k) % this.capacity] * (1 - w) + plane[at] * w;
      }
    }
  }

  /** The channels summed, `n` samples from `from`, into `into`. @param {Float32Array} into @param {number} from @param {number} n */
  mixInto(into, from, n) {
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (const plane of this.planes) v += plane[(from + i) % this.capacity];
      into[i] = v;
    }
  }
}
