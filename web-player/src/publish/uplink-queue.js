// @ts-check
/**
 * The browser publisher's bounded send queue, in front of the WebSocket. A browser socket
 * accepts every `send()` and buffers it out of reach (`bufferedAmount`), so messages are
 * handed to it only while its buffer is below a low-water mark; the rest waits here, where
 * it can still be dropped. When the backlog (queued here + the socket's buffer) passes the
 * byte bound, or the oldest queued media is older than the age bound, the uplink has fallen
 * behind: every queued video packet is dropped and incoming video waits for the next
 * keyframe (to be asked for once the backlog has come down: `readyForKeyframe`), so the
 * picture resumes cleanly; audio is dropped only when the byte bound is
 * hit with no video left to drop. Control messages (configs, pings, EndOfStream) are never
 * dropped. A browser hides part of the backlog below `bufferedAmount` (its network process
 * and the kernel take megabytes off the socket's buffer), so the delay that a Ping waited
 * on its way (`observeNetworkDelay`) counts against the age bound too. The drain rate (bytes
 * the socket took per second) is measured from `bufferedAmount`, for the bitrate controller.
 * Pure: time, `bufferedAmount` and the network delay are passed in. The same policy as the
 * Java agent's SendQueue.
 */

/** @typedef {'control' | 'audio' | 'video'} QueuedKind */

/**
 * @typedef {object} QueuedMessage
 * @property {Uint8Array<ArrayBuffer>} bytes
 * @property {QueuedKind} kind
 * @property {boolean} keyframe
 * @property {number} enqueuedMs
 */

/**
 * @typedef {object} UplinkQueueOptions
 * @property {number} [maxBytes]       the backlog bound, here + in the socket (default 1 MiB)
 * @property {number} [maxAgeMs]       the oldest queued media's age bound (default 500 ms)
 * @property {number} [lowWaterBytes]  hand messages to the socket only below this `bufferedAmount` (default 16 KiB)
 * @property {number} [drainWindowMs]  the drain rate's averaging window (default 1000 ms)
 */

/**
 * @typedef {object} UplinkQueueCounters
 * @property {number} videoDropped      video packets dropped (queued ones and incoming ones up to the keyframe)
 * @property {number} audioDropped
 * @property {number} congestions       times the bound was hit (each one drops video and lowers the bitrate)
 * @property {number} bytesSent         handed to the socket
 * @property {number} videoSent
 * @property {number} audioSent
 */

export const DEFAULT_MAX_BYTES = 1 << 20;
export const DEFAULT_MAX_AGE_MS = 500;
const DEFAULT_LOW_WATER_BYTES = 16 << 10;
const DEFAULT_DRAIN_WINDOW_MS = 1000;

export class UplinkQueue {
  /** @param {UplinkQueueOptions} [options] */
  constructor(options = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.lowWaterBytes = options.lowWaterBytes ?? DEFAULT_LOW_WATER_BYTES;
    this.drainWindowMs = options.drainWindowMs ?? DEFAULT_DRAIN_WINDOW_MS;
    if (!(this.maxBytes > 0 && this.maxAgeMs > 0 && this.lowWaterBytes > 0)) throw new RangeError('uplink queue bounds must be > 0');
    /** @type {QueuedMessage[]} */
    this.items = [];
    this.queuedBytes = 0;
    /** the socket's buffer at the last look */
    this.socketBytes = 0;
    /** how long a message waits below bufferedAmount now, as a Ping measured it (ms) */
    this.networkDelayMs = 0;
    /**
     * The simulcast layers (bit `1 << layer`) whose delta frames may be queued: those past a
     * keyframe of their own since the last drop. Video waits for a keyframe at the start and
     * after a drop, each layer for its own (an overflow at one layer's keyframe drops the other
     * layers' keyframes of that picture, already queued).
     */
    this.layersOpen = 0;
    /** the layers offered since the last reset */
    this.layersSeen = 0;
    /** @type {UplinkQueueCounters} */
    this.counters = { videoDropped: 0, audioDropped: 0, congestions: 0, bytesSent: 0, videoSent: 0, audioSent: 0 };
    /** @type {{ atMs: number, drainedBytes: number }[]} cumulative bytes the socket drained, sampled */
    this.drainSamples = [];
    this.drainedBytes = 0;
  }

  /** Queues a control message; `first` puts it ahead of everything (ping, pong). @param {Uint8Array<ArrayBuffer>} bytes @param {number} nowMs @param {boolean} [first] */
  offerControl(bytes, nowMs, first = false) {
    const item = { bytes, kind: /** @type {QueuedKind} */ ('control'), keyframe: false, enqueuedMs: nowMs };
    if (first) this.items.unshift(item);
    else this.items.push(item);
    this.queuedBytes += bytes.length;
  }

