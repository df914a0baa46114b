// @ts-check
/**
 * The adaptive audio jitter buffer: decoded PCM goes in as it arrives, the playout pulls
 * fixed-size blocks at the output's pace.
 *
 * Target delay: each packet's lateness is its (arrival − media time) above the fastest
 * packet of the recent past (2 s, at its arrival; a draining queue is not jitter, see
 * recentMinDelay); the target is the chosen percentile (95th) of lateness over a sliding window,
 * plus half a packet and a small margin, clamped to [floor, ceiling]. The target is the
 * depth steered on average; the depth saw-tooths by one packet on every arrival, so its
 * trough, just before a packet is due, sits half a packet below: the trough is what must
 * absorb a late packet, and it keeps the percentile plus the margin. The window is cut into
 * buckets of arrival time, and a bucket counts no more packets than its duration should
 * bring: the backlog of a single stall arrives as one burst in one bucket, so it barely
 * moves the percentile, while jitter that recurs does.
 *
 * Playout: the depth (buffered audio) is steered to the target by resampling at a rate
 * within ±maxRateAdjust (a small time-stretch, no clicks). An excess above accelerateAboveMs
 * (the late burst behind an underrun, a lip-sync floor that came down) is worked off faster,
 * and without a change of pitch, by removing whole pitch periods where the signal repeats
 * itself best (WSOLA, as WebRTC's NetEq "accelerate" does): up to maxAccelerate of the audio,
 * so the audio clock runs at most that much fast, which video can follow. Audio the output
 * device failed to play (a starved audio thread falls behind the wall clock: output-clock.js)
 * is surplus for certain, and is accelerated away at the full share at once. An excess above
 * skipAboveMs (after a stall) is dropped at once with a short crossfade. A join plays from the
 * live edge: for its first joinWindowMs, whatever the trough of the depth holds beyond the
 * target (the rest of a GOP-cache backlog) is dropped the same way, rather than worked off by a
 * time-stretch that would take seconds and hold audio, and video with it, late. An underrun fades out,
 * plays silence (concealment, counted) and resumes with a fade-in at half the target.
 *
 * Pure: no clocks, no browser APIs; time comes in as arguments. It runs inside the
 * AudioWorklet and under node's test runner alike.
 */

import { OutputClock } from './output-clock.js';
import { SlidingMinimum } from '../stats/sliding-minimum.js';
import { bestPeriod } from './pitch-period.js';
import { RecentTrough } from './recent-trough.js';

/**
 * @typedef {object} JitterBufferOptions
 * @property {number} sampleRate        output sample rate, Hz
 * @property {number} channels
 * @property {number} [floorMs]         the lowest target delay
 * @property {number} [ceilingMs]       the highest target delay
 * @property {number} [windowMs]        the sliding window of arrival statistics
 * @property {number} [recentBaseMs]    lateness is measured from the fastest packet of this recent past
 * @property {number} [bucketMs]        bucket length inside the window
 * @property {number} [percentile]      0..1, of the packets' lateness over the window
 * @property {number} [marginMs]        added to the percentile (scheduling slack)
 * @property {number} [deadbandMs]      |depth − target| below this plays at rate 1
 * @property {number} [maxRateAdjust]   the largest time-stretch, e.g. 0.04 = ±4 %
 * @property {number} [accelerateAboveMs] an excess above this is worked off by removing whole pitch periods
 * @property {number} [maxAccelerate]   the largest share of the audio those removals take, e.g. 0.1 = 10 %
 * @property {number} [skipAboveMs]     an excess above this is dropped with a crossfade
 * @property {number} [joinWindowMs]    after a (re)start, how long any excess is dropped at once
 * @property {number} [pacedPackets]    statistics start after this many packets in a row arrive
 *                                      paced (not as a backlog burst)
 * @property {number} [warmupMaxMs]     ... or at the latest this long after the first arrival
 */

