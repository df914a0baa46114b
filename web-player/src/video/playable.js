// @ts-check
/**
 * Whether this browser can show a video codec on a path: the MSE renderers refuse a track with
 * it, and the stream list asks it ahead, to mark what would not play and offer a path that would.
 */
import { isSupportedSampleEntry } from './fmp4.js';
import { primeMediaStack } from './media-stack.js';
import { label } from './video-path.js';

/** @typedef {import('./video-path.js').VideoPath} VideoPath */

/**
 * Through MSE or ManagedMediaSource: our fMP4 writer has a sample entry for it and the engine's
 * source type takes it.
 * @param {string} codec  RFC 6381, as the TrackConfig says @param {boolean} managed  ManagedMediaSource
 * @param {object} [engine]  globalThis; a fake in tests
 */
export function sourceCanPlay(codec, managed, engine = globalThis) {
  const Source = Reflect.get(engine, managed ? 'ManagedMediaSource' : 'MediaSource');
  return isSupportedSampleEntry(codec) && typeof Source === 'function' && Boolean(Source.isTypeSupported(`video/mp4; codecs="${codec}"`));
}

/**
 * @param {string} codec @param {VideoPath} path @param {object} [engine]
 * @returns {Promise<boolean>}
 */
export async function canPlayVideo(codec, path, engine = globalThis) {
  if (path !== 'webcodecs') return sourceCanPlay(codec, path === 'mms', engine);
  const Decoder = Reflect.get(engine, 'VideoDecoder');
  if (typeof Decoder !== 'function') return false;
  primeMediaStack();
  try {
    return Boolean((await Decoder.isConfigSupported({ codec })).supported);
  } catch {
    return false; // a codec string it cannot parse
  }
}

/**
 * What the stream list says of a stream whose video is `codec`, played on `path`: nothing if it
 * plays; else why not, and another path of this engine that plays it, if any.
 * @param {string} codec @param {VideoPath} path @param {object} [engine]
 * @returns {Promise<{ playable: boolean, message: string, instead: VideoPath | null }>}
 */
export async function playability(codec, path, engine = globalThis) {
  if (await canPlayVideo(codec, path, engine)) return { playable: true, message: '', instead: null };
  /** @type {VideoPath[]} */
  const others = ['mse', 'mms', 'webcodecs'];
  for (const other of others.filter((p) => p !== path)) {
    if (await canPlayVideo(codec, other, engine)) {
      return { playable: false, message: `${codec} does not play here through ${label(path)}`, instead: other };
    }
  }
  return { playable: false, message: `this browser cannot play ${codec} video`, instead: null };
}
