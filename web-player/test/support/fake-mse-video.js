// A <video> for the MSE renderer's tests: the test presents frames (its requestVideoFrameCallback)
// and reads the rate changes the renderer made.

/** @typedef {(now: number, meta: { mediaTime: number, expectedDisplayTime: number, width: number, height: number }) => void} FrameCallback */

/** 3 s buffered from 0, the playhead at 1 s, playing. */
export function fakeMseVideo() {
  /** @type {FrameCallback} */
  let presentFrame = () => {};
  /** @type {number[]} */
  const rateChanges = [];
  const video = {
    requestVideoFrameCallback(/** @type {FrameCallback} */ callback) {
      presentFrame = callback;
    },
    addEventListener() {},
    currentTime: 1,
    seeking: false,
    paused: false,
    readyState: 4,
    get playbackRate() {
      return rateChanges.at(-1) ?? 1;
    },
    set playbackRate(rate) {
      rateChanges.push(rate);
    },
    buffered: { length: 1, start: () => 0, end: () => 3 },
    getVideoPlaybackQuality: () => ({ droppedVideoFrames: 0, totalVideoFrames: 0 }),
  };
  return {
    video,
    rateChanges,
    /** The element presents the frame at `mediaTime` s. @param {number} mediaTime */
    present: (mediaTime) => presentFrame(0, { mediaTime, expectedDisplayTime: 0, width: 320, height: 180 }),
  };
}
