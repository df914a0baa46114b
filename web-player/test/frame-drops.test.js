// Counting dropped frames by cause (src/video/frame-drops.js): the pure pieces both video
// paths count with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDrops, RunningTotal, describeDrops, framesIn, noDrops } from '../src/video/frame-drops.js';

test('drops are counted by cause and the total is their sum', () => {
  const drops = new FrameDrops();
  drops.count('late');
  drops.count('late', 2);
  drops.count('catchUp', 40);
  drops.count('queueFull', 0);
  drops.count('stall', -3); // an estimate below zero drops nothing
  assert.deepEqual(drops.figures(), { ...noDrops(), late: 3, catchUp: 40 });
  assert.equal(drops.total, 43);
});

test('after a restart, the packets skipped until the next keyframe count for its cause only', () => {
  const drops = new FrameDrops();
  drops.skippedPacket(); // the first join waits for a keyframe: nothing of the stream was lost
  assert.equal(drops.total, 0);
  drops.restartAtKeyframe('decodeError');
  drops.skippedPacket();
  drops.skippedPacket();
  drops.keyframe();
  drops.skippedPacket(); // (cannot happen after a keyframe; and it would not count)
  drops.restartAtKeyframe(null); // a reconnect: what was in flight is not the player's drop
  drops.skippedPacket();
  assert.deepEqual(drops.figures(), { ...noDrops(), decodeError: 2 });
});

test('figures() is a copy', () => {
  const drops = new FrameDrops();
  drops.figures().late = 99;
  assert.equal(drops.total, 0);
});

test('framesIn: the frames a span of media time holds, never negative', () => {
  assert.equal(framesIn(1_000_000, 33_333), 30);
  assert.equal(framesIn(50_000, 33_333), 2);
  assert.equal(framesIn(-200_000, 33_333), 0);
  assert.equal(framesIn(NaN, 33_333), 0);
  assert.equal(framesIn(1_000_000, 0), 0);
});

test('RunningTotal keeps counting across a reload that restarts the browser count', () => {
  const total = new RunningTotal();
  assert.equal(total.add(0), 0);
  assert.equal(total.add(5), 5);
  assert.equal(total.add(7), 7);
  assert.equal(total.add(0), 7, 'a new MediaSource: the element counts from 0 again');
  assert.equal(total.add(2), 9);
  assert.equal(total.add(2), 9);
});

test('describeDrops names the causes that dropped frames, in a fixed order', () => {
  assert.equal(describeDrops(noDrops()), 'none');
  assert.equal(describeDrops({ ...noDrops(), catchUp: 41, late: 3, stall: 1 }), 'late 3 · catch-up 41 · stall 1');
  assert.equal(describeDrops({ ...noDrops(), decodeError: 2, queueFull: 5 }), 'decode error 2 · queue full 5');
});
