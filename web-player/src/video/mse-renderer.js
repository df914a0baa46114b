// @ts-check
/**
 * Video through Media Source Extensions: an init segment from the TrackConfig, then one
 * fMP4 fragment per packet, appended in order. Keeps the buffer behind the playhead short,
 * recovers from QuotaExceededError (trim, then skip to the next keyframe) and from decode
 * errors (a new MediaSource, from the next keyframe). Held on the master clock by
 * playbackRate nudges and, past SEEK_ABOVE_MS, a seek.
 */
import { initSegment, fragment, isSupportedSampleEntry } from './fmp4.js';
import { UnsupportedCodecError, catchUpRate, SEEK_ABOVE_MS } from './renderer.js';

/** @typedef {import('./renderer.js').VideoRenderer} VideoRenderer */
/** @typedef {import('./renderer.js').ShownFrame} ShownFrame */

const KEEP_BEHIND_S = 2;
/** Without audio, how far behind the newest frame to play (one frame and a little slack). */
const VIDEO_ONLY_TARGET_MS = 50;
/**
 * Each frame is declared this many frame durations long. Live sources' timestamps are
 * irregular (a late or dropped frame); MSE treats a jump over 2 frame durations as a
 * discontinuity and drops everything up to the next keyframe, and a gap between frames
 * stalls playback. Longer declared durations make frames overlap (the next frame simply
 * replaces the last one on screen), so neither happens.
 */
const DURATION_STRETCH = 4;
/** Closer than this to the buffered end, video does not play faster than real time. */
const EDGE_MARGIN_S = 0.05;
/** No frame shown for this long while video is buffered: the pipeline stalled. */
const STALL_MS = 2000;

/** @implements {VideoRenderer} */
export class MseRenderer {
  constructor() {
    this.video = document.createElement('video');
    this.video.muted = true; // sound comes from WebAudio; a muted video may autoplay
    this.video.playsInline = true;
    this.video.className = 'tc-video';
    this.element = this.video;
    /** @type {import('./renderer.js').TrackConfig | null} */
    this.config = null;
    /** @type {MediaSource | null} */
    this.mediaSource = null;
    /** @type {SourceBuffer | null} */
    this.sourceBuffer = null;
    /** @type {Uint8Array[]} */
    this.queue = [];
    this.needKeyframe = true;
    this.baseMicros = NaN;
    this.sequence = 0;
    /** the newest video received (for the A/V sync delay) */
    this.newestPtsMicros = NaN;
    this.decodeErrors = 0;
    this.quotaErrors = 0;
    this.started = false;
    this.lastSeekMs = -Infinity;
    this.seeks = 0;
    this.stalls = 0;
    /** performance.now() of the last frame shown, or of the (re)start */
    this.lastFrameShownMs = -Infinity;
    this.seekedAtStart = false;
    /** @type {number[]} timeline seconds of recent keyframes, for cheap seeks */
    this.keyframeTimes = [];
    /** @type {(frame: ShownFrame) => void} */
    this.listener = () => {};
    this.video.addEventListener('error', () => this.recoverFromError());
    this.watchFrames();
  }

  /** @param {(frame: ShownFrame) => void} listener */
  onFrameShown(listener) {
    this.listener = listener;
  }

  watchFrames() {
    this.video.requestVideoFrameCallback((now, meta) => {
      this.lastFrameShownMs = now;
      if (Number.isFinite(this.baseMicros)) {
        this.listener({ ptsMicros: meta.mediaTime * 1e6 + this.baseMicros, displayPerfMs: meta.expectedDisplayTime,
          source: this.video, width: meta.width, height: meta.height });
      }
      this.watchFrames();
    });
  }

  /** @param {import('./renderer.js').TrackConfig} config */
  async configure(config) {
    const type = `video/mp4; codecs="${config.codec}"`;
    if (!isSupportedSampleEntry(config.codec) || typeof MediaSource === 'undefined' || !MediaSource.isTypeSupported(type)) {
      throw new UnsupportedCodecError(`This browser cannot play ${config.codec} video through MSE.`);
    }
    this.config = config;
    this.reset();
  }

  /** A fresh MediaSource: after a reconnect, a new track config or a decode error. */
  reset() {
    if (!this.config) return;
    const config = this.config;
    this.queue = [];
    this.needKeyframe = true;
    this.baseMicros = NaN;
    this.sequence = 0;
    this.started = false;
    this.seekedAtStart = false;
    this.keyframeTimes = [];
    this.lastFrameShownMs = performance.now();
    this.sourceBuffer = null;
    const mediaSource = new MediaSource();
    this.mediaSource = mediaSource;
    if (this.video.src) URL.revokeObjectURL(this.video.src);
    this.video.src = URL.createObjectURL(mediaSource);
    mediaSource.addEventListener('sourceopen', () => {
      if (mediaSource !== this.mediaSource) return;
      const sb = mediaSource.addSourceBuffer(`video/mp4; codecs="${config.codec}"`);
      sb.mode = 'segments';
      sb.addEventListener('updateend', () => this.appendNext());
      this.sourceBuffer = sb;
      this.queue.unshift(initSegment({ trackId: config.trackId, codec: config.codec, decoderConfig: config.decoderConfig,
        width: config.width, height: config.height }));
      this.appendNext();
    }, { once: true });
  }

