// The WebCodecs renderer against a fake VideoDecoder and canvas (its collaborators): a decode
// error restarts it at the next keyframe, counted; a join's GOP backlog is decoded without
// being drawn, and the first frame drawn is the live edge; a new layer reconfigures the same decoder.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { TrackConfigSchema } from '../src/gen/tunnelcast/v1/tunnelcast_pb.js';
import { FakeVideoDecoder } from './support/fake-video-decoder.js';

/** @typedef {import('../src/worker/messages.js').VideoPacket} VideoPacket */
/** @typedef {Pick<VideoFrame, 'timestamp' | 'close'>} FakeFrame  what the renderer reads of a decoded frame */

/** @type {FakeVideoDecoder[]} the decoders made in this test (FakeVideoDecoder.made) */
let decoders = [];
/** @type {number[]} the timestamps of the frames drawn on the canvas */
const drawn = [];

/** An EncodedVideoChunk without its bytes: the fake decoder only passes its timestamp on. */
class FakeChunk {
  /** @param {EncodedVideoChunkInit} init */
  constructor({ type, timestamp }) {
    this.type = type;
    this.timestamp = timestamp;
  }
}

// The renderer reads a browser's globals; the fakes stand in for the parts of them it uses.
Object.assign(globalThis, {
  VideoDecoder: FakeVideoDecoder,
  EncodedVideoChunk: FakeChunk,
  document: { createElement: () => ({ width: 0, height: 0, getContext: () => ({ drawImage: (/** @type {FakeFrame} */ frame) => drawn.push(frame.timestamp) }) }) },
});
const { WebCodecsRenderer } = await import('../src/video/webcodecs-renderer.js');
const { noDrops } = await import('../src/video/frame-drops.js');

const config = create(TrackConfigSchema, { codec: 'avc1.42e01e', decoderConfig: new Uint8Array([1]), width: 640, height: 360, trackId: 1 });
/** @returns {VideoPacket} the i-th packet of a 30 fps stream, a keyframe every 30 */
const packet = (/** @type {number} */ i, keyframe = i % 30 === 0) => ({ trackId: 1, ptsMicros: i * 33_333, durationMicros: 33_333, keyframe,
  captureTimeMicros: 0, payload: new Uint8Array([0]), arrivalEpochMs: 0 });

beforeEach(() => {
  FakeVideoDecoder.reset();
  decoders = FakeVideoDecoder.made;
  drawn.length = 0;
});

test('a decode error restarts the decoder at the next keyframe and is counted', async () => {
  const r = new WebCodecsRenderer();
  await r.configure(config);
  for (let i = 0; i < 5; i++) r.push(packet(i));
  decoders[0].flushAll();
  r.tick(NaN, 0);
  assert.deepEqual(drawn, [4 * 33_333]);
  assert.deepEqual(r.figures().framesDroppedBy, { ...noDrops(), catchUp: 4 }, 'the first tick: frames 0-3 are the join backlog');
  r.push(packet(5));
  r.push(packet(6)); // in the decoder when it fails

  decoders[0].fail();
  await new Promise((resolve) => queueMicrotask(() => resolve(null)));
  assert.equal(decoders.length, 2, 'a new decoder');
  assert.equal(r.figures().decodeErrors, 1);
  assert.equal(r.figures().recoveries, 1);
  assert.equal(r.figures().waitingForKeyframe, true);
  for (let i = 7; i < 30; i++) r.push(packet(i)); // deltas of the broken GOP: skipped
  assert.equal(decoders[1].chunks.length, 0);
  for (let i = 30; i < 33; i++) r.push(packet(i));
  assert.deepEqual(decoders[1].chunks.map((c) => c.type), ['key', 'delta', 'delta']);
  decoders[1].flushAll();
  r.tick(NaN, 100);
  assert.equal(drawn.at(-1), 32 * 33_333, 'frames advance again');
  const by = r.figures().framesDroppedBy;
  assert.equal(by.decodeError, 2 + 23, 'frames 5-6 lost in the decoder, 7-29 skipped until the keyframe');
  assert.equal(by.catchUp, 4 + 2, 'frames 30-31: decoded, but 32 was due at the first tick after the restart (a join again)');
  assert.equal(r.figures().framesDropped, by.catchUp + by.decodeError);
});