/**
 * @typedef {object} JitterBufferStats
 * @property {number} targetMs          current target delay
 * @property {number} depthMs           audio buffered now
 * @property {number} jitterMs          the percentile of lateness (before floor/ceiling)
 * @property {number} rate              current resampling rate (1 = nominal)
 * @property {number} speed             media time played per output time, smoothed (the resampling
 *                                      rate and the pitch periods removed): how fast the audio clock runs
 * @property {number} underruns         times the buffer ran dry while playing
 * @property {number} renderedSamples   samples handed to the output while playing or concealing
 * @property {number} concealedSamples  samples of silence played instead of audio
 * @property {number} skippedSamples    samples dropped to catch up after a burst
 * @property {number} acceleratedSamples samples of whole pitch periods removed to work off an excess
 * @property {number} outputSlipMs      how far the output device fell behind the wall clock, in all
 * @property {number} gapSamples        silence inserted for packets that never arrived
 * @property {number} overflowSamples   samples dropped because the ring was full
 * @property {boolean} playing          false while (re)buffering
 * @property {number} playoutMediaTimeMs media time of the next sample to play (NaN before audio)
 */

/** The lowest target unless the viewer says otherwise: a trough of 10 ms with 20 ms packets. */
export const DEFAULT_FLOOR_MS = 20;
const FADE_SAMPLES = 96; // 2 ms at 48 kHz: long enough to avoid a click, short enough to be inaudible
/** Pitch periods that accelerate may remove: 2.5-12 ms (voices and most instruments, 80-400 Hz). */
const MIN_PERIOD_MS = 2.5;
const MAX_PERIOD_MS = 12;
/** The stretch of signal matched across a removed period, and crossfaded over. */
const MATCH_MS = 5;

export class JitterBuffer {
  /** @param {JitterBufferOptions} options */
  constructor(options) {
    this.sampleRate = options.sampleRate;
    this.channels = options.channels;
    this.floorMs = options.floorMs ?? DEFAULT_FLOOR_MS;
    this.ceilingMs = options.ceilingMs ?? 1000;
    this.windowMs = options.windowMs ?? 10_000;
    this.recentBaseMs = options.recentBaseMs ?? 2000;
    this.bucketMs = options.bucketMs ?? 250;
    this.percentile = options.percentile ?? 0.95;
    this.marginMs = options.marginMs ?? 10;
    this.deadbandMs = options.deadbandMs ?? 4;
    this.maxRateAdjust = options.maxRateAdjust ?? 0.04;
    this.accelerateAboveMs = options.accelerateAboveMs ?? 15;
    this.maxAccelerate = options.maxAccelerate ?? 0.1;
    this.skipAboveMs = options.skipAboveMs ?? 150;
    this.joinWindowMs = options.joinWindowMs ?? 3000;
    // A (re)connection starts with the relay's GOP cache: a backlog that arrives faster than
    // real time and says nothing about the network's jitter (it is played from its live end,
    // see catch-up). In a backlog each packet's (arrival − media time) drops by about a
    // packet; statistics start once a few packets in a row no longer do.
    this.pacedPackets = options.pacedPackets ?? 3;
    // Arrivals that are bursty by nature never look paced: start anyway after this long.
    this.warmupMaxMs = options.warmupMaxMs ?? 1500;
    if (!(this.floorMs >= 0 && this.ceilingMs >= this.floorMs)) {
      throw new RangeError(`jitter buffer floor/ceiling must satisfy 0 ≤ floor ≤ ceiling, got ${this.floorMs}-${this.ceilingMs}`);
    }
    // Ring big enough for the ceiling plus one second of burst.
    this.capacity = Math.ceil(((this.ceilingMs + 1000) / 1000) * this.sampleRate) + 1024;
    this.ring = Array.from({ length: this.channels }, () => new Float32Array(this.capacity));
    this.writeIndex = 0; // total samples written (monotonic)
    this.readIndex = 0; // total samples read, fractional
    /** media time (ms) of the sample at writeIndex */
    this.writeMediaTimeMs = NaN;
    /** @type {{ startMs: number, latenessMs: number[] }[]} */
    this.buckets = [];
    this.packetMs = 20;
    this.pacedRun = 0;
    this.previousDelayMs = NaN;
    /** the fastest packet of the recent past (recentMinDelay) */
    this.recentDelays = new SlidingMinimum(this.recentBaseMs);
    this.firstArrivalMs = NaN;
    this.playing = false;
    /** true once playing has begun: silence while rebuffering after that is concealment */
    this.started = false;
    this.fadeIn = 0;
    this.rate = 1;
    /** smoothed depth, ms: what the rate control steers */
    this.levelMs = 0;
    this.jitterMs = 0;
    this.targetMs = this.floorMs;
    this.underruns = 0;
    this.renderedSamples = 0;
    this.concealedSamples = 0;
    this.skippedSamples = 0;
    this.acceleratedSamples = 0;
    this.outputClock = new OutputClock(this.sampleRate);
    this.outputSlipMs = 0;
    /** of the surplus, what the output's slips left: accelerated at the full share, ms */
    this.outputDebtMs = 0;
    /**
     * Samples accelerate may remove: earned on every block while there is a surplus, at its share
     * of the audio played; a removal spends a whole period, and may leave it below zero.
     */
    this.accelerateCredit = 0;
    this.speed = 1;
    this.recentTrough = new RecentTrough(this.sampleRate * 0.125);
    const matchFrames = Math.round((MATCH_MS / 1000) * this.sampleRate);
    /** scratch for accelerate: a mono mix of the audio at the read position */
    this.mix = new Float32Array(Math.round((MAX_PERIOD_MS / 1000) * this.sampleRate) + matchFrames + 2);
    this.gapSamples = 0;
    this.overflowSamples = 0;
    /** playout left in which the trough is trimmed onto its place (a join, a catch-up), samples */
    this.trimRemainingSamples = 0;
    /** lowest depth seen in the current trim period, ms */
    this.troughMs = Infinity;
    this.troughSamples = 0;
  }

