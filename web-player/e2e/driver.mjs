// Drives the player in real headless Chromium (Debian's /usr/bin/chromium through
// playwright-core; never a downloaded browser) for the end-to-end tests and the latency
// benchmark. Speaks line-delimited JSON: one command per stdin line, one answer per stdout
// line ({ ok: true, ... } or { ok: false, error }). Logs go to stderr.
//
// Commands: open {url, withoutWebCodecsAudio?, withoutGlobals?} · waitFor {states[], timeoutMs, minFrames?} · waitUntil {expression, timeoutMs}
//           · stats · reset · collect {durationMs}
//           · watch {durationMs, intervalMs} · screenshot {path} · text|click|visible {selector}
//           · clickAt {selector, xFraction} · eval {expression} · video · trace {expression, durationMs} · console · quit
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createInterface } from 'node:readline';

const CHROMIUM = process.env.TUNNELCAST_CHROMIUM ?? '/usr/bin/chromium';
// TUNNELCAST_AUTOPLAY=blocked keeps Chromium's default autoplay policy (audio needs a click).
const autoplayBlocked = process.env.TUNNELCAST_AUTOPLAY === 'blocked';
// TUNNELCAST_FAKE_VIDEO / TUNNELCAST_FAKE_AUDIO: files (y4m, wav) that Chromium's fake camera and
// microphone play in a loop, granted without a prompt (the publisher's tests).
const fakeVideo = process.env.TUNNELCAST_FAKE_VIDEO ?? '';
const fakeAudio = process.env.TUNNELCAST_FAKE_AUDIO ?? '';
const fakeMedia = fakeVideo || fakeAudio ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  ...(fakeVideo ? [`--use-file-for-fake-video-capture=${fakeVideo}`] : []),
  ...(fakeAudio ? [`--use-file-for-fake-audio-capture=${fakeAudio}`] : [])] : [];
const home = mkdtempSync(join(tmpdir(), 'tc-chromium-'));
const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') };

