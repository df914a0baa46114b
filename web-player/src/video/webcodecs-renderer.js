// @ts-check
/**
 * Video through WebCodecs: VideoDecoder → frames held until the master clock reaches them →
 * canvas. At every animation frame each held frame is placed against the master (audio)
 * clock (frame-schedule.js: its moment at the clock's measured speed, a bounded queue, late
 * frames closed). Frames are drawn only there: a draw inside the decoder's output callback
 * (with the stats' read-back of the canvas) held up the decoder's next outputs (a decode
 * median of 64–312 ms against 5–14 ms, bench/run latency on the 2-core machine).
 * Without audio it shows each frame as soon as it is decoded (the lowest latency).
 * A join (or a restart after a decode error) decodes the relay's GOP backlog without drawing
 * it: frames that newer packets have overtaken are closed until the live edge is reached.
 * A new config of the track playing (a simulcast layer switch) reconfigures the same decoder
 * (layer-switch.js): the frames held and the schedule go on; the canvas takes the new size
 * at the first frame of it drawn.
 * Every frame it never draws is counted by cause (frame-drops.js).
 */
import { primeMediaStack } from './media-stack.js';
import { UnsupportedCodecError } from './renderer.js';
import { FrameDrops } from './frame-drops.js';
import { FrameSchedule } from './frame-schedule.js';
import { Recent } from '../stats/recent.js';
import { LayerSwitches, switchPlan } from './layer-switch.js';

/** @typedef {import('./renderer.js').VideoRenderer} VideoRenderer */
/** @typedef {import('./renderer.js').ShownFrame} ShownFrame */

/** Stage times kept for their median (~10 s of frames). */
const STAGE_SAMPLES = 300;
/** At a join, a decoded frame this far behind the newest packet received is not drawn while
 * more than JOIN_PENDING_FRAMES are still in the decoder... */
const JOIN_STALE_MICROS = 100_000;
const JOIN_PENDING_FRAMES = 2;
/** ...for at most this long after the first decoded frame (a decoder slower than real time must still show something). */
const JOIN_SKIP_MAX_MS = 1500;
/**
 * A decoder this far behind the newest packet (slower than real time: a busy machine) starts
 * over at the next keyframe rather than falling further behind: P-frames cannot be skipped.
 */
const LAG_RESTART_MICROS = 500_000;

/**
 * The VideoDecoderConfig description for a TrackConfig: avcC / hvcC for H.264 / HEVC, the
 * av1C for AV1; VP8 and VP9 take none (their vpcC is MP4 metadata, the frames say it all).
 * @param {import('./renderer.js').TrackConfig} config
 */
export function webCodecsDescription(config) {
  if (!config.decoderConfig.length || config.codec === 'vp8' || config.codec.startsWith('vp09')) return undefined;
  return config.decoderConfig;
}

/**
 * @typedef {object} WebCodecsOptions
 * @property {number} [maxHeldFrames]  decoded frames held at most (`?video-held=N`, default 30)
 */

