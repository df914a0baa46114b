// @ts-check
/**
 * The page's entry: routes `#/` to the stream list, `#/play/{stream}` to the player,
 * `#/archive/{stream}` to the stream's recordings and `#/publish/{stream}` to the browser
 * publisher; reads
 * the options from the query string (?token=…&video=webcodecs&latency=40-400) and exposes
 * the running player on `window.tunnelcast` for tests and benchmarks.
 */
import { mountStreamList } from './ui/stream-list.js';
import { mountPlayerView } from './ui/player-view.js';
import { mountArchiveView } from './ui/archive-view.js';
import { mountPublishView } from './ui/publish-view.js';
import { parsePublishOptions } from './publish/settings.js';
import { DEFAULT_FLOOR_MS } from './audio/jitter-buffer.js';

/** @typedef {import('./player.js').Player} Player */
/** @typedef {import('./stats/player-stats.js').PlayerStats} PlayerStats */
/** @typedef {import('./publish/publisher.js').Publisher} Publisher */
/** @typedef {import('./publish/messages.js').PublisherStats} PublisherStats */

/**
 * @typedef {object} TunnelcastGlobal
 * @property {PlayerStats | PublisherStats | null} stats   the running player's (or publisher's) figures
 * @property {Player | null} player
 * @property {Publisher | null} publisher   on the publish page
 */

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

/** @type {TunnelcastGlobal} */
const global = { stats: null, player: null, publisher: null };
/** @type {Window & { tunnelcast?: TunnelcastGlobal }} */ (window).tunnelcast = global;

const root = /** @type {HTMLElement} */ (document.getElementById('app'));
/** @type {(() => void) | null} */
let unmount = null;

function route() {
  unmount?.();
  global.stats = null;
  global.player = null;
  global.publisher = null;
  const params = new URLSearchParams(location.search);
  const play = /^#\/play\/(.+)$/.exec(location.hash);
  const archive = /^#\/archive\/(.+)$/.exec(location.hash);
  const publish = /^#\/publish\/(.+)$/.exec(location.hash);
  const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
  if (publish) {
    const stream = decodeURIComponent(publish[1]);
    document.title = `Publish ${stream} · Tunnelcast`;
    unmount = mountPublishView(root, { stream, token: params.get('token') ?? '', wsBase, search: location.search,
      workerUrl: new URL('publish-worker.js', location.href).href, ...parsePublishOptions(params) }, (publisher) => {
      global.publisher = publisher;
      global.stats = publisher?.stats ?? null;
    });
  } else if (archive) {
    const stream = decodeURIComponent(archive[1]);
    document.title = `${stream} · recordings · Tunnelcast`;
    unmount = mountArchiveView(root, stream, location.search, params.get('token') ?? '');
  } else if (play) {
    const stream = decodeURIComponent(play[1]);
    document.title = `${stream} · Tunnelcast`;
    unmount = mountPlayerView(root, {
      stream,
      token: params.get('token') ?? '',
      videoPath: params.get('video') === 'webcodecs' ? 'webcodecs' : 'mse',
      audioDecoder: params.get('audio') === 'wasm' ? 'wasm' : 'auto',
      corruptVideoPacket: Number(params.get('test-corrupt-video') ?? 0) || 0,
      ...parseLatency(params.get('latency')),
      wsBase,
      workletUrl: new URL('playout-worklet.js', location.href).href,
      workerUrl: new URL('transport-worker.js', location.href).href,
    }, (player) => {
      global.player = player;
      global.stats = player.stats;
    });
  } else {
    document.title = 'Tunnelcast';
    unmount = mountStreamList(root, location.search, params.get('token') ?? '');
  }
}

window.addEventListener('hashchange', route);
route();
