// @ts-check
/**
 * The browser publisher's page side: captures a camera and microphone (`getUserMedia`) or a
 * screen (`getDisplayMedia`), shows the preview, and hands the tracks to the publish worker,
 * which encodes and sends. Where the browser has `MediaStreamTrackProcessor`, the tracks'
 * frame streams are transferred to the worker and nothing of the media passes through this
 * thread; elsewhere this page copies video frames off the preview (`requestVideoFrameCallback`)
 * and audio through a `ScriptProcessorNode`, and posts them over.
 */

import { SampleClock } from './capture-timeline.js';

/** @typedef {import('./messages.js').PublishSettings} PublishSettings */
/** @typedef {import('./messages.js').PublisherStats} PublisherStats */
/** @typedef {import('./messages.js').PublisherState} PublisherState */
/** @typedef {import('./messages.js').ToPublishWorker} ToPublishWorker */
/** @typedef {import('./messages.js').FromPublishWorker} FromPublishWorker */
/** @typedef {import('./messages.js').CallPublishing} CallPublishing */
/** @typedef {import('./messages.js').PublisherStateFlags} PublisherStateFlags */
/** @typedef {import('./messages.js').SourceLevels} SourceLevels */
/** @typedef {import('./room-events.js').RoomUpdate} RoomUpdate */

/**
 * What a call page hears from its publisher besides the figures.
 * @typedef {object} PublisherListener
 * @property {(open: boolean, code: number, reason: string, retrying: boolean) => void} [onConnection]  welcomed, or closed
 * @property {(event: RoomUpdate) => void} [onRoomEvent]
 * @property {(levels: SourceLevels) => void} [onLevels]
 * @property {(stamps: [number, number][]) => void} [onStamps]  frame stamps captured: [stamp, capturedAtMs] (relay clock)
 */

/**
 * @typedef {object} PublisherOptions
 * @property {string} stream
 * @property {string} token
 * @property {string} wsBase        ws(s)://host
 * @property {string} workerUrl     the publish worker's script
 * @property {'camera' | 'screen'} source
 * @property {{ width: number, height: number, frameRate: number }} capture  what to ask the camera or screen for
 * @property {PublishSettings} settings
 * @property {MediaStream} [media]  tracks the caller captured and owns (the call page): used instead of capturing, never stopped here
 * @property {CallPublishing | null} [call]  publish as a participant of a room
 * @property {PublisherListener} [listener]
 */

/**
 * A Chromium-only class (Insertable Streams for MediaStreamTrack), not in TypeScript's DOM lib.
 * @typedef {new (init: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame | AudioData> }} TrackProcessorClass
 */

const SCRIPT_PROCESSOR_FRAMES = 1024;
/**
 * How long the fallback's AudioContext may take to run before the page says no sound is sent:
 * Firefox without a working sound output keeps it suspended, and resume() never settles.
 */
const AUDIO_START_WAIT_MS = 5000;
/**
 * How long stop() waits for the worker to say it stopped before ending it: longer than the
 * worker's own bounds: 2 s to flush what is queued, 1.5 s for the closing handshake (publication.js).
 */
const WORKER_STOP_WAIT_MS = 5000;

/**
 * @param {string} stream @param {'camera' | 'screen'} source @param {PublishSettings} settings
 * @returns {PublisherStats}
 */
export function initialPublisherStats(stream, source, settings) {
  return { state: 'idle', message: '', stream, source, offMainThread: false, videoCodec: '', videoEncoder: '', videoCodecNote: '', width: 0, height: 0,
    videoBitrateBps: settings.videoBitrateBps, videoTargetBps: settings.videoBitrateBps, audioCodec: '', audioChannels: 0, audioSampleRate: 0,
    audioBitrateBps: settings.audioBitrateBps, dtx: settings.dtx, bitrateKbps: 0, queueBytes: 0, socketBufferedBytes: 0, networkDelayMs: 0, drainRateKbps: 0,
    congestions: 0, videoDropped: 0, audioDropped: 0, droppedOffline: 0, bitrateDecreases: 0, bitrateIncreases: 0, framesCaptured: 0, framesEncoded: 0,
    encoderDrops: 0, keyframes: 0, videoLayers: [], keyframeRequests: 0, audioPacketsEncoded: 0, videoPacketsSent: 0, audioPacketsSent: 0, connections: 0,
    videoCaptureToPacketMs: NaN, audioCaptureToPacketMs: NaN, audioSilenceDropped: 0, audioCaptureGaps: 0, audioCaptureGapMs: 0, droppedSettling: 0, droppedAwaitingTracks: 0, liveWithout: '', timelineReanchors: 0,
    clockOffsetMs: NaN, rttMs: NaN };
}

