// The MSE renderer after its join steers what is seen: where no frame has been presented
// (WebKitGTK without compositing shows none) it leaves the element's rate and playhead alone;
// each change is a GStreamer event from the page's main thread there, and one deadlocked the
// web process. Once a frame is shown, video behind the master is nudged faster. A fake <video>.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeMseVideo } from './support/fake-mse-video.js';

const { video, rateChanges, present } = fakeMseVideo();
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
  present(1);
  renderer.tick(MASTER_MS, 60_000);
  assert.ok(rateChanges.length === 1 && rateChanges[0] > 1, `rate changes ${rateChanges}`);
});
