// @ts-check
/**
 * Video through Media Source Extensions: an init segment from the TrackConfig, then one
 * fMP4 fragment per packet, appended in order (append-queue.js: keeps the buffer behind
 * the playhead short, recovers from QuotaExceededError at the next keyframe). A decode
 * error starts over with a new MediaSource from the next keyframe. A new config of the track
 * playing (a simulcast layer switch) appends its init segment on the same SourceBuffer, and the
 * fragments go on on the same timeline (layer-switch.js). A join seeks straight
 * to the master clock (the live edge) through the GOP backlog; after that video is held on
 * the master clock by playbackRate nudges and, past SEEK_ABOVE_MS, a seek.
 *
 * Managed (Apple's ManagedMediaSource, the only MSE of Safari on iPhone): the same fragments
 * into the same queue, with remote playback (AirPlay) disabled, which a ManagedMediaSource
 * requires unless it is given an alternative source. Its `endstreaming` event asks the page to
 * stop appending while enough is buffered, to save power; a live stream's data cannot be
 * fetched later, and the buffer ahead is a frame or two here, so the player appends on and only
 * counts what the engine asked (`streamingPauses`).
 */
import { initSegment, fragment } from './fmp4.js';
import { UnsupportedCodecError, catchUpRate, SEEK_ABOVE_MS } from './renderer.js';
import { AppendQueue } from './append-queue.js';
import { StallWatchdog } from './stall-watchdog.js';
import { NoPictureWatch } from './no-picture-watch.js';
import { FrameDrops, RunningTotal, framesIn, totalDrops } from './frame-drops.js';
import { label } from './video-path.js';
import { sourceCanPlay } from './playable.js';
import { LayerSwitches, switchPlan } from './layer-switch.js';

/** @typedef {import('./renderer.js').VideoRenderer} VideoRenderer */
/** @typedef {import('./renderer.js').ShownFrame} ShownFrame */

/**
 * Without audio, how far behind the newest frame to play: three frames. Closer, a frame that
 * arrives a little late (arrival jitter) is already behind the playhead and dropped.
 */
const VIDEO_ONLY_TARGET_MS = 100;
/**
 * Each frame is declared this many frame durations long. Live sources' timestamps are
 * irregular (a late or dropped frame); MSE treats a jump over 2 frame durations as a
 * discontinuity and drops everything up to the next keyframe, and a gap between frames
 * stalls playback. Longer declared durations make frames overlap (the next frame simply
 * replaces the last one on screen), so neither happens.
 */
const DURATION_STRETCH = 4;
/**
 * Closer than this to the newest frame, video does not play faster than real time (it would
 * run out of frames and stutter). 50 ms held video 10-15 ms behind its audio whenever the
 * lip-sync floor set the audio's delay: that floor leaves video only ~35 ms ahead at arrival.
 */
const EDGE_MARGIN_S = 0.02;
/** How long a (re)start counts as a join, when video that trails the master seeks to it. */
const JOIN_MS = 2500;
/** During a join, video trailing the master by more than this seeks (less: caught up by rate). */
const JOIN_SEEK_ABOVE_S = 0.1;
/** During a join, seeks at most this often (each decodes the GOP from its keyframe). */
const JOIN_SEEK_EVERY_MS = 300;
/** At a join without audio playing yet, how long video waits for it. */
const JOIN_WAIT_MS = 500;
/** Playhead still and no frame presented this long, with video received ahead: the pipeline stalled. */
const STALL_MS = 2000;
/**
 * The rate nudge steers the lip-sync error as shown, each frame's pts minus the master at its
 * display time: currentTime - master, corrected by how far the frames shown sat from it
 * (smoothed over ~10 frames). Chromium does not show the last frame at or before currentTime,
 * and the gap varies with the rate and the display's pace: in traces, 0-33 ms.
 */
const SHOWN_BIAS_ALPHA = 0.1;
/** The playbackRate bounds. */
const MIN_RATE = 0.25;
const MAX_RATE = 2;

