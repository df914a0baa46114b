// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseVideoPath } from '../src/video/video-path.js';

const MediaSource = class {};
const ManagedMediaSource = class {};
const VideoDecoder = class {};

test('automatically: MSE where it exists, ManagedMediaSource where only it does (iPhone), else WebCodecs', () => {
  assert.deepEqual(chooseVideoPath(null, { MediaSource, ManagedMediaSource, VideoDecoder }), { path: 'mse', note: '' });
  assert.deepEqual(chooseVideoPath(null, { ManagedMediaSource, VideoDecoder }), { path: 'mms', note: '' });
  assert.deepEqual(chooseVideoPath('auto', { VideoDecoder }), { path: 'webcodecs', note: '' });
});

test('a path asked for is taken where the engine has it', () => {
  const engine = { MediaSource, ManagedMediaSource, VideoDecoder };
  assert.equal(chooseVideoPath('mms', engine).path, 'mms');
  assert.equal(chooseVideoPath('webcodecs', engine).path, 'webcodecs');
  assert.equal(chooseVideoPath('mse', engine).path, 'mse');
});

test('a path asked for but missing falls back to the automatic choice, and says so', () => {
  const choice = chooseVideoPath('mms', { MediaSource, VideoDecoder });
  assert.equal(choice.path, 'mse');
  assert.match(choice.note, /ManagedMediaSource is not available here: MSE instead/);
  assert.equal(chooseVideoPath('webcodecs', { ManagedMediaSource }).path, 'mms');
});

test('an unknown value is read as automatic', () => {
  assert.deepEqual(chooseVideoPath('hls', { ManagedMediaSource }), { path: 'mms', note: '' });
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