test('join: the GOP backlog is decoded but not drawn; the first frame drawn is at the live edge', async () => {
  const r = new WebCodecsRenderer();
  await r.configure(config);
  for (let i = 0; i < 60; i++) r.push(packet(i)); // 2 s of backlog at once
  const masterMs = (59 * 33_333) / 1000; // the audio already plays the live edge
  // The decoder works through the backlog a few frames per animation frame.
  for (let t = 0; decoders[0].chunks.length; t += 16) {
    for (const c of decoders[0].chunks.splice(0, 4)) decoders[0].output({ timestamp: c.timestamp, close() {} });
    r.tick(masterMs, t);
  }
  r.tick(masterMs, 1000);
  assert.deepEqual(drawn, [59 * 33_333]);
  assert.ok(r.framesSkippedAtJoin >= 50, `skipped ${r.framesSkippedAtJoin}`);
  assert.deepEqual(r.figures().framesDroppedBy, { ...noDrops(), catchUp: 59 }, 'every frame but the one drawn: catch-up');
  assert.equal(r.figures().framesDropped, 59);
});

test('steady state: a due frame is drawn even with newer packets a little ahead', async () => {
  const r = new WebCodecsRenderer();
  await r.configure(config);
  r.push(packet(0));
  decoders[0].flushAll();
  r.tick(0, 0);
  for (let i = 1; i < 10; i++) r.push(packet(i));
  decoders[0].flushAll();
  r.tick((5 * 33_333) / 1000, 16);
  assert.deepEqual(drawn, [0, 5 * 33_333]);
  assert.deepEqual(r.figures().framesDroppedBy, { ...noDrops(), late: 4 }, 'frames 1-4: decoded, but 5 was due');
});

test('decoded frames past the held-frame bound are closed and dropped as queue full', async () => {
  /** @type {[number | undefined, number][]} */
  const bounds = [[undefined, 30], [12, 12]];
  for (const [maxHeldFrames, bound] of bounds) {
    const r = new WebCodecsRenderer({ maxHeldFrames });
    await r.configure(config);
    /** @type {boolean[]} */
    const closed = [];
    for (let i = 0; i < 40; i++) {
      r.push(packet(i));
      // decoded in time, but nothing is drawn (no animation frames: a hidden tab)
      for (const c of decoders.at(-1)?.chunks.splice(0) ?? []) {
        const index = closed.push(false) - 1;
        decoders.at(-1)?.output({ timestamp: c.timestamp, close() { closed[index] = true; } });
      }
    }
    assert.deepEqual(r.figures().framesDroppedBy, { ...noDrops(), queueFull: 40 - bound }, `bound ${bound}`);
    assert.deepEqual(closed, closed.map((_, i) => i < 40 - bound), 'the oldest are closed, the newest held');
  }
});

test('a frame is drawn at the tick where the audio clock, at its measured speed, reaches it', async () => {
  const r = new WebCodecsRenderer();
  await r.configure(config);
  r.push(packet(0));
  decoders[0].flushAll();
  r.tick(0, 0); // the first frame (the join)
  r.push(packet(1)); // 33.3 ms
  r.push(packet(2)); // 66.7 ms
  decoders[0].flushAll();
  r.tick(20, 16);
  assert.deepEqual(drawn, [0], 'frame 1 is due at 25.3 ms of master time (8 ms ahead of it)');
  r.tick(26, 32);
  assert.deepEqual(drawn, [0, 33_333]);
  r.tick(60, 48, 0.5);
  assert.deepEqual(drawn, [0, 33_333], 'frame 2 is 6.7 ms of media ahead: due at full speed, but 13.3 ms away at half speed');
  r.tick(63, 64, 0.5);
  assert.deepEqual(drawn, [0, 33_333, 66_666]);
  assert.deepEqual(r.figures().framesDroppedBy, noDrops());
  assert.ok(Number.isFinite(r.stages().heldMs) && Number.isFinite(r.stages().decodeMs), 'decode and wait times are measured');
});

