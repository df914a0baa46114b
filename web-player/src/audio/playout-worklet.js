// @ts-check
/**
 * The AudioWorklet processor: plays decoded PCM out of the jitter buffer, one 128-sample
 * block per callback, and reports the buffer's figures to the main thread.
 * Bundled on its own (esbuild) and loaded with audioWorklet.addModule().
 */
/// <reference path="./worklet-globals.d.ts" />
import { JitterBuffer } from './jitter-buffer.js';
import { LevelMeter } from './level-meter.js';
import { ArrivalLog } from './arrival-log.js';

const REPORT_EVERY_BLOCKS = 8; // ~21 ms at 48 kHz

class PlayoutProcessor extends AudioWorkletProcessor {
  /** @param {{ processorOptions: { channels: number, floorMs: number, ceilingMs: number, recordArrivals?: number } }} options */
  constructor(options) {
    super();
    const { channels, floorMs, ceilingMs, recordArrivals = 0 } = options.processorOptions;
    this.buffer = new JitterBuffer({ sampleRate, channels, floorMs, ceilingMs });
    /** the last recordArrivals arrivals the buffer saw, when the page records them (`?record-arrivals=N`) */
    this.arrivals = recordArrivals > 0 ? new ArrivalLog(recordArrivals) : null;
    /** what is played: a call tile's speaking indicator, and the beeps the call tests time */
    this.level = new LevelMeter({ sampleRate });
    this.blocks = 0;
    this.ended = false;
    this.port.onmessage = (/** @type {MessageEvent<import('./worklet-messages.js').ToWorklet>} */ event) => this.receive(event.data);
  }

  /** @param {import('./worklet-messages.js').ToWorklet} message */
  receive(message) {
    try {
      switch (message.type) {
        case 'pcm':
          this.buffer.push(message.mediaTimeMs, message.arrivalMs, message.planes);
          this.arrivals?.note(message.mediaTimeMs, message.arrivalMs, (message.planes[0].length / sampleRate) * 1000);
          break;
        case 'limits':
          this.buffer.setLimits(message.floorMs, message.ceilingMs);
          break;
        case 'reset':
          this.buffer.reset();
          this.arrivals?.clear();
          break;
        case 'arrivals':
          this.port.postMessage({ type: 'arrivals', record: this.arrivals?.record() ?? null });
          break;
        case 'end':
          this.ended = true; // the player is gone but its context plays on (shared): stop rendering
          break;
        case 'pcmPort':
          // PCM straight from the decoder's thread.
          message.port.onmessage = (/** @type {MessageEvent<import('./worklet-messages.js').ToWorklet>} */ event) => this.receive(event.data);
          break;
        default: {
          /** @type {never} */
          const unknown = message;
          throw new Error(`unknown message ${JSON.stringify(unknown)}`);
        }
      }
    } catch (e) {
      this.port.postMessage({ type: 'error', message: String(e) });
    }
  }

  /** @param {Float32Array[][]} _inputs @param {Float32Array[][]} outputs */
  process(_inputs, outputs) {
    if (this.ended) return false;
    const contextTime = currentTime; // before rendering: the block's first sample
    // Date.now(): the one wall clock a worklet has; the buffer notices the output falling behind it.
    this.buffer.render(outputs[0], Date.now());
    this.level.process(outputs[0][0], contextTime * 1000);
    if (++this.blocks % REPORT_EVERY_BLOCKS === 0) {
      this.port.postMessage({ type: 'stats', contextTime, stats: this.buffer.stats(), level: this.level.figures() });
    }
    return true;
  }
}

registerProcessor('tunnelcast-playout', PlayoutProcessor);