/**
 * Lets the preview go of its stream, then stops the tracks. In the other order WebKitGTK (without
 * compositing) froze its web process for good in 3 of 7 runs on a busy machine: the track's
 * end reconfigured the preview's GStreamer pipeline from the page's main thread while the video
 * sink's thread held that pipeline's lock, waiting for the main thread to draw (gdb). Paused and
 * detached first, the element's player is torn down on the path that releases the sink.
 * @param {Pick<HTMLVideoElement, 'pause' | 'srcObject'>} preview @param {Pick<MediaStreamTrack, 'stop'>[]} tracks  the tracks to stop
 */
export function releasePreview(preview, tracks) {
  preview.pause();
  preview.srcObject = null;
  for (const track of tracks) track.stop();
}

/** Chromium's MediaStreamTrackProcessor, where the browser has it. @returns {TrackProcessorClass | undefined} */
function trackProcessor() {
  return /** @type {TrackProcessorClass | undefined} */ (/** @type {any} */ (globalThis).MediaStreamTrackProcessor);
}

export class Publisher {
  /** @param {PublisherOptions} options */
  constructor(options) {
    this.options = options;
    /** @type {PublisherStats} */
    this.stats = initialPublisherStats(options.stream, options.source, options.settings);
    this.url = `${options.wsBase}/ws/publish/${encodeURIComponent(options.stream)}${options.token ? `?token=${encodeURIComponent(options.token)}` : ''}`;
    /** @type {MediaStream | null} what is published now (the preview shows it) */
    this.media = null;
    /** the tracks are the caller's: not stopped here, and an ended one does not end the publication */
    this.ownsMedia = !options.media;
    /** @type {Worker | null} */
    this.worker = null;
    /** @type {AudioContext | null} the main-thread audio fallback */
    this.audioContext = null;
    this.preview = /** @type {HTMLVideoElement} */ (document.createElement('video'));
    this.preview.muted = true;
    this.preview.playsInline = true;
    this.preview.autoplay = true;
    this.running = false;
    /** when the fallback's AudioContext was made */
    this.audioContextSinceMs = NaN;
    /** the fallback copies video frames on a timer now (the preview has not called requestVideoFrameCallback back) */
    this.captureTimer = false;
  }

  get element() {
    return this.preview;
  }

  /** Asks for the devices (or the screen), then starts publishing. */
  async start() {
    this.setState('starting', this.options.source === 'screen' ? 'Choose a screen to share…' : 'Asking for the camera and microphone…');
    try {
      this.media = this.options.media ? new MediaStream(this.options.media.getTracks()) : await this.capture();
    } catch (e) {
      this.setState('error', `No ${this.options.source === 'screen' ? 'screen' : 'camera or microphone'}: ${e instanceof Error ? e.message : e}`);
      return;
    }
    if (typeof VideoEncoder === 'undefined' || typeof AudioEncoder === 'undefined') {
      this.setState('unsupported', 'This browser has no WebCodecs encoders: it can watch, not publish.');
      this.releaseMedia();
      return;
    }
    this.running = true;
    this.preview.srcObject = this.media;
    void this.preview.play().catch(() => {});
    const worker = new Worker(this.options.workerUrl, { type: 'module' });
    this.worker = worker;
    worker.onmessage = (/** @type {MessageEvent<FromPublishWorker>} */ e) => this.fromWorker(e.data);
    const video = this.media.getVideoTracks()[0] ?? null;
    const audio = this.media.getAudioTracks()[0] ?? null;
    // A user who ends the share from the browser's own bar ends the publication (a call page handles that itself).
    if (this.ownsMedia) video?.addEventListener('ended', () => void this.stop());
    const Processor = trackProcessor();
    const start = /** @type {ToPublishWorker} */ ({ type: 'start', url: this.url, stream: this.options.stream, source: this.options.source,
      settings: this.options.settings, video: null, audio: null, call: this.options.call ?? null,
      tracks: /** @type {('video' | 'audio')[]} */ ([...(video ? ['video'] : []), ...(audio ? ['audio'] : [])]) });
    if (Processor && start.type === 'start') {
      start.video = video ? /** @type {ReadableStream<VideoFrame>} */ (new Processor({ track: video }).readable) : null;
      start.audio = audio ? /** @type {ReadableStream<AudioData>} */ (new Processor({ track: audio }).readable) : null;
      const transfer = /** @type {Transferable[]} */ ([start.video, start.audio].filter(Boolean));
      worker.postMessage(start, transfer);
    } else {
      worker.postMessage(start);
      // Video is copied off the preview whenever it shows some (a call's camera may come on later).
      this.copyVideoFrames();
      if (audio) this.copyAudio();
    }
  }

