// @ts-check
/**
 * Video through WebCodecs: VideoDecoder → frames held until the master clock reaches them →
 * canvas. Without audio it shows each frame as soon as it is decoded (the lowest latency).
 */
import { UnsupportedCodecError } from './renderer.js';

/** @typedef {import('./renderer.js').VideoRenderer} VideoRenderer */
/** @typedef {import('./renderer.js').ShownFrame} ShownFrame */

const MAX_HELD_FRAMES = 60;
/** A frame is due when the master clock is within half a frame of it. */
const DUE_SLACK_MS = 16;

/**
 * The VideoDecoderConfig description for a TrackConfig: avcC / hvcC for H.264 / HEVC, the
 * av1C for AV1; VP8 and VP9 take none (their vpcC is MP4 metadata, the frames say it all).
 * @param {import('./renderer.js').TrackConfig} config
 */
export function webCodecsDescription(config) {
  if (!config.decoderConfig.length || config.codec === 'vp8' || config.codec.startsWith('vp09')) return undefined;
  return config.decoderConfig;
}

/** @implements {VideoRenderer} */
export class WebCodecsRenderer {
  constructor() {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'tc-video';
    this.element = this.canvas;
    this.context2d = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext('2d', { alpha: false, desynchronized: true }));
    /** @type {import('./renderer.js').TrackConfig | null} */
    this.config = null;
    /** @type {VideoDecoder | null} */
    this.decoder = null;
    /** @type {VideoFrame[]} */
    this.held = [];
    this.needKeyframe = true;
    this.framesDecoded = 0;
    this.framesDropped = 0;
    this.decodeErrors = 0;
    this.newestPtsMicros = NaN;
    this.shownPtsMicros = NaN;
    /** @type {(frame: ShownFrame) => void} */
    this.listener = () => {};
  }

  /** @param {(frame: ShownFrame) => void} listener */
  onFrameShown(listener) {
    this.listener = listener;
  }

  /** @param {import('./renderer.js').TrackConfig} config */
  async configure(config) {
    const decoderConfig = { codec: config.codec, description: webCodecsDescription(config),
      codedWidth: config.width, codedHeight: config.height, optimizeForLatency: true };
    if (typeof VideoDecoder === 'undefined' || !(await VideoDecoder.isConfigSupported(decoderConfig)).supported) {
      throw new UnsupportedCodecError(`This browser cannot decode ${config.codec} video with WebCodecs.`);
    }
    this.config = config;
    this.canvas.width = config.width;
    this.canvas.height = config.height;
    this.decoderConfig = decoderConfig;
    this.reset();
  }

  reset() {
    if (!this.decoderConfig) return;
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    for (const f of this.held) f.close();
    this.held = [];
    this.needKeyframe = true;
    this.decoder = new VideoDecoder({
      output: (frame) => this.decoded(frame),
      error: (e) => {
        this.decodeErrors++;
        console.warn('tunnelcast: video decode error; restarting at the next keyframe', e);
        queueMicrotask(() => this.reset());
      },
    });
    this.decoder.configure(this.decoderConfig);
  }

  /** @param {import('./renderer.js').MediaPacket} packet */
  push(packet) {
    if (!this.decoder || this.decoder.state !== 'configured') return;
    if (this.needKeyframe && !packet.keyframe) return;
    this.needKeyframe = false;
    this.newestPtsMicros = Number(packet.ptsMicros);
    this.decoder.decode(new EncodedVideoChunk({ type: packet.keyframe ? 'key' : 'delta', timestamp: Number(packet.ptsMicros),
      duration: packet.durationMicros || undefined, data: packet.payload }));
  }

  /** @param {VideoFrame} frame */
  decoded(frame) {
    this.framesDecoded++;
    this.held.push(frame);
    while (this.held.length > MAX_HELD_FRAMES) {
      /** @type {VideoFrame} */ (this.held.shift()).close();
      this.framesDropped++;
    }
  }

  /** @param {number} masterMediaMs @param {number} nowMs */
  tick(masterMediaMs, nowMs) {
    if (this.held.length === 0) return;
    // The newest frame that is due; older ones are skipped.
    let due = -1;
    for (let i = 0; i < this.held.length; i++) {
      if (!Number.isFinite(masterMediaMs) || this.held[i].timestamp / 1000 <= masterMediaMs + DUE_SLACK_MS) due = i;
    }
    if (due < 0) return;
    for (let i = 0; i < due; i++) {
      this.held[i].close();
      this.framesDropped++;
    }
    const frame = this.held[due];
    this.held = this.held.slice(due + 1);
    this.context2d.drawImage(frame, 0, 0, this.canvas.width, this.canvas.height);
    this.shownPtsMicros = frame.timestamp;
    frame.close();
    this.listener({ ptsMicros: this.shownPtsMicros, displayPerfMs: nowMs, source: this.canvas,
      width: this.canvas.width, height: this.canvas.height });
  }

  figures() {
    const newestHeld = this.held.length ? this.held[this.held.length - 1].timestamp : this.shownPtsMicros;
    return {
      bufferMs: Number.isFinite(newestHeld - this.shownPtsMicros) ? Math.max(0, (newestHeld - this.shownPtsMicros) / 1000) : 0,
      framesDecoded: this.framesDecoded,
      framesDropped: this.framesDropped,
      decodeErrors: this.decodeErrors,
      playbackRate: 1,
      newestPtsMs: this.newestPtsMicros / 1000,
      waitingForKeyframe: this.needKeyframe,
      resyncs: this.decodeErrors,
    };
  }

  destroy() {
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    for (const f of this.held) f.close();
    this.held = [];
  }
}