/** @implements {VideoRenderer} */
export class MseRenderer {
  /** @param {{ managed?: boolean }} [options]  managed: through ManagedMediaSource */
  constructor(options = {}) {
    this.managed = options.managed ?? false;
    /** endstreaming events (ManagedMediaSource) */
    this.streamingPauses = 0;
    this.video = document.createElement('video');
    if (this.managed) this.video.disableRemotePlayback = true;
    this.video.muted = true; // sound comes from WebAudio; a muted video may autoplay
    this.video.playsInline = true;
    this.video.className = 'tc-video';
    this.element = this.video;
    /** @type {import('./renderer.js').TrackConfig | null} */
    this.config = null;
    /** @type {MediaSource | null} */
    this.mediaSource = null;
    /** @type {AppendQueue | null} */
    this.appends = null;
    /** @type {[Uint8Array, boolean][]} fragments that came before the MediaSource opened */
    this.early = [];
    this.needKeyframe = true;
    this.baseMicros = NaN;
    this.sequence = 0;
    /** the newest video received (the buffered end that counts; the video buffer figure) */
    this.newestPtsMicros = NaN;
    this.decodeErrors = 0;
    this.switches = new LayerSwitches();
    /** fresh MediaSources: the first, and each start over */
    this.starts = 0;
    /** quota errors of MediaSources already replaced */
    this.quotaErrorsBefore = 0;
    /**
     * Frames never shown, by cause. The browser's own drops (getVideoPlaybackQuality) come in
     * as `late` at each figures(); the rest the renderer counts where it discards frames.
     */
    this.drops = new FrameDrops();
    /** fragments lost to quota errors in MediaSources already replaced */
    this.quotaDropsBefore = 0;
    /** the browser's dropped frames, summed across loads */
    this.browserDrops = new RunningTotal();
    this.started = false;
    this.lastSeekMs = -Infinity;
    this.seeks = 0;
    this.stalls = 0;
    /** frames presented (requestVideoFrameCallback), for the stall watchdog */
    this.framesPresented = 0;
    /** the pts of the frame on screen (NaN: none yet) */
    this.shownPtsMicros = NaN;
    this.watchdog = new StallWatchdog(STALL_MS);
    /** fragments appended and the playhead moving, yet no frame ever shown: said, not restarted over */
    this.noPicture = new NoPictureWatch();
    /** performance.now() of the first tick with video buffered after a (re)start */
    this.joinTickMs = NaN;
    this.frameMicros = 33_333;
    /** @type {number[]} timeline seconds of recent keyframes, for cheap seeks */
    this.keyframeTimes = [];
    /** the master at the last tick, to place shown frames against it */
    this.master = { mediaMs: NaN, perfMs: NaN, speed: 1 };
    /** shown frame minus currentTime, both against the master, smoothed, ms (NaN: none yet) */
    this.shownBiasMs = NaN;
    /** @type {(frame: ShownFrame) => void} */
    this.listener = () => {};
    this.video.addEventListener('error', () => this.recoverFromError(this.video.error));
    this.watchFrames();
  }

  /** @param {(frame: ShownFrame) => void} listener */
  onFrameShown(listener) {
    this.listener = listener;
  }

  watchFrames() {
    this.video.requestVideoFrameCallback((now, meta) => {
      this.framesPresented++;
      this.shownPtsMicros = meta.mediaTime * 1e6 + this.baseMicros;
      if (Number.isFinite(this.baseMicros)) {
        this.noteShownBias(meta.mediaTime * 1000 + this.baseMicros / 1000, meta.expectedDisplayTime, now);
        this.listener({ ptsMicros: this.shownPtsMicros, displayPerfMs: meta.expectedDisplayTime,
          source: this.video, width: meta.width, height: meta.height });
      }
      this.watchFrames();
    });
  }

  /**
   * Where a shown frame sat against the master, compared with currentTime's place then.
   * @param {number} ptsMs  the frame shown @param {number} displayPerfMs  when
   * @param {number} nowMs  when currentTime is read
   */
  noteShownBias(ptsMs, displayPerfMs, nowMs) {
    const { mediaMs, perfMs, speed } = this.master;
    if (!Number.isFinite(mediaMs) || this.video.seeking || this.video.paused) return;
    const shownMs = ptsMs - (mediaMs + (displayPerfMs - perfMs) * speed);
    const currentMs = this.video.currentTime * 1000 + this.baseMicros / 1000 - (mediaMs + (nowMs - perfMs) * speed);
    const bias = shownMs - currentMs;
    this.shownBiasMs = Number.isNaN(this.shownBiasMs) ? bias : this.shownBiasMs + (bias - this.shownBiasMs) * SHOWN_BIAS_ALPHA;
  }

