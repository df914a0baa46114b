// The delay manager alone: packets' arrivals in, the target delay out (no playout). Packets of
// 20 ms, arrivals in order as over TCP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelayManager } from '../src/audio/delay-manager.js';

const PACKET_MS = 20;

/** @param {number} seed */
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Feeds packets sent every 20 ms of media time; returns the target after each, by media time.
 * @param {DelayManager} dm @param {number} seconds
 * @param {(sendMs: number, i: number) => number} arrivalOf
 */
function feed(dm, seconds, arrivalOf, floorMs = 20, ceilingMs = 1000) {
  /** @type {{ mediaMs: number, targetMs: number }[]} */
  const targets = [];
  let last = -Infinity;
  for (let i = 0; i < (seconds * 1000) / PACKET_MS; i++) {
    last = Math.max(last, arrivalOf(i * PACKET_MS, i));
    dm.noteArrival(i * PACKET_MS, last, PACKET_MS);
    targets.push({ mediaMs: i * PACKET_MS, targetMs: dm.targetMs(floorMs, ceilingMs) });
  }
  return targets;
}

test('a clean link: no lateness, the target sits at the floor', () => {
  const dm = new DelayManager();
  feed(dm, 20, (send) => send + 35);
  assert.equal(dm.jitterMs, 0);
  assert.equal(dm.targetMs(20, 1000), 20);
  assert.equal(dm.targetMs(60, 1000), 60);
});

test('uniform jitter: the target is the 97th percentile of lateness, half a packet and the margin', () => {
  const rnd = mulberry32(4);
  const dm = new DelayManager();
  feed(dm, 30, (send) => send + 40 + rnd() * 60);
  // Lateness above the recent fastest packet: up to ~60 ms; its 97th percentile ~55-60.
  assert.ok(dm.jitterMs > 48 && dm.jitterMs <= 60, `jitter ${dm.jitterMs}`);
  assert.equal(dm.targetMs(20, 1000), dm.jitterMs + PACKET_MS / 2 + 10);
  assert.equal(dm.targetMs(20, 50), 50);
});

test('the quantile and the forget factor are settings: a median sits lower, a longer memory holds longer', () => {
  const rnd = mulberry32(5);
  const arrival = (/** @type {number} */ send) => send + 40 + rnd() * 60;
  const median = new DelayManager({ quantile: 0.5 });
  feed(median, 30, arrival);
  assert.ok(median.jitterMs > 15 && median.jitterMs < 40, `median ${median.jitterMs}`);
  // Jitter for 10 s, then a clean link: the default (~2 s of packets) comes down within 10 s,
  // a memory of ~1000 packets (20 s) does not.
  const jitterThenClean = (/** @type {number} */ send) => (send < 10_000 ? send + 40 + rnd() * 60 : send + 40);
  const quick = feed(new DelayManager(), 20, jitterThenClean);
  const slow = feed(new DelayManager({ forgetFactor: 0.999 }), 20, jitterThenClean);
  const at = (/** @type {{ mediaMs: number, targetMs: number }[]} */ t, /** @type {number} */ ms) => t.find((x) => x.mediaMs >= ms)?.targetMs ?? NaN;
  assert.ok(at(quick, 9000) > 60, `with jitter ${at(quick, 9000)}`);
  assert.equal(at(quick, 19_000), 20);
  assert.ok(at(slow, 19_000) > 60, `a long memory still holds ${at(slow, 19_000)}`);
  assert.throws(() => new DelayManager({ quantile: 1.5 }), RangeError);
});

test('the backlog of one stall counts a few packets, not all: one stall does not raise the target; stalls that recur do', () => {
  const rnd = mulberry32(6);
  const once = new DelayManager();
  const targets = feed(once, 20, (send) => {
    const normal = send + 40 + rnd() * 5;
    return normal >= 10_000 && normal < 10_500 ? 10_500 : normal; // 25 packets at once after 500 ms
  });
  assert.ok(Math.max(...targets.filter((t) => t.mediaMs > 10_000).map((t) => t.targetMs)) <= 30, 'the target stayed low');
  // A 500 ms stall every second is the network: the target covers it.
  const recurring = new DelayManager();
  feed(recurring, 20, (send) => Math.ceil((send + 1) / 1000) * 1000 + 40);
  assert.ok(recurring.jitterMs > 900, `recurring ${recurring.jitterMs}`);
});

test('a GOP-cache backlog at start, and a queue that drains after it, are not jitter', () => {
  const rnd = mulberry32(7);
  // 2 s of packets wait at the relay and arrive at once at 2 s, then live.
  const dm = new DelayManager();
  feed(dm, 10, (send) => Math.max(2000, send + 5 + rnd() * 5));
  assert.ok(dm.targetMs(20, 1000) <= 30, `target ${dm.targetMs(20, 1000)}`);
  // The same backlog through a link 1.5x the stream's rate: delays fall for seconds.
  const draining = new DelayManager();
  feed(draining, 12, (send, i) => Math.max(2000 + i * 13.3, send + 5 + rnd() * 5));
  assert.ok(draining.targetMs(20, 1000) <= 30, `target ${draining.targetMs(20, 1000)}`);
});

test('reset forgets the arrivals', () => {
  const dm = new DelayManager();
  feed(dm, 10, (send) => Math.ceil((send + 1) / 200) * 200);
  assert.ok(dm.jitterMs > 100);
  dm.reset();
  assert.equal(dm.jitterMs, 0);
});

test('a reordered packet (not newer than the newest seen) is not measured', () => {
  // Runs of five packets on a clean link, every other run delivered before the one it follows:
  // measured, the older run's media time behind the newest would count as 200 ms of lateness.
  const unordered = new DelayManager();
  for (let i = 0; i < 1000; i++) {
    const run = Math.floor(i / 5);
    const media = (run % 2 === 0 ? run + 1 : run - 1) * 100 + (i % 5) * PACKET_MS;
    unordered.noteArrival(media, 50 + i * PACKET_MS, PACKET_MS);
  }
  assert.equal(unordered.targetMs(20, 1000), 20);
});
