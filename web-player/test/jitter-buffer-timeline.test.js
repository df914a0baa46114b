// The jitter buffer keeps the media timeline through jumps in the packets' timestamps: the
// sender's DTX pauses (nothing sent while quiet) play as silence at their place, so the audio's
// latency, and the audio clock video follows, stay put; packets that never came are silence at
// their place too; packets that come late are still concealed. In simulated time: 20 ms packets
// arrive per a trace, the output pulls 128-sample blocks at 48 kHz. The audio is a ramp of its own
// media time on one channel, over a constant 1 on the other (faded, crossfaded and resampled
// alike), so every output sample says which media time it plays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JitterBuffer } from '../src/audio/jitter-buffer.js';

const RATE = 48_000;
const PACKET_MS = 20;
const PACKET_FRAMES = (RATE * PACKET_MS) / 1000;
const BLOCK = 128;
/** Ramp scale: sample k of the media timeline has the value k / RAMP (exact in a float up to 2^24). */
const RAMP = 2 ** 22;

/** @param {number} seed */
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The packet of media time mediaMs: the ramp, and its gain reference. @param {number} mediaMs */
function rampPacket(mediaMs) {
  const first = Math.round((mediaMs / 1000) * RATE);
  return [new Float32Array(PACKET_FRAMES).map((_, i) => (first + i) / RAMP), new Float32Array(PACKET_FRAMES).fill(1)];
}

/**
 * A talk with DTX: bursts of speech (contiguous packets) and pauses in which nothing is sent.
 * @param {number[]} pausesMs  one pause after each burst
 * @param {() => number} rnd
 * @returns {{ mediaMs: number[], bursts: [number, number][] }} packet times, and each burst's [start, end)
 */
function talk(pausesMs, rnd) {
  /** @type {number[]} */
  const mediaMs = [];
  /** @type {[number, number][]} */
  const bursts = [];
  let t = 0;
  for (const pause of pausesMs) {
    const start = t;
    const end = start + PACKET_MS * Math.round((500 + rnd() * 1500) / PACKET_MS);
    for (; t < end; t += PACKET_MS) mediaMs.push(t);
    bursts.push([start, end]);
    t += pause;
  }
  return { mediaMs, bursts };
}

/**
 * Plays packets (media time, arrival) through a buffer. Returns, per output sample that carries
 * audio, its output time and the media time it plays; and per block the buffer's figures.
 * @param {number[]} mediaMs @param {number[]} arrivalsMs in order
 * @param {number} untilMs @param {number} [floorMs]
 */
function play(mediaMs, arrivalsMs, untilMs, floorMs) {
  const jb = new JitterBuffer({ sampleRate: RATE, channels: 2, floorMs });
  const out = [new Float32Array(BLOCK), new Float32Array(BLOCK)];
  /** @type {{ outMs: number, mediaMs: number }[]} */
  const heard = [];
  /** @type {{ outMs: number, playoutMediaTimeMs: number, playing: boolean }[]} */
  const blocks = [];
  let next = 0;
  for (let block = 0; ; block++) {
    const tMs = (block * BLOCK * 1000) / RATE;
    if (tMs > untilMs) break;
    while (next < mediaMs.length && arrivalsMs[next] <= tMs) {
      jb.push(mediaMs[next], arrivalsMs[next], rampPacket(mediaMs[next]));
      next++;
    }
    const before = jb.stats();
    blocks.push({ outMs: tMs, playoutMediaTimeMs: before.playoutMediaTimeMs, playing: before.playing });
    jb.render(out);
    for (let i = 0; i < BLOCK; i++) {
      if (out[1][i] > 0.05) heard.push({ outMs: tMs + (i * 1000) / RATE, mediaMs: (((out[0][i] / out[1][i]) * RAMP) / RATE) * 1000 });
    }
  }
  return { jb, heard, blocks };
}

/** The median of numbers. @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Per burst of speech, the median latency (output time − media time) of what was heard of it.
 * @param {{ outMs: number, mediaMs: number }[]} heard @param {[number, number][]} bursts
 */