test('a decoder slower than real time starts over at the next keyframe instead of falling further behind', async () => {
  const r = new WebCodecsRenderer();
  await r.configure(config);
  for (let i = 0; i < 30; i++) r.push(packet(i));
  decoders[0].output({ timestamp: 0, close() {} }); // only the first frame came out in a whole GOP
  r.push(packet(30)); // the next keyframe, 1 s after the newest frame decoded
  assert.equal(decoders.length, 2, 'a new decoder');
  assert.deepEqual(decoders[1].chunks.map((c) => [c.type, c.timestamp]), [['key', 30 * 33_333]]);
  assert.equal(r.figures().resyncs, 1);
  assert.equal(r.figures().decodeErrors, 0);
  assert.deepEqual(r.figures().framesDroppedBy, { ...noDrops(), catchUp: 30 }, 'frame 0 held, 1-29 still in the old decoder');
  // A decoder that keeps up is left alone at keyframes.
  decoders[1].flushAll();
  for (let i = 31; i <= 60; i++) {
    r.push(packet(i));
    decoders[1].flushAll();
  }
  assert.equal(decoders.length, 2);
});

test('the decode times kept for the stage figures stay bounded when nothing is drawn', async () => {
  const r = new WebCodecsRenderer({ maxHeldFrames: 5 });
  await r.configure(config);
  for (let i = 0; i < 1000; i++) {
    r.push(packet(i));
    decoders[0].flushAll(); // no tick: a hidden tab
  }
  assert.ok(r.decodedAtMs.size <= 300, `${r.decodedAtMs.size} kept`);
  assert.ok(r.inDecoder.length <= 300);
  assert.equal(r.figures().framesDroppedBy.queueFull, 995);
});

test('a new layer: configure() on the same decoder, frames drawn on across it, the canvas resized at its first frame', async () => {
  const r = new WebCodecsRenderer();
  await r.configure(config);
  for (let i = 0; i < 3; i++) r.push(packet(i));
  decoders[0].flushAll();
  r.tick((2 * 33_333) / 1000, 0);
  const low = create(TrackConfigSchema, { ...config, decoderConfig: new Uint8Array([2]), width: 320, height: 180, layer: 1, layerCount: 2 });
  void r.configure(low); // taken at once, before the keyframe that follows
  r.push(packet(3)); // a delta of the old layer after the switch point: skipped
  r.push(packet(4, true));
  r.push(packet(5));
  assert.equal(decoders.length, 1, 'the same decoder');
  assert.deepEqual(decoders[0].configs.map((c) => c.codedWidth), [640, 320]);
  assert.deepEqual(decoders[0].chunks.map((c) => [c.type, c.timestamp]), [['key', 4 * 33_333], ['delta', 5 * 33_333]]);
  for (const c of decoders[0].chunks.splice(0)) decoders[0].output(/** @type {FakeFrame} */ ({ timestamp: c.timestamp, displayWidth: 320, displayHeight: 180, close() {} }));
  assert.equal(r.canvas.width, 640, 'the old layer\'s size until its frame is drawn');
  r.tick((4 * 33_333) / 1000, 16);
  r.tick((5 * 33_333) / 1000, 32);
  assert.deepEqual(drawn, [2 * 33_333, 4 * 33_333, 5 * 33_333], 'no start over: no join backlog skipped, the schedule goes on');
  assert.deepEqual([r.canvas.width, r.canvas.height], [320, 180]);
  const f = r.figures();
  assert.deepEqual([f.layerSwitches, f.starts, f.decodeErrors, f.resyncs], [1, 1, 0, 0]);
});

test('a keyframe off the timeline after a switch starts over with a new decoder of the new config', async () => {
  const r = new WebCodecsRenderer();
  await r.configure(config);
  for (let i = 0; i < 3; i++) r.push(packet(i));
  void r.configure(create(TrackConfigSchema, { ...config, width: 320, height: 180 }));
  r.push(packet(0, true)); // a publisher that started over at 0
  assert.equal(decoders.length, 2);
  assert.equal(decoders[1].configs[0].codedWidth, 320);
  assert.deepEqual(decoders[1].chunks.map((c) => c.type), ['key']);
  assert.equal(r.figures().starts, 2);
});
