// The browser publisher's simulcast: the `layers=` option (the agent's rules) and the
// SimulcastVideoEncoder's rules with fake layer encoders: every layer or none encodes a frame,
// keyframes on the same frames on every layer, packets sent a frame at a time, top first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLayers } from '../src/publish/layer-specs.js';
import { parsePublishOptions } from '../src/publish/settings.js';
import { SimulcastVideoEncoder } from '../src/publish/simulcast-video-encoder.js';

/** @typedef {import('../src/publish/video-track-encoder.js').VideoEncoderListener} VideoEncoderListener */
/** @typedef {import('../src/publish/video-track-encoder.js').EncodedVideo} EncodedVideo */

test('layers= reads the agent\'s syntax, top first', () => {
  assert.deepEqual(parseLayers('1280x720@2.5M, 640x360@700k,320x180@200000'), [
    { width: 1280, height: 720, bitrateBps: 2_500_000 },
    { width: 640, height: 360, bitrateBps: 700_000 },
    { width: 320, height: 180, bitrateBps: 200_000 },
  ]);
});

test('layers= refuses what the agent refuses, naming the part', () => {
  /** @type {[string, RegExp][]} */
  const cases = [
    ['640x360@700k', /give 2 to 4 layers, got 1/],
    ['1280x720@2M,960x540@1M,640x360@700k,320x180@200k,160x90@50k', /give 2 to 4 layers, got 5/],
    ['640x360@700k,320x360@200k', /layer 320x360@200k: heights must fall from the first layer \(a layer is named by its height/],
    ['320x180@200k,640x360@700k', /layer 640x360@700k: heights must fall/],
    ['640x360@700k,321x180@200k', /layer 321x180@200k: width and height must be even and positive/],
    ['640x360@700k,320x0@200k', /even and positive/],
    ['640x360,320x180@200k', /'640x360' is not WxH@BITRATE, e.g. 640x360@700k/],
    ['640x360@700k,', /'' is not WxH@BITRATE/],
    ['640x360@fast,320x180@200k', /'640x360@fast' is not WxH@BITRATE/],
    ['640x360@0k,320x180@200k', /layer 640x360@0k: the bitrate must be a whole number/],
    ['640x360@0.5,320x180@200k', /the bitrate must be a whole number/],
    ['640x360@21M,320x180@200k', /from 1 to 20M/],
  ];
  for (const [text, reason] of cases) assert.throws(() => parseLayers(text), reason, text);
});

test('publish page: layers= sets the capture to the top layer, and replaces size= and video-bitrate=', () => {
  const o = parsePublishOptions(new URLSearchParams('layers=640x360@700k,320x180@200k&fps=25'));
  assert.deepEqual(o.errors, []);
  assert.equal(o.settings.layers.length, 2);
  assert.deepEqual(o.capture, { width: 640, height: 360, frameRate: 25 });
  const both = parsePublishOptions(new URLSearchParams('layers=640x360@700k,320x180@200k&size=1280x720&video-bitrate=900000'));
  assert.deepEqual(both.errors, ['layers= replaces size= and video-bitrate=: give the sizes and bitrates in layers= only']);
  assert.deepEqual(both.settings.layers, []);
  const bad = parsePublishOptions(new URLSearchParams('layers=640x360@700k'));
  assert.deepEqual(bad.errors, ['layers=640x360@700k: give 2 to 4 layers, got 1']);
  assert.deepEqual(parsePublishOptions(new URLSearchParams('')).settings.layers, []);
});

/** A layer's encoder as SimulcastVideoEncoder sees it: records what it is given; the test says when it outputs. */
class FakeLayer {
  /** @param {{ bitrateBps: number }} settings @param {VideoEncoderListener} listener */
  constructor(settings, listener) {
    this.bitrateBps = settings.bitrateBps;
    this.listener = listener;
    /** @type {[number, number][]} the sizes it was made ready for */
    this.readyFor = [];
    this.behind = false;
    /** @type {{ timestamp: number, keyFrame: boolean }[]} */
    this.encoded = [];
    /** @type {import('../src/publish/video-track-encoder.js').VideoTrackFormat | null} */
    this.format = null;
    this.keyframes = 0;
    this.codecNote = '';
    this.closed = false;
  }

  /** @param {number} width @param {number} height */
  async ready(width, height) {
    this.readyFor.push([width, height]);
    return true;
  }

  /** @param {VideoFrame} frame @param {boolean} keyFrame */
  encodeFrame(frame, keyFrame) {
    this.encoded.push({ timestamp: frame.timestamp, keyFrame });
  }

  /** Outputs its packet of the frame with this timestamp. @param {number} timestamp */
  output(timestamp) {
    const encoded = this.encoded.find((e) => e.timestamp === timestamp);
    this.listener.onPacket({ payload: new Uint8Array(1), keyframe: encoded?.keyFrame ?? false, timestampMicros: timestamp, durationMicros: 33_333 });
  }

  close() {
    this.closed = true;
  }
}

const LAYERS = parseLayers('640x360@700k,320x180@200k');

function simulcast() {
  /** @type {FakeLayer[]} */
  const layers = [];
  /** @type {[number, number, boolean][]} [timestamp, layer, keyframe] as sent */
  const sent = [];
  /** @type {[number, import('../src/publish/simulcast-video-encoder.js').LayerInfo][]} */
  const formats = [];
  const encoder = new SimulcastVideoEncoder(LAYERS, { codec: 'auto', keyframeIntervalMs: 2000 }, {
    onFormat: (f, l) => formats.push([f.height, l]),
    onPacket: (p, layer) => sent.push([p.timestampMicros, layer, p.keyframe]),
    onError: (e) => assert.fail(e),
  }, (settings, listener) => {
    const layer = new FakeLayer(settings, listener);
    layers.push(layer);
    return layer;
  });
  return { encoder, layers, sent, formats };
}

/** @param {number} timestamp */
function frame(timestamp) {
  const f = { timestamp, closed: false, close() { f.closed = true; } };
  return f;
}

/** @param {SimulcastVideoEncoder} encoder @param {number} timestamp @param {number} nowMs */
async function encode(encoder, timestamp, nowMs) {
  const f = frame(timestamp);
  await encoder.encode(/** @type {VideoFrame} */ (/** @type {unknown} */ (f)), nowMs);
  assert.ok(f.closed, 'the captured frame is closed once every layer has it');
}

test('every layer encodes a frame at its own size, or none does: one behind skips the frame on all', async () => {
  const { encoder, layers } = simulcast();
  assert.deepEqual(layers.map((l) => l.bitrateBps), [700_000, 200_000]);
  assert.equal(encoder.bitrateBps, 900_000);
  await encode(encoder, 0, 0);
  assert.deepEqual(layers.map((l) => l.readyFor[0]), [[640, 360], [320, 180]]);
  layers[1].behind = true;
  await encode(encoder, 33_333, 33);
  layers[1].behind = false;
  await encode(encoder, 66_666, 66);
  for (const layer of layers) assert.deepEqual(layer.encoded.map((e) => e.timestamp), [0, 66_666]);
  assert.equal(encoder.framesEncoded, 2);
  assert.equal(encoder.encoderDrops, 1);
  encoder.close();
  assert.ok(layers.every((l) => l.closed));
});

test('keyframes fall on the same frames on every layer: the first, at the interval, and when asked for', async () => {
  const { encoder, layers } = simulcast();
  await encode(encoder, 0, 0);
  await encode(encoder, 1, 1000);
  encoder.requestKeyframe(); // the relay's KeyframeRequest, a reconnect, the send queue ready again
  layers[0].behind = true; // the frame after the request is skipped: the keyframe goes to the next one encoded
  await encode(encoder, 2, 1100);
  layers[0].behind = false;
  await encode(encoder, 3, 1200);
  await encode(encoder, 4, 2000);
  await encode(encoder, 5, 3200); // 2 s after the requested one
  const keys = layers.map((l) => l.encoded.filter((e) => e.keyFrame).map((e) => e.timestamp));
  assert.deepEqual(keys, [[0, 3, 5], [0, 3, 5]]);
});

test('packets go out a frame at a time, top layer first, whatever order the layers finish in', async () => {
  const { encoder, layers, sent, formats } = simulcast();
  for (let t = 0; t < 4; t++) await encode(encoder, t, t * 33);
  layers[1].listener.onFormat({ codec: 'vp8', decoderConfig: new Uint8Array(0), width: 320, height: 180, frameRate: 30 });
  layers[1].output(0);
  layers[1].output(1); // the small layer runs ahead
  assert.deepEqual(sent, [], 'nothing before the top layer has the frame');
  assert.deepEqual(formats, [[180, { layer: 1, layerCount: 2, bitrateBps: 200_000 }]], 'formats go on at once');
  layers[0].output(0);
  assert.deepEqual(sent, [[0, 0, true], [0, 1, true]]);
  layers[0].output(1);
  layers[0].output(2);
  layers[0].output(3);
  assert.deepEqual(sent.slice(2), [[1, 0, false], [1, 1, false]]);
  // The small layer's encoder dropped frame 2: frame 2 goes out without it once its frame 3 shows that.
  layers[1].output(3);
  assert.deepEqual(sent.slice(4), [[2, 0, false], [3, 0, false], [3, 1, false]]);
});
