// @ts-check
/**
 * Frames a video path dropped (never showed), counted by cause. Pure: the renderers tell it
 * what they dropped and why; it knows no decoder, element or clock.
 *
 * Causes:
 * - `late`: decoded in time to be shown, but a newer frame was already due (WebCodecs), or
 *   dropped by the browser's own pipeline (MSE: getVideoPlaybackQuality().droppedVideoFrames,
 *   whose cause the browser does not say; it is mostly frames late for their display slot);
 * - `decodeError`: lost to a decode error: in the decoder or held when it failed, and the
 *   packets skipped until the next keyframe after it;
 * - `catchUp`: skipped on purpose to reach the live edge: a join's GOP backlog, a restart at a
 *   keyframe because decoding fell behind (WebCodecs), a forward seek (MSE);
 * - `queueFull`: a bounded queue overflowed: decoded frames past the held-frame bound
 *   (WebCodecs), fragments dropped after a QuotaExceededError (MSE);
 * - `stall`: packets skipped until the next keyframe after the stall watchdog restarted (MSE).
 *
 * @typedef {'late' | 'decodeError' | 'catchUp' | 'queueFull' | 'stall'} DropCause
 * @typedef {Record<DropCause, number>} FramesDroppedBy
 */

/** @returns {FramesDroppedBy} */
export function noDrops() {
  return { late: 0, decodeError: 0, catchUp: 0, queueFull: 0, stall: 0 };
}

/** @param {FramesDroppedBy} by @returns {number} */
export function totalDrops(by) {
  return by.late + by.decodeError + by.catchUp + by.queueFull + by.stall;
}

export class FrameDrops {
  constructor() {
    this.by = noDrops();
    /** @type {DropCause | null} why packets are skipped until the next keyframe (null: nothing was lost, e.g. a first join) */
    this.skipCause = null;
  }

  /** @param {DropCause} cause @param {number} [frames] */
  count(cause, frames = 1) {
    if (frames > 0) this.by[cause] += frames;
  }

  /**
   * The path starts over at the next keyframe because of `cause` (null: a reset that loses
   * nothing of the stream, such as a new track config): the packets skipped until then count.
   * @param {DropCause | null} cause
   */
  restartAtKeyframe(cause) {
    this.skipCause = cause;
  }

  /** A packet skipped while waiting for a keyframe. */
  skippedPacket() {
    if (this.skipCause) this.by[this.skipCause]++;
  }

  /** The keyframe that ends a wait came. */
  keyframe() {
    this.skipCause = null;
  }

  get total() {
    return totalDrops(this.by);
  }

  /** @returns {FramesDroppedBy} a copy */
  figures() {
    return { ...this.by };
  }
}

/**
 * How many frames of `frameMicros` lie in a span of media time: the frames a seek jumps
 * over or a restart discards, estimated (frames carry their nominal duration). 0 for a
 * span that is empty, negative or unknown.
 * @param {number} spanMicros @param {number} frameMicros
 */
export function framesIn(spanMicros, frameMicros) {
  if (!Number.isFinite(spanMicros) || !(frameMicros > 0)) return 0;
  return Math.max(0, Math.round(spanMicros / frameMicros));
}

/**
 * A running total of a count that may start again from 0: the browser's dropped-frame count
 * of a media element, which a new load (a new MediaSource) may reset. Each restart adds the
 * last value seen before it; drops between the last look and a restart are lost, so look
 * right before a reload.
 */
export class RunningTotal {
  constructor() {
    this.before = 0;
    this.seen = 0;
  }

  /** @param {number} count the count now @returns {number} the total since the first look */
  add(count) {
    if (count < this.seen) this.before += this.seen;
    this.seen = count;
    return this.before + count;
  }
}

/** @type {[DropCause, string][]} the causes in the order the overlay shows them */
const CAUSE_LABELS = [['late', 'late'], ['decodeError', 'decode error'], ['catchUp', 'catch-up'], ['queueFull', 'queue full'], ['stall', 'stall']];

/**
 * The overlay's line: the causes that dropped frames, e.g. "late 3 · catch-up 41", or "none".
 * @param {FramesDroppedBy} by
 */
export function describeDrops(by) {
  const parts = CAUSE_LABELS.filter(([cause]) => by[cause] > 0).map(([cause, label]) => `${label} ${by[cause]}`);
  return parts.length ? parts.join(' · ') : 'none';
}
