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
/** Beep onsets kept (heard times). */
const ONSETS_KEPT = 50;

/** @type {WeakMap<AudioContext, Promise<void>>} the worklet module, loaded once per context */
const workletLoads = new WeakMap();

/**
 * The figures of what is heard: a call tile's speaking indicator and the beeps the call tests
 * and benchmark time.
 * @typedef {object} HeardLevel
 * @property {number} levelDb
 * @property {number} peakDb
 * @property {boolean} speaking
 * @property {number} beeps
 * @property {number[]} beepsHeardPerfMs   when each recent onset reached the output device, performance.now() ms
 */

export class AudioEngine {
  /**
   * @param {{ floorMs: number, ceilingMs: number, workletUrl: string, context?: AudioContext }} options
   *   context: a context shared with other engines (a call page plays every participant through one); not closed here
   */
  constructor(options) {
    this.options = options;
    /** @type {AudioContext | null} */
    this.context = null;
    /** @type {HeardLevel} */
    this.heard = { levelDb: -100, peakDb: -100, speaking: false, beeps: 0, beepsHeardPerfMs: [] };
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
    const context = this.options.context ?? new AudioContext({ sampleRate: 48_000, latencyHint: 0 });
    let loaded = workletLoads.get(context);
    if (!loaded) {
      loaded = context.audioWorklet.addModule(this.options.workletUrl);
      workletLoads.set(context, loaded);
    }
    await loaded;
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
    if (message.type !== 'stats') {
      console.warn('tunnelcast: playout worklet:', message.message);
      return;
    }
    this.report = message;
    const level = message.level;
    const heard = this.heard;
    const fresh = Math.min(level.beeps - heard.beeps, level.onsetsMs.length);
    // At once, while the output timestamp still maps context time to this moment's wall clock.
    const out = fresh > 0 ? this.context?.getOutputTimestamp() : undefined;
    if (out?.contextTime !== undefined && out.performanceTime !== undefined) {
      for (const onsetMs of level.onsetsMs.slice(-fresh)) heard.beepsHeardPerfMs.push(out.performanceTime + onsetMs - out.contextTime * 1000);
      heard.beepsHeardPerfMs.splice(0, Math.max(0, heard.beepsHeardPerfMs.length - ONSETS_KEPT));
    }
    heard.beeps = level.beeps;
    heard.levelDb = level.levelDb;
    heard.peakDb = level.peakDb;
    heard.speaking = level.speaking;
  }

  /** Ends the audio: the worklet node, and the context unless it is shared. */
  close() {
    this.node?.port.postMessage({ type: 'end' });
    this.node?.disconnect();
    if (!this.options.context) void this.context?.close();
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
