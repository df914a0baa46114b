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

test('a 1 s relay pause does not ratchet the lip-sync floor: latency returns to where it was within a few seconds', () => {
  // The loop as the player runs it (a sample per step): video arrives 60 ms after its audio, so the
  // floor settles at 60 + 45 ms. Then the relay pauses 1 s: audio runs dry (heard stops, the
  // player feeds NaN), the backlog arrives at once (video far ahead for a moment), the jitter
  // buffer drops its excess and everything is live again.
  const sync = new SyncDelay({ headroomMs: 45 });
  let target = 30;
  /** @type {number[]} */
  const targets = [];
  for (let i = 0; i < 120; i++) {
    const tMs = i * 250;
    let videoAhead = target - 60;
    if (tMs >= 10_000 && tMs < 11_000) videoAhead = NaN; // paused: audio underrun, nothing heard
    if (tMs >= 11_000 && tMs < 11_500) videoAhead = target - 60 + 1000; // the backlog, before the catch-up
    if (sync.update(target, videoAhead)) target = Math.max(30, sync.floorMs);
    targets.push(target);
  }
  const before = targets[39];
  assert.ok(Math.abs(before - 105) <= 8, `settled at ${before}`);
  // Never lowered into lip-sync trouble nor raised by the burst; back on the same value 3 s after.
  const during = targets.slice(40, 60);
  assert.ok(Math.max(...during) - before <= 8 && before - Math.min(...during) <= 8, `floor moved: ${during}`);
  assert.ok(targets.slice(56).every((t) => Math.abs(t - before) <= 8), 'back where it was 3 s after the pause');
});
