// Drives the player in real headless Chromium (Debian's /usr/bin/chromium through
// playwright-core; never a downloaded browser) for the end-to-end tests and the latency
// benchmark. Speaks line-delimited JSON: one command per stdin line, one answer per stdout
// line ({ ok: true, ... } or { ok: false, error }). Logs go to stderr.
//
// Commands: open {url, withoutWebCodecsAudio?, withoutGlobals?, timeoutMs?} · waitFor {states[], timeoutMs, minFrames?} · waitUntil {expression, timeoutMs}
//           · stats · reset · collect {durationMs}
//           · watch {durationMs, intervalMs, resumedFrames?} · screenshot {path} · text|click|visible {selector}
//           · clickAt {selector, xFraction} · eval {expression} · video · trace {expression, durationMs} · console
//           · profile {durationMs, top?, path?} (Chromium) · closeTab · quit (the driver exits)
// Every command but quit takes an optional `tab` (default "main"): one browser can hold several
// pages at once (a call's second tab); `open` makes the tab's page anew, `closeTab` closes it.
// Commands run concurrently (one tab's wait does not hold up another's); a command's `id`, if
// given, comes back in its answer, which is how the caller matches answers to commands.
//
// TUNNELCAST_BROWSER=firefox drives Debian's /usr/bin/firefox-esr instead, through puppeteer-core
// over WebDriver BiDi (firefox-driver.mjs), with a PulseAudio null sink for its audio;
// TUNNELCAST_BROWSER=webkit drives Debian's WebKitGTK MiniBrowser through WebKitWebDriver
// (webkit-driver.mjs), on an Xvfb display of its own, with the same sink.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { launchFirefox } from './firefox-driver.mjs';
import { launchWebKit } from './webkit-driver.mjs';

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
// TUNNELCAST_FAKE_DEVICES=1 (Firefox, WebKit): the engine's own fake camera and microphone, granted without a prompt
// (Firefox's fake devices, WebKit's mock capture devices; neither plays files).
const fakeDevices = process.env.TUNNELCAST_FAKE_DEVICES === '1';
// TUNNELCAST_FIREFOX_AUDIO=alsa|pulse|mock: Firefox's audio device (firefox-driver.mjs says which suits which page).
const firefoxAudio = process.env.TUNNELCAST_FIREFOX_AUDIO || undefined;
// TUNNELCAST_PROXY=http://user:password@host:port sends every request, loopback included, through that proxy
// (playwright answers its Basic auth); TUNNELCAST_IGNORE_HTTPS_ERRORS=1 accepts a self-signed certificate.
const proxy = proxyOption(process.env.TUNNELCAST_PROXY ?? '');
const ignoreHTTPSErrors = process.env.TUNNELCAST_IGNORE_HTTPS_ERRORS === '1';
// TUNNELCAST_NET_LOG=FILE (Chromium): its network log, sockets, proxy tunnels and WebSocket handshakes without their bytes.
const netLog = process.env.TUNNELCAST_NET_LOG ? [`--log-net-log=${process.env.TUNNELCAST_NET_LOG}`] : [];
const engine = process.env.TUNNELCAST_BROWSER ?? 'chromium';
if (!['chromium', 'firefox', 'webkit'].includes(engine)) throw new Error(`TUNNELCAST_BROWSER=${engine}: chromium, firefox or webkit`);
// Firefox's and WebKit's profiles, caches and sound server live under target/ of the working directory (the web-player module).
const home = engine !== 'chromium' ? (mkdirSync('target', { recursive: true }), mkdtempSync(join(process.cwd(), 'target', `tc-${engine}-`)))
  : mkdtempSync(join(tmpdir(), 'tc-chromium-'));
const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') };

/** The browser: playwright's Chromium context, or Firefox or WebKit behind the same few methods. */
const context = engine === 'firefox' ? await launchFirefox(home, env, { fakeMedia: fakeDevices, audio: firefoxAudio })
  : engine === 'webkit' ? await launchWebKit(home, env, { fakeMedia: fakeDevices }) : await chromium.launchPersistentContext(join(home, 'profile'), {
  executablePath: CHROMIUM,
  headless: true,
  env,
  viewport: { width: 1280, height: 800 },
  ...(proxy ? { proxy } : {}),
  ignoreHTTPSErrors,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', ...fakeMedia, ...netLog, ...(autoplayBlocked ? [] : ['--autoplay-policy=no-user-gesture-required'])],
});
// The browser is up: one line without an id says so (a caller may wait for it before its first command).
process.stdout.write(JSON.stringify({ ready: true }) + '\n');
/** @typedef {import('../src/main.js').TunnelcastGlobal} TunnelcastGlobal */
/** @typedef {import('../src/stats/player-stats.js').PlayerStats} PlayerStats */
/** @typedef {import('../src/publish/messages.js').PublisherStats} PublisherStats */