  /** No trim in progress (join or catch-up): until the next one, only the rate control steers. */
  clearTrim() {
    this.trimRemainingSamples = 0;
    this.troughMs = Infinity;
    this.troughSamples = 0;
  }

  /** Forgets all audio and statistics except the counters (a reconnect, a new track). */
  reset() {
    this.writeIndex = 0;
    this.readIndex = 0;
    this.writeMediaTimeMs = NaN;
    this.buckets = [];
    this.pacedRun = 0;
    this.previousDelayMs = NaN;
    this.recentDelays.clear();
    this.firstArrivalMs = NaN;
    this.playing = false;
    this.started = false;
    this.fadeIn = 0;
    this.rate = 1;
    this.speed = 1;
    this.accelerateCredit = 0;
    this.outputDebtMs = 0;
    this.recentTrough.clear();
    this.levelMs = 0;
    this.jitterMs = 0;
    this.targetMs = this.floorMs;
    this.clearTrim();
  }

  /**
   * Sets the viewer's floor and ceiling (ms).
   * @param {number} floorMs @param {number} ceilingMs
   */
  setLimits(floorMs, ceilingMs) {
    if (!(floorMs >= 0 && ceilingMs >= floorMs && ceilingMs <= this.capacity / this.sampleRate * 1000 - 1000)) {
      throw new RangeError(`bad jitter buffer limits ${floorMs}-${ceilingMs}`);
    }
    this.floorMs = floorMs;
    this.ceilingMs = ceilingMs;
    this.updateTarget();
  }

  get depthSamples() {
    return this.writeIndex - this.readIndex;
  }

  get depthMs() {
    return (this.depthSamples / this.sampleRate) * 1000;
  }

  /**
   * Records a packet's arrival (for the target) and enqueues its decoded samples.
   * @param {number} mediaTimeMs  the packet's presentation time, ms
   * @param {number} arrivalMs    when it arrived, ms on any steady clock
   * @param {Float32Array[]} planes one array per channel, equal lengths
   */
  push(mediaTimeMs, arrivalMs, planes) {
    const frames = planes[0].length;
    this.noteArrival(mediaTimeMs, arrivalMs, (frames / this.sampleRate) * 1000);
    if (!Number.isNaN(this.writeMediaTimeMs)) {
      const gapMs = mediaTimeMs - this.writeMediaTimeMs;
      if (gapMs < -1) return; // late duplicate or reordered packet that was already concealed
      if (gapMs > 1 && gapMs <= 200) this.writeSilence(Math.round((gapMs / 1000) * this.sampleRate));
      // Larger gaps are a discontinuity (publisher restart): continue without filling.
    }
    this.writePlanes(planes, frames);
    this.writeMediaTimeMs = mediaTimeMs + (frames / this.sampleRate) * 1000;
  }

