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

/**
 * The AudioContext time being heard at perfNowMs. From getOutputTimestamp() where it agrees with
 * the context's own clock; else the context's currentTime less its latencies. WebKitGTK 2.50's
 * performanceTime runs ahead of performance.now() by about contextTime, which put the heard time
 * at 0 s forever (its player's clock stood still); a timestamp of a moment still to come, more
 * than a second old, or of a context time that is not just before currentTime, is not trusted.
 * @param {{ contextTime?: number, performanceTime?: number }} out  getOutputTimestamp()
 * @param {{ currentTimeS: number, latencyS: number }} context  currentTime; baseLatency + outputLatency
 * @param {number} perfNowMs
 * @returns {{ contextTimeS: number, trusted: boolean }} trusted: from the output timestamp
 */
export function heardContextTime(out, { currentTimeS, latencyS }, perfNowMs) {
  const { contextTime, performanceTime } = out;
  if (contextTime !== undefined && performanceTime !== undefined
    && performanceTime <= perfNowMs + TIMESTAMP_SLACK_MS && perfNowMs - performanceTime < 1000
    && contextTime <= currentTimeS + TIMESTAMP_SLACK_MS / 1000 && currentTimeS - contextTime < 1) {
    return { contextTimeS: contextTime + (perfNowMs - performanceTime) / 1000, trusted: true };
  }
  return { contextTimeS: currentTimeS - latencyS, trusted: false };
}

/** How far an output timestamp may lead the clocks it is checked against (rounding, a render quantum). */
const TIMESTAMP_SLACK_MS = 20;
