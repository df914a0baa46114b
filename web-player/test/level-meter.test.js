import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LevelMeter, SILENCE_DB } from '../src/audio/level-meter.js';

const RATE = 48_000;

/**
 * A signal built from [durationMs, amplitude (0: silence), noise amplitude] parts; returns samples and each tone's first sample.
 * @param {number[][]} parts @param {number} [seed]
 */
function signal(parts, seed = 1) {
  let random = seed;
  const noise = () => {
    random = (random * 16807) % 2147483647;
    return random / 2147483647 - 0.5;
  };
  const total = parts.reduce((/** @type {number} */ n, [ms]) => n + Math.round((ms * RATE) / 1000), 0);
  const samples = new Float32Array(total);
  const tones = [];
  let at = 0;
  for (const [ms, amplitude, noiseAmplitude = 0] of parts) {
    const n = Math.round((ms * RATE) / 1000);
    if (amplitude) tones.push(at);
    for (let i = 0; i < n; i++) samples[at + i] = amplitude * Math.sin((2 * Math.PI * 1000 * i) / RATE) + noiseAmplitude * noise();
    at += n;
  }
  return { samples, tones };
}

/**
 * Feeds in 128-sample blocks (the worklet's render quantum), from time `t0Ms`; calls `each` after every block.
 * @param {LevelMeter} meter @param {Float32Array} samples @param {number} [t0Ms] @param {(tMs: number) => void} [each]
 */
function feed(meter, samples, t0Ms = 0, each = () => {}) {
  for (let i = 0; i < samples.length; i += 128) {
    meter.process(samples.subarray(i, i + 128), t0Ms + (i * 1000) / RATE);
    each(t0Ms + ((i + 128) * 1000) / RATE);
  }
}

test('level meter: a tone after quiet is one beep, its onset to the sample, wherever it starts in a window', () => {
  // 1 kHz starts at a zero crossing: the first sample above the onset amplitude is a few samples in.
  for (const offsetMs of [500, 503.3, 509.9]) {
    const meter = new LevelMeter({ sampleRate: RATE });
    const { samples, tones } = signal([[offsetMs, 0], [100, 0.2], [400, 0], [80, 0.1], [300, 0]]);
    feed(meter, samples, 1000);
    const f = meter.figures();
    assert.equal(f.beeps, 2, `tone at ${offsetMs} ms`);
    tones.forEach((first, k) => {
      const trueMs = 1000 + (first * 1000) / RATE;
      assert.ok(f.onsetsMs[k] >= trueMs && f.onsetsMs[k] - trueMs < 0.25, `onset ${f.onsetsMs[k]} vs ${trueMs}`);
    });
  }
});

test('level meter: speaking holds through a short pause and ends after the hangover', () => {
  const meter = new LevelMeter({ sampleRate: RATE, hangoverMs: 400 });
  const { samples } = signal([[200, 0], [300, 0.05], [150, 0], [300, 0.05], [1000, 0]]);
  /** @type {[number, boolean][]} */
  const seen = [];
  feed(meter, samples, 0, (t) => seen.push([t, meter.figures().speaking]));
  const at = (/** @type {number} */ ms) => seen.find(([t]) => t >= ms)?.[1];
  assert.equal(at(100), false);
  assert.equal(at(300), true);
  assert.equal(at(570), true, 'a 150 ms pause between words');
  assert.equal(at(1100), true, 'within the hangover');
  assert.equal(at(1300), true, 'within the hangover, 350 ms after the last word');
  assert.equal(at(1400), false, 'after it');
  assert.ok(meter.figures().peakDb === SILENCE_DB, 'the meter falls to silence');
});

test('level meter: background noise is neither speech nor a beep; a tone already playing at the start is not an onset', () => {
  const meter = new LevelMeter({ sampleRate: RATE });
  const { samples } = signal([[100, 0.2], [300, 0, 0.003], [1000, 0, 0.003]]);
  feed(meter, samples);
  const f = meter.figures();
  assert.equal(f.beeps, 0);
  assert.equal(f.speaking, false);
  assert.ok(f.levelDb < -55 && f.levelDb > -70, `noise at ${f.levelDb} dB`);
});

test('level meter: a tone through quiet noise is still a beep; the level reads its RMS', () => {
  const meter = new LevelMeter({ sampleRate: RATE });
  const { samples, tones } = signal([[300, 0, 0.003], [100, 0.1, 0.003], [300, 0, 0.003]]);
  let levelInTone = NaN;
  feed(meter, samples, 0, (t) => {
    if (t > 350 && t < 360) levelInTone = meter.figures().levelDb;
  });
  const f = meter.figures();
  assert.equal(f.beeps, 1);
  assert.ok(Math.abs(f.onsetsMs[0] - (tones[0] * 1000) / RATE) < 0.25);
  assert.ok(Math.abs(levelInTone - 20 * Math.log10(0.1 / Math.SQRT2)) < 0.5, `level ${levelInTone}`);
});

test('level meter: only the most recent onsets are kept', () => {
  const meter = new LevelMeter({ sampleRate: RATE, onsetsKept: 3 });
  const parts = [[100, 0]];
  for (let i = 0; i < 5; i++) parts.push([50, 0.2], [100, 0]);
  feed(meter, signal(parts).samples);
  assert.equal(meter.figures().beeps, 5);
  assert.equal(meter.figures().onsetsMs.length, 3);
});