  /**
   * @param {number} mediaTimeMs @param {number} arrivalMs
   * @param {number} [packetMs] the packet's duration
   */
  noteArrival(mediaTimeMs, arrivalMs, packetMs = 20) {
    this.packetMs = packetMs;
    const delayMs = arrivalMs - mediaTimeMs;
    if (Number.isNaN(this.firstArrivalMs)) this.firstArrivalMs = arrivalMs;
    if (this.pacedRun < this.pacedPackets && arrivalMs - this.firstArrivalMs < this.warmupMaxMs) {
      const paced = delayMs >= this.previousDelayMs - packetMs / 2;
      this.pacedRun = paced ? this.pacedRun + 1 : 0;
      this.previousDelayMs = delayMs;
      if (this.pacedRun < this.pacedPackets) return;
    }
    this.pacedRun = this.pacedPackets;
    const latenessMs = delayMs - this.recentMinDelay(arrivalMs, delayMs);
    const bucketStart = Math.floor(arrivalMs / this.bucketMs) * this.bucketMs;
    let bucket = this.buckets[this.buckets.length - 1];
    if (!bucket || bucket.startMs !== bucketStart) {
      bucket = { startMs: bucketStart, latenessMs: [] };
      this.buckets.push(bucket);
      while (this.buckets.length && this.buckets[0].startMs <= arrivalMs - this.windowMs) this.buckets.shift();
    }
    // A bucket keeps at most the packets its duration should bring (the latest of them): the
    // backlog of a stall arrives in one bucket and must not outweigh the rest of the window.
    const cap = Math.ceil(this.bucketMs / packetMs);
    bucket.latenessMs.push(latenessMs);
    if (bucket.latenessMs.length > cap) {
      bucket.latenessMs.sort((a, b) => b - a);
      bucket.latenessMs.length = cap;
    }
    this.updateTarget();
  }

  /**
   * The smallest delay of the packets that arrived in the last recentBaseMs, this one included.
   * Lateness is measured from it, not from the fastest packet of the
   * whole window: a queue that drains (the join's backlog through a capped link, a stall's
   * backlog) has falling delays, each the fastest so far, so it is not taken for jitter,
   * while a packet later than those just before it is.
   * @param {number} arrivalMs @param {number} delayMs
   */
  recentMinDelay(arrivalMs, delayMs) {
    return this.recentDelays.add(arrivalMs, delayMs);
  }

  updateTarget() {
    if (this.buckets.length === 0) return;
    const lateness = [];
    for (const b of this.buckets) for (const l of b.latenessMs) lateness.push(l);
    lateness.sort((a, b) => a - b);
    // A window not yet full (a start) counts the packets it has not seen as on time: else
    // one hiccup in the first seconds (the worker busy starting up) is a twentieth of a short
    // window and holds the target up until it leaves the window, ten seconds on.
    const coveredMs = this.buckets[this.buckets.length - 1].startMs + this.bucketMs - this.buckets[0].startMs;
    const unseen = Math.max(0, Math.round((this.windowMs - coveredMs) / this.packetMs));
    const rank = Math.max(0, Math.ceil(this.percentile * (unseen + lateness.length)) - 1) - unseen;
    this.jitterMs = rank < 0 ? 0 : lateness[Math.min(lateness.length - 1, rank)];
    const wanted = this.jitterMs + this.packetMs / 2 + this.marginMs;
    this.targetMs = Math.min(this.ceilingMs, Math.max(this.floorMs, wanted));
  }

