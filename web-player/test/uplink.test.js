// The browser publisher's uplink policy: the bounded send queue (what is handed to the
// socket, what is dropped when the uplink falls behind) and the bitrate controller, on a fake clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UplinkQueue } from '../src/publish/uplink-queue.js';
import { HEADROOM, REPROBE_AFTER_MS, UplinkBitrate } from '../src/publish/uplink-bitrate.js';

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

test('after a drop each simulcast layer resumes only at its own keyframe', () => {
  const q = new UplinkQueue({ maxBytes: 1000, maxAgeMs: 500, lowWaterBytes: 100 });
  q.take(100, 0); // the socket is full: nothing leaves the queue
  // A picture of three layers, keyframes aligned. The bound is hit at layer 2's keyframe, which fits
  // once the queued video (layers 0's and 1's keyframes) is dropped.
  q.offerMedia(bytes(400), true, true, 0, 0);
  q.offerMedia(bytes(300), true, true, 0, 1);
  assert.deepEqual(q.offerMedia(bytes(400), true, true, 0, 2), { queued: true, congested: true });
  assert.equal(q.videoGated, true, 'layers 0 and 1 wait for a keyframe');
  assert.equal(q.offerMedia(bytes(10), true, false, 1, 0).queued, false, 'layer 0 without its keyframe');
  assert.equal(q.offerMedia(bytes(10), true, false, 1, 1).queued, false, 'layer 1 without its keyframe');
  assert.equal(q.offerMedia(bytes(10), true, false, 1, 2).queued, true, 'layer 2 past its keyframe');
  assert.equal(q.offerMedia(bytes(10), true, true, 2, 0).queued, true);
  assert.equal(q.offerMedia(bytes(10), true, false, 2, 0).queued, true, 'layer 0 past its keyframe');
  assert.equal(q.offerMedia(bytes(10), true, false, 2, 1).queued, false, 'layer 1 still waiting');
  assert.equal(q.offerMedia(bytes(10), true, true, 3, 1).queued, true);
  assert.equal(q.videoGated, false, 'every layer past its keyframe');
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

/**
 * The bitrate controller on synthetic traces, the same model as the Java agent's
 * UplinkRateEstimatorTest: an encoder that makes what it is told (30 fps, a keyframe five
 * frames big every 2 s) and 100 kbit/s of audio, a send queue that drops video past 1 s, a
 * socket and network that hold 100 KB beyond it (their delay is what a Ping would see), and a
 * bottleneck whose rate the trace sets. 10 ms steps; the controller looks every 100 ms.
 * `writerBps` is the most the sender hands the socket (a starved thread writes less);
 * `hiddenBytes` what the socket and the network beyond it hold (a proxy's queue); `relayCounts`:
 * the relay's Pongs (every 200 ms) say what crossed the bottleneck.
 * @param {UplinkBitrate} b @param {number} seconds @param {(ms: number) => number} linkBps
 * @param {(ms: number) => number} [writerBps] @param {number} [hiddenBytes] @param {boolean} [relayCounts]
 */
function runTrace(b, seconds, linkBps, writerBps = () => Infinity, hiddenBytes = 100_000, relayCounts = true) {
  let queued = 0;
  let queuedVideo = 0;
  let hidden = 0;
  let written = 0;
  let delivered = 0; // through the bottleneck: what the relay received
  /** @type {import('../src/transport/connection.js').RelayReceipt | undefined} */
  let receipt;
  let dropped = 0;
  let frame = 0;
  const targets = [b.currentBps];
  const drops = [0];
  for (let now = 0; now <= seconds * 1000; now += 10) {
    const link = linkBps(now);
    const writer = writerBps(now);
    const drain = Math.min(link, writer); // what empties the send queue
    if (now % 30 === 0) {
      const average = (b.currentBps / 8) * 0.03;
      const size = frame++ % 66 === 0 ? average * 5 : (average * 61) / 65;
      queued += size;
      queuedVideo += size;
    }
    if (now % 20 === 0) queued += (AUDIO_BPS / 8) * 0.02;
    if ((queued / drain) * 8 > 1) {
      queued -= queuedVideo;
      queuedVideo = 0;
      dropped++;
      b.onOverflow(now);
    }
    const move = Math.min(queued, hiddenBytes - hidden, (writer / 8) * 0.01);
    queued -= move;
    queuedVideo = Math.min(queuedVideo, queued);
    hidden += move;
    written += Math.trunc(move);
    const through = Math.min(hidden, (link / 8) * 0.01);
    hidden -= through;
    delivered += through;
    if (relayCounts && now % 200 === 0) receipt = { bytes: Math.trunc(delivered), atRelayMs: now };
    if (now % 100 === 0) b.onSample(now, written, ((queued * 8) / drain) * 1000, ((hidden * 8) / link) * 1000, receipt);
    if (now % 1000 === 0 && now > 0) {
      targets.push(b.currentBps);
      drops.push(dropped);
    }
  }
  return { targets, droppedAfter: (/** @type {number} */ second) => drops[drops.length - 1] - drops[second] };
}

const MAX_BPS = 2_500_000;
const AUDIO_BPS = 100_000;
const newBitrate = (startBps = MAX_BPS) => new UplinkBitrate({ maxBps: MAX_BPS, startBps, floorBps: 200_000, otherBps: AUDIO_BPS });
/** @param {number} bps @param {string} what */
const inBand = (bps, what) => assert.ok(bps >= 1_200_000 && bps <= 1_450_000, `${what}: ${bps}`);

test('through a constant 1.5 Mbit/s bottleneck the bitrate settles below it within 15 s and stays', () => {
  const t = runTrace(newBitrate(), 90, () => 1_500_000);
  for (let s = 15; s <= 90; s++) inBand(t.targets[s], `video bitrate at ${s} s`);
  assert.equal(t.droppedAfter(15), 0, 'video drops once settled');
});

test('probing holds at the headroom below the remembered rate before it goes past it', () => {
  const t = runTrace(newBitrate(), 90, () => 1_500_000);
  const headroomVideoBps = HEADROOM * 1_500_000 - AUDIO_BPS;
  let longestHold = 0;
  let hold = 0;
  for (let s = 16; s <= 90; s++) {
    const held = t.targets[s] === t.targets[s - 1] && Math.abs(t.targets[s] - headroomVideoBps) < 0.02 * headroomVideoBps;
    hold = held ? hold + 1 : 0;
    longestHold = Math.max(longestHold, hold);
  }
  assert.ok(longestHold >= REPROBE_AFTER_MS / 1000 - 1, `held ${longestHold} s near ${headroomVideoBps} (per second: ${t.targets})`);
});

test('a queue filling beyond the socket is not taken for the link\'s rate', () => {
  // A proxy that takes 1.7 Mbit/s into a 400 KB queue it sends on at 1.5 (as UplinkRateEstimatorTest)
  const b = newBitrate();
  runTrace(b, 8, () => 1_500_000, () => 1_700_000, 400_000, false); // a relay that does not count what it received
  assert.ok(b.capacityBps >= 1_500_000 * 0.95 && b.capacityBps <= 1_500_000 * 1.05, `measured ${b.capacityBps}`);
});

test('a queue beyond the socket is measured by the relay\'s counts at the first over-use', () => {
  // as UplinkRateEstimatorTest: 2.6 Mbit/s written into a link now at 1.5, the queue growing beyond the socket
  const b = newBitrate();
  let written = 0;
  let received = 0;
  for (let now = 0; now <= 2000 && b.decreases === 0; now += 100) {
    written += 2_600_000 / 8 / 10;
    received += 1_500_000 / 8 / 10;
    const beyond = now < 1000 ? 0 : 60 + ((now - 1000) * 400) / 1000;
    b.onSample(now, written, 0, beyond, { bytes: received, atRelayMs: 7000 + now });
  }
  assert.equal(b.decreases, 1, 'an over-use');
  assert.equal(b.currentBps, 1_750_000, 'cut by 30 %, towards 0.9 of the counted 1.5 Mbit/s');
  assert.ok(Math.abs(b.capacityBps - 1_500_000) < 1000, `measured ${b.capacityBps}`);
});

test('the bitrate follows a dip and climbs back to the cap', () => {
  const t = runTrace(newBitrate(), 100, (ms) => (ms >= 10_000 && ms < 40_000 ? 1_500_000 : 4_000_000));
  for (let s = 1; s <= 10; s++) assert.equal(t.targets[s], MAX_BPS, `before the dip, at ${s} s`);
  for (let s = 25; s <= 40; s++) inBand(t.targets[s], `in the dip, at ${s} s`);
  // after the hold at the headroom below the dip's rate; each step of the climb is bounded by the video that drained,
  // which a second without a keyframe lowers (as UplinkRateEstimatorTest)
  assert.equal(t.targets[90], MAX_BPS, `50 s after the dip (per second: ${t.targets})`);
  assert.equal(t.droppedAfter(50), 0);
});

test('past a remembered rate that was too low, probing stops while the queue builds', () => {
  // as UplinkRateEstimatorTest: 1.3 Mbit/s, then 1.5; no step up from 3 % above the link
  const t = runTrace(newBitrate(), 90, (ms) => (ms < 30_000 ? 1_300_000 : 1_500_000));
  const changes = [];
  for (let s = 30; s <= 90; s++) if (t.targets[s] !== t.targets[s - 1]) changes.push(t.targets[s]);
  for (let i = 2; i < changes.length; i++) {
    const twoStepsUp = changes[i] > changes[i - 1] && changes[i - 1] > changes[i - 2];
    assert.ok(!(twoStepsUp && changes[i - 1] + AUDIO_BPS > 1_500_000 * 1.03), `a step up from 3 % above the link: ${changes}`);
  }
  assert.ok(t.targets[90] > 1_200_000, `it did find the better link: ${t.targets[90]}`);
});

test('a sender starved while it backs off does not hold the bitrate low afterwards', () => {
  // as UplinkRateEstimatorTest: the sender writes only 800 kbit/s from 4 to 5.5 s, while the bitrate comes down to the link,
  // measured by what was written; the relay's counts see the link busy while the socket's buffer lasts
  const starved = (/** @type {number} */ ms) => (ms >= 4_000 && ms < 5_500 ? 800_000 : Infinity);
  const t = runTrace(newBitrate(), 60, () => 1_500_000, starved, 100_000, false);
  assert.ok(t.targets.slice(4, 8).some((bps) => bps < 1_000_000), `the starvation is seen as over-use: ${t.targets}`);
  const counted = runTrace(newBitrate(), 60, () => 1_500_000, starved);
  assert.ok(Math.min(...counted.targets.slice(4, 8)) > Math.min(...t.targets.slice(4, 8)),
    `measured by the relay's counts, a smaller cut: ${counted.targets}`);
  for (let s = 20; s <= 60; s++) inBand(t.targets[s], `video bitrate at ${s} s (per second: ${t.targets})`);
  assert.equal(t.droppedAfter(20), 0, 'video drops once settled again');
});

test('without congestion the bitrate climbs to the cap and no further', () => {
  const b = newBitrate(400_000);
  const t = runTrace(b, 60, () => 100_000_000);
  assert.deepEqual(t.targets, [...t.targets].sort((x, y) => x - y));
  assert.ok(t.targets[10] >= 500_000 && t.targets[10] <= 800_000, `multiplicative, a few % a second: ${t.targets[10]}`);
  assert.equal(t.targets[50], MAX_BPS);
  assert.equal(b.decreases, 0);
});

test('an encoder that makes less than asked does not run the bitrate away', () => {
  const b = newBitrate(400_000);
  let sent = 0;
  for (let now = 0; now <= 60_000; now += 100) {
    sent += Math.min(b.currentBps, 500_000) / 8 / 10 + AUDIO_BPS / 8 / 10; // stuck at 500 kbit/s
    b.onSample(now, sent, 0, 0);
  }
  assert.ok(b.currentBps <= 551_000, `1.1 times the video that drained (and rounding): ${b.currentBps}`);
});

test('the link\'s rate is what the relay received while backlogged', () => {
  // as UplinkRateEstimatorTest: backlogged for 2 s writing 1.5 Mbit/s while the Pings' round trips grow by
  // 300 ms for another reason (a busy machine); what was written, corrected for that "queue", reads 13 % low
  const counted = newBitrate();
  const uncounted = newBitrate();
  let written = 0;
  for (let now = 0; now <= 2000; now += 100) {
    written += 1_500_000 / 8 / 10;
    const rtt = (now * 300) / 2000;
    counted.onSample(now, written, 200, rtt, { bytes: written - 20_000, atRelayMs: 5_000_000 + now - 150 });
    uncounted.onSample(now, written, 200, rtt);
  }
  counted.onOverflow(2000);
  uncounted.onOverflow(2000);
  assert.ok(Math.abs(counted.capacityBps - 1_500_000) < 1000, `from the relay's counts: ${counted.capacityBps}`);
  assert.ok(Math.abs(uncounted.capacityBps - 1_500_000 / 1.15) < 20_000, `from what was written: ${uncounted.capacityBps}`);
});

test('an overflow backs off at once towards what drained, by at most 30 %, at most once a second', () => {
  const b = newBitrate();
  assert.equal(b.onOverflow(0), true);
  assert.equal(b.currentBps, 2_250_000, 'nothing drained yet: by the backoff factor');
  let sent = 0;
  const gentle = newBitrate();
  for (let now = 100; now <= 2000; now += 100) {
    sent += 1_000_000 / 8 / 10;
    b.onSample(now, sent, 100, 0); // the send queue backlogged: the socket is full, what drained is the link's rate
    gentle.onSample(now, sent, 0, 0);
  }
  assert.equal(gentle.onOverflow(2000), true);
  assert.equal(gentle.currentBps, 2_250_000, 'no backlog measured the link: by 10 % at most');
  assert.equal(b.onOverflow(2000), true);
  assert.equal(b.currentBps, 1_575_000, 'by at most 30 %');
  assert.equal(b.onOverflow(2500), false, 'held for a second');
  b.onOverflow(3500);
  assert.equal(b.currentBps, 1_102_500);
  b.onOverflow(4500);
  assert.equal(b.currentBps, Math.trunc(0.9 * 1_000_000 - AUDIO_BPS), '0.9 of what drained, less the audio');
  assert.equal(b.decreases, 4);
});

test('through a capped uplink the queue and the bitrate settle below the cap (fake clock)', () => {
  const capBytesPerSecond = 125_000; // 1 Mbit/s
  const audioBps = 32_000;
  const q = new UplinkQueue({ maxBytes: 1 << 20, maxAgeMs: 500, lowWaterBytes: 16_384 });
  const b = new UplinkBitrate({ maxBps: 2_500_000, otherBps: audioBps });
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
      if (congested) b.onOverflow(t);
    }
    if (q.readyForKeyframe(t)) keyframeWanted = true;
    if (t % 250 === 0) b.onSample(t, q.drainedBytes, q.oldestMediaAgeMs(t), q.networkDelayMs);
    socket.advance(10);
    socket.pump(q, t);
  }
  assert.equal(q.counters.audioDropped, 0, 'audio continuous');
  assert.ok(audioQueued >= 2990);
  assert.ok(b.currentBps + audioBps < capBytesPerSecond * 8, `settled at ${b.currentBps} bit/s`);
  assert.ok(b.currentBps + audioBps > capBytesPerSecond * 8 * 0.75, `not far below: ${b.currentBps} bit/s`);
  assert.ok(q.counters.congestions >= 1 && q.counters.videoSent > 1000, 'video degraded, not stopped');
});
