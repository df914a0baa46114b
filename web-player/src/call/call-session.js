// @ts-check
/**
 * One call, wired in one place: this participant's media (LocalMedia) published to
 * `/ws/publish/{room}.{participant}` by the browser publisher (Hello with the display name,
 * room events on, a per-page-load instance id; PublisherState for mute and screen share), the
 * relay's RoomEvents turned into tiles (RoomState), one player per other participant on
 * `/ws/play/{room}.{other}` (the player page's pipeline, all playing through one
 * AudioContext), and the connection's state for people (CallConnection). The view renders
 * it; the figures (`stats`, CallStats) are what tests and benchmarks read.
 */
import { Player } from '../player.js';
import { Publisher } from '../publish/publisher.js';
import { localNowMicros } from '../transport/clock-sync.js';
import { roomStream } from '../transport/names.js';
import { CALL_FINAL_CODES, CallConnection } from './call-connection.js';
import { RoomState, shownName } from './room-state.js';
import { LocalMedia } from './local-media.js';
import { newInstanceId, participantFor } from './call-options.js';
import { playerOptionsFrom } from '../ui/player-options.js';

/** @typedef {import('./call-options.js').CallAddress} CallAddress */
/** @typedef {import('./call-stats.js').CallStats} CallStats */
/** @typedef {import('./call-stats.js').TileFigures} TileFigures */
/** @typedef {import('./call-stats.js').Departure} Departure */
/** @typedef {import('./local-media.js').CaptureSize} CaptureSize */
/** @typedef {import('./local-media.js').DeviceKind} DeviceKind */
/** @typedef {import('./room-state.js').RoomDelta} RoomDelta */
/** @typedef {import('../publish/room-events.js').RoomMemberInfo} RoomMemberInfo */
/** @typedef {import('../publish/room-events.js').RoomUpdate} RoomUpdate */
/** @typedef {import('../publish/messages.js').PublishSettings} PublishSettings */
/** @typedef {import('../publish/messages.js').SourceLevels} SourceLevels */

/**
 * @typedef {object} CallSessionOptions
 * @property {CallAddress} address
 * @property {URLSearchParams} params   the page's options (the player's: video=, latency=, audio=)
 * @property {string} wsBase
 * @property {string} baseUrl           where the worker and worklet scripts are
 * @property {CaptureSize} capture
 * @property {PublishSettings} settings
 * @property {number} [graceMs]         how long a participant whose connection was lost shows as reconnecting
 *
 * @typedef {object} Remote   another participant: its tile's member and its player
 * @property {RoomMemberInfo} member
 * @property {'live' | 'reconnecting'} status
 * @property {Player} player
 * @property {number} shownSinceAtMs
 */

/** A publisher socket that brought nothing (not even a Pong to its 4 Pings a second) this long is dropped and reconnected. */
export const SILENT_DROP_MS = 4000;
const FIGURES_INTERVAL_MS = 100;
const STAMPS_KEPT = 300;
const DEPARTURES_KEPT = 20;

export class CallSession {
  /** @param {CallSessionOptions} options */
  constructor(options) {
    this.options = options;
    this.address = options.address;
    this.instanceId = newInstanceId((bytes) => crypto.getRandomValues(bytes));
    this.connection = new CallConnection();
    this.media = new LocalMedia({
      size: options.capture,
      onTrack: (kind, track) => this.trackChanged(kind, track),
      onScreenShareEnded: () => {
        this.sendState();
        this.changed();
      },
    });
    this.participant = '';
    this.displayName = '';
    /** @type {'join' | 'call'} */
    this.view = 'join';
    this.room = new RoomState('');
    /** @type {Map<string, Remote>} */
    this.remotes = new Map();
    /** @type {Publisher | null} */
    this.publisher = null;
    /** @type {AudioContext | null} every player's output; made on Join (a user gesture lets it play) */
    this.audioContext = null;
    /** @type {SourceLevels} */
    this.selfLevels = { levelDb: -100, peakDb: -100, speaking: false, beeps: 0, beepsCapturedAtMs: [] };
    /** @type {[number, number][]} */
    this.stampsCaptured = [];
    /** @type {Departure[]} */
    this.departures = [];
    this.roomEvents = 0;
    /** the room's limit as last heard (a refusal for a full room comes before any event of the new attempt) */
    this.lastMaxMembers = 0;
    /** @type {Set<() => void>} the view's listeners: tiles came or went, the state changed */
    this.listeners = new Set();
    /** @type {CallStats} */
    this.stats = this.figures();
    this.figuresTimer = setInterval(() => this.tick(), FIGURES_INTERVAL_MS);
  }

