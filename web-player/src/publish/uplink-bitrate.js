// @ts-check
/**
 * The video encoder's bitrate from a delay-based estimate of what the uplink carries, in the
 * manner of WebRTC's GCC and of BBR. Fed on every tick with the bytes the socket drained so
 * far, the oldest queued media's age and the queueing a Ping met beyond the socket, it
 * measures the drain rate over the last second and watches the delay's floor (its minimum
 * over each second, so a keyframe's burst does not count):
 * - over-use (the floor is above OVERUSE_DELAY_MS and higher than a second before, or a
 *   standing queue above STANDING_DELAY_MS, or the send queue had to drop video): the
 *   uplink's rate is what reached the relay (its Pongs' counts) while media waited in a queue
 *   (the send queue or beyond the socket), or without those counts what drained while the send
 *   queue was backlogged; video goes down to BACKOFF
 *   of it, less the audio's share, but by no more than to MAX_CUT; with neither
 *   measurement, by BACKOFF at most;
 * - the delay is falling: hold;
 * - the delay is low: probe up by PROBE_PER_SECOND a second, by only PROBE_NEAR_PER_SECOND
 *   within NEAR of the remembered rate (the median of what the over-uses of the last
 *   CAPACITY_MEMORY_MS measured) and no further than HEADROOM of that rate until held there
 *   for REPROBE_AFTER_MS, never above the configured bitrate
 *   nor above APP_LIMITED times the video that drained (what drained less otherBps: an encoder
 *   that has not caught up with the last step says nothing about the link); and while probing at the fast rate, not while
 *   the floor over the last half second is more than RISING_DELAY_MS above the second
 *   before's (a queue building below the over-use threshold: the last step may already be
 *   above the link, and crossing the threshold takes a second or two, another 5 % each);
 *   probing resumes a second after a hold, and no step is more than one second's worth.
 * The bitrate changes at most once a second. Pure: time comes in as an argument (ms).
 * The Java agent's capture-agent/src/main/java/dev/tunnelcast/agent/UplinkRateEstimator.java
 * is the same algorithm with the same constants; docs/agent.md ("Adaptive bitrate")
 * documents them once.
 */

/**
 * @typedef {object} UplinkBitrateOptions
 * @property {number} maxBps        the configured video bitrate: never above it
 * @property {number} [startBps]    to begin with (default: maxBps)
 * @property {number} [floorBps]    never below (default 100 kbit/s, or maxBps if lower)
 * @property {number} [otherBps]    what else shares the uplink (audio, framing), taken off its rate for video (default 0)
 */

/** @typedef {'starting' | 'normal' | 'overuse' | 'draining' | 'rising'} UplinkSignal */

/** @typedef {import('../transport/connection.js').RelayReceipt} RelayReceipt */

/** @typedef {{ atMs: number, sentBytes: number, delayMs: number, networkDelayMs: number, backlogged: boolean, receipt: RelayReceipt | undefined }} UplinkSample */

export const WINDOW_MS = 1000;
export const OVERUSE_DELAY_MS = 50;
export const STANDING_DELAY_MS = 250;
export const RISING_DELAY_MS = 10;
export const BACKOFF = 0.9;
export const MAX_CUT = 0.7;
export const PROBE_PER_SECOND = 0.05;
export const PROBE_NEAR_PER_SECOND = 0.005;
export const NEAR = 0.1;
export const APP_LIMITED = 1.1;
/** probing stops when audio and video reach this share of the remembered rate (room for a keyframe's burst below the link) */
export const HEADROOM = 0.95;
/** held at the headroom this long without over-use, the near probe goes on past it (the link may have got better) */
export const REPROBE_AFTER_MS = 5000;
/** the remembered rate is the median of what the over-uses of this span measured (a starved sender measures low for a moment) */
export const CAPACITY_MEMORY_MS = 5000;
export const CHANGE_INTERVAL_MS = 1000;
const DEFAULT_FLOOR_BPS = 100_000;

export class UplinkBitrate {
  /** @param {UplinkBitrateOptions} options */
  constructor(options) {
    if (!(options.maxBps > 0)) throw new RangeError('maxBps must be > 0');
    this.maxBps = options.maxBps;
    this.floorBps = Math.min(options.floorBps ?? DEFAULT_FLOOR_BPS, options.maxBps);
    this.otherBps = options.otherBps ?? 0;
    this.currentBps = Math.max(this.floorBps, Math.min(this.maxBps, options.startBps ?? options.maxBps));
    /** @type {UplinkSample[]} */
    this.samples = [];
    /** the uplink's rate as the over-uses of the last CAPACITY_MEMORY_MS measured it (all tracks, their median); NaN when unknown or outgrown */
    this.capacityBps = NaN;
    /** @type {{ atMs: number, bps: number }[]} those measurements */
    this.measured = [];
    this.lastChangeMs = -Infinity;
    /** since when probing has been held at the headroom below the remembered rate; NaN: not held */
    this.heldAtHeadroomSinceMs = NaN;
    /** the last change or rising-delay hold: a probe waits a full interval after it */
    this.probeFromMs = -Infinity;
    /** @type {UplinkSignal} */
    this.signal = 'starting';
    this.decreases = 0;
    this.increases = 0;
  }

