// @ts-check
/**
 * Replays an arrival trace through the player's jitter buffer (its delay manager and playout),
 * in simulated time: each packet is pushed when the trace says it arrived, the output pulls
 * 128-sample blocks at 48 kHz. Pure, no clock: the same figures on any machine, at any load.
 *
 * A trace is the JSON of MoQ's audio-jitter corpus (traces/moq-audio-jitter/README.md):
 * { name, about, frame, arrival[], media[], target?, delay?, advertised? }, times in ms.
 */
import { JitterBuffer } from '../src/audio/jitter-buffer.js';

const RATE = 48_000;
const BLOCK = 128;

/**
 * @typedef {object} Trace
 * @property {string} name
 * @property {string} [about]
 * @property {number} frame              packet duration, ms
 * @property {number[]} arrival          receiver clock, ms
 * @property {number[]} media            the packets' media times, ms
 * @property {[number, number][]} [target] the MoQ reference estimator's target, as [packet index, ms] from that packet on
 * @property {number} [delay]            an explicit target (adaptation off): floor and ceiling here
 * @property {number} [advertised]       the publisher's advertised flush span: the floor here
 */

/**
 * @typedef {object} ReplayFigures
 * @property {string} name
 * @property {number} packets
 * @property {number} seconds              simulated
 * @property {number} targetMs             at the end
 * @property {number} targetMaxMs
 * @property {number} jitterMs             the delay manager's quantile at the end
 * @property {number} convergedAtMs        from when on the target stayed within max(5 ms, 10 %) of its final value
 * @property {number} concealedPercent     of the audio played
 * @property {number} underruns
 * @property {number} gapPercent           silence for media that never came (jumps in timestamps), of the audio played
 * @property {number} skippedMs            dropped to catch up
 * @property {number} acceleratedMs        removed by accelerate
 * @property {number} meanDepthMs          over the second half
 * @property {number} referenceTargetMs    MoQ's reference target at the end (NaN without one)
 */

/**
 * @param {Trace} trace
 * @param {{ floorMs?: number, ceilingMs?: number }} [options]
 * @returns {ReplayFigures}
 */
export function replayTrace(trace, options = {}) {
  const frames = Math.round((trace.frame / 1000) * RATE);
  let floorMs = options.floorMs ?? 20;
  let ceilingMs = options.ceilingMs ?? 1000;
  if (trace.delay !== undefined) floorMs = ceilingMs = trace.delay;
  else if (trace.advertised !== undefined) floorMs = Math.max(floorMs, trace.advertised);
  const jb = new JitterBuffer({ sampleRate: RATE, channels: 1, floorMs, ceilingMs });
  const out = [new Float32Array(BLOCK)];
  // Arrivals in the order the trace has them (a reordered packet comes when it comes).
  const order = trace.arrival.map((_, i) => i);
  const startMs = Math.min(...trace.arrival);
  const endMs = Math.max(...trace.arrival) + trace.frame;
  /** @type {[number, number][]} time, target */
  const targets = [];
  let depthSum = 0;
  let depthBlocks = 0;
  let next = 0;
  for (let block = 0; ; block++) {
    const tMs = startMs + (block * BLOCK * 1000) / RATE;
    if (tMs > endMs) break;
    while (next < order.length && trace.arrival[order[next]] <= tMs) {
      const i = order[next++];
      jb.push(trace.media[i], trace.arrival[i], [new Float32Array(frames).fill(0.25)]);
    }
    jb.render(out);
    targets.push([tMs - startMs, jb.targetMs]);
    if (tMs - startMs > (endMs - startMs) / 2) {
      depthSum += jb.depthMs;
      depthBlocks++;
    }
  }
  const s = jb.stats();
  const final = s.targetMs;
  let convergedAtMs = 0;
  for (const [t, target] of targets) if (Math.abs(target - final) > Math.max(5, 0.1 * final)) convergedAtMs = t;
  const played = Math.max(1, s.renderedSamples);
  const reference = trace.target?.length ? trace.target[trace.target.length - 1][1] : NaN;
  return {
    name: trace.name,
    packets: trace.arrival.length,
    seconds: (endMs - startMs) / 1000,
    targetMs: final,
    targetMaxMs: Math.max(...targets.map(([, t]) => t)),
    jitterMs: s.jitterMs,
    convergedAtMs,
    concealedPercent: (100 * s.concealedSamples) / played,
    underruns: s.underruns,
    gapPercent: (100 * s.gapSamples) / played,
    skippedMs: (s.skippedSamples / RATE) * 1000,
    acceleratedMs: (s.acceleratedSamples / RATE) * 1000,
    meanDepthMs: depthBlocks ? depthSum / depthBlocks : NaN,
    referenceTargetMs: reference,
  };
}
