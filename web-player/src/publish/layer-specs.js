// @ts-check
/**
 * The publish page's `layers=` option: simulcast layers as the agent's `--layers` gives them
 * (`640x360@700k,320x180@200k`, docs/agent.md "Simulcast"), with the same rules: 2 to 4
 * layers, top first, sizes even, heights strictly falling (the relay names a layer by its
 * height, `360p`, so two layers of one height could not be told apart).
 */

/**
 * @typedef {object} LayerSpec  one simulcast layer: the size its encoder is configured at, and its bitrate
 * @property {number} width
 * @property {number} height
 * @property {number} bitrateBps
 */

/** The relay's bound (docs/protocol.md, "Simulcast"). */
export const MAX_LAYERS = 4;
/** The page's bound on a video bitrate (as `video-bitrate=`). */
const MAX_BITRATE_BPS = 20_000_000;
const FORM = /^(\d{1,5})x(\d{1,5})@(\d+(?:\.\d+)?)([kM]?)$/;
const SCALE = { '': 1, k: 1_000, M: 1_000_000 };

/**
 * @param {string} text  e.g. `640x360@700k,320x180@200k`
 * @returns {LayerSpec[]}
 * @throws {RangeError} naming the part that is wrong
 */
export function parseLayers(text) {
  /** @type {LayerSpec[]} */
  const layers = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const m = FORM.exec(part);
    if (!m) throw new RangeError(`'${part}' is not WxH@BITRATE, e.g. 640x360@700k`);
    const width = Number(m[1]);
    const height = Number(m[2]);
    if (width === 0 || height === 0 || width % 2 || height % 2) throw new RangeError(`layer ${part}: width and height must be even and positive`);
    const bitrateBps = Number(m[3]) * SCALE[/** @type {'' | 'k' | 'M'} */ (m[4])];
    if (!Number.isInteger(bitrateBps) || bitrateBps <= 0 || bitrateBps > MAX_BITRATE_BPS) {
      throw new RangeError(`layer ${part}: the bitrate must be a whole number of bit/s from 1 to 20M (e.g. 700k, 2.5M)`);
    }
    const above = layers[layers.length - 1];
    if (above && height >= above.height) {
      throw new RangeError(`layer ${part}: heights must fall from the first layer (a layer is named by its height, e.g. 360p)`);
    }
    layers.push({ width, height, bitrateBps });
  }
  if (layers.length < 2 || layers.length > MAX_LAYERS) throw new RangeError(`give 2 to ${MAX_LAYERS} layers, got ${layers.length}`);
  return layers;
}
