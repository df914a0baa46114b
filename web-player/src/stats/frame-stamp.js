// @ts-check
/**
 * Reads the frame stamp that the capture agent draws on its synthetic source: a row of
 * square blocks at the top left, block size B = max(8, floor(width / 48)) rounded down to
 * even; block 0 white, block 1 black, blocks 2..33 the 32 bits of
 * (captureTimeMicros / 1000) mod 2^32 MSB first (white = 1), block 34 white.
 * A bit is luma > 128 at the block's centre. Pure: works on RGBA bytes.
 */

export const STAMP_BLOCKS = 35;

/** @param {number} width frame width in pixels */
export function stampBlockSize(width) {
  const b = Math.max(8, Math.floor(width / 48));
  return b - (b % 2);
}

/**
 * Decodes the stamp from RGBA pixels of the frame's top rows.
 * @param {Uint8ClampedArray | Uint8Array} rgba  pixels, row-major, 4 bytes each
 * @param {number} stride  pixels per row of `rgba`
 * @param {number} frameWidth the frame's full width (sets the block size)
 * @returns {number | null} capture time in ms mod 2^32, or null when no valid stamp is seen
 */
export function readFrameStamp(rgba, stride, frameWidth) {
  if (rgba.length < stride * 4 * stampBlockSize(frameWidth)) return null;
  return decodeStamp(stride, frameWidth, (x, y) => {
    const at = (y * stride + x) * 4;
    return 0.299 * rgba[at] + 0.587 * rgba[at + 1] + 0.114 * rgba[at + 2];
  });
}

/**
 * Decodes the stamp from a luma (Y) plane of the frame's top rows: a captured frame read in
 * the publisher (I420, NV12: the Y plane comes first).
 * @param {Uint8Array} luma  one byte per pixel, row-major
 * @param {number} stride  bytes per row of `luma`
 * @param {number} frameWidth the frame's full width (sets the block size)
 * @returns {number | null}
 */
export function readFrameStampLuma(luma, stride, frameWidth) {
  if (luma.length < stride * stampBlockSize(frameWidth)) return null;
  return decodeStamp(stride, frameWidth, (x, y) => luma[y * stride + x]);
}

/**
 * @param {number} stride pixels per row available @param {number} frameWidth
 * @param {(x: number, y: number) => number} lumaAt
 * @returns {number | null}
 */
function decodeStamp(stride, frameWidth, lumaAt) {
  const b = stampBlockSize(frameWidth);
  if (STAMP_BLOCKS * b > stride) return null;
  const y = b / 2;
  const bit = (/** @type {number} */ k) => (lumaAt(k * b + b / 2, y) > 128 ? 1 : 0);
  if (bit(0) !== 1 || bit(1) !== 0 || bit(34) !== 1) return null;
  let value = 0;
  for (let k = 2; k < 34; k++) value = value * 2 + bit(k);
  return value;
}

/**
 * Latency from a stamp to now, both in ms on the relay clock (the stamp wraps at 2^32).
 * @param {number} stampMs  @param {number} relayNowMs
 */
export function stampLatencyMs(stampMs, relayNowMs) {
  const wrap = 2 ** 32;
  let d = (((Math.floor(relayNowMs) % wrap) - stampMs) % wrap + wrap) % wrap;
  if (d > wrap / 2) d -= wrap;
  return d + (relayNowMs - Math.floor(relayNowMs));
}

/**
 * Draws a stamp into RGBA pixels (the agent's encoding), for tests.
 * @param {Uint8ClampedArray | Uint8Array} rgba @param {number} width @param {number} captureMs
 */
export function drawFrameStamp(rgba, width, captureMs) {
  const b = stampBlockSize(width);
  const value = Math.floor(captureMs) % 2 ** 32;
  for (let k = 0; k < STAMP_BLOCKS; k++) {
    const white = k === 0 || k === 34 || (k >= 2 && k < 34 && Math.floor(value / 2 ** (33 - k)) % 2 === 1);
    for (let y = 0; y < b; y++) {
      for (let x = k * b; x < (k + 1) * b; x++) {
        const at = (y * width + x) * 4;
        rgba[at] = rgba[at + 1] = rgba[at + 2] = white ? 235 : 16;
        rgba[at + 3] = 255;
      }
    }
  }
}
