// @ts-check
/**
 * How much audio the jitter buffer must hold, from the packets' arrivals: the delay manager of
 * WebRTC's NetEq, apart from the playout (jitter-buffer.js).
 *
 * Each packet's lateness is its (arrival − media time) above the fastest packet of the recent
 * past (recentBaseMs, at its arrival: a queue that drains, like the join's backlog through a
 * capped link, has falling delays, each the fastest so far, so it is not taken for jitter). The
 * lateness goes into a histogram that forgets (DelayHistogram: the 97th percentile over about
 * 2 s of packets by default, as NetEq's). The target is that quantile plus half a packet and a
 * margin, within the viewer's floor and ceiling: the depth saw-tooths by a packet around the
 * target, so its trough, just before a packet is due, keeps the quantile plus the margin.
 *
 * A burst counts no more packets than the time before it could have brought (at most
 * burstPackets at once): the backlog of a single stall arrives as one burst, and only its first,
 * latest packets count, so one stall barely moves the quantile while jitter that recurs does.
 * A (re)start comes with the relay's GOP cache, a backlog faster than real time that says
 * nothing of the network: statistics start once pacedPackets in a row arrive paced, or after
 * warmupMaxMs. A packet not newer than the newest seen (reordered) is not measured: its media
 * time behind the others would count as lateness. O(1) per packet (amortised), no allocation:
 * it runs in the AudioWorklet.
 */
import { SlidingMinimum } from '../stats/sliding-minimum.js';
import { DelayHistogram } from './delay-histogram.js';

/**
 * @typedef {object} DelayManagerOptions
 * @property {number} [quantile]        0..1, of the packets' lateness (NetEq: 0.97)
 * @property {number} [forgetFactor]    per packet (0.99: a memory of ~100 packets, 2 s of 20 ms packets)
 * @property {number} [recentBaseMs]    lateness is measured from the fastest packet of this recent past
 * @property {number} [marginMs]        added to the quantile (scheduling slack)
 * @property {number} [burstPackets]    the most packets a burst counts at once, whatever the time before it
 * @property {number} [pacedPackets]    statistics start after this many packets in a row arrive paced
 * @property {number} [warmupMaxMs]     ... or at the latest this long after the first arrival
 * @property {number} [maxLatenessMs]   lateness above counts as this much (the histogram's range)
 */

export class DelayManager {
  /** @param {DelayManagerOptions} [options] */
  constructor(options = {}) {
    this.histogram = new DelayHistogram({ quantile: options.quantile ?? 0.97, forgetFactor: options.forgetFactor ?? 0.99,
      resolutionMs: 1, maxMs: options.maxLatenessMs ?? 5000 });
    this.marginMs = options.marginMs ?? 10;
    this.burstPackets = options.burstPackets ?? 2;
    this.pacedPackets = options.pacedPackets ?? 3;
    this.warmupMaxMs = options.warmupMaxMs ?? 1500;
    this.recentDelays = new SlidingMinimum(options.recentBaseMs ?? 2000);
    this.packetMs = 20;
    this.pacedRun = 0;
    this.previousDelayMs = NaN;
    this.firstArrivalMs = NaN;
    this.lastArrivalMs = NaN;
    this.newestMediaMs = -Infinity;
    /** packets the arrival clock has made room for (a burst's packets count while it lasts) */
    this.credit = 0;
    /** packets counted in the histogram */
    this.counted = 0;
  }

  /** Forgets every arrival (a reconnect, a new track). */
  reset() {
    this.histogram.clear();
    this.recentDelays.clear();
    this.pacedRun = 0;
    this.previousDelayMs = NaN;
    this.firstArrivalMs = NaN;
    this.lastArrivalMs = NaN;
    this.newestMediaMs = -Infinity;
    this.credit = 0;
  }

  /**
   * Records a packet's arrival.
   * @param {number} mediaTimeMs its presentation time @param {number} arrivalMs on any steady clock
   * @param {number} [packetMs] its duration
   */
  noteArrival(mediaTimeMs, arrivalMs, packetMs = 20) {
    this.packetMs = packetMs;
    if (mediaTimeMs <= this.newestMediaMs) return;
    this.newestMediaMs = mediaTimeMs;
    const delayMs = arrivalMs - mediaTimeMs;
    if (Number.isNaN(this.firstArrivalMs)) this.firstArrivalMs = arrivalMs;
    const sinceLastMs = Number.isNaN(this.lastArrivalMs) ? packetMs : Math.max(0, arrivalMs - this.lastArrivalMs);
    this.lastArrivalMs = arrivalMs;
    this.credit = Math.min(this.burstPackets, this.credit + sinceLastMs / packetMs);
    if (this.pacedRun < this.pacedPackets && arrivalMs - this.firstArrivalMs < this.warmupMaxMs) {
      // In a backlog each packet's (arrival − media time) drops by about a packet.
      const paced = delayMs >= this.previousDelayMs - packetMs / 2;
      this.pacedRun = paced ? this.pacedRun + 1 : 0;
      this.previousDelayMs = delayMs;
      if (this.pacedRun < this.pacedPackets) return;
    }
    this.pacedRun = this.pacedPackets;
    const latenessMs = delayMs - this.recentDelays.add(arrivalMs, delayMs);
    const weight = Math.min(1, this.credit);
    this.credit -= weight;
    this.histogram.add(latenessMs, weight);
    if (weight > 0) this.counted++;
  }

  /** The quantile of lateness, ms (before margin, floor and ceiling). */
  get jitterMs() {
    return this.histogram.valueMs;
  }

  /**
   * The depth to steer to: the quantile, half a packet (the saw-tooth's), the margin, within limits.
   * @param {number} floorMs @param {number} ceilingMs
   */
  targetMs(floorMs, ceilingMs) {
    return Math.min(ceilingMs, Math.max(floorMs, this.jitterMs + this.packetMs / 2 + this.marginMs));
  }
}
