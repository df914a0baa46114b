// @ts-check
/**
 * Counts the capture time a track's source delivered nothing for. A starved browser renders
 * its audio graph slower than real time (measured: Firefox's AudioContext clock falls behind
 * the wall clock beside a CPU hog; Chromium's fake device delivers too few samples): those
 * samples never exist, so no publisher can send them. The packets keep their wall-clock place
 * (SampleClock, EncoderTimestamps: the audio stays with the video, the players conceal the
 * gap); this says how much was missing, for the page and the tests.
 * Pure: times come in as arguments, in µs.
 */
/** Less than this between one chunk's end and the next one's start is rounding and jitter, not a gap. */
export const GAP_TOLERANCE_MICROS = 5_000;

export class CaptureGaps {
  constructor() {
    /** where the latest chunk ended (NaN before the first) */
    this.endMicros = NaN;
    this.gaps = 0;
    this.gapMicros = 0;
  }

  /**
   * A chunk of the source, in the order read.
   * @param {number} timestampMicros its first sample's @param {number} durationMicros
   */
  observe(timestampMicros, durationMicros) {
    const gap = timestampMicros - this.endMicros; // NaN for the first chunk; negative where the source's clock went back
    if (gap > GAP_TOLERANCE_MICROS) {
      this.gaps++;
      this.gapMicros += gap;
    }
    this.endMicros = timestampMicros + durationMicros;
  }

  /** Another source follows, on a clock of its own: no gap between the two. */
  newSource() {
    this.endMicros = NaN;
  }
}
