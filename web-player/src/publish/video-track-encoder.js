// @ts-check
/**
 * The publisher's WebCodecs `VideoEncoder`: H.264 (Constrained Baseline, avcC out of band)
 * where `isConfigSupported` says so, else VP8; `latencyMode: "realtime"`; configured from
 * the first frame's size (again when it changes: a resized screen share); a keyframe at
 * the interval and on request; frames skipped while the encoder is behind. A simulcast
 * layer's encoder is driven piece by piece instead (`ready` at its size, `behind`,
 * `encodeFrame`: SimulcastVideoEncoder decides skips and keyframes for all layers).
 */
import { primeMediaStack } from '../video/media-stack.js';
import { avcCodecString, bytesOf, codecName, h264EncoderCodec, repairedAvcC, vp8Vpcc } from './track-format.js';
import { framesHeld, MAX_HELD_FRAMES, PROBE_FRAMES } from './encoder-lag.js';

/** @typedef {import('./messages.js').VideoCodecChoice} VideoCodecChoice */

/**
 * @typedef {object} VideoTrackFormat  what the TrackConfig says
 * @property {string} codec
 * @property {Uint8Array} decoderConfig
 * @property {number} width
 * @property {number} height
 * @property {number} frameRate
 */

/**
 * @typedef {object} EncodedVideo
 * @property {Uint8Array} payload
 * @property {boolean} keyframe
 * @property {number} timestampMicros  the source frame's timestamp
 * @property {number} durationMicros
 */

/**
 * @typedef {object} VideoEncoderListener
 * @property {(format: VideoTrackFormat) => void} onFormat   before the first packet, and when it changes
 * @property {(packet: EncodedVideo) => void} onPacket
 * @property {(error: Error) => void} onError
 */

/** Frames waiting in the encoder beyond which new ones are skipped (the encoder is behind). */
const MAX_ENCODE_QUEUE = 2;
const DEFAULT_FRAME_RATE = 30;

/**
 * @typedef {object} ChosenVideoConfig
 * @property {VideoEncoderConfig} config
 * @property {string} passedOver  why a codec before it was not taken ('' if none was passed over)
 */

/**
 * The first configuration the browser supports, H.264 before VP8 (or only the one asked for);
 * with `low-delay`, passing over an encoder that holds frames back (encoder-lag.js) unless it is
 * the last one left.
 * @param {VideoCodecChoice} choice @param {number} width @param {number} height @param {number} frameRate @param {number} bitrate
 * @param {(config: VideoEncoderConfig) => Promise<number>} [held]  frames the encoder holds (a fake in tests)
 * @returns {Promise<ChosenVideoConfig | null>}
 */
export async function chooseVideoConfig(choice, width, height, frameRate, bitrate, held = framesHeld) {
  /** @type {VideoEncoderConfig} */
  const common = { codec: '', width, height, bitrate, framerate: frameRate, latencyMode: 'realtime' };
  /** @type {VideoEncoderConfig[]} */
  const candidates = [];
  if (choice !== 'vp8') candidates.push({ ...common, codec: h264EncoderCodec(width, height), avc: { format: 'avc' } });
  if (choice !== 'h264') candidates.push({ ...common, codec: 'vp8' });
  primeMediaStack();
  /** @type {{ config: VideoEncoderConfig, heldFrames: number } | null} the first supported one, if it held frames back */
  let lagging = null;
  for (const config of candidates) {
    try {
      const { supported } = await VideoEncoder.isConfigSupported(config);
      if (!supported) continue;
    } catch {
      continue; // a config the browser cannot even parse: try the next one
    }
    const heldFrames = choice === 'low-delay' && config !== candidates[candidates.length - 1] ? await held(config) : 0;
    const passedOver = lagging ? `${heldBack(lagging.config, lagging.heldFrames)}: ${codecName(config.codec)} instead` : '';
    if (heldFrames <= MAX_HELD_FRAMES) return { config, passedOver };
    lagging ??= { config, heldFrames };
  }
  return lagging && { config: lagging.config, passedOver: `${heldBack(lagging.config, lagging.heldFrames)}, and no other codec encodes here` };
}