  /** @param {import('./renderer.js').TrackConfig} config */
  async configure(config) {
    if (!sourceCanPlay(config.codec, this.managed)) {
      this.config = null; // the packets that follow are that codec's: none is appended as the previous one's
      throw new UnsupportedCodecError(`This browser cannot play ${config.codec} video through ${label(this.managed ? 'mms' : 'mse')}.`);
    }
    const appends = this.appends;
    const plan = appends ? switchPlan(this.config, config, { changeType: appends.canChangeType }) : 'restart';
    this.config = config;
    if (plan === 'restart' || !appends) {
      this.reset();
      return;
    }
    // The next packet is the new config's keyframe; its fragments go on from the newest one.
    this.switches.switched();
    this.needKeyframe = true;
    appends.pushSwitch(initSegment(config), plan === 'changeType' ? `video/mp4; codecs="${config.codec}"` : null);
  }

  /** @returns {typeof MediaSource | undefined} the engine's MediaSource, or ManagedMediaSource when managed */
  sourceClass() {
    return Reflect.get(globalThis, this.managed ? 'ManagedMediaSource' : 'MediaSource');
  }

  /** A fresh MediaSource after a reconnect or a new track config: nothing dropped by the player. */
  reset() {
    this.restart(null);
  }

  /**
   * A fresh MediaSource from the next keyframe. For a `cause` (decode error, stall), the
   * frames received but not shown yet and the packets skipped until the keyframe are dropped.
   * @param {import('./frame-drops.js').DropCause | null} cause
   */
  restart(cause) {
    if (!this.config) return;
    const config = this.config;
    this.browserDropped(); // a new load may start the browser's counts afresh
    if (cause) this.drops.count(cause, this.framesNotShown());
    this.drops.restartAtKeyframe(cause);
    this.quotaErrorsBefore += this.appends?.quotaErrors ?? 0;
    this.quotaDropsBefore += this.appends?.droppedFragments ?? 0;
    this.appends = null;
    this.early = [];
    this.starts++;
    this.switches.pending = false;
    this.needKeyframe = true;
    this.baseMicros = NaN;
    this.sequence = 0;
    this.started = false;
    this.joinTickMs = NaN;
    this.keyframeTimes = [];
    this.shownBiasMs = NaN;
    this.watchdog.reset(performance.now());
    const Source = /** @type {typeof MediaSource} */ (this.sourceClass());
    const mediaSource = new Source();
    this.mediaSource = mediaSource;
    if (this.managed) mediaSource.addEventListener('endstreaming', () => this.streamingPauses++);
    if (this.video.src) URL.revokeObjectURL(this.video.src);
    this.video.src = URL.createObjectURL(mediaSource);
    mediaSource.addEventListener('sourceopen', () => {
      if (mediaSource !== this.mediaSource) return;
      const sb = mediaSource.addSourceBuffer(`video/mp4; codecs="${config.codec}"`);
      sb.mode = 'segments';
      const appends = new AppendQueue(sb, {
        playheadS: () => this.video.currentTime,
        canAppend: () => mediaSource.readyState === 'open',
        onError: (e) => this.recoverFromError(e),
      });
      sb.addEventListener('updateend', () => {
        appends.pump();
        this.startIfReady();
      });
      this.appends = appends;
      appends.pushInit(initSegment(config));
      for (const [bytes, keyframe] of this.early) appends.push(bytes, keyframe);
      this.early = [];
    }, { once: true });
  }

  /** @param {import('./renderer.js').MediaPacket} packet */
  push(packet) {
    if (!this.config) return;
    if (packet.keyframe && !this.switches.keyframeContinues(this.newestPtsMicros, Number(packet.ptsMicros))) this.restart(null);
    if (this.needKeyframe && !packet.keyframe) {
      this.drops.skippedPacket();
      return;
    }
    if (packet.keyframe) this.drops.keyframe();
    this.needKeyframe = false;
    const pts = Number(packet.ptsMicros);
    if (!Number.isFinite(this.baseMicros)) this.baseMicros = pts;
    const nominal = packet.durationMicros || Math.round(1e6 / (this.config.frameRate || 30));
    this.frameMicros = nominal;
    this.newestPtsMicros = pts;
    if (packet.keyframe) {
      this.keyframeTimes.push((pts - this.baseMicros) / 1e6);
      if (this.keyframeTimes.length > 10) this.keyframeTimes.shift();
    }
    const bytes = fragment(this.config.trackId, {
      sequence: ++this.sequence, decodeTimeMicros: pts - this.baseMicros, durationMicros: nominal * DURATION_STRETCH,
      keyframe: packet.keyframe, data: packet.payload,
    });
    // Before the MediaSource opens, fragments wait; after, the queue takes them.
    if (this.appends) this.appends.push(bytes, packet.keyframe);
    else this.early.push([bytes, packet.keyframe]);
  }

