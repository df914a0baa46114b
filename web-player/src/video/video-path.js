// @ts-check
/**
 * Which way the player shows video, chosen by what the engine has (`?video=` may ask for one):
 * - `mse`: Media Source Extensions, where `MediaSource` exists (Chromium, Firefox, desktop Safari,
 *   WebKitGTK);
 * - `mms`: Apple's ManagedMediaSource, where only it exists (Safari on iPhone, iOS 17.1+): the
 *   same fMP4 fragments, a source the browser may ask to pause appending to;
 * - `webcodecs`: `VideoDecoder` onto a canvas, held to the audio clock.
 * A path asked for but missing falls back to the automatic choice, and the player says so.
 * A path that plays but shows no picture (MSE in WebKitGTK without compositing: no-picture-watch.js),
 * or cannot play the stream's codec (VP8 through MSE), is left for WebCodecs, unless `?video=` pinned
 * it (fallbackFor).
 */

/** @typedef {'mse' | 'mms' | 'webcodecs'} VideoPath */

/**
 * @param {string | null} requested  the page's `video` parameter (null, 'auto' or a path)
 * @param {object} [engine]          where to look for the APIs (globalThis; a fake in tests)
 * @returns {{ path: VideoPath, note: string, pinned: boolean }}  note: why the path asked for was not taken ('' if it
 *   was); pinned: the path is the one asked for (the player keeps it even where it shows no picture)
 */
export function chooseVideoPath(requested, engine = globalThis) {
  const has = {
    mse: typeof Reflect.get(engine, 'MediaSource') === 'function',
    mms: typeof Reflect.get(engine, 'ManagedMediaSource') === 'function',
    webcodecs: typeof Reflect.get(engine, 'VideoDecoder') === 'function',
  };
  /** @type {VideoPath} */
  const auto = has.mse ? 'mse' : has.mms ? 'mms' : has.webcodecs ? 'webcodecs' : 'mse';
  if (requested === 'mse' || requested === 'mms' || requested === 'webcodecs') {
    return has[requested] ? { path: requested, note: '', pinned: true }
      : { path: auto, note: `${label(requested)} is not available here: ${label(auto)} instead`, pinned: false };
  }
  return { path: auto, note: '', pinned: false };
}

/**
 * Where to go from a path that plays but shows no picture: WebCodecs, where the engine has a
 * `VideoDecoder` and `?video=` did not pin the path; null: stay, and say so. Whether WebCodecs
 * decodes the stream's codec is the decoder's to answer (`isConfigSupported`), when it is set up.
 * @param {VideoPath} path @param {boolean} pinned @param {object} [engine]  where to look (globalThis; a fake in tests)
 * @returns {VideoPath | null}
 */
export function fallbackFor(path, pinned, engine = globalThis) {
  return path !== 'webcodecs' && !pinned && typeof Reflect.get(engine, 'VideoDecoder') === 'function' ? 'webcodecs' : null;
}

/**
 * What the stats say when an automatic path could not play the stream's codec and WebCodecs took over.
 * @param {string} codec @param {VideoPath} path  the path left
 */
export function codecFallbackNote(codec, path) {
  return `this browser cannot play ${codec} video on the ${label(path)} path: switched to WebCodecs`;
}

/** The path's name as the stats overlay shows it. @param {VideoPath} path */
export function label(path) {
  return path === 'webcodecs' ? 'WebCodecs' : path === 'mms' ? 'ManagedMediaSource' : 'MSE';
}
