// @ts-check
/**
 * One player session, wired in one place: the transport worker (WebSocket, clock sync, Opus
 * decoding → the playout worklet) feeds the video path (MSE or WebCodecs) on this page;
 * every animation frame the audio clock (the master) steers the video; every shown frame is
 * measured (metadata and pixel latency, A/V offset) into `stats`. An MSE path that plays but
 * shows no picture is left for WebCodecs once, for good, unless `?video=` pinned it.
 */
import { localNowMicros } from './transport/clock-sync.js';
import { AudioEngine } from './audio/audio-engine.js';
import { SILENCE_DB } from './audio/level-meter.js';
import { MseRenderer } from './video/mse-renderer.js';
import { WebCodecsRenderer } from './video/webcodecs-renderer.js';
import { UnsupportedCodecError } from './video/renderer.js';
import { codecFallbackNote, fallbackFor } from './video/video-path.js';
import { FELL_BACK_NOTE, NO_PICTURE_NOTE } from './video/no-picture-watch.js';
import { PixelProbe } from './stats/pixel-probe.js';
import { stampLatencyMs } from './stats/frame-stamp.js';
import { Recent } from './stats/recent.js';
import { SyncDelay } from './sync/sync-delay.js';
import { ClockRate } from './sync/clock-rate.js';
import { initialStats, percentilesOf } from './stats/player-stats.js';
import { StatusCode, TrackKind } from './gen/tunnelcast/v1/tunnelcast_pb.js';
import { layerLabel, playPath } from './transport/quality.js';

/** @typedef {import('./worker/messages.js').FromWorker} FromWorker */
/** @typedef {import('./worker/messages.js').ToWorker} ToWorker */
/** @typedef {import('./worker/messages.js').VideoPacket} VideoPacket */

/** @typedef {import('./stats/player-stats.js').PlayerStats} PlayerStats */
/** @typedef {import('./transport/close-codes.js').PlayerState} PlayerState */
/** @typedef {import('./transport/wire.js').Envelope} Envelope */
/** @typedef {import('./video/renderer.js').ShownFrame} ShownFrame */

/**
 * @typedef {object} PlayerOptions
 * @property {string} stream
 * @property {string} token
 * @property {import('./video/video-path.js').VideoPath} videoPath
 * @property {string} [videoPathNote]  why the path asked for (`?video=`) was not taken ('' if it was)
 * @property {boolean} [videoPathPinned] `?video=` asked for this path: kept even where it shows no picture
 * @property {number} floorMs          jitter buffer floor
 * @property {number} ceilingMs        jitter buffer ceiling
 * @property {string} wsBase           ws(s)://host
 * @property {string} [quality]      `?quality=`: 'auto' (the relay chooses a simulcast layer) or a layer name, e.g. '360p'
 * @property {string} [start]        `?start=`: with quality 'auto', the layer to start on, e.g. '180p' (the relay moves it on)
 * @property {number} [viewportHeight] the picture's height in device pixels: with quality 'auto' and no start, the relay
 *                                    starts on the lowest layer at least this tall
 * @property {string[]} [relays]       ws(s)://host of each relay to play from, in order (`?relays=`, a cluster's
 *                                     nodes): a lost connection moves to the next; default [wsBase]
 * @property {string} workletUrl
 * @property {string} workerUrl        the transport worker's script
 * @property {'auto'|'wasm'} [audioDecoder]  'wasm' forces the WASM Opus decoder (`?audio=wasm`)
 * @property {number} [maxHeldFrames]  WebCodecs: decoded frames held at most (`?video-held=N`, default 30)
 * @property {number} [corruptVideoPacket]  test only (`?test-corrupt-video=N`): the Nth video packet
 *                                          received gets an invalid NAL length, to exercise error recovery
 * @property {AudioContext} [audioContext]  play through this context (a call page's, shared by its players)
 * @property {number} [recordArrivals] `?record-arrivals=N`: the jitter buffer keeps its last N packet arrivals for
 *                                     audioArrivals() (arrival traces for bench/replay-traces.mjs); default none
 */

const WINDOW = 1800; // recent values behind the percentiles (~60 s of frames)
const CAPTURE_TIMES_KEPT = 600;
/** Video later than this behind its audio is given up on (out of sync) rather than delaying audio more. */
const MAX_SYNC_FLOOR_MS = 400;
/**
 * A video frame whose (arrival − pts) fell by more than this since the previous frame's is
 * catching up on a backlog (the join's GOP, a stall's queue), not arriving live.
 */
