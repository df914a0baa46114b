// The publisher's video codec: H.264 before VP8; with low-delay (the call page's default) an encoder
// that holds frames back (Firefox ESR 153's H.264: 42 frames, 1.4 s) is passed over, and the probe
// that finds it out encodes a few frames and counts those not given back. Fakes of the WebCodecs
// globals stand in for the browser's encoders.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

/** @type {Set<string>} codecs the fake says it supports (prefixes) */
let supported = new Set();
/** @type {Set<string>} codecs whose fake encoder holds every frame (prefixes) */
let lookahead = new Set();
let made = 0;
const matches = (/** @type {Set<string>} */ set, /** @type {string} */ codec) => [...set].some((p) => codec.startsWith(p));

class FakeEncoder {
  /** @param {VideoEncoderConfig} config */
  static async isConfigSupported(config) {
    return { supported: matches(supported, config.codec) };
  }
  /** @param {{ output: (chunk: unknown) => void }} init */
  constructor(init) {
    made++;
    this.output = init.output;
    this.codec = '';
    this.state = 'unconfigured';
  }
  /** @param {VideoEncoderConfig} config */
  configure(config) {
    this.codec = config.codec;
    this.state = 'configured';
  }
  encode() {
    if (!matches(lookahead, this.codec)) setTimeout(() => this.output({}), 2);
  }
  close() {
    this.state = 'closed';
  }
}
Object.assign(globalThis, {
  MediaSource: { isTypeSupported: () => true },
  VideoEncoder: FakeEncoder,
  VideoFrame: class { close() {} },
});
const { chooseVideoConfig } = await import('../src/publish/video-track-encoder.js');
const { framesHeld, forgetFramesHeld, PROBE_FRAMES } = await import('../src/publish/encoder-lag.js');

beforeEach(() => {
  supported = new Set(['avc1', 'vp8']);
  lookahead = new Set();
  made = 0;
  forgetFramesHeld();
});

test('the probe counts the frames an encoder holds back, once per codec', async () => {
  lookahead = new Set(['avc1']);
  const h264 = { codec: 'avc1.42E01E', width: 64, height: 36, bitrate: 100_000 };
  assert.equal(await framesHeld(h264), PROBE_FRAMES, 'a lookahead gives none back within the wait');
  assert.equal(await framesHeld({ codec: 'vp8', width: 64, height: 36, bitrate: 100_000 }), 0, 'VP8 gives each back');
  assert.equal(await framesHeld({ ...h264, codec: 'avc1.42E01F', width: 1280, height: 720 }), PROBE_FRAMES);
  assert.equal(made, 2, 'one probe per codec, whatever the level');
});

test('low-delay passes over an H.264 encoder that holds frames back, and says why', async () => {
  const held = async (/** @type {VideoEncoderConfig} */ c) => (c.codec.startsWith('avc1') ? 8 : 0);
  const chosen = await chooseVideoConfig('low-delay', 640, 360, 30, 550_000, held);
  assert.equal(chosen?.config.codec, 'vp8');
  assert.equal(chosen?.passedOver, 'this browser\'s H.264 encoder held 8 of 8 frames back (a lookahead): VP8 instead');
});

test('low-delay keeps an H.264 encoder that gives its frames back (two behind at most); auto and h264 never probe', async () => {
  /** @type {string[]} */
  const probed = [];
  const held = async (/** @type {VideoEncoderConfig} */ c) => {
    probed.push(c.codec);
    return 2;
  };
  assert.match((await chooseVideoConfig('low-delay', 640, 360, 30, 550_000, held))?.config.codec ?? '', /^avc1\./,
    'a pipeline of two frames is no lookahead');
  assert.deepEqual(probed, ['avc1.42E01E']);
  const lagging = async () => 8;
  const auto = await chooseVideoConfig('auto', 640, 360, 30, 550_000, lagging);
  assert.match(auto?.config.codec ?? '', /^avc1\./, 'a broadcast keeps H.264 (recorded, plays on MSE)');
  assert.equal(auto?.passedOver, '');
  assert.match((await chooseVideoConfig('h264', 640, 360, 30, 550_000, lagging))?.config.codec ?? '', /^avc1\./);
});

test('low-delay takes the lagging encoder when no other codec encodes here, and says so', async () => {
  supported = new Set(['avc1']);
  const chosen = await chooseVideoConfig('low-delay', 640, 360, 30, 550_000, async () => 8);
  assert.match(chosen?.config.codec ?? '', /^avc1\./);
  assert.match(chosen?.passedOver ?? '', /held 8 of 8 frames back \(a lookahead\), and no other codec encodes here/);
});
