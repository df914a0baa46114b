// @ts-check
/**
 * The call itself: a grid of tiles (this participant's mirrored self view first, then one per
 * other participant in the order they joined), sized to fill the stage; the controls (mute,
 * camera, screen share, devices, figures, leave); a banner while the connection is being
 * re-established; and, when the call ended or was refused, why and what to do next.
 */
import { h, ms, setText } from '../ui/dom.js';
import { icon, showIcon } from './icons.js';
import { Tile } from './tile.js';
import { tileGrid } from './tile-layout.js';
import { deviceSelects } from './device-selects.js';
import { callStatsPanel } from './call-stats-panel.js';

/** @typedef {import('./call-session.js').CallSession} CallSession */
/** @typedef {import('./call-session.js').Remote} Remote */

const GRID_GAP_PX = 12;

/** @type {Record<string, string>} a player's states, as a tile's note */
const PLAYER_NOTES = { connecting: 'Connecting…', waiting: 'Connecting…', offline: 'Reconnecting…', reconnecting: 'Reconnecting…',
  unauthorized: 'Not allowed to watch', unsupported: 'Cannot play here', error: 'Playback error' };

/**
 * @param {CallSession} session
 * @returns {{ element: HTMLElement, refresh: () => void, tick: () => void, close: () => void }}
 */
