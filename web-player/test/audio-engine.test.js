// The AudioEngine's start and clock against a fake AudioContext (the browser's collaborator, as
// Firefox and WebKit behave here): a resume that never settles, and an output timestamp that
// runs ahead of performance.now() by its context time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioEngine } from '../src/audio/audio-engine.js';

// The worklet node: only its port and connect() are used by the engine.
Reflect.set(globalThis, 'AudioWorkletNode', class {
  port = { postMessage() {}, onmessage: null };
  connect() {}
  disconnect() {}
});

/** A context at currentTime 10 s; `timestamp` is what getOutputTimestamp() answers. */
function fakeContext({ resumes = true, timestamp = { contextTime: 9.97, performanceTime: 4990 } } = {}) {
  const context = {
    state: 'suspended', currentTime: 10, baseLatency: 0.01, outputLatency: 0.01, timestamp,
    audioWorklet: { addModule: async () => {} },
    destination: {},
    resume() {
      if (!resumes) return new Promise(() => {}); // Firefox without a sound server: never settles
      context.state = 'running';
      return Promise.resolve();
    },
    getOutputTimestamp: () => context.timestamp,
  };
  return context;
}

/** @param {ReturnType<typeof fakeContext>} context */
const engineOn = (context) => new AudioEngine({ floorMs: 0, ceilingMs: 1000, workletUrl: 'x', context: /** @type {AudioContext} */ (/** @type {unknown} */ (context)), resumeTimeoutMs: 200 });

test('a context that never resumes: resume() gives up after its bound, says so and counts it; a retry that works clears it', { timeout: 10_000 }, async () => {
  const context = fakeContext({ resumes: false });
  const engine = engineOn(context);
  assert.equal(await engine.resume(), false);
  assert.equal(engine.startFailures, 1);
  assert.match(engine.startProblem, /audio could not start/i);
  context.resume = () => { context.state = 'running'; return Promise.resolve(); };
  assert.equal(await engine.resume(), true);
  assert.equal(engine.startProblem, '');
  assert.equal(engine.startFailures, 1);
});

/** The heard media time at perfNowMs, with the worklet playing media 1000 ms at context time 10 s. */
function heardAt(/** @type {ReturnType<typeof fakeContext>} */ context, /** @type {number} */ perfNowMs) {
  const engine = engineOn(context);
  return engine.resume().then(() => {
    engine.report = { contextTime: 10, stats: /** @type {any} */ ({ playing: true, playoutMediaTimeMs: 1000, speed: 1 }) };
    return engine.heardMediaTimeMs(perfNowMs);
  });
}

test('a consistent output timestamp (Chromium) maps now to the context time heard', async () => {
  // The sample at context time 9.97 s reached the speakers at 4990 ms: at 5000 ms, 9.98 s is heard.
  assert.ok(Math.abs((await heardAt(fakeContext(), 5000)) - 980) < 1);
});

test('WebKit: performanceTime ahead of performance.now() by contextTime is not trusted; currentTime minus the latency is', async () => {
  const webkit = fakeContext({ timestamp: { contextTime: 9.97, performanceTime: 4990 + 9970 } });
  const heard = await heardAt(webkit, 5000);
  assert.ok(Math.abs(heard - 980) < 15, `heard ${heard}`);
});
