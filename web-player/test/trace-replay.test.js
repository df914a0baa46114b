// The jitter buffer on arrival traces no one here wrote: MoQ's audio-jitter corpus
// (bench/traces/moq-audio-jitter), replayed in simulated time (bench/trace-replay.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { replayTrace } from '../bench/trace-replay.js';

/** @param {string} name */
function trace(name) {
  return JSON.parse(readFileSync(new URL(`../bench/traces/moq-audio-jitter/${name}.json`, import.meta.url), 'utf8'));
}

test('paced (an even sender for 60 s): the target stays at the floor from the start, nothing concealed', () => {
  const r = replayTrace(trace('paced'));
  assert.equal(r.targetMs, 20);
  assert.equal(r.targetMaxMs, 20);
  assert.equal(r.convergedAtMs, 0);
  assert.equal(r.concealedPercent, 0);
  assert.equal(r.underruns, 0);
});

test('flush (100 ms, then 200 ms of media at a time): the target covers the flush span; little concealed', () => {
  const r = replayTrace(trace('flush'));
  // Bursts of 200 ms: the first packets of each wait 180 and 160 ms; plus half a packet and the margin.
  assert.ok(r.targetMs >= 180 && r.targetMs <= 220, `target ${r.targetMs}`);
  assert.ok(r.concealedPercent < 1, `concealed ${r.concealedPercent} %`);
  assert.ok(r.convergedAtMs < 12_000, `converged at ${r.convergedAtMs} ms (the span doubles at 10 s)`);
});

test('reorder and tunein: a reordered run and a stale first frame do not raise the target', () => {
  for (const name of ['reorder', 'tunein']) {
    const r = replayTrace(trace(name));
    assert.ok(r.targetMaxMs <= 30, `${name}: target up to ${r.targetMaxMs}`);
    assert.equal(r.concealedPercent, 0, name);
  }
});
