// The browser publisher's TrackConfig contents (codec strings, vpcC, OpusHead), its capture
// timeline and its page options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { avcCodecString, h264EncoderCodec, opusHead, vp8Vpcc, bytesOf } from '../src/publish/track-format.js';
import { parseOpusHead } from '../src/audio/opus-head.js';
import { CaptureTimeline, SampleClock } from '../src/publish/capture-timeline.js';
import { parsePublishOptions, DEFAULT_PUBLISH_SETTINGS } from '../src/publish/settings.js';

test('the codec string is read from the avcC, as the agent reads it from the SPS', () => {
  const avcC = Uint8Array.of(1, 0x42, 0xc0, 0x1f, 0xff, 0xe1, 0, 0);
  assert.equal(avcCodecString(avcC), 'avc1.42C01F');
  assert.throws(() => avcCodecString(Uint8Array.of(0, 1, 2)), /not an avcC/);
  assert.equal(h264EncoderCodec(640, 360), 'avc1.42E01E');
  assert.equal(h264EncoderCodec(1280, 720), 'avc1.42E01F');
  assert.equal(h264EncoderCodec(1920, 1080), 'avc1.42E028');
});

test('VP8 gets the agent\'s 12-byte vpcC', () => {
  assert.deepEqual([...vp8Vpcc()], [1, 0, 0, 0, 0, 0, 0x82, 2, 2, 2, 0, 0]);
});

test('the OpusHead is the encoder\'s when it gives one, else built for the channels', () => {
  const head = parseOpusHead(opusHead(1, 44_100));
  assert.deepEqual([head.channels, head.preSkipSamples, head.inputSampleRateHz, head.mappingFamily], [1, 312, 44_100, 0]);
  const given = opusHead(2, 48_000);
  given[10] = 0x38;
  assert.equal(opusHead(2, 48_000, given), given);
  assert.equal(parseOpusHead(opusHead(2, 48_000, Uint8Array.of(1, 2, 3))).channels, 2, 'not an OpusHead: built');
});

test('bytesOf copies chunks and buffer views', () => {
  const chunk = { byteLength: 3, copyTo: (/** @type {Uint8Array} */ d) => d.set([7, 8, 9]) };
  assert.deepEqual([...bytesOf(chunk)], [7, 8, 9]);
  const view = new Uint8Array([1, 2, 3, 4]).subarray(1, 3);
  assert.deepEqual([...bytesOf(view)], [2, 3]);
  assert.deepEqual([...bytesOf(view.buffer)], [1, 2, 3, 4]);
});

test('the capture timeline takes the fastest delivery as capture time and keeps pts continuous', () => {
  const epoch = 1_000_000_000;
  const t = new CaptureTimeline(epoch);
  // Source timestamps start at 5 s; frames are read 30 ms, then 10 ms, then 20 ms after capture.
  t.observe(5_000_000, epoch + 30_000);
  assert.equal(t.ptsMicros(5_000_000), 30_000);
  t.observe(5_033_333, epoch + 33_333 + 10_000);
  t.observe(5_066_667, epoch + 66_667 + 20_000);
  assert.equal(t.captureLocalMicros(5_066_667), epoch + 66_667 + 10_000);
  assert.equal(t.ptsMicros(5_066_667), 30_000 + 66_667, 'pts follow the source timestamps');
});

test('publish page options: defaults, values, and refusals with the reason', () => {
  const d = parsePublishOptions(new URLSearchParams(''));
  assert.deepEqual(d.settings, DEFAULT_PUBLISH_SETTINGS);
  assert.deepEqual(d.capture, { width: 1280, height: 720, frameRate: 30 });
  assert.deepEqual(d.errors, []);
  const o = parsePublishOptions(new URLSearchParams('video-codec=vp8&video-bitrate=500000&dtx=off&size=640x360&fps=15&queue-age=300'));
  assert.equal(o.settings.videoCodec, 'vp8');
  assert.equal(o.settings.videoBitrateBps, 500_000);
  assert.equal(o.settings.dtx, false);
  assert.equal(o.settings.queueAgeMs, 300);
  assert.deepEqual(o.capture, { width: 640, height: 360, frameRate: 15 });
  const bad = parsePublishOptions(new URLSearchParams('video-codec=h265&queue-age=5&size=big'));
  assert.equal(bad.errors.length, 3);
  for (const name of ["video-codec=h265", "queue-age=5", "size=big"]) assert.ok(bad.errors.some((e) => e.startsWith(name)), name);
});

test('copied audio: timestamps count samples, and move up (never back) when the samples fall 100 ms behind', () => {
  const clock = new SampleClock(48_000);
  const chunk = 960; // 20 ms
  assert.equal(clock.next(chunk, 1_020_000), 1_000_000);
  assert.equal(clock.next(chunk, 1_045_000), 1_020_000, 'a late callback does not move a continuous timeline');
  assert.equal(clock.next(chunk, 1_050_000), 1_040_000, 'nor an early one');
  // A starved audio thread: 200 ms of wall time bring one chunk.
  assert.equal(clock.next(chunk, 1_260_000), 1_240_000);
  assert.equal(clock.jumps, 1);
  assert.equal(clock.next(chunk, 1_280_000), 1_260_000);
});