const CATCH_UP_MS = 10;
/** Frame stamps and beeps remembered with their times (a call's glass-to-glass and mouth-to-ear). */
const STAMPS_KEPT = 300;
/** Frames behind the stage medians (~10 s). */
const STAGE_SAMPLES = 300;
const BEEPS_KEPT = 50;

export class Player {
  /** @param {PlayerOptions} options */
  constructor(options) {
    this.options = options;
    /** @type {PlayerStats} */
    this.stats = initialStats(options.stream, options.videoPath);
    this.stats.videoPathNote = options.videoPathNote ?? '';
    if (this.stats.videoPathNote) console.warn(`tunnelcast: ${this.stats.videoPathNote}`);
    this.audio = new AudioEngine({ floorMs: options.floorMs, ceilingMs: options.ceilingMs, workletUrl: options.workletUrl,
      context: options.audioContext, recordArrivals: options.recordArrivals });
    this.video = options.videoPath === 'webcodecs'
      ? new WebCodecsRenderer({ maxHeldFrames: options.maxHeldFrames })
      : new MseRenderer({ managed: options.videoPath === 'mms' });
    /** @type {[number, number][]} each new frame stamp shown: [stamp, shownAtMs] (relay clock), oldest first */
    this.stampsShown = [];
    /** @type {number[]} when each recent beep was heard, relay clock ms, oldest first */
    this.beepsHeardAtMs = [];
    /** audio onsets already moved onto the relay clock */
    this.beepsTimed = 0;
    const path = playPath(options.stream, options.token, options.quality ?? 'auto', options.start, options.viewportHeight);
    /** one play URL per relay, tried in order */
    this.urls = (options.relays ?? [options.wsBase]).map((base) => `${base}${path}`);
    this.url = /** @type {string} */ (this.urls[0]);
    /** @type {Worker | null} */
    this.worker = null;
    /** the relay clock as the worker estimates it */
    this.clock = { synced: false, offsetMicros: 0, rttMicros: NaN };
    /** @type {{ ptsMicros: number, captureMicros: number, arrivalPerfMs: number }[]} recent video packets, in order */
    this.captureTimes = [];
    /** per frame shown: capture → arrival (relay clock), and arrival → shown, ms */
    this.captureToArrival = new Recent(STAGE_SAMPLES);
    this.arrivalToShown = new Recent(STAGE_SAMPLES);
    this.probe = new PixelProbe();
    this.latencyMetadata = new Recent(WINDOW);
    this.latencyPixel = new Recent(WINDOW);
    this.avOffset = new Recent(WINDOW);
    /** how fast the audio heard runs, measured: video follows it */
    this.masterRate = new ClockRate();
    this.syncDelay = new SyncDelay();
    /** [perfMs, total bytes] reported by the worker, for the bitrate */
    /** @type {[number, number][]} */
    this.received = [];
    /** @type {number[]} perf times of recent shown frames, for fps */
    this.shownTimes = [];
    this.videoTrackId = -1;
    /** @type {import('./transport/wire.js').TrackConfig | null} the video track's newest config */
    this.videoConfig = null;
    /**
     * Leaving a path that shows no picture, or cannot play the codec, for WebCodecs: 'no' (not needed so far),
     * 'switching' (its decoder being set up), 'done' (for good), 'refused' (pinned, or WebCodecs cannot decode the codec).
     * @type {'no' | 'switching' | 'done' | 'refused'}
     */
    this.fallback = 'no';
    this.videoPacketsReceived = 0;
    /** (arrival − pts) of the previous video frame, ms */
    this.lastVideoDelayMs = NaN;
    this.corrupted = false;
    this.running = false;
    this.video.onFrameShown((frame) => this.frameShown(frame));
  }

  get element() {
    return this.video.element;
  }

  start() {
    this.running = true;
    const worker = new Worker(this.options.workerUrl, { type: 'module' });
    this.worker = worker;
    worker.onmessage = (/** @type {MessageEvent<FromWorker>} */ e) => this.fromWorker(e.data);
    const preferWasmAudio = this.options.audioDecoder === 'wasm' || typeof AudioDecoder === 'undefined';
    this.toWorker({ type: 'start', urls: this.urls, preferWasmAudio });
    void this.audio.outputPort()
      .then((port) => this.toWorker({ type: 'audioPort', port }, [port]))
      .catch((e) => console.warn('tunnelcast: audio unavailable', e));
    const loop = () => {
      if (!this.running) return;
      requestAnimationFrame(loop); // first: a throw in tick() must not end the loop
      this.tick();
    };
    requestAnimationFrame(loop);
    // rAF stops in hidden tabs; keep the figures alive there too.
    this.timer = setInterval(() => this.updateFigures(performance.now()), 250);
  }

