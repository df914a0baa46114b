// @ts-check
/**
 * Simulcast layers as the player sees them (docs/protocol.md, "Simulcast"): the `?quality=`
 * the page passes to the relay (`auto`, or a layer name such as `360p` that pins it), the
 * layer a video TrackConfig announces, and the choices the quality menu offers.
 */

/** @typedef {import('../transport/wire.js').TrackConfig} TrackConfig */

/**
 * The play path of `stream`, with the token and a quality other than `auto` (or, with `auto`,
 * the layer to start on, if given, and the picture's height, from which the relay picks the
 * first layer when no start is given).
 * @param {string} stream @param {string} token @param {string} quality @param {string} [start]
 * @param {number} [viewportHeight]  device pixels; 0 or absent: not said
 */
export function playPath(stream, token, quality, start = '', viewportHeight = 0) {
  const query = new URLSearchParams();
  if (token) query.set('token', token);
  if (quality && quality !== 'auto') query.set('quality', quality);
  else if (start) query.set('start', start);
  if ((!quality || quality === 'auto') && viewportHeight >= 1) query.set('viewport', String(Math.min(Math.round(viewportHeight), 16384)));
  const q = query.toString();
  return `/ws/play/${encodeURIComponent(stream)}${q ? `?${q}` : ''}`;
}

/**
 * The page's `?quality=` as given ('auto' when absent); the relay refuses a malformed or
 * unknown name with a message that lists the stream's layers, which the page then shows.
 * @param {string | null} value
 */
export function qualityFrom(value) {
  return value || 'auto';
}

/**
 * What the stats say of a video TrackConfig's layer: '360p · layer 2 of 3', or '' for a track
 * without layers.
 * @param {Pick<TrackConfig, 'height' | 'layer' | 'layerCount'>} config
 */
export function layerLabel(config) {
  return config.layerCount > 1 ? `${config.height}p · layer ${config.layer + 1} of ${config.layerCount}` : '';
}

/**
 * The quality menu's choices for a stream as `/api/streams/{stream}` describes it: 'auto' and
 * each layer's name, top first; none for a stream without layers.
 * @param {any} stream  the API's JSON for one stream
 * @returns {string[]}
 */
export function qualityChoices(stream) {
  const video = (stream?.tracks ?? []).find((/** @type {any} */ t) => t?.kind === 'video');
  const layers = Array.isArray(video?.layers) ? video.layers.map((/** @type {any} */ l) => String(l.name)) : [];
  return layers.length > 1 ? ['auto', ...layers] : [];
}

/**
 * The page's query string with `quality` set (or removed for 'auto'), to reload the player with.
 * @param {string} search  location.search @param {string} quality
 */
export function searchWithQuality(search, quality) {
  const params = new URLSearchParams(search);
  if (quality === 'auto') params.delete('quality');
  else params.set('quality', quality);
  const q = params.toString();
  return q ? `?${q}` : '';
}

/**
 * The height in device pixels a 16:9 picture fills in a window of this size: what the player
 * page tells the relay (`?viewport=`) so that a small window starts on a small layer.
 * @param {number} innerWidth @param {number} innerHeight @param {number} devicePixelRatio
 */
export function viewportHeightOf(innerWidth, innerHeight, devicePixelRatio) {
  return Math.round(Math.min(innerHeight, innerWidth * 9 / 16) * (devicePixelRatio || 1));
}

/**
 * A play URL with `start=` set to `layer`, for the next connection of a player the relay moves
 * between layers: a reconnect starts on the layer its link was carrying, not on the top one or
 * the one its viewport suggests. A URL that pins a quality is left as it is.
 * @param {string} url @param {string} layer  a layer name such as '360p'
 */
export function withStartLayer(url, layer) {
  const parsed = new URL(url);
  if (parsed.searchParams.has('quality')) return url;
  parsed.searchParams.set('start', layer);
  return parsed.href;
}
