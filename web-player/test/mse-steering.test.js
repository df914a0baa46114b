// The MSE renderer after its join steers what is seen: where no frame has been presented
// (WebKitGTK without compositing shows none) it leaves the element's rate and playhead alone;
// each change is a GStreamer event from the page's main thread there, and one deadlocked the
// web process. Once a frame is shown, video behind the master is nudged faster. A fake <video>.
import { test } from 'node:test';
import assert from 'node:assert/strict';

/** @type {(now: number, meta: { mediaTime: number, expectedDisplayTime: number, width: number, height: number }) => void} */
let presentFrame = () => {};
/** @type {number[]} */
const rateChanges = [];
const video = {
  requestVideoFrameCallback(/** @type {typeof presentFrame} */ callback) {
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
Object.assign(globalThis, { document: { createElement: () => video, visibilityState: 'visible' } });
const { MseRenderer } = await import('../src/video/mse-renderer.js');

/** Past its join, 3 s of video received, the playhead at 1 s and 200 ms behind the master. */
function pastTheJoin() {
  video.currentTime = 1;
  rateChanges.length = 0;
  const renderer = new MseRenderer();
  renderer.baseMicros = 0;
  renderer.newestPtsMicros = 3e6;
  renderer.joinTickMs = 0; // joined long ago
  return renderer;
}
const MASTER_MS = 1200;

test('no frame presented: the rate and the playhead are left alone', () => {
  const renderer = pastTheJoin();
  for (let t = 0; t < 10; t++) renderer.tick(MASTER_MS, 60_000 + t * 100);
  assert.deepEqual(rateChanges, []);
  assert.equal(renderer.seeks, 0);
  assert.equal(video.currentTime, 1);
});

test('a frame presented: video behind the master is nudged faster', () => {
  const renderer = pastTheJoin();
  presentFrame(0, { mediaTime: 1, expectedDisplayTime: 0, width: 320, height: 180 });
  renderer.tick(MASTER_MS, 60_000);
  assert.ok(rateChanges.length === 1 && rateChanges[0] > 1, `rate changes ${rateChanges}`);
});
