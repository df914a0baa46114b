// An MSE path that plays but shows no picture (WebKitGTK under Xvfb with compositing off) is left
// for WebCodecs by the player itself: the same detection (NoPictureWatch) triggers it, the stats
// say so, the picture's element is replaced in the page, WebCodecs starts at the next keyframe and
// its frames are shown; it never goes back. A path pinned by ?video=, or a codec WebCodecs cannot
// decode, keeps today's note. A Player with fakes for the browser's parts it touches: the video
// element, MediaSource, VideoDecoder, the canvas, the transport worker.
import { test, mock, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { TrackConfigSchema, TrackKind } from '../src/gen/tunnelcast/v1/tunnelcast_pb.js';
import { FakeVideoDecoder } from './support/fake-video-decoder.js';

/** @typedef {import('../src/worker/messages.js').VideoPacket} VideoPacket */
/** @typedef {(now: number, meta: { mediaTime: number, expectedDisplayTime: number, width: number, height: number }) => void} FrameCallback */

/** A video element that plays (the test moves its playhead) and presents a frame only when the test says. */
class FakeVideo {
  constructor() {
    /** @type {FrameCallback} */
    this.presentFrame = () => {};
    this.currentTime = 0;
    this.videoWidth = 640;
    this.seeking = false;
    this.paused = false;
    this.readyState = 4;
    this.playbackRate = 1;
    this.src = '';
    this.buffered = { length: 1, start: () => 0, end: () => this.currentTime + 1 };
    /** @type {unknown} what replaced it in the page */
    this.replacedBy = null;
  }
  /** @param {FrameCallback} callback */
  requestVideoFrameCallback(callback) {
    this.presentFrame = callback;
  }
  addEventListener() {}
  getVideoPlaybackQuality() {
    return { droppedVideoFrames: 0, totalVideoFrames: 0 };
  }
  /** @param {unknown} element */
  replaceWith(element) {
    this.replacedBy = element;
  }
  removeAttribute(/** @type {string} */ name) {
    if (name === 'src') this.src = '';
  }
  load() {}
}

/** A canvas whose pixels are all black (no frame stamp). */
const fakeCanvas = () => ({
  width: 0, height: 0, className: '',
  getContext: () => ({ drawImage() {}, getImageData: (/** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ w,
    /** @type {number} */ h) => ({ data: new Uint8ClampedArray(w * h * 4) }) }),
});

/** @type {FakeVideoDecoder[]} the decoders made in this test (FakeVideoDecoder.made) */
let decoders = [];
/** @type {string[]} the codecs asked about (FakeVideoDecoder.asked) */
let asked = [];

class FakeMediaSource {
  /** the codecs the fake's isTypeSupported refuses */
  static refused = new Set();
  /** @param {string} type */
  static isTypeSupported(type) {
    return ![...FakeMediaSource.refused].some((codec) => type.includes(codec));
  }
  readyState = 'open';
  addEventListener() {}
}

class IdleWorker {
  /** @type {((e: unknown) => void) | null} */
  onmessage = null;
  postMessage() {}
  terminate() {}
}

/** @type {FakeVideo[]} */
let videos = [];
Object.assign(globalThis, {
  document: {
    createElement: (/** @type {string} */ tag) => {
      if (tag !== 'video') return fakeCanvas();
      const video = new FakeVideo();
      videos.push(video);
      return video;
    },
    visibilityState: 'visible',
  },
  MediaSource: FakeMediaSource,
  VideoDecoder: FakeVideoDecoder,
  EncodedVideoChunk: class {
    /** @param {{ type: string, timestamp: number }} init */
    constructor({ type, timestamp }) {
      this.type = type;
      this.timestamp = timestamp;
    }
  },
  Worker: IdleWorker,
  requestAnimationFrame: () => 0,
});
const { Player } = await import('../src/player.js');
const { MseRenderer } = await import('../src/video/mse-renderer.js');
const { WebCodecsRenderer } = await import('../src/video/webcodecs-renderer.js');
const { NO_PICTURE_NOTE, FELL_BACK_NOTE } = await import('../src/video/no-picture-watch.js');
const { codecFallbackNote } = await import('../src/video/video-path.js');

const config = create(TrackConfigSchema, { kind: TrackKind.VIDEO, codec: 'avc1.42e01e', decoderConfig: new Uint8Array([1]), width: 640, height: 360,
  trackId: 1, frameRate: 30 });

/** @returns {VideoPacket} the i-th packet of a 30 fps stream, a keyframe every 30 */
const packet = (/** @type {number} */ i) => ({ trackId: 1, ptsMicros: i * 33_333, durationMicros: 33_333, keyframe: i % 30 === 0,
  captureTimeMicros: i * 33_333, payload: new Uint8Array([0, 0, 0, 1, 0]), arrivalEpochMs: performance.timeOrigin + performance.now() });

beforeEach(() => {
  FakeMediaSource.refused = new Set();
  FakeVideoDecoder.reset();
  decoders = FakeVideoDecoder.made;
  asked = FakeVideoDecoder.asked;
  videos = [];
  mock.method(console, 'warn', () => {}); // "audio unavailable" (no AudioContext here), and the notes
  mock.method(URL, 'createObjectURL', () => 'blob:fake');
  mock.method(URL, 'revokeObjectURL', () => {});
});

/**
 * A started player on the MSE path with the stream's video config, its fragments appended and its
 * element playing (the playhead moves) for `ms`, ticked every 16 ms and its figures updated every
 * 250 ms as the page does; a frame is presented at `presentAtMs` (never by default). Waits for
 * what the figures set off.
 * @param {number} ms @param {{ pinned?: boolean, presentAtMs?: number }} [options]
 */
async function playOnMseWithoutPictures(ms, { pinned = false, presentAtMs = Infinity } = {}) {
  const player = new Player({ stream: 's', token: '', videoPath: 'mse', videoPathPinned: pinned, floorMs: 40, ceilingMs: 1000,
    wsBase: 'ws://127.0.0.1:1', workletUrl: 'worklet.js', workerUrl: 'worker.js' });
  player.start();
  clearInterval(player.timer); // the test updates the figures at its own times
  await player.trackConfig(config);
  const mse = /** @type {import('../src/video/mse-renderer.js').MseRenderer} */ (player.video);
  const video = /** @type {FakeVideo} */ (/** @type {unknown} */ (mse.video));
  mse.baseMicros = 0;
  mse.appends = /** @type {any} */ ({ appended: 0, push() {} });
  for (let t = 0; t <= ms; t += 16) {
    video.currentTime = t / 1000;
    mse.newestPtsMicros = (t + 1000) * 1000;
    /** @type {any} */ (mse.appends).appended = Math.floor(t / 33) + 1;
    if (t >= presentAtMs && t < presentAtMs + 16) video.presentFrame(t, { mediaTime: t / 1000, expectedDisplayTime: t, width: 640, height: 360 });
    mse.tick(NaN, t);
    if (t % 250 < 16) player.updateFigures(t);
  }
  await new Promise((resolve) => setImmediate(resolve));
  return { player, mse, video };
}

test('MSE plays 6 s with no frame presented: the player switches to WebCodecs, says why, and shows its frames from the next keyframe', async () => {
  const { player, mse, video } = await playOnMseWithoutPictures(6000);
  try {
    assert.ok(player.video instanceof WebCodecsRenderer, 'the video path is WebCodecs');
    assert.equal(player.stats.videoPath, 'webcodecs');
    assert.equal(player.stats.videoPathNote, FELL_BACK_NOTE);
    assert.equal(video.replacedBy, player.element, 'the canvas took the video element\'s place in the page');
    assert.equal(video.src, '', 'the MSE pipeline is torn down');
    assert.equal(decoders.length, 1);
    assert.equal(decoders[0].configs[0].codec, config.codec);
    // Packets from the middle of a GOP wait for the next keyframe; from it on, they are decoded and shown.
    for (let i = 15; i < 35; i++) player.media(packet(i));
    assert.deepEqual(decoders[0].chunks.map((c) => c.type), ['key', 'delta', 'delta', 'delta', 'delta']);
    decoders[0].flushAll();
    player.tick();
    assert.ok(player.stats.framesShown >= 1, `frames shown: ${player.stats.framesShown}`);
    assert.equal(player.stats.state, 'playing');
    // For good: later figures (the old path's watch still says what it saw) change nothing.
    player.updateFigures(7000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(decoders.length, 1);
    assert.equal(player.stats.videoPath, 'webcodecs');
    assert.equal(mse.figures().noPictureNote, NO_PICTURE_NOTE, 'the switch was set off by the MSE path\'s own watch');
  } finally {
    player.stop();
    mock.restoreAll();
  }
});

test('?video=mse pinned: the player stays on MSE and says it shows no picture (today\'s note)', async () => {
  const { player, video } = await playOnMseWithoutPictures(6000, { pinned: true });
  try {
    assert.ok(player.video instanceof MseRenderer);
    assert.equal(player.stats.videoPath, 'mse');
    assert.equal(player.stats.videoPathNote, NO_PICTURE_NOTE);
    assert.equal(video.replacedBy, null);
    assert.equal(decoders.length, 0);
    assert.deepEqual(asked, []);
  } finally {
    player.stop();
    mock.restoreAll();
  }
});

test('WebCodecs cannot decode the stream\'s codec: the player stays on MSE with the note', async () => {
  FakeVideoDecoder.supports = false;
  const { player, video } = await playOnMseWithoutPictures(6000);
  try {
    assert.ok(player.video instanceof MseRenderer);
    assert.equal(player.stats.videoPath, 'mse');
    assert.equal(player.stats.videoPathNote, NO_PICTURE_NOTE);
    assert.equal(video.replacedBy, null);
    assert.deepEqual(asked, [config.codec], 'WebCodecs was asked about the stream\'s codec');
  } finally {
    player.stop();
    mock.restoreAll();
  }
});

test('an MSE path that presents a frame (Chromium, Firefox) is never left, even with the first frame late', async () => {
  const { player } = await playOnMseWithoutPictures(8000, { presentAtMs: 3000 });
  try {
    assert.ok(player.video instanceof MseRenderer);
    assert.equal(player.stats.videoPath, 'mse');
    assert.equal(player.stats.videoPathNote, '');
    assert.equal(decoders.length, 0);
  } finally {
    player.stop();
    mock.restoreAll();
  }
});

test('not before the MSE path has played 5 s without a picture', async () => {
  const { player } = await playOnMseWithoutPictures(4000);
  try {
    assert.ok(player.video instanceof MseRenderer);
    assert.equal(player.stats.videoPathNote, '');
  } finally {
    player.stop();
    mock.restoreAll();
  }
});

/** A VP8 config, as a browser publisher that chose VP8 (Firefox in a call) announces it. */
const vp8 = create(TrackConfigSchema, { kind: TrackKind.VIDEO, codec: 'vp8', decoderConfig: new Uint8Array([1]), width: 640, height: 360,
  trackId: 1, frameRate: 30 });

/** A started player on the MSE path that MediaSource cannot play VP8 on, given the VP8 config. @param {boolean} pinned */
async function mseGivenVp8(pinned) {
  FakeMediaSource.refused = new Set(['vp8']);
  const player = new Player({ stream: 's', token: '', videoPath: 'mse', videoPathPinned: pinned, floorMs: 40, ceilingMs: 1000,
    wsBase: 'ws://127.0.0.1:1', workletUrl: 'worklet.js', workerUrl: 'worker.js' });
  player.start();
  clearInterval(player.timer);
  const video = /** @type {FakeVideo} */ (/** @type {unknown} */ (/** @type {any} */ (player.video).video));
  await player.trackConfig(vp8);
  await new Promise((resolve) => setImmediate(resolve));
  return { player, video };
}

test('a codec the automatic MSE path cannot play (VP8): the player switches to WebCodecs at once, says why, and shows its frames', async () => {
  const { player, video } = await mseGivenVp8(false);
  try {
    assert.ok(player.video instanceof WebCodecsRenderer, 'the video path is WebCodecs');
    assert.equal(player.stats.videoPath, 'webcodecs');
    assert.equal(player.stats.videoPathNote, codecFallbackNote('vp8', 'mse'));
    assert.match(player.stats.videoPathNote, /cannot play vp8 video on the MSE path: switched to WebCodecs/);
    assert.notEqual(player.stats.state, 'unsupported');
    assert.equal(video.replacedBy, player.element, 'the canvas took the video element\'s place in the page');
    assert.equal(decoders.length, 1);
    assert.equal(decoders[0].configs[0].codec, 'vp8');
    for (let i = 0; i < 5; i++) player.media(packet(i));
    assert.deepEqual(decoders[0].chunks.map((c) => c.type), ['key', 'delta', 'delta', 'delta', 'delta']);
    decoders[0].flushAll();
    player.tick();
    assert.ok(player.stats.framesShown >= 1, `frames shown: ${player.stats.framesShown}`);
  } finally {
    player.stop();
    mock.restoreAll();
  }
});

test('?video=mse pinned, a codec MSE cannot play: the player stays and says the browser cannot play it', async () => {
  const { player, video } = await mseGivenVp8(true);
  try {
    assert.ok(player.video instanceof MseRenderer);
    assert.equal(player.stats.state, 'unsupported');
    assert.match(player.stats.message, /cannot play vp8 video through MSE/);
    assert.equal(video.replacedBy, null);
    assert.equal(decoders.length, 0);
  } finally {
    player.stop();
    mock.restoreAll();
  }
});

test('neither MSE nor WebCodecs plays the codec: the player says it cannot play it', async () => {
  FakeVideoDecoder.supports = false;
  const { player, video } = await mseGivenVp8(false);
  try {
    assert.ok(player.video instanceof MseRenderer);
    assert.equal(player.stats.state, 'unsupported');
    assert.match(player.stats.message, /cannot play vp8 video through MSE/);
    assert.equal(video.replacedBy, null);
  } finally {
    player.stop();
    mock.restoreAll();
  }
});
