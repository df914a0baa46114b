// @ts-check
/**
 * One browser publication, wired in one place (it runs in the publish worker): captured
 * frames → WebCodecs encoders → MediaPackets (per-track sequence numbers, pts on one media
 * timeline, capture times on the relay clock through ping/pong) → the bounded send queue →
 * the WebSocket to /ws/publish/{stream}, as the Java agent speaks it: Hello{PUBLISHER},
 * Welcome, a first Pong, the TrackConfigs, media; the relay's KeyframeRequests answered;
 * reconnect with backoff, resuming with the configs and a keyframe; EndOfStream at the end.
 * The uplink's drain rate and queueing delay drive the video bitrate (UplinkBitrate), except
 * with simulcast layers (SimulcastVideoEncoder): then the relay adapts each player instead.
 */
import { RelayConnection } from '../transport/connection.js';
import { envelopeBytes, helloBytes } from '../transport/wire.js';
import { localNowMicros } from '../transport/clock-sync.js';
import { Role, TrackKind } from '../gen/tunnelcast/v1/tunnelcast_pb.js';
import { UplinkQueue } from './uplink-queue.js';
import { UplinkBitrate } from './uplink-bitrate.js';
import { CaptureTimeline } from './capture-timeline.js';
import { CaptureGaps } from './capture-gaps.js';
import { codecName } from './track-format.js';
import { publishedVideoEncoder } from './simulcast-video-encoder.js';
import { AudioTrackEncoder } from './audio-track-encoder.js';
import { CapturedStamps } from './captured-stamps.js';
import { roomUpdateOf } from './room-events.js';
import { LevelMeter } from '../audio/level-meter.js';

/** @typedef {import('./messages.js').PublishSettings} PublishSettings */
/** @typedef {import('./messages.js').PublisherStats} PublisherStats */
/** @typedef {import('./messages.js').PublisherState} PublisherState */
/** @typedef {import('./messages.js').CallPublishing} CallPublishing */
/** @typedef {import('./messages.js').PublisherStateFlags} PublisherStateFlags */
/** @typedef {import('./messages.js').FromPublishWorker} FromPublishWorker */

export const VIDEO_TRACK = 1;
export const AUDIO_TRACK = 2;
const CLIENT_NAME = 'tunnelcast-web-publisher';
const CLIENT_VERSION = '0.1.0';
const PUMP_INTERVAL_MS = 10;
const TICK_INTERVAL_MS = 250;
/** Relay keyframe requests closer together than this are answered once (as the agent). */
const KEYFRAME_REQUEST_MIN_INTERVAL_MS = 300;
/** The envelope and MediaPacket fields around each packet: the rest of the uplink besides Opus (as the agent). */
const FRAMING_BPS = 20_000;
const STOP_FLUSH_TIMEOUT_MS = 2000;
const FIRST_PONG_TIMEOUT_MS = 2000;
/** The longest a track's first packets wait for its capture timeline to settle before they are sent anyway. */
const SETTLE_WAIT_MICROS = 3_000_000;
/**
 * The longest the first packets wait for the TrackConfig of a track the publication started with:
 * a config after media makes the relay's recorder close its segment (track-config-change). Firefox's
 * audio, read through the page's AudioContext, reached the worker 1.3-1.5 s after its first video frame, when
 * video had been sent for 0.15-0.8 s.
 */
const TRACKS_WAIT_MICROS = 3_000_000;
/**
 * Pings measure the backlog the browser hides below bufferedAmount, so they go often; the
 * clock's min-RTT filter keeps as many seconds of them as the player's (16 × 2 s).
 */
const PING_INTERVAL_MS = 250;
const CLOCK_WINDOW = 128;
/** Video waiting for a keyframe asks the encoder for one at most this often. */
const GATE_KEYFRAME_INTERVAL_MS = 300;
/** A call's speaking indicator and stamps go to the page this often. */
const LEVELS_INTERVAL_MS = 100;
/** Frames in the video encoder whose source timeline is remembered (a switched source has its own). */
const TIMELINES_KEPT = 64;

