// The jitter buffer on arrival traces no one here wrote: MoQ's audio-jitter corpus
// (bench/traces/moq-audio-jitter), and the player's own arrivals recorded in real runs through the
// impairment proxy's profiles (bench/traces/impairment-proxy, `bench/run traces`); replayed in
// simulated time (bench/trace-replay.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { replayTrace } from '../bench/trace-replay.js';

/** @param {string} name @param {string} [folder] */
function trace(name, folder = 'moq-audio-jitter') {
  return JSON.parse(readFileSync(new URL(`../bench/traces/${folder}/${name}.json`, import.meta.url), 'utf8'));
}

/** @param {string} profile */
const recorded = (profile) => trace(profile, 'impairment-proxy');

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

test('the recorded traces: one per profile, in the corpus\'s format, in arrival order, small', () => {
  const folder = new URL('../bench/traces/impairment-proxy/', import.meta.url);
  const files = readdirSync(folder).filter((f) => f.endsWith('.json')).sort();
  assert.deepEqual(files, ['cap4.json', 'clean.json', 'jitter20.json', 'stall.json', 'tail50.json']);
  for (const file of files) {
    assert.ok(statSync(new URL(file, folder)).size < 200_000, `${file} is over 200 KB`);
    const t = JSON.parse(readFileSync(new URL(file, folder), 'utf8'));
    assert.equal(`${t.name}.json`, file);
    assert.equal(t.frame, 20, file);
    assert.ok(t.arrival.length >= 1500 && t.arrival.length === t.media.length, `${file}: ${t.arrival.length} arrivals`);
    // As the buffer saw them, on one steady clock (a publisher's timeline may jump: not checked).
    for (let i = 1; i < t.arrival.length; i++) assert.ok(t.arrival[i] >= t.arrival[i - 1], `${file}: arrival ${i} before ${i - 1}`);
  }
});

test('recorded through the proxy: the target follows the link\'s jitter (clean, then jitter20, then tail50)', () => {
  const [clean, jitter20, tail50] = ['clean', 'jitter20', 'tail50'].map((p) => replayTrace(recorded(p)));
  assert.ok(clean.targetMs <= jitter20.targetMs, `clean ${clean.targetMs} ms, jitter20 ${jitter20.targetMs} ms`);
  assert.ok(jitter20.targetMs < tail50.targetMs, `jitter20 ${jitter20.targetMs} ms, tail50 ${tail50.targetMs} ms`);
  // jitter20 is 10-30 ms each way: covered, not chased up to the ceiling.
  assert.ok(jitter20.targetMs >= 25 && jitter20.targetMs <= 80, `jitter20 target ${jitter20.targetMs} ms`);
  assert.ok(jitter20.convergedAtMs < 10_000, `jitter20 converged at ${jitter20.convergedAtMs} ms`);
  assert.ok(jitter20.concealedPercent <= 0.5, `jitter20 concealed ${jitter20.concealedPercent} %`);
});

test('recorded through the proxy, clean: the target converges near the floor at once; at most 0.1 % concealed (issue 18\'s goal)', () => {
  const r = replayTrace(recorded('clean'));
  assert.ok(r.targetMs <= 40 && r.targetMaxMs <= 80, `target ${r.targetMs} ms, up to ${r.targetMaxMs} ms`);
  assert.ok(r.convergedAtMs < 5000, `converged at ${r.convergedAtMs} ms`);
  assert.ok(r.concealedPercent <= 0.1, `concealed ${r.concealedPercent} %`);
});

test('recorded through the proxy, a 1 s outage every 8 s: concealed, not held as latency; never more concealed than the link was dark', () => {
  const r = replayTrace(recorded('stall'));
  assert.ok(r.targetMs < 100, `target ${r.targetMs} ms at the end`);
  assert.ok(r.concealedPercent <= 100 / 8, `concealed ${r.concealedPercent} %`);
});
