// @ts-check
/**
 * Reads the frame stamp from the pixels actually shown: draws the top strip of the video
 * (or the WebCodecs canvas) at native size into a small canvas and reads it back.
 */
import { readFrameStamp, stampBlockSize, STAMP_BLOCKS } from './frame-stamp.js';

export class PixelProbe {
  constructor() {
    this.canvas = document.createElement('canvas');
    this.context = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext('2d', { willReadFrequently: true }));
  }

  /**
   * @param {CanvasImageSource} source @param {number} width native frame width
   * @returns {number | null} the stamp (capture ms mod 2^32) or null
   */
  read(source, width) {
    const b = stampBlockSize(width);
    const w = Math.min(width, STAMP_BLOCKS * b + b);
    if (this.canvas.width !== w || this.canvas.height !== b) {
      this.canvas.width = w;
      this.canvas.height = b;
    }
    this.context.drawImage(source, 0, 0, w, b, 0, 0, w, b);
    const pixels = this.context.getImageData(0, 0, w, b).data;
    return readFrameStamp(pixels, w, width);
  }
}
