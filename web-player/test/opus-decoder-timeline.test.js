// The transport worker's Opus decoder hands the worklet each packet's own media time. The
// WebCodecs AudioDecoder here is a stand-in for Chromium's (a collaborator of the unit under
// test): like Chromium's, measured, it stamps outputs by counting samples from the first input,
// so a sender's DTX pause (no packets while quiet) vanishes from its output timestamps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpusDecoder } from '../src/audio/opus-decoder.js';

class SampleCountingDecoder {
  /** @param {{ output: (data: object) => void, error: (e: Error) => void }} init */
  constructor(init) {
    this.output = init.output;
    this.state = 'unconfigured';
    this.nextMicros = NaN;
  }

  configure() {
    this.state = 'configured';
  }

  /** @param {{ timestamp: number, duration: number }} chunk */
  decode(chunk) {
    if (Number.isNaN(this.nextMicros)) this.nextMicros = chunk.timestamp;
    const timestamp = this.nextMicros;
    this.nextMicros += chunk.duration;
    queueMicrotask(() => this.output({ timestamp, numberOfChannels: 1, numberOfFrames: 960,
      copyTo: (/** @type {Float32Array} */ plane) => plane.fill(0.5), close() {} }));
  }

  close() {
    this.state = 'closed';
  }

  static async isConfigSupported() {
    return { supported: true };
  }
}

test('decoded audio keeps its packets\' media times across a DTX pause, whatever the decoder stamps', async () => {
  const globals = /** @type {any} */ (globalThis);
  const saved = { AudioDecoder: globals.AudioDecoder, EncodedAudioChunk: globals.EncodedAudioChunk };
  globals.AudioDecoder = SampleCountingDecoder;
  globals.EncodedAudioChunk = class { constructor(/** @type {object} */ init) { Object.assign(this, init); } };
  try {
    const decoder = new OpusDecoder();
    /** @type {{ mediaTimeMs: number, arrivalMs: number }[]} */
    const posted = [];
    decoder.port = /** @type {any} */ ({ postMessage: (/** @type {any} */ m) => posted.push({ mediaTimeMs: m.mediaTimeMs, arrivalMs: m.arrivalMs }) });
    await decoder.configure(/** @type {any} */ ({ codec: 'opus', sampleRate: 48_000, channels: 1, decoderConfig: new Uint8Array(0) }));
    // Talk, a 940 ms pause of the sender's DTX, talk again, then a 2 s pause.
    const ptsMs = [0, 20, 40, 1000, 1020, 3000, 3020];
    for (const [i, pts] of ptsMs.entries()) {
      decoder.push(/** @type {any} */ ({ ptsMicros: BigInt(pts * 1000), durationMicros: 20_000, payload: new Uint8Array([i]) }), 500 + pts);
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(posted.map((p) => p.mediaTimeMs), ptsMs, 'each packet at its own time: the pauses stay');
    assert.deepEqual(posted.map((p) => p.arrivalMs), ptsMs.map((pts) => 500 + pts), 'and with its own arrival');
  } finally {
    globals.AudioDecoder = saved.AudioDecoder;
    globals.EncodedAudioChunk = saved.EncodedAudioChunk;
  }
});
