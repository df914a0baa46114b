// The MSE renderer's join seeks, against a fake <video> (its collaborator): a join seeks the
// playhead to the master clock while video trails it, but never to a place before the frame
// already on screen (Chromium shows frames past currentTime around seeks; seeking there would
// show pictures already seen again).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeMseVideo } from './support/fake-mse-video.js';

const { video, present } = fakeMseVideo();
Object.assign(globalThis, { document: { createElement: () => video, visibilityState: 'visible' } });
const { MseRenderer } = await import('../src/video/mse-renderer.js');

/** A renderer in its join, 3 s of video received from pts 0, the playhead at 1 s, the frame at `shownS` on screen. @param {number} shownS */
function joining(shownS) {
  video.currentTime = 1;
  const renderer = new MseRenderer();
  renderer.baseMicros = 0;
  renderer.newestPtsMicros = 3e6;
  present(shownS);
  return renderer;
}

/** The master half a frame before 1.55 s on the timeline: the join's target is 1.55 s. */
const MASTER_MS = 1550 - 33.333 / 2;

test('a join seeks video that trails the master to it', () => {
  const renderer = joining(1);
  renderer.tick(MASTER_MS, 1000);
  assert.ok(Math.abs(video.currentTime - 1.55) < 1e-6, `seeked to ${video.currentTime}`);
  assert.equal(renderer.seeks, 1);
});

test('a join does not seek to a place before the frame on screen (the picture would step back)', () => {
  const renderer = joining(1.5);
  renderer.tick(MASTER_MS, 1000);
  assert.equal(video.currentTime, 1);
  assert.equal(renderer.seeks, 0);
});
