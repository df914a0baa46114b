// @ts-check
/**
 * The adaptive audio jitter buffer: decoded PCM goes in as it arrives, the playout pulls
 * fixed-size blocks at the output's pace.
 *
 * Target delay: the delay manager's (delay-manager.js): a high quantile of the packets' lateness,
 * plus half a packet and a margin, clamped to [floor, ceiling]. The target is the depth steered
 * on average; the depth saw-tooths by one packet on every arrival, so its trough, just before a
 * packet is due, sits half a packet below.
 *
 * Timeline: the ring holds the media timeline without holes, so its depth is the latency the
 * buffer adds. A jump in the packets' timestamps (the sender's DTX, or packets that never came)
 * is filled with silence at its place. When the ring runs dry, the playout goes on through
 * silence at the pace of the media (the audio clock runs on, as NetEq's does in comfort noise),
 * and the next packet decides what that silence was: a packet whose time the playout has not
 * reached yet ends a pause of the sender (DTX), and plays at its place on the timeline, after
 * silence up to it; a packet the playout has passed came late, and the silence played for it
 * was concealment: that is an underrun, as below.
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
 * plays silence (concealment, counted) and resumes with a fade-in at half the target: the late
 * audio plays late, and the surplus that its backlog brings is worked off as above.
 *
 * Pure: no clocks, no browser APIs; time comes in as arguments. It runs inside the
 * AudioWorklet and under node's test runner alike.
 */

import { OutputClock } from './output-clock.js';
import { DelayManager } from './delay-manager.js';
import { bestPeriod } from './pitch-period.js';
import { RecentTrough } from './recent-trough.js';
import { AudioRing } from './audio-ring.js';

/**
 * @typedef {object} JitterBufferOptions
 * @property {number} sampleRate        output sample rate, Hz
 * @property {number} channels
 * @property {number} [floorMs]         the lowest target delay
 * @property {number} [ceilingMs]       the highest target delay
 * @property {import('./delay-manager.js').DelayManagerOptions} [delay]  how the target is estimated
 * @property {number} [deadbandMs]      |depth − target| below this plays at rate 1
 * @property {number} [maxRateAdjust]   the largest time-stretch, e.g. 0.04 = ±4 %
 * @property {number} [accelerateAboveMs] an excess above this is worked off by removing whole pitch periods
 * @property {number} [maxAccelerate]   the largest share of the audio those removals take, e.g. 0.1 = 10 %
 * @property {number} [skipAboveMs]     an excess above this is dropped with a crossfade
 * @property {number} [joinWindowMs]    after a (re)start, how long any excess is dropped at once
 */

