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
 * The avcC to publish: the encoder's own where its sequence parameter sets are well formed
 * (each a NAL of type 7 whose profile is the record's), else one rebuilt from the SPS and PPS
 * the keyframe carries in band (length-prefixed as the record says), else null (not usable yet).
 * Firefox ESR 153's H.264 encoder describes each parameter set with its NAL header byte twice
 * (`67 67 42 C0 1E …`, `68 68 CB …`) and the reserved bits clear, while its keyframes carry the
 * right ones: Chromium's MSE failed to decode every keyframe of it, FFmpeg said "sps_id out of range".
 * @param {Uint8Array} avcC @param {Uint8Array | null} keyframe  the first packet's bytes, if a keyframe
 * @returns {Uint8Array | null}
 */
export function repairedAvcC(avcC, keyframe) {
  const record = parseAvcC(avcC);
  if (!record) return avcC; // not ours to judge: avcCodecString refuses what is no record at all
  if (record.sps.every((sps) => sps.length > 1 && (sps[0] & 0x1f) === 7 && sps[1] === avcC[1])) return avcC;
  if (!keyframe) return null;
  /** @type {Uint8Array[]} */
  const sps = [];
  /** @type {Uint8Array[]} */
  const pps = [];
  const size = record.lengthSize;
  for (let at = 0; at + size <= keyframe.length;) {
    let length = 0;
    for (let i = 0; i < size; i++) length = length * 256 + keyframe[at + i];
    const nal = keyframe.subarray(at + size, at + size + length);
    if (nal.length !== length || length === 0) return null; // not length-prefixed as the record says
    if ((nal[0] & 0x1f) === 7) sps.push(nal);
    if ((nal[0] & 0x1f) === 8) pps.push(nal);
    at += size + length;
  }
  if (!sps.length || !pps.length || sps[0].length < 4) return null;
  const bytes = [1, sps[0][1], sps[0][2], sps[0][3], 0xfc | (size - 1), 0xe0 | sps.length];
  for (const nal of sps) bytes.push(nal.length >> 8, nal.length & 0xff, ...nal);
  bytes.push(pps.length);
  for (const nal of pps) bytes.push(nal.length >> 8, nal.length & 0xff, ...nal);
  return Uint8Array.from(bytes);
}

/**
 * An AVCDecoderConfigurationRecord's NAL length size and parameter sets, or null where it does not parse.
 * @param {Uint8Array} avcC @returns {{ lengthSize: number, sps: Uint8Array[], pps: Uint8Array[] } | null}
 */
function parseAvcC(avcC) {
  if (avcC.length < 7 || avcC[0] !== 1) return null;
  let at = 5;
  /** @param {number} count @returns {Uint8Array[] | null} */
  const sets = (count) => {
    const found = [];
    for (let i = 0; i < count; i++) {
      if (at + 2 > avcC.length) return null;
      const length = (avcC[at] << 8) | avcC[at + 1];
      if (at + 2 + length > avcC.length) return null;
      found.push(avcC.subarray(at + 2, at + 2 + length));
      at += 2 + length;
    }
    return found;
  };
  const sps = sets(avcC[at++] & 0x1f);
  if (!sps || at >= avcC.length) return null;
  const pps = sets(avcC[at++]);
  return pps ? { lengthSize: (avcC[4] & 3) + 1, sps, pps } : null;
}

/** A video codec string's name as the page shows it ("H.264", "VP8"). @param {string} codec */
export function codecName(codec) {
  return codec.startsWith('avc1') ? 'H.264' : codec.toUpperCase();
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
