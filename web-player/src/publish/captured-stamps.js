// @ts-check
/**
 * Reads the frame stamp (docs/frame-stamp.md) off captured frames, for the call tests and
 * benchmark: a fake camera that plays a file cannot carry real capture times in its stamps,
 * so the publisher says when it captured each stamp (relay clock) and the players say when
 * they showed it; the difference is glass-to-glass. Only the stamp's strip is copied out of a
 * frame (a few KB); a source whose first frames carry no stamp is not read any further (a
 * real camera costs nothing), until the source changes.
 */
import { readFrameStampLuma, stampBlockSize, STAMP_BLOCKS } from '../stats/frame-stamp.js';

/** Frames of a source looked at before deciding it carries no stamp. */
const PROBE_FRAMES = 30;
/** Stamps kept for the page (about 10 s at 30 fps). */
const KEPT = 300;
const LUMA_FIRST = ['I420', 'I420A', 'I422', 'I444', 'NV12'];
const RGB = ['RGBA', 'RGBX', 'BGRA', 'BGRX'];

export class CapturedStamps {
  constructor() {
    this.looked = 0;
    this.found = 0;
    this.lastStamp = NaN;
    /** @type {[number, number][]} [stamp, capturedAtMs] of each new stamp, oldest first */
    this.stamps = [];
    /** stamps not yet handed to the page */
    this.unsent = 0;
  }

  /** A new source: look at its first frames again. */
  reset() {
    this.looked = 0;
    this.found = 0;
  }

  get active() {
    return this.found > 0 || this.looked < PROBE_FRAMES;
  }

  /**
   * Reads the stamp of a frame (a clone the caller made; closed here).
   * @param {VideoFrame} frame @param {number} capturedAtMs relay clock
   */
  async read(frame, capturedAtMs) {
    try {
      this.looked++;
      const stamp = await stampOf(frame);
      if (stamp === null) return;
      this.found++;
      if (stamp === this.lastStamp) return; // a repeated stamp is no new frame (docs/frame-stamp.md)
      this.lastStamp = stamp;
      this.stamps.push([stamp, capturedAtMs]);
      this.unsent++;
      if (this.stamps.length > KEPT) this.stamps.shift();
    } catch {
      // a format this reader does not know: no stamps from this source
      this.looked = PROBE_FRAMES;
    } finally {
      frame.close();
    }
  }

  /** The stamps read since the last call. @returns {[number, number][]} */
  takeNew() {
    const fresh = this.unsent ? this.stamps.slice(-this.unsent) : [];
    this.unsent = 0;
    return fresh;
  }
}

/** @param {VideoFrame} frame @returns {Promise<number | null>} */
async function stampOf(frame) {
  const format = frame.format ?? '';
  const width = frame.visibleRect?.width ?? frame.displayWidth;
  const b = stampBlockSize(width);
  const w = Math.min(width, (STAMP_BLOCKS + 1) * b) & ~1;
  if (STAMP_BLOCKS * b > w || frame.codedHeight < b) return null;
  const rect = { x: frame.visibleRect?.x ?? 0, y: frame.visibleRect?.y ?? 0, width: w, height: b };
  if (LUMA_FIRST.includes(format)) {
    const bytes = new Uint8Array(frame.allocationSize({ rect }));
    const layout = await frame.copyTo(bytes, { rect });
    return readFrameStampLuma(bytes.subarray(layout[0].offset), layout[0].stride, width);
  }
  if (RGB.includes(format)) {
    const bytes = new Uint8Array(frame.allocationSize({ rect }));
    const layout = await frame.copyTo(bytes, { rect });
    const stride = layout[0].stride;
    const luma = new Uint8Array(w * b);
    const [r, g, bl] = format.startsWith('BGR') ? [2, 1, 0] : [0, 1, 2];
    for (let y = 0; y < b; y++) {
      for (let x = 0; x < w; x++) {
        const at = layout[0].offset + y * stride + x * 4;
        luma[y * w + x] = 0.299 * bytes[at + r] + 0.587 * bytes[at + g] + 0.114 * bytes[at + bl];
      }
    }
    return readFrameStampLuma(luma, w, width);
  }
  throw new Error(`no stamp reader for ${format}`);
}
