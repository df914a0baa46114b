// @ts-check
/**
 * Sees an MSE path that plays but shows nothing: fragments appended and the playhead moving on
 * for a while, yet no frame ever presented (no `requestVideoFrameCallback`). WebKitGTK 2.50
 * under Xvfb with compositing off does exactly that: its element appends, knows the picture's
 * size, plays (the audio goes on through WebAudio) and never presents a frame; its stall
 * watchdog restarts do not help. The playhead's forward moves add up across such restarts
 * (a jump back is a new MediaSource, not play); a stuck playhead is a stall (StallWatchdog) and a
 * machine too busy to play moves no playhead: neither is seen here. Once a frame was presented
 * the engine can show video: the watch never fires after that. Pure: times and what the element
 * shows come in as arguments.
 */
export const NO_PICTURE_NOTE = 'this browser shows no video on the MSE path; try ?video=webcodecs';
/** What the player says once it left such a path for WebCodecs by itself (player.js). */
export const FELL_BACK_NOTE = 'this browser showed no video on the MSE path: switched to WebCodecs';

export class NoPictureWatch {
  /**
   * @param {number} [afterMs]     how long since fragments were first appended, with no picture
   * @param {number} [playedS]     how far the playhead must have moved forward meanwhile (the element plays)
   */
  constructor(afterMs = 5000, playedS = 3) {
    this.afterMs = afterMs;
    this.playedS = playedS;
    /** when fragments were first seen appended (NaN: not yet) */
    this.sinceMs = NaN;
    /** the playhead's forward moves since then, s */
    this.playedSoFarS = 0;
    /** the playhead at the last observation */
    this.lastPlayheadS = NaN;
    /** a frame was presented: the engine shows video */
    this.pictured = false;
    /** what the watch saw, for good ('' until it did) */
    this.note = '';
  }

  /**
   * @param {number} nowMs
   * @param {{ appended: number, playheadS: number, framesPresented: number }} seen
   *   appended: fragments appended so far; framesPresented: requestVideoFrameCallback calls so far
   * @returns {string} the note ('' while the picture is fine or not yet judged)
   */
  observe(nowMs, { appended, playheadS, framesPresented }) {
    if (this.pictured || this.note) return this.note;
    if (framesPresented > 0) {
      this.pictured = true;
      return '';
    }
    if (appended <= 0) return '';
    if (Number.isNaN(this.sinceMs)) this.sinceMs = nowMs;
    if (playheadS > this.lastPlayheadS) this.playedSoFarS += playheadS - this.lastPlayheadS;
    this.lastPlayheadS = playheadS;
    if (nowMs - this.sinceMs >= this.afterMs && this.playedSoFarS >= this.playedS) this.note = NO_PICTURE_NOTE;
    return this.note;
  }
}
