import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SilenceGate, rmsDb } from '../src/publish/silence-gate.js';
import { EncoderTimestamps } from '../src/publish/capture-timeline.js';

test('DTX: silence is sent once every 400 ms, speech always, and 200 ms past its last loud frame', () => {
  const gate = new SilenceGate();
  const sent = [];
  // 20 ms frames: 1 s silence, 300 ms speech, 1 s silence.
  for (let i = 0; i < 115; i++) {
    const t = i * 20_000;
    const level = i >= 50 && i < 65 ? -25 : -90;
    if (gate.send(t, level)) sent.push(i);
  }
  const silentStart = sent.filter((i) => i < 50);
  assert.deepEqual(silentStart, [0, 20, 40], 'one packet per 400 ms of silence');
  for (let i = 50; i < 65; i++) assert.ok(sent.includes(i), `speech frame ${i}`);
  for (let i = 65; i <= 74; i++) assert.ok(sent.includes(i), `hangover frame ${i}`);
  assert.ok(!sent.includes(76) && !sent.includes(80), 'then silence again');
  assert.equal(gate.dropped, 115 - sent.length);
  assert.equal(rmsDb(new Float32Array(480)), -Infinity);
  assert.ok(Math.abs(rmsDb(new Float32Array(480).fill(0.1)) - -20) < 1e-5);
});

test('the loudest input under an output frame decides its level', () => {
  const t = new EncoderTimestamps(48_000);
  for (let i = 0; i < 10; i++) t.input(i * 10_000, 480, i === 5 ? -20 : -80);
  // Encoder frames of 960 samples: frame 2 covers inputs 4 and 5.
  assert.equal(t.sourceMicros(40_000), 40_000);
  assert.equal(t.levelDb(40_000, 960), -20);
  assert.equal(t.sourceMicros(60_000), 60_000);
  assert.equal(t.levelDb(60_000, 960), -80);
});
