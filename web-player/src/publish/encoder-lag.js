// @ts-check
/**
 * Whether a video encoder gives each frame back at once. `latencyMode: "realtime"` asks for it,
 * but not every engine's encoder obeys: Firefox ESR 153's H.264 (measured, 640x360 and 1280x720,
 * every latencyMode, bitrateMode and profile tried) holds 42-46 frames before its first output,
 * 1.4 s at 30 fps, as x264 does with its lookahead; its VP8, VP9 and AV1 give each frame back
 * in 3-11 ms. A call cannot carry 1.4 s more, so the call page takes the next codec when the
 * first holds more than MAX_HELD_FRAMES (`video-codec=low-delay`). The probe encodes a few frames
 * and counts those not given back within a wait; one answer per codec and worker.
 */
import { codecName } from './track-format.js';

/** Frames the probe encodes. */
export const PROBE_FRAMES = 8;
/**
 * Frames an encoder may hold and still count as giving them back: a pipeline of a frame or two
 * (WebKitGTK's H.264 gave 4 of 5 back within the wait, one behind) costs 33-67 ms at 30 fps.
 */
export const MAX_HELD_FRAMES = 2;
/**
 * How long it waits for them back: an encoder without a lookahead gives each in a few ms (Chromium's
 * H.264 at 640x360: 2 ms), a wide margin on a busy machine; a lookahead delays the start this much, once.
 */
const PROBE_WAIT_MS = 1500;
const POLL_MS = 20;

/** @type {Map<string, Promise<number>>} */
const heldByCodec = new Map();

/**
 * The frames of PROBE_FRAMES the encoder still held after the wait (0: it gives each back).
 * @param {VideoEncoderConfig} config  a supported configuration (its size and codec are probed)
 * @param {typeof VideoEncoder} [Encoder]  the browser's; a fake in tests
 * @returns {Promise<number>}
 */
export function framesHeld(config, Encoder = VideoEncoder) {
  const codec = codecName(config.codec); // not the level (H.264's follows the size): the lookahead does not change with it
  let held = heldByCodec.get(codec);
  if (!held) heldByCodec.set(codec, held = probe(config, Encoder));
  return held;
}

/** @param {VideoEncoderConfig} config @param {typeof VideoEncoder} Encoder */
async function probe(config, Encoder) {
  let given = 0;
  const encoder = new Encoder({ output: () => { given++; }, error: () => {} });
  try {
    encoder.configure(config);
    const { width, height } = config;
    const picture = new Uint8Array((width * height * 3) / 2).fill(128);
    for (let i = 0; i < PROBE_FRAMES; i++) {
      const frame = new VideoFrame(picture, { format: 'I420', codedWidth: width, codedHeight: height, timestamp: i * 33_333, duration: 33_333 });
      encoder.encode(frame, { keyFrame: i === 0 });
      frame.close();
    }
    const deadline = performance.now() + PROBE_WAIT_MS;
    while (given < PROBE_FRAMES && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    return PROBE_FRAMES - given;
  } catch (e) {
    console.debug('tunnelcast publisher: the encoder lag probe failed; taken as giving frames back', e);
    return 0;
  } finally {
    if (encoder.state !== 'closed') encoder.close();
  }
}

/** Forgets the answers (tests). */
export function forgetFramesHeld() {
  heldByCodec.clear();
}