  stop() {
    this.running = false;
    clearInterval(this.timer);
    this.toWorker({ type: 'stop' });
    this.video.destroy();
    this.audio.close();
  }

  /** @param {ToWorker} message @param {Transferable[]} [transfer] */
  toWorker(message, transfer = []) {
    this.worker?.postMessage(message, transfer);
  }

  /** @param {FromWorker} message */
  fromWorker(message) {
    switch (message.type) {
      case 'open':
        this.welcomed();
        break;
      case 'close':
        if (message.verdict.retry) this.stats.reconnects = message.attempt;
        this.setState(message.verdict.state, message.verdict.message);
        break;
      case 'envelope':
        this.receive(message.envelope);
        break;
      case 'video':
        this.media(message.packet);
        break;
      case 'clock':
        this.clock = { synced: true, offsetMicros: message.offsetMicros, rttMicros: message.rttMicros };
        break;
      case 'audio':
        this.stats.audioPacketsDecoded = message.packetsDecoded;
        this.stats.audioDecodeErrors = message.decodeErrors;
        this.stats.audioDecodedLevelDb = Math.max(SILENCE_DB, message.decodedPeakDb);
        this.stats.audioPacketsUndelivered = message.undelivered;
        this.received.push([performance.now(), message.bytes]);
        this.stats.audioCaptureMinusPtsMs = message.audioCaptureMinusPtsMs;
        // Video can still play without audio: say so, and keep the state for the video.
        this.stats.audioUnsupported = message.unsupported;
        this.stats.audioDecoder = message.decoder;
        break;
      default: {
        /** @type {never} */
        const unknown = message;
        throw new Error(`unknown message from the transport worker ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** Click-to-unmute: true when audio runs (else stats.audioStartProblem says why). */
  unmute() {
    return this.audio.resume();
  }

  /** Starts the latency and A/V windows afresh (benchmarks and tests measure from here). */
  /**
   * The audio packets' arrivals as the jitter buffer saw them, oldest first, since the last
   * (re)connection: the last `?record-arrivals=N` of them (null without that option).
   */
  audioArrivals() {
    return this.audio.arrivals();
  }

  resetMeasurements() {
    this.latencyMetadata.clear();
    this.latencyPixel.clear();
    this.avOffset.clear();
    this.captureToArrival.clear();
    this.arrivalToShown.clear();
  }

  /** @param {PlayerState} state @param {string} message */
  setState(state, message) {
    this.stats.state = state;
    this.stats.message = message;
  }

  welcomed() {
    // A (re)connection starts over at a keyframe with fresh buffers.
    this.video.reset();
    this.audio.reset();
    this.syncDelay.reset();
    this.audio.setLimits(this.options.floorMs, this.options.ceilingMs);
    this.captureTimes = [];
    if (this.stats.state !== 'playing') this.setState('connecting', 'Connected; waiting for the stream…');
  }

  /** @param {Envelope} env */
  receive(env) {
    switch (env.kind.case) {
      case 'status':
        this.status(env.kind.value.code, env.kind.value.message);
        break;
      case 'trackConfig':
        void this.trackConfig(env.kind.value);
        break;
      case 'endOfStream':
        this.setState('offline', 'The stream has ended; it is offline.');
        break;
      default:
        break;
    }
  }

  /** @param {StatusCode} code @param {string} message */
  status(code, message) {
    switch (code) {
      case StatusCode.STREAM_ONLINE:
        if (this.stats.state !== 'playing') this.setState('connecting', 'The stream is live; starting…');
        break;
      case StatusCode.STREAM_WAITING:
        // The relay says WAITING only for a name no publisher has announced (a stream that was
        // live says OFFLINE): a mistyped name looks like this too, so say it plainly.
        this.setState('waiting', `No stream named “${this.options.stream}” is live yet. Playback starts when a publisher starts it.`);
        break;
      case StatusCode.STREAM_OFFLINE:
        this.setState('offline', 'The stream is offline. Playback resumes when it is back.');
        break;
      case StatusCode.DROPPED:
        this.stats.relayDrops++;
        break;
      case StatusCode.REFUSED:
        console.warn('tunnelcast: refused by the relay:', message);
        break;
      default:
        break;
    }
  }

  /** @param {import('./transport/wire.js').TrackConfig} config */
  async trackConfig(config) {
    try {
      if (config.kind === TrackKind.VIDEO) {
        this.videoTrackId = config.trackId;
        this.videoConfig = config;
        this.stats.videoCodec = config.codec;
        this.stats.videoLayer = layerLabel(config);
        if (config.layerCount > 1 && (this.options.quality ?? 'auto') === 'auto') {
          this.toWorker({ type: 'startLayer', layer: `${config.height}p` });
        }
        await this.video.configure(config);
      }
    } catch (e) {
      if (!(e instanceof UnsupportedCodecError)) throw e;
      // An automatic path that cannot play the codec (VP8 through MSE): WebCodecs, where it decodes it.
      if (this.fallback === 'switching') return; // the switch under way configures WebCodecs with the newest config
      const pinned = this.options.videoPathPinned ?? false;
      if (this.fallback === 'no' && fallbackFor(this.stats.videoPath, pinned) === 'webcodecs') {
        void this.fallBack(codecFallbackNote(config.codec, this.stats.videoPath), () => this.setState('unsupported', e.message));
      } else {
        this.setState('unsupported', e.message);
      }
    }
  }

  /** @param {VideoPacket} packet */
  media(packet) {
    if (packet.trackId !== this.videoTrackId) return;
    this.captureTimes.push({ ptsMicros: packet.ptsMicros, captureMicros: packet.captureTimeMicros,
      arrivalPerfMs: packet.arrivalEpochMs - performance.timeOrigin });
    this.stats.videoCaptureMinusPtsMs = (packet.captureTimeMicros - packet.ptsMicros) / 1000;
    if (this.captureTimes.length > CAPTURE_TIMES_KEPT) this.captureTimes.shift();
    const corruptAt = this.options.corruptVideoPacket ?? 0;
    if (++this.videoPacketsReceived >= corruptAt && corruptAt > 0 && !this.corrupted && !packet.keyframe && packet.payload.length > 4) {
      this.corrupted = true;
      packet.payload.fill(0xff, 0, 4); // the first NAL claims 4 GB: the demuxer/decoder must reject it
      console.warn(`tunnelcast: test-corrupt-video: corrupted video packet ${this.videoPacketsReceived}`);
    }
    this.video.push(packet);
    this.sampleLipSync(packet);
  }

  /**
   * At each video arrival: how far ahead of the audio heard the frame came (the lip-sync
   * floor's input). Per frame, not per tick: the newest frame at a random moment is up to a
   * frame interval old, which would count as lateness. Arrival is when the worker took it
   * off the socket, not when this thread got to it: a page busy for a moment (the join's
   * appends and decoding) is not the network bringing video late, and held the floor, and
   * the latency, up for seconds after each join. Frames catching up on a backlog (the join's
   * GOP, a stall's queue) say nothing about the steady state and are skipped.
   * @param {VideoPacket} packet
   */
  sampleLipSync(packet) {
    const arrivedMs = packet.arrivalEpochMs - performance.timeOrigin;
    const delayMs = arrivedMs - packet.ptsMicros / 1000;
    const catchingUp = delayMs < this.lastVideoDelayMs - CATCH_UP_MS;
    this.lastVideoDelayMs = delayMs;
    if (catchingUp) return;
    const v = this.video.figures();
    if (v.waitingForKeyframe) return;
    // The video plays leadMs ahead of the audio: that much less of it is ahead.
    this.keepLipSync(packet.ptsMicros / 1000 - v.leadMs - this.audio.heardMediaTimeMs(arrivedMs));
  }

  tick() {
    const now = performance.now();
    const heard = this.audio.heardMediaTimeMs(now);
    this.masterRate.add(now, heard);
    this.video.tick(heard, now, this.masterRate.speed);
  }

  /** The relay clock at a performance.now() moment, ms. @param {number} perfMs */
  relayNowMs(perfMs) {
    return (localNowMicros() + this.clock.offsetMicros) / 1000 + perfMs - performance.now();
  }

  /** @param {ShownFrame} frame */
  frameShown(frame) {
    const clock = this.clock;
    // Only frames of the current connection count (not those left from before a drop).
    if (this.stats.state === 'connecting') this.setState('playing', 'Live');
    this.stats.framesShown++;
    this.shownTimes.push(frame.displayPerfMs);
    // Display time on the relay clock: the frame's display moment on this machine's wall clock, shifted.
    const displayRelayMicros = this.relayNowMs(frame.displayPerfMs) * 1000;
    const packet = this.packetOf(frame.ptsMicros);
    if (clock.synced && packet !== undefined) {
      this.latencyMetadata.add((displayRelayMicros - packet.captureMicros) / 1000);
      this.captureToArrival.add(this.relayNowMs(packet.arrivalPerfMs) - packet.captureMicros / 1000);
      this.arrivalToShown.add(frame.displayPerfMs - packet.arrivalPerfMs);
    }
    const stamp = this.probe.read(frame.source, frame.width);
    if (stamp !== null && clock.synced) {
      this.stats.pixelStampsRead++;
      this.latencyPixel.add(stampLatencyMs(stamp, displayRelayMicros / 1000));
      // A repeated stamp is no new frame (docs/frame-stamp.md): the first showing is the one timed.
      if (stamp !== this.stats.lastPixelStamp) {
        this.stats.lastPixelStamp = stamp;
        this.stats.lastPixelStampShownAtMs = displayRelayMicros / 1000;
        this.stampsShown.push([stamp, displayRelayMicros / 1000]);
        if (this.stampsShown.length > STAMPS_KEPT) this.stampsShown.shift();
      }
    }
    const heard = this.audio.heardMediaTimeMs(frame.displayPerfMs);
    if (Number.isFinite(heard)) this.avOffset.add(frame.ptsMicros / 1000 - heard);
  }

  /**
   * Audio is the master; when video arrives later than its audio, the audio waits for it.
   * @param {number} videoAheadMs  a video frame's arrival: its time minus the audio heard then
   */
  keepLipSync(videoAheadMs) {
    const jb = this.audio.bufferStats();
    if (!jb || !this.syncDelay.update(jb.targetMs, videoAheadMs)) return;
    const { floorMs, ceilingMs } = this.options;
    const syncFloorMs = Math.min(MAX_SYNC_FLOOR_MS, this.syncDelay.floorMs);
    this.audio.setLimits(Math.min(ceilingMs, Math.max(floorMs, syncFloorMs)), ceilingMs);
  }

  /**
   * The capture and arrival times of the video packet with this pts (MSE reports pts at 90 kHz precision).
   * @param {number} ptsMicros
   */
  packetOf(ptsMicros) {
    for (let i = this.captureTimes.length - 1; i >= 0; i--) {
      const entry = this.captureTimes[i];
      if (Math.abs(entry.ptsMicros - ptsMicros) < 500) return entry;
    }
    return undefined;
  }

  /**
   * The path plays but shows no picture (its NoPictureWatch said so), or cannot play the stream's
   * codec: WebCodecs instead, where it decodes the codec and `?video=` did not pin the path; else
   * `refused` says what stays. The MSE pipeline keeps the packets until the decoder is configured,
   * then is torn down; WebCodecs starts at the next keyframe. Audio goes on untouched. Never back.
   * @param {string} switchedNote  what the stats say once switched @param {() => void} refused
   */
  async fallBack(switchedNote, refused) {
    const to = fallbackFor(this.stats.videoPath, this.options.videoPathPinned ?? false);
    if (to !== 'webcodecs' || !this.videoConfig) {
      this.fallback = 'refused';
      refused();
      return;
    }
    this.fallback = 'switching';
    const next = new WebCodecsRenderer({ maxHeldFrames: this.options.maxHeldFrames });
    try {
      // A config that came meanwhile (a layer switch, a reconnect) is the one to take.
      for (let config = null; config !== this.videoConfig;) {
        config = this.videoConfig;
        await next.configure(/** @type {import('./transport/wire.js').TrackConfig} */ (config));
      }
    } catch (e) {
      // UnsupportedCodecError; or a config WebCodecs rejects outright (isConfigSupported's TypeError).
      next.destroy();
      if (!(e instanceof UnsupportedCodecError)) console.warn('tunnelcast: WebCodecs cannot take the video over', e);
      this.fallback = 'refused';
      refused();
      return;
    }
    if (!this.running) {
      next.destroy();
      return;
    }
    const old = this.video;
    this.video = next;
    next.onFrameShown((frame) => this.frameShown(frame));
    old.element.replaceWith(next.element);
    old.destroy();
    this.fallback = 'done';
    this.stats.videoPath = 'webcodecs';
    this.noteVideoPath(switchedNote);
  }

  /** @param {string} note */
  noteVideoPath(note) {
    this.stats.videoPathNote = note;
    console.warn(`tunnelcast: ${note}`);
  }

  /** @param {number} now */
  updateFigures(now) {
    const s = this.stats;
    while (this.received.length > 2 && this.received[1][0] < now - 1000) this.received.shift();
    while (this.shownTimes.length && this.shownTimes[0] < now - 1000) this.shownTimes.shift();
    const [oldest, newest] = [this.received[0], this.received[this.received.length - 1]];
    s.bitrateKbps = oldest && newest[0] > oldest[0] ? ((newest[1] - oldest[1]) * 8) / (newest[0] - oldest[0]) : 0;
    s.fps = this.shownTimes.length;
    s.latencyMetadataMs = percentilesOf(this.latencyMetadata);
    s.latencyPixelMs = percentilesOf(this.latencyPixel);
    s.avOffsetMs = percentilesOf(this.avOffset);
    const inPath = this.video instanceof WebCodecsRenderer ? this.video.stages() : { decodeMs: NaN, heldMs: NaN };
    s.videoStagesMs = { captureToArrival: this.captureToArrival.percentile(0.5), arrivalToShown: this.arrivalToShown.percentile(0.5),
      decode: inPath.decodeMs, held: inPath.heldMs };
    const v = this.video.figures();
    if (v.noPictureNote && this.fallback === 'no') void this.fallBack(FELL_BACK_NOTE, () => this.noteVideoPath(NO_PICTURE_NOTE));
    s.videoBufferMs = v.bufferMs;
    s.videoPlaybackRate = v.playbackRate;
    s.framesDecoded = v.framesDecoded;
    s.framesDropped = v.framesDropped;
    s.framesDroppedBy = v.framesDroppedBy;
    s.videoDecodeErrors = v.decodeErrors;
    s.audioRunning = this.audio.running;
    s.audioStartProblem = this.audio.startProblem;
    s.audioStartFailures = this.audio.startFailures;
    s.audioOutputTimestampTrusted = this.audio.outputTimestampTrusted;
    const jb = this.audio.bufferStats();
    if (jb) {
      s.jitterMs = jb.jitterMs;
      s.jitterBufferTargetMs = jb.targetMs;
      s.jitterBufferDepthMs = jb.depthMs;
      s.audioRate = jb.speed;
      s.audioAcceleratedMs = (jb.acceleratedSamples / 48_000) * 1000;
      s.audioOutputSlipMs = jb.outputSlipMs;
      s.audioUnderruns = jb.underruns;
      s.audioPacketsLate = jb.latePackets;
      s.audioConcealedPercent = jb.renderedSamples ? (100 * jb.concealedSamples) / jb.renderedSamples : 0;
      s.audioPlayedMs = (jb.renderedSamples / 48_000) * 1000;
      s.audioConcealedMs = (jb.concealedSamples / 48_000) * 1000;
      // The clock of the same report: a report can reach this thread late on a busy page.
      s.audioContextTimeMs = (this.audio.report?.contextTime ?? 0) * 1000;
    }
    s.videoResyncs = v.resyncs;
    s.videoRecoveries = v.recoveries;
    s.videoQuotaErrors = v.quotaErrors;
    s.videoStreamingPauses = v.streamingPauses;
    s.videoLayerSwitches = v.layerSwitches;
    s.videoStarts = v.starts;
    s.syncFloorMs = this.syncDelay.floorMs;
    const heard = this.audio.heardMediaTimeMs(now);
    s.audioLatencyMs = this.clock.synced ? this.relayNowMs(now) - (heard + s.audioCaptureMinusPtsMs) : NaN;
    const context = this.audio.context;
    if (context) {
      s.audioOutputLatencyMs = ((context.baseLatency ?? 0) + (context.outputLatency ?? 0)) * 1000;
    }
    s.clockOffsetMs = this.clock.offsetMicros / 1000;
    s.rttMs = this.clock.rttMicros / 1000;
    const level = this.audio.heard;
    s.audioLevelDb = level.peakDb;
    s.audioSpeaking = level.speaking;
    s.audioBeeps = level.beeps;
    if (this.clock.synced) {
      // Onsets heard since the last update, onto the relay clock (the newest are at the list's end).
      const fresh = Math.min(level.beeps - this.beepsTimed, level.beepsHeardPerfMs.length);
      for (const perfMs of level.beepsHeardPerfMs.slice(level.beepsHeardPerfMs.length - fresh)) this.beepsHeardAtMs.push(this.relayNowMs(perfMs));
      this.beepsHeardAtMs.splice(0, Math.max(0, this.beepsHeardAtMs.length - BEEPS_KEPT));
      this.beepsTimed = level.beeps;
    }
    s.updatedAtMs = now;
  }
}