export class Publication {
  /**
   * @param {{ url: string, stream: string, source: 'camera' | 'screen', settings: PublishSettings, call?: CallPublishing | null,
   *   tracks?: ('video' | 'audio')[] }} options
   *   call: the publication is a participant of a room (Hello with display name, room events and instance id; PublisherState);
   *   tracks: the kinds captured at the start: no media is sent before each has announced its TrackConfig (see awaitingTracks)
   * @param {(stats: PublisherStats) => void} report  called every 250 ms
   * @param {(message: FromPublishWorker) => void} [notify]  connection changes, room events, levels and stamps for the page
   */
  constructor(options, report, notify = () => {}) {
    this.options = options;
    this.report = report;
    this.notify = notify;
    this.call = options.call ?? null;
    /** @type {PublisherStateFlags} */
    this.publisherState = this.call ? { ...this.call.state } : { audioMuted: false, videoMuted: false, screenShare: false };
    /** a PublisherState went out on this publication (so an all-false one must go too: the relay keeps the last) */
    this.publisherStateSent = false;
    /** welcomed on the current socket */
    this.welcomedNow = false;
    const settings = options.settings;
    this.queue = new UplinkQueue({ maxBytes: settings.queueBytes, maxAgeMs: settings.queueAgeMs });
    /** @type {UplinkBitrate | null} set when the video's size (and so its default bitrate) is known */
    this.bitrate = null;
    this.epochLocalMicros = localNowMicros();
    this.videoTimeline = new CaptureTimeline(this.epochLocalMicros);
    /** @type {Map<number, CaptureTimeline>} the timeline of each frame in the encoder, by timestamp (sources switch) */
    this.videoTimelines = new Map();
    /** @type {Record<'video' | 'audio', ReadableStreamDefaultReader<VideoFrame | AudioData> | null>} */
    this.sourceReaders = { video: null, audio: null };
    this.stamps = new CapturedStamps();
    /** @type {LevelMeter | null} the captured audio's level, for a call's speaking indicator and the beeps */
    this.levels = null;
    /** @type {Float32Array} */
    this.levelSamples = new Float32Array(0);
    /** @type {Map<string, Uint8Array<ArrayBuffer>>} the latest TrackConfig envelope of each track (and layer), by `track/layer` */
    this.trackConfigs = new Map();
    /** @type {('video' | 'audio')[]} the kinds captured at the start whose TrackConfig the first packets wait for */
    this.startTracks = [...(options.tracks ?? [])];
    /** when a packet was first held for a missing TrackConfig (local µs; NaN: none yet) */
    this.awaitingTracksSinceMicros = NaN;
    /** the first packets no longer wait: every starting track announced, or TRACKS_WAIT_MICROS ran out */
    this.tracksReady = this.startTracks.length === 0;
    /** the starting tracks still without a TrackConfig when the wait ran out ('' when none) */
    this.liveWithout = '';
    /** packets not sent while a starting track's TrackConfig was still to come */
    this.droppedAwaitingTracks = 0;
    this.sequences = { [VIDEO_TRACK]: 0, [AUDIO_TRACK]: 0 };
    /** media flows: welcomed and the clock sampled once */
    this.live = false;
    this.stopping = false;
    this.state = /** @type {PublisherState} */ ('connecting');
    this.message = 'Connecting to the relay…';
    this.offMainThread = false;
    /** @type {ReadableStreamDefaultReader<VideoFrame | AudioData>[]} */
    this.readers = [];
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.pongTimer = undefined;
    /** @type {import('../transport/connection.js').RelayReceipt | undefined} the newest Pong's count of what the relay received */
    this.lastReceipt = undefined;
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.pumpTimer = undefined;
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.tickTimer = undefined;
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.levelsTimer = undefined;
    this.lastKeyframeRequestMs = -Infinity;
    /** packets not sent because their track's capture was still catching up (see CaptureTimeline.settled) */
    this.droppedSettling = 0;
    /** when video waiting for a keyframe (after a drop) last asked the encoder for one */
    this.lastGateKeyframeMs = -Infinity;
    this.keyframeRequests = 0;
    /** packets encoded while no connection was live (connecting, reconnecting) */
    this.droppedOffline = 0;
    this.framesCaptured = 0;
    this.connections = 0;
    /** capture → encoded packet of the latest packet of each track, ms (capture delivery + encoding) */
    this.captureToPacketMs = { video: NaN, audio: NaN };
    /** @type {[number, number][]} [ms, bytes sent so far], for the bitrate */
    this.sentHistory = [];
    this.video = publishedVideoEncoder(settings, {
      onFormat: (f, l) => this.announce(VIDEO_TRACK, { trackId: VIDEO_TRACK, kind: TrackKind.VIDEO, codec: f.codec, decoderConfig: f.decoderConfig,
        width: f.width, height: f.height, frameRate: f.frameRate, bitrate: l.bitrateBps, layer: l.layer, layerCount: l.layerCount }),
      onPacket: (p, layer) => this.media(VIDEO_TRACK, this.videoTimelineOf(p.timestampMicros), p.payload, p.keyframe, p.timestampMicros, p.durationMicros, layer),
      onError: (e) => this.fail('error', `Video encoder: ${e.message}`),
    });
    /** packets encoded by the audio encoders of earlier sources */
    this.audioPacketsBefore = 0;
    this.audioTimeline = new CaptureTimeline(this.epochLocalMicros);
    /** the capture time the audio sources delivered nothing for */
    this.audioCaptureGaps = new CaptureGaps();
    /** packets of silence not sent by the audio encoders of earlier sources */
    this.silenceDroppedBefore = 0;
    this.audio = this.audioEncoder(this.audioTimeline);
    const call = this.call;
    this.connection = new RelayConnection(options.url, {
      onOpen: () => {
        this.welcomed();
        notify({ type: 'connection', open: true, code: 0, reason: '', retrying: false, attempt: 0 });
      },
      onPong: (receipt) => {
        if (receipt) this.lastReceipt = receipt;
        this.observeNetwork(performance.now());
        this.goLive();
      },
      onClose: (verdict, code, attempt, reason) => {
        this.live = false;
        this.welcomedNow = false;
        notify({ type: 'connection', open: false, code, reason, retrying: verdict.retry && !this.stopping, attempt });
        if (this.stopping) return;
        const state = verdict.retry ? 'reconnecting' : verdict.state === 'unauthorized' ? 'unauthorized' : 'error';
        // The player's wording speaks of watching.
        this.setState(state, state === 'unauthorized' ? `Not authorized to publish ${options.stream}: the token is missing, invalid, `
          + `expired, or not a publish token for this stream (${code}).` : `${verdict.message} (${code})`);
      },
      onEnvelope: (envelope) => this.fromRelay(envelope),
    }, { hello: helloBytes(CLIENT_VERSION, Role.PUBLISHER, CLIENT_NAME, call?.hello), pingIntervalMs: PING_INTERVAL_MS, clockWindow: CLOCK_WINDOW,
      finalCodes: call?.finalCodes, immediateRetry: Boolean(call), silentDropMs: call?.silentDropMs });
  }

