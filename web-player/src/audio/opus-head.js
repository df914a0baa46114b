// @ts-check
/**
 * The OpusHead (RFC 7845 §5.1) the agent sends as the audio TrackConfig's decoder_config:
 * what the WASM decoder needs to be configured like WebCodecs is from the same bytes.
 *
 * @typedef {object} OpusHead
 * @property {number} channels
 * @property {number} preSkipSamples      at 48 kHz, to drop from the start of the decoded stream
 * @property {number} inputSampleRateHz   informational: the encoder's input rate
 * @property {number} outputGainQ8        dB in Q7.8
 * @property {number} mappingFamily
 * @property {number} streamCount
 * @property {number} coupledStreamCount
 * @property {number[]} channelMapping
 */

const MAGIC = 'OpusHead';

/**
 * @param {Uint8Array} bytes
 * @returns {OpusHead}
 */
export function parseOpusHead(bytes) {
  if (bytes.length < 19 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new Error(`not an OpusHead (${bytes.length} bytes)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(8);
  if (version >> 4 !== 0) throw new Error(`unsupported OpusHead version ${version}`);
  const channels = view.getUint8(9);
  if (channels < 1) throw new Error('OpusHead declares no channels');
  const mappingFamily = view.getUint8(18);
  const head = {
    channels,
    preSkipSamples: view.getUint16(10, true),
    inputSampleRateHz: view.getUint32(12, true),
    outputGainQ8: view.getInt16(16, true),
    mappingFamily,
    streamCount: 1,
    coupledStreamCount: channels - 1,
    channelMapping: channels === 2 ? [0, 1] : [0],
  };
  if (mappingFamily === 0) {
    if (channels > 2) throw new Error(`OpusHead mapping family 0 with ${channels} channels`);
    return head;
  }
  if (bytes.length < 21 + channels) throw new Error(`OpusHead channel mapping table truncated (${bytes.length} bytes)`);
  head.streamCount = view.getUint8(19);
  head.coupledStreamCount = view.getUint8(20);
  head.channelMapping = Array.from(bytes.subarray(21, 21 + channels));
  return head;
}

/**
 * An OpusHead for a stream whose TrackConfig carries none (mono/stereo, no pre-skip).
 * @param {number} channels
 * @returns {OpusHead}
 */
export function defaultOpusHead(channels) {
  const c = Math.min(2, Math.max(1, channels));
  return { channels: c, preSkipSamples: 0, inputSampleRateHz: 48_000, outputGainQ8: 0, mappingFamily: 0, streamCount: 1,
    coupledStreamCount: c - 1, channelMapping: c === 2 ? [0, 1] : [0] };
}
