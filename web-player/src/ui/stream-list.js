// @ts-check
/** The home page: the live streams from /api/streams, refreshed every few seconds. */
import { h, setText } from './dom.js';
import { fetchApi, unlessRefused } from './relay-api.js';
import { NameKind, htmlPattern, nameRule, roomOfStream } from '../transport/names.js';
import { chooseVideoPath, label } from '../video/video-path.js';
import { playability } from '../video/playable.js';

/**
 * One stream of /api/streams as read: today's fields and the older names some relays sent.
 * @typedef {{ name?: unknown, stream?: unknown, id?: unknown, state?: unknown, publisher?: unknown,
 *   players?: unknown, playerCount?: unknown, tracks?: unknown }} StreamEntry
 * @typedef {{ kind?: string, codec?: string, width?: number, height?: number }} TrackEntry
 */

/**
 * The relay's /api/streams answer ({ streams: [{ name, state: live|offline, tracks, players }] }),
 * read leniently: a bare array is accepted too.
 * @param {{ streams?: unknown } | unknown[] | null | undefined} body parsed JSON
 * @returns {{ name: string, players: number, online: boolean, detail: string, videoCodec: string }[]}
 */
export function parseStreams(body) {
  /** @type {StreamEntry[]} */
  const list = Array.isArray(body) ? body : Array.isArray(body?.streams) ? body.streams : [];
  return list
    .map((s) => {
      /** @type {TrackEntry[]} */
      const tracks = Array.isArray(s.tracks) ? s.tracks : [];
      const detail = tracks.map((t) => [t.codec, t.width && t.height ? `${t.width}×${t.height}` : ''].filter(Boolean).join(' ')).join(' · ');
      const online = typeof s.state === 'string' ? s.state === 'live' : Boolean(s.publisher ?? true);
      const video = tracks.find((t) => t.kind === 'video' && typeof t.codec === 'string');
      return { name: String(s.name ?? s.stream ?? s.id ?? ''), players: Number(s.players ?? s.playerCount ?? 0) || 0, online: Boolean(online), detail,
        videoCodec: video?.codec ?? '' };
    })
    .filter((s) => s.name);
}

/** "Go live from this browser": a stream name, then the publish page. @param {string} search */
function goLiveForm(search) {
  // names.proto's pattern, one source of truth for the relay, the agent and this page.
  const name = /** @type {HTMLInputElement} */ (h('input.tc-input', { required: '', pattern: htmlPattern(NameKind.STREAM),
    placeholder: 'stream name', 'aria-label': 'Stream name', title: `A stream name: ${nameRule(NameKind.STREAM).rule}` }));
  return h('form.tc-golive', { onsubmit: (/** @type {SubmitEvent} */ e) => {
    e.preventDefault();
    location.href = `${search}#/publish/${encodeURIComponent(name.value)}`;
  } }, h('h2.tc-section', { text: 'Go live from this browser' }), name, h('button.tc-tool.tc-start', { type: 'submit', text: 'Set up' }));
}

/**
 * A participant's stream of a call ("{room}.{participant}") links to the call: the page's
 * token is not a join token and is left out: the call's join screen asks for one.
 * @param {string} stream @param {string} search
 */
function callLink(stream, search) {
  const room = roomOfStream(stream)?.room;
  if (!room) return null;
  const query = new URLSearchParams(search);
  query.delete('token'); // a play token; the call wants a join token
  return h('a.tc-card-recordings', { href: `${query.size ? `?${query}` : location.pathname}#/call/${encodeURIComponent(room)}`, text: 'join call',
    title: `The call in room ${room}` });
}

/**
 * Marks a card whose video this browser cannot play on the path the player would take (an
 * automatic path that cannot play it leaves for WebCodecs where that can), with a
 * link to a path of this engine that plays it (one answer per codec: the list refreshes often).
 * @param {HTMLElement} card @param {string} stream @param {string} codec @param {string} search
 * @param {Map<string, ReturnType<typeof playability>>} verdicts
 */
