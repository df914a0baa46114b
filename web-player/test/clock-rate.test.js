import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClockRate } from '../src/sync/clock-rate.js';

/**
 * Ticks every 16.7 ms for durationMs, the master at `mediaAt(t)`.
 * @param {ClockRate} rate @param {(t: number) => number} mediaAt @param {number} fromMs @param {number} durationMs
 */
function feed(rate, mediaAt, fromMs, durationMs) {
  for (let t = fromMs; t < fromMs + durationMs; t += 16.7) rate.add(t, mediaAt(t));
}

test('a clock at real time runs at 1; one at 0.91x (a starved output device) at 0.91', () => {
  const real = new ClockRate();
  feed(real, (t) => 5000 + t, 1000, 1000);
  assert.ok(Math.abs(real.speed - 1) < 0.001, `${real.speed}`);
  const slow = new ClockRate();
  feed(slow, (t) => 0.91 * t, 1000, 1000);
  assert.ok(Math.abs(slow.speed - 0.91) < 0.001, `${slow.speed}`);
});

test('accelerate: steps of 12 ms every 120 ms average out to 1.1', () => {
  const rate = new ClockRate();
  // The heard time runs at 1 and jumps 12 ms at each removal.
  feed(rate, (t) => t + 12 * Math.floor(t / 120), 0, 2000);
  assert.ok(Math.abs(rate.speed - 1.1) < 0.02, `${rate.speed}`);
});

test('a jump (a skip, an underrun) starts over; 1 until the window has data again', () => {
  const rate = new ClockRate();
  feed(rate, (t) => 0.95 * t, 0, 1000);
  assert.ok(Math.abs(rate.speed - 0.95) < 0.001);
  feed(rate, (t) => 0.95 * t - 65, 1000, 100); // the device slipped 65 ms
  assert.equal(rate.speed, 1);
  feed(rate, (t) => 0.95 * t - 65, 1100, 400);
  assert.ok(Math.abs(rate.speed - 0.95) < 0.001, `${rate.speed}`);
});

test('without audio (NaN) it forgets, and says real time', () => {
  const rate = new ClockRate();
  feed(rate, (t) => 1.05 * t, 0, 1000);
  rate.add(1000, NaN);
  assert.equal(rate.speed, 1);
});
