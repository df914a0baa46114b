// @ts-check
/**
 * Maps one track's source timestamps (a `VideoFrame`'s or `AudioData`'s `timestamp`, µs on
 * a clock whose origin the browser does not promise) onto this page's wall clock. The
 * smallest (read time − timestamp) seen is the truest: delivery delay only ever adds to it,
 * so capture time = timestamp + that minimum (as the agent's CaptureTimeline). Media times
 * stay continuous: pts = timestamp − the first timestamp + where the first one was captured.
 * Pure: times come in as arguments, in µs.
 */
export class CaptureTimeline {
  /** @param {number} epochLocalMicros  the publication's start on the local clock: pts 0 */
  constructor(epochLocalMicros) {
    this.epochLocalMicros = epochLocalMicros;
    this.minOffsetMicros = Infinity;
    this.firstTimestampMicros = NaN;
    this.firstPtsMicros = 0;
  }

  /**
   * Called when a frame is read from its source.
   * @param {number} timestampMicros the frame's timestamp @param {number} readLocalMicros the local clock at the read
   */
  observe(timestampMicros, readLocalMicros) {
    this.minOffsetMicros = Math.min(this.minOffsetMicros, readLocalMicros - timestampMicros);
    if (Number.isNaN(this.firstTimestampMicros)) {
      this.firstTimestampMicros = timestampMicros;
      this.firstPtsMicros = Math.max(0, timestampMicros + this.minOffsetMicros - this.epochLocalMicros);
    }
  }

  /** @param {number} timestampMicros @returns {number} the capture time on the local clock */
  captureLocalMicros(timestampMicros) {
    return timestampMicros + this.minOffsetMicros;
  }

  /** @param {number} timestampMicros @returns {number} the media time (shared by all tracks of the publication) */
  ptsMicros(timestampMicros) {
    return timestampMicros - this.firstTimestampMicros + this.firstPtsMicros;
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
