// @ts-check
/**
 * The video encoder's bitrate, from what the uplink can carry. On congestion (the send
 * queue had to drop video) it comes down to 85 % of what the socket drained, less the audio,
 * or by 30 % when no drain rate is known yet, at most once a second; it goes up again by
 * 10 % only after the backlog stayed short for `raiseAfterMs`, never above the configured
 * target nor below the floor. Pure: time comes in as an argument (ms).
 */

/**
 * @typedef {object} UplinkBitrateOptions
 * @property {number} targetBps      what the encoder runs at when the uplink keeps up
 * @property {number} [floorBps]     never below (default 100 kbit/s, or the target if lower)
 * @property {number} [raiseAfterMs] the backlog must stay short this long before each raise (default 5000)
 */

const DECREASE_HOLD_MS = 1000;
const DRAIN_SHARE = 0.85;
const DECREASE_FACTOR = 0.7;
const INCREASE_FACTOR = 1.1;
const DEFAULT_FLOOR_BPS = 100_000;
const DEFAULT_RAISE_AFTER_MS = 5000;

export class UplinkBitrate {
  /** @param {UplinkBitrateOptions} options */
  constructor(options) {
    this.targetBps = options.targetBps;
    this.floorBps = Math.min(options.floorBps ?? DEFAULT_FLOOR_BPS, options.targetBps);
    this.raiseAfterMs = options.raiseAfterMs ?? DEFAULT_RAISE_AFTER_MS;
    this.currentBps = options.targetBps;
    this.lastChangeMs = -Infinity;
    /** when the backlog last stopped being short (the queue was long) */
    this.longAtMs = -Infinity;
    this.decreases = 0;
    this.increases = 0;
  }

  /**
   * The uplink fell behind.
   * @param {number} nowMs @param {number} drainBitsPerSecond  what the socket sent lately (NaN: unknown)
   * @param {number} audioBps  the audio's share of the uplink
   * @returns {boolean} whether the bitrate changed
   */
  onCongestion(nowMs, drainBitsPerSecond, audioBps) {
    this.longAtMs = nowMs;
    if (nowMs - this.lastChangeMs < DECREASE_HOLD_MS) return false;
    const fromDrain = drainBitsPerSecond * DRAIN_SHARE - audioBps;
    const lower = Number.isFinite(fromDrain) && fromDrain > 0
      ? Math.min(fromDrain, this.currentBps * DECREASE_FACTOR) : this.currentBps * DECREASE_FACTOR;
    const next = Math.max(this.floorBps, Math.round(lower));
    this.lastChangeMs = nowMs;
    if (next === this.currentBps) return false;
    this.currentBps = next;
    this.decreases++;
    return true;
  }

  /**
   * Called periodically with whether the backlog is short now.
   * @param {number} nowMs @param {boolean} backlogShort @returns {boolean} whether the bitrate changed
   */
  onTick(nowMs, backlogShort) {
    if (!backlogShort) {
      this.longAtMs = nowMs;
      return false;
    }
    if (this.currentBps >= this.targetBps) return false;
    if (nowMs - this.longAtMs < this.raiseAfterMs || nowMs - this.lastChangeMs < this.raiseAfterMs) return false;
    this.currentBps = Math.min(this.targetBps, Math.round(this.currentBps * INCREASE_FACTOR) + 1);
    this.lastChangeMs = nowMs;
    this.increases++;
    return true;
  }
}