  start() {
    this.connection.start();
    this.pumpTimer = setInterval(() => this.pump(), PUMP_INTERVAL_MS);
    this.tickTimer = setInterval(() => this.tick(), TICK_INTERVAL_MS);
    if (this.call) this.levelsTimer = setInterval(() => this.postLevels(), LEVELS_INTERVAL_MS);
  }

  /**
   * An audio encoder whose packets are placed on `timeline` (each audio source has its own:
   * the encoder's output timestamps are the source's).
   * @param {CaptureTimeline} timeline
   */
  audioEncoder(timeline) {
    const settings = this.options.settings;
    return new AudioTrackEncoder({ bitrateBps: settings.audioBitrateBps, dtx: settings.dtx }, {
      onFormat: (f) => this.announce(AUDIO_TRACK, { trackId: AUDIO_TRACK, kind: TrackKind.AUDIO, codec: 'opus', decoderConfig: f.opusHead,
        sampleRate: 48_000, channels: f.channels, bitrate: f.bitrateBps }),
      onPacket: (p) => this.media(AUDIO_TRACK, timeline, p.payload, true, p.timestampMicros, p.durationMicros),
      onError: (e) => this.fail('error', `Audio encoder: ${e.message}`),
    });
  }

  /**
   * Reads a track's frames off its stream in this worker until it ends or is replaced.
   * @param {'video' | 'audio'} kind @param {ReadableStream<VideoFrame> | ReadableStream<AudioData>} stream
   */
  async read(kind, stream) {
    this.offMainThread = true;
    const reader = /** @type {ReadableStreamDefaultReader<VideoFrame | AudioData>} */ (stream.getReader());
    this.readers.push(reader);
    this.sourceReaders[kind] = reader;
    for (;;) {
      const { value, done } = await reader.read();
      if (done || !value) return;
      if (value instanceof VideoFrame) this.videoFrame(value);
      else this.audioData(value);
    }
  }

