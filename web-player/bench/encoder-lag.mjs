#!/usr/bin/env node
// @ts-check
// How long each WebCodecs video encoder of a browser holds frames: a page encodes 90 frames at
// 30 fps (a canvas that changes each frame) per configuration and prints the frames given before
// its first output and the median encode-to-output time. Measures what encoder-lag.js probes
// (Firefox ESR 153's H.264: 42-46 frames, 1.4 s).
//   node bench/encoder-lag.mjs [--browser chromium|firefox] [--size 640x360]
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const args = process.argv.slice(2);
const option = (/** @type {string} */ name, /** @type {string} */ fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const browserName = option('--browser', 'chromium');
const [width, height] = option('--size', '640x360').split('x').map(Number);
const CONFIGS = [
  { name: 'H.264 realtime', codec: 'avc1.42E01F', latencyMode: 'realtime' },
  { name: 'H.264 quality', codec: 'avc1.42E01F', latencyMode: 'quality' },
  { name: 'H.264 realtime CBR', codec: 'avc1.42E01F', latencyMode: 'realtime', bitrateMode: 'constant' },
  { name: 'H.264 High realtime', codec: 'avc1.64001F', latencyMode: 'realtime' },
  { name: 'VP8 realtime', codec: 'vp8', latencyMode: 'realtime' },
  { name: 'VP9 realtime', codec: 'vp09.00.31.08', latencyMode: 'realtime' },
  { name: 'AV1 realtime', codec: 'av01.0.05M.08', latencyMode: 'realtime' },
];

// WebCodecs wants a secure context: a page on loopback.
const server = http.createServer((_, res) => res.end('<!doctype html><title>encoder lag</title>')).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const home = mkdtempSync(join(tmpdir(), 'tc-encoder-lag-'));
const browser = browserName === 'firefox'
  ? await puppeteer.launch({ browser: 'firefox', executablePath: process.env.TUNNELCAST_FIREFOX ?? '/usr/bin/firefox-esr', headless: true,
    protocol: 'webDriverBiDi', userDataDir: join(home, 'profile'), env: { ...process.env, HOME: home } })
  : await puppeteer.launch({ executablePath: process.env.TUNNELCAST_CHROMIUM ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox'], userDataDir: join(home, 'profile'), env: { ...process.env, HOME: home } });
try {
  const page = (await browser.pages())[0] ?? await browser.newPage();
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  await page.goto(`http://127.0.0.1:${address.port}/`);
  console.log(`${browserName} ${await browser.version()}, ${width}x${height}, 90 frames at 30 fps per configuration`);
  console.log('configuration           frames before first output   encode-to-output p50 ms');
  for (const c of CONFIGS) {
    const r = await page.evaluate(async (c, width, height) => {
      const config = { codec: c.codec, width, height, bitrate: Math.round(width * height * 30 * 0.08), framerate: 30,
        latencyMode: c.latencyMode, ...(c.bitrateMode ? { bitrateMode: c.bitrateMode } : {}), ...(c.codec.startsWith('avc1') ? { avc: { format: 'avc' } } : {}) };
      const support = await VideoEncoder.isConfigSupported(/** @type {VideoEncoderConfig} */ (config)).catch(() => ({ supported: false }));
      if (!support.supported) return null;
      /** @type {number[]} */
      const sentAt = [];
      /** @type {[number, number][]} [frame, output time] */
      const outputs = [];
      const encoder = new VideoEncoder({ output: (chunk) => outputs.push([Math.round(chunk.timestamp / 33_333), performance.now()]), error: () => {} });
      encoder.configure(/** @type {VideoEncoderConfig} */ (config));
      const canvas = new OffscreenCanvas(width, height);
      const g = /** @type {OffscreenCanvasRenderingContext2D} */ (canvas.getContext('2d'));
      for (let i = 0; i < 90; i++) {
        g.fillStyle = `rgb(${(i * 3) % 255},${(i * 7) % 255},100)`;
        g.fillRect(0, 0, width, height);
        const frame = new VideoFrame(canvas, { timestamp: i * 33_333 });
        sentAt[i] = performance.now();
        encoder.encode(frame, { keyFrame: i === 0 });
        frame.close();
        await new Promise((resolve) => setTimeout(resolve, 33));
      }
      const first = outputs.length ? outputs[0][1] : Infinity;
      const lags = outputs.map(([i, at]) => at - sentAt[i]).sort((a, b) => a - b);
      encoder.close();
      return { before: sentAt.filter((t) => t < first).length, p50: lags.length ? lags[lags.length >> 1] : NaN };
    }, c, width, height);
    console.log(`${c.name.padEnd(24)}${r ? `${String(r.before).padStart(26)}${r.p50.toFixed(1).padStart(26)}` : '   not supported'}`);
  }
} finally {
  await browser.close();
  server.close();
  rmSync(home, { recursive: true, force: true });
}
