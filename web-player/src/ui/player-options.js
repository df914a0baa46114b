// @ts-check
/**
 * A player's options from a page's query string (web-player/README.md lists them): the
 * player page builds its one player with them, the call page one per participant.
 */
import { DEFAULT_FLOOR_MS } from '../audio/jitter-buffer.js';
import { parseRelays } from '../transport/relay-list.js';
import { chooseVideoPath } from '../video/video-path.js';
import { qualityFrom } from '../transport/quality.js';
import { MAX_RECORDED_ARRIVALS } from '../audio/arrival-log.js';

/** @typedef {import('../player.js').PlayerOptions} PlayerOptions */

const DEFAULT_LATENCY = { floorMs: DEFAULT_FLOOR_MS, ceilingMs: 1000 };

/**
 * Parses `?latency=min-max` (ms).
 * @param {string | null} value
 */
export function parseLatency(value) {
  const match = /^(\d+)-(\d+)$/.exec(value ?? '');
  if (!match) return DEFAULT_LATENCY;
  const floorMs = Number(match[1]);
  const ceilingMs = Number(match[2]);
  return floorMs <= ceilingMs && ceilingMs <= 5000 ? { floorMs, ceilingMs } : DEFAULT_LATENCY;
}

/**
 * Parses `?video-held=N`: decoded frames the WebCodecs path holds at most, 1-300; else the default.
 * @param {string | null} value @returns {number | undefined}
 */
export function parseHeldFrames(value) {
  const n = Number(value);
  return /^\d+$/.test(value ?? '') && n >= 1 && n <= 300 ? n : undefined;
}

/**
 * Parses `?record-arrivals=N`: audio packet arrivals the jitter buffer keeps, 1-MAX_RECORDED_ARRIVALS; else none.
 * @param {string | null} value @returns {number | undefined}
 */
export function parseRecordArrivals(value) {
  const n = Number(value);
  return /^\d+$/.test(value ?? '') && n >= 1 && n <= MAX_RECORDED_ARRIVALS ? n : undefined;
}

/**
 * `?video=` (mse, mms, webcodecs; anything else: automatic) against what the engine has.
 * @param {string | null} requested
 * @returns {{ videoPath: import('../video/video-path.js').VideoPath, videoPathNote: string, videoPathPinned: boolean }}
 */
function videoPathFrom(requested) {
  const { path, note, pinned } = chooseVideoPath(requested);
  return { videoPath: path, videoPathNote: note, videoPathPinned: pinned };
}

/**
 * @param {URLSearchParams} params  the page's query
 * @param {{ stream: string, token: string, wsBase: string, baseUrl: string, viewportHeight?: number }} where  baseUrl: where the
 *   worker and worklet scripts are; viewportHeight: the picture's height in device pixels, if known
 * @returns {PlayerOptions}
 */
export function playerOptionsFrom(params, where) {
  return {
    stream: where.stream,
    token: where.token,
    ...videoPathFrom(params.get('video')),
    audioDecoder: params.get('audio') === 'wasm' ? 'wasm' : 'auto',
    corruptVideoPacket: Number(params.get('test-corrupt-video') ?? 0) || 0,
    maxHeldFrames: parseHeldFrames(params.get('video-held')),
    ...parseLatency(params.get('latency')),
    recordArrivals: parseRecordArrivals(params.get('record-arrivals')),
    wsBase: where.wsBase,
    relays: parseRelays(params.get('relays'), where.wsBase),
    quality: qualityFrom(params.get('quality')),
    start: params.get('start') ?? '',
    viewportHeight: where.viewportHeight,
    workletUrl: new URL('playout-worklet.js', where.baseUrl).href,
    workerUrl: new URL('transport-worker.js', where.baseUrl).href,
  };
}
