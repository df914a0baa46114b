// @ts-check
/**
 * Sees a stuck video pipeline: frames received ahead of the playhead, yet for stallMs neither
 * the playhead moved nor a frame was presented while the page was visible. It asks the
 * element's playhead, not its buffer: in Firefox a trim that never finished stopped all
 * appends, so `buffered` ended at the frozen playhead while the frames received piled up
 * behind the queue (a watchdog that measured the buffer ahead never fired).
 *
 * Restarts that do not help back off: a stall within calmMs of the last one doubles the
 * time the next must last (2, 2, 4, 8, 16 s by default), since each restart costs a new MediaSource and
 * a keyframe's decode. On a page starved of CPU (four call pages beside a CPU hog on two
 * cores) the decoder falls behind and restarting every 2 s only adds to the load; calmMs
 * without a stall brings it back to stallMs. Pure.
 */
export class StallWatchdog {
  /**
   * @param {number} [stallMs] @param {number} [minAheadS] received ahead below this is starvation, not a stall
   * @param {{ maxStallMs?: number, calmMs?: number }} [backoff]
   */
  constructor(stallMs = 2000, minAheadS = 0.5, backoff = {}) {
    this.baseStallMs = stallMs;
    /** how long the next stall must last; grows while restarts do not help */
    this.stallMs = stallMs;
    this.maxStallMs = backoff.maxStallMs ?? 16_000;
    this.calmMs = backoff.calmMs ?? 30_000;
    this.lastFiredMs = NaN;
    this.minAheadS = minAheadS;
    this.lastProgressMs = NaN;
    this.playheadS = NaN;
    this.framesPresented = NaN;
    this.firedAfterMs = NaN;
  }

  /** After a (re)start: the clock starts now. @param {number} nowMs */
  reset(nowMs) {
    this.lastProgressMs = nowMs;
    this.playheadS = NaN;
    this.framesPresented = NaN;
  }

  /**
   * @param {number} nowMs
   * @param {{ playheadS: number, framesPresented: number, receivedAheadS: number, visible: boolean }} seen
   *   receivedAheadS: the newest frame received minus the playhead; visible: a hidden page presents nothing
   * @returns {boolean} stalled: the caller restarts (and this watchdog with it)
   */
  note(nowMs, { playheadS, framesPresented, receivedAheadS, visible }) {
    const moved = Math.abs(playheadS - this.playheadS) > 0.001 || framesPresented !== this.framesPresented;
    this.playheadS = playheadS;
    this.framesPresented = framesPresented;
    if (moved || !visible || receivedAheadS < this.minAheadS || Number.isNaN(this.lastProgressMs)) {
      this.lastProgressMs = nowMs;
      return false;
    }
    if (nowMs - this.lastFiredMs >= this.calmMs) this.stallMs = this.baseStallMs;
    if (nowMs - this.lastProgressMs < this.stallMs) return false;
    this.firedAfterMs = nowMs - this.lastProgressMs;
    this.stallMs = nowMs - this.lastFiredMs < this.calmMs ? Math.min(this.maxStallMs, this.stallMs * 2) : this.baseStallMs;
    this.lastFiredMs = nowMs;
    this.lastProgressMs = nowMs;
    return true;
  }
}
