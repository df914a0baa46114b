// @ts-check
/**
 * The archive page (`#/archive/{stream}`): a timeline of the recorded spans with hour/minute
 * ticks and visible gaps, click to play from that moment (the relay's HLS playlist of that
 * segment in a plain <video> where HLS is native, Chromium and Safari; elsewhere, Firefox and
 * WebKitGTK, the segment's own fMP4 file), a playhead that follows
 * playback, the wall-clock time of what is shown, and a download link per segment.
 */
import { h, setText } from './dom.js';
import { fetchApi, unlessRefused, withToken } from './relay-api.js';
import {
  formatBytes, formatDuration, formatWallClock, locate, mergeSpans, nextPlayable, parseRecordings,
  segmentPlaylistUrl, ticks, timeScale, viewRange,
} from './timeline.js';

/** @typedef {import('./timeline.js').Segment} Segment */

const REFRESH_MS = 10_000;
const HLS_TYPE = 'application/vnd.apple.mpegurl';

/**
 * Mounts the archive of `stream` into `root`; returns a function that tears it down.
 * @param {HTMLElement} root @param {string} stream @param {string} search the page's query string, kept on links
 * @param {string} token the page's play token, passed on to the API, the playlists and the downloads
 */
export function mountArchiveView(root, stream, search, token) {
  const utcOffsetMinutes = -new Date().getTimezoneOffset();
  const wall = (/** @type {number} */ micros) => formatWallClock(micros, utcOffsetMinutes);
  const base = `/api/streams/${encodeURIComponent(stream)}`;

  const video = /** @type {HTMLVideoElement} */ (h('video.tc-video', { playsinline: '', controls: '' }));
  const message = h('div.tc-message-text', { text: 'Loading recordings…' });
  const messageLayer = h('div.tc-message', null, message);
  // Without native HLS the segment's own file plays: it starts at 0 as its playlist does, so the
  // time shown is the same, and the relay serves it with Range requests, so seeking works.
  const nativeHls = video.canPlayType(HLS_TYPE) !== '';
  const sourceOf = (/** @type {Segment} */ segment) => withToken(nativeHls ? segmentPlaylistUrl(stream, segment) : segment.url, token);
  const stage = h('div.tc-stage', null, video, messageLayer);

  const clock = h('span.tc-archive-clock', { text: '–' });
  const ticksLayer = h('div.tc-ticks');
  const spansLayer = h('div.tc-spans');
  const playhead = h('div.tc-playhead');
  const cursor = h('div.tc-cursor');
  playhead.hidden = true;
  cursor.hidden = true;
  const track = h('div.tc-timeline', { title: 'Click to play from that time' }, ticksLayer, spansLayer, playhead, cursor);
  const rangeLabel = h('span.tc-card-meta');
  const segmentRows = h('tbody');
  const segmentTable = h('table.tc-segments', null,
    h('thead', null, h('tr', null, ...['Start', 'Duration', 'Size', 'State', ''].map((t) => h('th', { text: t })))), segmentRows);
  const bar = h('header.tc-bar', null,
    h('a.tc-back', { href: `${search}#/`, text: '← Streams' }),
    h('h1.tc-title', { text: stream }),
    h('span.tc-badge', { 'data-state': 'archive', text: 'Archive' }),
    clock,
    h('div.tc-spacer'),
    h('a.tc-tool', { href: withToken(`${base}/archive.m3u8`, token), title: 'The whole archive as an HLS playlist (VLC, ffplay, Safari)', text: 'Playlist' }),
    h('a.tc-tool.tc-live-link', { href: `${search}#/play/${encodeURIComponent(stream)}`, text: 'Live' }));
  const panel = h('section.tc-archive-panel', null,
    h('div.tc-archive-head', null, h('h2.tc-section', { text: 'Recorded' }), rangeLabel), track,
    h('details.tc-archive-list', null, h('summary', { text: 'Segments and downloads' }), segmentTable));
  root.replaceChildren(h('main.tc-player.tc-archive', null, bar, stage, panel));

  /** @type {Segment[]} */
  let segments = [];
  /** @type {{ fromMicros: number, toMicros: number } | null} */
  let range = null;
  /** @type {Segment | null} the segment loaded in the video */
  let current = null;
  /** @type {string} the id of the segment whose list row is highlighted */
  let shownRow = '';

  const scaleFor = () => (range ? timeScale(range.fromMicros, range.toMicros, track.clientWidth || 1000) : null);
  const percent = (/** @type {number} */ micros) => {
    const scale = range ? timeScale(range.fromMicros, range.toMicros, 100) : null;
    return scale ? `${scale.xOf(micros)}%` : '0%';
  };

  const say = (/** @type {string} */ text) => {
    setText(message, text);
    messageLayer.hidden = !text;
  };

  function drawTimeline() {
    const scale = scaleFor();
    if (!scale || !range) {
      ticksLayer.replaceChildren();
      spansLayer.replaceChildren();
      return;
    }
    track.dataset.fromMicros = String(range.fromMicros);
    track.dataset.toMicros = String(range.toMicros);
    ticksLayer.replaceChildren(...ticks(range.fromMicros, range.toMicros, scale.widthPx, { utcOffsetMinutes })
      .map((t) => h(`div.tc-tick${t.major ? '.tc-tick-major' : ''}`, { style: `left:${percent(t.micros)}` },
        t.label ? h('span.tc-tick-label', { text: t.label }) : null)));
    spansLayer.replaceChildren(...mergeSpans(segments).map((s) => h(`div.tc-span${s.recording ? '.tc-span-recording' : ''}`, {
      style: `left:${percent(s.startMicros)};width:max(3px, calc(${percent(s.endMicros)} - ${percent(s.startMicros)}))`,
      'data-start-micros': s.startMicros, 'data-end-micros': s.endMicros,
      title: `${wall(s.startMicros)} – ${wall(s.endMicros)}${s.recording ? ' (recording)' : ''}`,
    })));
  }

  function drawList() {
    segmentRows.replaceChildren(...[...segments].reverse().map((s) => h('tr', { 'data-segment': s.id },
      h('td', null, h('button.tc-link', { type: 'button', text: wall(s.startMicros), onclick: () => playAt(s.startMicros) })),
      h('td', { text: formatDuration(s.endMicros - s.startMicros) }),
      h('td', { text: formatBytes(s.sizeBytes) }),
      h('td', { text: s.state.toLowerCase() }),
      h('td', null, s.finished && s.url ? h('a.tc-tool', { href: withToken(s.url, token), download: `${stream}-${s.id}.mp4`, text: 'Download' }) : null))));
    shownRow = '';
  }

  async function load() {
    try {
      const response = await unlessRefused(await fetchApi(`${base}/recordings`, token));
      const json = (response.headers.get('content-type') ?? '').includes('json');
      if (response.status === 404 || !json) throw new Error('recording is off on this relay (start it with --record-dir DIR)');
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      segments = parseRecordings(await response.json(), Date.now() * 1000);
      range = viewRange(segments);
      setText(rangeLabel, range
        ? `${segments.length} segment${segments.length === 1 ? '' : 's'} · ${wall(segments[0].startMicros)} – ${wall(segments[segments.length - 1].endMicros)}`
        : '');
      drawTimeline();
      drawList();
      if (!current) say(segments.length ? 'Click the timeline to play from that moment.' : `Nothing of ${stream} is recorded yet.`);
    } catch (e) {
      say(`No recordings: ${e instanceof Error ? e.message : e}.`);
    }
  }

  /** Plays from a wall-clock time: the segment holding it, or the next one after a gap. @param {number} micros */
  function playAt(micros) {
    const position = locate(segments, micros);
    if (!position) {
      say('Nothing playable is recorded after that moment (a segment being recorded plays once it closes).');
      return;
    }
    say('');
    if (current?.id === position.segment.id && video.readyState >= HTMLMediaElement.HAVE_METADATA) {
      video.currentTime = position.offsetSeconds;
    } else {
      current = position.segment;
      video.addEventListener('loadedmetadata', () => {
        video.currentTime = position.offsetSeconds;
      }, { once: true });
      video.src = sourceOf(position.segment);
    }
    video.play().catch((e) => say(`Cannot start playback: ${e instanceof Error ? e.message : e}`));
  }

  /** The wall-clock time of the frame shown, or NaN. */
  const playingMicros = () => (current && video.readyState >= HTMLMediaElement.HAVE_METADATA
    ? current.startMicros + video.currentTime * 1e6 : NaN);

  function follow() {
    const micros = playingMicros();
    playhead.hidden = !Number.isFinite(micros) || !range;
    clock.dataset.wallMicros = Number.isFinite(micros) ? String(Math.round(micros)) : '';
    // Written on every follow, changed or not (not clickable): WebKitGTK without compositing makes a rendering
    // update only when something changes, and after a seek its video stood at readyState 2 until one came
    // (WebKitPlayerE2ETest's click further into the span, 2 of 2 runs while this was written only on change).
    clock.textContent = Number.isFinite(micros) ? wall(micros) : '–';
    if (Number.isFinite(micros)) playhead.style.left = percent(micros);
    if (current && current.id !== shownRow) {
      segmentRows.querySelectorAll('tr').forEach((row) => row.classList.toggle('tc-row-playing', row.dataset.segment === current?.id));
      shownRow = current.id;
    }
  }

  track.addEventListener('click', (e) => {
    const scale = scaleFor();
    if (!scale) return;
    const rect = track.getBoundingClientRect();
    playAt(timeScale(scale.fromMicros, scale.toMicros, rect.width).timeAt(e.clientX - rect.left));
  });
  track.addEventListener('mousemove', (e) => {
    const rect = track.getBoundingClientRect();
    if (!range) return;
    const micros = timeScale(range.fromMicros, range.toMicros, rect.width).timeAt(e.clientX - rect.left);
    cursor.hidden = false;
    cursor.style.left = percent(micros);
    setText(cursor, wall(micros).slice(11, 19));
  });
  track.addEventListener('mouseleave', () => {
    cursor.hidden = true;
  });
  video.addEventListener('timeupdate', follow);
  video.addEventListener('ended', () => {
    const next = current && nextPlayable(segments, current);
    if (next) playAt(next.startMicros);
  });
  video.addEventListener('error', () => {
    if (video.src) say(`Cannot play this recording: ${video.error?.message || `media error ${video.error?.code ?? ''}`}.`);
  });
  const resize = () => drawTimeline();
  window.addEventListener('resize', resize);

  void load();
  const refresh = setInterval(load, REFRESH_MS);
  const ticker = setInterval(follow, 100);
  return () => {
    clearInterval(refresh);
    clearInterval(ticker);
    window.removeEventListener('resize', resize);
    video.removeAttribute('src');
    video.load();
  };
}
