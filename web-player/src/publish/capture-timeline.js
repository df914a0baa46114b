// @ts-check
/**
 * Maps one track's source timestamps (a `VideoFrame`'s or `AudioData`'s `timestamp`, µs on
 * a clock whose origin the browser does not promise) onto this page's wall clock. The
 * smallest (read time − timestamp) seen is the truest: delivery delay only ever adds to it,
 * so capture time = timestamp + that minimum (as the agent's CaptureTimeline). Media times
 * stay continuous: pts = timestamp + the minimum as it stood when the first packet was sent
 * − the publication's start. Anchored then, not at the first frame read: the first frames of
 * a capture come late (by hundreds of ms on a busy machine), and each track anchored on its
 * own first frame put audio and video that far apart for good (the players hold the video to
 * the audio, so the pictures came that much late); and a track's first packet is sent only
 * once its timeline has settled (see settled()).
 * Pure: times come in as arguments, in µs.
 */
/** A timeline whose fastest delivery has not improved by more than SETTLE_STEP_MICROS for this long has its capture times right. */
export const SETTLE_MICROS = 500_000;
const SETTLE_STEP_MICROS = 2_000;
/** An anchored timeline whose fastest delivery improves by more than this at once had its source's timestamps jump. */
const REANCHOR_MICROS = 20_000;

export class CaptureTimeline {
  /** @param {number} epochLocalMicros  the publication's start on the local clock: pts 0 */
  constructor(epochLocalMicros) {
    this.epochLocalMicros = epochLocalMicros;
    this.minOffsetMicros = Infinity;
    /** the offset pts are on, fixed at the first ptsMicros() (NaN before) */
    this.anchorOffsetMicros = NaN;
    /** when the fastest delivery last improved by more than SETTLE_STEP_MICROS (the reads still catching up) */
    this.lastImprovedLocalMicros = NaN;
    this.firstReadLocalMicros = NaN;
    this.frames = 0;
    /** where the last packet placed ends (pts + duration) */
    this.lastEndMicros = -Infinity;
    this.reanchors = 0;
    /** the latest source timestamp read (a later one below it: the source's clock jumped back) */
    this.lastTimestampMicros = -Infinity;
    /** where the source's clock last jumped back from: packets stamped below it are on the new clock (NaN: no jump to anchor anew for) */
    this.jumpedBackFromMicros = NaN;
  }

  /** pts are fixed (the first packet was sent). */
  get anchored() {
    return !Number.isNaN(this.anchorOffsetMicros);
  }

  /**
   * The capture's first frames are behind it: read late (a worker that started on a busy
   * machine finds seconds of them queued) and then faster and faster as the backlog drains, so
   * the fastest delivery keeps improving. Settled when it has not improved for SETTLE_MICROS
   * (a timeline without frames is settled: it has nothing to anchor).
   * @param {number} nowLocalMicros
   */
  settled(nowLocalMicros) {
    return this.frames === 0 || nowLocalMicros - this.lastImprovedLocalMicros >= SETTLE_MICROS;
  }

  /**
   * Called when a frame is read from its source.
   * @param {number} timestampMicros the frame's timestamp @param {number} readLocalMicros the local clock at the read
   */
  observe(timestampMicros, readLocalMicros) {
    const offset = readLocalMicros - timestampMicros;
    // Timestamps that go back are on another clock (Chromium, measured: an audio track processor made on the page and
    // read in a worker gave its first chunks on the page's clock, the rest on the worker's, seconds behind). The
    // fastest delivery seen on the old clock says nothing of the new one: the estimate starts afresh, unsettled.
    if (timestampMicros < this.lastTimestampMicros) {
      this.minOffsetMicros = Infinity;
      this.lastImprovedLocalMicros = NaN;
      if (this.anchored) this.jumpedBackFromMicros = this.lastTimestampMicros;
    }
    this.lastTimestampMicros = timestampMicros;
    if (!(offset >= this.minOffsetMicros - SETTLE_STEP_MICROS)) this.lastImprovedLocalMicros = readLocalMicros;
    this.minOffsetMicros = Math.min(this.minOffsetMicros, offset);
    if (this.frames++ === 0) this.firstReadLocalMicros = readLocalMicros;
  }

  /** @param {number} timestampMicros @returns {number} the capture time on the local clock */
  captureLocalMicros(timestampMicros) {
    return timestampMicros + this.minOffsetMicros;
  }

