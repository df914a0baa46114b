// @ts-check
/**
 * The publish page's options from its query string (web-player/README.md lists them), each
 * with its default; a value out of range is refused with the reason, never silently changed.
 */
import { DEFAULT_MAX_AGE_MS, DEFAULT_MAX_BYTES } from './uplink-queue.js';
import { parseLayers } from './layer-specs.js';

/** @typedef {import('./messages.js').PublishSettings} PublishSettings */
/** @typedef {import('./messages.js').VideoCodecChoice} VideoCodecChoice */

/** @type {PublishSettings} */
export const DEFAULT_PUBLISH_SETTINGS = {
  videoCodec: 'auto', videoBitrateBps: 0, audioBitrateBps: 32_000, keyframeIntervalMs: 2000, dtx: true,
  queueBytes: DEFAULT_MAX_BYTES, queueAgeMs: DEFAULT_MAX_AGE_MS, layers: [],
};

export const DEFAULT_CAPTURE = { width: 1280, height: 720, frameRate: 30 };
/** `video-codec=` (messages.js, VideoCodecChoice) */
const VIDEO_CODEC_CHOICES = ['auto', 'low-delay', 'h264', 'vp8'];

/**
 * @param {URLSearchParams} params
 * @returns {{ settings: PublishSettings, capture: { width: number, height: number, frameRate: number }, errors: string[] }}
 */
export function parsePublishOptions(params) {
  /** @type {string[]} */
  const errors = [];
  /**
   * @param {string} name @param {number} fallback @param {number} min @param {number} max
   * @returns {number}
   */
  const integer = (name, fallback, min, max) => {
    const raw = params.get(name);
    if (raw === null || raw === '') return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min && value <= max) return value;
    errors.push(`${name}=${raw} is not a whole number from ${min} to ${max}`);
    return fallback;
  };
  const codec = params.get('video-codec') ?? 'auto';
  if (!VIDEO_CODEC_CHOICES.includes(codec)) errors.push(`video-codec=${codec} is not one of ${VIDEO_CODEC_CHOICES.join(', ')}`);
  const dtx = params.get('dtx') ?? 'on';
  if (!['on', 'off'].includes(dtx)) errors.push(`dtx=${dtx} is not on or off`);
  const size = params.get('size') ?? `${DEFAULT_CAPTURE.width}x${DEFAULT_CAPTURE.height}`;
  const sizeMatch = /^(\d{2,4})x(\d{2,4})$/.exec(size);
  if (!sizeMatch) errors.push(`size=${size} is not WIDTHxHEIGHT`);
  const layers = layersOption(params, errors);
  const d = DEFAULT_PUBLISH_SETTINGS;
  return {
    settings: {
      videoCodec: /** @type {VideoCodecChoice} */ (VIDEO_CODEC_CHOICES.includes(codec) ? codec : 'auto'),
      videoBitrateBps: integer('video-bitrate', d.videoBitrateBps, 0, 20_000_000),
      audioBitrateBps: integer('audio-bitrate', d.audioBitrateBps, 6_000, 510_000),
      keyframeIntervalMs: integer('keyframe-interval', d.keyframeIntervalMs, 100, 60_000),
      dtx: dtx !== 'off',
      queueBytes: integer('queue-bytes', d.queueBytes, 16_384, 64 << 20),
      queueAgeMs: integer('queue-age', d.queueAgeMs, 50, 10_000),
      layers,
    },
    capture: {
      // With layers the camera is asked for the top layer's size (as the agent captures).
      width: layers[0]?.width ?? (sizeMatch ? Number(sizeMatch[1]) : DEFAULT_CAPTURE.width),
      height: layers[0]?.height ?? (sizeMatch ? Number(sizeMatch[2]) : DEFAULT_CAPTURE.height),
      frameRate: integer('fps', DEFAULT_CAPTURE.frameRate, 1, 60),
    },
    errors,
  };
}

/**
 * `layers=`: simulcast layers, which replace `size=` and `video-bitrate=` (as `--layers` replaces
 * `--size` and `--bitrate` on the agent).
 * @param {URLSearchParams} params @param {string[]} errors
 * @returns {import('./layer-specs.js').LayerSpec[]}
 */
function layersOption(params, errors) {
  const raw = params.get('layers');
  if (raw === null || raw === '') return [];
  const replaced = ['size', 'video-bitrate'].filter((name) => params.has(name));
  if (replaced.length) {
    errors.push(`layers= replaces ${replaced.map((name) => `${name}=`).join(' and ')}: give the sizes and bitrates in layers= only`);
    return [];
  }
  try {
    return parseLayers(raw);
  } catch (e) {
    errors.push(`layers=${raw}: ${e instanceof Error ? e.message : e}`);
    return [];
  }
}