/** @param {VideoEncoderConfig} config @param {number} heldFrames */
const heldBack = (config, heldFrames) => `this browser's ${codecName(config.codec)} encoder held ${heldFrames} of ${PROBE_FRAMES} frames back (a lookahead)`;

/** When a video's keyframes are due: at the interval, and at once when asked for. */
export class KeyframeSchedule {
  /** @param {number} intervalMs */
  constructor(intervalMs) {
    this.intervalMs = intervalMs;
    this.wanted = true;
    this.lastKeyframeMs = -Infinity;
  }

  request() {
    this.wanted = true;
  }

  /** Whether the frame encoded now is to be a keyframe (then the interval starts again). @param {number} nowMs */
  take(nowMs) {
    const keyFrame = this.wanted || nowMs - this.lastKeyframeMs >= this.intervalMs;
    if (keyFrame) {
      this.wanted = false;
      this.lastKeyframeMs = nowMs;
    }
    return keyFrame;
  }
}

export class VideoTrackEncoder {
  /**
   * @param {{ codec: VideoCodecChoice, bitrateBps: number, keyframeIntervalMs: number }} settings  bitrateBps 0: from the size
   * @param {VideoEncoderListener} listener
   */
  constructor(settings, listener) {
    this.settings = settings;
    this.listener = listener;
    /** @type {VideoEncoder | null} */
    this.encoder = null;
    /** @type {VideoEncoderConfig | null} */
    this.config = null;
    /** @type {VideoTrackFormat | null} */
    this.format = null;
    /** @type {Uint8Array | null} the last avcC the encoder gave, and what is published for it (usableAvcC) */
    this.givenAvcC = null;
    /** @type {Uint8Array | null} */
    this.avcC = null;
    this.bitrateBps = settings.bitrateBps;
    this.schedule = new KeyframeSchedule(settings.keyframeIntervalMs);
    this.configuring = false;
    this.framesEncoded = 0;
    this.encoderDrops = 0;
    this.keyframes = 0;
    this.unsupported = '';
    /** why the codec before the one taken was passed over ('' if none was) */
    this.codecNote = '';
  }

  /** The bitrate for a picture size when none is set: 0.08 bit per pixel at 30 fps, 4 Mbit/s at most. @param {number} width @param {number} height */
  static defaultBitrate(width, height) {
    return Math.min(4_000_000, Math.round(width * height * DEFAULT_FRAME_RATE * 0.08));
  }

  /** Encodes (and closes) a frame, or skips it. @param {VideoFrame} frame @param {number} nowMs */
  async encode(frame, nowMs) {
    try {
      if (!(await this.ready(frame.displayWidth & ~1, frame.displayHeight & ~1))) return;
      if (this.behind) {
        this.encoderDrops++;
        return;
      }
      this.encodeFrame(frame, this.schedule.take(nowMs));
    } finally {
      frame.close();
    }
  }

  /**
   * Configures the encoder for pictures of this size if it is not yet (or was for another);
   * whether frames can be encoded now. @param {number} width @param {number} height
   */
  async ready(width, height) {
    if (!this.config || this.config.width !== width || this.config.height !== height) {
      if (this.configuring) return false;
      await this.configure(width, height);
    }
    return this.encoder?.state === 'configured';
  }

  /** More frames wait in the encoder than it should hold: the next one is to be skipped. */
  get behind() {
    return (this.encoder?.encodeQueueSize ?? 0) > MAX_ENCODE_QUEUE;
  }

  /**
   * Hands a frame to the configured encoder (which copies what it needs: the caller closes
   * the frame). A frame of another size than the configuration's is scaled to it by the encoder.
   * @param {VideoFrame} frame @param {boolean} keyFrame
   */
  encodeFrame(frame, keyFrame) {
    /** @type {VideoEncoder} */ (this.encoder).encode(frame, { keyFrame });
    this.framesEncoded++;
  }

  requestKeyframe() {
    this.schedule.request();
  }

