// @ts-check
/**
 * A minimal fragmented-MP4 writer for one video track, for Media Source Extensions:
 * an init segment (ftyp + moov) from a TrackConfig, then one fragment (moof + mdat) per
 * access unit. The init segment declares no duration (mvhd/tkhd/mdhd duration 0, no mehd),
 * which puts Chromium's MSE into its low-delay rendering mode.
 *
 * The sample entry and its configuration box come from the RFC 6381 codec string:
 * avc1/avc3 + avcC (H.264), hvc1/hev1 + hvcC, vp08 ("vp8") / vp09 + vpcC, av01 + av1C.
 * The TrackConfig's decoder_config is the configuration box's body (for vpcC, a full box,
 * including its version and flags).
 */

/** Media timescale of the track: 90 kHz, the usual video clock. */
export const TIMESCALE = 90_000;

/** @type {Record<string, string>} sample entry type → configuration box type */
const CONFIG_BOX = { avc1: 'avcC', avc3: 'avcC', hvc1: 'hvcC', hev1: 'hvcC', vp08: 'vpcC', vp09: 'vpcC', av01: 'av1C' };

/**
 * The MP4 sample entry type for a codec string: its first four characters, except VP8,
 * whose WebCodecs/WebM string "vp8" maps to the VP codec binding's vp08.
 * @param {string} codec
 */
export function sampleEntryType(codec) {
  return codec === 'vp8' ? 'vp08' : codec.slice(0, 4);
}

/**
 * @typedef {object} VideoTrackInfo
 * @property {number} trackId
 * @property {string} codec          RFC 6381, e.g. "avc1.42E01F"
 * @property {Uint8Array} decoderConfig
 * @property {number} width
 * @property {number} height
 */

/** @param {string} codec */
export function isSupportedSampleEntry(codec) {
  return Object.hasOwn(CONFIG_BOX, sampleEntryType(codec));
}

/** @param {string} type @param {...Uint8Array} payloads */
function box(type, ...payloads) {
  let size = 8;
  for (const p of payloads) size += p.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, size);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  let at = 8;
  for (const p of payloads) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** @param {number} version @param {number} flags */
function fullHeader(version, flags) {
  return u8(version, (flags >> 16) & 0xff, (flags >> 8) & 0xff, flags & 0xff);
}

/** @param {...number} bytes */
function u8(...bytes) {
  return Uint8Array.from(bytes);
}

/** @param {...number} values */
function u32(...values) {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint32(i * 4, v >>> 0));
  return out;
}

/** @param {...number} values */
function u16(...values) {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint16(i * 2, v & 0xffff));
  return out;
}

/** @param {number} value */
function u64(value) {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(value / 2 ** 32));
  view.setUint32(4, value % 2 ** 32);
  return out;
}

/** @param {string} text */
function ascii(text) {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

const MATRIX = u32(0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000);

/**
 * The init segment for one video track.
 * @param {VideoTrackInfo} track
 * @returns {Uint8Array}
 */
export function initSegment(track) {
  const entryType = sampleEntryType(track.codec);
  const configType = CONFIG_BOX[entryType];
  if (!configType) throw new Error(`no MP4 sample entry for codec "${track.codec}"`);
  const { width, height, trackId } = track;
  const ftyp = box('ftyp', ascii('isom'), u32(0x200), ascii('isomiso6mp41'));
  const mvhd = box('mvhd', fullHeader(0, 0), u32(0, 0, 1000, 0, 0x00010000), u16(0x0100, 0), u32(0, 0), MATRIX,
    u32(0, 0, 0, 0, 0, 0), u32(trackId + 1));
  const tkhd = box('tkhd', fullHeader(0, 3), u32(0, 0, trackId, 0, 0, 0, 0), u16(0, 0, 0, 0), MATRIX,
    u32(width << 16, height << 16));
  const mdhd = box('mdhd', fullHeader(0, 0), u32(0, 0, TIMESCALE, 0), u16(0x55c4, 0));
  const hdlr = box('hdlr', fullHeader(0, 0), u32(0), ascii('vide'), u32(0, 0, 0), ascii('Tunnelcast video\0'));
  const sampleEntry = box(entryType,
    u8(0, 0, 0, 0, 0, 0), u16(1), // reserved, data_reference_index
    u16(0, 0), u32(0, 0, 0), // pre_defined, reserved, pre_defined
    u16(width, height), u32(0x00480000, 0x00480000, 0), u16(1), // resolution, frame_count
    new Uint8Array(32), u16(0x0018, 0xffff), // compressorname, depth, pre_defined
    box(configType, track.decoderConfig));
  const stbl = box('stbl',
    box('stsd', fullHeader(0, 0), u32(1), sampleEntry),
    box('stts', fullHeader(0, 0), u32(0)),
    box('stsc', fullHeader(0, 0), u32(0)),
    box('stsz', fullHeader(0, 0), u32(0, 0)),
    box('stco', fullHeader(0, 0), u32(0)));
  const dinf = box('dinf', box('dref', fullHeader(0, 0), u32(1), box('url ', fullHeader(0, 1))));
  const minf = box('minf', box('vmhd', fullHeader(0, 1), u16(0, 0, 0, 0)), dinf, stbl);
  const trak = box('trak', tkhd, box('mdia', mdhd, hdlr, minf));
  const mvex = box('mvex', box('trex', fullHeader(0, 0), u32(trackId, 1, 0, 0, 0)));
  const moov = box('moov', mvhd, trak, mvex);
  return concat(ftyp, moov);
}

/**
 * @typedef {object} VideoSample
 * @property {number} sequence         fragment sequence number (mfhd), ≥ 1
 * @property {number} decodeTimeMicros the sample's decode (= presentation, no B-frames) time
 * @property {number} durationMicros
 * @property {boolean} keyframe
 * @property {Uint8Array} data         the access unit as the codec's MP4 sample (AVCC for H.264, a VP8/VP9
 *                                     frame, an AV1 temporal unit without temporal delimiters)
 */

/**
 * One fragment (moof + mdat) holding one sample.
 * @param {number} trackId
 * @param {VideoSample} sample
 * @returns {Uint8Array}
 */
export function fragment(trackId, sample) {
  const flags = sample.keyframe ? 0x02000000 : 0x01010000; // depends on nothing / non-sync
  const duration = Math.max(1, Math.round((sample.durationMicros * TIMESCALE) / 1e6));
  const decodeTime = Math.round((sample.decodeTimeMicros * TIMESCALE) / 1e6);
  const build = (/** @type {number} */ dataOffset) =>
    box('moof',
      box('mfhd', fullHeader(0, 0), u32(sample.sequence)),
      box('traf',
        box('tfhd', fullHeader(0, 0x020000), u32(trackId)), // default-base-is-moof
        box('tfdt', fullHeader(1, 0), u64(decodeTime)),
        box('trun', fullHeader(0, 0x000701), u32(1, dataOffset, duration, sample.data.length, flags))));
  const moofSize = build(0).length;
  return concat(build(moofSize + 8), box('mdat', sample.data));
}

/** @param {...Uint8Array} parts */
function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
