// @ts-check
/**
 * How far the audio output has fallen behind the wall clock. A starved audio thread (a busy
 * machine) plays less than real time asks for: headless Chromium's device skips the callbacks
 * it missed, in steps of 3-25 ms, and traces on the 2-core test machine showed 100 ms of such
 * slips in 5 s. The audio it did not play stays in the jitter buffer as latency, which looks
 * like any other surplus; knowing it is the output's slip, the buffer removes it at once.
 *
 * The worklet has no performance.now(), but Date.now() works there. Render calls come in
 * bursts (the device's period), so the deficit (wall time minus audio rendered) is taken at its
 * low point over a short window: a rise of that floor is a slip, a fall a catch-up. Pure.
 */
import { SlidingMinimum } from '../stats/sliding-minimum.js';

export class OutputClock {
  /** @param {number} sampleRate @param {number} [windowMs] longer than the device's period */
  constructor(sampleRate, windowMs = 200) {
    this.sampleRate = sampleRate;
    this.windowMs = windowMs;
    this.startWallMs = NaN;
    this.frames = 0;
    this.lows = new SlidingMinimum(windowMs);
    this.floorMs = NaN;
    this.lastWallMs = NaN;
  }

  /**
   * @param {number} wallMs  Date.now() at a render call (NaN: not known, nothing to say)
   * @param {number} frames  about to be rendered
   * @returns {number} how much the output slipped (positive) or caught up (negative) since the last call, ms
   */
  note(wallMs, frames) {
    if (!Number.isFinite(wallMs)) return 0;
    if (Number.isNaN(this.startWallMs)) this.start(wallMs);
    const deficitMs = wallMs - this.startWallMs - (this.frames / this.sampleRate) * 1000;
    this.frames += frames;
    const floorMs = this.lows.add(wallMs, deficitMs);
    const change = floorMs - this.floorMs;
    this.floorMs = floorMs;
    // A wall clock that steps (NTP, a suspended machine) is not the output's doing: start over.
    if (Math.abs(change) > MAX_SLIP_MS || wallMs < this.lastWallMs) this.start(wallMs);
    this.lastWallMs = wallMs;
    // The first window finds the floor (the first bursts render ahead of the wall clock).
    return wallMs < this.startWallMs + this.windowMs ? 0 : change;
  }

  /** @param {number} wallMs */
  start(wallMs) {
    this.startWallMs = wallMs;
    this.lastWallMs = wallMs;
    this.frames = 0;
    this.lows.clear();
    this.floorMs = NaN;
  }
}

const MAX_SLIP_MS = 1000;