  /** @param {number} bps */
  setBitrate(bps) {
    this.bitrateBps = bps;
    if (this.encoder?.state === 'configured' && this.config) {
      this.config = { ...this.config, bitrate: bps };
      this.encoder.configure(this.config);
      this.schedule.request(); // a new configuration may bring a new avcC, which wants a keyframe after it
    }
  }

  /** @param {number} width @param {number} height */
  async configure(width, height) {
    this.configuring = true;
    try {
      if (!this.settings.bitrateBps && !this.config) this.bitrateBps = VideoTrackEncoder.defaultBitrate(width, height);
      const chosen = await chooseVideoConfig(this.settings.codec, width, height, DEFAULT_FRAME_RATE, this.bitrateBps);
      if (!chosen) {
        const which = this.settings.codec === 'h264' ? 'H.264' : this.settings.codec === 'vp8' ? 'VP8' : 'H.264 or VP8';
        this.unsupported = `this browser cannot encode ${which} video at ${width}x${height}`;
        throw new Error(this.unsupported);
      }
      const { config } = chosen;
      this.codecNote = chosen.passedOver;
      if (!this.encoder || this.encoder.state === 'closed') {
        this.encoder = new VideoEncoder({
          output: (chunk, metadata) => this.output(chunk, metadata),
          error: (e) => this.listener.onError(e instanceof Error ? e : new Error(String(e))),
        });
      }
      this.encoder.configure(config);
      this.config = config;
      this.schedule.request();
    } finally {
      this.configuring = false;
    }
  }

  /** @param {EncodedVideoChunk} chunk @param {EncodedVideoChunkMetadata | undefined} metadata */
  output(chunk, metadata) {
    const config = /** @type {VideoEncoderConfig} */ (this.config);
    const described = metadata?.decoderConfig;
    if (described || !this.format) {
      const avc = config.codec.startsWith('avc1');
      const given = described?.description ? bytesOf(described.description) : null;
      const description = given && avc ? this.usableAvcC(given, chunk) : given;
      const codec = description && avc ? avcCodecString(description) : config.codec === 'vp8' ? 'vp8' : '';
      if (codec) {
        /** @type {VideoTrackFormat} */
        const format = { codec, decoderConfig: description ?? vp8Vpcc(), width: config.width, height: config.height,
          frameRate: config.framerate ?? DEFAULT_FRAME_RATE };
        if (!sameFormat(format, this.format)) {
          this.format = format;
          this.listener.onFormat(format);
        }
      } else if (!this.format) {
        return; // H.264 without a usable avcC yet: nothing a player could decode
      }
    }
    const keyframe = chunk.type === 'key';
    if (keyframe) this.keyframes++;
    this.listener.onPacket({ payload: bytesOf(chunk), keyframe, timestampMicros: chunk.timestamp,
      durationMicros: chunk.duration ?? Math.round(1e6 / (config.framerate ?? DEFAULT_FRAME_RATE)) });
  }

  /**
   * The avcC to publish for the one the encoder gave (repairedAvcC): the same repair for the
   * same record, so a record that comes again on a delta frame (no parameter sets in band) keeps
   * the one announced; null while a malformed record has no keyframe to be rebuilt from.
   * @param {Uint8Array} given @param {EncodedVideoChunk} chunk
   */
  usableAvcC(given, chunk) {
    if (this.givenAvcC && this.givenAvcC.length === given.length && this.givenAvcC.every((v, i) => v === given[i])) return this.avcC;
    const usable = repairedAvcC(given, chunk.type === 'key' ? bytesOf(chunk) : null);
    if (usable) {
      this.givenAvcC = given;
      this.avcC = usable;
    }
    return usable;
  }

  close() {
    if (this.encoder && this.encoder.state !== 'closed') this.encoder.close();
  }
}

/** @param {VideoTrackFormat} a @param {VideoTrackFormat | null} b */
function sameFormat(a, b) {
  return !!b && a.codec === b.codec && a.width === b.width && a.height === b.height
    && a.decoderConfig.length === b.decoderConfig.length && a.decoderConfig.every((v, i) => v === b.decoderConfig[i]);
}
