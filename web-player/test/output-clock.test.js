import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputClock } from '../src/audio/output-clock.js';

const RATE = 48_000;
const BLOCK = 128;
const PER_CALL = 4; // blocks the device asks for at once: its period, 10.7 ms
const PERIOD_MS = (PER_CALL * BLOCK * 1000) / RATE;
const EPOCH = 1_700_000_000_000;

/**
 * A device that asks for PER_CALL blocks every period for `seconds`, except in the periods for
 * which `skipped(tMs)` is true (a starved thread: those callbacks never come). Date.now() is
 * whole ms, shifted by `wallStep(tMs)`. Returns the slips reported, [tMs, ms] per report.
 * @param {number} seconds
 * @param {(tMs: number) => boolean} [skipped]
 * @param {(tMs: number) => number} [wallStep]
 */
function play(seconds, skipped = () => false, wallStep = () => 0) {
  const clock = new OutputClock(RATE);
  /** @type {[number, number][]} */
  const reports = [];
  for (let t = 0; t < seconds * 1000; t += PERIOD_MS) {
    if (skipped(t)) continue;
    for (let b = 0; b < PER_CALL; b++) {
      const slip = clock.note(Math.round(EPOCH + t + wallStep(t)), BLOCK);
      if (slip !== 0) reports.push([t, slip]);
    }
  }
  return reports;
}

/** The slip reported from fromMs until toMs. @param {[number, number][]} reports */
const total = (reports, fromMs = 0, toMs = Infinity) =>
  reports.filter(([t]) => t >= fromMs && t < toMs).reduce((sum, [, ms]) => sum + ms, 0);

test('a device that keeps pace, in bursts of its period, does not slip', () => {
  const reports = play(5);
  assert.ok(Math.abs(total(reports)) < 1, JSON.stringify(reports));
});

test('a device that skips 60 ms of callbacks (a starved thread) slipped 60 ms, seen within 250 ms', () => {
  const skipped = (/** @type {number} */ t) => t >= 2000 && t < 2060;
  const reports = play(5, skipped);
  let missedMs = 0; // whole periods: 64 ms
  for (let t = 0; t < 5000; t += PERIOD_MS) if (skipped(t)) missedMs += PERIOD_MS;
  assert.ok(Math.abs(total(reports, 2000, 2060 + 250) - missedMs) < 1, JSON.stringify(reports));
  assert.ok(Math.abs(total(reports, 2060 + 250)) < 1, `nothing more after: ${JSON.stringify(reports)}`);
});

test('a wall clock that steps (NTP, a suspend) is not a slip; without a wall clock, nothing is said', () => {
  for (const step of [30_000, -30_000]) {
    const reports = play(4, () => false, (t) => (t >= 2000 ? step : 0));
    assert.ok(Math.abs(total(reports)) < 1, JSON.stringify(reports));
  }
  const blind = new OutputClock(RATE);
  for (let i = 0; i < 100; i++) assert.equal(blind.note(NaN, BLOCK), 0);
});