export function callScreen(session) {
  const grid = h('div.tc-call-grid');
  const banner = h('div.tc-call-banner');
  const endText = h('div.tc-message-text');
  const endActions = h('div.tc-call-end-actions');
  const endLayer = h('div.tc-message.tc-call-end', null, endText, endActions);
  const stage = h('div.tc-call-stage', null, grid, banner, endLayer);
  const self = new Tile('self', true);
  grid.append(self.element);
  /** @type {Map<string, Tile>} */
  const tiles = new Map();

  const devices = deviceSelects(session);
  const settings = h('div.tc-call-popover', null, h('h3.tc-section', { text: 'Devices' }), devices.element);
  settings.hidden = true;
  const panel = callStatsPanel(session);
  panel.element.hidden = localStorage.getItem('tunnelcast.call.stats') !== 'shown';

  const micButton = h('button.tc-round', { type: 'button', 'data-control': 'mic', onclick: () => session.setAudioMuted(!session.media.audioMuted) });
  const camButton = h('button.tc-round', { type: 'button', 'data-control': 'camera', onclick: () => void session.setVideoMuted(!session.media.videoMuted) });
  const screenButton = h('button.tc-round', { type: 'button', 'data-control': 'screen', title: 'Share a screen', onclick: () => void session.toggleScreenShare() },
    icon('screen'));
  screenButton.hidden = typeof navigator.mediaDevices?.getDisplayMedia !== 'function';
  const settingsButton = h('button.tc-round', { type: 'button', 'data-control': 'devices', title: 'Devices', onclick: () => {
    settings.hidden = !settings.hidden;
    if (!settings.hidden) devices.refresh();
  } }, icon('settings'));
  const statsButton = h('button.tc-round', { type: 'button', 'data-control': 'stats', title: 'Figures', onclick: () => {
    panel.element.hidden = !panel.element.hidden;
    localStorage.setItem('tunnelcast.call.stats', panel.element.hidden ? 'hidden' : 'shown');
  } }, icon('stats'));
  const leaveButton = h('button.tc-round.tc-leave', { type: 'button', 'data-control': 'leave', title: 'Leave the call', onclick: () => void session.leave() },
    icon('leave'));
  const controls = h('div.tc-call-controls', null, micButton, camButton, screenButton, settingsButton, statsButton, leaveButton, settings);

  const element = h('div.tc-call-body', null, h('div.tc-call-main', null, stage, controls), panel.element);

  const layout = () => {
    const count = 1 + tiles.size;
    const width = stage.clientWidth - 2 * GRID_GAP_PX;
    const height = stage.clientHeight - 2 * GRID_GAP_PX;
    const g = tileGrid(count, width, height, { gap: GRID_GAP_PX });
    grid.style.gridTemplateColumns = `repeat(${g.columns}, ${g.tileWidth}px)`;
    grid.style.gridAutoRows = `${g.tileHeight}px`;
    grid.dataset.count = String(count);
  };
  // The devices popover closes on a click anywhere else.
  const closePopover = (/** @type {MouseEvent} */ e) => {
    if (!settings.hidden && e.target instanceof Node && !settings.contains(e.target) && !settingsButton.contains(e.target)) settings.hidden = true;
  };
  document.addEventListener('click', closePopover);
  const resize = new ResizeObserver(layout);
  resize.observe(stage);

  /** Tiles for the participants now in the room, in order; gone ones removed. */
  const refresh = () => {
    const remotes = session.orderedRemotes;
    const present = new Set(remotes.map((r) => r.member.participant));
    for (const [participant, tile] of tiles) {
      if (!present.has(participant)) {
        tile.element.remove();
        tiles.delete(participant);
      }
    }
    for (const remote of remotes) {
      let tile = tiles.get(remote.member.participant);
      if (!tile) {
        tile = new Tile(remote.member.participant, false);
        tile.setVideo(remote.player.element);
        tiles.set(remote.member.participant, tile);
      }
      grid.append(tile.element); // in the room's order
    }
    self.setVideo(session.publisher?.element ?? null);
    layout();
    tick();
  };

  /** The figures that move: speaking, levels, latency, flags, the state. */
  const tick = () => {
    const s = session.stats;
    const media = session.media;
    self.update({ name: session.displayName, suffix: ' (you)', audioMuted: media.audioMuted, pictureOff: !media.videoTrack || !session.publisher,
      speaking: s.self.speaking, levelDb: s.self.audioLevelDb, latency: '', latencyTitle: '', note: '', mirrored: !media.screen,
      screenShare: Boolean(media.screen) });
    for (const remote of session.orderedRemotes) tiles.get(remote.member.participant)?.update(remoteView(remote));
    showIcon(micButton, media.audioMuted ? 'micOff' : 'mic');
    micButton.classList.toggle('tc-off', media.audioMuted);
    micButton.title = media.audioMuted ? 'Unmute (others cannot hear you)' : 'Mute the microphone';
    showIcon(camButton, media.videoMuted ? 'cameraOff' : 'camera');
    camButton.classList.toggle('tc-off', media.videoMuted);
    camButton.title = media.videoMuted ? 'Turn the camera on' : 'Turn the camera off';
    screenButton.classList.toggle('tc-on', Boolean(media.screen));
    screenButton.title = media.screen ? 'Stop sharing the screen' : 'Share a screen';
    const state = s.state;
    setText(banner, state === 'reconnecting' ? s.message : state === 'joining' ? 'Joining…' : state === 'leaving' ? 'Leaving…' : '');
    banner.hidden = !banner.textContent;
    banner.dataset.state = state;
    const ended = session.connection.final;
    endLayer.hidden = !ended;
    stage.dataset.state = state;
    if (ended && endText.textContent !== s.message) {
      endText.textContent = s.message;
      const again = h('button.tc-tool.tc-start', { type: 'button', 'data-action': 'rejoin', text: state === 'left' ? 'Rejoin' : 'Try again',
        onclick: () => void session.backToJoin() });
      endActions.replaceChildren(again, h('a.tc-tool', { href: '#/', text: 'Back to streams' }));
    }
    for (const b of [micButton, camButton, screenButton, settingsButton, leaveButton]) /** @type {HTMLButtonElement} */ (b).disabled = ended;
    if (!panel.element.hidden) panel.update();
  };

  return { element, refresh, tick, close: () => {
    resize.disconnect();
    document.removeEventListener('click', closePopover);
  } };
}

/** @param {Remote} remote @returns {import('./tile.js').TileView} */
function remoteView(remote) {
  const { member, player } = remote;
  const s = player.stats;
  const pictureOff = member.videoMuted || s.framesShown === 0;
  const note = remote.status === 'reconnecting' ? 'Reconnecting…'
    : member.videoMuted ? '' : s.state === 'playing' ? '' : PLAYER_NOTES[s.state] ?? '';
  const latency = s.latencyMetadataMs.p50;
  return {
    name: member.displayName || member.participant, audioMuted: member.audioMuted, pictureOff, speaking: s.audioSpeaking, levelDb: s.audioLevelDb,
    latency: Number.isFinite(latency) && !pictureOff ? ms(latency) : '',
    latencyTitle: `Capture → shown: p50 ${ms(latency)}, p95 ${ms(s.latencyMetadataMs.p95)}; audio heard ${ms(s.audioLatencyMs)}`,
    note, mirrored: false, screenShare: member.screenShare,
  };
}