  startIfReady() {
    if (this.started || !this.appends?.appended) return;
    this.video.addEventListener('loadeddata', () => {
      void this.video.play().catch((e) => console.warn('tunnelcast: video.play()', e));
    }, { once: true });
    this.started = true;
  }

  /** A decode or append error: a new MediaSource, from the next keyframe. @param {unknown} error */
  recoverFromError(error) {
    this.decodeErrors++;
    console.warn('tunnelcast: video decode error; restarting at the next keyframe', error);
    this.restart('decodeError');
  }

  /** @param {number} masterMediaMs @param {number} nowMs @param {number} [masterSpeed] */
  tick(masterMediaMs, nowMs, masterSpeed = 1) {
    const v = this.video;
    const m = this.master;
    m.mediaMs = masterMediaMs;
    m.perfMs = nowMs;
    m.speed = masterSpeed;
    this.noPicture.observe(nowMs, { appended: this.appends?.appended ?? 0, playheadS: v.currentTime, framesPresented: this.framesPresented });
    if (!Number.isFinite(this.baseMicros) || v.buffered.length === 0) return;
    // The buffered end runs past the newest frame by the stretched duration: use the frame.
    const end = Math.min(v.buffered.end(v.buffered.length - 1), (this.newestPtsMicros - this.baseMicros) / 1e6);
    if (this.stalled(nowMs) || v.readyState < 1) return;
    const start = v.buffered.start(0);
    // Half a frame ahead of the master: where currentTime would centre what is seen on what is
    // heard if the element showed the newest frame at or before it. Chromium shows frames from
    // about half a frame before their time instead (traces: ~17 ms), which the rate nudge
    // corrects by steering on what is shown; this place still aims the join's seeks.
    const master = Number.isFinite(masterMediaMs)
      ? (masterMediaMs * 1000 - this.baseMicros + this.frameMicros / 2) / 1e6
      : end - VIDEO_ONLY_TARGET_MS / 1000;
    if (Number.isNaN(this.joinTickMs)) this.joinTickMs = nowMs;
    const sinceJoinMs = nowMs - this.joinTickMs;
    if (sinceJoinMs < JOIN_MS) {
      // Join: the relay sent the current GOP at once. Seek straight to the master clock (the
      // live edge) once the backlog is appended that far: the decoder decodes the GOP from its
      // keyframe without showing it. The master itself settles during the join (the audio
      // drops its own backlog once it plays), so the join seeks again while video trails it;
      // else the rest of the GOP is caught up on by rate, a second or two of video far behind
      // its audio. Without audio (or until it plays), video waits JOIN_WAIT_MS, then plays
      // VIDEO_ONLY_TARGET_MS behind its newest frame.
      const audioPlays = Number.isFinite(masterMediaMs);
      if (!audioPlays && sinceJoinMs < JOIN_WAIT_MS) return;
      const to = Math.min(end, Math.max(start, master));
      const trailing = to - this.pictureS() > JOIN_SEEK_ABOVE_S && (end >= master || !audioPlays);
      if (trailing && !v.seeking && nowMs - this.lastSeekMs > JOIN_SEEK_EVERY_MS) this.seek(to, nowMs);
      if (v.seeking) return;
    }
    if (v.readyState < 2) return;
    // Nothing shown yet, nothing to steer (WebKitGTK without compositing never shows an MSE frame).
    // There each rate change or seek is a GStreamer event sent from the page's main thread, and one
    // deadlocked the web process against its video sink, whose thread waits for the main thread to draw.
    if (!Number.isFinite(this.shownPtsMicros)) return;
    const leadMs = (v.currentTime - master) * 1000;
    // Seeks cost a decoder flush and a decode from the previous keyframe: after the join,
    // only forward onto a keyframe that the master has passed, at most once a second.
    // Everything else is a rate nudge.
    if (leadMs < -SEEK_ABOVE_MS && master <= end && nowMs - this.lastSeekMs > 1000) {
      const keyframe = this.keyframeTimes.filter((t) => t > this.pictureS() && t <= master).pop();
      if (keyframe !== undefined) {
        this.seek(keyframe, nowMs);
        return;
      }
    }
    // Steered on what is seen: currentTime against the master, corrected by where shown frames sat.
    const seenLeadMs = Number.isFinite(masterMediaMs) && Number.isFinite(this.shownBiasMs)
      ? v.currentTime * 1000 + this.baseMicros / 1000 - masterMediaMs + this.shownBiasMs
      : leadMs;
    // At the master's measured speed (audio works off a surplus up to 10 % fast; a starved output
    // device plays slow), nudged onto it.
    let rate = masterSpeed * catchUpRate(seenLeadMs);
    // Within what browsers accept (Chromium throws outside 1/16-16, and that would end the tick
    // loop) and what still looks like video: a measured speed may be anything for a moment.
    rate = Math.min(MAX_RATE, Math.max(MIN_RATE, rate));
    // Never hurry into the buffer's end: that stalls the decoder and stutters.
    if (end - v.currentTime < EDGE_MARGIN_S) rate = Math.min(rate, 1);
    if (Math.abs(v.playbackRate - rate) > 0.005) v.playbackRate = rate;
  }