  /** @param {import('./renderer.js').MediaPacket} packet */
  push(packet) {
    if (!this.config) return;
    if (this.needKeyframe && !packet.keyframe) return;
    this.needKeyframe = false;
    const pts = Number(packet.ptsMicros);
    if (!Number.isFinite(this.baseMicros)) this.baseMicros = pts;
    const nominal = packet.durationMicros || Math.round(1e6 / (this.config.frameRate || 30));
    this.newestPtsMicros = pts;
    if (packet.keyframe) {
      this.keyframeTimes.push((pts - this.baseMicros) / 1e6);
      if (this.keyframeTimes.length > 10) this.keyframeTimes.shift();
    }
    this.queue.push(fragment(this.config.trackId, {
      sequence: ++this.sequence, decodeTimeMicros: pts - this.baseMicros, durationMicros: nominal * DURATION_STRETCH,
      keyframe: packet.keyframe, data: packet.payload,
    }));
    this.appendNext();
  }

  appendNext() {
    const sb = this.sourceBuffer;
    if (!sb || sb.updating || this.queue.length === 0 || this.mediaSource?.readyState !== 'open') return;
    if (this.trimBehind(sb)) return; // updateend continues
    const next = /** @type {Uint8Array} */ (this.queue.shift());
    try {
      sb.appendBuffer(/** @type {Uint8Array<ArrayBuffer>} */ (next));
    } catch (e) {
      if (e instanceof DOMException && e.name === 'QuotaExceededError') {
        this.quotaErrors++;
        // Trim harder and resume at the next keyframe: the fragments in between depend on this one.
        this.queue = [];
        this.needKeyframe = true;
        const end = this.video.currentTime - 0.1;
        if (end > 0 && !sb.updating) sb.remove(0, end);
      } else {
        this.recoverFromError();
      }
      return;
    }
    this.startIfReady();
  }

  /** Removes what is more than KEEP_BEHIND_S behind the playhead; true when a removal started. @param {SourceBuffer} sb */
  trimBehind(sb) {
    if (sb.buffered.length === 0) return false;
    const start = sb.buffered.start(0);
    const upTo = this.video.currentTime - KEEP_BEHIND_S;
    if (upTo - start < 1) return false;
    sb.remove(start, upTo);
    return true;
  }

  startIfReady() {
    if (this.started) return;
    this.video.addEventListener('loadeddata', () => {
      void this.video.play().catch((e) => console.warn('tunnelcast: video.play()', e));
    }, { once: true });
    this.started = true;
  }

  recoverFromError() {
    this.decodeErrors++;
    console.warn('tunnelcast: video decode error; restarting at the next keyframe', this.video.error);
    this.reset();
  }

  /** @param {number} masterMediaMs @param {number} nowMs */
  tick(masterMediaMs, nowMs) {
    const v = this.video;
    if (!Number.isFinite(this.baseMicros) || v.buffered.length === 0) return;
    // The buffered end runs past the newest frame by the stretched duration: use the frame.
    const end = Math.min(v.buffered.end(v.buffered.length - 1), (this.newestPtsMicros - this.baseMicros) / 1e6);
    if (this.stalled(nowMs, end - v.currentTime) || v.readyState < 2) return;
    const start = v.buffered.start(0);
    const master = Number.isFinite(masterMediaMs)
      ? (masterMediaMs * 1000 - this.baseMicros) / 1e6
      : end - VIDEO_ONLY_TARGET_MS / 1000;
    const leadMs = (v.currentTime - master) * 1000;
    // Seeks cost a decoder flush and a decode from the previous keyframe: one seek to the
    // master at start (out of the GOP backlog), later only forward onto a keyframe that the
    // master has passed, at most once a second. Everything else is a rate nudge.
    if (leadMs < -SEEK_ABOVE_MS && master <= end && nowMs - this.lastSeekMs > 1000) {
      const keyframe = this.keyframeTimes.filter((t) => t > v.currentTime && t <= master).pop();
      const to = !this.seekedAtStart && v.currentTime > start ? Math.max(start, master) : keyframe;
      if (to !== undefined) {
        this.seekedAtStart = true;
        this.lastSeekMs = nowMs;
        this.seeks++;
        v.currentTime = to;
        v.playbackRate = 1;
        return;
      }
    }
    let rate = catchUpRate(leadMs);
    // Never hurry into the buffer's end: that stalls the decoder and stutters.
    if (end - v.currentTime < EDGE_MARGIN_S) rate = Math.min(rate, 1);
    if (Math.abs(v.playbackRate - rate) > 0.005) v.playbackRate = rate;
  }

  /**
   * Watchdog: frames buffered but none shown for a while (the media pipeline stalled)
   * → start over with a new MediaSource at the next keyframe. True when it did.
   * @param {number} nowMs @param {number} aheadS video buffered past the playhead
   */
  stalled(nowMs, aheadS) {
    if (nowMs - this.lastFrameShownMs < STALL_MS || aheadS < 0.5) return false;
    this.stalls++;
    console.warn(`tunnelcast: no video frame for ${STALL_MS} ms with ${aheadS.toFixed(1)} s buffered; restarting at the next keyframe`);
    this.reset();
    return true;
  }

  figures() {
    const v = this.video;
    const q = v.getVideoPlaybackQuality();
    const newest = Number.isFinite(this.newestPtsMicros) ? (this.newestPtsMicros - this.baseMicros) / 1e6 : v.currentTime;
    return {
      bufferMs: Math.max(0, (newest - v.currentTime) * 1000),
      framesDecoded: q.totalVideoFrames,
      framesDropped: q.droppedVideoFrames,
      decodeErrors: this.decodeErrors,
      playbackRate: v.playbackRate,
      newestPtsMs: this.newestPtsMicros / 1000,
      waitingForKeyframe: this.needKeyframe,
      resyncs: this.quotaErrors + this.decodeErrors + this.seeks + this.stalls,
    };
  }

  destroy() {
    this.mediaSource = null;
    this.video.removeAttribute('src');
    this.video.load();
  }
}
