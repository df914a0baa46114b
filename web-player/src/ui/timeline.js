// @ts-check
/**
 * The archive timeline's arithmetic, pure (no DOM) so that node's test runner checks it:
 * the relay's recordings list read into segments, segments merged into the spans drawn,
 * time ↔ x, tick marks, and which segment (and offset into it) a wall-clock time plays.
 * Times are wall-clock microseconds since the epoch (relay clock), as the index stores them.
 */

/**
 * @typedef {object} Segment  one archive file, as `GET /api/streams/{stream}/recordings` lists it
 * @property {string} id
 * @property {number} startMicros
 * @property {number} endMicros
 * @property {number} durationMicros
 * @property {number} sizeBytes
 * @property {'RECORDING' | 'CLOSED' | 'RECOVERED'} state
 * @property {boolean} finished   closed or recovered: in the HLS playlist, playable
 * @property {string} url         the download URL
 */

/** @typedef {{ startMicros: number, endMicros: number, recording: boolean }} Span */
/** @typedef {{ segment: Segment, offsetSeconds: number }} Position */
/** @typedef {{ micros: number, major: boolean, label: string }} Tick */

/** Segments closer than this (rotation leaves at most a frame between them) draw as one span. */
export const DEFAULT_JOIN_MICROS = 100_000;

/**
 * Reads the recordings list leniently: entries without valid times are skipped; oldest first.
 * A segment still being recorded ends "now" (its index entry says where it started only).
 * @param {unknown} body parsed JSON @param {number} nowMicros
 * @returns {Segment[]}
 */
export function parseRecordings(body, nowMicros) {
  if (!Array.isArray(body)) return [];
  /** @type {Segment[]} */
  const out = [];
  for (const r of body) {
    const state = r?.state === 'RECORDING' || r?.state === 'RECOVERED' ? r.state : 'CLOSED';
    const startMicros = Number(r?.startWallMicros);
    const finished = state !== 'RECORDING';
    const endMicros = finished ? Number(r?.endWallMicros) : Math.max(nowMicros, startMicros);
    if (typeof r?.id !== 'string' || !Number.isFinite(startMicros) || !Number.isFinite(endMicros) || endMicros < startMicros) continue;
    out.push({
      id: r.id, startMicros, endMicros, state, finished,
      durationMicros: Number(r.durationMicros) || endMicros - startMicros,
      sizeBytes: Number(r.sizeBytes) || 0,
      url: typeof r.url === 'string' ? r.url : '',
    });
  }
  return out.sort((a, b) => a.startMicros - b.startMicros);
}

/**
 * Merges segments that touch or overlap (within `joinMicros`) into spans; what is left
 * between spans is a gap in the recording. A span is `recording` if any part still is.
 * @param {Segment[]} segments oldest first @param {number} [joinMicros]
 * @returns {Span[]}
 */
export function mergeSpans(segments, joinMicros = DEFAULT_JOIN_MICROS) {
  /** @type {Span[]} */
  const spans = [];
  for (const s of segments) {
    const last = spans[spans.length - 1];
    if (last && s.startMicros <= last.endMicros + joinMicros) {
      last.endMicros = Math.max(last.endMicros, s.endMicros);
      last.recording ||= !s.finished;
    } else {
      spans.push({ startMicros: s.startMicros, endMicros: s.endMicros, recording: !s.finished });
    }
  }
  return spans;
}

/**
 * A linear scale between [fromMicros, toMicros] and [0, widthPx]; positions outside clamp.
 * @param {number} fromMicros @param {number} toMicros @param {number} widthPx
 */
export function timeScale(fromMicros, toMicros, widthPx) {
  const span = Math.max(1, toMicros - fromMicros);
  return {
    fromMicros, toMicros, widthPx,
    /** @param {number} micros */
    xOf: (micros) => Math.min(widthPx, Math.max(0, ((micros - fromMicros) / span) * widthPx)),
    /** @param {number} x */
    timeAt: (x) => fromMicros + (Math.min(widthPx, Math.max(0, x)) / Math.max(1, widthPx)) * span,
  };
}

/**
 * The range the timeline shows: all segments, with a little room at either end so that the
 * first and last moments are clickable. Null without segments.
 * @param {Segment[]} segments
 * @returns {{ fromMicros: number, toMicros: number } | null}
 */
