// @ts-check
/**
 * The publisher's WebCodecs `AudioEncoder`: Opus in 20 ms frames, DTX on unless turned off
 * (silence then costs almost nothing: the voice activity detection of a call; done here by
 * SilenceGate, not by the encoder, whose DTX loses the packets' times), configured from the
 * first captured `AudioData` (its sample rate and up to two channels; Opus decodes at 48 kHz
 * whatever went in). Packets carry their inputs' timestamps (EncoderTimestamps).
 */
import { bytesOf, opusHead } from './track-format.js';
import { EncoderTimestamps } from './capture-timeline.js';
import { SilenceGate, rmsDb } from './silence-gate.js';

/**
 * @typedef {object} AudioTrackFormat
 * @property {Uint8Array} opusHead
 * @property {number} channels
 * @property {number} inputSampleRate
 * @property {number} bitrateBps
 */

/**
 * @typedef {object} EncodedAudio
 * @property {Uint8Array} payload
 * @property {number} timestampMicros  the source's timestamp of the packet's first sample
 * @property {number} durationMicros
 */

/**
 * @typedef {object} AudioEncoderListener
 * @property {(format: AudioTrackFormat) => void} onFormat
 * @property {(packet: EncodedAudio) => void} onPacket
 * @property {(error: Error) => void} onError
 */

export const OPUS_FRAME_MICROS = 20_000;

export class AudioTrackEncoder {
  /** @param {{ bitrateBps: number, dtx: boolean }} settings @param {AudioEncoderListener} listener */
  constructor(settings, listener) {
    this.settings = settings;
    this.listener = listener;
    /** @type {AudioEncoder | null} */
    this.encoder = null;
    /** @type {AudioTrackFormat | null} */
    this.format = null;
    this.configuring = false;
    this.packetsEncoded = 0;
    this.unsupported = '';
    /** @type {EncoderTimestamps | null} the inputs' timestamps, for the packets' (the encoder's own lose gaps) */
    this.timestamps = null;
    /** where the next packet starts on the encoder's timeline, when its chunks are labelled by input (see output) */
    this.nextEncoderMicros = NaN;
    /** @type {SilenceGate | null} DTX */
    this.gate = settings.dtx ? new SilenceGate() : null;
    /** @type {Float32Array} */
    this.levelSamples = new Float32Array(0);
  }

  /** Packets of silence not sent (DTX). */
  get silenceDropped() {
    return this.gate?.dropped ?? 0;
  }

  /**
   * Encodes (and closes) one chunk of captured audio.
   * @param {AudioData} data @param {Float32Array} [firstChannel]  its first channel's samples, if known (the gate reads them)
   */
  async encode(data, firstChannel) {
    try {
      if (!this.encoder) {
        if (this.configuring) return;
        await this.configure(data.sampleRate, Math.min(2, data.numberOfChannels));
      }
      if (this.encoder?.state === 'configured') {
        this.timestamps ??= new EncoderTimestamps(data.sampleRate);
        this.timestamps.input(data.timestamp, data.numberOfFrames, this.gate ? this.levelOf(data, firstChannel) : 0);
        this.encoder.encode(data);
      }
    } finally {
      data.close();
    }
  }

  /** @param {number} sampleRate @param {number} channels */
  async configure(sampleRate, channels) {
    this.configuring = true;
    try {
      /** @type {AudioEncoderConfig} */
      // usedtx stays off: the encoder's DTX stamps the packets it sends by counting them (see SilenceGate).
      const config = { codec: 'opus', sampleRate, numberOfChannels: channels, bitrate: this.settings.bitrateBps,
        opus: { frameDuration: OPUS_FRAME_MICROS, usedtx: false, format: 'opus' } };
      const { supported } = await AudioEncoder.isConfigSupported(config);
      if (!supported) {
        this.unsupported = `this browser cannot encode Opus from ${channels} channel(s) at ${sampleRate} Hz`;
        throw new Error(this.unsupported);
      }
      const encoder = new AudioEncoder({
        output: (chunk, metadata) => this.output(chunk, metadata, channels, sampleRate),
        error: (e) => this.listener.onError(e instanceof Error ? e : new Error(String(e))),
      });
      encoder.configure(config);
      this.encoder = encoder;
    } finally {
      this.configuring = false;
    }
  }

  /**
   * @param {EncodedAudioChunk} chunk @param {EncodedAudioChunkMetadata | undefined} metadata
   * @param {number} channels @param {number} inputSampleRate
   */
  output(chunk, metadata, channels, inputSampleRate) {
    if (!this.format || metadata?.decoderConfig) {
      const description = metadata?.decoderConfig?.description ? bytesOf(metadata.decoderConfig.description) : null;
      this.format = { opusHead: opusHead(channels, inputSampleRate, description), channels, inputSampleRate, bitrateBps: this.settings.bitrateBps };
      this.listener.onFormat(this.format);
    }
    this.packetsEncoded++;
    // WebKitGTK 2.50 labels each packet with the timestamp and duration of the input it came from
    // (1024 samples at 44.1 kHz: 23.2 ms; two packets of one input share a timestamp): a chunk that
    // does not last the frame asked for is placed by count, at the end of the one before.
    const labelledByInput = chunk.duration !== null && chunk.duration !== undefined && chunk.duration !== OPUS_FRAME_MICROS;
    const encoderMicros = labelledByInput && Number.isFinite(this.nextEncoderMicros) ? this.nextEncoderMicros : chunk.timestamp;
    const durationMicros = labelledByInput ? OPUS_FRAME_MICROS : chunk.duration ?? OPUS_FRAME_MICROS;
    this.nextEncoderMicros = encoderMicros + durationMicros;
    const timestampMicros = this.timestamps ? Math.round(this.timestamps.sourceMicros(encoderMicros)) : encoderMicros;
    if (this.gate && this.timestamps) {
      const level = this.timestamps.levelDb(encoderMicros, Math.round((durationMicros * inputSampleRate) / 1e6));
      if (!this.gate.send(timestampMicros, level)) return;
    }
    this.listener.onPacket({ payload: bytesOf(chunk), timestampMicros, durationMicros });
  }

  /**
   * The RMS of a chunk's first channel, dBFS.
   * @param {AudioData} data @param {Float32Array} [firstChannel]  its samples, if known (WebKitGTK's copyTo aborts on the page's AudioData)
   */
  levelOf(data, firstChannel) {
    if (firstChannel) return rmsDb(firstChannel);
    try {
      if (this.levelSamples.length < data.numberOfFrames) this.levelSamples = new Float32Array(data.numberOfFrames);
      const samples = this.levelSamples.subarray(0, data.numberOfFrames);
      data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
      return rmsDb(samples);
    } catch {
      return 0; // unreadable: count it as sound, never drop it
    }
  }

  /** Outputs what the encoder still holds (before its source is replaced). */
  async flush() {
    if (this.encoder?.state === 'configured') await this.encoder.flush();
  }

  close() {
    if (this.encoder && this.encoder.state !== 'closed') this.encoder.close();
  }
}