  /**
   * Where the picture is on the timeline, s: the later of currentTime and the frame on screen.
   * Around a join's seeks Chromium has shown a frame up to ~270 ms past currentTime; a seek to
   * a place before that frame shows frames already seen again (the picture steps back).
   */
  pictureS() {
    const shownS = (this.shownPtsMicros - this.baseMicros) / 1e6;
    return Number.isFinite(shownS) ? Math.max(this.video.currentTime, shownS) : this.video.currentTime;
  }

  /** @param {number} toS @param {number} nowMs */
  seek(toS, nowMs) {
    // The frames jumped over are never shown: the join's backlog, or video far behind its audio.
    this.drops.count('catchUp', framesIn((toS - this.video.currentTime) * 1e6, this.frameMicros));
    this.lastSeekMs = nowMs;
    this.seeks++;
    this.video.currentTime = toS;
    this.video.playbackRate = 1;
  }

  /**
   * Watchdog: video received ahead, but the playhead stuck and no frame presented for a while
   * (the media pipeline stalled, whatever `buffered` says) → start over with a new MediaSource
   * at the next keyframe. True when it did.
   * @param {number} nowMs
   */
  stalled(nowMs) {
    const v = this.video;
    const receivedAheadS = (this.newestPtsMicros - this.baseMicros) / 1e6 - v.currentTime;
    const visible = document.visibilityState === 'visible';
    if (!this.watchdog.note(nowMs, { playheadS: v.currentTime, framesPresented: this.framesPresented, receivedAheadS, visible })) return false;
    this.stalls++;
    console.warn(`tunnelcast: playhead stuck at ${v.currentTime.toFixed(2)} s for ${Math.round(this.watchdog.firedAfterMs)} ms with ${receivedAheadS.toFixed(1)} s received; restarting at the next keyframe (the next restart waits ${this.watchdog.stallMs} ms)`);
    this.restart('stall');
    return true;
  }

  /** Frames received but not shown yet (estimated from the frame duration): what a restart discards. */
  framesNotShown() {
    return framesIn(this.newestPtsMicros - this.baseMicros - this.video.currentTime * 1e6, this.frameMicros);
  }

  /** The browser's dropped frames since this renderer began, across MediaSources: counted as `late`. */
  browserDropped() {
    return this.browserDrops.add(this.video.getVideoPlaybackQuality().droppedVideoFrames);
  }

  get quotaErrors() {
    return this.quotaErrorsBefore + (this.appends?.quotaErrors ?? 0);
  }

  figures() {
    const v = this.video;
    const q = v.getVideoPlaybackQuality();
    const newest = Number.isFinite(this.newestPtsMicros) ? (this.newestPtsMicros - this.baseMicros) / 1e6 : v.currentTime;
    return {
      bufferMs: Math.max(0, (newest - v.currentTime) * 1000),
      framesDecoded: q.totalVideoFrames,
      ...this.droppedFigures(),
      decodeErrors: this.decodeErrors,
      playbackRate: v.playbackRate,
      leadMs: this.frameMicros / 2000,
      waitingForKeyframe: this.needKeyframe || (this.appends?.waitingForKeyframe ?? false),
      resyncs: this.quotaErrors + this.decodeErrors + this.seeks + this.stalls,
      recoveries: this.quotaErrors + this.decodeErrors + this.stalls,
      quotaErrors: this.quotaErrors,
      streamingPauses: this.streamingPauses,
      noPictureNote: this.noPicture.note,
      layerSwitches: this.switches.count,
      starts: this.starts,
    };
  }

  /** @returns {{ framesDropped: number, framesDroppedBy: import('./frame-drops.js').FramesDroppedBy }} */
  droppedFigures() {
    const by = this.drops.figures();
    by.late += this.browserDropped();
    by.queueFull += this.quotaDropsBefore + (this.appends?.droppedFragments ?? 0);
    return { framesDropped: totalDrops(by), framesDroppedBy: by };
  }

  destroy() {
    this.mediaSource = null;
    this.video.removeAttribute('src');
    this.video.load();
  }
}
