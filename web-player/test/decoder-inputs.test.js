// Decoded audio takes its packet's media time and arrival, in order, whatever timestamps the
// decoder puts on its outputs; the pending inputs stay bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecoderInputs } from '../src/audio/decoder-inputs.js';

test('each output takes the oldest pending input, once', () => {
  const inputs = new DecoderInputs();
  inputs.note(0, 5);
  inputs.note(20_000, 26);
  assert.deepEqual(inputs.take(), { ptsMicros: 0, arrivalMs: 5 });
  assert.deepEqual(inputs.take(), { ptsMicros: 20_000, arrivalMs: 26 });
  assert.equal(inputs.take(), undefined);
  assert.equal(inputs.size, 0);
});

test('inputs that never come out are forgotten beyond the bound, and counted', () => {
  const inputs = new DecoderInputs(3);
  for (let i = 0; i < 5; i++) inputs.note(i * 20_000, i);
  assert.equal(inputs.size, 3);
  assert.equal(inputs.evicted, 2);
  assert.equal(inputs.take()?.ptsMicros, 40_000);
  inputs.clear();
  assert.equal(inputs.size, 0);
});