  /**
   * The track's frames come from a new source from now on (a device switched, a screen
   * shared), or, with no stream, only from the page's posts (if any: none while a camera is
   * off). Media times stay continuous: the new source gets its own capture timeline.
   * @param {'video' | 'audio'} kind @param {ReadableStream<VideoFrame> | ReadableStream<AudioData> | null} stream
   */
  replaceSource(kind, stream) {
    const old = this.sourceReaders[kind];
    this.sourceReaders[kind] = null;
    if (old) {
      this.readers = this.readers.filter((r) => r !== old);
      void old.cancel().catch(() => {});
    }
    // Read in this worker, a source of none means none: the first packets no longer wait for that kind.
    if (!stream && this.offMainThread) this.startTracks = this.startTracks.filter((k) => k !== kind);
    if (kind === 'video') {
      this.videoTimeline = new CaptureTimeline(this.epochLocalMicros);
      this.stamps.reset();
      this.video.requestKeyframe();
    } else {
      // The old encoder's last packets keep their own timeline; the new source starts a new one.
      const previous = this.audio;
      this.audioPacketsBefore += previous.packetsEncoded;
      this.silenceDroppedBefore += previous.silenceDropped;
      void previous.flush().finally(() => previous.close());
      this.audioTimeline = new CaptureTimeline(this.epochLocalMicros);
      this.audioCaptureGaps.newSource();
      this.audio = this.audioEncoder(this.audioTimeline);
    }
    if (stream) void this.read(kind, stream).catch((e) => this.fail('error', `${kind === 'video' ? 'Video' : 'Audio'} capture: ${e.message}`));
  }

  /** @param {number} timestampMicros a video packet's source timestamp (one per layer) @returns {CaptureTimeline} */
  videoTimelineOf(timestampMicros) {
    return this.videoTimelines.get(timestampMicros) ?? this.videoTimeline;
  }

  /**
   * What the room shows of this publisher: sent now when welcomed (else with the next
   * connection's Welcome).
   * @param {PublisherStateFlags} state
   */
  setPublisherState(state) {
    this.publisherState = { ...state };
    if (this.welcomedNow) this.sendPublisherState();
  }

  sendPublisherState() {
    const s = this.publisherState;
    // A relay without rooms refuses PublisherState (4422): an all-false state that was never changed stays unsaid.
    if (!this.publisherStateSent && !s.audioMuted && !s.videoMuted && !s.screenShare) return;
    this.publisherStateSent = true;
    this.queue.offerControl(envelopeBytes({ case: 'publisherState', value: s }), performance.now());
    this.pump();
  }

