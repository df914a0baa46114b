// The browser publisher's uplink policy: the bounded send queue (what is handed to the
// socket, what is dropped when the uplink falls behind) and the bitrate controller, on a fake clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UplinkQueue } from '../src/publish/uplink-queue.js';
import { UplinkBitrate } from '../src/publish/uplink-bitrate.js';

const bytes = (/** @type {number} */ n) => new Uint8Array(n);

/**
 * A fake socket that sends `bytesPerSecond`: what the queue hands it is buffered
 * (bufferedAmount) and drains at that rate as the fake clock advances.
 */
class FakeSocket {
  /** @param {number} bytesPerSecond */
  constructor(bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
    this.bufferedAmount = 0;
    /** @type {import('../src/publish/uplink-queue.js').QueuedMessage[]} */
    this.sent = [];
  }
  /** @param {number} ms */
  advance(ms) {
    this.bufferedAmount = Math.max(0, this.bufferedAmount - (this.bytesPerSecond * ms) / 1000);
  }
  /** @param {UplinkQueue} queue @param {number} nowMs */
  pump(queue, nowMs) {
    for (const item of queue.take(this.bufferedAmount, nowMs)) {
      this.bufferedAmount += item.bytes.length;
      this.sent.push(item);
    }
  }
}

test('video waits for a keyframe; messages go to the socket only below the low-water mark', () => {
  const q = new UplinkQueue({ maxBytes: 100_000, maxAgeMs: 500, lowWaterBytes: 1000 });
  assert.deepEqual(q.offerMedia(bytes(100), true, false, 0), { queued: false, congested: false });
  assert.equal(q.counters.videoDropped, 1);
  assert.equal(q.offerMedia(bytes(800), true, true, 0).queued, true);
  assert.equal(q.offerMedia(bytes(800), true, false, 0).queued, true);
  q.offerControl(bytes(10), 0, true); // a ping goes first
  const sent = q.take(0, 1);
  assert.deepEqual(sent.map((m) => m.kind), ['control', 'video', 'video'].slice(0, sent.length));
  assert.equal(sent.length, 3, 'below the low-water mark when each was taken');
  assert.equal(q.take(1500, 2).length, 0);
  assert.equal(q.counters.videoSent, 2);
});

test('an uplink that falls behind drops video to the next keyframe, keeps audio and control', () => {
  const q = new UplinkQueue({ maxBytes: 100_000, maxAgeMs: 500, lowWaterBytes: 1000 });
  q.take(5000, 0); // the socket is full: nothing leaves the queue
  q.offerControl(bytes(50), 0);
  q.offerMedia(bytes(3000), true, true, 0);
  q.offerMedia(bytes(100), false, false, 0);
  q.offerMedia(bytes(3000), true, false, 10);
  // Over the age bound: queued video goes, this delta too, and the following until a keyframe.
  const r = q.offerMedia(bytes(3000), true, false, 600);
  assert.deepEqual(r, { queued: false, congested: true });
  assert.equal(q.counters.congestions, 1);
  assert.equal(q.counters.videoDropped, 3);
  assert.deepEqual(q.items.map((m) => m.kind), ['control', 'audio']);
  assert.equal(q.offerMedia(bytes(100), true, false, 610).queued, false, 'still waiting for a keyframe');
  assert.equal(q.counters.congestions, 1, 'one episode, counted once');
  assert.equal(q.offerMedia(bytes(100), false, false, 610).queued, true, 'audio goes on');
});

test('a backlog hidden below bufferedAmount (the delay a Ping met) counts against the age bound', () => {
  const q = new UplinkQueue({ maxBytes: 1 << 20, maxAgeMs: 500, lowWaterBytes: 16_000 });
  q.offerMedia(bytes(1000), true, true, 0);
  q.take(0, 0); // the socket took it: bufferedAmount says nothing is waiting
  q.observeNetworkDelay(400);
  assert.deepEqual(q.offerMedia(bytes(1000), true, false, 100), { queued: true, congested: false });
  q.observeNetworkDelay(800); // the browser's network process and the kernel hold 0.8 s
  assert.deepEqual(q.offerMedia(bytes(1000), true, false, 200), { queued: false, congested: true });
  assert.equal(q.offerMedia(bytes(1000), false, false, 200).queued, true, 'audio goes on');
  assert.equal(q.readyForKeyframe(200), false, 'no keyframe asked for onto a full link');
  q.observeNetworkDelay(300);
  assert.equal(q.readyForKeyframe(250), false, 'not before the backlog is down to half the bound');
  q.observeNetworkDelay(100);
  assert.equal(q.readyForKeyframe(300), true);
  assert.equal(q.offerMedia(bytes(1000), true, true, 300).queued, true, 'video resumes at a keyframe once it drained');
  assert.equal(q.readyForKeyframe(300), false, 'video flows: no keyframe wanted');
});

test('audio is dropped only when no video is left to drop', () => {
  const q = new UplinkQueue({ maxBytes: 1000, maxAgeMs: 10_000, lowWaterBytes: 100 });
  q.take(200, 0);
  q.offerMedia(bytes(500), true, true, 0);
  q.offerMedia(bytes(200), false, false, 0);
  // This audio would break the byte bound: the queued video is dropped instead.
  assert.deepEqual(q.offerMedia(bytes(200), false, false, 1), { queued: true, congested: true });
  assert.equal(q.counters.videoDropped, 1);
  assert.equal(q.counters.audioDropped, 0);
  // Now only audio is queued (and the socket holds 200): the next one over the bound is dropped.
  q.offerMedia(bytes(300), false, false, 2);
  assert.deepEqual(q.offerMedia(bytes(300), false, false, 3), { queued: false, congested: false });
  assert.equal(q.counters.audioDropped, 1);
});

