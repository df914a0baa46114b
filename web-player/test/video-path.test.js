// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseVideoPath, fallbackFor } from '../src/video/video-path.js';
import { playerOptionsFrom } from '../src/ui/player-options.js';

const MediaSource = class {};
const ManagedMediaSource = class {};
const VideoDecoder = class {};

test('automatically: MSE where it exists, ManagedMediaSource where only it does (iPhone), else WebCodecs', () => {
  assert.deepEqual(chooseVideoPath(null, { MediaSource, ManagedMediaSource, VideoDecoder }), { path: 'mse', note: '', pinned: false });
  assert.deepEqual(chooseVideoPath(null, { ManagedMediaSource, VideoDecoder }), { path: 'mms', note: '', pinned: false });
  assert.deepEqual(chooseVideoPath('auto', { VideoDecoder }), { path: 'webcodecs', note: '', pinned: false });
});

test('a path asked for is taken where the engine has it', () => {
  const engine = { MediaSource, ManagedMediaSource, VideoDecoder };
  assert.equal(chooseVideoPath('mms', engine).path, 'mms');
  assert.equal(chooseVideoPath('webcodecs', engine).path, 'webcodecs');
  assert.equal(chooseVideoPath('mse', engine).path, 'mse');
  assert.equal(chooseVideoPath('mse', engine).pinned, true, 'pinned: kept even where it shows no picture');
});

test('a path asked for but missing falls back to the automatic choice, and says so', () => {
  const choice = chooseVideoPath('mms', { MediaSource, VideoDecoder });
  assert.equal(choice.path, 'mse');
  assert.match(choice.note, /ManagedMediaSource is not available here: MSE instead/);
  assert.equal(choice.pinned, false);
  assert.equal(chooseVideoPath('webcodecs', { ManagedMediaSource }).path, 'mms');
});

test('an unknown value is read as automatic', () => {
  assert.deepEqual(chooseVideoPath('hls', { ManagedMediaSource }), { path: 'mms', note: '', pinned: false });
});

test('a path that shows no picture is left for WebCodecs where the engine has a VideoDecoder, unless pinned', () => {
  assert.equal(fallbackFor('mse', false, { MediaSource, VideoDecoder }), 'webcodecs');
  assert.equal(fallbackFor('mms', false, { ManagedMediaSource, VideoDecoder }), 'webcodecs');
  assert.equal(fallbackFor('mse', true, { MediaSource, VideoDecoder }), null, '?video=mse');
  assert.equal(fallbackFor('mse', false, { MediaSource }), null, 'no VideoDecoder');
  assert.equal(fallbackFor('webcodecs', false, { VideoDecoder }), null);
});

test('the page\'s ?video= pins the path the player is given; without it, or with auto, it is not pinned', () => {
  const where = { stream: 's', token: '', wsBase: 'ws://h', baseUrl: 'http://h/' };
  Object.assign(globalThis, { MediaSource, VideoDecoder });
  try {
    assert.equal(playerOptionsFrom(new URLSearchParams('video=mse'), where).videoPathPinned, true);
    assert.equal(playerOptionsFrom(new URLSearchParams(''), where).videoPathPinned, false);
    assert.equal(playerOptionsFrom(new URLSearchParams('video=auto'), where).videoPathPinned, false);
  } finally {
    Reflect.deleteProperty(globalThis, 'MediaSource');
    Reflect.deleteProperty(globalThis, 'VideoDecoder');
  }
});

test('playability: a codec the path cannot play is named, with a path of this engine that plays it', async () => {
  const { playability, sourceCanPlay } = await import('../src/video/playable.js');
  // Chromium-like: MSE has H.264 in MP4 but not VP8; WebCodecs decodes both.
  const engine = {
    MediaSource: class {
      /** @param {string} type */
      static isTypeSupported(type) { return type.includes('avc1'); }
    },
    VideoDecoder: class {
      /** @param {{ codec: string }} c */
      static async isConfigSupported(c) { return { supported: c.codec !== 'av99' }; }
    },
  };
  assert.equal(sourceCanPlay('avc1.42C01F', false, engine), true);
  assert.deepEqual(await playability('avc1.42C01F', 'mse', engine), { playable: true, message: '', instead: null });
  assert.deepEqual(await playability('vp8', 'mse', engine),
    { playable: false, message: 'vp8 does not play here through MSE', instead: 'webcodecs' });
  assert.deepEqual(await playability('av99', 'mse', engine),
    { playable: false, message: 'this browser cannot play av99 video', instead: null });
});
