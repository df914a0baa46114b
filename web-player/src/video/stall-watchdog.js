// @ts-check
/**
 * Sees a stuck video pipeline: frames received ahead of the playhead, yet for stallMs neither
 * the playhead moved nor a frame was presented while the page was visible. It asks the
 * element's playhead, not its buffer: in Firefox a trim that never finished stopped all
 * appends, so `buffered` ended at the frozen playhead while the frames received piled up
 * behind the queue (a watchdog that measured the buffer ahead never fired). Pure.
 */
export class StallWatchdog {
  /** @param {number} [stallMs] @param {number} [minAheadS] received ahead below this is starvation, not a stall */
  constructor(stallMs = 2000, minAheadS = 0.5) {
    this.stallMs = stallMs;
    this.minAheadS = minAheadS;
    this.lastProgressMs = NaN;
    this.playheadS = NaN;
    this.framesPresented = NaN;
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
    if (nowMs - this.lastProgressMs < this.stallMs) return false;
    this.lastProgressMs = nowMs;
    return true;
  }
}
