// @ts-check
/**
 * The page's entry: routes `#/` to the stream list, `#/play/{stream}` to the player,
 * `#/archive/{stream}` to the stream's recordings, `#/publish/{stream}` to the browser
 * publisher and `#/call/{room}` to a call; reads
 * the options from the query string (?token=…&video=webcodecs&latency=40-400) and exposes
 * the running player on `window.tunnelcast` for tests and benchmarks.
 */
import { primeMediaStack } from './video/media-stack.js';
import { mountStreamList } from './ui/stream-list.js';
import { mountPlayerView } from './ui/player-view.js';
import { mountArchiveView } from './ui/archive-view.js';
import { mountPublishView } from './ui/publish-view.js';
import { mountCallView } from './call/call-view.js';
import { parsePublishOptions } from './publish/settings.js';
import { playerOptionsFrom } from './ui/player-options.js';
import { viewportHeightOf } from './transport/quality.js';

/** @typedef {import('./player.js').Player} Player */
/** @typedef {import('./stats/player-stats.js').PlayerStats} PlayerStats */
/** @typedef {import('./publish/publisher.js').Publisher} Publisher */
/** @typedef {import('./publish/messages.js').PublisherStats} PublisherStats */
/** @typedef {import('./call/call-stats.js').CallStats} CallStats */
/** @typedef {import('./call/call-session.js').CallSession} CallSession */

/**
 * @typedef {object} TunnelcastGlobal
 * @property {PlayerStats | PublisherStats | CallStats | null} stats   the running player's (or publisher's, or call's) figures
 * @property {Player | null} player
 * @property {Publisher | null} publisher   on the publish page
 * @property {CallSession | null} call      on the call page
 */

/** @type {TunnelcastGlobal} */
const global = { stats: null, player: null, publisher: null, call: null };
/** @type {Window & { tunnelcast?: TunnelcastGlobal }} */ (window).tunnelcast = global;

// Before any page (and any worker) asks WebCodecs anything: see media-stack.js.
primeMediaStack();
const root = /** @type {HTMLElement} */ (document.getElementById('app'));
/** @type {(() => void) | null} */
let unmount = null;

function route() {
  unmount?.();
  global.stats = null;
  global.player = null;
  global.publisher = null;
  global.call = null;
  const params = new URLSearchParams(location.search);
  const play = /^#\/play\/(.+)$/.exec(location.hash);
  const archive = /^#\/archive\/(.+)$/.exec(location.hash);
  const publish = /^#\/publish\/(.+)$/.exec(location.hash);
  // The call's link carries its options in the hash (`#/call/{room}?name=…&token=…`); the page's query works too.
  const call = /^#\/call\/([^?]+)(?:\?(.*))?$/.exec(location.hash);
  const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
  if (call) {
    const callParams = new URLSearchParams(params);
    for (const [key, value] of new URLSearchParams(call[2] ?? '')) callParams.set(key, value);
    unmount = mountCallView(root, { roomPart: call[1], params: callParams, wsBase, baseUrl: location.href }, (session) => {
      global.call = session;
      global.stats = session?.stats ?? null;
    });
  } else if (publish) {
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
    unmount = mountPlayerView(root, playerOptionsFrom(params, { stream, token: params.get('token') ?? '', wsBase, baseUrl: location.href,
      viewportHeight: viewportHeightOf(innerWidth, innerHeight, devicePixelRatio) }), (player) => {
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
