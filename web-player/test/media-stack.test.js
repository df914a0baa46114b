// WebKitGTK aborts its web process when a WebCodecs isConfigSupported is its first media call:
// the publisher's encoder choice asks MSE first. Fakes of both globals record the order.
import { test } from 'node:test';
import assert from 'node:assert/strict';

/** @type {string[]} */
const calls = [];
Object.assign(globalThis, {
  MediaSource: { isTypeSupported: (/** @type {string} */ type) => { calls.push(`MediaSource.isTypeSupported ${type}`); return true; } },
  VideoEncoder: { isConfigSupported: async (/** @type {VideoEncoderConfig} */ c) => { calls.push(`VideoEncoder.isConfigSupported ${c.codec}`); return { supported: true }; } },
});
const { chooseVideoConfig } = await import('../src/publish/video-track-encoder.js');

test('the encoder choice calls MediaSource.isTypeSupported before the first VideoEncoder.isConfigSupported', async () => {
  const config = await chooseVideoConfig('auto', 640, 360, 30, 1_000_000);
  assert.ok(config);
  assert.match(calls[0] ?? '', /^MediaSource\.isTypeSupported/, JSON.stringify(calls));
  assert.match(calls[1] ?? '', /^VideoEncoder\.isConfigSupported/, JSON.stringify(calls));
});