  /** @param {() => void} listener @returns {() => void} unsubscribe */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed() {
    for (const listener of this.listeners) listener();
  }

  get stream() {
    return roomStream(this.address.room, this.participant);
  }

  /** The join screen's preview: the camera and microphone, with the call's audio processing. */
  async preview() {
    await this.media.open();
    this.changed();
  }

  /**
   * Joins the room under this display name (called from the Join button: a user gesture,
   * so the call's audio may start).
   * @param {string} displayName
   */
  async join(displayName) {
    this.displayName = displayName;
    this.participant = participantFor(this.address, displayName, sessionStorage, Math.random);
    if (!this.media.microphone && !this.media.videoTrack) await this.media.open();
    this.startAudio();
    this.connection.join(performance.now());
    this.room = new RoomState(this.participant, { graceMs: this.options.graceMs });
    this.view = 'call';
    const media = new MediaStream([this.media.videoTrack, this.media.microphone].filter((t) => t !== null));
    const publisher = new Publisher({
      stream: this.stream, token: this.address.token, wsBase: this.options.wsBase, workerUrl: new URL('publish-worker.js', this.options.baseUrl).href,
      source: 'camera', capture: this.options.capture, settings: this.options.settings, media,
      call: { hello: { displayName, roomEvents: true, instanceId: this.instanceId }, state: this.flags(), finalCodes: CALL_FINAL_CODES,
        silentDropMs: SILENT_DROP_MS },
      listener: {
        onConnection: (open, code, reason) => this.connectionChanged(open, code, reason),
        onRoomEvent: (event) => this.roomEvent(event),
        onLevels: (levels) => {
          this.selfLevels = levels;
        },
        onStamps: (stamps) => {
          this.stampsCaptured.push(...stamps);
          this.stampsCaptured.splice(0, Math.max(0, this.stampsCaptured.length - STAMPS_KEPT));
        },
      },
    });
    this.publisher = publisher;
    this.changed();
    await publisher.start();
    if (['unsupported', 'error'].includes(publisher.stats.state) && this.publisher === publisher) {
      this.connection.fail(publisher.stats.state === 'unsupported' ? 'unsupported' : 'error', publisher.stats.message);
      this.endCall();
    }
    this.changed();
  }

  startAudio() {
    if (!this.audioContext) this.audioContext = new AudioContext({ sampleRate: 48_000, latencyHint: 0 });
    void this.audioContext.resume().catch(() => {});
    if (this.media.speakerId) void this.setSpeaker(this.media.speakerId);
  }

  /** Leaves the call: EndOfStream to the relay (the others see "left"), the players and the devices stopped. */
  async leave() {
    this.connection.leave();
    this.changed();
    await this.endCall('left the call');
    this.media.close();
    this.connection.left();
    this.changed();
  }

  /** Back to the join screen after leaving or a refusal (Try again, Rejoin). */
  async backToJoin() {
    this.view = 'join';
    this.connection = new CallConnection();
    this.changed();
    await this.preview();
  }

  /** Stops publishing and every player. @param {string} [reason] EndOfStream's reason */
  async endCall(reason = 'publisher stopped') {
    const publisher = this.publisher;
    this.publisher = null;
    for (const remote of this.remotes.values()) remote.player.stop();
    this.remotes.clear();
    this.changed();
    await publisher?.stop(reason);
  }