/** @typedef {{ page: import('playwright-core').Page, consoleLines: string[] }} Tab */
/** @type {Map<string, Tab>} the open tabs by name */
const tabs = new Map();

/**
 * The proxy option of `TUNNELCAST_PROXY` (its user and password apart), or null.
 * @param {string} value @returns {{ server: string, username?: string, password?: string } | null}
 */
function proxyOption(value) {
  if (!value) return null;
  const url = new URL(value);
  const server = `${url.protocol}//${url.host}`;
  return url.username ? { server, username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : { server };
}

/** The tab's open page and console; every command but `open` needs one. @param {string} [name] */
const tabOf = (name = 'main') => {
  const tab = tabs.get(name);
  if (!tab) throw new Error(`no page in tab ${name}: send open first`);
  return tab;
};
/** @param {string} [name] */
const openPage = (name) => tabOf(name).page;
/**
 * The running player's or publisher's figures (non-finite numbers as null, as JSON has them), or
 * null. Functions given to evaluate() run in the page: they cannot call helpers of this file.
 * @param {string} [tab]
 */
const stats = (tab) => openPage(tab).evaluate(() => {
  const s = /** @type {Window & { tunnelcast?: TunnelcastGlobal }} */ (window).tunnelcast?.stats;
  return s ? /** @type {PlayerStats | PublisherStats} */ (JSON.parse(JSON.stringify(s, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)))) : null;
});
/** The player's figures, or null on a page without a player (the stream list, the publish page). @param {string} [tab] */
const playerStats = async (tab) => {
  const s = await stats(tab);
  return s && 'framesShown' in s ? s : null;
};
/** The player's figures, for the commands that sample a playing player. @param {string} [tab] */
const requirePlayerStats = async (tab) => {
  const s = await playerStats(tab);
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
   * timeoutMs: how long the page may take to load (playwright's 30 s by default; a busy machine needs more).
   * @param {{ url: string, withoutWebCodecsAudio?: boolean, withoutGlobals?: string[], timeoutMs?: number, tab?: string }} args
   */
  async open({ url, withoutWebCodecsAudio = false, withoutGlobals = [], timeoutMs = 30_000, tab = 'main' }) {
    await tabs.get(tab)?.page.close();
    const opened = await context.newPage();
    /** @type {string[]} */
    const consoleLines = [];
    tabs.set(tab, { page: opened, consoleLines });
    const removed = [...(withoutWebCodecsAudio ? ['AudioDecoder', 'AudioEncoder', 'AudioData', 'EncodedAudioChunk'] : []), ...withoutGlobals];
    if (removed.length) {
      await opened.addInitScript((names) => {
        for (const name of names) Reflect.deleteProperty(globalThis, name);
      }, removed);
    }
    opened.on('console', (m) => {
      consoleLines.push(`[${m.type()}] ${m.text()}`);
      if (consoleLines.length > 200) consoleLines.shift();
    });
    opened.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
    await opened.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    return { audioDecoderInPage: await opened.evaluate(() => typeof globalThis.AudioDecoder) };
  },
  /** @param {{ states: string[], timeoutMs: number, minFrames?: number, tab?: string }} args */
  async waitFor({ states, timeoutMs, minFrames = 0, tab = 'main' }) {
    const start = Date.now();
    /** @type {PlayerStats | null} */
    let last = null;
    while (Date.now() - start < timeoutMs) {
      last = await playerStats(tab);
      if (last && states.includes(last.state) && last.framesShown >= minFrames) return { elapsedMs: Date.now() - start, stats: last };
      await sleep(50);
    }
    throw new Error(`state not in ${states} after ${timeoutMs} ms; last ${JSON.stringify(last)}; console: ${tabOf(tab).consoleLines.slice(-15).join(' | ')}`);
  },
  /**
   * Polls a JavaScript expression until it is truthy; answers its value.
   * @param {{ expression: string, timeoutMs: number, tab?: string }} args
   */
  async waitUntil({ expression, timeoutMs, tab = 'main' }) {
    const start = Date.now();
    /** @type {unknown} */
    let last = null;
    while (Date.now() - start < timeoutMs) {
      last = await openPage(tab).evaluate(expression);
      if (last) return { elapsedMs: Date.now() - start, value: last };
      await sleep(100);
    }
    throw new Error(`${expression} still ${JSON.stringify(last)} after ${timeoutMs} ms; stats ${JSON.stringify(await stats(tab))}; console: ${tabOf(tab).consoleLines.slice(-15).join(' | ')}`);
  },
  /** @param {{ tab?: string }} args */
  async stats({ tab = 'main' }) {
    return { stats: await stats(tab) };
  },
  /**
   * Clears the player's latency and A/V windows: percentiles from now on.
   * @param {{ tab?: string }} args
   */
  async reset({ tab = 'main' }) {
    await openPage(tab).evaluate(() => {
      const player = /** @type {Window & { tunnelcast?: TunnelcastGlobal }} */ (window).tunnelcast?.player;
      if (!player) throw new Error('no player on the page');
      player.resetMeasurements();
    });
    return {};
  },
  /**
   * Samples for a while; returns the first and last snapshots and every sample's key figures.
   * @param {{ durationMs: number, tab?: string }} args
   */
  async collect({ durationMs, tab = 'main' }) {
    const first = await requirePlayerStats(tab);
    const samples = [];
    const start = Date.now();
    while (Date.now() - start < durationMs) {
      await sleep(500);
      const s = await requirePlayerStats(tab);
      samples.push({ tMs: Date.now() - start, state: s.state, framesShown: s.framesShown, audioPacketsDecoded: s.audioPacketsDecoded,
        latencyPixelMs: s.latencyPixelMs.last, latencyMetadataMs: s.latencyMetadataMs.last, audioLatencyMs: s.audioLatencyMs, avOffsetMs: s.avOffsetMs.last,
        jitterBufferDepthMs: s.jitterBufferDepthMs, jitterBufferTargetMs: s.jitterBufferTargetMs, syncFloorMs: s.syncFloorMs,
        videoBufferMs: s.videoBufferMs, videoPlaybackRate: s.videoPlaybackRate, framesDropped: s.framesDropped, framesDroppedBy: s.framesDroppedBy,
        clockOffsetMs: s.clockOffsetMs, rttMs: s.rttMs, bitrateKbps: s.bitrateKbps });
    }
    return { first, last: await requirePlayerStats(tab), samples };
  },
  /**
   * Polls the state often (for the restart tests): every change with its time and frames shown.
   * With resumedFrames, the watch ends early once the player, after showing "reconnecting",
   * plays again and has shown that many frames since (a watch need not outlast the recovery).
   * @param {{ durationMs: number, intervalMs?: number, resumedFrames?: number, tab?: string }} args
   */
  async watch({ durationMs, intervalMs = 25, resumedFrames, tab = 'main' }) {
    const changes = [];
    const start = Date.now();
    let previous = '';
    let reconnected = false;
    let framesAtResume = NaN;
    while (Date.now() - start < durationMs) {
      const s = await requirePlayerStats(tab);
      const key = `${s.state}`;
      if (key !== previous) changes.push({ tMs: Date.now() - start, state: s.state, message: s.message, framesShown: s.framesShown });
      previous = key;
      if (s.state === 'reconnecting') reconnected = true;
      if (reconnected && s.state === 'playing' && Number.isNaN(framesAtResume)) framesAtResume = s.framesShown;
      if (resumedFrames !== undefined && s.state === 'playing' && s.framesShown >= framesAtResume + resumedFrames) break;
      await sleep(intervalMs);
    }
    return { changes, last: await requirePlayerStats(tab) };
  },
  /** @param {{ path: string, tab?: string }} args */
  async screenshot({ path, tab = 'main' }) {
    mkdirSync(dirname(path), { recursive: true });
    await openPage(tab).screenshot({ path });
    return { path };
  },
  /**
   * A real click (a user gesture for the autoplay policy); a page starved of CPU may need more than the default 5 s.
   * @param {{ selector: string, timeoutMs?: number, tab?: string }} args
   */
  async click({ selector, timeoutMs = 5000, tab = 'main' }) {
    await openPage(tab).locator(selector).first().click({ timeout: timeoutMs });
    return {};
  },
  /**
   * A real click at xFraction of the element's width, half its height (the archive timeline).
   * @param {{ selector: string, xFraction: number, tab?: string }} args
   */
  async clickAt({ selector, xFraction, tab = 'main' }) {
    const target = openPage(tab).locator(selector).first();
    const box = await target.boundingBox({ timeout: 5000 });
    if (!box) throw new Error(`${selector} is not visible`);
    await target.click({ position: { x: box.width * xFraction, y: box.height / 2 }, timeout: 5000 });
    return {};
  },
  /** @param {{ expression: string, tab?: string }} args */
  async eval({ expression, tab = 'main' }) {
    return { value: await openPage(tab).evaluate(expression) };
  },
  /** @param {{ selector: string, tab?: string }} args */
  async visible({ selector, tab = 'main' }) {
    return { visible: await openPage(tab).locator(selector).first().isVisible() };
  },
  /** @param {{ selector: string, tab?: string }} args */
  async text({ selector, tab = 'main' }) {
    return { text: await openPage(tab).locator(selector).first().innerText({ timeout: 5000 }) };
  },
  /**
   * The <video> element's own view (MSE path): buffered ranges, playhead, readiness.
   * @param {{ tab?: string }} args
   */
  async video({ tab = 'main' }) {
    return openPage(tab).evaluate(() => {
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
   * @param {{ expression: string, durationMs: number, intervalMs?: number, tab?: string }} args
   */
  async trace({ expression, durationMs, intervalMs = 100, tab = 'main' }) {
    /** @type {unknown[]} */
    const values = [];
    const start = Date.now();
    while (Date.now() - start < durationMs) {
      values.push(await openPage(tab).evaluate(expression));
      await sleep(intervalMs);
    }
    return { values };
  },
  /**
   * Chromium only: a CPU profile of the tab's main thread for durationMs (V8's sampling
   * profiler over CDP). Answers the functions with the most self time, the busy fraction
   * of the thread, and (when `path` is given) writes the whole .cpuprofile there for DevTools.
   * @param {{ durationMs: number, top?: number, path?: string, tab?: string }} args
   */
  async profile({ durationMs, top = 25, path, tab = 'main' }) {
    if (engine !== 'chromium') throw new Error('profile: Chromium only (CDP)');
    const cdp = await /** @type {import('playwright-core').BrowserContext} */ (context).newCDPSession(openPage(tab));
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
    await cdp.send('Profiler.start');
    await sleep(durationMs);
    const { profile } = await cdp.send('Profiler.stop');
    await cdp.detach();
    if (path) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, JSON.stringify(profile));
    }
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    /** @type {Map<string, number>} */
    const self = new Map();
    for (const id of profile.samples ?? []) {
      const f = nodes.get(id)?.callFrame;
      const key = f ? `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}` : '?';
      self.set(key, (self.get(key) ?? 0) + 1);
    }
    const samples = profile.samples?.length ?? 0;
    const idle = self.get('(idle) :0') ?? 0;
    const functions = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
      .map(([name, n]) => ({ name, percent: Math.round((1000 * n) / Math.max(1, samples)) / 10 }));
    return { samples, busyPercent: Math.round((1000 * (samples - idle)) / Math.max(1, samples)) / 10, functions };
  },
  /** @param {{ tab?: string }} args */
  async console({ tab = 'main' }) {
    return { lines: tabOf(tab).consoleLines.slice(-50) };
  },
  /**
   * Closes the tab's page (a participant's second tab, say): its sockets close as the page goes.
   * @param {{ tab?: string }} args
   */
  async closeTab({ tab = 'main' }) {
    await tabOf(tab).page.close();
    tabs.delete(tab);
    return {};
  },
};

const quit = async () => {
  await context.close().catch(() => {});
  rmSync(home, { recursive: true, force: true });
};

/**
 * Runs one command and writes its answer. Commands run at once, not one after another: a call's
 * tabs are waited on together, and one tab's long waitUntil must not hold up another tab's click.
 * @param {string} line
 */
const run = async (line) => {
  /** @type {{ cmd: string, id?: number } & Record<string, unknown>} */
  const { cmd, id, ...args } = JSON.parse(line);
  try {
    if (!Object.hasOwn(commands, cmd)) throw new Error(`unknown command ${cmd}`);
    // The caller (the Java tests' BrowserDriver) sends each command the arguments it documents.
    const handler = /** @type {(args: Record<string, unknown>) => Promise<object>} */ (commands[/** @type {keyof typeof commands} */ (cmd)]);
    process.stdout.write(JSON.stringify({ ok: true, id, ...(await handler(args)) }) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ ok: false, id, error: String(e instanceof Error ? e.stack ?? e : e) }) + '\n');
  }
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  if (JSON.parse(line).cmd === 'quit') break;
  void run(line);
}
await quit();
// Now, not when the caller closes our stdin (its open end kept node waiting) or when a command still running ends.
process.exit(0);