  /**
   * The media time (shared by all tracks of the publication); the first call fixes the
   * timeline's anchor (the publication calls it for the first packet it sends), and a later
   * call moves it when the source's timestamps jumped ahead (the fastest delivery improved by
   * more than REANCHOR_MICROS at once) or back onto another clock (see observe).
   * @param {number} timestampMicros @param {number} [durationMicros] the packet's, so that a new anchor never overlaps it
   * @returns {number}
   */
  ptsMicros(timestampMicros, durationMicros = 0) {
    if (Number.isNaN(this.anchorOffsetMicros)) {
      // pts never start below 0: a source whose first packet was captured before the publication began starts at 0.
      this.anchorOffsetMicros = Math.max(this.minOffsetMicros, this.epochLocalMicros - timestampMicros);
    } else if (this.minOffsetMicros < this.anchorOffsetMicros - REANCHOR_MICROS || timestampMicros < this.jumpedBackFromMicros) {
      // The source's timestamps jumped ahead of the wall clock (seen: 1.8 s in a capture stalled on a busy
      // machine), or back onto another clock (observe): on the old anchor its media would sit that far in the
      // future, or in the past. Anchored anew, never back over what was sent.
      const anchor = Math.max(this.minOffsetMicros, this.lastEndMicros - timestampMicros + this.epochLocalMicros);
      if (Math.abs(anchor - this.anchorOffsetMicros) > REANCHOR_MICROS) {
        this.anchorOffsetMicros = anchor;
        this.reanchors++;
      }
      if (timestampMicros < this.jumpedBackFromMicros) this.jumpedBackFromMicros = NaN;
    }
    const pts = timestampMicros + this.anchorOffsetMicros - this.epochLocalMicros;
    this.lastEndMicros = Math.max(this.lastEndMicros, pts + durationMicros);
    return pts;
  }
}

/**
 * Timestamps for audio copied on the page (the fallback without MediaStreamTrackProcessor):
 * samples counted from the first chunk's arrival, so they are continuous; when the samples
 * fall more than `maxLagMicros` behind the clock (a starved audio thread delivers too few:
 * headless Chromium on a busy machine), they are moved up to it, leaving a gap, never back.
 * Pure: times come in as arguments, in µs.
 */
export class SampleClock {
  /** @param {number} sampleRate @param {number} [maxLagMicros] */
  constructor(sampleRate, maxLagMicros = 100_000) {
    this.sampleRate = sampleRate;
    this.maxLagMicros = maxLagMicros;
    this.startMicros = NaN;
    this.samples = 0;
    this.jumps = 0;
  }

  /**
   * The timestamp of a chunk's first sample.
   * @param {number} frames the chunk's length @param {number} arrivalMicros the clock when it arrived
   */
  next(frames, arrivalMicros) {
    const counted = (this.samples / this.sampleRate) * 1e6;
    const arrivedStart = arrivalMicros - (frames / this.sampleRate) * 1e6;
    if (Number.isNaN(this.startMicros)) {
      this.startMicros = arrivedStart - counted;
    } else if (arrivedStart - (this.startMicros + counted) > this.maxLagMicros) {
      this.startMicros = arrivedStart - counted;
      this.jumps++;
    }
    this.samples += frames;
    return Math.round(this.startMicros + counted);
  }
}

/**
 * The source timestamps of an audio encoder's packets. WebCodecs' Opus encoder (Chromium)
 * stamps its output by counting samples from the first input's timestamp, so a gap in the
 * input (a starved capture that delivered less than real time) is lost: its packets came out
 * further and further behind real time (9 s after 18 s, on a busy machine's fake device),
 * capture times with them, and the audio drifted away from the video. This maps an output
 * timestamp back onto the input that held its first sample. Pure: times in µs.
 */
export class EncoderTimestamps {
  /** @param {number} sampleRate */
  constructor(sampleRate) {
    this.sampleRate = sampleRate;
    /** @type {{ firstSample: number, timestampMicros: number, frames: number, levelDb: number }[]} inputs not yet passed by the output, oldest first */
    this.inputs = [];
    this.samples = 0;
    this.baseMicros = NaN;
  }

  /**
   * An input given to the encoder.
   * @param {number} timestampMicros @param {number} frames @param {number} [levelDb] its RMS (for the silence gate)
   */
  input(timestampMicros, frames, levelDb = 0) {
    if (Number.isNaN(this.baseMicros)) this.baseMicros = timestampMicros;
    this.inputs.push({ firstSample: this.samples, timestampMicros, frames, levelDb });
    this.samples += frames;
  }

  /**
   * The loudest input under an output of `frames` samples (call after sourceMicros for it).
   * @param {number} outputMicros @param {number} frames
   */
  levelDb(outputMicros, frames) {
    const sample = Math.round(((outputMicros - this.baseMicros) * this.sampleRate) / 1e6);
    let level = -Infinity;
    for (const input of this.inputs) {
      if (input.firstSample >= sample + frames) break;
      if (input.firstSample + input.frames > sample) level = Math.max(level, input.levelDb);
    }
    return level;
  }

  /** The source timestamp of an output's first sample. @param {number} outputMicros the encoder's timestamp */
  sourceMicros(outputMicros) {
    if (Number.isNaN(this.baseMicros)) return outputMicros;
    const sample = Math.round(((outputMicros - this.baseMicros) * this.sampleRate) / 1e6);
    // Outputs come in order: inputs wholly before this one are done with.
    while (this.inputs.length > 1 && this.inputs[0].firstSample + this.inputs[0].frames <= sample) this.inputs.shift();
    const input = this.inputs[0];
    if (!input) return outputMicros;
    return input.timestampMicros + ((sample - input.firstSample) * 1e6) / this.sampleRate;
  }
}
