// @ts-check
/** The player page: the video, its state messages, unmute, fullscreen, the quality menu and the stats overlay. */
import { h, ms, setText } from './dom.js';
import { StatsOverlay } from './stats-overlay.js';
import { fetchApi } from './relay-api.js';
import { Player } from '../player.js';
import { qualityChoices, searchWithQuality } from '../transport/quality.js';
import { NO_PICTURE_NOTE } from '../video/no-picture-watch.js';

/** @typedef {import('../player.js').PlayerOptions} PlayerOptions */

const STATE_LABELS = {
  connecting: 'Connecting', waiting: 'Waiting', playing: 'Live', offline: 'Offline',
  reconnecting: 'Reconnecting', unauthorized: 'Unauthorized', unsupported: 'Unsupported', error: 'Error',
};

/**
 * Mounts a player for `options.stream` into `root`; returns a function that tears it down.
 * @param {HTMLElement} root @param {PlayerOptions} options
 * @param {(player: Player) => void} onPlayer  exposes the player (window.tunnelcast)
 */
export function mountPlayerView(root, options, onPlayer) {
  const player = new Player(options);
  onPlayer(player);
  const overlay = new StatsOverlay();
  const badge = h('span.tc-badge');
  const latencyChip = h('span.tc-chip');
  const message = h('div.tc-message-text');
  const spinner = h('div.tc-spinner');
  const messageLayer = h('div.tc-message', null, spinner, message);
  const unmuteLabel = h('span', { text: 'Click to unmute' });
  const unmute = h('button.tc-unmute', { type: 'button', onclick: () => void player.unmute() },
    h('span.tc-icon', { text: '🔇' }), unmuteLabel);
  const unsupportedAudio = h('div.tc-note-bar');
  const statsShown = localStorage.getItem('tunnelcast.stats') !== 'hidden';
  overlay.element.hidden = !statsShown;
  const statsButton = h('button.tc-tool', { type: 'button', title: 'Statistics', text: 'Stats',
    onclick: () => {
      overlay.element.hidden = !overlay.element.hidden;
      localStorage.setItem('tunnelcast.stats', overlay.element.hidden ? 'hidden' : 'shown');
    } });
  const stage = h('div.tc-stage', null, player.element, messageLayer, unmute, unsupportedAudio, overlay.element);
  const fullscreenButton = h('button.tc-tool', { type: 'button', title: 'Fullscreen', text: 'Fullscreen',
    onclick: () => (document.fullscreenElement ? document.exitFullscreen() : stage.requestFullscreen()) });
  stage.addEventListener('dblclick', () => fullscreenButton.click());
  const qualityMenu = qualitySelect(options);
  const bar = h('header.tc-bar', null,
    h('a.tc-back', { href: '#/', text: '← Streams' }),
    h('h1.tc-title', { text: options.stream }),
    badge, latencyChip,
    h('div.tc-spacer'),
    h('a.tc-tool', { href: `${location.search}#/archive/${encodeURIComponent(options.stream)}`, title: 'Recorded archive', text: 'Recordings' }),
    qualityMenu, statsButton, fullscreenButton);
  const view = h('main.tc-player', null, bar, stage);
  root.replaceChildren(view);
  player.start();

  // Texts are written only when they change (but the badge, below): writing the same text still replaces the text
  // node, and WebKitGTK drops a click whose press and release straddle that (the publish page's Stop did nothing
  // so): "Click to unmute".
  const refresh = setInterval(() => {
    const s = player.stats;
    // The badge is written on every refresh, changed or not: it is the page's heartbeat. WebKitGTK without
    // compositing makes a rendering update only when something changes, and with none a WebDriver screenshot of a
    // still page (a refused player's message) got no answer in 30 s (WebKitPlayerE2ETest, 3 of 3 runs). Not clickable.
    badge.textContent = STATE_LABELS[s.state] ?? s.state;
    badge.dataset.state = s.state;
    stage.dataset.state = s.state;
    const latency = Number.isFinite(s.latencyPixelMs.p50) ? s.latencyPixelMs.p50 : s.latencyMetadataMs.p50;
    setText(latencyChip, Number.isFinite(latency) ? `${ms(latency)} glass-to-glass` : '');
    // The MSE path plays but shows nothing here (WebKitGTK without compositing): say so instead of "starting" for ever.
    const noPicture = s.videoPathNote === NO_PICTURE_NOTE && s.state !== 'playing';
    setText(message, noPicture ? `Sound only: ${NO_PICTURE_NOTE}.` : s.message);
    messageLayer.hidden = s.state === 'playing';
    spinner.hidden = noPicture || !['connecting', 'waiting', 'reconnecting'].includes(s.state);
    unmute.hidden = s.audioRunning || s.state !== 'playing' || Boolean(s.audioUnsupported);
    setText(unmuteLabel, s.audioStartProblem || 'Click to unmute');
    setText(unsupportedAudio, s.audioUnsupported ? `No sound: ${s.audioUnsupported}.` : '');
    unsupportedAudio.hidden = !s.audioUnsupported || s.state !== 'playing';
    // Figures only mean something while media flows.
    overlay.element.classList.toggle('tc-stats-idle', s.state !== 'playing');
    if (!overlay.element.hidden) overlay.update(s);
  }, 250);

  return () => {
    clearInterval(refresh);
    qualityMenu.remove();
    player.stop();
  };
}

/**
 * The quality menu: shown when the stream has simulcast layers (as the relay's API lists them);
 * a choice reloads the page with `?quality=` (a layer pins it, `auto` lets the relay choose).
 * @param {PlayerOptions} options
 */
function qualitySelect(options) {
  const select = /** @type {HTMLSelectElement} */ (h('select.tc-tool', { title: 'Quality', 'data-role': 'quality' }));
  select.hidden = true;
  fetchApi(`/api/streams/${encodeURIComponent(options.stream)}`, options.token)
    .then((response) => (response.ok ? response.json() : null))
    .then((stream) => {
      const choices = qualityChoices(stream);
      select.replaceChildren(...choices.map((c) => h('option', { value: c, text: c === 'auto' ? 'Auto' : c })));
      select.value = options.quality ?? 'auto';
      select.hidden = choices.length === 0;
    })
    .catch(() => { /* no menu: the stream plays as asked */ });
  select.addEventListener('change', () => {
    location.search = searchWithQuality(location.search, select.value);
  });
  return select;
}
