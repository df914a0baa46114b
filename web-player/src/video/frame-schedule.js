// @ts-check
/**
 * Decoded video frames waiting for their moment on the master (audio) clock: when each is
 * due, which one to show now, and the bound on how many may wait. Pure: it is told the
 * master's media time and speed, and closes what it drops; the caller counts the drops
 * (`late`, `queueFull`) and draws what it is given.
 *
 * A frame is due once the master, when the drawn frame reaches the screen (`leadMs` after the
 * draw: the compositor's hand-off), has reached its timestamp. Of several due frames only
 * the newest is shown; the older ones are late. Frames over the bound are the oldest, closed
 * at once: a held VideoFrame pins a decoder buffer (1.4 MB at 720p), and a page that stops
 * drawing (a hidden tab) must not hold them all.
 *
 * @template {{ timestamp: number, close(): void }} F  a VideoFrame, or a test's stand-in
 */
export class FrameSchedule {
  /** @param {{ maxFrames?: number, leadMs?: number }} [options] */
  constructor(options = {}) {
    /** frames held at most (`?video-held=N`); the oldest over it are closed */
    this.maxFrames = Math.max(1, Math.floor(options.maxFrames ?? DEFAULT_MAX_HELD_FRAMES));
    /** how long after a draw the frame is on screen: a frame is due this much before its time */
    this.leadMs = options.leadMs ?? DEFAULT_LEAD_MS;
    /** @type {F[]} oldest first (decoders output in presentation order: no B-frames in a live stream) */
    this.frames = [];
  }

  get length() {
    return this.frames.length;
  }

  /** The newest frame's timestamp (µs), NaN when none is held. */
  get newestMicros() {
    return this.frames.length ? this.frames[this.frames.length - 1].timestamp : NaN;
  }

  /**
   * Holds a decoded frame; closes the oldest over the bound.
   * @param {F} frame @returns {number} frames closed for the bound
   */
  add(frame) {
    this.frames.push(frame);
    let closed = 0;
    while (this.frames.length > this.maxFrames) {
      /** @type {F} */ (this.frames.shift()).close();
      closed++;
    }
    return closed;
  }

  /**
   * How long until `frame` is due, in real time (≤ 0: due). Without a master (NaN) every frame
   * is due at once; a master running at `speed` reaches it 1/speed as fast.
   * @param {F} frame @param {number} masterMediaMs @param {number} [masterSpeed]
   */
  dueInMs(frame, masterMediaMs, masterSpeed = 1) {
    if (!Number.isFinite(masterMediaMs)) return -Infinity;
    const speed = masterSpeed > 0.1 ? masterSpeed : 1;
    return (frame.timestamp / 1000 - masterMediaMs) / speed - this.leadMs;
  }

  /** Index of the newest due frame, -1 when none is. @param {number} masterMediaMs @param {number} [masterSpeed] */
  newestDue(masterMediaMs, masterSpeed = 1) {
    let due = -1;
    for (let i = 0; i < this.frames.length; i++) {
      if (this.dueInMs(this.frames[i], masterMediaMs, masterSpeed) <= 0) due = i;
      else break; // in timestamp order: the rest are later still
    }
    return due;
  }

  /**
   * The frame to show now (the caller draws and closes it), and how many older due frames were
   * closed as late; null when none is due.
   * @param {number} masterMediaMs @param {number} [masterSpeed]
   * @returns {{ frame: F | null, late: number }}
   */
  take(masterMediaMs, masterSpeed = 1) {
    const due = this.newestDue(masterMediaMs, masterSpeed);
    if (due < 0) return { frame: null, late: 0 };
    for (let i = 0; i < due; i++) this.frames[i].close();
    const frame = this.frames[due];
    this.frames = this.frames.slice(due + 1);
    return { frame, late: due };
  }

  /**
   * Closes the frames up to and including index `last` (a join's backlog).
   * @param {number} last @returns {number} how many
   */
  dropThrough(last) {
    const dropped = this.frames.splice(0, last + 1);
    for (const f of dropped) f.close();
    return dropped.length;
  }

  /** Closes every frame held. @returns {number} how many */
  clear() {
    return this.dropThrough(this.frames.length - 1);
  }
}

/**
 * The default bound: 30 frames, a second at 30 fps. A frame waits for the audio as long as the
 * audio is buffered behind it, at most the jitter buffer's default ceiling (1 s); beyond it
 * video would be out of sync anyway. It was 60 before, and not configurable.
 */
export const DEFAULT_MAX_HELD_FRAMES = 30;
/** Half a 60 Hz refresh: a frame drawn now is on screen at the next composite. */
export const DEFAULT_LEAD_MS = 8;