  /** @param {number} frames */
  writeSilence(frames) {
    const n = Math.min(frames, this.capacity - this.depthSamples - 1);
    for (let i = 0; i < n; i++) {
      const at = (this.writeIndex + i) % this.capacity;
      for (const plane of this.ring) plane[at] = 0;
    }
    this.writeIndex += n;
    this.gapSamples += n;
  }

  /** @param {Float32Array[]} planes @param {number} frames */
  writePlanes(planes, frames) {
    const room = this.capacity - Math.ceil(this.depthSamples) - 2;
    if (frames > room) {
      // Full: drop the oldest audio rather than the newest (latency must not grow unbounded).
      const drop = frames - room;
      this.readIndex += drop;
      this.overflowSamples += drop;
    }
    for (let c = 0; c < this.channels; c++) {
      const src = planes[Math.min(c, planes.length - 1)];
      const dst = this.ring[c];
      for (let i = 0; i < frames; i++) dst[(this.writeIndex + i) % this.capacity] = src[i];
    }
    this.writeIndex += frames;
  }

  /**
   * Fills `out` (one array per channel) with the next block of audio.
   * @param {Float32Array[]} out
   * @param {number} [wallMs]  Date.now() (or any wall clock): lets the buffer notice the output falling behind
   */
  render(out, wallMs = NaN) {
    const frames = out[0].length;
    const slipMs = this.outputClock.note(wallMs, frames);
    this.outputSlipMs += Math.max(0, slipMs);
    // What the output slipped stays in the buffer above the trough's place (at most that).
    const aboveMs = this.depthMs - (this.targetMs - this.packetMs / 2);
    this.outputDebtMs = this.playing ? Math.max(0, Math.min(this.outputDebtMs + slipMs, aboveMs)) : 0;
    if (!this.playing) {
      for (const plane of out) plane.fill(0);
      if (this.started) {
        // Rebuffering after an underrun: this silence is concealment.
        this.renderedSamples += frames;
        this.concealedSamples += frames;
      }
      // First start: fill to the target plus half a packet: the start comes with a packet,
      // at the top of the saw-tooth, so the depth then averages the target. After an underrun,
      // resume at half the target, so that a late packet costs only its lateness; the rate
      // control refills the rest.
      const resumeAtMs = this.started ? this.targetMs / 2 : this.targetMs + this.packetMs / 2;
      if (this.depthMs >= resumeAtMs && this.depthSamples > frames) {
        // A join trims its backlog. A resume does not: the late burst behind the late packet is
        // worked off by the time-stretch, so that the audio, and the video held to it, never jump
        // (trimming it made MSE video fall out of lip sync for a second after each hiccup).
        if (!this.started) this.trimRemainingSamples = (this.joinWindowMs / 1000) * this.sampleRate;
        this.playing = true;
        this.started = true;
        this.fadeIn = FADE_SAMPLES;
        this.levelMs = this.depthMs;
      }
      return;
    }
    this.catchUpIfFarAhead();
    if (this.trimRemainingSamples > 0) this.trimToTrough(frames);
    // Steer the smoothed depth: the raw depth saw-tooths by one packet on every arrival.
    const alpha = frames / (this.sampleRate * 0.3);
    this.levelMs += (this.depthMs - this.levelMs) * alpha;
    const excessMs = this.levelMs - this.targetMs;
    // Accelerate goes by the trough of the depth, not its average: the depth saw-tooths by a
    // packet, or by a whole burst where packets come bunched, and only what stays above the
    // trough's place (half a packet under the target) for a while is surplus.
    this.recentTrough.add(this.depthMs, frames);
    const removed = this.accelerateIfAhead(this.recentTrough.ms - (this.targetMs - this.packetMs / 2), frames);
    // Resampling steers only what accelerate leaves (±1 % at most above the target): its
    // change of pitch stays unheard.
    this.rate = this.rateFor(Math.min(excessMs, this.accelerateAboveMs));
    this.speed += ((this.rate * frames + removed) / frames - this.speed) * Math.min(1, frames / (this.sampleRate * 0.1));
    this.renderedSamples += frames;
    for (let i = 0; i < frames; i++) {
      if (this.depthSamples < 2) {
        this.underrun(out, i);
        return;
      }
      const gain = this.fadeIn > 0 ? 1 - this.fadeIn-- / FADE_SAMPLES : this.fadeOutGain();
      this.readSample(out, i, gain);
      this.readIndex += this.rate;
    }
  }

