// The MSE path that plays but shows nothing (WebKitGTK 2.50 under Xvfb with compositing off:
// fragments appended, the playhead moving on with the audio, no frame ever presented) is said,
// in the renderer's figures and so in the player's stats and on screen; a path that shows
// frames, a stalled playhead or a page that has appended nothing is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NoPictureWatch, NO_PICTURE_NOTE } from '../src/video/no-picture-watch.js';

/** @type {(now: number, meta: { mediaTime: number, expectedDisplayTime: number, width: number, height: number }) => void} */
let presentFrame = () => {};
const video = {
  requestVideoFrameCallback(/** @type {typeof presentFrame} */ callback) {
    presentFrame = callback;
  },
  addEventListener() {},
  currentTime: 0,
  videoWidth: 640,
  seeking: false,
  paused: false,
  readyState: 4,
  playbackRate: 1,
  buffered: { length: 1, start: () => 0, end: () => video.currentTime + 1 },
  getVideoPlaybackQuality: () => ({ droppedVideoFrames: 0, totalVideoFrames: 0 }),
};
Object.assign(globalThis, { document: { createElement: () => video, visibilityState: 'visible' } });
const { MseRenderer } = await import('../src/video/mse-renderer.js');

/**
 * An MSE renderer with fragments appended whose element plays (the playhead at the tick's time),
 * knows the picture's size (as WebKitGTK's does) and never presents a frame, ticked every 16 ms
 * for `ms`; answers its figures.
 * @param {number} ms @param {{ presentAtMs?: number }} [options] presentAtMs: a frame presented then
 */
function playWithoutPictures(ms, { presentAtMs = Infinity } = {}) {
  video.currentTime = 0;
  video.videoWidth = 640;
  const renderer = new MseRenderer();
  renderer.baseMicros = 0;
  renderer.appends = /** @type {any} */ ({ appended: 0, push() {} });
  for (let t = 0; t <= ms; t += 16) {
    video.currentTime = t / 1000;
    renderer.newestPtsMicros = (t + 1000) * 1000;
    /** @type {any} */ (renderer.appends).appended = Math.floor(t / 33) + 1;
    if (t >= presentAtMs && t < presentAtMs + 16) presentFrame(t, { mediaTime: t / 1000, expectedDisplayTime: t, width: 640, height: 360 });
    renderer.tick(NaN, t);
  }
  return renderer.figures();
}

test('MSE: fragments appended and the playhead moving 6 s with no frame presented: the renderer says so', () => {
  assert.equal(playWithoutPictures(6000).noPictureNote, NO_PICTURE_NOTE);
});

test('MSE: a frame presented (Chromium, Firefox) is never a note, even late', () => {
  assert.equal(playWithoutPictures(8000, { presentAtMs: 3000 }).noPictureNote, '');
});

test('MSE: not before the element has played a while without a picture', () => {
  assert.equal(playWithoutPictures(3000).noPictureNote, '');
});

test('a stalled playhead (no frame, not moving) is a stall, not a missing picture', () => {
  const watch = new NoPictureWatch(5000, 3);
  for (let t = 0; t <= 10_000; t += 16) watch.observe(t, { appended: 100, playheadS: 1.2, framesPresented: 0 });
  assert.equal(watch.note, '');
});

test('nothing appended (no video received) is not a missing picture', () => {
  const watch = new NoPictureWatch(5000, 3);
  for (let t = 0; t <= 10_000; t += 16) watch.observe(t, { appended: 0, playheadS: t / 1000, framesPresented: 0 });
  assert.equal(watch.note, '');
});

test('WebKitGTK: the picture size known, the stall watchdog restarting every 2 s, no frame presented: said once 3 s were played', () => {
  const watch = new NoPictureWatch(5000, 3);
  /** @type {number[]} */
  const said = [];
  // As traced: the playhead back to 0 at each restart (2 s, then 4 s apart).
  for (let t = 0; t <= 12_000; t += 16) {
    const playheadS = t < 2000 ? t / 1000 : t < 6000 ? (t - 2000) / 1000 : (t - 6000) / 1000;
    if (watch.observe(t, { appended: 100, playheadS, framesPresented: 0 }) && !said.length) said.push(t);
  }
  assert.equal(watch.note, NO_PICTURE_NOTE);
  assert.ok(said[0] >= 5000 && said[0] <= 5100, `said at ${said[0]} ms`);
  // Once said, it stays (a later restart does not take it back).
  assert.equal(watch.observe(13_000, { appended: 1, playheadS: 0, framesPresented: 0 }), NO_PICTURE_NOTE);
});
