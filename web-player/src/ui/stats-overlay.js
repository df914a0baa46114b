// @ts-check
/** The stats overlay over the video: the live figures and a chart of latency and buffer. */
import { h, ms, setText } from './dom.js';
import { LiveChart } from './chart.js';
import { describeDrops } from '../video/frame-drops.js';
import { label } from '../video/video-path.js';
import { FELL_BACK_NOTE, NO_PICTURE_NOTE } from '../video/no-picture-watch.js';

/** @typedef {import('../stats/player-stats.js').PlayerStats} PlayerStats */

/** @type {Record<string, string>} */
const AUDIO_DECODERS = { webcodecs: 'Opus · WebCodecs', wasm: 'Opus · WASM (libopus)' };

/** @type {Record<string, string>} */
const PATH_NOTES = { '': '', [NO_PICTURE_NOTE]: ' (shows no picture: try ?video=webcodecs)', [FELL_BACK_NOTE]: ' (MSE showed no picture)' };

/** @type {[string, (s: PlayerStats) => string][]} */
const ROWS = [
  ['Latency (pixels)', (s) => `${ms(s.latencyPixelMs.p50)} · p95 ${ms(s.latencyPixelMs.p95)}`],
  ['Latency (metadata)', (s) => `${ms(s.latencyMetadataMs.p50)} · p95 ${ms(s.latencyMetadataMs.p95)}`],
  ['Latency (audio heard)', (s) => ms(s.audioLatencyMs)],
  ['A/V offset', (s) => ms(s.avOffsetMs.p50)],
  ['Jitter', (s) => ms(s.jitterMs)],
  ['Jitter buffer', (s) => `${ms(s.jitterBufferDepthMs)} / target ${ms(s.jitterBufferTargetMs)}`],
  ['Video buffer', (s) => ms(s.videoBufferMs)],
  ['Bitrate', (s) => `${(s.bitrateKbps / 1000).toFixed(2)} Mbit/s`],
  ['Frames', (s) => `${s.fps} fps · ${s.framesDecoded} decoded · ${s.framesDropped} dropped`],
  ['Dropped by cause', (s) => describeDrops(s.framesDroppedBy)],
  ['Audio', (s) => `${s.audioUnderruns} underruns · ${s.audioConcealedPercent.toFixed(2)} % concealed`],
  ['Audio decoder', (s) => AUDIO_DECODERS[s.audioDecoder] ?? '—'],
  ['Path', (s) => `${label(s.videoPath)}${PATH_NOTES[s.videoPathNote] ?? (s.videoPathNote ? ' (asked for: not available)' : '')} · RTT ${ms(s.rttMs, 1)}`],
  ['Video codec', (s) => s.videoCodec || '—'],
  ['Layer', (s) => s.videoLayer || '—'],
];

export class StatsOverlay {
  constructor() {
    this.chart = new LiveChart([
      { label: 'latency', color: '#4cc9f0' },
      { label: 'jitter buffer', color: '#f72585' },
    ]);
    /** @type {HTMLElement[]} */
    this.cells = [];
    const table = h('dl.tc-stats-table');
    for (const [label] of ROWS) {
      const value = h('dd', { 'data-stat': label });
      this.cells.push(value);
      table.append(h('dt', { text: label }), value);
    }
    const legend = h('div.tc-legend', null,
      h('span.tc-key', { style: 'color:#4cc9f0', text: '● latency' }),
      h('span.tc-key', { style: 'color:#f72585', text: '● jitter buffer' }));
    this.element = h('div.tc-stats', null, table, this.chart.canvas, legend);
  }

  /** @param {PlayerStats} s */
  update(s) {
    ROWS.forEach(([, format], i) => {
      setText(this.cells[i], format(s));
    });
    const latency = Number.isFinite(s.latencyPixelMs.last) ? s.latencyPixelMs.last : s.latencyMetadataMs.last;
    this.chart.add([latency, s.jitterBufferDepthMs]);
  }
}
