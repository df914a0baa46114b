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

/**
 * @typedef {object} PublisherOptions
 * @property {string} stream
 * @property {string} token
 * @property {string} wsBase        ws(s)://host
 * @property {string} workerUrl     the publish worker's script
 * @property {'camera' | 'screen'} source
 * @property {{ width: number, height: number, frameRate: number }} capture  what to ask the camera or screen for
 * @property {PublishSettings} settings
 */

/**
 * A Chromium-only class (Insertable Streams for MediaStreamTrack), not in TypeScript's DOM lib.
 * @typedef {new (init: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame | AudioData> }} TrackProcessorClass
 */

const SCRIPT_PROCESSOR_FRAMES = 1024;

/**
 * @param {string} stream @param {'camera' | 'screen'} source @param {PublishSettings} settings
 * @returns {PublisherStats}
 */
export function initialPublisherStats(stream, source, settings) {
  return { state: 'idle', message: '', stream, source, offMainThread: false, videoCodec: '', videoEncoder: '', width: 0, height: 0,
    videoBitrateBps: settings.videoBitrateBps, videoTargetBps: settings.videoBitrateBps, audioCodec: '', audioChannels: 0, audioSampleRate: 0,
    audioBitrateBps: settings.audioBitrateBps, dtx: settings.dtx, bitrateKbps: 0, queueBytes: 0, socketBufferedBytes: 0, networkDelayMs: 0, drainRateKbps: 0,
    congestions: 0, videoDropped: 0, audioDropped: 0, droppedOffline: 0, bitrateDecreases: 0, bitrateIncreases: 0, framesCaptured: 0, framesEncoded: 0,
    encoderDrops: 0, keyframes: 0, keyframeRequests: 0, audioPacketsEncoded: 0, videoPacketsSent: 0, audioPacketsSent: 0, connections: 0,
    videoCaptureToPacketMs: NaN, audioCaptureToPacketMs: NaN,
    clockOffsetMs: NaN, rttMs: NaN };
}

export class Publisher {
  /** @param {PublisherOptions} options */
  constructor(options) {
    this.options = options;
    /** @type {PublisherStats} */
    this.stats = initialPublisherStats(options.stream, options.source, options.settings);
    this.url = `${options.wsBase}/ws/publish/${encodeURIComponent(options.stream)}${options.token ? `?token=${encodeURIComponent(options.token)}` : ''}`;
    /** @type {MediaStream | null} */
    this.media = null;
    /** @type {Worker | null} */
    this.worker = null;
    /** @type {AudioContext | null} the main-thread audio fallback */
    this.audioContext = null;
    this.preview = /** @type {HTMLVideoElement} */ (document.createElement('video'));
    this.preview.muted = true;
    this.preview.playsInline = true;
    this.preview.autoplay = true;
    this.running = false;
  }

  get element() {
    return this.preview;
  }

  /** Asks for the devices (or the screen), then starts publishing. */
  async start() {
    this.setState('starting', this.options.source === 'screen' ? 'Choose a screen to share…' : 'Asking for the camera and microphone…');
    try {
      this.media = await this.capture();
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
    // A user who ends the share from the browser's own bar ends the publication.
    video?.addEventListener('ended', () => void this.stop());
    const Processor = /** @type {TrackProcessorClass | undefined} */ (/** @type {any} */ (globalThis).MediaStreamTrackProcessor);
    const start = /** @type {ToPublishWorker} */ ({ type: 'start', url: this.url, stream: this.options.stream, source: this.options.source,
      settings: this.options.settings, video: null, audio: null });
    if (Processor && start.type === 'start') {
      start.video = video ? /** @type {ReadableStream<VideoFrame>} */ (new Processor({ track: video }).readable) : null;
      start.audio = audio ? /** @type {ReadableStream<AudioData>} */ (new Processor({ track: audio }).readable) : null;
      const transfer = /** @type {Transferable[]} */ ([start.video, start.audio].filter(Boolean));
      worker.postMessage(start, transfer);
    } else {
      worker.postMessage(start);
      if (video) this.copyVideoFrames();
      if (audio) this.copyAudio();
    }
  }

  /** Ends capture, sends EndOfStream and closes the socket. */
  async stop() {
    if (!this.running) return;
    this.running = false;
    const worker = this.worker;
    if (worker) {
      const stopped = new Promise((resolve) => {
        worker.addEventListener('message', (e) => {
          if (e.data.type === 'stopped') resolve(undefined);
        });
        setTimeout(resolve, 4000);
      });
      worker.postMessage(/** @type {ToPublishWorker} */ ({ type: 'stop' }));
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
    for (const track of this.media?.getTracks() ?? []) track.stop();
    this.media = null;
    this.preview.srcObject = null;
    void this.audioContext?.close();
    this.audioContext = null;
  }

  /** The fallback without MediaStreamTrackProcessor: every frame the preview presents, copied to the worker. */
  copyVideoFrames() {
    const preview = this.preview;
    /** @type {VideoFrameRequestCallback} */
    const copy = (now) => {
      if (!this.running || !this.worker) return;
      preview.requestVideoFrameCallback(copy); // first: a frame that cannot be copied must not end the loop
      if (preview.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return;
      let frame;
      try {
        frame = new VideoFrame(preview, { timestamp: Math.round(now * 1000) });
      } catch (e) {
        // "Invalid source state" while the element changes frames (seen headless): skip this one
        console.debug('tunnelcast publisher: a preview frame could not be copied', e);
        return;
      }
      this.worker.postMessage(/** @type {ToPublishWorker} */ ({ type: 'videoFrame', frame }), [frame]);
    };
    preview.requestVideoFrameCallback(copy);
  }

  /** The fallback without MediaStreamTrackProcessor: the microphone's samples, as AudioData, to the worker. */
  copyAudio() {
    const media = /** @type {MediaStream} */ (this.media);
    const context = new AudioContext();
    this.audioContext = context;
    const source = context.createMediaStreamSource(media);
    const channels = Math.min(2, source.channelCount);
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
      this.worker.postMessage(/** @type {ToPublishWorker} */ ({ type: 'audioData', data }));
    };
    source.connect(processor);
    processor.connect(context.destination); // a ScriptProcessorNode runs only while connected; it outputs silence
  }

  /** @param {FromPublishWorker} message */
  fromWorker(message) {
    switch (message.type) {
      case 'stats':
        Object.assign(this.stats, message.stats);
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
