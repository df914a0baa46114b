// The WASM Opus fallback on real libopus packets from FFmpeg: configured from the OpusHead,
// it gives the worklet's shape (media time + one 48 kHz plane per channel) and the tone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { MediaPacketSchema, TrackConfigSchema } from '../src/gen/tunnelcast/v1/tunnelcast_pb.js';
import { parseOpusHead, defaultOpusHead } from '../src/audio/opus-head.js';
import { WasmOpusDecoder } from '../src/audio/wasm-opus-decoder.js';
import { encodeTestTone } from './support/opus.js';

const PACKET_MICROS = 20_000;
const PACKET_SAMPLES = 960;

/** @typedef {import('../src/audio/worklet-messages.js').ToWorklet} ToWorklet */

/** Rising zero crossings per second of a mono signal. @param {Float32Array} samples @param {number} sampleRate */
function frequencyOf(samples, sampleRate) {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1] < 0 && samples[i] >= 0) crossings++;
  return (crossings * sampleRate) / samples.length;
}

/** @param {Float32Array} samples */
function rms(samples) {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

test('OpusHead from FFmpeg is parsed: channels, pre-skip, family 0', () => {
  const { head } = encodeTestTone({ frequencyHz: 440, seconds: 0.2, channels: 2 });
  const parsed = parseOpusHead(head);
  assert.equal(parsed.channels, 2);
  assert.equal(parsed.mappingFamily, 0);
  assert.equal(parsed.preSkipSamples, 312); // libopus' lookahead at 48 kHz
  assert.deepEqual(parsed.channelMapping, [0, 1]);
  assert.throws(() => parseOpusHead(new Uint8Array(19)), /not an OpusHead/);
  assert.throws(() => parseOpusHead(head.subarray(0, 12)), /not an OpusHead/);
});

test('a 440 Hz tone decodes packet by packet into 48 kHz planes, pre-skip dropped and timed', async () => {
  const { head, packets } = encodeTestTone({ frequencyHz: 440, seconds: 2, channels: 1 });
  assert.ok(packets.length >= 99, `packets: ${packets.length}`);
  const decoder = await WasmOpusDecoder.create(parseOpusHead(head));
  try {
    const startMicros = 7_000_000; // publisher timelines start anywhere
    const outputs = packets.map((p, i) => {
      const pcm = decoder.decode(p, startMicros + i * PACKET_MICROS, PACKET_MICROS);
      assert.ok(pcm !== null, `packet ${i} decodes`);
      return pcm;
    });
    assert.equal(decoder.errors, 0);
    assert.ok(outputs.every((o) => o.planes.length === 1 && o.planes[0] instanceof Float32Array));

    // The first packet loses the pre-skip; its samples keep their times. Every other packet is 20 ms.
    assert.equal(outputs[0].planes[0].length, PACKET_SAMPLES - 312);
    assert.equal(outputs[0].mediaTimeMs, startMicros / 1000 + 312 / 48);
    for (let i = 1; i < outputs.length; i++) {
      assert.equal(outputs[i].planes[0].length, PACKET_SAMPLES, `packet ${i}`);
      assert.equal(outputs[i].mediaTimeMs, (startMicros + i * PACKET_MICROS) / 1000);
    }
    const total = outputs.reduce((n, o) => n + o.planes[0].length, 0);
    assert.equal(total, packets.length * PACKET_SAMPLES - 312);

    // The tone: skip the encoder's ramp-up and the end, then count zero crossings.
    const pcm = new Float32Array(total);
    let at = 0;
    for (const o of outputs) {
      pcm.set(o.planes[0], at);
      at += o.planes[0].length;
    }
    const middle = pcm.subarray(4800, pcm.length - 4800);
    assert.ok(Math.abs(frequencyOf(middle, 48_000) - 440) < 3, `frequency ${frequencyOf(middle, 48_000)} Hz`);
    assert.ok(rms(middle) > 0.05, `rms ${rms(middle)}`); // lavfi's sine is at 1/8 full scale: rms ≈ 0.088
  } finally {
    decoder.close();
  }
});

test('stereo decodes into two planes with the tone in both', async () => {
  const { head, packets } = encodeTestTone({ frequencyHz: 440, seconds: 1, channels: 2 });
  const decoder = await WasmOpusDecoder.create(parseOpusHead(head));
  try {
    const outputs = packets.map((p, i) => {
      const pcm = decoder.decode(p, i * PACKET_MICROS, PACKET_MICROS);
      assert.ok(pcm !== null, `packet ${i} decodes`);
      return pcm;
    });
    for (const channel of [0, 1]) {
      const plane = new Float32Array(outputs.slice(10, -5).flatMap((o) => Array.from(o.planes[channel])));
      assert.ok(Math.abs(frequencyOf(plane, 48_000) - 440) < 3, `channel ${channel}: ${frequencyOf(plane, 48_000)} Hz`);
    }
  } finally {
    decoder.close();
  }
});

test('a corrupt packet is counted and yields nothing; the next good one still decodes', async () => {
  const { packets } = encodeTestTone({ frequencyHz: 440, seconds: 0.5, channels: 1 });
  const decoder = await WasmOpusDecoder.create(defaultOpusHead(1));
  const quiet = console.error;
  console.error = () => {}; // the library logs libopus' error itself
  try {
    // TOC byte code 3 with a frame count of 0 is invalid (RFC 6716 §3.2.5).
    assert.equal(decoder.decode(Uint8Array.of(0x03, 0x00), 0, PACKET_MICROS), null);
    assert.equal(decoder.errors, 1);
    const next = decoder.decode(packets[5], 100_000, PACKET_MICROS);
    assert.equal(next?.planes[0].length, PACKET_SAMPLES);
  } finally {
    console.error = quiet;
    decoder.close();
  }
});

test('the decoder seam falls back to WASM where WebCodecs is missing (node) and posts the worklet its usual pcm messages', async () => {
  assert.equal(typeof globalThis.AudioDecoder, 'undefined');
  const { OpusDecoder } = await import('../src/audio/opus-decoder.js');
  const { head, packets } = encodeTestTone({ frequencyHz: 440, seconds: 0.5, channels: 1 });
  const seam = new OpusDecoder();
  /** @type {{ message: ToWorklet, transfer: Transferable[] | StructuredSerializeOptions | undefined }[]} */
  const posted = [];
  // A real port, whose messages are recorded as they are posted (with what they transfer).
  const port = new MessageChannel().port1;
  port.postMessage = (/** @type {ToWorklet} */ message, /** @type {Transferable[] | StructuredSerializeOptions | undefined} */ transfer) => {
    posted.push({ message, transfer });
  };
  seam.port = port;
  await seam.configure(create(TrackConfigSchema, { codec: 'opus', sampleRate: 48_000, channels: 1, decoderConfig: head }));
  assert.equal(seam.kind, 'wasm');
  assert.equal(seam.unsupported, '');
  packets.forEach((payload, i) => seam.push(create(MediaPacketSchema, { payload, ptsMicros: BigInt(i * PACKET_MICROS), durationMicros: PACKET_MICROS }),
    1000 + i * 20));
  assert.equal(seam.packetsDecoded, packets.length);
  assert.equal(posted.length, packets.length);
  const { message, transfer } = posted[3];
  assert.ok(message.type === 'pcm', `a pcm message, not ${message.type}`);
  assert.equal(message.mediaTimeMs, 60);
  assert.equal(message.arrivalMs, 1060);
  assert.equal(message.planes[0].length, PACKET_SAMPLES);
  assert.deepEqual(transfer, [message.planes[0].buffer]);

  await seam.configure(create(TrackConfigSchema, { codec: 'mp4a.40.2', sampleRate: 48_000, channels: 2, decoderConfig: new Uint8Array(0) }));
  assert.equal(seam.kind, '');
  assert.match(seam.unsupported, /mp4a\.40\.2 cannot be decoded/);
  await seam.configure(create(TrackConfigSchema, { codec: 'opus', sampleRate: 48_000, channels: 1, decoderConfig: Uint8Array.of(1, 2, 3) }));
  assert.match(seam.unsupported, /not an OpusHead/);
  seam.closeDecoders();
  port.close();
});