  postLevels() {
    const levels = this.levels?.figures();
    if (levels) {
      this.notify({ type: 'levels', levels: { levelDb: levels.levelDb, peakDb: levels.peakDb, speaking: levels.speaking, beeps: levels.beeps,
        beepsCapturedAtMs: levels.onsetsMs } });
    }
    const stamps = this.stamps.takeNew();
    if (stamps.length) this.notify({ type: 'stamps', stamps });
  }

  /** @param {VideoFrame} frame */
  videoFrame(frame) {
    if (this.stopping) {
      frame.close();
      return;
    }
    this.framesCaptured++;
    const readLocalMicros = localNowMicros();
    const timeline = this.videoTimeline;
    timeline.observe(frame.timestamp, readLocalMicros);
    this.videoTimelines.set(frame.timestamp, timeline);
    if (this.videoTimelines.size > TIMELINES_KEPT) this.videoTimelines.delete(this.videoTimelines.keys().next().value ?? 0);
    if (this.call && this.stamps.active) {
      void this.stamps.read(frame.clone(), this.connection.clock.toRelayMicros(timeline.captureLocalMicros(frame.timestamp)) / 1000);
    }
    void this.video.encode(frame, performance.now()).catch((e) => this.fail('unsupported', e.message));
  }

  /**
   * @param {AudioData} data
   * @param {Float32Array} [firstChannel]  its first channel's samples, where the page has them (see messages.js)
   */
  audioData(data, firstChannel) {
    if (this.stopping) {
      data.close();
      return;
    }
    this.audioTimeline.observe(data.timestamp, localNowMicros());
    this.audioCaptureGaps.observe(data.timestamp, data.duration);
    if (this.call) this.measureLevel(data, firstChannel);
    void this.audio.encode(data, firstChannel).catch((e) => this.fail('unsupported', e.message));
  }

  /**
   * The captured audio's level and beeps (first channel), on the relay clock.
   * @param {AudioData} data @param {Float32Array} [firstChannel]  its first channel, if known (no copyTo then)
   */
  measureLevel(data, firstChannel) {
    try {
      const frames = data.numberOfFrames;
      if (!this.levels || this.levels.sampleRate !== data.sampleRate) this.levels = new LevelMeter({ sampleRate: data.sampleRate });
      if (this.levelSamples.length < frames) this.levelSamples = new Float32Array(frames);
      const samples = firstChannel ?? this.levelSamples.subarray(0, frames);
      if (!firstChannel) data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
      const startMs = this.connection.clock.toRelayMicros(this.audioTimeline.captureLocalMicros(data.timestamp)) / 1000;
      this.levels.process(samples, startMs);
    } catch (e) {
      console.debug('tunnelcast publisher: no audio level', e);
    }
  }

  /**
   * Stops capture, sends EndOfStream after what is queued and closes.
   * @param {string} [reason]  EndOfStream's reason
   */
  async stop(reason = 'publisher stopped') {
    this.stopping = true;
    clearInterval(this.levelsTimer);
    await Promise.allSettled(this.readers.map((r) => r.cancel()));
    this.video.close();
    this.audio.close();
    if (this.live || this.welcomedNow) {
      this.queue.offerControl(envelopeBytes({ case: 'endOfStream', value: { reason } }), performance.now());
      const deadline = performance.now() + STOP_FLUSH_TIMEOUT_MS;
      while (performance.now() < deadline && (this.queue.items.length || (this.connection.socket?.bufferedAmount ?? 0) > 0)) {
        this.pump();
        await new Promise((resolve) => setTimeout(resolve, PUMP_INTERVAL_MS));
      }
    }
    clearInterval(this.pumpTimer);
    clearInterval(this.tickTimer);
    await this.connection.stopAndAwaitClose(); // the worker ends next: see there
    this.live = false;
    this.setState('stopped', 'Stopped.');
    this.report(this.stats());
  }