  /**
   * One look at the uplink.
   * @param {number} nowMs @param {number} sentBytes  drained from the socket so far (all tracks)
   * @param {number} sendQueueDelayMs  the oldest queued media's age (0: none queued)
   * @param {number} networkDelayMs    the queueing beyond the socket (a Ping's round trip above the fastest)
   * @param {RelayReceipt} [receipt]    what the relay had received at its newest Pong (while media waits in a queue, the link's rate is measured from these)
   * @returns {boolean} whether the bitrate changed
   */
  onSample(nowMs, sentBytes, sendQueueDelayMs, networkDelayMs, receipt) {
    const delayMs = Math.max(0, sendQueueDelayMs) + Math.max(0, networkDelayMs);
    // backlogged: media waited longer than a busy machine's scheduling would make it (the socket is full)
    this.samples.push({ atMs: nowMs, sentBytes, delayMs, networkDelayMs: Math.max(0, networkDelayMs), backlogged: sendQueueDelayMs > OVERUSE_DELAY_MS, receipt });
    while (nowMs - this.samples[0].atMs > 2 * WINDOW_MS) this.samples.shift();
    if (nowMs - this.samples[0].atMs < 2 * WINDOW_MS - WINDOW_MS / 4) {
      this.signal = 'starting'; // not two floors yet
      return false;
    }
    let recentFloor = Infinity;
    let halfFloor = Infinity; // over the last half window: it sees a probe's queue a second sooner
    let earlierFloor = Infinity;
    for (const s of this.samples) {
      if (nowMs - s.atMs <= WINDOW_MS) {
        recentFloor = Math.min(recentFloor, s.delayMs);
        if (nowMs - s.atMs <= WINDOW_MS / 2) halfFloor = Math.min(halfFloor, s.delayMs);
      } else {
        earlierFloor = Math.min(earlierFloor, s.delayMs);
      }
    }
    if ((recentFloor > OVERUSE_DELAY_MS && recentFloor > earlierFloor)
      || (recentFloor > STANDING_DELAY_MS && recentFloor >= earlierFloor)) {
      this.signal = 'overuse';
      return this.backOff(nowMs);
    }
    if (recentFloor > OVERUSE_DELAY_MS) {
      this.signal = 'draining';
      return false;
    }
    this.signal = 'normal';
    return this.probe(nowMs, halfFloor > earlierFloor + RISING_DELAY_MS);
  }

  /** The send queue had to drop video: over-use now. @param {number} nowMs @returns {boolean} whether the bitrate changed */
  onOverflow(nowMs) {
    this.signal = 'overuse';
    return this.backOff(nowMs);
  }

  /** @param {number} nowMs */
  backOff(nowMs) {
    if (nowMs - this.lastChangeMs < CHANGE_INTERVAL_MS) return false;
    let drained = this.linkBps();
    let cut = MAX_CUT;
    if (Number.isNaN(drained)) {
      // only the delay says so (no relay counts, and a queue beyond the socket or a hiccup): what drained is what the
      // encoder made, not the link's rate; a gentle cut, nothing remembered
      drained = this.drainBps(2 * WINDOW_MS);
      cut = BACKOFF;
    } else {
      this.remember(nowMs, drained);
      drained = Math.min(drained, this.capacityBps);
    }
    if (Number.isNaN(drained)) {
      this.set(this.currentBps * BACKOFF, nowMs); // nothing measured yet
      this.decreases++;
      return true;
    }
    const lower = Math.min(this.currentBps, Math.max(cut * this.currentBps, BACKOFF * drained - this.otherBps));
    if (lower >= this.currentBps) return false;
    this.set(lower, nowMs);
    this.decreases++;
    return true;
  }

