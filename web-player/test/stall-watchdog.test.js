// The MSE stall watchdog: a stuck playhead is a stall whatever the buffer says; a hidden page,
// a playhead that moves, or nothing received ahead is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StallWatchdog } from '../src/video/stall-watchdog.js';

/**
 * Ticks every 16 ms for `ms`; `seen(t)` says what the page shows at t. Returns when it fired.
 * @param {StallWatchdog} dog @param {number} ms
 * @param {(tMs: number) => { playheadS: number, framesPresented: number, receivedAheadS: number, visible: boolean }} seen
 */
function run(dog, ms, seen) {
  const fired = [];
  dog.reset(0);
  for (let t = 0; t <= ms; t += 16) if (dog.note(t, seen(t))) fired.push(t);
  return fired;
}

test('Firefox: playhead frozen at the buffered end, 10 s received behind a stuck append queue: a stall within 2.1 s', () => {
  const fired = run(new StallWatchdog(2000), 5000, (t) => ({ playheadS: 5.31, framesPresented: 118, receivedAheadS: 5 + t / 1000, visible: true }));
  assert.ok(fired.length >= 1 && fired[0] <= 2100, JSON.stringify(fired));
});

test('a playing video (playhead and frames advancing) is never a stall, even with a deep buffer', () => {
  const fired = run(new StallWatchdog(2000), 10_000, (t) => ({ playheadS: t / 1000, framesPresented: Math.floor(t / 33), receivedAheadS: 3, visible: true }));
  assert.deepEqual(fired, []);
});

test('a hidden page, or nothing received ahead (the stream paused), is not a stall; the clock restarts on return', () => {
  const dog = new StallWatchdog(2000);
  const fired = run(dog, 10_000, (t) => ({ playheadS: 1, framesPresented: 30, receivedAheadS: t < 5000 ? 4 : 0.1, visible: t >= 5000 ? true : t < 100 }));
  assert.deepEqual(fired, []);
});

test('restarts that do not help back off: 2, 2, 4, 8, 16 s, then 16 s; 30 s without a stall bring back 2 s', () => {
  const dog = new StallWatchdog(2000);
  dog.reset(0);
  const stuck = { playheadS: 3, framesPresented: 90, receivedAheadS: 4, visible: true };
  /** @type {number[]} */
  const fired = [];
  let t = 0;
  for (; t <= 60_000; t += 16) {
    if (dog.note(t, stuck)) {
      fired.push(t);
      dog.reset(t); // the renderer restarts, and the watchdog with it
    }
  }
  const gaps = fired.map((at, i) => at - (i ? fired[i - 1] : 0));
  assert.deepEqual(gaps.map((g) => Math.round(g / 1000)), [2, 2, 4, 8, 16, 16], `gaps ${gaps}`);
  // It plays for 30 s: the next stall is seen after 2 s again.
  for (let end = t + 30_000, f = 0; t <= end; t += 16, f++) dog.note(t, { ...stuck, playheadS: t / 1000, framesPresented: f });
  const start = t;
  let next = NaN;
  for (; t <= start + 20_000 && Number.isNaN(next); t += 16) if (dog.note(t, { ...stuck, playheadS: 0.5 })) next = t - start;
  assert.ok(next >= 2000 && next < 2100, `the first stall after a calm spell fired after ${next} ms`);
});