  welcomed() {
    this.live = false;
    this.welcomedNow = true;
    this.connections++;
    this.queue.reset();
    this.lastReceipt = undefined; // the relay counts per connection
    if (this.call) this.sendPublisherState();
    this.setState('connecting', 'Connected; syncing the clock…');
    // A relay that does not answer the first Ping still gets the media, on the last clock estimate (as the agent).
    clearTimeout(this.pongTimer);
    this.pongTimer = setTimeout(() => this.goLive(), FIRST_PONG_TIMEOUT_MS);
  }

  /** After the first Pong of a connection: capture times are on the relay clock from the first packet on. */
  goLive() {
    clearTimeout(this.pongTimer);
    if (this.live || this.stopping || !this.connection.socket) return;
    this.live = true;
    const now = performance.now();
    for (const bytes of this.trackConfigs.values()) this.queue.offerControl(bytes, now);
    this.video.requestKeyframe();
    this.setState('live', '');
  }

  /** @param {import('../transport/wire.js').Envelope} envelope */
  fromRelay(envelope) {
    switch (envelope.kind.case) {
      case 'roomEvent':
        this.notify({ type: 'roomEvent', event: roomUpdateOf(envelope.kind.value) });
        break;
      case 'keyframeRequest': {
        const now = performance.now();
        if (now - this.lastKeyframeRequestMs >= KEYFRAME_REQUEST_MIN_INTERVAL_MS) {
          this.lastKeyframeRequestMs = now;
          this.keyframeRequests++;
          this.video.requestKeyframe();
        }
        break;
      }
      default:
        break;
    }
  }

  /**
   * A track's (new) configuration: queued at once when live, else with the next connection's.
   * @param {number} trackId
   * @param {import('@bufbuild/protobuf').MessageInitShape<typeof import('../gen/tunnelcast/v1/tunnelcast_pb.js').TrackConfigSchema>} config
   */
  announce(trackId, config) {
    const bytes = envelopeBytes({ case: 'trackConfig', value: config });
    const key = `${trackId}/${config.layer ?? 0}`;
    const previous = this.trackConfigs.get(key);
    if (previous && previous.length === bytes.length && previous.every((v, i) => v === bytes[i])) return;
    this.trackConfigs.set(key, bytes);
    if (trackId === VIDEO_TRACK && !this.bitrate && !config.layerCount) {
      this.bitrate = new UplinkBitrate({ maxBps: this.video.bitrateBps, otherBps: this.options.settings.audioBitrateBps + FRAMING_BPS });
    }
    if (this.live) this.queue.offerControl(bytes, performance.now());
  }

  /**
   * @param {number} trackId @param {CaptureTimeline} timeline @param {Uint8Array} payload @param {boolean} keyframe
   * @param {number} timestampMicros @param {number} durationMicros @param {number} [layer]  of a simulcast track
   */
  media(trackId, timeline, payload, keyframe, timestampMicros, durationMicros, layer = 0) {
    if (!this.live || this.stopping) {
      this.droppedOffline++;
      return;
    }
    const nowLocal = localNowMicros();
    // The first packet sent anchors the track's pts: not while a capture's backlog is still draining, and
    // audio not before video (the relay records from the first keyframe on; players start with both).
    if (!timeline.anchored && nowLocal - timeline.firstReadLocalMicros < SETTLE_WAIT_MICROS
      && (![this.videoTimeline, this.audioTimeline].every((t) => t.settled(nowLocal))
        || (trackId === AUDIO_TRACK && this.videoTimeline.frames > 0 && !this.videoTimeline.anchored))) {
      this.droppedSettling++;
      // The keyframe asked for at goLive may be among these: the first video sent must be one.
      if (trackId === VIDEO_TRACK) this.video.requestKeyframe();
      return;
    }
    if (this.awaitingTracks(nowLocal)) {
      this.droppedAwaitingTracks++;
      if (trackId === VIDEO_TRACK) this.video.requestKeyframe(); // the first video sent must be a keyframe
      return;
    }
    const captureLocalMicros = timeline.captureLocalMicros(timestampMicros);
    this.captureToPacketMs[trackId === VIDEO_TRACK ? 'video' : 'audio'] = (localNowMicros() - captureLocalMicros) / 1000;
    const captureTimeMicros = Math.round(this.connection.clock.toRelayMicros(captureLocalMicros));
    const sequence = trackId === VIDEO_TRACK ? this.sequences[VIDEO_TRACK]++ : this.sequences[AUDIO_TRACK]++;
    const bytes = envelopeBytes({ case: 'mediaPacket', value: { trackId, sequence: BigInt(sequence),
      ptsMicros: BigInt(Math.round(timeline.ptsMicros(timestampMicros, durationMicros))), durationMicros: Math.round(durationMicros), keyframe,
      captureTimeMicros: BigInt(captureTimeMicros), payload, layer } });
    const now = performance.now();
    const { congested } = this.queue.offerMedia(bytes, trackId === VIDEO_TRACK, trackId === VIDEO_TRACK && keyframe, now, layer);
    if (congested) this.congested(now);
    this.pump();
  }