  /**
   * Queues a media packet or drops it (counted).
   * @param {Uint8Array<ArrayBuffer>} bytes @param {boolean} video @param {boolean} keyframe @param {number} nowMs
   * @param {number} [layer]  the simulcast layer of a video packet (0: the top one, or none)
   * @returns {{ queued: boolean, congested: boolean }} congested: the bound was hit now (ask for a keyframe, lower the bitrate)
   */
  offerMedia(bytes, video, keyframe, nowMs, layer = 0) {
    let congested = false;
    if (video) {
      const layerBit = 1 << layer;
      this.layersSeen |= layerBit;
      if ((this.layersOpen & layerBit) === 0 && !keyframe) {
        this.counters.videoDropped++;
        return { queued: false, congested };
      }
      if (this.overBound(bytes.length, nowMs)) {
        congested = this.congestion();
        if (!keyframe || this.backlogBytes + bytes.length > this.maxBytes) {
          this.counters.videoDropped++;
          return { queued: false, congested };
        }
      }
      this.layersOpen |= layerBit;
    } else if (this.backlogBytes + bytes.length > this.maxBytes) {
      congested = this.congestion(); // video goes first
      if (this.backlogBytes + bytes.length > this.maxBytes) {
        this.counters.audioDropped++;
        return { queued: false, congested };
      }
    }
    this.items.push({ bytes, kind: video ? 'video' : 'audio', keyframe, enqueuedMs: nowMs });
    this.queuedBytes += bytes.length;
    return { queued: true, congested };
  }

  /**
   * The messages to hand to the socket now, given its `bufferedAmount`; also samples the
   * drain rate. Call it after every offer and on a timer.
   * @param {number} bufferedAmount @param {number} nowMs @returns {QueuedMessage[]}
   */
  take(bufferedAmount, nowMs) {
    this.observeSocket(bufferedAmount, nowMs);
    /** @type {QueuedMessage[]} */
    const out = [];
    let buffered = bufferedAmount;
    while (this.items.length && buffered < this.lowWaterBytes) {
      const item = /** @type {QueuedMessage} */ (this.items.shift());
      this.queuedBytes -= item.bytes.length;
      buffered += item.bytes.length;
      this.counters.bytesSent += item.bytes.length;
      if (item.kind === 'video') this.counters.videoSent++;
      else if (item.kind === 'audio') this.counters.audioSent++;
      out.push(item);
    }
    this.socketBytes = buffered;
    return out;
  }

  /** Empties the queue for a new connection: video restarts at the next keyframe (counted as dropped). */
  reset() {
    for (const item of this.items) {
      if (item.kind === 'video') this.counters.videoDropped++;
      else if (item.kind === 'audio') this.counters.audioDropped++;
    }
    this.items = [];
    this.queuedBytes = 0;
    this.socketBytes = 0;
    this.networkDelayMs = 0;
    this.layersOpen = 0;
    this.layersSeen = 0;
    this.drainSamples = [];
  }

  /** @param {number} delayMs  the queueing a Ping met beyond the socket's buffer (its round trip above the path's fastest) */
  observeNetworkDelay(delayMs) {
    this.networkDelayMs = Math.max(0, delayMs);
  }

  /** Whether video waits for a keyframe: nothing offered yet, or a layer not past its keyframe since the last drop. */
  get videoGated() {
    return this.layersSeen === 0 || (this.layersOpen & this.layersSeen) !== this.layersSeen;
  }

  /** Bytes waiting here and in the socket's buffer. */
  get backlogBytes() {
    return this.queuedBytes + this.socketBytes;
  }

  /** @param {number} nowMs */
  oldestMediaAgeMs(nowMs) {
    const oldest = this.items.find((i) => i.kind !== 'control');
    return oldest ? nowMs - oldest.enqueuedMs : 0;
  }

  /** Bytes per second the socket sent over the drain window; NaN until it has seen one. */
  get drainRateBytesPerSecond() {
    const samples = this.drainSamples;
    if (samples.length < 2) return NaN;
    const first = samples[0];
    const last = samples[samples.length - 1];
    const spanMs = last.atMs - first.atMs;
    return spanMs > 0 ? ((last.drainedBytes - first.drainedBytes) * 1000) / spanMs : NaN;
  }

  /** @param {number} bufferedAmount @param {number} nowMs */
  observeSocket(bufferedAmount, nowMs) {
    this.drainedBytes += Math.max(0, this.socketBytes - bufferedAmount);
    this.socketBytes = bufferedAmount;
    this.drainSamples.push({ atMs: nowMs, drainedBytes: this.drainedBytes });
    while (this.drainSamples.length > 2 && nowMs - this.drainSamples[1].atMs >= this.drainWindowMs) this.drainSamples.shift();
  }

  /**
   * Whether video waiting for a keyframe can have one now: the backlog has come down to half
   * its bounds. Asking earlier would put a large keyframe on a link still full, and it would be
   * dropped or would fill the link again.
   * @param {number} nowMs
   */
  readyForKeyframe(nowMs) {
    return this.videoGated && this.backlogBytes < this.maxBytes / 2
      && this.oldestMediaAgeMs(nowMs) + this.networkDelayMs < this.maxAgeMs / 2;
  }

  /** @param {number} incoming @param {number} nowMs */
  overBound(incoming, nowMs) {
    return this.backlogBytes + incoming > this.maxBytes || this.oldestMediaAgeMs(nowMs) + this.networkDelayMs > this.maxAgeMs;
  }

  /** Drops every queued video packet and gates video until a keyframe. @returns {boolean} whether this began an episode */
  congestion() {
    const kept = [];
    for (const item of this.items) {
      if (item.kind === 'video') {
        this.queuedBytes -= item.bytes.length;
        this.counters.videoDropped++;
      } else {
        kept.push(item);
      }
    }
    this.items = kept;
    const began = this.layersOpen !== 0; // video was flowing, on some layer
    this.layersOpen = 0;
    if (began) this.counters.congestions++;
    return began;
  }
}