/** @implements {VideoRenderer} */
export class WebCodecsRenderer {
  /** @param {WebCodecsOptions} [options] */
  constructor(options = {}) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'tc-video';
    this.element = this.canvas;
    this.context2d = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext('2d', { alpha: false, desynchronized: true }));
    /** @type {import('./renderer.js').TrackConfig | null} */
    this.config = null;
    /** @type {VideoDecoder | null} */
    this.decoder = null;
    /** @type {FrameSchedule<VideoFrame>} */
    this.held = new FrameSchedule({ maxFrames: options.maxHeldFrames });
    /** performance.now() at which each chunk in the decoder was submitted, oldest first */
    /** @type {{ timestamp: number, submittedMs: number }[]} */
    this.inDecoder = [];
    /** performance.now() at which each held frame came out of the decoder, by timestamp */
    /** @type {Map<number, number>} */
    this.decodedAtMs = new Map();
    /** per frame shown: submitted → decoded, and decoded → drawn (waiting for the master), ms */
    this.decodeMs = new Recent(STAGE_SAMPLES);
    this.heldMs = new Recent(STAGE_SAMPLES);
    this.needKeyframe = true;
    /** performance.now() until which stale frames of the join backlog are skipped (NaN: not yet decoding) */
    this.joinUntilMs = NaN;
    this.joined = false;
    this.framesDecoded = 0;
    this.drops = new FrameDrops();
    this.decodeErrors = 0;
    this.switches = new LayerSwitches();
    /** decoders created: the first, and each start over */
    this.starts = 0;
    this.framesSkippedAtJoin = 0;
    this.framesSubmitted = 0;
    this.newestDecodedMicros = NaN;
    /** restarts at a keyframe because decoding fell behind */
    this.lagRestarts = 0;
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
    // Before any await: the new layer's keyframe comes right after its config.
    if (this.decoder?.state === 'configured' && switchPlan(this.config, config, { changeType: true }) !== 'restart') {
      this.switchInPlace(config, decoderConfig);
      return;
    }
    primeMediaStack();
    if (typeof VideoDecoder === 'undefined' || !(await VideoDecoder.isConfigSupported(decoderConfig)).supported) {
      throw new UnsupportedCodecError(`This browser cannot decode ${config.codec} video with WebCodecs.`);
    }
    this.config = config;
    this.canvas.width = config.width;
    this.canvas.height = config.height;
    this.decoderConfig = decoderConfig;
    this.reset();
  }

  /**
   * The next chunk is the new config's keyframe: configure() on the same decoder (a decoder
   * takes a new configuration after the chunks before it; an error still restarts it).
   * @param {import('./renderer.js').TrackConfig} config @param {VideoDecoderConfig} decoderConfig
   */
  switchInPlace(config, decoderConfig) {
    this.config = config;
    this.decoderConfig = decoderConfig;
    /** @type {VideoDecoder} */ (this.decoder).configure(decoderConfig);
    this.switches.switched();
    this.needKeyframe = true;
  }

  /** Starts over at the next keyframe; what is in flight is lost without being a drop (a reconnect, a new config). */
  reset() {
    this.restart(null);
  }

  /**
   * A new decoder from the next keyframe. The frames still in the old decoder or held, and
   * the packets skipped until the keyframe, count as dropped for `cause`.
   * @param {import('./frame-drops.js').DropCause | null} cause
   */
  restart(cause) {
    if (!this.decoderConfig) return;
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    if (cause) this.drops.count(cause, this.held.length + Math.max(0, this.framesSubmitted - this.framesDecoded));
    this.drops.restartAtKeyframe(cause);
    this.held.clear();
    this.inDecoder = [];
    this.decodedAtMs.clear();
    this.needKeyframe = true;
    this.starts++;
    this.switches.pending = false;
    this.joined = false;
    this.joinUntilMs = NaN;
    this.framesSubmitted = this.framesDecoded; // what the old decoder still held is gone
    this.newestDecodedMicros = NaN;
    this.decoder = new VideoDecoder({
      output: (frame) => this.decoded(frame),
      error: (e) => {
        this.decodeErrors++;
        console.warn('tunnelcast: video decode error; restarting at the next keyframe', e);
        queueMicrotask(() => this.restart('decodeError'));
      },
    });
    this.decoder.configure(this.decoderConfig);
  }

  /** @param {import('./renderer.js').MediaPacket} packet */
  push(packet) {
    if (!this.decoder || this.decoder.state !== 'configured') return;
    if (packet.keyframe && !this.switches.keyframeContinues(this.newestPtsMicros, Number(packet.ptsMicros))) this.restart(null);
    else if (packet.keyframe && Number(packet.ptsMicros) - this.newestDecodedMicros > LAG_RESTART_MICROS) {
      this.lagRestarts++;
      this.restart('catchUp');
    }
    if (this.needKeyframe && !packet.keyframe) {
      this.drops.skippedPacket();
      return;
    }
    if (packet.keyframe) this.drops.keyframe();
    this.needKeyframe = false;
    this.newestPtsMicros = Number(packet.ptsMicros);
    this.framesSubmitted++;
    this.inDecoder.push({ timestamp: Number(packet.ptsMicros), submittedMs: performance.now() });
    if (this.inDecoder.length > STAGE_SAMPLES) this.inDecoder.shift();
    this.decoder.decode(new EncodedVideoChunk({ type: packet.keyframe ? 'key' : 'delta', timestamp: Number(packet.ptsMicros),
      duration: packet.durationMicros || undefined, data: packet.payload }));
  }

  /** @param {VideoFrame} frame */
  decoded(frame) {
    const nowMs = performance.now();
    this.framesDecoded++;
    this.newestDecodedMicros = frame.timestamp;
    while (this.inDecoder.length && this.inDecoder[0].timestamp < frame.timestamp) this.inDecoder.shift();
    if (this.inDecoder.length && this.inDecoder[0].timestamp === frame.timestamp) {
      this.decodedAtMs.set(frame.timestamp, nowMs);
      // Bounded when nothing is drawn (a hidden tab): the oldest entry goes first.
      if (this.decodedAtMs.size > STAGE_SAMPLES) this.decodedAtMs.delete(/** @type {number} */ (this.decodedAtMs.keys().next().value));
      this.decodeMs.add(nowMs - /** @type {{ submittedMs: number }} */ (this.inDecoder.shift()).submittedMs);
    }
    this.drops.count('queueFull', this.held.add(frame));
  }

  /**
   * Draws the newest due frame and closes the older due ones (late).
   * @param {number} masterMediaMs @param {number} nowMs @param {number} [masterSpeed]
   */
  tick(masterMediaMs, nowMs, masterSpeed = 1) {
    if (this.held.length === 0) return;
    const due = this.held.newestDue(masterMediaMs, masterSpeed);
    if (due < 0) return;
    if (!this.joined && this.skipJoinBacklog(due, nowMs)) return;
    const { frame, late } = this.held.take(masterMediaMs, masterSpeed);
    // Before the first frame drawn, the older due frames are still the join's backlog.
    this.drops.count(this.joined ? 'late' : 'catchUp', late);
    if (frame) this.draw(frame, nowMs);
  }

  /** @param {VideoFrame} frame @param {number} nowMs */
  draw(frame, nowMs) {
    this.joined = true;
    // Resized only here (a resize clears the canvas): the old layer's frames are drawn until then.
    const { displayWidth: width, displayHeight: height } = frame;
    if (width && height && (width !== this.canvas.width || height !== this.canvas.height)) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.context2d.drawImage(frame, 0, 0, this.canvas.width, this.canvas.height);
    this.shownPtsMicros = frame.timestamp;
    const decodedMs = this.decodedAtMs.get(frame.timestamp);
    if (decodedMs !== undefined) this.heldMs.add(nowMs - decodedMs);
    for (const ts of this.decodedAtMs.keys()) if (ts <= frame.timestamp) this.decodedAtMs.delete(ts);
    frame.close();
    this.listener({ ptsMicros: this.shownPtsMicros, displayPerfMs: nowMs, source: this.canvas,
      width: this.canvas.width, height: this.canvas.height });
  }

  /**
   * Join: closes the due frames while the newest of them is stale (the decoder is still
   * working through the backlog); true when it did.
   * @param {number} due index of the newest due frame @param {number} nowMs
   */
  skipJoinBacklog(due, nowMs) {
    if (Number.isNaN(this.joinUntilMs)) this.joinUntilMs = nowMs + JOIN_SKIP_MAX_MS;
    const pending = this.framesSubmitted - this.framesDecoded;
    const stale = this.newestPtsMicros - this.held.frames[due].timestamp > JOIN_STALE_MICROS && pending > JOIN_PENDING_FRAMES;
    if (!stale || nowMs > this.joinUntilMs) return false;
    const skipped = this.held.dropThrough(due);
    this.framesSkippedAtJoin += skipped;
    this.drops.count('catchUp', skipped);
    return true;
  }

  figures() {
    const newestHeld = this.held.length ? this.held.newestMicros : this.shownPtsMicros;
    return {
      bufferMs: Number.isFinite(newestHeld - this.shownPtsMicros) ? Math.max(0, (newestHeld - this.shownPtsMicros) / 1000) : 0,
      framesDecoded: this.framesDecoded,
      framesDropped: this.drops.total,
      framesDroppedBy: this.drops.figures(),
      decodeErrors: this.decodeErrors,
      playbackRate: 1,
      leadMs: 0,
      waitingForKeyframe: this.needKeyframe,
      resyncs: this.decodeErrors + this.lagRestarts,
      recoveries: this.decodeErrors,
      quotaErrors: 0,
      streamingPauses: 0,
      noPictureNote: '',
      layerSwitches: this.switches.count,
      starts: this.starts,
    };
  }

  /** Medians over the recent frames shown: in the decoder, and decoded but waiting for the master (ms). */
  stages() {
    return { decodeMs: this.decodeMs.percentile(0.5), heldMs: this.heldMs.percentile(0.5) };
  }

  destroy() {
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.held.clear();
  }
}