  /**
   * Whether media must wait for a track the publication started with: no packet goes out before
   * every starting track has announced its TrackConfig (the relay's recorder starts a new segment
   * at a track announced after media; players start with both), but not for longer than
   * TRACKS_WAIT_MICROS from the first packet held for it (one that would have gone: its capture
   * settled): then it goes live with what it has, and says so.
   * Decided once per publication: later sources and reconnections find the configs there.
   * @param {number} nowLocalMicros
   */
  awaitingTracks(nowLocalMicros) {
    if (this.tracksReady) return false;
    const missing = this.startTracks.filter((kind) => !this.announced(kind === 'video' ? VIDEO_TRACK : AUDIO_TRACK));
    if (missing.length && Number.isNaN(this.awaitingTracksSinceMicros)) this.awaitingTracksSinceMicros = nowLocalMicros;
    if (missing.length && nowLocalMicros - this.awaitingTracksSinceMicros < TRACKS_WAIT_MICROS) return true;
    this.tracksReady = true;
    if (missing.length) {
      this.liveWithout = missing.join(' and ');
      console.warn(`tunnelcast publisher: no ${this.liveWithout} TrackConfig within ${TRACKS_WAIT_MICROS / 1e6} s of the first packet: `
        + `sending without it (its config, when it comes, starts a new recorded segment)`);
    }
    return false;
  }

  /** @param {number} trackId @returns {boolean} a TrackConfig of the track (any layer) was announced */
  announced(trackId) {
    for (const key of this.trackConfigs.keys()) if (key.startsWith(`${trackId}/`)) return true;
    return false;
  }

  /** @param {number} now */
  congested(now) {
    if (this.bitrate?.onOverflow(now)) this.video.setBitrate(this.bitrate.currentBps);
  }

  /**
   * The queueing beyond the socket's buffer now: the latest Ping's round trip, or the wait of
   * one still unanswered, above the fastest round trip seen.
   * @param {number} now
   */
  observeNetwork(now) {
    const clock = this.connection.clock;
    if (!clock.synced) return;
    const waitedMs = Math.max(clock.lastRttMicros / 1000, this.connection.oldestPingWaitMs(now));
    this.queue.observeNetworkDelay(waitedMs - clock.rttMicros / 1000);
  }

  /** Hands queued messages to the socket while its buffer is low. */
  pump() {
    const socket = this.connection.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const now = performance.now();
    this.observeNetwork(now);
    for (const item of this.queue.take(socket.bufferedAmount, now)) socket.send(item.bytes);
    if (this.live && this.queue.readyForKeyframe(now) && now - this.lastGateKeyframeMs >= GATE_KEYFRAME_INTERVAL_MS) {
      this.lastGateKeyframeMs = now;
      this.video.requestKeyframe();
    }
  }

