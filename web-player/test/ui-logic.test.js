import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStreams } from '../src/ui/stream-list.js';
import { catchUpRate } from '../src/video/renderer.js';
import { Recent } from '../src/stats/recent.js';

test('the stream list reads the relay API: names, live state, players, tracks, the video codec', () => {
  const streams = parseStreams({ streams: [
    { name: 'cam1', state: 'live', players: 3, tracks: [{ kind: 'video', codec: 'avc1.42C01F', width: 1280, height: 720 }, { kind: 'audio', codec: 'opus' }] },
    { name: 'lobby', state: 'offline', players: 0, tracks: [] },
    { state: 'live' },
  ] });
  assert.deepEqual(streams, [
    { name: 'cam1', players: 3, online: true, detail: 'avc1.42C01F 1280×720 · opus', videoCodec: 'avc1.42C01F' },
    { name: 'lobby', players: 0, online: false, detail: '', videoCodec: '' },
  ]);
  /** @type {{ error: string, streams?: undefined }} what the relay answers a refused request */
  const refused = { error: 'nope' };
  assert.deepEqual(parseStreams(refused), []);
});

test('video catch-up: slower when ahead, faster when behind, gentle when close, fast when far, still in the deadband', () => {
  assert.equal(catchUpRate(5), 1);
  assert.equal(catchUpRate(-5), 1);
  assert.equal(catchUpRate(40), 0.8);
  assert.equal(catchUpRate(-40), 1.2);
  assert.equal(catchUpRate(100), 0.7);
  assert.equal(catchUpRate(-100), 1.3);
  assert.equal(catchUpRate(10_000), 0.5);
  assert.equal(catchUpRate(-10_000), 1.5);
  assert.equal(catchUpRate(NaN), 1);
});

test('recent window: nearest-rank percentiles over the last N values', () => {
  const r = new Recent(100);
  for (let i = 1; i <= 200; i++) r.add(i);
  assert.equal(r.count, 100);
  assert.equal(r.percentile(0.5), 150);
  assert.equal(r.percentile(0.95), 195);
  assert.equal(r.last(), 200);
  r.add(NaN);
  assert.equal(r.count, 100);
});