  /**
   * Works off an excess above accelerateAboveMs, or what the output's slips left: removes one
   * pitch period at the read position (the lag, 2.5-12 ms, at which the signal best matches
   * itself, crossfaded over MATCH_MS), at most maxAccelerate of the audio played (less for a
   * small excess). Returns the samples removed.
   * @param {number} excessMs  recent trough of the depth above its place @param {number} frames  this block
   */
  accelerateIfAhead(excessMs, frames) {
    const owed = this.outputDebtMs >= MIN_PERIOD_MS;
    if (excessMs <= this.accelerateAboveMs && !owed) {
      this.accelerateCredit = Math.min(0, this.accelerateCredit);
      return 0;
    }
    const sr = this.sampleRate;
    const match = Math.round((MATCH_MS / 1000) * sr);
    const minLag = Math.round((MIN_PERIOD_MS / 1000) * sr);
    const longest = Math.round((MAX_PERIOD_MS / 1000) * sr);
    // Like the rate control, in proportion to the surplus, full at 50 ms beyond the threshold:
    // a small surplus is taken off gently (full speed on every small one left the heavy-tailed
    // jitter case with more underruns than the slower stretch did). The share is earned block by
    // block, so a surplus that grows is taken off faster at once. The output's slip is surplus
    // for certain (no late packet is behind it): at the full share.
    const share = owed ? this.maxAccelerate : this.maxAccelerate * Math.min(1, (excessMs - this.accelerateAboveMs) / 50);
    this.accelerateCredit = Math.min(longest, this.accelerateCredit + frames * share);
    if (this.accelerateCredit < minLag) return 0;
    // Never remove more than the surplus, and keep this block's audio behind the splice.
    const room = this.depthSamples - match - Math.ceil(frames * this.rate) - 2;
    const surplusMs = Math.max(excessMs, this.outputDebtMs);
    const maxLag = Math.min(longest, Math.floor((surplusMs / 1000) * sr), room);
    if (maxLag < minLag) return 0;
    const from = Math.floor(this.readIndex);
    const lag = this.bestLag(from, minLag, maxLag, match);
    this.crossfade(from, from + lag, match);
    this.readIndex += lag;
    this.acceleratedSamples += lag;
    this.accelerateCredit -= lag;
    this.outputDebtMs = Math.max(0, this.outputDebtMs - (lag / sr) * 1000);
    this.levelMs -= (lag / sr) * 1000;
    this.recentTrough.lower((lag / sr) * 1000);
    return lag;
  }