  tick() {
    const now = performance.now();
    if (this.live && this.bitrate?.onSample(now, this.queue.drainedBytes, this.queue.oldestMediaAgeMs(now), this.queue.networkDelayMs,
      this.lastReceipt)) {
      this.video.setBitrate(this.bitrate.currentBps);
    }
    this.sentHistory.push([now, this.queue.counters.bytesSent]);
    while (this.sentHistory.length > 2 && now - this.sentHistory[0][0] > 1000) this.sentHistory.shift();
    this.report(this.stats());
  }

  /** @param {PublisherState} state @param {string} message */
  setState(state, message) {
    this.state = state;
    this.message = message;
  }

  /** @param {PublisherState} state @param {string} message */
  fail(state, message) {
    if (this.state === state && this.message === message) return;
    console.warn(`tunnelcast publisher: ${message}`);
    this.setState(state, message);
  }

  /** @returns {PublisherStats} */
  stats() {
    const [t0, b0] = this.sentHistory[0] ?? [0, 0];
    const [t1, b1] = this.sentHistory[this.sentHistory.length - 1] ?? [0, 0];
    const c = this.queue.counters;
    const clock = this.connection.clock;
    const v = this.video;
    const vf = v.format;
    const af = this.audio.format;
    return {
      state: this.state, message: this.message, stream: this.options.stream, source: this.options.source, offMainThread: this.offMainThread,
      videoCodec: vf?.codec ?? '', videoEncoder: vf ? `${codecName(vf.codec)} · ${vf.width}x${vf.height} · ${vf.frameRate} fps` : '', videoCodecNote: v.codecNote,
      width: vf?.width ?? 0, height: vf?.height ?? 0, videoBitrateBps: v.bitrateBps, videoTargetBps: this.bitrate?.maxBps ?? v.bitrateBps,
      audioCodec: af ? 'opus' : '', audioChannels: af?.channels ?? 0, audioSampleRate: af?.inputSampleRate ?? 0,
      audioBitrateBps: this.options.settings.audioBitrateBps, dtx: this.options.settings.dtx,
      bitrateKbps: t1 > t0 ? ((b1 - b0) * 8) / (t1 - t0) : 0,
      queueBytes: this.queue.queuedBytes, socketBufferedBytes: this.connection.socket?.bufferedAmount ?? 0, networkDelayMs: this.queue.networkDelayMs,
      drainRateKbps: (this.queue.drainRateBytesPerSecond * 8) / 1000 || 0,
      congestions: c.congestions, videoDropped: c.videoDropped, audioDropped: c.audioDropped, droppedOffline: this.droppedOffline,
      bitrateDecreases: this.bitrate?.decreases ?? 0, bitrateIncreases: this.bitrate?.increases ?? 0,
      framesCaptured: this.framesCaptured, framesEncoded: v.framesEncoded, encoderDrops: v.encoderDrops, keyframes: v.keyframes,
      videoLayers: 'layerStats' in v ? v.layerStats : [],
      keyframeRequests: this.keyframeRequests, audioPacketsEncoded: this.audioPacketsBefore + this.audio.packetsEncoded,
      videoPacketsSent: c.videoSent, audioPacketsSent: c.audioSent, connections: this.connections,
      videoCaptureToPacketMs: this.captureToPacketMs.video, audioCaptureToPacketMs: this.captureToPacketMs.audio,
      droppedSettling: this.droppedSettling, droppedAwaitingTracks: this.droppedAwaitingTracks, liveWithout: this.liveWithout,
      timelineReanchors: this.videoTimeline.reanchors + this.audioTimeline.reanchors,
      audioSilenceDropped: this.silenceDroppedBefore + this.audio.silenceDropped,
      audioCaptureGaps: this.audioCaptureGaps.gaps, audioCaptureGapMs: this.audioCaptureGaps.gapMicros / 1000,
      clockOffsetMs: clock.offsetMicros / 1000, rttMs: clock.rttMicros / 1000,
    };
  }
}
