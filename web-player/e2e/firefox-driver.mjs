// Firefox for driver.mjs: Debian's /usr/bin/firefox-esr through puppeteer-core over WebDriver
// BiDi (Firefox has no CDP), behind the few methods of playwright's BrowserContext and Page that
// driver.mjs uses, so its commands run unchanged. Firefox without an audio device keeps every
// AudioContext suspended (resume() never settles), so each launch gives it one that plays nowhere
// (`audio`), chosen by what the page does with sound:
// - 'alsa' (players): a PulseAudio null sink of its own, under `home`, reached through cubeb's alsa
//   backend (an .asoundrc under `home` routes ALSA's default device to that server). Through cubeb's
//   pulse backend a player page stopped answering the driver soon after its second player started playing.
// - 'pulse' (publishers): the same null sink through cubeb's pulse backend. Through ALSA, in 14 of 19
//   launches (a bare AudioContext, fake devices or not, load 3-10) Firefox's graph was built with an
//   output of 0 channels (MOZ_LOG MediaTrackGraph: "AudioCallbackDriver ctor ... output: device 0x0,
//   channel 0", then "Output number of channels is 0") and every AudioContext stayed suspended for the
//   browser's life; through pulse, every launch ran its AudioContext.
// - 'mock' (a call page, which captures and plays): Firefox's own mock audio device
//   (`media.cubeb.force_mock_context`, the one Mozilla's tests use; no sound server). Through the pulse
//   backend 1 call in 5 beside a CPU hog hung the page for good (CI's run of 2026-12-04 too): gdb showed
//   the parent's AudioIPC server thread waiting for libpulse's main-loop lock, held by libpulse's thread
//   inside a cubeb callback waiting on the content process. Through the mock, 24 of 24 calls passed beside
//   2 CPU hogs. Its clock runs 10 ms of audio, then sleeps 10 ms, so it falls behind the wall clock (150
//   audio packets over 3.18 s captured, 47 a second, beside 2 CPU hogs; 50 through pulse): not for the
//   publisher's rate checks.
// Both processes end with close().
import puppeteer from 'puppeteer-core';
import { startPulseAudio } from './pulse-audio.mjs';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

const FIREFOX = process.env.TUNNELCAST_FIREFOX ?? '/usr/bin/firefox-esr';

/**
 * A playwright-like page over a puppeteer one: evaluate, addInitScript, on, goto, screenshot,
 * locator(selector).first() with click / boundingBox / isVisible / innerText, close. close()
 * only leaves the page for about:blank: after a page was closed and another opened, every
 * evaluate in the new one hung (script.callFunction never answered), so one page is reused.
 * @param {import('puppeteer-core').Page} page
 */
function pageLike(page) {
  /** @type {string[]} init scripts of this opening, removed at close */
  const initScripts = [];
  /** @type {[string, (value: any) => void][]} listeners of this opening, removed at close */
  const listeners = [];
  /** @param {string} selector */
  const first = (selector) => ({
    /** @param {{ timeout?: number, position?: { x: number, y: number } }} [options] */
    async click(options = {}) {
      const element = await page.waitForSelector(selector, { visible: true, timeout: options.timeout ?? 5000 });
      if (!element) throw new Error(`${selector} not found`);
      if (options.position) {
        const box = await element.boundingBox();
        if (!box) throw new Error(`${selector} is not visible`);
        await page.mouse.click(box.x + options.position.x, box.y + options.position.y);
      } else {
        await element.click();
      }
    },
    /** @param {{ timeout?: number }} [options] */
    async boundingBox(options = {}) {
      const element = await page.waitForSelector(selector, { timeout: options.timeout ?? 5000 });
      return element ? element.boundingBox() : null;
    },
    async isVisible() {
      const element = await page.$(selector);
      return element ? element.isVisible() : false;
    },
    /** @param {{ timeout?: number }} [options] */
    async innerText(options = {}) {
      const element = await page.waitForSelector(selector, { timeout: options.timeout ?? 5000 });
      if (!element) throw new Error(`${selector} not found`);
      return element.evaluate((e) => /** @type {HTMLElement} */ (e).innerText);
    },
  });
  return {
    /** @param {string | ((arg: any) => unknown)} fn @param {unknown} [arg] */
    evaluate: (fn, arg) => (typeof fn === 'string' ? page.evaluate(fn) : page.evaluate(fn, arg)),
    /** @param {(arg: any) => void} fn @param {unknown} arg */
    addInitScript: async (fn, arg) => {
      initScripts.push((await page.evaluateOnNewDocument(fn, arg)).identifier);
    },
    /** @param {'console' | 'pageerror'} event @param {(value: any) => void} listener */
    on: (event, listener) => {
      listeners.push([event, listener]);
      page.on(event, listener);
    },
    /** @param {string} url @param {{ timeout?: number }} options */
    goto: (url, options) => page.goto(url, { waitUntil: 'load', timeout: options.timeout }),
    /** @param {{ path: string }} options */
    screenshot: (options) => page.screenshot({ path: /** @type {`${string}.png`} */ (options.path) }),
    /** @param {string} selector */
    locator: (selector) => ({ first: () => first(selector) }),
    close: async () => {
      for (const [event, listener] of listeners.splice(0)) page.off(event, listener);
      for (const id of initScripts.splice(0)) await page.removeScriptToEvaluateOnNewDocument(id);
      await page.goto('about:blank');
    },
  };
}