const context = await chromium.launchPersistentContext(join(home, 'profile'), {
  executablePath: CHROMIUM,
  headless: true,
  env,
  viewport: { width: 1280, height: 800 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', ...fakeMedia, ...(autoplayBlocked ? [] : ['--autoplay-policy=no-user-gesture-required'])],
});
/** @typedef {import('../src/main.js').TunnelcastGlobal} TunnelcastGlobal */
/** @typedef {import('../src/stats/player-stats.js').PlayerStats} PlayerStats */
/** @typedef {import('../src/publish/messages.js').PublisherStats} PublisherStats */

/** @type {import('playwright-core').Page | null} */
let page = null;
/** @type {string[]} */
const consoleLines = [];

/** The open page; every command but `open` needs one. */
const openPage = () => {
  if (!page) throw new Error('no page: send open first');
  return page;
};
/**
 * The running player's or publisher's figures (non-finite numbers as null, as JSON has them), or
 * null. Functions given to evaluate() run in the page: they cannot call helpers of this file.
 */
const stats = () => openPage().evaluate(() => {
  const s = /** @type {Window & { tunnelcast?: TunnelcastGlobal }} */ (window).tunnelcast?.stats;
  return s ? /** @type {PlayerStats | PublisherStats} */ (JSON.parse(JSON.stringify(s, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)))) : null;
});
/** The player's figures, or null on a page without a player (the stream list, the publish page). */
const playerStats = async () => {
  const s = await stats();
  return s && 'framesShown' in s ? s : null;
};
/** The player's figures, for the commands that sample a playing player. */
const requirePlayerStats = async () => {
  const s = await playerStats();
  if (!s) throw new Error('no player on the page');
  return s;
};
/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const commands = {
  /**
   * withoutWebCodecsAudio: the page's WebCodecs audio classes are deleted before any script
   * runs (as in a browser without them); workers keep their own globals, so the player must
   * notice on the main thread. withoutGlobals: more names deleted the same way
   * (`MediaStreamTrackProcessor`: the publisher's fallback).
   * @param {{ url: string, withoutWebCodecsAudio?: boolean, withoutGlobals?: string[] }} args
   */
  async open({ url, withoutWebCodecsAudio = false, withoutGlobals = [] }) {
    if (page) await page.close();
    page = await context.newPage();
    const opened = page;
    const removed = [...(withoutWebCodecsAudio ? ['AudioDecoder', 'AudioEncoder', 'AudioData', 'EncodedAudioChunk'] : []), ...withoutGlobals];
    if (removed.length) {
      await page.addInitScript((names) => {
        for (const name of names) Reflect.deleteProperty(globalThis, name);
      }, removed);
    }
    opened.on('console', (m) => {
      consoleLines.push(`[${m.type()}] ${m.text()}`);
      if (consoleLines.length > 200) consoleLines.shift();
    });
    opened.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
    await opened.goto(url, { waitUntil: 'load' });
    return { audioDecoderInPage: await opened.evaluate(() => typeof globalThis.AudioDecoder) };
  },
  /** @param {{ states: string[], timeoutMs: number, minFrames?: number }} args */
  async waitFor({ states, timeoutMs, minFrames = 0 }) {
    const start = Date.now();
    /** @type {PlayerStats | null} */
    let last = null;
    while (Date.now() - start < timeoutMs) {
      last = await playerStats();
      if (last && states.includes(last.state) && last.framesShown >= minFrames) return { elapsedMs: Date.now() - start, stats: last };
      await sleep(50);
    }
    throw new Error(`state not in ${states} after ${timeoutMs} ms; last ${JSON.stringify(last)}; console: ${consoleLines.slice(-15).join(' | ')}`);
  },
  /**
   * Polls a JavaScript expression until it is truthy; answers its value.
   * @param {{ expression: string, timeoutMs: number }} args
   */
  async waitUntil({ expression, timeoutMs }) {
    const start = Date.now();
    /** @type {unknown} */
    let last = null;
    while (Date.now() - start < timeoutMs) {
      last = await openPage().evaluate(expression);
      if (last) return { elapsedMs: Date.now() - start, value: last };
      await sleep(100);
    }
    throw new Error(`${expression} still ${JSON.stringify(last)} after ${timeoutMs} ms; stats ${JSON.stringify(await stats())}; console: ${consoleLines.slice(-15).join(' | ')}`);
  },
  async stats() {
    return { stats: await stats() };
  },
  /** Clears the player's latency and A/V windows: percentiles from now on. */
  async reset() {
    await openPage().evaluate(() => {
      const player = /** @type {Window & { tunnelcast?: TunnelcastGlobal }} */ (window).tunnelcast?.player;
      if (!player) throw new Error('no player on the page');
      player.resetMeasurements();
    });
    return {};
  },
  /**
   * Samples for a while; returns the first and last snapshots and every sample's key figures.
   * @param {{ durationMs: number }} args
   */
  async collect({ durationMs }) {
    const first = await requirePlayerStats();
    const samples = [];
    const start = Date.now();
    while (Date.now() - start < durationMs) {
      await sleep(500);
      const s = await requirePlayerStats();
      samples.push({ tMs: Date.now() - start, state: s.state, framesShown: s.framesShown, audioPacketsDecoded: s.audioPacketsDecoded,
        latencyPixelMs: s.latencyPixelMs.last, latencyMetadataMs: s.latencyMetadataMs.last, audioLatencyMs: s.audioLatencyMs, avOffsetMs: s.avOffsetMs.last,
        jitterBufferDepthMs: s.jitterBufferDepthMs, jitterBufferTargetMs: s.jitterBufferTargetMs, syncFloorMs: s.syncFloorMs,
        videoBufferMs: s.videoBufferMs, videoPlaybackRate: s.videoPlaybackRate, framesDropped: s.framesDropped, framesDroppedBy: s.framesDroppedBy,
        clockOffsetMs: s.clockOffsetMs, rttMs: s.rttMs, bitrateKbps: s.bitrateKbps });
    }
    return { first, last: await requirePlayerStats(), samples };
  },
  /**
   * Polls the state often (for the restart test): every change with its time and frames shown.
   * @param {{ durationMs: number, intervalMs?: number }} args
   */
  async watch({ durationMs, intervalMs = 25 }) {
    const changes = [];
    const start = Date.now();
    let previous = '';
    while (Date.now() - start < durationMs) {
      const s = await requirePlayerStats();
      const key = `${s.state}`;
      if (key !== previous) changes.push({ tMs: Date.now() - start, state: s.state, message: s.message, framesShown: s.framesShown });
      previous = key;
      await sleep(intervalMs);
    }
    return { changes, last: await requirePlayerStats() };
  },
  /** @param {{ path: string }} args */
  async screenshot({ path }) {
    mkdirSync(dirname(path), { recursive: true });
    await openPage().screenshot({ path });
    return { path };
  },
  /**
   * A real click (a user gesture for the autoplay policy).
   * @param {{ selector: string }} args
   */
  async click({ selector }) {
    await openPage().locator(selector).first().click({ timeout: 5000 });
    return {};
  },
  /**
   * A real click at xFraction of the element's width, half its height (the archive timeline).
   * @param {{ selector: string, xFraction: number }} args
   */
  async clickAt({ selector, xFraction }) {
    const target = openPage().locator(selector).first();
    const box = await target.boundingBox({ timeout: 5000 });
    if (!box) throw new Error(`${selector} is not visible`);
    await target.click({ position: { x: box.width * xFraction, y: box.height / 2 }, timeout: 5000 });
    return {};
  },
  /** @param {{ expression: string }} args */
  async eval({ expression }) {
    return { value: await openPage().evaluate(expression) };
  },
  /** @param {{ selector: string }} args */
  async visible({ selector }) {
    return { visible: await openPage().locator(selector).first().isVisible() };
  },
  /** @param {{ selector: string }} args */
  async text({ selector }) {
    return { text: await openPage().locator(selector).first().innerText({ timeout: 5000 }) };
  },
  /** The <video> element's own view (MSE path): buffered ranges, playhead, readiness. */
  async video() {
    return openPage().evaluate(() => {
      const v = document.querySelector('video');
      if (!v) return { video: null };
      const ranges = [];
      for (let i = 0; i < v.buffered.length; i++) ranges.push([v.buffered.start(i), v.buffered.end(i)]);
      return { video: { ranges, currentTime: v.currentTime, readyState: v.readyState, paused: v.paused, rate: v.playbackRate,
        seeking: v.seeking, error: v.error?.message ?? null } };
    });
  },
  /**
   * Samples an expression every intervalMs (diagnostics).
   * @param {{ expression: string, durationMs: number, intervalMs?: number }} args
   */
  async trace({ expression, durationMs, intervalMs = 100 }) {
    /** @type {unknown[]} */
    const values = [];
    const start = Date.now();
    while (Date.now() - start < durationMs) {
      values.push(await openPage().evaluate(expression));
      await sleep(intervalMs);
    }
    return { values };
  },
  async console() {
    return { lines: consoleLines.slice(-50) };
  },
};

const quit = async () => {
  await context.close().catch(() => {});
  rmSync(home, { recursive: true, force: true });
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  /** @type {{ cmd: string } & Record<string, unknown>} */
  const { cmd, ...args } = JSON.parse(line);
  if (cmd === 'quit') break;
  try {
    if (!Object.hasOwn(commands, cmd)) throw new Error(`unknown command ${cmd}`);
    // The caller (the Java tests' BrowserDriver) sends each command the arguments it documents.
    const handler = /** @type {(args: Record<string, unknown>) => Promise<object>} */ (commands[/** @type {keyof typeof commands} */ (cmd)]);
    process.stdout.write(JSON.stringify({ ok: true, ...(await handler(args)) }) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ ok: false, error: String(e instanceof Error ? e.stack ?? e : e) }) + '\n');
  }
}
await quit();
