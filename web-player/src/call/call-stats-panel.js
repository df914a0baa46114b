// @ts-check
/**
 * The call's figures beside the grid: the connection, the room, which echo cancellation took
 * effect (asked for, and what the microphone reports), what this page sends, and each
 * participant's latency, audio and frame rate.
 */
import { h, ms, setText } from '../ui/dom.js';

/** @typedef {import('./call-session.js').CallSession} CallSession */
/** @typedef {import('./call-stats.js').CallStats} CallStats */

/** @type {Record<string, string>} */
const EC_WORDS = { all: 'all audio (system-wide)', 'remote-only': 'remote audio only', true: 'on', false: 'off', '': '—' };

/** @param {boolean | null} on */
const onOff = (on) => (on === null ? '—' : on ? 'on' : 'off');

/** @type {[string, (s: CallStats) => string][]} */
const ROWS = [
  ['Connection', (s) => `${s.state} · ${s.connections} connection${s.connections === 1 ? '' : 's'} · ${s.reconnects} reconnects`
    + (Number.isFinite(s.lastOutageMs) ? ` · last outage ${ms(s.lastOutageMs)}` : '')],
  ['Room', (s) => (s.members ? `${s.members} of ${s.maxMembers} · ${s.roomEvents} events` : `no room events yet (${s.roomEvents})`)],
  ['Participant', (s) => `${s.participant || '—'} · instance ${s.instanceId}`],
  ['Echo cancellation', (s) => `asked ${s.audioProcessing.echoCancellationRequested} · in effect ${EC_WORDS[s.audioProcessing.echoCancellation] ?? s.audioProcessing.echoCancellation}`],
  ['Echo modes', (s) => s.audioProcessing.echoCancellationModes.join(', ') || '—'],
  ['Noise suppression', (s) => onOff(s.audioProcessing.noiseSuppression)],
  ['Auto gain', (s) => onOff(s.audioProcessing.autoGainControl)],
  ['Sending', (s) => (s.self.publisher ? `${(s.self.publisher.bitrateKbps / 1000).toFixed(2)} Mbit/s · ${s.self.publisher.videoEncoder || 'no video'}` : '—')],
  ['Uplink', (s) => (s.self.publisher ? `${s.self.publisher.congestions} congestions · ${s.self.publisher.videoDropped} video dropped`
    + ` · RTT ${ms(s.self.publisher.rttMs, 1)}` : '—')],
];

/** @param {CallSession} session */
export function callStatsPanel(session) {
  const table = h('dl.tc-stats-table');
  /** @type {HTMLElement[]} */
  const cells = [];
  for (const [label] of ROWS) {
    const value = h('dd', { 'data-stat': label, text: '—' });
    cells.push(value);
    table.append(h('dt', { text: label }), value);
  }
  const people = h('div.tc-call-people');
  const element = h('aside.tc-call-stats', null, h('h3.tc-section', { text: 'This call' }), table,
    h('h3.tc-section', { text: 'Participants' }), people);
  const update = () => {
    const s = session.stats;
    ROWS.forEach(([, format], i) => {
      setText(cells[i], format(s));
    });
    people.replaceChildren(...s.tiles.map((t) => h('dl.tc-stats-table.tc-call-person', { 'data-participant': t.participant },
      h('dt.tc-call-person-name', { text: t.displayName }), h('dd', { text: t.status === 'live' ? t.playerState : t.status }),
      h('dt', { text: 'Latency' }), h('dd', { text: `${ms(t.latencyMs)} · p95 ${ms(t.latencyP95Ms)}` }),
      h('dt', { text: 'Audio heard' }), h('dd', { text: `${ms(t.audioLatencyMs)} · buffer ${ms(t.jitterBufferMs)}` }),
      h('dt', { text: 'Video' }), h('dd', { text: t.videoMuted ? 'camera off' : `${t.fps} fps${t.screenShare ? ' · screen' : ''}` }))));
  };
  return { element, update };
}
