// @ts-check
/**
 * The publish page (`#/publish/{stream}`): pick camera or screen, a token (or `?token=`),
 * start and stop; the preview with the publisher's figures beside it (bitrate, queue,
 * drops, encoder configuration, simulcast layers) and a link to watch the stream.
 */
import { h, ms, setText } from './dom.js';
import { Publisher } from '../publish/publisher.js';

/** @typedef {import('../publish/messages.js').PublisherStats} PublisherStats */
/** @typedef {import('../publish/messages.js').PublishSettings} PublishSettings */

/** @type {Record<string, string>} */
const STATE_LABELS = {
  idle: 'Ready', starting: 'Starting', connecting: 'Connecting', live: 'Live', reconnecting: 'Reconnecting', stopped: 'Stopped',
  unauthorized: 'Unauthorized', unsupported: 'Unsupported', error: 'Error',
};

/** @param {number} bps */
const mbit = (bps) => `${(bps / 1e6).toFixed(2)} Mbit/s`;
/** @param {number} bytes */
const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;

/** @type {[string, (s: PublisherStats) => string][]} */
const ROWS = [
  ['Sending', (s) => `${(s.bitrateKbps / 1000).toFixed(2)} Mbit/s`],
  ['Video bitrate', (s) => `${mbit(s.videoBitrateBps)} · target ${mbit(s.videoTargetBps)}`],
  ['Uplink', (s) => `${(s.drainRateKbps / 1000).toFixed(2)} Mbit/s drained`],
  ['Queue', (s) => `${kib(s.queueBytes)} · socket ${kib(s.socketBufferedBytes)} · ${ms(s.networkDelayMs)} beyond`],
  ['Drops', (s) => `${s.videoDropped} video · ${s.audioDropped} audio · ${s.congestions} congestions · ${s.droppedOffline} offline`
    + ` · ${s.droppedSettling} settling · ${s.droppedAwaitingTracks} awaiting tracks${s.liveWithout ? ` (started without ${s.liveWithout})` : ''}`],
  ['Bitrate changes', (s) => `${s.bitrateDecreases} down · ${s.bitrateIncreases} up`],
  ['Video encoder', (s) => `${s.videoEncoder || '—'}${s.videoCodecNote ? ` (${s.videoCodecNote})` : ''}`],
  ['Layers', (s) => s.videoLayers.map((l) => `${l.height}p ${mbit(l.bitrateBps)} · ${l.keyframes} key`).join(' | ') || '—'],
  ['Audio encoder', (s) => (s.audioCodec ? `Opus · ${s.audioChannels} ch · ${s.audioSampleRate} Hz in · ${s.audioBitrateBps / 1000} kbit/s${s.dtx ? ' · DTX' : ''}` : '—')],
  ['Frames', (s) => `${s.framesCaptured} captured · ${s.framesEncoded} encoded · ${s.encoderDrops} skipped · ${s.keyframes} key`],
  ['Packets sent', (s) => `${s.videoPacketsSent} video · ${s.audioPacketsSent} audio${s.dtx ? ` · ${s.audioSilenceDropped} silent not sent` : ''}`],
  ['Audio not captured', (s) => `${ms(s.audioCaptureGapMs)} in ${s.audioCaptureGaps} gaps${s.audioCaptureGapMs > 0 ? ' (the browser delivered the microphone slower than real time)' : ''}`],
  ['Capture → packet', (s) => `video ${ms(s.videoCaptureToPacketMs)} · audio ${ms(s.audioCaptureToPacketMs)}`],
  ['Keyframe requests', (s) => String(s.keyframeRequests)],
  ['Capture', (s) => (s.offMainThread ? 'in a worker (MediaStreamTrackProcessor)' : `on the page (fallback${s.copiedOnTimer ? ', copied on a timer' : ''})`)],
  ['Clock', (s) => (Number.isFinite(s.rttMs) ? `offset ${s.clockOffsetMs.toFixed(1)} ms · RTT ${s.rttMs.toFixed(1)} ms` : '—')],
];

/**
 * @typedef {object} PublishViewOptions
 * @property {string} stream
 * @property {string} token
 * @property {string} wsBase
 * @property {string} workerUrl
 * @property {string} search      the page's query string, kept on the watch link
 * @property {PublishSettings} settings
 * @property {{ width: number, height: number, frameRate: number }} capture
 * @property {string[]} errors    bad page options, shown instead of starting
 */

/**
 * Mounts the publish page into `root`; returns a function that tears it down.
 * @param {HTMLElement} root @param {PublishViewOptions} options
 * @param {(publisher: Publisher | null) => void} onPublisher  exposes the running publisher (window.tunnelcast)
 */
