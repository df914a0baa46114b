// @ts-check
/**
 * What the browser publisher's TrackConfigs carry, in the form the Java agent sends
 * (docs/protocol.md, "Video codecs"): the RFC 6381 codec string read from the avcC that
 * WebCodecs' H.264 encoder gives as `decoderConfig.description`, the 12-byte vpcC for VP8,
 * and the OpusHead for Opus. Pure.
 */

/** @param {number} byte */
const hex2 = (byte) => byte.toString(16).toUpperCase().padStart(2, '0');

/**
 * `avc1.PPCCLL` from an AVCDecoderConfigurationRecord (profile, constraint flags, level are
 * its bytes 1–3, copied from the SPS).
 * @param {Uint8Array} avcC @returns {string}
 */
export function avcCodecString(avcC) {
  if (avcC.length < 7 || avcC[0] !== 1) throw new Error(`not an avcC record (${avcC.length} bytes)`);
  return `avc1.${hex2(avcC[1])}${hex2(avcC[2])}${hex2(avcC[3])}`;
}

/**
 * The codec string to ask WebCodecs' H.264 encoder for: Constrained Baseline at the lowest
 * level whose frame size fits (3.0 up to 720x576, 3.1 up to 1280x720, 4.0 up to 2048x1024, else 5.1).
 * @param {number} width @param {number} height @returns {string}
 */
export function h264EncoderCodec(width, height) {
  const macroblocks = Math.ceil(width / 16) * Math.ceil(height / 16);
  const level = macroblocks <= 1620 ? 0x1e : macroblocks <= 3600 ? 0x1f : macroblocks <= 8192 ? 0x28 : 0x33;
  return `avc1.42E0${hex2(level)}`;
}

/**
 * The vpcC box body of a VP8 track: version 1, flags 0, profile 0, level 0, 8-bit 4:2:0
 * co-sited (1), limited range, colour unspecified (2, 2, 2), no initialization data.
 * @returns {Uint8Array}
 */
export function vp8Vpcc() {
  return Uint8Array.of(1, 0, 0, 0, 0, 0, (8 << 4) | (1 << 1), 2, 2, 2, 0, 0);
}

/** Opus's encoder delay at 48 kHz (libopus's lookahead), when the encoder does not say. */
export const DEFAULT_OPUS_PRE_SKIP = 312;

/**
 * An OpusHead (RFC 7845 §5.1, mapping family 0). Where the encoder's `decoderConfig.description`
 * already is one (Chromium gives it), that one is used as it is.
 * @param {number} channels @param {number} inputSampleRate @param {Uint8Array | null} [description]
 * @returns {Uint8Array}
 */
export function opusHead(channels, inputSampleRate, description = null) {
  if (description && description.length >= 19 && new TextDecoder().decode(description.subarray(0, 8)) === 'OpusHead') {
    return description;
  }
  const head = new Uint8Array(19);
  head.set(new TextEncoder().encode('OpusHead'));
  const view = new DataView(head.buffer);
  view.setUint8(8, 1);
  view.setUint8(9, channels);
  view.setUint16(10, DEFAULT_OPUS_PRE_SKIP, true);
  view.setUint32(12, inputSampleRate, true);
  return head;
}

/**
 * An encoded chunk's bytes (EncodedVideoChunk, EncodedAudioChunk, or a BufferSource description).
 * @param {{ byteLength: number, copyTo(destination: Uint8Array): void } | AllowSharedBufferSource | undefined} source
 * @returns {Uint8Array}
 */
export function bytesOf(source) {
  if (!source) return new Uint8Array(0);
  if ('copyTo' in source) {
    const bytes = new Uint8Array(source.byteLength);
    source.copyTo(bytes);
    return bytes;
  }
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength).slice();
  return new Uint8Array(source).slice();
}
