// The frame schedule against a master clock the test sets: when a frame is due, which one is
// shown, what is late, and the bound on frames held.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameSchedule, DEFAULT_MAX_HELD_FRAMES } from '../src/video/frame-schedule.js';

const FRAME_US = 33_333;

/** A decoded frame's stand-in that remembers being closed. */
class Frame {
  /** @param {number} i the i-th frame of a 30 fps stream */
  constructor(i) {
    this.timestamp = i * FRAME_US;
    this.closed = false;
  }
  close() {
    this.closed = true;
  }
}

/** @param {{ add: (frame: Frame) => number }} schedule @param {number[]} indexes */
const addAll = (schedule, indexes) => indexes.map((i) => {
  const f = new Frame(i);
  schedule.add(f);
  return f;
});

test('a frame is due leadMs before the master reaches it, scaled by the master speed', () => {
  const s = new FrameSchedule({ leadMs: 8 });
  const f = new Frame(0);
  f.timestamp = 100_000;
  s.add(f);
  assert.equal(s.dueInMs(f, 50), 42, '50 ms of media to go, less the lead');
  assert.equal(s.dueInMs(f, 50, 0.5), 92, 'a master at half speed takes twice as long');
  assert.equal(s.dueInMs(f, 92), 0);
  assert.equal(s.dueInMs(f, NaN), -Infinity, 'no master: due at once');
});

test('nothing is shown before its time; at its time the frame comes out and is not closed', () => {
  const s = new FrameSchedule({ leadMs: 8 });
  const [f0, f1] = addAll(s, [0, 1]);
  assert.deepEqual(s.take(-20), { frame: null, late: 0 }, '20 ms early');
  assert.deepEqual(s.take(-8), { frame: f0, late: 0 });
  assert.equal(f0.closed, false, 'the caller draws and closes it');
  assert.equal(s.length, 1);
  assert.deepEqual(s.take(10), { frame: null, late: 0 }, 'frame 1 (33 ms) is due at 25 ms');
  assert.deepEqual(s.take(25.4), { frame: f1, late: 0 });
});

test('of several due frames the newest is shown and the older ones are closed as late', () => {
  const s = new FrameSchedule({ leadMs: 8 });
  const frames = addAll(s, [0, 1, 2, 3, 4]);
  const { frame, late } = s.take(100); // frames 0-3 are due (frame 3 at 92 ms), frame 4 (133 ms) is not
  assert.equal(frame, frames[3]);
  assert.equal(late, 3);
  assert.deepEqual(frames.map((f) => f.closed), [true, true, true, false, false]);
  assert.equal(s.length, 1);
  assert.equal(s.newestMicros, 4 * FRAME_US);
});

test('a master that stalls holds the frames; one that jumps ahead makes the skipped ones late', () => {
  const s = new FrameSchedule({ leadMs: 8, maxFrames: 100 });
  addAll(s, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  let late = 0;
  let shown = 0;
  // The master stands at 40 ms for 10 ticks (an underrun), then jumps to 300 ms.
  for (let tick = 0; tick < 10; tick++) {
    const t = s.take(40);
    late += t.late;
    if (t.frame) shown++;
  }
  assert.equal(shown, 1, 'frame 1 (33 ms) is shown once; the master does not move, nothing else is due');
  assert.equal(late, 1, 'frame 0 was due too, and older');
  const t = s.take(300);
  assert.equal(t.frame?.timestamp, 9 * FRAME_US);
  assert.equal(t.late, 7, 'frames 2-8 were overtaken');
});

test('frames over the bound are the oldest, closed at once and returned as the count to drop', () => {
  const s = new FrameSchedule({ maxFrames: 4 });
  const frames = addAll(s, [0, 1, 2, 3]);
  assert.equal(s.add(new Frame(4)), 1);
  assert.equal(frames[0].closed, true);
  assert.equal(s.length, 4);
  assert.equal(s.frames[0].timestamp, FRAME_US);
  assert.equal(new FrameSchedule({ maxFrames: 0 }).maxFrames, 1, 'at least one frame is held');
  assert.equal(new FrameSchedule().maxFrames, DEFAULT_MAX_HELD_FRAMES);
});

test('dropThrough and clear close what they remove', () => {
  const s = new FrameSchedule();
  const frames = addAll(s, [0, 1, 2, 3]);
  assert.equal(s.dropThrough(1), 2);
  assert.deepEqual(frames.map((f) => f.closed), [true, true, false, false]);
  assert.equal(s.clear(), 2);
  assert.equal(s.length, 0);
  assert.ok(frames.every((f) => f.closed));
  assert.ok(Number.isNaN(s.newestMicros));
});

test('a steady stream against a steady master: every frame shown once, in order, none late', () => {
  // Frames decoded 40 ms ahead of the audio heard; the master advances 1 ms per ms; ticks every 5 ms.
  const s = new FrameSchedule({ leadMs: 8 });
  /** @type {number[]} */
  const shown = [];
  let late = 0;
  let next = 0;
  for (let now = 0; now < 2000; now += 5) {
    while (next * FRAME_US / 1000 <= now + 40) s.add(new Frame(next++));
    const t = s.take(now);
    late += t.late;
    if (t.frame) shown.push(t.frame.timestamp / FRAME_US);
  }
  assert.equal(late, 0);
  assert.deepEqual(shown, Array.from({ length: shown.length }, (_, i) => i));
  assert.ok(shown.length >= 59, `${shown.length} frames shown in 2 s`);
  assert.ok(s.length <= 3, `${s.length} frames held: the 40 ms the video is ahead, not more`);
});

test('?video-held=N sets the bound, 1-300; anything else keeps the default', async () => {
  const { parseHeldFrames, playerOptionsFrom } = await import('../src/ui/player-options.js');
  assert.equal(parseHeldFrames('8'), 8);
  for (const bad of [null, '', '0', '301', '2.5', '-3', 'x']) assert.equal(parseHeldFrames(bad), undefined, String(bad));
  const where = { stream: 's', token: '', wsBase: 'ws://h', baseUrl: 'http://h/' };
  assert.equal(playerOptionsFrom(new URLSearchParams('video=webcodecs&video-held=12'), where).maxHeldFrames, 12);
});
