// @ts-check
/**
 * The page's side of audio: the AudioContext and the playout worklet (the jitter buffer).
 * Decoded PCM reaches the worklet straight from the transport worker through a MessagePort
 * (see outputPort()); the page only steers (limits, reset) and listens to the worklet's
 * reports. It is also the master clock: heardMediaTimeMs() is the media time of the sample
 * the listener hears at a given moment.
 */

/** @typedef {import('./jitter-buffer.js').JitterBufferStats} JitterBufferStats */
/** @typedef {import('./worklet-messages.js').FromWorklet} FromWorklet */

/** The worklet always renders stereo; a mono track is played on both channels. */
const OUTPUT_CHANNELS = 2;

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
    /** @type {{ contextTime: number, stats: JitterBufferStats } | null} */
    this.report = null;
    /** @type {Promise<void> | null} */
    this.starting = null;
  }

  /** Creates the AudioContext and the worklet (once). */
  start() {
    this.starting ??= this.createGraph();
    return this.starting;
  }

  async createGraph() {
    // The smallest output buffer the platform allows: in Chromium on Linux 'interactive'
    // means ~42 ms of device latency, 0 means ~11 ms, and every ms of it delays the video too.
    const context = new AudioContext({ sampleRate: 48_000, latencyHint: 0 });
    await context.audioWorklet.addModule(this.options.workletUrl);
    const node = new AudioWorkletNode(context, 'tunnelcast-playout', {
      numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [OUTPUT_CHANNELS],
      processorOptions: { channels: OUTPUT_CHANNELS, floorMs: this.options.floorMs, ceilingMs: this.options.ceilingMs },
    });
    node.port.onmessage = (/** @type {MessageEvent<FromWorklet>} */ e) => this.fromWorklet(e.data);
    node.connect(context.destination);
    this.context = context;
    this.node = node;
  }

  /** A new port that delivers PCM to the worklet (hand it to the decoder's thread). */
  async outputPort() {
    await this.start();
    const channel = new MessageChannel();
    this.node?.port.postMessage({ type: 'pcmPort', port: channel.port1 }, [channel.port1]);
    return channel.port2;
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

  /** @param {FromWorklet} message */
  fromWorklet(message) {
    if (message.type === 'stats') this.report = message;
    else console.warn('tunnelcast: playout worklet:', message.message);
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
    return report.stats.playoutMediaTimeMs + (contextTimeAtNow - report.contextTime) * 1000 * report.stats.speed;
  }

  /** @returns {JitterBufferStats | null} */
  bufferStats() {
    return this.report?.stats ?? null;
  }
}
