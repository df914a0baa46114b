// @ts-check
/**
 * Audio: Opus packets → WebCodecs AudioDecoder → the playout worklet (jitter buffer) →
 * speakers. Also the master clock: heardMediaTimeMs() is the media time of the sample the
 * listener hears at a given moment, from the worklet's reports and the output timestamp.
 */
import { TrackKind } from '../gen/tunnelcast/v1/tunnelcast_pb.js';

/** @typedef {import('../transport/wire.js').TrackConfig} TrackConfig */
/** @typedef {import('../transport/wire.js').MediaPacket} MediaPacket */
/** @typedef {import('./jitter-buffer.js').JitterBufferStats} JitterBufferStats */
/** @typedef {import('./worklet-messages.js').FromWorklet} FromWorklet */

export class AudioEngine {
  /**
   * @param {{ floorMs: number, ceilingMs: number, workletUrl: string }} options
   */
  constructor(options) {
    this.options = options;
    /** @type {AudioContext | null} */
    this.context = null;
    /** @type {AudioWorkletNode | null} */
    this.node = null;
    /** @type {AudioDecoder | null} */
    this.decoder = null;
    /** @type {TrackConfig | null} */
    this.config = null;
    /** pts (µs) → arrival time (ms) of packets in the decoder */
    this.arrivals = new Map();
    /** @type {{ contextTime: number, stats: JitterBufferStats } | null} */
    this.report = null;
    this.packetsDecoded = 0;
    this.decodeErrors = 0;
    this.unsupported = '';
    /** @type {Promise<void> | null} */
    this.starting = null;
  }

  /** Creates the AudioContext and the worklet (once). */
  start() {
    this.starting ??= this.createGraph();
    return this.starting;
  }

  async createGraph() {
    const context = new AudioContext({ sampleRate: 48_000, latencyHint: 'interactive' });
    await context.audioWorklet.addModule(this.options.workletUrl);
    this.context = context;
  }

  /** True when the browser lets audio play (autoplay rules may keep it suspended). */
  get running() {
    return this.context?.state === 'running';
  }

  /** Click-to-unmute: resume the context inside a user gesture. */
  async resume() {
    await this.start();
    await this.context?.resume();
  }

  /**
   * A (new) audio track configuration.
   * @param {TrackConfig} config
   */
  async configure(config) {
    if (config.kind !== TrackKind.AUDIO) return;
    await this.start();
    const context = /** @type {AudioContext} */ (this.context);
    const channels = Math.max(1, config.channels || 1);
    const decoderConfig = { codec: config.codec, sampleRate: config.sampleRate || 48_000, numberOfChannels: channels,
      description: config.decoderConfig.length ? config.decoderConfig : undefined };
    if (typeof AudioDecoder === 'undefined' || !(await AudioDecoder.isConfigSupported(decoderConfig)).supported) {
      this.unsupported = `audio codec ${config.codec} cannot be decoded by this browser`;
      return;
    }
    this.unsupported = '';
    this.config = config;
    if (!this.node || this.node.channelCount !== channels) {
      this.node?.disconnect();
      this.node = new AudioWorkletNode(context, 'tunnelcast-playout', {
        numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [channels],
        processorOptions: { channels, floorMs: this.options.floorMs, ceilingMs: this.options.ceilingMs },
      });
      this.node.port.onmessage = (/** @type {MessageEvent<FromWorklet>} */ e) => this.fromWorklet(e.data);
      this.node.connect(context.destination);
    } else {
      this.node.port.postMessage({ type: 'reset' });
    }
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = new AudioDecoder({ output: (data) => this.decoded(data), error: (e) => this.failed(e) });
    this.decoder.configure(decoderConfig);
    this.arrivals.clear();
  }

  /** @param {FromWorklet} message */
  fromWorklet(message) {
    if (message.type === 'stats') this.report = message;
    else console.warn('tunnelcast: playout worklet:', message.message);
  }

  /** @param {MediaPacket} packet @param {number} arrivalMs */
  push(packet, arrivalMs) {
    if (!this.decoder || this.decoder.state !== 'configured') return;
    const timestamp = Number(packet.ptsMicros);
    this.arrivals.set(timestamp, arrivalMs);
    try {
      this.decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp, duration: packet.durationMicros || 20_000, data: packet.payload }));
    } catch (e) {
      this.failed(/** @type {Error} */ (e));
    }
  }

  /** @param {AudioData} data */
  decoded(data) {
    const planes = [];
    for (let c = 0; c < data.numberOfChannels; c++) {
      const plane = new Float32Array(data.numberOfFrames);
      data.copyTo(plane, { planeIndex: c, format: 'f32-planar' });
      planes.push(plane);
    }
    const arrivalMs = this.arrivals.get(data.timestamp) ?? performance.now();
    this.arrivals.delete(data.timestamp);
    const mediaTimeMs = data.timestamp / 1000;
    data.close();
    this.packetsDecoded++;
    this.node?.port.postMessage({ type: 'pcm', mediaTimeMs, arrivalMs, planes }, planes.map((p) => p.buffer));
  }

  /** A decode error: count it and start over at the next packet (Opus packets are independent). @param {Error} e */
  failed(e) {
    this.decodeErrors++;
    console.warn('tunnelcast: audio decode error', e);
    if (this.config) void this.configure(this.config);
  }

  /** After a reconnect: drop buffered audio, keep the graph. */
  reset() {
    this.node?.port.postMessage({ type: 'reset' });
    this.report = null;
  }

  /** @param {number} floorMs @param {number} ceilingMs */
  setLimits(floorMs, ceilingMs) {
    this.node?.port.postMessage({ type: 'limits', floorMs, ceilingMs });
  }

  /**
   * The media time (ms) heard at a moment, or NaN when audio is not playing.
   * @param {number} perfNowMs a performance.now() value
   */
  heardMediaTimeMs(perfNowMs) {
    const report = this.report;
    if (!this.running || !report || !report.stats.playing || !this.context) return NaN;
    const out = this.context.getOutputTimestamp();
    if (out.contextTime === undefined || out.performanceTime === undefined) return NaN;
    const contextTimeAtNow = out.contextTime + (perfNowMs - out.performanceTime) / 1000;
    return report.stats.playoutMediaTimeMs + (contextTimeAtNow - report.contextTime) * 1000 * report.stats.rate;
  }

  /** @returns {JitterBufferStats | null} */
  bufferStats() {
    return this.report?.stats ?? null;
  }
}
