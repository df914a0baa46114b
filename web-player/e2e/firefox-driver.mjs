// Firefox for driver.mjs: Debian's /usr/bin/firefox-esr through puppeteer-core over WebDriver
// BiDi (Firefox has no CDP), behind the few methods of playwright's BrowserContext and Page that
// driver.mjs uses, so its commands run unchanged. Firefox without a sound server keeps every
// AudioContext suspended (resume() never settles): a PulseAudio null sink of its own, under
// `home`, plays the audio nowhere. Firefox reaches it through ALSA (cubeb's alsa backend, an .asoundrc
// under `home` routing ALSA's default device to that server): through cubeb's pulse backend the page
// stopped answering the driver soon after its second player started playing. Both processes end with close().
// The publisher's Firefox (fakeMedia) goes through cubeb's pulse backend instead: through ALSA, in 14 of 19
// launches (a bare AudioContext, fake devices or not, load 3-10) Firefox's graph was built with an output of
// 0 channels (MOZ_LOG MediaTrackGraph: "AudioCallbackDriver ctor ... output: device 0x0, channel 0", then
// "Output number of channels is 0") and every AudioContext stayed suspended for the browser's life; in the
// other 5, 32 channels. The sound server answered from 0.1 s after its start and ALSA's default device gave
// 32 channels to a plain client at once (15 of 15); in a failing launch the server saw no stream from the
// parent's cubeb after its rate query (no 100-frame sink input: cubeb's ALSA max-channel query). Through
// the pulse backend, 7 of 7 launches ran their AudioContext.
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

/**
 * Launches Firefox headless with its profile under `home`, autoplay allowed, audio to a null sink.
 * With `fakeMedia`, getUserMedia gets Firefox's own fake camera and microphone (a frame changing
 * colour, a tone), granted without a prompt: Firefox cannot play files as its devices.
 * @param {string} home @param {NodeJS.ProcessEnv} env @param {{ fakeMedia?: boolean }} [options]
 * @returns {Promise<import('playwright-core').BrowserContext>} the subset driver.mjs uses (see pageLike)
 */
export async function launchFirefox(home, env, { fakeMedia = false } = {}) {
  const { server, pulse } = await startPulseAudio(home, env);
  writeFileSync(join(home, '.asoundrc'), `pcm.!default { type pulse server "${server}" }\nctl.!default { type pulse server "${server}" }\n`);
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: FIREFOX, headless: true, protocol: 'webDriverBiDi',
    userDataDir: join(home, 'profile'), env: { ...env, PULSE_SERVER: server }, defaultViewport: { width: 1280, height: 800 },
    extraPrefsFirefox: { 'media.cubeb.backend': fakeMedia ? 'pulse' : 'alsa', 'media.autoplay.default': 0, 'media.autoplay.blocking_policy': 0, 'browser.shell.checkDefaultBrowser': false,
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
      pulse.kill();
    },
  };
  return /** @type {import('playwright-core').BrowserContext} */ (/** @type {unknown} */ (context));
}
