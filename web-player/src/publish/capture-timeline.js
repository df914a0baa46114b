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
