import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyncDelay } from '../src/sync/sync-delay.js';

test('video arriving 60 ms after its audio raises the audio floor so that video keeps its headroom', () => {
  const sync = new SyncDelay({ headroomMs: 45 });
  // Simulated loop: the audio depth follows the floor; video is 60 ms behind audio at arrival.
  let target = 30;
  for (let i = 0; i < 40; i++) {
    const videoAhead = target - 60; // deeper audio buffer → heard audio is further behind the video
    if (sync.update(target, videoAhead)) target = Math.max(30, sync.floorMs);
  }
  assert.ok(Math.abs(target - 105) <= 8, `audio target ${target}: 60 ms video lag + 45 ms headroom`);
});

test('video well ahead needs no extra audio delay', () => {
  const sync = new SyncDelay();
  for (let i = 0; i < 20; i++) sync.update(40, 200);
  assert.equal(sync.floorMs, 0);
});

test('a momentary spike does not delay the audio; persistent lateness does', () => {
  const sync = new SyncDelay({ headroomMs: 45 });
  sync.update(40, -300); // one very late video frame
  for (let i = 0; i < 19; i++) sync.update(40, 200);
  assert.equal(sync.floorMs, 0);
  for (let i = 0; i < 20; i++) sync.update(40, -20);
  assert.equal(Math.round(sync.floorMs), 105);
});

test('small changes are not applied (no churn), missing figures are ignored', () => {
  const sync = new SyncDelay({ stepMs: 8, minSamples: 1 });
  assert.equal(sync.update(50, 0), true);
  const floor = sync.floorMs;
  assert.equal(sync.update(50, 3), false);
  assert.equal(sync.floorMs, floor);
  assert.equal(sync.update(NaN, 10), false);
});