  /** @param {boolean} open @param {number} code @param {string} reason */
  connectionChanged(open, code, reason) {
    const now = performance.now();
    if (open) {
      this.connection.welcomed(now);
    } else {
      const verdict = this.connection.closed(code, reason, { room: this.address.room, participant: this.participant, maxMembers: this.lastMaxMembers }, now);
      if (!verdict.retry && this.connection.final) void this.endCall();
    }
    this.changed();
  }

  /** @param {RoomUpdate} event */
  roomEvent(event) {
    this.roomEvents++;
    this.lastMaxMembers = event.maxMembers;
    this.applyDelta(this.room.apply(event, performance.now()));
  }

  /** @param {RoomDelta} delta */
  applyDelta(delta) {
    const nowAtMs = this.relayNowMs();
    for (const { member, reason } of delta.removed) {
      this.remotes.get(member.participant)?.player.stop();
      this.remotes.delete(member.participant);
      this.departures.push({ participant: member.participant, reason, atMs: nowAtMs });
      this.departures.splice(0, Math.max(0, this.departures.length - DEPARTURES_KEPT));
    }
    for (const member of delta.added) {
      if (this.remotes.has(member.participant) || !this.publisher) continue;
      const player = new Player({
        ...playerOptionsFrom(this.options.params, { stream: member.stream, token: this.address.token, wsBase: this.options.wsBase, baseUrl: this.options.baseUrl }),
        audioContext: this.audioContext ?? undefined,
        relays: [this.options.wsBase], // a call stays on the page's relay, its publisher's (no ?relays= list for calls yet)
      });
      player.start();
      this.remotes.set(member.participant, { member, status: 'live', player, shownSinceAtMs: nowAtMs });
    }
    for (const tile of this.room.tiles) {
      const remote = this.remotes.get(tile.member.participant);
      if (remote) {
        remote.member = tile.member;
        remote.status = tile.status;
      }
    }
    if (delta.added.length || delta.removed.length || delta.updated.length || delta.reconnecting.length) this.changed();
  }

  /** The remotes in the room's order. @returns {Remote[]} */
  get orderedRemotes() {
    return this.room.tiles.map((t) => this.remotes.get(t.member.participant)).filter((r) => r !== undefined);
  }

  /** @returns {import('../publish/messages.js').PublisherStateFlags} */
  flags() {
    return { audioMuted: this.media.audioMuted, videoMuted: this.media.videoTrack === null, screenShare: this.media.screen !== null };
  }

  sendState() {
    this.publisher?.setPublisherState(this.flags());
  }

  /** @param {'video' | 'audio'} kind @param {MediaStreamTrack | null} track */
  trackChanged(kind, track) {
    this.publisher?.replaceTrack(kind, track);
    if (kind === 'video') this.sendState();
    this.changed();
  }

  /** @param {boolean} muted */
  setAudioMuted(muted) {
    this.media.setAudioMuted(muted);
    this.sendState();
    this.changed();
  }

  /** @param {boolean} off */
  async setVideoMuted(off) {
    await this.media.setVideoMuted(off);
    this.sendState();
    this.changed();
  }

  /** Shares a screen in place of the camera, or stops sharing. */
  async toggleScreenShare() {
    if (this.media.screen) {
      this.media.stopScreenShare();
    } else {
      try {
        await this.media.startScreenShare();
      } catch (e) {
        // The person cancelled the browser's picker: nothing changes.
        console.info('tunnelcast call: no screen shared', e);
      }
    }
    this.sendState();
    this.changed();
  }

  /** @param {DeviceKind} kind @param {string} deviceId */
  async useDevice(kind, deviceId) {
    if (kind === 'speaker') await this.setSpeaker(deviceId);
    await this.media.useDevice(kind, deviceId);
    this.changed();
  }

