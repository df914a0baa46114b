// @ts-check
/**
 * The call page, `#/call/{room}?name=…&token=…`: the bar (the room, the call's state, who is
 * in it), then the join screen or the call. Exposes the session (window.tunnelcast.call) and
 * its figures (window.tunnelcast.stats) for tests and benchmarks.
 */
import { h, setText } from '../ui/dom.js';
import { CallSession } from './call-session.js';
import { parseCallAddress } from './call-options.js';
import { joinScreen } from './join-screen.js';
import { callScreen } from './call-screen.js';
import { parsePublishOptions } from '../publish/settings.js';

/** @typedef {import('./call-connection.js').CallState} CallState */

/** Calls send less than a broadcast: several pictures share the screen and the uplink. */
export const DEFAULT_CALL_SIZE = '640x360';
/**
 * DTX on in calls unless `dtx=off`: silence costs almost nothing. The players' jitter buffer plays a
 * pause in the media as silence at its place, so the audio stays on its timeline (it had been off
 * while the jitter buffer took a pause for a discontinuity: the A/V offset grew to 9-14 s).
 */
export const DEFAULT_CALL_DTX = 'on';
/**
 * A call takes H.264 only where its encoder gives each frame back at once (Firefox's holds 1.4 s of
 * frames: VP8 there), unless `video-codec=`; the players take a VP8 track through WebCodecs.
 */
export const DEFAULT_CALL_VIDEO_CODEC = 'low-delay';

/** @type {Record<CallState, string>} */
const STATE_LABELS = {
  idle: 'Not joined', joining: 'Joining', 'in-call': 'Live', reconnecting: 'Reconnecting', leaving: 'Leaving', left: 'Left',
  'room-full': 'Room full', unauthorized: 'Unauthorized', forbidden: 'Not allowed', duplicate: 'Already joined', unsupported: 'Unsupported',
  error: 'Error',
};
/** @type {Partial<Record<CallState, string>>} the badge's colours: those of the player's states */
const BADGE_STATES = { 'in-call': 'playing', joining: 'connecting', reconnecting: 'reconnecting', leaving: 'connecting' };

/**
 * @param {HTMLElement} root
 * @param {{ roomPart: string, params: URLSearchParams, wsBase: string, baseUrl: string }} options
 * @param {(session: CallSession | null) => void} onSession
 * @returns {() => void} unmount
 */
export function mountCallView(root, options, onSession) {
  const params = new URLSearchParams(options.params);
  if (!params.has('size')) params.set('size', DEFAULT_CALL_SIZE);
  if (!params.has('dtx')) params.set('dtx', DEFAULT_CALL_DTX);
  if (!params.has('video-codec')) params.set('video-codec', DEFAULT_CALL_VIDEO_CODEC);
  const address = parseCallAddress(options.roomPart, params);
  // A call's players ask for no layer (calls are not tried with simulcast): the publish page's option only.
  if (params.has('layers')) address.errors.push('layers= is an option of the publish page, not of a call');
  params.delete('layers');
  const publishOptions = parsePublishOptions(params);
  address.errors.push(...publishOptions.errors);
  const session = new CallSession({ address, params, wsBase: options.wsBase, baseUrl: options.baseUrl, capture: publishOptions.capture,
    settings: publishOptions.settings });
  onSession(session);
  document.title = `${address.room} · call · Tunnelcast`;

  const badge = h('span.tc-badge');
  const people = h('span.tc-chip.tc-call-count');
  const bar = h('header.tc-bar', null, h('a.tc-back', { href: '#/', text: '← Streams' }), h('h1.tc-title', { text: address.room }), badge, people,
    h('div.tc-spacer'));
  const join = joinScreen(session, { token: !address.token });
  const call = callScreen(session);
  const body = h('div.tc-call-view');
  root.replaceChildren(h('main.tc-player.tc-call', null, bar, body));

  /** @type {'join' | 'call' | ''} */
  let shown = '';
  const render = () => {
    if (session.view !== shown) {
      shown = session.view;
      join.show(shown === 'join');
      body.replaceChildren(shown === 'join' ? join.element : call.element);
    }
    (shown === 'join' ? join : call).refresh();
  };
  const unsubscribe = session.subscribe(render);
  render();
  void session.preview();

  const timer = setInterval(() => {
    const s = session.stats;
    const state = session.view === 'join' ? 'idle' : s.state;
    setText(badge, STATE_LABELS[state]);
    badge.dataset.state = BADGE_STATES[state] ?? (session.connection.final && state !== 'left' ? 'error' : '');
    setText(people, session.view === 'call' && s.members ? `${s.members} in the call` : '');
    if (shown === 'call') call.tick();
    else join.tick();
  }, 200);

  return () => {
    clearInterval(timer);
    unsubscribe();
    join.close();
    call.close();
    session.close();
    onSession(null);
  };
}