/**
 * @typedef {object} JitterBufferStats
 * @property {number} targetMs          current target delay
 * @property {number} depthMs           audio buffered now
 * @property {number} jitterMs          the quantile of lateness (before margin, floor and ceiling)
 * @property {number} rate              current resampling rate (1 = nominal)
 * @property {number} speed             media time played per output time, smoothed (the resampling
 *                                      rate and the pitch periods removed): how fast the audio clock runs
 * @property {number} underruns         times the buffer ran dry while playing
 * @property {number} renderedSamples   samples handed to the output while playing or concealing
 * @property {number} concealedSamples  samples of silence played instead of audio
 * @property {number} skippedSamples    samples dropped to catch up after a burst
 * @property {number} acceleratedSamples samples of whole pitch periods removed to work off an excess
 * @property {number} outputSlipMs      how far the output device fell behind the wall clock, in all
 * @property {number} gapSamples        silence played where the packets' timestamps jump (the sender's DTX
 *                                      pauses, packets that never came): the timeline kept, not concealment
 * @property {number} overflowSamples   samples dropped because the ring was full
 * @property {number} latePackets       packets that came after their place was played (or a duplicate): dropped
 * @property {boolean} playing          false while (re)buffering; true through the silence of a dry ring
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
    this.deadbandMs = options.deadbandMs ?? 4;
    this.maxRateAdjust = options.maxRateAdjust ?? 0.04;
    this.accelerateAboveMs = options.accelerateAboveMs ?? 15;
    this.maxAccelerate = options.maxAccelerate ?? 0.1;
    this.skipAboveMs = options.skipAboveMs ?? 150;
    this.joinWindowMs = options.joinWindowMs ?? 3000;
    if (!(this.floorMs >= 0 && this.ceilingMs >= this.floorMs)) {
      throw new RangeError(`jitter buffer floor/ceiling must satisfy 0 ≤ floor ≤ ceiling, got ${this.floorMs}-${this.ceilingMs}`);
    }
    // Ring big enough for the ceiling plus one second of burst.
    this.capacity = Math.ceil(((this.ceilingMs + 1000) / 1000) * this.sampleRate) + 1024;
    this.ring = new AudioRing(this.channels, this.capacity);
    /** media time (ms) of the sample at writeIndex */
    this.writeMediaTimeMs = NaN;
    this.delays = new DelayManager(options.delay);
    this.packetMs = 20;
    this.playing = false;
    /**
     * The ring ran dry while playing: silence plays on at the media's pace until the next packet
     * says whether it was a pause of the sender's or concealment (endDryRun).
     */
    this.dry = false;
    /** media time where the ring ran dry, ms */
    this.dryFromMediaMs = NaN;
    /** silence played since, samples */
    this.dryFrames = 0;
    /** output since the last packet came, samples */
    this.sincePushFrames = 0;
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
    this.latePackets = 0;
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
    this.ring.clear();
    this.writeMediaTimeMs = NaN;
    this.delays.reset();
    this.playing = false;
    this.dry = false;
    this.dryFrames = 0;
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
    return this.ring.depthSamples;
  }

  get depthMs() {
    return (this.depthSamples / this.sampleRate) * 1000;
  }

  /**
   * Records a packet's arrival (for the target) and enqueues its decoded samples at its place on
   * the timeline: after silence for any jump in the timestamps.
   * @param {number} mediaTimeMs  the packet's presentation time, ms
   * @param {number} arrivalMs    when it arrived, ms on any steady clock
   * @param {Float32Array[]} planes one array per channel, equal lengths
   */
  push(mediaTimeMs, arrivalMs, planes) {
    const frames = planes[0].length;
    this.packetMs = (frames / this.sampleRate) * 1000;
    this.sincePushFrames = 0;
    this.delays.noteArrival(mediaTimeMs, arrivalMs, this.packetMs);
    this.updateTarget();
    const gapMs = mediaTimeMs - this.writeMediaTimeMs; // NaN before the first packet
    if (gapMs < -1) {
      this.latePackets++; // late duplicate or reordered packet that was already concealed
      return;
    }
    if (this.dry) this.endDryRun(mediaTimeMs);
    else if (gapMs > 1) this.writeSilence(Math.round((gapMs / 1000) * this.sampleRate));
    this.writePlanes(planes, frames);
    this.writeMediaTimeMs = mediaTimeMs + this.packetMs;
  }

  /**
   * The first packet after the ring ran dry says what the silence played since was. Its time not
   * reached yet: a pause of the sender's (DTX) or packets that never came; it plays at its place,
   * after silence up to it, and the timeline holds. Its time passed: it came late, the silence
   * played after its time was concealment, an underrun; it plays late, once half the target is
   * buffered again.
   * @param {number} mediaTimeMs the packet's time
   */
  endDryRun(mediaTimeMs) {
    const aheadFrames = Math.round(((mediaTimeMs - this.dryFromMediaMs) / 1000) * this.sampleRate) - this.dryFrames;
    this.dry = false;
    this.ring.readIndex = this.ring.writeIndex; // the fraction of a sample left when it ran dry
    if (aheadFrames >= 0) {
      this.gapSamples += this.dryFrames;
      this.writeSilence(aheadFrames);
      this.fadeIn = FADE_SAMPLES;
    } else {
      const lateFrames = Math.min(this.dryFrames, -aheadFrames);
      this.gapSamples += this.dryFrames - lateFrames;
      this.concealedSamples += lateFrames;
      this.underruns++;
      this.playing = false;
      this.troughMs = Infinity;
      this.troughSamples = 0;
    }
    this.dryFrames = 0;
  }

  updateTarget() {
    this.jitterMs = this.delays.jitterMs;
    this.targetMs = this.delays.targetMs(this.floorMs, this.ceilingMs);
  }

  /** @param {number} frames */
  writeSilence(frames) {
    this.gapSamples += this.ring.writeSilence(frames);
  }

  /** @param {Float32Array[]} planes @param {number} frames */
  writePlanes(planes, frames) {
    this.overflowSamples += this.ring.write(planes, frames);
  }

  /**
   * Fills `out` (one array per channel) with the next block of audio.
   * @param {Float32Array[]} out
   * @param {number} [wallMs]  Date.now() (or any wall clock): lets the buffer notice the output falling behind
   */
  render(out, wallMs = NaN) {
    const frames = out[0].length;
    this.sincePushFrames += frames;
    const slipMs = this.outputClock.note(wallMs, frames);
    this.outputSlipMs += Math.max(0, slipMs);
    // What the output slipped stays in the buffer above the trough's place (at most that).
    const aboveMs = this.depthMs - (this.targetMs - this.packetMs / 2);
    this.outputDebtMs = this.playing && !this.dry ? Math.max(0, Math.min(this.outputDebtMs + slipMs, aboveMs)) : 0;
    if (this.dry) {
      // Silence at the media's pace, until the next packet says what it was (endDryRun).
      for (const plane of out) plane.fill(0);
      this.dryFrames += frames;
      this.renderedSamples += frames;
      return;
    }
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
    // Steer the smoothed depth: the raw depth saw-tooths by one packet on every arrival. Not
    // while packets are overdue: the depth then falls for want of arrivals (a pause of the
    // sender's, or a stall), and slowing down for it put the timeline a little later at every
    // DTX pause, up to the deadband above the target and more at a high floor.
    const overdue = this.sincePushFrames > ((this.packetMs + this.jitterMs + this.deadbandMs) / 1000) * this.sampleRate;
    const alpha = frames / (this.sampleRate * 0.3);
    if (!overdue) this.levelMs += (this.depthMs - this.levelMs) * alpha;
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
        this.runDry(out, i);
        return;
      }
      const gain = this.fadeIn > 0 ? 1 - this.fadeIn-- / FADE_SAMPLES : this.fadeOutGain();
      this.ring.readInto(out, i, gain);
      this.ring.readIndex += this.rate;
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
    const from = Math.floor(this.ring.readIndex);
    const lag = this.bestLag(from, minLag, maxLag, match);
    this.ring.crossfade(from, from + lag, match);
    this.ring.readIndex += lag;
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
    this.ring.mixInto(this.mix, from, maxLag + match);
    return bestPeriod(this.mix, minLag, maxLag, match);
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

  /** The ring ran dry at `from`: silence from there on (see endDryRun). @param {Float32Array[]} out @param {number} from */
  runDry(out, from) {
    for (const plane of out) plane.fill(0, from);
    this.dry = true;
    this.dryFromMediaMs = this.writeMediaTimeMs - this.depthMs;
    this.dryFrames = out[0].length - from;
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
    const from = Math.floor(this.ring.readIndex);
    this.ring.crossfade(from, from + skip, FADE_SAMPLES);
    this.ring.readIndex += skip;
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
      latePackets: this.latePackets,
      playing: this.playing,
      playoutMediaTimeMs: this.dry ? this.dryFromMediaMs + (this.dryFrames / this.sampleRate) * 1000 : this.writeMediaTimeMs - this.depthMs,
    };
  }
}
