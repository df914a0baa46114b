// The forgetting histogram behind the delay manager: its quantile against a sort of what it
// was fed, its memory (the forget factor), and its O(1) bookkeeping through a long run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelayHistogram } from '../src/audio/delay-histogram.js';

/** @param {number} seed */
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('empty: a memory of zero delays; one late sample among a full memory does not move the quantile', () => {
  const h = new DelayHistogram();
  assert.equal(h.valueMs, 0);
  h.add(300);
  assert.equal(h.valueMs, 0, 'one sample of ~100 is 1 %, under the 3 % above the 97th percentile');
});

test('quantile of a steady stream: the 97th percentile of uniform 0-100 ms, within a bucket', () => {
  const rnd = mulberry32(1);
  const h = new DelayHistogram({ quantile: 0.97, forgetFactor: 0.99 });
  for (let i = 0; i < 5000; i++) h.add(rnd() * 100);
  assert.ok(Math.abs(h.valueMs - 97) < 4, `q97 ${h.valueMs}`);
  const median = new DelayHistogram({ quantile: 0.5, forgetFactor: 0.999 });
  for (let i = 0; i < 20_000; i++) median.add(rnd() * 100);
  assert.ok(Math.abs(median.valueMs - 50) < 3, `median ${median.valueMs}`);
});

test('forgets: after a change of delays, the quantile follows within a few memories', () => {
  const h = new DelayHistogram({ quantile: 0.97, forgetFactor: 0.99 }); // a memory of ~100 samples
  for (let i = 0; i < 1000; i++) h.add(80);
  assert.ok(Math.abs(h.valueMs - 80) <= 1, `${h.valueMs}`);
  // The old delays weigh 0.99^n: under 3 % after ln(0.03)/ln(0.99) ≈ 349 samples.
  for (let i = 0; i < 340; i++) h.add(10);
  assert.ok(h.valueMs > 70, `still the old delays after 340: ${h.valueMs}`);
  for (let i = 0; i < 20; i++) h.add(10);
  assert.ok(h.valueMs <= 10, `the new delays after 360: ${h.valueMs}`);
  // A slower factor remembers longer.
  const slow = new DelayHistogram({ quantile: 0.97, forgetFactor: 0.999 });
  for (let i = 0; i < 5000; i++) slow.add(80);
  for (let i = 0; i < 360; i++) slow.add(10);
  assert.ok(slow.valueMs > 70, `${slow.valueMs}`);
});

test('a fractional weight counts as that share of a sample', () => {
  const whole = new DelayHistogram();
  const halves = new DelayHistogram();
  for (let i = 0; i < 10; i++) whole.add(200);
  for (let i = 0; i < 20; i++) halves.add(200, 0.5);
  assert.ok(Math.abs(whole.total / whole.unit - halves.total / halves.unit) < 1e-9, 'the same mass, relative to a new sample');
  assert.equal(whole.valueMs, halves.valueMs);
  const none = new DelayHistogram();
  none.add(500, 0);
  assert.equal(none.valueMs, 0);
});

test('O(1) bookkeeping holds over a long run: rescales, and the pointer agrees with a full scan', () => {
  const rnd = mulberry32(3);
  const h = new DelayHistogram({ quantile: 0.95, forgetFactor: 0.98 });
  let rescales = 0;
  for (let i = 0; i < 200_000; i++) {
    const before = h.unit;
    // Delays that wander: a 0-50 ms band whose base moves slowly up and down.
    h.add(Math.abs(Math.sin(i / 5000)) * 300 + rnd() * 50);
    if (h.unit < before) rescales++;
  }
  assert.ok(rescales > 0, 'the weights were rescaled');
  // A full scan of the buckets finds the same bucket.
  const wanted = h.quantile * h.total;
  let sum = 0;
  let index = 0;
  while (sum + h.counts[index] < wanted) sum += h.counts[index++];
  assert.equal(h.index, index);
  assert.ok(Math.abs(h.below - sum) <= 1e-9 * h.total, `mass below ${h.below} vs ${sum}`);
});

test('delays beyond the range count in the top bucket; bad options are refused', () => {
  const h = new DelayHistogram({ maxMs: 100, forgetFactor: 0.5 });
  for (let i = 0; i < 20; i++) h.add(10_000);
  assert.ok(h.valueMs > 99 && h.valueMs <= 100, `${h.valueMs}`);
  assert.throws(() => new DelayHistogram({ quantile: 1 }), RangeError);
  assert.throws(() => new DelayHistogram({ forgetFactor: 1 }), RangeError);
  assert.throws(() => new DelayHistogram({ resolutionMs: 0 }), RangeError);
});
