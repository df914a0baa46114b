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