export function mountPublishView(root, options, onPublisher) {
  /** @type {Publisher | null} */
  let publisher = null;
  let source = /** @type {'camera' | 'screen'} */ ('camera');
  const badge = h('span.tc-badge', { text: STATE_LABELS.idle, 'data-state': 'idle' });
  const tokenInput = /** @type {HTMLInputElement} */ (h('input.tc-input', { type: 'password', placeholder: 'publish token (if the relay wants one)',
    'aria-label': 'Publish token', autocomplete: 'off' }));
  tokenInput.value = options.token;
  const sourceButtons = /** @type {HTMLButtonElement[]} */ ([
    h('button.tc-tool.tc-source', { type: 'button', 'data-source': 'camera', text: 'Camera' }),
    h('button.tc-tool.tc-source', { type: 'button', 'data-source': 'screen', text: 'Screen' }),
  ]);
  const startButton = /** @type {HTMLButtonElement} */ (h('button.tc-tool.tc-start', { type: 'button', text: 'Start publishing' }));
  const message = h('div.tc-message-text', { text: options.errors.length ? `Bad page options: ${options.errors.join('; ')}.` : 'Pick a camera or a screen, then start.' });
  const messageLayer = h('div.tc-message', null, message);
  const stage = h('div.tc-stage.tc-publish-stage', null, messageLayer);
  /** @type {HTMLElement[]} */
  const cells = [];
  const table = h('dl.tc-stats-table');
  for (const [label] of ROWS) {
    const value = h('dd', { 'data-stat': label, text: '—' });
    cells.push(value);
    table.append(h('dt', { text: label }), value);
  }
  // The publish token does not let anyone watch: the player's link leaves it out.
  const watchQuery = new URLSearchParams(options.search);
  watchQuery.delete('token');
  const watchLink = h('a.tc-tool', { href: `${watchQuery.size ? `?${watchQuery}` : location.pathname}#/play/${encodeURIComponent(options.stream)}`,
    target: '_blank', text: 'Watch' });
  const bar = h('header.tc-bar', null,
    h('a.tc-back', { href: '#/', text: '← Streams' }),
    h('h1.tc-title', { text: `Publish · ${options.stream}` }), badge,
    h('div.tc-spacer'), ...sourceButtons, tokenInput, startButton, watchLink);
  const view = h('main.tc-player.tc-publish', null, bar, h('div.tc-publish-body', null, stage, h('aside.tc-publish-stats', null, table)));
  root.replaceChildren(view);

  const showSource = () => sourceButtons.forEach((b) => b.classList.toggle('tc-selected', b.dataset.source === source));
  showSource();
  for (const button of sourceButtons) {
    button.addEventListener('click', () => {
      if (publisher?.running) return;
      source = button.dataset.source === 'screen' ? 'screen' : 'camera';
      showSource();
    });
  }
  startButton.disabled = options.errors.length > 0;
  startButton.addEventListener('click', () => {
    if (publisher?.running) {
      void publisher.stop();
      return;
    }
    publisher = new Publisher({ stream: options.stream, token: tokenInput.value.trim(), wsBase: options.wsBase, workerUrl: options.workerUrl,
      source, capture: options.capture, settings: options.settings });
    onPublisher(publisher);
    stage.replaceChildren(Object.assign(publisher.element, { className: 'tc-video tc-mirror-none' }), messageLayer);
    void publisher.start();
  });

  // Texts are written only when they change: writing the same text still replaces the text node, and
  // WebKitGTK drops a click whose press and release straddle that (its press target left the document):
  // a Stop click held across this refresh did nothing.
  const refresh = setInterval(() => {
    if (!publisher) return;
    const s = publisher.stats;
    setText(badge, STATE_LABELS[s.state] ?? s.state);
    badge.dataset.state = s.state === 'live' ? 'playing' : s.state;
    stage.dataset.state = s.state;
    // Live without sound (the page cannot read the microphone) is said, not hidden behind the preview.
    const problem = s.state === 'live' ? s.audioCaptureProblem ?? '' : '';
    setText(message, problem || s.message);
    messageLayer.hidden = (s.state === 'live' && !problem) || !message.textContent;
    setText(startButton, publisher.running ? 'Stop' : 'Start publishing');
    tokenInput.disabled = publisher.running;
    sourceButtons.forEach((b) => { b.disabled = publisher?.running ?? false; });
    ROWS.forEach(([, format], i) => {
      setText(cells[i], format(s));
    });
  }, 250);

  return () => {
    clearInterval(refresh);
    void publisher?.stop();
  };
}
