// @ts-check
/**
 * Opus through libopus compiled to WASM (the `opus-decoder` package, WASM inlined in its
 * JS): the fallback where WebCodecs `AudioDecoder` is missing or cannot decode Opus. Loaded
 * on demand (a separate chunk), so the common WebCodecs path does not pay for it.
 *
 * Output has the same shape as the WebCodecs path: per packet, its media time and one
 * Float32Array per channel at 48 kHz. The library drops the OpusHead's pre-skip from the
 * start of the decoded stream; a packet shortened by it keeps its samples' true times (the
 * dropped samples are the packet's first ones).
 *
 * Packet loss concealment: the library decodes an empty packet as a maximal (120 ms) PLC
 * frame, too long to stand in for one lost 20 ms packet, so losses are left to the jitter
 * buffer's faded silence, as on the WebCodecs path.
 */
import { OpusDecoder as LibOpusDecoder } from 'opus-decoder';

/** @typedef {import('./opus-head.js').OpusHead} OpusHead */

export const WASM_SAMPLE_RATE = 48_000;

/**
 * @typedef {object} DecodedPcm
 * @property {number} mediaTimeMs     of the first sample
 * @property {Float32Array[]} planes  one per channel, 48 kHz
 */

export class WasmOpusDecoder {
  /**
   * @param {OpusHead} head
   * @returns {Promise<WasmOpusDecoder>}
   */
  static async create(head) {
    const decoder = new WasmOpusDecoder(head);
    await decoder.lib.ready;
    return decoder;
  }

  /** @param {OpusHead} head */
  constructor(head) {
    this.head = head;
    this.lib = new LibOpusDecoder({
      sampleRate: WASM_SAMPLE_RATE,
      channels: head.channels,
      streamCount: head.streamCount,
      coupledStreamCount: head.coupledStreamCount,
      channelMappingTable: head.channelMapping,
      preSkip: head.preSkipSamples,
    });
    this.errors = 0;
  }

  /**
   * Decodes one Opus packet (synchronously; a few tens of µs for 20 ms of audio).
   * @param {Uint8Array} payload
   * @param {number} ptsMicros
   * @param {number} durationMicros  the packet's nominal duration (0: unknown)
   * @returns {DecodedPcm | null}    null when the packet could not be decoded (counted)
   */
  decode(payload, ptsMicros, durationMicros) {
    const out = this.lib.decodeFrame(payload);
    if (out.errors.length || out.samplesDecoded === 0) {
      this.errors++;
      return null;
    }
    const nominalSamples = Math.round((durationMicros * WASM_SAMPLE_RATE) / 1e6);
    const skipped = Math.max(0, nominalSamples - out.samplesDecoded);
    // channelData is already copied out of WASM memory, one fresh array per channel.
    return { mediaTimeMs: ptsMicros / 1000 + (skipped / WASM_SAMPLE_RATE) * 1000, planes: out.channelData };
  }

  close() {
    this.lib.free();
  }
}