  /** @param {string} deviceId */
  async setSpeaker(deviceId) {
    const context = /** @type {(AudioContext & { setSinkId?: (id: string) => Promise<void> }) | null} */ (this.audioContext);
    if (context?.setSinkId) await context.setSinkId(deviceId).catch((e) => console.warn('tunnelcast call: speaker not changed', e));
  }

  /** This page's estimate of the relay clock, ms since the epoch (the publisher's clock sync). */
  relayNowMs() {
    const offsetMs = this.publisher?.stats.clockOffsetMs;
    return localNowMicros() / 1000 + (Number.isFinite(offsetMs) ? /** @type {number} */ (offsetMs) : 0);
  }

  tick() {
    const expired = this.room.expire(performance.now());
    if (expired.removed.length) this.applyDelta(expired);
    Object.assign(this.stats, this.figures());
  }

  /** @returns {CallStats} */
  figures() {
    const publisher = this.publisher;
    const levels = this.selfLevels;
    const lastStamp = this.stampsCaptured.length ? this.stampsCaptured[this.stampsCaptured.length - 1][0] : NaN;
    return {
      page: 'call', view: this.view, state: this.connection.state, message: this.connection.message,
      room: this.address.room, participant: this.participant, displayName: this.displayName, instanceId: this.instanceId,
      connections: this.connection.connections, reconnects: this.connection.reconnects, lastOutageMs: this.connection.lastOutageMs,
      closeCode: this.connection.closeCode, roomEvents: this.roomEvents, members: this.room.memberCount, maxMembers: this.room.maxMembers,
      audioProcessing: this.media.audioProcessing,
      self: {
        participant: this.participant, displayName: this.displayName, audioMuted: this.media.audioMuted, videoMuted: this.media.videoTrack === null,
        screenShare: this.media.screen !== null, audioLevelDb: levels.peakDb, speaking: levels.speaking && !this.media.audioMuted, beeps: levels.beeps,
        beepsCapturedAtMs: levels.beepsCapturedAtMs, lastStamp, stampsCaptured: this.stampsCaptured, publisher: publisher ? publisher.stats : null,
      },
      tiles: this.orderedRemotes.map((r) => tileFigures(r)),
      departures: this.departures,
      relayNowMs: this.relayNowMs(),
    };
  }

  /** Unmounts: leaves without waiting, releases everything. */
  close() {
    clearInterval(this.figuresTimer);
    void this.endCall('left the call');
    this.media.close();
    void this.audioContext?.close();
    this.listeners.clear();
  }
}

/** @param {Remote} remote @returns {TileFigures} */
function tileFigures(remote) {
  const { member, player } = remote;
  const s = player.stats;
  return {
    participant: member.participant, displayName: shownName(member), stream: member.stream, status: remote.status,
    audioMuted: member.audioMuted, videoMuted: member.videoMuted, screenShare: member.screenShare, joinedMicros: member.joinedMicros,
    shownSinceAtMs: remote.shownSinceAtMs, playerState: s.state, framesShown: s.framesShown, fps: s.fps,
    audioPacketsDecoded: s.audioPacketsDecoded, audioPlayedMs: s.audioPlayedMs, audioLevelDb: s.audioLevelDb, speaking: s.audioSpeaking,
    beeps: s.audioBeeps, beepsHeardAtMs: player.beepsHeardAtMs, lastStamp: s.lastPixelStamp, lastStampShownAtMs: s.lastPixelStampShownAtMs,
    stampsShown: player.stampsShown, latencyMs: s.latencyMetadataMs.p50, latencyP95Ms: s.latencyMetadataMs.p95, audioLatencyMs: s.audioLatencyMs,
    avOffsetMs: s.avOffsetMs.p50, jitterBufferMs: s.jitterBufferDepthMs, audioDecodedLevelDb: s.audioDecodedLevelDb,
    audioPacketsLate: s.audioPacketsLate, audioPacketsUndelivered: s.audioPacketsUndelivered, audioConcealedPercent: s.audioConcealedPercent,
    audioDecodeErrors: s.audioDecodeErrors,
  };
}