/** The audio devices a launch can give Firefox (see above). */
export const AUDIO_DEVICES = ['alsa', 'pulse', 'mock'];

/**
 * Launches Firefox headless with its profile under `home`, autoplay allowed, audio played nowhere
 * through `audio` (see above; by default 'pulse' with `fakeMedia`, else 'alsa').
 * With `fakeMedia`, getUserMedia gets Firefox's own fake camera and microphone (a frame changing
 * colour, a tone), granted without a prompt: Firefox cannot play files as its devices.
 * @param {string} home @param {NodeJS.ProcessEnv} env @param {{ fakeMedia?: boolean, audio?: string }} [options]
 * @returns {Promise<import('playwright-core').BrowserContext>} the subset driver.mjs uses (see pageLike)
 */
export async function launchFirefox(home, env, { fakeMedia = false, audio = fakeMedia ? 'pulse' : 'alsa' } = {}) {
  if (!AUDIO_DEVICES.includes(audio)) throw new Error(`Firefox audio '${audio}': ${AUDIO_DEVICES.join(', ')}`);
  const sound = audio === 'mock' ? null : await startPulseAudio(home, env);
  if (sound) {
    writeFileSync(join(home, '.asoundrc'), `pcm.!default { type pulse server "${sound.server}" }\nctl.!default { type pulse server "${sound.server}" }\n`);
  }
  const device = sound ? { 'media.cubeb.backend': audio } : { 'media.cubeb.force_mock_context': true };
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: FIREFOX, headless: true, protocol: 'webDriverBiDi',
    userDataDir: join(home, 'profile'), env: sound ? { ...env, PULSE_SERVER: sound.server } : env, defaultViewport: { width: 1280, height: 800 },
    extraPrefsFirefox: { ...device, 'media.autoplay.default': 0, 'media.autoplay.blocking_policy': 0, 'browser.shell.checkDefaultBrowser': false,
      'app.update.enabled': false, 'toolkit.telemetry.enabled': false, 'datareporting.policy.dataSubmissionEnabled': false,
      ...(fakeMedia ? { 'media.navigator.streams.fake': true, 'media.navigator.permission.disabled': true } : {}) },
    // A protocol call that never answers fails after this instead of holding its command forever.
    protocolTimeout: 60_000,
  });
  const page = (await browser.pages())[0] ?? await browser.newPage();
  const context = {
    // One page for every opening (see pageLike): driver.mjs closes a tab's page before it opens the next.
    newPage: async () => pageLike(page),
    close: async () => {
      await browser.close().catch(() => {});
      sound?.pulse.kill();
    },
  };
  return /** @type {import('playwright-core').BrowserContext} */ (/** @type {unknown} */ (context));
}
