// @ts-check
/**
 * The publisher's video as simulcast layers (`layers=`, docs/protocol.md "Simulcast"): one
 * WebCodecs encoder per layer, each configured at its layer's size and bitrate and fed the
 * captured frame (the encoder scales it: Chromium's does). A frame is encoded by every layer
 * or by none (skipped when any layer's encoder is behind), and whether it is a keyframe is
 * decided once for all layers, so keyframes are aligned (same pts) whether due by the
 * interval, asked for by the relay or by a reconnect. Packets go out a frame at a time, top
 * layer first, once every layer has encoded that frame, as the agent sends them: the encoders
 * finish in any order, and a layer's packet from before a send-queue drop must not follow
 * another layer's keyframe that reopened the queue after it.
 */
import { KeyframeSchedule, VideoTrackEncoder } from './video-track-encoder.js';

/** @typedef {import('./layer-specs.js').LayerSpec} LayerSpec */
/** @typedef {import('./video-track-encoder.js').VideoTrackFormat} VideoTrackFormat */
/** @typedef {import('./video-track-encoder.js').EncodedVideo} EncodedVideo */
/** @typedef {import('./video-track-encoder.js').VideoEncoderListener} VideoEncoderListener */

/**
 * @typedef {object} LayerInfo  what a TrackConfig says of its layer
 * @property {number} layer       0: the top layer (and a track without layers)
 * @property {number} layerCount  0: no layers
 * @property {number} bitrateBps
 */

/**
 * @typedef {object} LayeredVideoListener
 * @property {(format: VideoTrackFormat, layer: LayerInfo) => void} onFormat  a layer's format, before its first packet and when it changes
 * @property {(packet: EncodedVideo, layer: number) => void} onPacket
 * @property {(error: Error) => void} onError
 */

/**
 * What this class needs of one layer's encoder (a VideoTrackEncoder; fakes in tests).
 * @typedef {object} LayerEncoder
 * @property {(width: number, height: number) => Promise<boolean>} ready
 * @property {boolean} behind
 * @property {(frame: VideoFrame, keyFrame: boolean) => void} encodeFrame
 * @property {VideoTrackFormat | null} format
 * @property {number} keyframes  keyframes it has output
 * @property {string} codecNote  why it passed a codec over ('' if it did not)
 * @property {() => void} close
 */

/**
 * @typedef {object} LayerStats  a layer in the publisher's figures
 * @property {number} width
 * @property {number} height
 * @property {number} bitrateBps
 * @property {number} keyframes
 */

/**
 * @param {{ codec: import('./messages.js').VideoCodecChoice, bitrateBps: number, keyframeIntervalMs: number }} settings
 * @param {VideoEncoderListener} listener
 * @returns {LayerEncoder}
 */
const webCodecsLayer = (settings, listener) => new VideoTrackEncoder(settings, listener);

export class SimulcastVideoEncoder {
  /**
   * @param {LayerSpec[]} layers  top first
   * @param {{ codec: import('./messages.js').VideoCodecChoice, keyframeIntervalMs: number }} settings
   * @param {LayeredVideoListener} listener
   * @param {typeof webCodecsLayer} [createLayer]
   */
  constructor(layers, settings, listener, createLayer = webCodecsLayer) {
    this.specs = layers;
    this.listener = listener;
    this.schedule = new KeyframeSchedule(settings.keyframeIntervalMs);
    /** @type {EncodedVideo[][]} per layer, its packets not sent yet (their frame is not encoded by every layer yet) */
    this.pending = layers.map(() => []);
    this.encoders = layers.map((spec, layer) => createLayer({ codec: settings.codec, bitrateBps: spec.bitrateBps, keyframeIntervalMs: settings.keyframeIntervalMs }, {
      onFormat: (format) => listener.onFormat(format, { layer, layerCount: layers.length, bitrateBps: spec.bitrateBps }),
      onPacket: (packet) => this.output(layer, packet),
      onError: listener.onError,
    }));
    this.bitrateBps = layers.reduce((sum, spec) => sum + spec.bitrateBps, 0);
    /** frames encoded by every layer */
    this.framesEncoded = 0;
    /** frames encoded by no layer: some layer's encoder was behind */
    this.encoderDrops = 0;
  }

  /** The top layer's format (what the publisher shows as its video). */
  get format() {
    return this.encoders[0].format;
  }

  /** Why the top layer's encoder passed a codec over ('' if it did not). */
  get codecNote() {
    return this.encoders[0].codecNote;
  }

  /** Keyframes output by the top layer (every layer has them on the same frames). */
  get keyframes() {
    return this.encoders[0].keyframes;
  }

  /** @returns {LayerStats[]} */
  get layerStats() {
    return this.specs.map((spec, i) => ({ width: spec.width, height: spec.height, bitrateBps: spec.bitrateBps, keyframes: this.encoders[i].keyframes }));
  }

  /** Encodes (and closes) a frame on every layer, or skips it. @param {VideoFrame} frame @param {number} nowMs */
  async encode(frame, nowMs) {
    try {
      const ready = await Promise.all(this.encoders.map((e, i) => e.ready(this.specs[i].width, this.specs[i].height)));
      if (!ready.every(Boolean)) return; // configuring
      if (this.encoders.some((e) => e.behind)) {
        this.encoderDrops++;
        return;
      }
      const keyFrame = this.schedule.take(nowMs);
      for (const encoder of this.encoders) encoder.encodeFrame(frame, keyFrame);
      this.framesEncoded++;
    } finally {
      frame.close();
    }
  }

  /** The next frame encoded is a keyframe on every layer. */
  requestKeyframe() {
    this.schedule.request();
  }

  /** Layers keep their bitrates: with layers the relay adapts each player, not the publisher its one stream. @param {number} _bps */
  setBitrate(_bps) {}

  /**
   * Sends, top layer first, the packets of each frame that every layer is done with: a layer
   * has its packet of the frame, or one of a later frame (its encoder dropped this one).
   * @param {number} layer @param {EncodedVideo} packet
   */
  output(layer, packet) {
    this.pending[layer].push(packet);
    while (this.pending.every((queue) => queue.length)) {
      const timestamp = Math.min(...this.pending.map((queue) => queue[0].timestampMicros));
      this.pending.forEach((queue, i) => {
        if (queue[0].timestampMicros === timestamp) this.listener.onPacket(/** @type {EncodedVideo} */ (queue.shift()), i);
      });
    }
  }

  close() {
    for (const encoder of this.encoders) encoder.close();
  }
}

/**
 * The publication's video encoder: one encode, or one per layer when `layers` are set.
 * @param {import('./messages.js').PublishSettings} settings
 * @param {LayeredVideoListener} listener
 * @returns {VideoTrackEncoder | SimulcastVideoEncoder}
 */
export function publishedVideoEncoder(settings, listener) {
  const common = { codec: settings.videoCodec, keyframeIntervalMs: settings.keyframeIntervalMs };
  if (settings.layers.length) return new SimulcastVideoEncoder(settings.layers, common, listener);
  const encoder = new VideoTrackEncoder({ ...common, bitrateBps: settings.videoBitrateBps }, {
    onFormat: (format) => listener.onFormat(format, { layer: 0, layerCount: 0, bitrateBps: encoder.bitrateBps }),
    onPacket: (packet) => listener.onPacket(packet, 0),
    onError: listener.onError,
  });
  return encoder;
}
