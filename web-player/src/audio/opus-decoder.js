// @ts-check
/**
 * Opus packets → WebCodecs AudioDecoder → PCM planes posted to the playout worklet's port,
 * each with its packet's arrival time (for the jitter statistics). Runs in the transport
 * worker. Opus packets are independent, so a decode error only restarts the decoder.
 */

/** @typedef {import('../transport/wire.js').TrackConfig} TrackConfig */
/** @typedef {import('../transport/wire.js').MediaPacket} MediaPacket */

export class OpusDecoder {
  constructor() {
    /** @type {AudioDecoder | null} */
    this.decoder = null;
    /** @type {AudioDecoderConfig | null} */
    this.config = null;
    /** @type {MessagePort | null} where PCM goes (the worklet) */
    this.port = null;
    /** pts (µs) → arrival time (ms) of packets inside the decoder */
    this.arrivals = new Map();
    this.packetsDecoded = 0;
    this.decodeErrors = 0;
    this.droppedNoOutput = 0;
    this.unsupported = '';
  }

  /** @param {TrackConfig} track */
  async configure(track) {
    const config = { codec: track.codec, sampleRate: track.sampleRate || 48_000, numberOfChannels: Math.max(1, track.channels || 1),
      description: track.decoderConfig.length ? track.decoderConfig : undefined };
    if (typeof AudioDecoder === 'undefined' || !(await AudioDecoder.isConfigSupported(config)).supported) {
      this.unsupported = `audio codec ${track.codec} cannot be decoded by this browser`;
      return;
    }
    this.unsupported = '';
    this.config = config;
    this.restart();
  }

  restart() {
    if (!this.config) return;
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.arrivals.clear();
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
    if (!this.decoder || this.decoder.state !== 'configured') return;
    const timestamp = Number(packet.ptsMicros);
    this.arrivals.set(timestamp, arrivalMs);
    this.decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp, duration: packet.durationMicros || 20_000, data: packet.payload }));
  }

  /** @param {AudioData} data */
  decoded(data) {
    const arrivalMs = this.arrivals.get(data.timestamp) ?? performance.now();
    this.arrivals.delete(data.timestamp);
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
    const mediaTimeMs = data.timestamp / 1000;
    data.close();
    this.port.postMessage({ type: 'pcm', mediaTimeMs, arrivalMs, planes }, planes.map((p) => p.buffer));
  }
}
