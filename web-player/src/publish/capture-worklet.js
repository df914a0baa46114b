// @ts-check
/**
 * The AudioWorklet processor of the publisher's fallback (no MediaStreamTrackProcessor:
 * Firefox, WebKit): reads the microphone on the audio rendering thread and posts its samples
 * in chunks straight to the publish worker, over the port the page gives it, so the page's
 * main thread is not on the audio path (a ScriptProcessorNode ran there, and a busy page lost
 * a quarter of the audio). Outputs silence. Bundled on its own (esbuild) and loaded with
 * audioWorklet.addModule().
 */
/// <reference path="../audio/worklet-globals.d.ts" />
import { AudioChunker } from './audio-chunker.js';

/**
 * A chunk is 20 ms, one Opus frame at any sample rate (960 frames at 48 kHz, 882 at 44.1 kHz):
 * 50 messages a second to the worker instead of 375 quanta, and at most 20 ms added to the
 * capture delay (the ScriptProcessorNode's 1024 frames added 21).
 */
const CHUNK_MS = 20;

class CaptureProcessor extends AudioWorkletProcessor {
  /** @param {{ processorOptions: { channels: number } }} options */
  constructor(options) {
    super();
    const channels = options.processorOptions.channels;
    /** @type {MessagePort | null} the publish worker's end; chunks before it came are dropped */
    this.out = null;
    this.chunker = new AudioChunker(channels, Math.round((sampleRate * CHUNK_MS) / 1000), (planes, frames) => {
      this.out?.postMessage(/** @type {import('./messages.js').CapturedChunk} */ ({ planes, frames, channels }), [planes.buffer]);
    });
    this.port.onmessage = (/** @type {MessageEvent<import('./messages.js').ToCaptureWorklet>} */ event) => {
      const message = event.data;
      if (message.type !== 'port') throw new Error(`unknown message ${JSON.stringify(message)}`);
      this.out = message.port;
    };
  }

  /** @param {Float32Array[][]} inputs @param {Float32Array[][]} outputs */
  process(inputs, outputs) {
    // The output's length is the quantum's, also when the input has no channels (its source is not running).
    this.chunker.push(inputs[0] ?? [], outputs[0]?.[0]?.length ?? 128);
    return true; // kept alive while its input is silent
  }
}

registerProcessor('tunnelcast-capture', CaptureProcessor);
