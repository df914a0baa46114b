import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatBytes, formatDuration, formatWallClock, locate, mergeSpans, nextPlayable, parseRecordings,
  segmentPlaylistUrl, ticks, timeScale, viewRange,
} from '../src/ui/timeline.js';

const T0 = Date.UTC(2026, 10, 21, 13, 59, 50) * 1000; // 13:59:50 UTC, in microseconds
const S = 1_000_000;
/** A recordings-list entry, times in seconds after T0. @param {string} id @param {number} startS @param {number} endS */
const entry = (id, startS, endS, state = 'CLOSED') => ({
  id, state, startWallMicros: T0 + startS * S, endWallMicros: T0 + endS * S, durationMicros: (endS - startS) * S,
  sizeBytes: 1000, url: `/api/streams/cam/recordings/${id}`,
});

// Three files: two back to back (a rotation, 20 ms apart), a gap, one still recording.
const BODY = [entry('c', 100, 0, 'RECORDING'), entry('a', 0, 10), entry('b', 10.02, 20), entry('bad', 5, 1), { id: 7 }];

test('the recordings list is read oldest first; bad entries are skipped; a recording segment ends now', () => {
  const segments = parseRecordings(BODY, T0 + 130 * S);
  assert.deepEqual(segments.map((s) => s.id), ['a', 'b', 'c']);
  assert.equal(segments[2].endMicros, T0 + 130 * S);
  assert.equal(segments[2].finished, false);
  assert.equal(segments[0].finished, true);
  assert.equal(segments[0].url, '/api/streams/cam/recordings/a');
  assert.deepEqual(parseRecordings({ error: 'x' }, 0), []);
});

test('spans: touching segments merge, a gap stays a gap, a recording span is marked', () => {
  const segments = parseRecordings(BODY, T0 + 130 * S);
  assert.deepEqual(mergeSpans(segments), [
    { startMicros: T0, endMicros: T0 + 20 * S, recording: false },
    { startMicros: T0 + 100 * S, endMicros: T0 + 130 * S, recording: true },
  ]);
  // With no tolerance the 20 ms seam is a (tiny) gap.
  assert.equal(mergeSpans(segments, 0).length, 3);
});

test('time ↔ x is linear, inverse, and clamps outside the range', () => {
  const scale = timeScale(T0, T0 + 100 * S, 1000);
  assert.equal(scale.xOf(T0 + 25 * S), 250);
  assert.equal(scale.timeAt(250), T0 + 25 * S);
  assert.equal(scale.timeAt(scale.xOf(T0 + 73 * S)), T0 + 73 * S);
  assert.equal(scale.xOf(T0 - S), 0);
  assert.equal(scale.xOf(T0 + 500 * S), 1000);
  assert.equal(scale.timeAt(-10), T0);
});

test('the view covers every segment with room at both ends', () => {
  const range = viewRange(parseRecordings(BODY, T0 + 130 * S));
  assert.ok(range);
  assert.ok(range.fromMicros < T0 && range.fromMicros >= T0 - 3 * S);
  assert.ok(range.toMicros > T0 + 130 * S && range.toMicros <= T0 + 133 * S);
  assert.equal(viewRange([]), null);
});

test('a time plays in its segment at its offset; in a gap from the next segment; never in one still recording', () => {
  const segments = parseRecordings(BODY, T0 + 130 * S);
  const inFirst = locate(segments, T0 + 2.5 * S);
  assert.equal(inFirst?.segment.id, 'a');
  assert.equal(inFirst?.offsetSeconds, 2.5);
  const inSecond = locate(segments, T0 + 15 * S);
  assert.equal(inSecond?.segment.id, 'b');
  assert.ok(Math.abs((inSecond?.offsetSeconds ?? 0) - 4.98) < 1e-9);
  const beforeAll = locate(segments, T0 - 5 * S);
  assert.deepEqual([beforeAll?.segment.id, beforeAll?.offsetSeconds], ['a', 0]);
  assert.equal(locate(segments, T0 + 50 * S), null, 'the gap is followed only by a segment being recorded');
  assert.equal(locate(segments, T0 + 110 * S), null);
  assert.equal(nextPlayable(segments, segments[0])?.id, 'b');
  assert.equal(nextPlayable(segments, segments[1]), null);
});

test('ticks: round times, spaced enough, labelled on whole minutes/hours in the viewer zone', () => {
  // 13:59:50 – 14:01:50 UTC over 600 px: 5 s ticks (2 s would be 10 px apart, under 12 px), labels every 15 s (70 px apart at least).
  const utc = ticks(T0, T0 + 120 * S, 600);
  const steps = new Set(utc.slice(1).map((t, i) => t.micros - utc[i].micros));
  assert.deepEqual([...steps], [5 * S]);
  assert.ok(utc.every((t) => t.micros % (5 * S) === 0));
  assert.deepEqual(utc.filter((t) => t.major).map((t) => t.label), ['14:00:00', '14:00:15', '14:00:30', '14:00:45', '14:01:00', '14:01:15', '14:01:30', '14:01:45']);
  // Ten hours over 600 px: hourly ticks, labelled every 2 h of the viewer's (UTC+2) clock.
  const day = ticks(T0, T0 + 10 * 3600 * S, 600, { minSpacingPx: 40, utcOffsetMinutes: 120 });
  assert.equal(day[1].micros - day[0].micros, 3600 * S);
  // 15:59:50 – 01:59:50 local.
  assert.deepEqual(day.filter((t) => t.major).map((t) => t.label), ['16:00', '18:00', '20:00', '22:00', '00:00']);
  assert.equal(day[1].label, '', '17:00 is a tick without a label');
  assert.deepEqual(ticks(T0, T0, 600), []);
});

test('formatting: wall clock in the viewer zone, durations, sizes; one-segment playlist URL', () => {
  assert.equal(formatWallClock(T0 + 1.25 * S), '2026-11-21 13:59:51.2');
  assert.equal(formatWallClock(T0, 60), '2026-11-21 14:59:50.0');
  assert.equal(formatDuration(65 * S), '1:05');
  assert.equal(formatDuration(3723 * S), '1:02:03');
  assert.equal(formatBytes(3 * 1024 * 1024), '3.0 MiB');
  assert.equal(formatBytes(2048), '2 KiB');
  const [a] = parseRecordings(BODY, T0 + 130 * S);
  const mid = (T0 + 5 * S) / 1000;
  assert.equal(segmentPlaylistUrl('cam 1', a), `/api/streams/cam%201/archive.m3u8?from=${mid}&to=${mid}`);
});
