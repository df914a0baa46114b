// The WebCodecs renderer against a fake VideoDecoder and canvas (its collaborators): a decode
// error restarts it at the next keyframe, counted; a join's GOP backlog is decoded without
// being drawn, and the first frame drawn is the live edge.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

/** @type {FakeDecoder[]} */
let decoders = [];
const drawn = [];

class FakeDecoder {
  constructor({ output, error }) {
    this.output = output;
    this.error = error;
    this.state = 'unconfigured';
    this.chunks = [];
    decoders.push(this);
  }
  static async isConfigSupported() {
    return { supported: true };
  }
  configure() {
    this.state = 'configured';
  }
  decode(chunk) {
    this.chunks.push(chunk);
  }
  close() {
    this.state = 'closed';
  }
  /** Outputs every chunk decoded so far as a frame. */
  flushAll() {
    for (const c of this.chunks.splice(0)) this.output({ timestamp: c.timestamp, closed: false, close() { this.closed = true; } });
  }
  fail() {
    this.state = 'closed';
    this.error(new Error('EncodingError: decoding failed'));
  }
}

globalThis.VideoDecoder = FakeDecoder;
globalThis.EncodedVideoChunk = class {
  constructor({ type, timestamp }) {
    this.type = type;
    this.timestamp = timestamp;
  }
};
globalThis.document = {
  createElement: () => ({ getContext: () => ({ drawImage: (frame) => drawn.push(frame.timestamp) }) }),
};
const { WebCodecsRenderer } = await import('../src/video/webcodecs-renderer.js');

const config = { codec: 'avc1.42e01e', decoderConfig: new Uint8Array([1]), width: 640, height: 360, trackId: 1 };
const packet = (i, keyframe = i % 30 === 0) => ({ trackId: 1, ptsMicros: i * 33_333, durationMicros: 33_333, keyframe,
  captureTimeMicros: 0, payload: new Uint8Array([0]) });

beforeEach(() => {
  decoders = [];
  drawn.length = 0;
});

test('a decode error restarts the decoder at the next keyframe and is counted', async () => {
  const r = new WebCodecsRenderer();
  await r.configure(config);
  for (let i = 0; i < 5; i++) r.push(packet(i));
  decoders[0].flushAll();
  r.tick(NaN, 0);
  assert.deepEqual(drawn, [4 * 33_333]);

  decoders[0].fail();
  await new Promise((resolve) => queueMicrotask(resolve));
  assert.equal(decoders.length, 2, 'a new decoder');
  assert.equal(r.figures().decodeErrors, 1);
  assert.equal(r.figures().recoveries, 1);
  assert.equal(r.figures().waitingForKeyframe, true);
  for (let i = 5; i < 30; i++) r.push(packet(i)); // deltas of the broken GOP: skipped
  assert.equal(decoders[1].chunks.length, 0);
  for (let i = 30; i < 33; i++) r.push(packet(i));
  assert.deepEqual(decoders[1].chunks.map((c) => c.type), ['key', 'delta', 'delta']);
  decoders[1].flushAll();
  r.tick(NaN, 100);
  assert.equal(drawn.at(-1), 32 * 33_333, 'frames advance again');
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
  // A decoder that keeps up is left alone at keyframes.
  decoders[1].flushAll();
  for (let i = 31; i <= 60; i++) {
    r.push(packet(i));
    decoders[1].flushAll();
  }
  assert.equal(decoders.length, 2);
});
