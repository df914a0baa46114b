// @ts-check
/**
 * Lip sync when video arrives later than audio: audio is the master clock, so if the audio
 * being heard is already at (or past) the newest video received, the video cannot keep up
 * and the audio must wait. This decides how deep the audio buffer must be for the video to
 * have `headroomMs` of frames ahead of the audio, and turns it into a floor for the jitter
 * buffer. Pure; fed at every live video arrival (~30 a second; frames catching up on a backlog are not).
 */
import { Recent } from '../stats/recent.js';

export class SyncDelay {
  /** @param {{ headroomMs?: number, samples?: number, minSamples?: number, percentile?: number, stepMs?: number }} [options] */
  constructor(options = {}) {
    // Video that should be received ahead of the audio heard: decoding and the hand-off to
    // the display (a frame is shown once the master reaches it, so no frame interval is
    // needed). 45 ms (a frame plus decoding) held audio, and so video, ~25 ms later than
    // needed on the MSE path; 10 ms let MSE drop the odd frame.
    this.headroomMs = options.headroomMs ?? 20;
    this.stepMs = options.stepMs ?? 8;
    this.required = new Recent(options.samples ?? 90);
    // Lateness that persists, not a momentary spike (a slow keyframe, one late frame): three
    // seconds of frames, and a percentile that gives up on the latest tenth of them.
    this.minSamples = options.minSamples ?? 15;
    this.percentile = options.percentile ?? 0.9;
    this.floorMs = 0;
  }

  /**
   * @param {number} audioTargetMs  the jitter buffer's current target
   * @param {number} videoAheadMs   newest video received minus the audio heard now
   * @returns {boolean} whether floorMs changed enough to be applied
   */
  update(audioTargetMs, videoAheadMs) {
    if (!Number.isFinite(audioTargetMs) || !Number.isFinite(videoAheadMs)) return false;
    // The audio depth that would leave exactly headroomMs of video ahead of it.
    this.required.add(audioTargetMs + (this.headroomMs - videoAheadMs));
    if (this.required.count < this.minSamples) return false;
    const wanted = Math.max(0, this.required.percentile(this.percentile));
    if (Math.abs(wanted - this.floorMs) < this.stepMs) return false;
    this.floorMs = wanted;
    return true;
  }

  reset() {
    this.required.clear();
    this.floorMs = 0;
  }
}