  /**
   * Publishes another track of a kind from now on (a device switched, a screen shared), or
   * none (the camera turned off: no video is sent until a track comes back). The caller owns
   * the tracks; the media times stay continuous.
   * @param {'video' | 'audio'} kind @param {MediaStreamTrack | null} track
   */
  replaceTrack(kind, track) {
    const media = this.media;
    if (!media || !this.worker) return;
    for (const old of kind === 'video' ? media.getVideoTracks() : media.getAudioTracks()) {
      media.removeTrack(old);
      if (this.ownsMedia) old.stop();
    }
    if (track) media.addTrack(track);
    const Processor = trackProcessor();
    if (Processor) {
      const stream = track ? /** @type {ReadableStream<VideoFrame> | ReadableStream<AudioData>} */ (new Processor({ track }).readable) : null;
      this.worker.postMessage(/** @type {ToPublishWorker} */ ({ type: 'replaceSource', kind, stream }), stream ? [stream] : []);
      return;
    }
    // The fallback copies on this page: video off the preview (which shows `media`), audio through a new graph.
    this.worker.postMessage(/** @type {ToPublishWorker} */ ({ type: 'replaceSource', kind, stream: null }));
    if (kind === 'audio') {
      void this.audioContext?.close();
      this.audioContext = null;
      if (track) this.copyAudio();
    }
  }

  /** What the room shows of this publisher (a call page). @param {PublisherStateFlags} state */
  setPublisherState(state) {
    this.worker?.postMessage(/** @type {ToPublishWorker} */ ({ type: 'publisherState', state }));
  }

  /**
   * Ends capture, sends EndOfStream and closes the socket.
   * @param {string} [reason]  EndOfStream's reason
   */
  async stop(reason = 'publisher stopped') {
    if (!this.running) return;
    this.running = false;
    const worker = this.worker;
    if (worker) {
      const stopped = new Promise((resolve) => {
        worker.addEventListener('message', (e) => {
          if (e.data.type === 'stopped') resolve(undefined);
        });
        setTimeout(resolve, WORKER_STOP_WAIT_MS);
      });
      worker.postMessage(/** @type {ToPublishWorker} */ ({ type: 'stop', reason }));
      await stopped;
      worker.terminate();
    }
    this.worker = null;
    this.releaseMedia();
    this.setState('stopped', 'Stopped.');
  }

  /** @returns {Promise<MediaStream>} */
  capture() {
    const { width, height, frameRate } = this.options.capture;
    const video = { width: { ideal: width }, height: { ideal: height }, frameRate: { ideal: frameRate } };
    const audio = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
    return this.options.source === 'screen'
      ? navigator.mediaDevices.getDisplayMedia({ video, audio })
      : navigator.mediaDevices.getUserMedia({ video, audio });
  }

  releaseMedia() {
    releasePreview(this.preview, this.ownsMedia ? this.media?.getTracks() ?? [] : []);
    this.media = null;
    void this.audioContext?.close();
    this.audioContext = null;
  }