function latencyPerBurst(heard, bursts) {
  return bursts.map(([start, end]) => {
    const mine = heard.filter((h) => h.mediaMs >= start + 60 && h.mediaMs < end - 20);
    assert.ok(mine.length > 0, `nothing heard of the burst at ${start}-${end} ms`);
    return median(mine.map((h) => h.outMs - h.mediaMs));
  });
}

test('DTX pauses of 0.3-5 s play as silence at their place: latency and the audio clock hold, nothing concealed', () => {
  const rnd = mulberry32(21);
  const pauses = [300, 5000, 1200, 400, 2500, 300, 3700, 800, 5000, 600, 1900, 350, 4400, 1000, 300];
  const { mediaMs, bursts } = talk(pauses, rnd);
  // 40 ms of network, 0-10 ms of jitter, in order as over TCP.
  /** @type {number[]} */
  const arrivals = [];
  for (const m of mediaMs) arrivals.push(Math.max(arrivals.at(-1) ?? 0, m + 40 + rnd() * 10));
  const { jb, heard, blocks } = play(mediaMs, arrivals, (arrivals.at(-1) ?? 0) + 200);
  const latencies = latencyPerBurst(heard, bursts);
  const first = latencies[0];
  const worst = Math.max(...latencies.map((l) => Math.abs(l - first)));
  // Before: every pause was an underrun (25 here, 27.6 s of 57 counted as concealed), and the
  // audio clock stopped in each (it ran in 6711 of 17092 blocks).
  assert.ok(worst < 10, `latency per burst moved by up to ${worst.toFixed(1)} ms: ${latencies.map((l) => l.toFixed(0)).join(', ')}`);
  assert.ok(first > 40 && first < 40 + 10 + jb.targetMs + PACKET_MS, `latency ${first} ms`);
  assert.equal(jb.underruns, 0);
  assert.equal(jb.concealedSamples, 0);
  const pausedFrames = (pauses.slice(0, -1).reduce((a, b) => a + b, 0) / 1000) * RATE;
  assert.ok(Math.abs(jb.gapSamples - pausedFrames) < RATE * 0.05, `silence for the pauses: ${jb.gapSamples} samples, pauses ${pausedFrames}`);
  // The audio clock (what video follows) runs through the pauses at the media's pace: its offset
  // to the output's time is the latency, in speech and in silence alike.
  const clock = blocks.filter((b) => b.outMs > bursts[0][0] + first + 100 && b.playing);
  assert.ok(clock.length > blocks.length * 0.9, `the audio clock ran ${clock.length} of ${blocks.length} blocks`);
  const offsets = clock.map((b) => b.outMs - b.playoutMediaTimeMs);
  const spread = Math.max(...offsets) - Math.min(...offsets);
  assert.ok(spread < 30, `audio clock offset ${Math.min(...offsets).toFixed(1)}-${Math.max(...offsets).toFixed(1)} ms`);
});

test('packets that never came are silence at their place: the timeline holds, no underrun', () => {
  // 10 s of speech; three packets lost at 3 s, one at 6 s (the sender's queue dropped them).
  const lost = new Set([3000, 3020, 3040, 6000]);
  const mediaMs = [];
  for (let m = 0; m < 10_000; m += PACKET_MS) if (!lost.has(m)) mediaMs.push(m);
  const { jb, heard } = play(mediaMs, mediaMs.map((m) => m + 40), 10_200);
  const [before, after] = latencyPerBurst(heard, [[0, 3000], [6020, 10_000]]);
  assert.ok(Math.abs(after - before) < 3, `latency ${before.toFixed(1)} ms before the losses, ${after.toFixed(1)} after`);
  assert.equal(jb.underruns, 0);
  assert.ok(Math.abs(jb.gapSamples - 4 * PACKET_FRAMES) <= 2, `silence for the lost packets: ${jb.gapSamples} samples`);
});

