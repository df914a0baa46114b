// @ts-check
/**
 * The page's side of audio: the AudioContext and the playout worklet (the jitter buffer).
 * Decoded PCM reaches the worklet straight from the transport worker through a MessagePort
 * (see outputPort()); the page only steers (limits, reset) and listens to the worklet's
 * reports. It is also the master clock: heardMediaTimeMs() is the media time of the sample
 * the listener hears at a given moment.
 */

import { heardContextTime } from './output-clock.js';

/** @typedef {import('./jitter-buffer.js').JitterBufferStats} JitterBufferStats */
/** @typedef {import('./worklet-messages.js').FromWorklet} FromWorklet */
/** @typedef {import('./arrival-log.js').ArrivalRecord} ArrivalRecord */

/** The worklet always renders stereo; a mono track is played on both channels. */
const OUTPUT_CHANNELS = 2;
/**
 * How long a resume() may take before the engine says audio could not start. Firefox without a
 * sound server keeps every AudioContext suspended and its resume() never settles, even in a click.
 */
const RESUME_TIMEOUT_MS = 3000;
/** Beep onsets kept (heard times). */
const ONSETS_KEPT = 50;
/** How long arrivals() waits for the worklet's answer. */
const ARRIVALS_TIMEOUT_MS = 2000;

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
   * @param {{ floorMs: number, ceilingMs: number, workletUrl: string, context?: AudioContext, resumeTimeoutMs?: number,
   *   recordArrivals?: number }} options
   *   context: a context shared with other engines (a call page plays every participant through one); not closed here;
   *   recordArrivals: the worklet keeps the last this many packet arrivals for arrivals() (0 or absent: none, no cost)
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
    /** resumes that gave up: the context did not run within the bound, or refused */
    this.startFailures = 0;
    /** what the viewer is told when audio could not start ('' when it did, or was not tried) */
    this.startProblem = '';
    /** the heard time came from getOutputTimestamp() (false: from currentTime, the timestamp was not trusted) */
    this.outputTimestampTrusted = true;
    /** @type {((record: ArrivalRecord | null) => void)[]} arrivals() calls waiting for the worklet, oldest first */
    this.arrivalRequests = [];
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
      processorOptions: { channels: OUTPUT_CHANNELS, floorMs: this.options.floorMs, ceilingMs: this.options.ceilingMs,
        recordArrivals: this.options.recordArrivals ?? 0 },
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

  /**
   * Click-to-unmute: resume the context inside a user gesture, waiting at most resumeTimeoutMs.
   * @returns {Promise<boolean>} running; else startProblem says why (counted in startFailures)
   */
  async resume() {
    await this.start();
    const context = this.context;
    if (!context) return false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const bound = new Promise((resolve) => { timer = setTimeout(resolve, this.options.resumeTimeoutMs ?? RESUME_TIMEOUT_MS); });
    /** @type {unknown} */
    let refused = null;
    await Promise.race([context.resume().catch((e) => { refused = e; }), bound]);
    clearTimeout(timer);
    if (context.state === 'running') {
      this.startProblem = '';
      return true;
    }
    this.startFailures++;
    this.startProblem = refused
      ? `Audio could not start (${refused instanceof Error ? refused.message : String(refused)}): click to retry`
      : 'Audio could not start (the browser\'s audio output did not respond): click to retry';
    console.warn(`tunnelcast: ${this.startProblem}; AudioContext state ${context.state}`);
    return false;
  }

  /** @param {FromWorklet} message */
  fromWorklet(message) {
    if (message.type === 'arrivals') {
      this.arrivalRequests.shift()?.(message.record);
      return;
    }
    if (message.type !== 'stats') {
      console.warn('tunnelcast: playout worklet:', message.message);
      return;
    }
    this.report = message;
    const level = message.level;
    const heard = this.heard;
    const fresh = Math.min(level.beeps - heard.beeps, level.onsetsMs.length);
    // At once, while the output timestamp still maps context time to this moment's wall clock.
    if (fresh > 0 && this.context) {
      const nowMs = performance.now();
      const heardS = this.heardContextTimeS(nowMs);
      for (const onsetMs of level.onsetsMs.slice(-fresh)) heard.beepsHeardPerfMs.push(nowMs + onsetMs - heardS * 1000);
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
    const contextTimeAtNow = this.heardContextTimeS(perfNowMs);
    return report.stats.playoutMediaTimeMs + (contextTimeAtNow - report.contextTime) * 1000 * report.stats.speed;
  }

  /**
   * The context time reaching the speakers at perfNowMs (see heardContextTime).
   * @param {number} perfNowMs
   */
  heardContextTimeS(perfNowMs) {
    const context = /** @type {AudioContext} */ (this.context);
    const latencyS = (context.baseLatency || 0) + (context.outputLatency || 0);
    const heard = heardContextTime(context.getOutputTimestamp(), { currentTimeS: context.currentTime, latencyS }, perfNowMs);
    this.outputTimestampTrusted = heard.trusted;
    return heard.contextTimeS;
  }

  /**
   * The packet arrivals the jitter buffer saw last (since the last reset), when the engine was
   * made with recordArrivals; null without a log, before the worklet runs, or when it does not
   * answer within ARRIVALS_TIMEOUT_MS.
   * @returns {Promise<ArrivalRecord | null>}
   */
  arrivals() {
    const node = this.node;
    if (!node || !this.options.recordArrivals) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const i = this.arrivalRequests.indexOf(answer);
        if (i >= 0) this.arrivalRequests[i] = () => {}; // its answer, if it still comes, goes nowhere
        resolve(null);
      }, ARRIVALS_TIMEOUT_MS);
      /** @param {ArrivalRecord | null} record */
      const answer = (record) => {
        clearTimeout(timer);
        resolve(record);
      };
      this.arrivalRequests.push(answer);
      node.port.postMessage({ type: 'arrivals' });
    });
  }

  /** @returns {JitterBufferStats | null} */
  bufferStats() {
    return this.report?.stats ?? null;
  }
}
