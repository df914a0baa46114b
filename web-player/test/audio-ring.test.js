// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioRing } from '../src/audio/audio-ring.js';

const ramp = (/** @type {number} */ n, /** @type {number} */ from = 0) => Float32Array.from({ length: n }, (_, i) => from + i);

test('the depth is what was written less what was read, across the ring\'s end', () => {
  const ring = new AudioRing(1, 16);
  for (let round = 0; round < 5; round++) {
    ring.write([ramp(10, round * 10)], 10);
    const out = [new Float32Array(10)];
    for (let i = 0; i < 10; i++) {
      ring.readInto(out, i, 1);
      ring.readIndex += 1;
    }
    assert.deepEqual([...out[0]], [...ramp(10, round * 10)]);
    assert.equal(ring.depthSamples, 0);
  }
});

test('full: the oldest audio goes, and how much is said', () => {
  const ring = new AudioRing(1, 16);
  assert.equal(ring.write([ramp(10)], 10), 0);
  assert.equal(ring.write([ramp(10, 10)], 10), 6); // room for 14 (two kept free)
  const out = [new Float32Array(1)];
  ring.readInto(out, 0, 1);
  assert.equal(out[0][0], 6, 'reading goes on at the oldest sample kept');
  assert.equal(ring.writeSilence(100), 16 - 14 - 1, 'silence only as much as fits');
});

test('a fractional read position interpolates; a gain scales; a missing channel repeats the last', () => {
  const ring = new AudioRing(2, 32);
  ring.write([ramp(4)], 4);
  ring.readIndex = 1.25;
  const out = [new Float32Array(1), new Float32Array(1)];
  ring.readInto(out, 0, 0.5);
  assert.deepEqual([out[0][0], out[1][0]], [0.625, 0.625]);
});

test('a crossfade blends from all old to all new: reading from the splice point has no step', () => {
  const ring = new AudioRing(1, 64);
  ring.write([new Float32Array(40).fill(1).map((v, i) => (i < 20 ? 1 : 0))], 40);
  ring.crossfade(0, 20, 10);
  const out = [new Float32Array(10)];
  ring.readIndex = 20;
  for (let i = 0; i < 10; i++) {
    ring.readInto(out, i, 1);
    ring.readIndex += 1;
  }
  assert.equal(out[0][0], 1, 'starts where the old audio was');
  for (let i = 1; i < 10; i++) assert.ok(out[0][i] <= out[0][i - 1], 'then moves to the new one steadily');
  assert.ok(out[0][9] < 0.15);
});

test('the mono mix sums the channels', () => {
  const ring = new AudioRing(2, 16);
  ring.write([ramp(4), ramp(4, 10)], 4);
  const mix = new Float32Array(4);
  ring.mixInto(mix, 0, 4);
  assert.deepEqual([...mix], [10, 12, 14, 16]);
});
