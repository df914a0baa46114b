// The browser publisher's TrackConfig contents (codec strings, vpcC, OpusHead), its capture
// timeline and its page options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { avcCodecString, h264EncoderCodec, opusHead, vp8Vpcc, bytesOf, repairedAvcC } from '../src/publish/track-format.js';
import { parseOpusHead } from '../src/audio/opus-head.js';
import { VideoTrackEncoder } from '../src/publish/video-track-encoder.js';
import { AudioTrackEncoder } from '../src/publish/audio-track-encoder.js';
import { CaptureTimeline, EncoderTimestamps, SampleClock, SETTLE_MICROS } from '../src/publish/capture-timeline.js';
import { CaptureGaps } from '../src/publish/capture-gaps.js';
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

test('capture timelines of two tracks anchor when the first packet is sent: a late first frame does not set audio and video apart', () => {
  const epoch = 1_700_000_000_000_000;
  // Video on one clock, audio on another (Chromium: VideoFrame timestamps from boot, AudioData from the time origin).
  const video = new CaptureTimeline(epoch);
  const audio = new CaptureTimeline(epoch);
  const videoClock = 3_000_000_000; // video timestamp = local − epoch + videoClock
  const audioClock = 1_000_000;
  // The first video frame is read 400 ms late (a busy machine starting up), the first audio chunk 20 ms; then both 1-2 ms.
  video.observe(videoClock + 100_000, epoch + 100_000 + 400_000);
  audio.observe(audioClock + 100_000, epoch + 100_000 + 20_000);
  for (let t = 150_000; t < 1_000_000; t += 33_333) video.observe(videoClock + t, epoch + t + 2_000);
  for (let t = 120_000; t < 1_000_000; t += 10_000) audio.observe(audioClock + t, epoch + t + 1_000);
  // What was captured at the same moment gets the same pts, within the two tracks' best delivery delays.
  const at = 1_000_000;
  const skew = video.ptsMicros(videoClock + at) - audio.ptsMicros(audioClock + at);
  assert.ok(Math.abs(skew) <= 1_000, `skew ${skew} µs`);
  assert.equal(audio.ptsMicros(audioClock + at + 20_000) - audio.ptsMicros(audioClock + at), 20_000, 'then pts follow the source timestamps');
  // Later, better deliveries refine capture times but leave the anchored pts alone.
  audio.observe(audioClock + 1_100_000, epoch + 1_100_000 + 200);
  assert.equal(audio.ptsMicros(audioClock + at), at + 1_000);
  assert.equal(audio.captureLocalMicros(audioClock + at), epoch + at + 200);
  // A source whose first packet was captured before the publication began starts at 0.
  const early = new CaptureTimeline(epoch);
  early.observe(5_000, epoch - 10_000);
  assert.equal(early.ptsMicros(5_000), 0);
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

test('the capture time a starved source delivered nothing for is counted, from the chunks\' own timestamps', () => {
  const gaps = new CaptureGaps();
  const clock = new SampleClock(44_100);
  const chunk = 1024; // the page's ScriptProcessorNode buffer: 23.2 ms
  const chunkMicros = (chunk / 44_100) * 1e6;
  let arrival = 1_000_000;
  for (let i = 0; i < 10; i++, arrival += chunkMicros) gaps.observe(clock.next(chunk, arrival), chunkMicros);
  assert.deepEqual([gaps.gaps, gaps.gapMicros], [0, 0], 'continuous samples, however their callbacks jitter');
  arrival += 300_000; // the audio graph stalled: 300 ms of samples never rendered
  for (let i = 0; i < 10; i++, arrival += chunkMicros) gaps.observe(clock.next(chunk, arrival), chunkMicros);
  assert.equal(gaps.gaps, 1);
  assert.ok(Math.abs(gaps.gapMicros - 300_000) < 1, `${gaps.gapMicros} µs counted`);
  gaps.newSource();
  gaps.observe(50_000_000, chunkMicros);
  gaps.observe(10_000_000, chunkMicros);
  assert.equal(gaps.gaps, 1, 'neither a new source nor a clock that went back is a gap');
});

test('audio packets get their input\'s timestamps: a gap in the capture stays a gap (the encoder\'s own count loses it)', () => {
  const t = new EncoderTimestamps(48_000);
  // 10 ms inputs; after the 20th, 500 ms of capture never arrived (a starved device).
  let ts = 1_000_000;
  for (let i = 0; i < 20; i++, ts += 10_000) t.input(ts, 480);
  ts += 500_000;
  for (let i = 0; i < 20; i++, ts += 10_000) t.input(ts, 480);
  // What Chromium's Opus encoder stamps its 20 ms packets with: a count of samples from the first input.
  const encoder = (/** @type {number} */ k) => 1_000_000 + k * 20_000 - (k === 13 ? 1 : 0);
  assert.equal(t.sourceMicros(encoder(0)), 1_000_000);
  assert.equal(t.sourceMicros(encoder(9)), 1_180_000);
  assert.equal(t.sourceMicros(encoder(10)), 1_700_000, 'after the gap');
  assert.ok(Math.abs(t.sourceMicros(encoder(13)) - 1_760_000) < 1, 'the encoder\'s rounding');
  assert.equal(t.sourceMicros(encoder(19)), 1_880_000);
  assert.ok(t.inputs.length <= 3, 'inputs behind the output are forgotten');
});

test('a capture timeline settles once its backlog has drained: the fastest delivery stops improving', () => {
  const t = new CaptureTimeline(0);
  assert.equal(t.settled(0), true, 'no frames: nothing to wait for');
  // A worker that started late finds 2 s of 10 ms chunks queued and reads them 1 ms apart, then in real time.
  let read = 2_000_000;
  for (let ts = 0; ts < 2_000_000; ts += 10_000) {
    t.observe(ts, read);
    read += 1_000;
    assert.equal(t.settled(read), false, 'draining');
  }
  for (let ts = 2_000_000; ; ts += 10_000) {
    read = Math.max(read + 1_000, ts + 5_000 + (ts % 30_000 === 0 ? 3_000 : 0));
    t.observe(ts, read);
    if (t.settled(read)) break;
  }
  assert.ok(read - t.lastImprovedLocalMicros >= SETTLE_MICROS);
  assert.equal(t.minOffsetMicros, 5_000);
  assert.equal(t.ptsMicros(3_000_000), 3_005_000, 'anchored on the settled delivery');
});

test('a source whose timestamps jump ahead of the wall clock is anchored anew, continuing where it was', () => {
  const t = new CaptureTimeline(0);
  for (let i = 0; i < 100; i++) t.observe(i * 10_000, 1_000_000 + i * 10_000 + 1_000);
  assert.equal(t.ptsMicros(0, 10_000), 1_001_000);
  assert.equal(t.ptsMicros(990_000, 10_000), 1_991_000);
  // The next chunk, read 10 ms later, is stamped 1.8 s further on.
  t.observe(1_000_000 + 1_800_000, 2_001_000 + 1_000);
  assert.equal(t.ptsMicros(2_800_000, 10_000), 2_002_000, 'continues after the last (its capture time), not 1.8 s in the future');
  assert.equal(t.ptsMicros(2_810_000, 10_000), 2_012_000);
  assert.equal(t.reanchors, 1);
  // A drained backlog (the fastest delivery improving) is not allowed to go back over what was sent.
  t.observe(2_820_000, 2_022_000 - 30_000);
  assert.ok(t.ptsMicros(2_820_000, 10_000) >= 2_022_000);
  // Held back by what was sent, the anchor moves on only in steps: pts keep the source's spacing.
  const before = t.reanchors;
  assert.equal(t.ptsMicros(2_830_000, 10_000) - t.ptsMicros(2_820_000 + 0, 0), 10_000);
  assert.equal(t.reanchors, before);
});

test('a source whose timestamps jump back starts its capture times afresh: the page\'s clock, then the worker\'s', () => {
  // Chromium, measured: an audio track's MediaStreamTrackProcessor made on the page and read in the publish worker
  // gave its first 3 chunks on the page's clock (3.71 s) and the rest on the worker's (0.14 s on), a 3.6 s jump
  // back. Capture times stayed on the first chunks' offset: 3.7 s early, and audio pts with them.
  const epoch = 10_000_000;
  const t = new CaptureTimeline(epoch);
  const workerOrigin = 3_600_000; // the worker's clock: local − epoch − this; the page's: local − epoch
  let read = epoch + 3_710_000;
  for (let i = 0; i < 3; i++, read += 1_000) t.observe(3_710_000 + i * 10_000, read);
  for (let ts = 140_000; ts < 1_200_000; ts += 10_000) {
    read = epoch + workerOrigin + ts + 1_000;
    t.observe(ts, read);
  }
  assert.ok(t.settled(read), 'settled on the worker\'s clock');
  assert.equal(t.captureLocalMicros(1_190_000), read, 'capture time: the timestamp plus the fastest delivery on the new clock');
  assert.equal(t.ptsMicros(1_190_000), read - epoch);
});

test('an anchored source whose timestamps jump back is anchored anew, continuing where it was', () => {
  const t = new CaptureTimeline(0);
  for (let i = 0; i < 100; i++) t.observe(5_000_000 + i * 10_000, 1_000_000 + i * 10_000 + 1_000);
  assert.equal(t.ptsMicros(5_990_000, 10_000), 1_991_000);
  // The next chunk, read 10 ms later, is stamped 5 s earlier.
  for (let i = 0; i < 10; i++) t.observe(1_000_000 + i * 10_000, 2_001_000 + i * 10_000 + 1_000);
  assert.equal(t.captureLocalMicros(1_000_000), 2_002_000, 'capture times on the new clock');
  assert.equal(t.ptsMicros(1_000_000, 10_000), 2_002_000, 'continues at its capture time, not 5 s back');
  assert.equal(t.ptsMicros(1_010_000, 10_000), 2_012_000);
  assert.equal(t.reanchors, 1);
});

/** @param {string} hex */
const bytes = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
/** @param {...Uint8Array} nals  length-prefixed, 4 bytes each */
const avcPacket = (...nals) => Uint8Array.from(nals.flatMap((n) => [0, 0, n.length >> 8, n.length & 0xff, ...n]));
const SPS = bytes('6742c01ed900a02ff9610000030001001e84800f162e48');
const PPS = bytes('68cb8cb2');
const IDR = bytes('6588842f118020000404c00381626cd9b366fc1c');

test("Firefox's avcC (each parameter set's NAL header twice, reserved bits clear) is rebuilt from the keyframe's own SPS and PPS", () => {
  // As Firefox ESR 153 describes its H.264 (recorded by the relay from a publish page in Firefox).
  const firefox = bytes('0142c01e03010018676742c01ed900a02ff9610000030001001e84800f162e480100056868cb8cb2');
  const repaired = repairedAvcC(firefox, avcPacket(SPS, PPS, IDR));
  assert.ok(repaired);
  assert.deepEqual([...repaired], [1, 0x42, 0xc0, 0x1e, 0xff, 0xe1, 0, SPS.length, ...SPS, 1, 0, PPS.length, ...PPS]);
  assert.equal(avcCodecString(repaired), 'avc1.42C01E');
});

test('a well-formed avcC is kept as the encoder gave it; a malformed one with nothing to rebuild it from is not usable (null)', () => {
  const good = Uint8Array.from([1, 0x42, 0xc0, 0x1e, 0xff, 0xe1, 0, SPS.length, ...SPS, 1, 0, PPS.length, ...PPS]);
  assert.equal(repairedAvcC(good, avcPacket(SPS, PPS, IDR)), good);
  assert.equal(repairedAvcC(good, null), good);
  const firefox = bytes('0142c01e03010018676742c01ed900a02ff9610000030001001e84800f162e480100056868cb8cb2');
  assert.equal(repairedAvcC(firefox, avcPacket(IDR)), null, 'no SPS in band');
  assert.equal(repairedAvcC(firefox, null), null, 'not a keyframe');
  assert.equal(repairedAvcC(firefox, Uint8Array.of(0, 0, 9, 9, 1)), null, 'not length-prefixed');
});

test('the encoder announces the rebuilt avcC once, though Firefox gives its malformed one again on later frames', () => {
  const firefox = bytes('0142c01e03010018676742c01ed900a02ff9610000030001001e84800f162e480100056868cb8cb2');
  /** @type {import('../src/publish/video-track-encoder.js').VideoTrackFormat[]} */
  const formats = [];
  /** @type {boolean[]} */
  const packets = [];
  const encoder = new VideoTrackEncoder({ codec: 'auto', bitrateBps: 0, keyframeIntervalMs: 2000 },
    { onFormat: (f) => formats.push(f), onPacket: (p) => packets.push(p.keyframe), onError: (e) => assert.fail(e) });
  encoder.config = { codec: 'avc1.42E01E', width: 640, height: 360, framerate: 30 };
  /** @param {'key' | 'delta'} type @param {Uint8Array} payload @param {number} timestamp */
  const chunk = (type, payload, timestamp) => /** @type {EncodedVideoChunk} */ (/** @type {unknown} */ ({ type, timestamp, duration: 33_333,
    byteLength: payload.length, copyTo: (/** @type {Uint8Array} */ to) => to.set(payload) }));
  const described = { decoderConfig: { codec: 'avc1.42C01E', description: firefox } };
  encoder.output(chunk('delta', avcPacket(bytes('419a38')), 0), described); // before any keyframe: nothing to decode it from
  encoder.output(chunk('key', avcPacket(SPS, PPS, IDR), 33_333), described);
  encoder.output(chunk('delta', avcPacket(bytes('419a38')), 66_667), described);
  encoder.output(chunk('delta', avcPacket(bytes('419a54')), 100_000), undefined);
  assert.equal(formats.length, 1);
  assert.deepEqual([...formats[0].decoderConfig], [1, 0x42, 0xc0, 0x1e, 0xff, 0xe1, 0, SPS.length, ...SPS, 1, 0, PPS.length, ...PPS]);
  assert.deepEqual(packets, [true, false, false]);
});

test("WebKitGTK's Opus packets, labelled with their inputs' timestamps (two of one input alike), are placed 20 ms apart", () => {
  /** @type {number[]} */
  const pts = [];
  const encoder = new AudioTrackEncoder({ bitrateBps: 32_000, dtx: false },
    { onFormat: () => {}, onPacket: (p) => pts.push(p.timestampMicros), onError: (e) => assert.fail(e) });
  encoder.timestamps = new EncoderTimestamps(44_100);
  for (let i = 0; i < 8; i++) encoder.timestamps.input(1_000_000 + Math.round((i * 1024 * 1e6) / 44_100), 1024);
  // What WebKitGTK 2.50's AudioEncoder gave for eight inputs of 1024 samples at 44.1 kHz (nine 20 ms packets).
  const webkit = [1000000, 1023220, 1046440, 1069660, 1092880, 1116100, 1139320, 1139320, 1162540];
  for (const timestamp of webkit) {
    encoder.output(/** @type {EncodedAudioChunk} */ (/** @type {unknown} */ ({ timestamp, duration: 23_219, byteLength: 3,
      copyTo: (/** @type {Uint8Array} */ to) => to.set([1, 2, 3]) })), undefined, 2, 44_100);
  }
  assert.deepEqual(pts, webkit.map((_, i) => 1_000_000 + i * 20_000));
});

test('Opus packets that last the frame asked for keep the encoder\'s timestamps (Chromium: gaps included)', () => {
  /** @type {number[]} */
  const pts = [];
  const encoder = new AudioTrackEncoder({ bitrateBps: 32_000, dtx: false },
    { onFormat: () => {}, onPacket: (p) => pts.push(p.timestampMicros), onError: (e) => assert.fail(e) });
  for (const timestamp of [0, 20_000, 100_000]) {
    encoder.output(/** @type {EncodedAudioChunk} */ (/** @type {unknown} */ ({ timestamp, duration: 20_000, byteLength: 1,
      copyTo: (/** @type {Uint8Array} */ to) => to.set([1]) })), undefined, 1, 48_000);
  }
  assert.deepEqual(pts, [0, 20_000, 100_000]);
});