test('a packet whose place on the timeline was written already (a duplicate, or too late) is dropped and counted', () => {
  /** @type {number[]} */
  const mediaMs = [];
  for (let m = 0; m < 2000; m += PACKET_MS) {
    mediaMs.push(m);
    if (m === 1040) mediaMs.push(1000, 1020); // sent again, after what came behind them
  }
  let arrivalMs = 0;
  const arrivals = mediaMs.map((m) => (arrivalMs = Math.max(arrivalMs, m + 40)));
  const { jb } = play(mediaMs, arrivals, 2200);
  assert.equal(jb.stats().latePackets, 2);
  assert.equal(jb.underruns, 0);
});

test('late packets are still concealed: in speech, and after a pause when the first packet comes late', () => {
  // Speech from 0 to 4 s, a pause to 6 s, speech to 10 s. 40 ms of network; the packets of
  // 2.0-2.3 s are held up until 2.64 s (a 300 ms stall); the first packet after the pause comes
  // 200 ms late, the rest of that burst with it.
  /** @type {number[]} */
  const mediaMs = [];
  for (let m = 0; m < 10_000; m += PACKET_MS) if (m < 4000 || m >= 6000) mediaMs.push(m);
  const arrivals = mediaMs.map((m) => (m >= 2000 && m < 2300 ? 2340 : m >= 6000 && m < 6200 ? 6240 : m + 40));
  const { jb } = play(mediaMs, arrivals, 10_200);
  assert.equal(jb.underruns, 2);
  const concealedMs = (jb.concealedSamples / RATE) * 1000;
  // 300 ms of stall and 200 ms of lateness, less what the buffer held (its target, ~20-30 ms, each time).
  assert.ok(concealedMs > 420 && concealedMs < 520, `concealed ${concealedMs.toFixed(0)} ms`);
  // The pause itself is not concealment.
  const gapMs = (jb.gapSamples / RATE) * 1000;
  assert.ok(gapMs > 1900 && gapMs < 2001, `silence for the pause ${gapMs.toFixed(0)} ms`);
});

for (const floorMs of [20, 150]) {
  test(`the publisher's DTX (a beep a second, a keep-alive packet every 400 ms of silence) for a minute, floor ${floorMs} ms: no drift`, () => {
    // SilenceGate: 100 ms of beep and 200 ms of hangover sent, then one packet 400 ms after the last
    // sent while quiet. Before: 120 underruns, 40.8 s of the minute concealed, and an audio clock
    // 129 ms behind the media time while what was heard played 43 ms after it (the clock took the
    // ring, which held packets without the pauses between them, for a contiguous timeline). With a
    // 150 ms floor, slowing down while the ring drained into each pause had put the audio up to
    // 40 ms later than the target (as the rate control held it within its deadband).
    /** @type {number[]} */
    const mediaMs = [];
    for (let s = 0; s < 60; s++) {
      for (let m = 0; m < 300; m += PACKET_MS) mediaMs.push(s * 1000 + m);
      for (let m = 280 + 400; m < 1000; m += 400) mediaMs.push(s * 1000 + m);
    }
    const { jb, heard, blocks } = play(mediaMs, mediaMs.map((m) => m + 40), 60_000, floorMs);
    /** The latest any audio heard in a second played, ms after its time. @param {number} fromMs */
    const latencyIn = (fromMs) => Math.max(...heard.filter((h) => h.outMs >= fromMs && h.outMs < fromMs + 1000).map((h) => h.outMs - h.mediaMs));
    const early = latencyIn(3000);
    const late = latencyIn(58_000);
    assert.ok(Math.abs(late - early) < 5, `latency up to ${early.toFixed(1)} ms at 3 s, ${late.toFixed(1)} ms at 58 s`);
    assert.ok(late < 40 + jb.targetMs + PACKET_MS, `latency ${late.toFixed(1)} ms, target ${jb.targetMs} ms`);
    // The audio clock says what is heard.
    const clockAt58 = blocks.filter((b) => b.outMs >= 58_000 && b.outMs < 59_000).map((b) => b.outMs - b.playoutMediaTimeMs);
    assert.ok(Math.abs(median(clockAt58) - late) < 5, `clock offset ${median(clockAt58).toFixed(1)} ms, heard ${late.toFixed(1)} ms`);
    assert.equal(jb.concealedSamples, 0);
  });
}
