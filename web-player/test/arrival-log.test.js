// The arrival log (`?record-arrivals=N`): its ring, the playout worklet that keeps it only when
// asked, and the engine's request for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArrivalLog, MAX_RECORDED_ARRIVALS } from '../src/audio/arrival-log.js';
import { parseRecordArrivals } from '../src/ui/player-options.js';
import { AudioEngine } from '../src/audio/audio-engine.js';

test('the ring keeps the last N arrivals, oldest first, and counts what went by', () => {
  const log = new ArrivalLog(3);
  assert.deepEqual(log.record().mediaMs, []);
  for (let i = 0; i < 5; i++) log.note(20 * i, 1000 + 20 * i + (i % 2), 20);
  const r = log.record();
  assert.deepEqual(r.mediaMs, [40, 60, 80]);
  assert.deepEqual(r.arrivalMs, [1040, 1061, 1080]);
  assert.equal(r.total, 5);
  assert.equal(r.capacity, 3);
  assert.equal(r.frameMs, 20);
  assert.equal(r.resets, 0);
});

test('a clear starts the log over and is counted', () => {
  const log = new ArrivalLog(4);
  log.note(0, 5, 20);
  log.note(20, 25, 20);
  log.clear();
  log.note(100, 130, 20);
  const r = log.record();
  assert.deepEqual(r.mediaMs, [100]);
  assert.deepEqual(r.arrivalMs, [130]);
  assert.equal(r.total, 1);
  assert.equal(r.resets, 1);
});

test('a log has room for at least one packet', () => {
  for (const bad of [0, -1, 2.5, NaN]) assert.throws(() => new ArrivalLog(bad), RangeError, String(bad));
});

test('?record-arrivals=N: 1 to the maximum, anything else none', () => {
  assert.equal(parseRecordArrivals('2500'), 2500);
  assert.equal(parseRecordArrivals(String(MAX_RECORDED_ARRIVALS)), MAX_RECORDED_ARRIVALS);
  for (const bad of [null, '', '0', '-3', '2.5', 'x', '1e3', String(MAX_RECORDED_ARRIVALS + 1)]) {
    assert.equal(parseRecordArrivals(bad), undefined, String(bad));
  }
});

/** The playout worklet's processor class, loaded into an imitation of the AudioWorkletGlobalScope. */
async function processorClass() {
  /** @type {any} */
  let registered = null;
  Object.assign(globalThis, {
    sampleRate: 48_000,
    currentTime: 0,
    AudioWorkletProcessor: class {
      /** @type {any[]} */
      posted = [];
      port = { postMessage: (/** @type {any} */ m) => this.posted.push(m), onmessage: null };
    },
    registerProcessor: (/** @type {string} */ _name, /** @type {any} */ ctor) => { registered = ctor; },
  });
  await import('../src/audio/playout-worklet.js');
  return registered;
}

/** @param {number} frames */
const pcm = (/** @type {number} */ mediaTimeMs, /** @type {number} */ arrivalMs, frames = 960) =>
  ({ type: 'pcm', mediaTimeMs, arrivalMs, planes: [new Float32Array(frames), new Float32Array(frames)] });

test('the worklet logs what its jitter buffer is given only when asked to, and answers a request either way', async () => {
  const Processor = await processorClass();
  const options = { channels: 2, floorMs: 20, ceilingMs: 1000 };
  const off = new Processor({ processorOptions: options });
  assert.equal(off.arrivals, null);
  off.receive(pcm(0, 100));
  off.receive({ type: 'arrivals' });
  assert.deepEqual(off.posted, [{ type: 'arrivals', record: null }]);

  const on = new Processor({ processorOptions: { ...options, recordArrivals: 2 } });
  on.receive(pcm(0, 100));
  on.receive(pcm(20, 125));
  on.receive(pcm(40, 139.5));
  on.receive({ type: 'arrivals' });
  const { record } = on.posted.at(-1);
  assert.deepEqual([record.mediaMs, record.arrivalMs, record.frameMs, record.total], [[20, 40], [125, 139.5], 20, 3]);
  // A reconnection resets the jitter buffer: the log starts over with it.
  on.receive({ type: 'reset' });
  on.receive(pcm(5000, 9000));
  on.receive({ type: 'arrivals' });
  const after = on.posted.at(-1).record;
  assert.deepEqual([after.mediaMs, after.resets], [[5000], 1]);
  assert.ok(!on.posted.some((/** @type {any} */ m) => m.type === 'error'));
});

test('the engine asks the worklet for its log and hands on the answer; without the option it does not ask', async () => {
  /** @type {any[]} */
  const asked = [];
  Reflect.set(globalThis, 'AudioWorkletNode', class {
    /** @param {any} _context @param {string} _name @param {any} init */
    constructor(_context, _name, init) {
      this.init = init;
    }
    port = { postMessage: (/** @type {any} */ m) => asked.push(m), onmessage: null };
    connect() {}
  });
  const context = /** @type {AudioContext} */ (/** @type {unknown} */ ({ audioWorklet: { addModule: async () => {} }, destination: {} }));
  const engine = new AudioEngine({ floorMs: 20, ceilingMs: 1000, workletUrl: 'x', context, recordArrivals: 100 });
  await engine.start();
  assert.equal(/** @type {any} */ (engine.node).init.processorOptions.recordArrivals, 100);
  const answer = engine.arrivals();
  assert.deepEqual(asked, [{ type: 'arrivals' }]);
  const record = { mediaMs: [0], arrivalMs: [3], frameMs: 20, capacity: 100, total: 1, resets: 0 };
  engine.fromWorklet({ type: 'arrivals', record });
  assert.equal(await answer, record);

  const plain = new AudioEngine({ floorMs: 20, ceilingMs: 1000, workletUrl: 'y', context });
  await plain.start();
  assert.equal(/** @type {any} */ (plain.node).init.processorOptions.recordArrivals, 0);
  assert.equal(await plain.arrivals(), null);
  assert.equal(asked.length, 1);
});
