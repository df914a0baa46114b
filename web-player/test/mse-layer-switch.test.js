// The MSE renderer at a layer switch, against fake MediaSource, SourceBuffer and <video> (its
// collaborators): the new init segment goes onto the same SourceBuffer after the fragments
// before it, changeType() first for another codec string, and the fragments' decode times go
// on from the old layer's instead of starting over; a keyframe off the timeline starts over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { TrackConfigSchema } from '../src/gen/tunnelcast/v1/tunnelcast_pb.js';
import { TIMESCALE } from '../src/video/fmp4.js';

/** @typedef {import('../src/worker/messages.js').VideoPacket} VideoPacket */

/** A SourceBuffer that completes each append at once, and logs what it was given. */
class FakeSourceBuffer {
  constructor() {
    this.updating = false;
    this.mode = '';
    /** @type {string[]} 'init WxH', 'changeType T', or 'fragment <decode time in µs>' */
    this.log = [];
    this.buffered = { length: 0, start: () => 0, end: () => 0 };
  }
  /** @param {Uint8Array} data */
  appendBuffer(data) {
    this.log.push(describe(data));
  }
  remove() {}
  /** @param {string} type */
  changeType(type) {
    this.log.push(`changeType ${type}`);
  }
  addEventListener() {}
}

/** @type {FakeMediaSource[]} */
const sources = [];
class FakeMediaSource {
  constructor() {
    this.readyState = 'open';
    /** @type {FakeSourceBuffer[]} */
    this.buffers = [];
    /** @type {() => void} */
    this.onOpen = () => {};
    sources.push(this);
  }
  static isTypeSupported() {
    return true;
  }
  /** @param {string} _type @param {() => void} listener */
  addEventListener(_type, listener) {
    this.onOpen = listener;
  }
  addSourceBuffer() {
    const sb = new FakeSourceBuffer();
    this.buffers.push(sb);
    return sb;
  }
}

const video = { requestVideoFrameCallback() {}, addEventListener() {}, currentTime: 0, src: '', playbackRate: 1,
  buffered: { length: 0 }, getVideoPlaybackQuality: () => ({ droppedVideoFrames: 0, totalVideoFrames: 0 }) };
Object.assign(globalThis, { MediaSource: FakeMediaSource, document: { createElement: () => video, visibilityState: 'visible' } });
URL.createObjectURL = () => 'blob:fake';
URL.revokeObjectURL = () => {};
const { MseRenderer } = await import('../src/video/mse-renderer.js');

/** What an appended segment is: an init segment's size, or a fragment's decode time (tfdt) in frames of 30 fps. @param {Uint8Array} data */
function describe(data) {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const at = (/** @type {string} */ type) => Buffer.from(data).indexOf(type);
  if (at('ftyp') === 4) {
    const tkhd = at('tkhd');
    return `init ${view.getUint32(tkhd + 80) >> 16}x${view.getUint32(tkhd + 84) >> 16}`;
  }
  const tfdt = at('tfdt');
  return `fragment ${Number(view.getBigUint64(tfdt + 8)) / (TIMESCALE / 30)}`;
}

const top = create(TrackConfigSchema, { trackId: 1, codec: 'avc1.64001f', decoderConfig: new Uint8Array([1, 2]), width: 640, height: 360,
  layer: 0, layerCount: 2 });
const low = create(TrackConfigSchema, { ...top, decoderConfig: new Uint8Array([1, 3]), width: 320, height: 180, layer: 1 });
/** @returns {VideoPacket} the i-th frame of a 30 fps stream that started at 10 s */
const packet = (/** @type {number} */ i, keyframe = false) => ({ trackId: 1, ptsMicros: 10_000_000 + i * 33_333, durationMicros: 33_333,
  keyframe, captureTimeMicros: 0, payload: new Uint8Array([0, 0, 0, 1, 9]), arrivalEpochMs: 0 });

async function playing() {
  sources.length = 0;
  const r = new MseRenderer();
  await r.configure(top);
  sources[0].onOpen();
  for (let i = 0; i < 3; i++) r.push(packet(i, i === 0));
  return r;
}

test('a new layer: its init segment on the same SourceBuffer, the decode times going on', async () => {
  const r = await playing();
  await r.configure(low);
  r.push(packet(3)); // a delta of no layer it has an init for: skipped
  r.push(packet(4, true));
  r.push(packet(5));
  assert.equal(sources.length, 1, 'the same MediaSource');
  assert.equal(sources[0].buffers.length, 1, 'the same SourceBuffer');
  assert.deepEqual(sources[0].buffers[0].log, ['init 640x360', 'fragment 0', 'fragment 1', 'fragment 2',
    'init 320x180', 'fragment 4', 'fragment 5']);
  const f = r.figures();
  assert.equal(f.layerSwitches, 1);
  assert.equal(f.starts, 1, 'no start over');
  assert.equal(f.decodeErrors, 0);
});

test('another codec string: changeType() before the new init segment', async () => {
  const r = await playing();
  await r.configure(create(TrackConfigSchema, { ...low, codec: 'avc1.64000d' }));
  r.push(packet(3, true));
  assert.deepEqual(sources[0].buffers[0].log.slice(4), ['changeType video/mp4; codecs="avc1.64000d"', 'init 320x180', 'fragment 3']);
  assert.equal(r.figures().layerSwitches, 1);
});

test('a keyframe after the switch that does not go on from the timeline starts over', async () => {
  const r = await playing();
  await r.configure(low);
  r.push({ ...packet(0, true), ptsMicros: 0 }); // a publisher that started over
  assert.equal(sources.length, 2, 'a fresh MediaSource');
  assert.equal(r.figures().starts, 2);
  sources[1].onOpen();
  assert.deepEqual(sources[1].buffers[0].log, ['init 320x180', 'fragment 0'], 'a new timeline from its keyframe');
});

test('the same config again starts over, as before', async () => {
  const r = await playing();
  await r.configure(top);
  assert.equal(sources.length, 2);
  assert.equal(r.figures().layerSwitches, 0);
});