  /**
   * The pitch period at the read position `from` (pitch-period.js), on a mono mix of the ring:
   * removing a whole one keeps the pitch.
   * @param {number} from @param {number} minLag @param {number} maxLag @param {number} match
   */
  bestLag(from, minLag, maxLag, match) {
    const mix = this.mix;
    const n = maxLag + match;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (const plane of this.ring) v += plane[(from + i) % this.capacity];
      mix[i] = v;
    }
    return bestPeriod(mix, minLag, maxLag, match);
  }

  /**
   * Blends the `length` samples at `from` into those at `to`, in place, from all old to all new:
   * reading continues at `to` without a step. Backwards: the two stretches overlap when a
   * period is shorter than the crossfade, and each blend must read the old samples.
   * @param {number} from @param {number} to @param {number} length
   */
  crossfade(from, to, length) {
    for (let k = Math.min(length, this.writeIndex - to) - 1; k >= 0; k--) {
      const w = k / length;
      for (const plane of this.ring) {
        const at = (to + k) % this.capacity;
        plane[at] = plane[(from + k) % this.capacity] * (1 - w) + plane[at] * w;
      }
    }
  }

  /** How much to stretch for a given excess over the target (ms). @param {number} excessMs */
  rateFor(excessMs) {
    if (Math.abs(excessMs) <= this.deadbandMs) return 1;
    const beyond = excessMs - Math.sign(excessMs) * this.deadbandMs;
    // Full adjustment at 50 ms beyond the deadband: drift of ±0.1 % needs only a tiny nudge,
    // ~1 ms off the target, which the trough's margin can spare.
    const adjust = Math.max(-this.maxRateAdjust, Math.min(this.maxRateAdjust, (beyond / 50) * this.maxRateAdjust));
    return 1 + adjust;
  }

  /** Near the end of the buffer, fade out so an underrun does not click. */
  fadeOutGain() {
    const left = this.depthSamples / this.rate - 2; // render() stops 2 samples before empty
    return left < FADE_SAMPLES ? Math.max(0, left / FADE_SAMPLES) : 1;
  }

  /** @param {Float32Array[]} out @param {number} i @param {number} gain */
  readSample(out, i, gain) {
    const whole = Math.floor(this.readIndex);
    const frac = this.readIndex - whole;
    const a = whole % this.capacity;
    const b = (whole + 1) % this.capacity;
    for (let c = 0; c < out.length; c++) {
      const plane = this.ring[Math.min(c, this.channels - 1)];
      out[c][i] = (plane[a] + (plane[b] - plane[a]) * frac) * gain;
    }
  }

  /** @param {Float32Array[]} out @param {number} from */
  underrun(out, from) {
    for (const plane of out) plane.fill(0, from);
    this.concealedSamples += out[0].length - from;
    this.underruns++;
    this.playing = false;
    this.troughMs = Infinity;
    this.troughSamples = 0;
  }

  /**
   * After a burst, drop the excess at once: as much as leaves the trough no lower than its
   * place whatever the phase of the saw-tooth, then trim the trough onto it for a second.
   */
  catchUpIfFarAhead() {
    const excessMs = this.depthMs - this.targetMs;
    if (excessMs <= this.skipAboveMs) return;
    this.skip(excessMs - this.packetMs / 2);
    this.trimRemainingSamples = Math.max(this.trimRemainingSamples, this.sampleRate);
  }

  /**
   * During a join or after a catch-up: every ~100 ms, drop what the lowest depth of that
   * period (the trough of the saw-tooth that arrivals draw) held beyond its place, half a
   * packet under the target.
   * @param {number} frames
   */
  trimToTrough(frames) {
    this.trimRemainingSamples -= frames;
    this.troughMs = Math.min(this.troughMs, this.depthMs);
    this.troughSamples += frames;
    if (this.troughSamples < this.sampleRate / 10) return;
    // The trough sits half a packet below the target when the depth averages the target.
    const excessMs = this.troughMs - (this.targetMs - this.packetMs / 2);
    this.troughMs = Infinity;
    this.troughSamples = 0;
    if (excessMs > this.deadbandMs) this.skip(excessMs);
  }

  /** Drops excessMs of audio at the read position, crossfading over FADE_SAMPLES. @param {number} excessMs */
  skip(excessMs) {
    const skip = Math.floor((excessMs / 1000) * this.sampleRate);
    const from = Math.floor(this.readIndex);
    this.crossfade(from, from + skip, FADE_SAMPLES);
    this.readIndex += skip;
    this.skippedSamples += skip;
    this.levelMs = this.depthMs;
  }

  /** @returns {JitterBufferStats} */
  stats() {
    return {
      targetMs: this.targetMs,
      depthMs: this.depthMs,
      jitterMs: this.jitterMs,
      rate: this.rate,
      speed: this.speed,
      underruns: this.underruns,
      renderedSamples: this.renderedSamples,
      concealedSamples: this.concealedSamples,
      skippedSamples: this.skippedSamples,
      acceleratedSamples: this.acceleratedSamples,
      outputSlipMs: this.outputSlipMs,
      gapSamples: this.gapSamples,
      overflowSamples: this.overflowSamples,
      playing: this.playing,
      playoutMediaTimeMs: this.writeMediaTimeMs - this.depthMs,
    };
  }
}