  /**
   * A measurement above the remembered rate may be a burst: it counts half way. The remembered
   * rate is the median of the last CAPACITY_MEMORY_MS's: one measured low (a real drop, or a
   * starved sender) cuts the bitrate at once, but sets the probe's pace only when it is not alone.
   * @param {number} nowMs @param {number} drainedBps
   */
  remember(nowMs, drainedBps) {
    const bps = Number.isNaN(this.capacityBps) || drainedBps < this.capacityBps ? drainedBps : (this.capacityBps + drainedBps) / 2;
    this.measured.push({ atMs: nowMs, bps });
    while (nowMs - this.measured[0].atMs > CAPACITY_MEMORY_MS) this.measured.shift();
    const sorted = this.measured.map((m) => m.bps).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    this.capacityBps = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** @param {number} nowMs @param {boolean} delayRising */
  probe(nowMs, delayRising) {
    if (nowMs - this.probeFromMs < CHANGE_INTERVAL_MS || this.currentBps >= this.maxBps) return false;
    const drained = this.drainBps();
    const total = this.currentBps + this.otherBps;
    if (!Number.isNaN(this.capacityBps) && total > this.capacityBps * (1 + NEAR)) this.forgetCapacity(); // the link got better
    const headroomHeldLongEnough = nowMs - this.heldAtHeadroomSinceMs >= REPROBE_AFTER_MS; // false while NaN
    if (!Number.isNaN(this.capacityBps) && !headroomHeldLongEnough && total >= HEADROOM * this.capacityBps) {
      if (Number.isNaN(this.heldAtHeadroomSinceMs)) this.heldAtHeadroomSinceMs = nowMs;
      this.probeFromMs = nowMs; // the first probe after the hold steps by one second's worth
      return false; // room for a keyframe's burst below the link
    }
    const near = !Number.isNaN(this.capacityBps) && total >= this.capacityBps * (1 - NEAR);
    if (delayRising && !near) {
      this.signal = 'rising';
      this.probeFromMs = nowMs;
      return false;
    }
    const seconds = Math.min(1, (nowMs - this.probeFromMs) / 1000); // one second's worth at most
    let next = this.currentBps * (1 + (near ? PROBE_NEAR_PER_SECOND : PROBE_PER_SECOND) * seconds);
    if (!Number.isNaN(drained)) next = Math.min(next, Math.max(this.currentBps, APP_LIMITED * (drained - this.otherBps)));
    if (!Number.isNaN(this.capacityBps) && !headroomHeldLongEnough) next = Math.min(next, HEADROOM * this.capacityBps - this.otherBps);
    const up = Math.min(this.maxBps, Math.ceil(next));
    if (up <= this.currentBps) return false;
    this.set(up, nowMs);
    this.increases++;
    return true;
  }

  forgetCapacity() {
    this.capacityBps = NaN;
    this.measured = [];
    this.heldAtHeadroomSinceMs = NaN;
  }

  /** @param {number} bps @param {number} nowMs */
  set(bps, nowMs) {
    if (bps < this.currentBps) this.heldAtHeadroomSinceMs = NaN; // an over-use: the hold starts again at the next headroom
    this.currentBps = Math.max(this.floorBps, Math.min(this.maxBps, Math.trunc(bps)));
    this.lastChangeMs = nowMs;
    this.probeFromMs = nowMs;
  }

  /** Bits per second drained over the last `spanMs` (default: a window); NaN with less than half a window of samples. */
  drainBps(spanMs = WINDOW_MS) {
    const last = this.samples[this.samples.length - 1];
    const first = last && this.samples.find((s) => last.atMs - s.atMs <= spanMs);
    if (!last || !first || last.atMs - first.atMs < WINDOW_MS / 2) return NaN;
    return ((last.sentBytes - first.sentBytes) * 8000) / (last.atMs - first.atMs);
  }

  /** The link's rate as measured: from the relay's counts, else from what was written; NaN when neither can tell. */
  linkBps() {
    const received = this.receivedWhileQueuedBps();
    return Number.isNaN(received) ? this.writtenWhileBackloggedBps() : received;
  }

  /**
   * What the link carried by what was written, NaN when the send queue was not backlogged long enough to tell:
   * drained over the sampling intervals of the last two windows that began and ended with
   * media waiting in the send queue for more than OVERUSE_DELAY_MS (the socket was full and
   * took only what the link passed on), less what a queue beyond the socket took meanwhile:
   * the written rate divided by 1 + the growth of the queueing beyond the socket over those
   * intervals' time (at most halved), as in the Java agent.
   */
  writtenWhileBackloggedBps() {
    let bytes = 0;
    let ms = 0;
    let queueGrowthMs = 0;
    for (let i = 1; i < this.samples.length; i++) {
      const a = this.samples[i - 1];
      const b = this.samples[i];
      if (a.backlogged && b.backlogged) {
        bytes += b.sentBytes - a.sentBytes;
        ms += b.atMs - a.atMs;
        queueGrowthMs += b.networkDelayMs - a.networkDelayMs;
      }
    }
    if (ms < WINDOW_MS / 4) return NaN;
    const intoQueue = Math.min(1, Math.max(0, queueGrowthMs / ms));
    return (bytes * 8000) / ms / (1 + intoQueue);
  }

  /**
   * What the relay received, by its Pongs' counts and clock, between the receipts of consecutive
   * samples whose media both waited in a queue for more than OVERUSE_DELAY_MS, in the send queue
   * or beyond the socket (the link was busy); NaN with less than WINDOW_MS / 4 of relay time
   * between such receipts. As in the Java agent.
   */
  receivedWhileQueuedBps() {
    let bytes = 0;
    let ms = 0;
    for (let i = 1; i < this.samples.length; i++) {
      const a = this.samples[i - 1];
      const b = this.samples[i];
      if (a.delayMs <= OVERUSE_DELAY_MS || b.delayMs <= OVERUSE_DELAY_MS || !a.receipt || !b.receipt) continue;
      if (b.receipt.atRelayMs < a.receipt.atRelayMs || b.receipt.bytes < a.receipt.bytes) continue; // a reconnect's counts start again
      bytes += b.receipt.bytes - a.receipt.bytes;
      ms += b.receipt.atRelayMs - a.receipt.atRelayMs;
    }
    return ms < WINDOW_MS / 4 ? NaN : (bytes * 8000) / ms;
  }
}
