import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawFrameStamp, readFrameStamp, stampBlockSize, stampLatencyMs } from '../src/stats/frame-stamp.js';

test('block size follows the agent: max(8, floor(width / 48)) rounded down to even', () => {
  assert.equal(stampBlockSize(1280), 26);
  assert.equal(stampBlockSize(640), 12);
  assert.equal(stampBlockSize(320), 8);
  assert.equal(stampBlockSize(1920), 40);
});

test('a drawn stamp reads back, also in a strip narrower than the frame', () => {
  for (const width of [640, 1280]) {
    const b = stampBlockSize(width);
    const rgba = new Uint8ClampedArray(width * b * 4);
    const captureMs = 1_763_700_000_123; // wall-clock ms: the stamp keeps the low 32 bits
    drawFrameStamp(rgba, width, captureMs);
    assert.equal(readFrameStamp(rgba, width, width), captureMs % 2 ** 32);
    // The player reads only the stamp's strip: 36 blocks wide.
    const w = 36 * b;
    const strip = new Uint8ClampedArray(w * b * 4);
    for (let y = 0; y < b; y++) strip.set(rgba.subarray(y * width * 4, (y * width + w) * 4), y * w * 4);
    assert.equal(readFrameStamp(strip, w, width), captureMs % 2 ** 32);
  }
});

test('no stamp (markers wrong) reads as null, not as a number', () => {
  const width = 640;
  const rgba = new Uint8ClampedArray(width * 12 * 4).fill(200); // all light grey
  assert.equal(readFrameStamp(rgba, width, width), null);
  assert.equal(readFrameStamp(new Uint8ClampedArray(16), 2, width), null);
});

test('latency across the 2^32 ms wrap', () => {
  assert.equal(stampLatencyMs(1000, 2 ** 32 * 5 + 1085), 85);
  assert.equal(stampLatencyMs(2 ** 32 - 10, 2 ** 32 * 6 + 30), 40);
  assert.equal(stampLatencyMs(500, 2 ** 32 * 3 + 480), -20); // a clock estimate slightly off
});

test('a stamp reads back from a luma plane (a captured I420/NV12 frame in the publisher)', async () => {
  const { readFrameStampLuma } = await import('../src/stats/frame-stamp.js');
  const width = 640;
  const b = stampBlockSize(width);
  const rgba = new Uint8ClampedArray(width * b * 4);
  drawFrameStamp(rgba, width, 4_000_000_007);
  const w = 36 * b;
  const luma = new Uint8Array(w * b);
  for (let y = 0; y < b; y++) for (let x = 0; x < w; x++) luma[y * w + x] = rgba[(y * width + x) * 4];
  assert.equal(readFrameStampLuma(luma, w, width), 4_000_000_007);
  assert.equal(readFrameStampLuma(new Uint8Array(w * b).fill(128), w, width), null);
  assert.equal(readFrameStampLuma(luma.subarray(0, 10), w, width), null, 'too short');
});
