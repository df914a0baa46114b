// @ts-check
/**
 * Opus packets → PCM planes posted to the playout worklet's port, each with its packet's
 * arrival time (for the jitter statistics). Runs in the transport worker. Decodes with
 * WebCodecs `AudioDecoder` where it can, else with libopus in WASM (loaded on demand):
 * both give the worklet the same { mediaTimeMs, arrivalMs, planes }. Opus packets are
 * independent, so a decode error only restarts the decoder.
 */
import { parseOpusHead, defaultOpusHead } from './opus-head.js';
import { DecoderInputs } from './decoder-inputs.js';
import { rmsDb } from '../publish/silence-gate.js';

/** Decoded packets whose loudest is reported (~0.5 s of 20 ms packets). */
const LEVEL_PACKETS = 25;

/** @typedef {import('../transport/wire.js').TrackConfig} TrackConfig */
/** @typedef {import('../transport/wire.js').MediaPacket} MediaPacket */
/** @typedef {import('./wasm-opus-decoder.js').WasmOpusDecoder} WasmOpusDecoder */
/** @typedef {'' | 'webcodecs' | 'wasm'} AudioDecoderKind  '' until a track is configured */

/** @param {AudioDecoderConfig} config */
async function webCodecsDecodes(config) {
  if (typeof AudioDecoder === 'undefined') return false;
  try {
    return (await AudioDecoder.isConfigSupported(config)).supported === true;
  } catch {
    return false;
  }
}

export class OpusDecoder {
  /** @param {{ preferWasm?: boolean }} [options] preferWasm: skip WebCodecs (`?audio=wasm`, or the page has none) */
  constructor(options = {}) {
    this.preferWasm = options.preferWasm ?? false;
    /** @type {AudioDecoderKind} */
    this.kind = '';
    /** @type {AudioDecoder | null} */
    this.decoder = null;
    /** @type {AudioDecoderConfig | null} */
    this.config = null;
    /** @type {WasmOpusDecoder | null} */
    this.wasm = null;
    /** @type {MessagePort | null} where PCM goes (the worklet) */
    this.port = null;
    /** the packets inside the decoder (their media times and arrivals: not the outputs' timestamps) */
    this.inputs = new DecoderInputs();
    /** bumped by every configure: a slow WASM load for an older track is dropped */
    this.generation = 0;
    this.packetsDecoded = 0;
    this.decodeErrors = 0;
    this.droppedNoOutput = 0;
    /** RMS of the latest decoded packets, dBFS: what the decoder gave the playout, beside what it played */
    this.recentLevelsDb = new Float64Array(LEVEL_PACKETS).fill(-Infinity);
    this.levels = 0;
    this.unsupported = '';
  }

  /** @param {TrackConfig} track */
  async configure(track) {
    const generation = ++this.generation;
    this.closeDecoders();
    const config = { codec: track.codec, sampleRate: track.sampleRate || 48_000, numberOfChannels: Math.max(1, track.channels || 1),
      description: track.decoderConfig.length ? track.decoderConfig : undefined };
    if (!this.preferWasm && (await webCodecsDecodes(config))) {
      if (generation !== this.generation) return;
      this.unsupported = '';
      this.kind = 'webcodecs';
      this.config = config;
      this.restart();
      return;
    }
    if (track.codec !== 'opus') {
      this.unsupported = `audio codec ${track.codec} cannot be decoded by this browser`;
      return;
    }
    try {
      const head = track.decoderConfig.length ? parseOpusHead(track.decoderConfig) : defaultOpusHead(config.numberOfChannels);
      const { WasmOpusDecoder } = await import('./wasm-opus-decoder.js');
      const wasm = await WasmOpusDecoder.create(head);
      if (generation !== this.generation) {
        wasm.close();
        return;
      }
      this.unsupported = '';
      this.kind = 'wasm';
      this.wasm = wasm;
    } catch (e) {
      if (generation !== this.generation) return;
      this.unsupported = `audio codec ${track.codec} cannot be decoded by this browser (WASM decoder: ${e instanceof Error ? e.message : e})`;
      console.warn('tunnelcast: WASM Opus decoder unavailable', e);
    }
  }

  closeDecoders() {
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = null;
    this.config = null;
    this.wasm?.close();
    this.wasm = null;
    this.kind = '';
    this.inputs.clear();
  }

  /** A fresh decoder state (after a reconnect: the stream resumes elsewhere). */
  restart() {
    if (this.wasm) {
      const generation = this.generation;
      const stale = this.wasm;
      void import('./wasm-opus-decoder.js')
        .then(({ WasmOpusDecoder }) => WasmOpusDecoder.create(stale.head))
        .then((fresh) => {
          if (generation !== this.generation || this.wasm !== stale) return fresh.close();
          stale.close();
          this.wasm = fresh;
        })
        .catch((e) => console.warn('tunnelcast: WASM Opus decoder restart failed', e));
      return;
    }
    if (!this.config) return;
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.inputs.clear();
    this.decoder = new AudioDecoder({
      output: (data) => this.decoded(data),
      error: (e) => {
        this.decodeErrors++;
        console.warn('tunnelcast: audio decode error', e);
        queueMicrotask(() => this.restart());
      },
    });
    this.decoder.configure(this.config);
  }

  /** @param {MediaPacket} packet @param {number} arrivalMs */
  push(packet, arrivalMs) {
    if (this.wasm) {
      const pcm = this.wasm.decode(packet.payload, Number(packet.ptsMicros), packet.durationMicros || 20_000);
      if (!pcm) {
        this.decodeErrors++;
        return;
      }
      this.packetsDecoded++;
      this.emit(pcm.mediaTimeMs, arrivalMs, pcm.planes);
      return;
    }
    if (!this.decoder || this.decoder.state !== 'configured') return;
    const timestamp = Number(packet.ptsMicros);
    this.inputs.note(timestamp, arrivalMs);
    this.decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp, duration: packet.durationMicros || 20_000, data: packet.payload }));
  }

  /** @param {AudioData} data */
  decoded(data) {
    const input = this.inputs.take();
    const arrivalMs = input?.arrivalMs ?? performance.now();
    this.packetsDecoded++;
    if (!this.port) {
      this.droppedNoOutput++;
      data.close();
      return;
    }
    const planes = [];
    for (let c = 0; c < data.numberOfChannels; c++) {
      const plane = new Float32Array(data.numberOfFrames);
      data.copyTo(plane, { planeIndex: c, format: 'f32-planar' });
      planes.push(plane);
    }
    const mediaTimeMs = (input?.ptsMicros ?? data.timestamp) / 1000;
    data.close();
    this.emit(mediaTimeMs, arrivalMs, planes);
  }

  /** The loudest of the latest decoded packets, dBFS (-Infinity: digital silence, or none yet). */
  get recentPeakDb() {
    return Math.max(...this.recentLevelsDb);
  }

  /** @param {number} mediaTimeMs @param {number} arrivalMs @param {Float32Array[]} planes */
  emit(mediaTimeMs, arrivalMs, planes) {
    this.recentLevelsDb[this.levels++ % LEVEL_PACKETS] = rmsDb(planes[0]);
    if (!this.port) {
      this.droppedNoOutput++;
      return;
    }
    this.port.postMessage({ type: 'pcm', mediaTimeMs, arrivalMs, planes }, planes.map((p) => p.buffer));
  }
}