  /**
   * The fallback without MediaStreamTrackProcessor: every frame the preview presents, copied to
   * the worker. Until the preview calls `requestVideoFrameCallback` back, which WebKitGTK 2.50
   * without compositing never does (it presents no frame of its own), frames are copied on a timer
   * at the capture's frame rate instead. From the first frame on: video that started a second late
   * let audio go first (a publisher's audio waits only for video already captured), and the
   * relay recorded a 0.3 s audio-only segment before the video's config came.
   */
  copyVideoFrames() {
    const preview = this.preview;
    let called = false;
    /** the last frame's time: a callback's time (a frame's display time) may lie before the timer's last copy */
    let lastMs = -Infinity;
    /** @param {number} atMs the frame's time on performance.now()'s clock */
    const copyNow = (atMs) => {
      if (!this.worker || preview.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || atMs <= lastMs) return;
      lastMs = atMs;
      let frame;
      try {
        frame = new VideoFrame(preview, { timestamp: Math.round(atMs * 1000) });
      } catch (e) {
        // "Invalid source state" while the element changes frames (seen headless): skip this one
        console.debug('tunnelcast publisher: a preview frame could not be copied', e);
        return;
      }
      this.worker.postMessage(/** @type {ToPublishWorker} */ ({ type: 'videoFrame', frame }), [frame]);
    };
    /** @type {VideoFrameRequestCallback} */
    const copy = (now) => {
      if (!this.running || !this.worker) return;
      called = true;
      this.captureTimer = false;
      preview.requestVideoFrameCallback(copy); // first: a frame that cannot be copied must not end the loop
      copyNow(now);
    };
    preview.requestVideoFrameCallback(copy);
    const intervalMs = 1000 / Math.max(1, this.options.capture.frameRate);
    const tick = () => {
      if (!this.running || !this.worker || called) return;
      setTimeout(tick, intervalMs);
      if (preview.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return;
      this.captureTimer = true;
      copyNow(performance.now());
    };
    setTimeout(tick, intervalMs);
  }

  /** The fallback without MediaStreamTrackProcessor: the microphone's samples, as AudioData, to the worker. */
  copyAudio() {
    const media = /** @type {MediaStream} */ (this.media);
    if (!media.getAudioTracks().length) return;
    const context = new AudioContext();
    this.audioContext = context;
    this.audioContextSinceMs = performance.now();
    const source = context.createMediaStreamSource(new MediaStream(media.getAudioTracks()));
    const channels = Math.min(2, source.channelCount);
    // Made after getUserMedia settled, outside the click: Firefox left it suspended until asked.
    void context.resume().catch(() => {});
    const processor = context.createScriptProcessor(SCRIPT_PROCESSOR_FRAMES, channels, channels);
    const clock = new SampleClock(context.sampleRate);
    processor.onaudioprocess = (event) => {
      if (!this.running || !this.worker) return;
      const input = event.inputBuffer;
      const timestamp = clock.next(input.length, performance.now() * 1000);
      const planes = new Float32Array(input.length * channels);
      for (let c = 0; c < channels; c++) planes.set(input.getChannelData(c), c * input.length);
      const data = new AudioData({ format: 'f32-planar', sampleRate: input.sampleRate, numberOfFrames: input.length, numberOfChannels: channels,
        timestamp, data: planes });
      // The first channel goes along (the AudioData copied the samples): see messages.js.
      const firstChannel = planes.subarray(0, input.length);
      this.worker.postMessage(/** @type {ToPublishWorker} */ ({ type: 'audioData', data, firstChannel }), [planes.buffer]);
    };
    source.connect(processor);
    processor.connect(context.destination); // a ScriptProcessorNode runs only while connected; it outputs silence
  }

  /** @param {FromPublishWorker} message */
  fromWorker(message) {
    switch (message.type) {
      case 'stats':
        Object.assign(this.stats, message.stats);
        this.stats.copiedOnTimer = this.captureTimer;
        this.stats.captureAudioContext = this.audioContext?.state ?? '';
        this.stats.audioCaptureProblem = this.audioContext && this.audioContext.state !== 'running'
          && performance.now() - this.audioContextSinceMs > AUDIO_START_WAIT_MS
          ? `No sound is sent: this browser's audio does not start (its AudioContext stays ${this.audioContext.state}), so the microphone is not read.`
          : '';
        break;
      case 'connection':
        this.options.listener?.onConnection?.(message.open, message.code, message.reason, message.retrying);
        break;
      case 'roomEvent':
        this.options.listener?.onRoomEvent?.(message.event);
        break;
      case 'levels':
        this.options.listener?.onLevels?.(message.levels);
        break;
      case 'stamps':
        this.options.listener?.onStamps?.(message.stamps);
        break;
      case 'stopped':
        break;
      default: {
        /** @type {never} */
        const unknown = message;
        throw new Error(`unknown message ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** @param {PublisherState} state @param {string} message */
  setState(state, message) {
    this.stats.state = state;
    this.stats.message = message;
  }
}