export function viewRange(segments) {
  if (!segments.length) return null;
  const from = Math.min(...segments.map((s) => s.startMicros));
  const to = Math.max(...segments.map((s) => s.endMicros));
  const pad = Math.max(1_000_000, (to - from) * 0.02);
  return { fromMicros: from - pad, toMicros: to + pad };
}

/**
 * Where a wall-clock time plays: the finished segment holding it and the offset into it; in a
 * gap (or an unplayable part), the start of the next finished segment; null after the last.
 * @param {Segment[]} segments oldest first @param {number} micros
 * @returns {Position | null}
 */
export function locate(segments, micros) {
  for (const segment of segments) {
    if (!segment.finished || segment.endMicros <= micros) continue;
    const offsetMicros = Math.max(0, micros - segment.startMicros);
    return { segment, offsetSeconds: offsetMicros / 1e6 };
  }
  return null;
}

/** The finished segment after `segment` (across a gap too), or null. @param {Segment[]} segments @param {Segment} segment */
export function nextPlayable(segments, segment) {
  return segments.find((s) => s.finished && s.startMicros > segment.startMicros) ?? null;
}

const SECOND = 1_000_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Tick steps, finest first; labelled ticks use a coarser step of the same list. */
const STEPS = [1, 2, 5, 10, 15, 30].map((s) => s * SECOND)
  .concat([1, 2, 5, 10, 15, 30].map((m) => m * MINUTE), [1, 2, 3, 6, 12, 24].map((h) => h * HOUR));

/**
 * Tick marks on round times: the finest step that keeps ticks `minSpacingPx` apart, labelled
 * on the finest multiple of it that keeps labels `minLabelSpacingPx` apart (whole minutes,
 * hours…). `utcOffsetMinutes` shifts what "round" means to the viewer's zone (local hours).
 * @param {number} fromMicros @param {number} toMicros @param {number} widthPx
 * @param {{ minSpacingPx?: number, minLabelSpacingPx?: number, utcOffsetMinutes?: number }} [options]
 * @returns {Tick[]}
 */
export function ticks(fromMicros, toMicros, widthPx, { minSpacingPx = 12, minLabelSpacingPx = 70, utcOffsetMinutes = 0 } = {}) {
  const span = toMicros - fromMicros;
  if (!(span > 0) || !(widthPx > 0)) return [];
  const step = STEPS.find((s) => (s / span) * widthPx >= minSpacingPx) ?? STEPS[STEPS.length - 1];
  const major = STEPS.find((s) => s % step === 0 && (s / span) * widthPx >= minLabelSpacingPx) ?? STEPS[STEPS.length - 1];
  const shift = utcOffsetMinutes * MINUTE;
  /** @type {Tick[]} */
  const out = [];
  for (let t = Math.ceil((fromMicros + shift) / step) * step; t <= toMicros + shift; t += step) {
    const isMajor = t % major === 0;
    out.push({ micros: t - shift, major: isMajor, label: isMajor ? clockLabel(t, major < MINUTE) : '' });
  }
  return out;
}

/** HH:MM (or HH:MM:SS) of a time already shifted to the viewer's zone. @param {number} shiftedMicros @param {boolean} seconds */
function clockLabel(shiftedMicros, seconds) {
  const d = new Date(Math.floor(shiftedMicros / 1000));
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${seconds ? `:${two(d.getUTCSeconds())}` : ''}`;
}

/**
 * A wall-clock time for display: `YYYY-MM-DD HH:MM:SS.s` in the viewer's zone.
 * @param {number} micros @param {number} [utcOffsetMinutes]
 */
export function formatWallClock(micros, utcOffsetMinutes = 0) {
  const d = new Date(Math.floor(micros / 1000) + utcOffsetMinutes * 60_000);
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} `
    + `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${Math.floor(d.getUTCMilliseconds() / 100)}`;
}

/** A duration for the segment list: `1:02:03` or `4:05`. @param {number} micros */
export function formatDuration(micros) {
  const total = Math.round(micros / SECOND);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A size for the segment list. @param {number} bytes */
export function formatBytes(bytes) {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(2)} GiB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  return `${Math.max(0, Math.round(bytes / 1024))} KiB`;
}

/** The playlist URL that holds exactly one segment: a range around its middle. @param {string} stream @param {Segment} segment */
export function segmentPlaylistUrl(stream, segment) {
  const midMillis = Math.floor((segment.startMicros + segment.endMicros) / 2 / 1000);
  return `/api/streams/${encodeURIComponent(stream)}/archive.m3u8?from=${midMillis}&to=${midMillis}`;
}