test('the drain rate is what the socket sent, measured from bufferedAmount', () => {
  const q = new UplinkQueue({ maxBytes: 1 << 20, maxAgeMs: 10_000, lowWaterBytes: 16_000 });
  const socket = new FakeSocket(125_000); // 1 Mbit/s
  q.offerMedia(bytes(1000), true, true, 0);
  for (let t = 0; t <= 3000; t += 10) {
    q.offerMedia(bytes(2000), true, false, t); // 1.6 Mbit/s offered
    socket.advance(10);
    socket.pump(q, t);
  }
  assert.ok(Math.abs(q.drainRateBytesPerSecond - 125_000) < 5000, `drain ${q.drainRateBytesPerSecond}`);
  assert.ok(q.backlogBytes <= 1 << 20);
});

test('reset empties the queue and gates video until a keyframe', () => {
  const q = new UplinkQueue();
  q.offerMedia(bytes(10), true, true, 0);
  q.offerMedia(bytes(10), false, false, 0);
  q.reset();
  assert.equal(q.queuedBytes, 0);
  assert.deepEqual([q.counters.videoDropped, q.counters.audioDropped], [1, 1]);
  assert.equal(q.offerMedia(bytes(10), true, false, 1).queued, false);
});

test('bad bounds are refused', () => {
  assert.throws(() => new UplinkQueue({ maxBytes: 0 }), RangeError);
});

test('congestion lowers the bitrate to what drained, at most once a second, never below the floor', () => {
  const b = new UplinkBitrate({ targetBps: 2_000_000, floorBps: 200_000 });
  assert.equal(b.onCongestion(0, 1_000_000, 32_000), true);
  assert.equal(b.currentBps, Math.round(1_000_000 * 0.85 - 32_000));
  assert.equal(b.onCongestion(500, 100_000, 32_000), false, 'held for a second');
  assert.equal(b.onCongestion(1500, NaN, 32_000), true, 'no drain rate: by 30 %');
  assert.equal(b.currentBps, Math.round(818_000 * 0.7));
  b.onCongestion(3000, 50_000, 32_000);
  assert.equal(b.currentBps, 200_000);
  assert.equal(b.decreases, 3);
});

test('the bitrate goes up only after the backlog stayed short for a while, up to the target', () => {
  const b = new UplinkBitrate({ targetBps: 1_000_000, raiseAfterMs: 5000 });
  b.onCongestion(0, 500_000, 0);
  const low = b.currentBps;
  assert.equal(b.onTick(4000, true), false);
  assert.equal(b.onTick(4500, false), false, 'a long backlog restarts the wait');
  assert.equal(b.onTick(9000, true), false);
  assert.equal(b.onTick(9500, true), true);
  assert.equal(b.currentBps, Math.round(low * 1.1) + 1);
  assert.equal(b.onTick(10_000, true), false, 'one step per wait');
  let t = 10_000;
  while (b.currentBps < 1_000_000 && t < 200_000) b.onTick((t += 250), true);
  assert.equal(b.currentBps, 1_000_000);
  assert.equal(b.onTick(t + 10_000, true), false);
});

test('through a capped uplink the queue and the bitrate settle below the cap (fake clock)', () => {
  const capBytesPerSecond = 125_000; // 1 Mbit/s
  const audioBps = 32_000;
  const q = new UplinkQueue({ maxBytes: 1 << 20, maxAgeMs: 500, lowWaterBytes: 16_384 });
  const b = new UplinkBitrate({ targetBps: 2_500_000, raiseAfterMs: 5000 });
  const socket = new FakeSocket(capBytesPerSecond);
  let audioQueued = 0;
  let keyframeWanted = false;
  for (let t = 0; t < 60_000; t += 10) {
    if (t % 20 === 0) audioQueued += q.offerMedia(bytes(audioBps / 8 / 50), false, false, t).queued ? 1 : 0;
    if (t % 30 === 0) {
      const size = Math.round(b.currentBps / 8 / 33);
      const key = t % 1980 === 0 || keyframeWanted; // every 2 s, and when the queue is ready for one after a drop
      keyframeWanted = false;
      const { congested } = q.offerMedia(bytes(key ? size * 5 : size), true, key, t);
      if (congested) b.onCongestion(t, q.drainRateBytesPerSecond * 8, audioBps);
    }
    if (q.readyForKeyframe(t)) keyframeWanted = true;
    if (t % 250 === 0) b.onTick(t, (q.backlogBytes * 8 * 1000) / (b.currentBps + audioBps) < 100);
    socket.advance(10);
    socket.pump(q, t);
  }
  assert.equal(q.counters.audioDropped, 0, 'audio continuous');
  assert.ok(audioQueued >= 2990);
  assert.ok(b.currentBps + audioBps < capBytesPerSecond * 8, `settled at ${b.currentBps} bit/s`);
  assert.ok(q.counters.congestions >= 1 && q.counters.videoSent > 1000, 'video degraded, not stopped');
});