function markIfUnplayable(card, stream, codec, search, verdicts) {
  if (!codec) return;
  const { path, pinned } = chooseVideoPath(new URLSearchParams(search).get('video'));
  let verdict = verdicts.get(codec);
  if (!verdict) verdicts.set(codec, verdict = playability(codec, path));
  void verdict.then(({ playable, message, instead }) => {
    // On a path the page did not pin, the player leaves for WebCodecs by itself (Player.fallBack).
    const plays = playable || (!pinned && instead === 'webcodecs');
    card.dataset.playable = String(plays); // the verdict is in (tests wait for it)
    if (plays || !card.isConnected) return;
    card.dataset.unplayable = 'true';
    const query = new URLSearchParams(search);
    if (instead) query.set('video', instead);
    card.querySelector('.tc-card-body')?.append(h('div.tc-card-warning', null, h('span', { text: `${message}. ` }),
      instead ? h('a', { href: `?${query}#/play/${encodeURIComponent(stream)}`, text: `Watch with ${label(instead)}` }) : null));
  });
}

/**
 * @param {HTMLElement} root @param {string} search the page's query string, kept on links
 * @param {string} token the page's play token: the list shows the streams it may see
 */
export function mountStreamList(root, search, token) {
  const grid = h('div.tc-grid');
  const note = h('p.tc-note', { text: 'Loading streams…' });
  root.replaceChildren(h('main.tc-home', null,
    h('header.tc-hero', null, h('div.tc-logo', { text: 'Tunnelcast' }),
      h('p.tc-tagline', { text: 'Live video and audio over nothing but a WebSocket.' })),
    h('h2.tc-section', { text: 'Live streams' }), note, grid, goLiveForm(search)));

  /** @type {Map<string, ReturnType<typeof playability>>} */
  const verdicts = new Map();
  /**
   * The cards shown, by stream: a refresh updates a card's figures in place and rebuilds it only
   * when its codec changes. WebKitGTK drops a click whose press and release straddle the
   * replacement of its target, and the list refreshes every 3 s: rebuilt cards lost clicks on
   * their links.
   * @type {Map<string, { card: HTMLElement, codec: string, online: boolean, meta: HTMLElement, dot: HTMLElement }>}
   */
  const cards = new Map();
  /** @param {ReturnType<typeof parseStreams>[number]} s */
  const cardOf = (s) => {
    let shown = cards.get(s.name);
    if (!shown || shown.codec !== s.videoCodec) {
      const dot = h('span.tc-dot', { 'data-online': s.online });
      const meta = h('div.tc-card-meta');
      const card = h('div.tc-card', null,
        h('a.tc-card-thumb', { href: `${search}#/play/${encodeURIComponent(s.name)}`, title: 'Watch live' }, h('span.tc-play', { text: '▶' })),
        h('div.tc-card-body', null,
          h('div.tc-card-title', null, dot,
            h('a.tc-card-name', { href: `${search}#/play/${encodeURIComponent(s.name)}`, text: s.name }),
            callLink(s.name, search),
            h('a.tc-card-recordings', { href: `${search}#/archive/${encodeURIComponent(s.name)}`, text: 'recordings' })),
          meta));
      markIfUnplayable(card, s.name, s.videoCodec, search, verdicts);
      shown = { card, codec: s.videoCodec, online: s.online, meta, dot };
      cards.set(s.name, shown);
    }
    if (shown.online !== s.online) {
      shown.online = s.online;
      shown.dot.setAttribute('data-online', String(s.online));
    }
    setText(shown.meta, [s.detail, `${s.players} watching`].filter(Boolean).join(' · '));
    return shown.card;
  };
  const load = async () => {
    try {
      const response = await unlessRefused(await fetchApi('/api/streams', token));
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const streams = parseStreams(await response.json());
      setText(note, streams.length ? '' : 'No stream is live right now. Start a capture agent and it appears here.');
      note.hidden = streams.length > 0;
      const shown = streams.map(cardOf);
      const listed = new Set(streams.map((s) => s.name));
      for (const name of [...cards.keys()]) if (!listed.has(name)) cards.delete(name);
      // The same cards in the same order: nothing to move (a moved card loses a click as a rebuilt one does).
      if (shown.length !== grid.children.length || shown.some((card, i) => grid.children[i] !== card)) grid.replaceChildren(...shown);
    } catch (e) {
      note.hidden = false;
      setText(note, `Cannot list the streams: ${e instanceof Error ? e.message : e}.`);
    }
  };
  void load();
  const timer = setInterval(load, 3000);
  return () => clearInterval(timer);
}
