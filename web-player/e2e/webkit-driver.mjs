// WebKit for driver.mjs: Debian's WebKitGTK MiniBrowser driven by its WebKitWebDriver (WebDriver
// classic, through selenium-webdriver), on an Xvfb display of its own and with a PulseAudio null
// sink for GStreamer's audio, behind the few methods of playwright's BrowserContext and Page that
// driver.mjs uses. WebDriver classic has no scripts that run before the page's own and no console
// events: addInitScript refuses (a command that needs it says so), and the console stays empty.
// Every process started here ends with close() or with this process.
import { Builder, By } from 'selenium-webdriver';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { startPulseAudio } from './pulse-audio.mjs';

// selenium-webdriver is CommonJS, and its remote module is a folder (no ESM import of it by name).
/** @type {typeof import('selenium-webdriver/remote.js')} */
const { DriverService } = createRequire(import.meta.url)('selenium-webdriver/remote');

const DRIVER = process.env.TUNNELCAST_WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';
const MINIBROWSER = process.env.TUNNELCAST_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/**
 * Starts Xvfb on the first free display (it writes the number it took on a pipe).
 * @param {NodeJS.ProcessEnv} env @returns {Promise<{ display: string, xvfb: import('node:child_process').ChildProcess }>}
 */
async function startXvfb(env) {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
    { env, stdio: ['ignore', 'ignore', 'inherit', 'pipe'] });
  process.on('exit', () => xvfb.kill());
  const pipe = /** @type {import('node:stream').Readable} */ (xvfb.stdio[3]);
  const display = await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('Xvfb gave no display within 30 s')), 30_000);
    pipe.on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(`:${text.trim()}`);
      }
    });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}); is it installed? (./tunnelcast setup)`)));
  });
  return { display, xvfb };
}

/**
 * A playwright-like page over a WebDriver session: evaluate, on, goto, screenshot,
 * locator(selector).first() with click / boundingBox / isVisible / innerText, close. MiniBrowser
 * has one window: close() leaves the page for about:blank and the next opening reuses it.
 * @param {import('selenium-webdriver').WebDriver} driver
 */
function pageLike(driver) {
  /** @param {string} selector */
  const first = (selector) => {
    /** @param {number} [timeout] */
    const find = async (timeout = 5000) => {
      const deadline = Date.now() + timeout;
      for (;;) {
        const found = await driver.findElements(By.css(selector));
        if (found.length) return found[0];
        if (Date.now() > deadline) throw new Error(`${selector} not found within ${timeout} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    return {
      /** @param {{ timeout?: number, position?: { x: number, y: number } }} [options] */
      async click(options = {}) {
        const element = await find(options.timeout);
        if (options.position) {
          const rect = await element.getRect();
          await driver.actions().move({ origin: element, x: Math.round(options.position.x - rect.width / 2),
            y: Math.round(options.position.y - rect.height / 2) }).click().perform();
        } else {
          await element.click();
        }
      },
      /** @param {{ timeout?: number }} [options] */
      async boundingBox(options = {}) {
        const rect = await (await find(options.timeout)).getRect();
        return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
      },
      async isVisible() {
        const found = await driver.findElements(By.css(selector));
        return found.length ? found[0].isDisplayed() : false;
      },
      /** @param {{ timeout?: number }} [options] */
      async innerText(options = {}) {
        return (await find(options.timeout)).getText();
      },
    };
  };
  return {
    /**
     * A function runs with its argument; a string is evaluated as an expression. Promises are
     * awaited (WebDriver's execute script does so).
     * @param {string | ((arg: any) => unknown)} fn @param {unknown} [arg]
     */
    evaluate: (fn, arg) => (typeof fn === 'string'
      ? driver.executeScript('return (0, eval)(arguments[0]);', fn)
      : driver.executeScript(`return (${fn.toString()})(arguments[0]);`, arg)),
    addInitScript: async () => {
      throw new Error('WebKit through WebDriver classic cannot run a script before the page\'s own (withoutWebCodecsAudio, withoutGlobals)');
    },
    /** No console or page error events in WebDriver classic. */
    on: () => {},
    /** @param {string} url @param {{ timeout?: number }} options */
    goto: async (url, options) => {
      await driver.manage().setTimeouts({ pageLoad: options.timeout ?? 30_000 });
      await driver.get(url);
    },
    /** @param {{ path: string }} options */
    screenshot: async (options) => writeFileSync(options.path, Buffer.from(await driver.takeScreenshot(), 'base64')),
    /** @param {string} selector */
    locator: (selector) => ({ first: () => first(selector) }),
    close: async () => {
      await driver.get('about:blank');
    },
  };
}

/**
 * Launches MiniBrowser under WebKitWebDriver on a display of its own, audio to a null sink.
 * With `fakeMedia`, getUserMedia gets WebKit's mock camera and microphone.
 * @param {string} home @param {NodeJS.ProcessEnv} env @param {{ fakeMedia?: boolean }} [options]
 * @returns {Promise<import('playwright-core').BrowserContext>} the subset driver.mjs uses (see pageLike)
 */
export async function launchWebKit(home, env, { fakeMedia = false } = {}) {
  const { server, pulse } = await startPulseAudio(home, env);
  const { display, xvfb } = await startXvfb(env);
  // With compositing, the web process starved on 2 cores; without it WebCodecs played at 30 fps.
  const browserEnv = { ...env, DISPLAY: display, PULSE_SERVER: server, WEBKIT_DISABLE_COMPOSITING_MODE: '1' };
  const service = new DriverService.Builder(DRIVER).setLoopback(true).setEnvironment(browserEnv).setStdio(['ignore', 'ignore', 'inherit']);
  const driver = await new Builder()
    .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation', '--autoplay-policy=allow', '--media-playback-requires-user-gesture=false',
      ...(fakeMedia ? ['--enable-media-stream=true', '--enable-mock-capture-devices=true'] : [])] } })
    .usingServer(await service.build().start())
    .build();
  // A script that never answers fails after this instead of holding its command forever.
  await driver.manage().setTimeouts({ script: 60_000 });
  const page = pageLike(driver);
  const context = {
    newPage: async () => page,
    close: async () => {
      await driver.quit().catch(() => {});
      xvfb.kill();
      pulse.kill();
    },
  };
  return /** @type {import('playwright-core').BrowserContext} */ (/** @type {unknown} */ (context));
}
