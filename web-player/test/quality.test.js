import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layerLabel, playPath, qualityChoices, qualityFrom, searchWithQuality, viewportHeightOf, withStartLayer } from '../src/transport/quality.js';

test('the play path carries the token and a pinned quality, not auto, or the layer auto starts on', () => {
  assert.equal(playPath('cam1', '', 'auto'), '/ws/play/cam1');
  assert.equal(playPath('cam1', 't.k', 'auto'), '/ws/play/cam1?token=t.k');
  assert.equal(playPath('cam1', 't.k', '360p'), '/ws/play/cam1?token=t.k&quality=360p');
  assert.equal(playPath('a b', '', '180p'), '/ws/play/a%20b?quality=180p');
  assert.equal(playPath('cam1', '', 'auto', '180p'), '/ws/play/cam1?start=180p', 'auto, starting on a layer');
  assert.equal(playPath('cam1', '', '360p', '180p'), '/ws/play/cam1?quality=360p', 'a pinned layer takes no start');
  assert.equal(qualityFrom(null), 'auto');
  assert.equal(qualityFrom('best'), 'best', 'passed on: the relay refuses it with the layers it has');
});

test('the stats name the layer a TrackConfig announces, and nothing without simulcast', () => {
  assert.equal(layerLabel({ height: 360, layer: 1, layerCount: 3 }), '360p · layer 2 of 3');
  assert.equal(layerLabel({ height: 720, layer: 0, layerCount: 0 }), '');
});

test('the quality menu offers auto and the layers the API lists, top first; nothing without layers', () => {
  const layered = { tracks: [
    { kind: 'video', layers: [{ name: '720p' }, { name: '360p' }, { name: '180p' }] }, { kind: 'audio' }] };
  assert.deepEqual(qualityChoices(layered), ['auto', '720p', '360p', '180p']);
  assert.deepEqual(qualityChoices({ tracks: [{ kind: 'video', codec: 'avc1.42E01F' }] }), []);
  assert.deepEqual(qualityChoices({ error: 'no such stream' }), []);
});

test('choosing a quality rewrites the page query, keeping the rest', () => {
  assert.equal(searchWithQuality('?token=x&latency=40-400', '360p'), '?token=x&latency=40-400&quality=360p');
  assert.equal(searchWithQuality('?token=x&quality=360p', 'auto'), '?token=x');
  assert.equal(searchWithQuality('', 'auto'), '');
});

test('the picture\'s height goes with auto (the relay starts on the lowest layer that fills it), not with a pinned layer', () => {
  assert.equal(playPath('cam1', '', 'auto', '', 360), '/ws/play/cam1?viewport=360');
  assert.equal(playPath('cam1', '', 'auto', '180p', 360), '/ws/play/cam1?start=180p&viewport=360', 'start wins at the relay');
  assert.equal(playPath('cam1', '', '720p', '', 360), '/ws/play/cam1?quality=720p');
  assert.equal(playPath('cam1', '', 'auto', '', 0), '/ws/play/cam1', 'not known: not said');
  assert.equal(viewportHeightOf(1280, 800, 1), 720, 'a 16:9 picture in a wide window: its width bounds it');
  assert.equal(viewportHeightOf(640, 800, 2), 720, 'a narrow window on a 2x screen');
  assert.equal(viewportHeightOf(1920, 300, 1), 300, 'a short window');
});

test('a reconnect starts on the layer the relay last chose: start= set or replaced, a pinned quality left alone', () => {
  assert.equal(withStartLayer('ws://h:1/ws/play/cam1?token=t&viewport=720', '360p'), 'ws://h:1/ws/play/cam1?token=t&viewport=720&start=360p');
  assert.equal(withStartLayer('ws://h:1/ws/play/cam1?start=180p', '360p'), 'ws://h:1/ws/play/cam1?start=360p');
  assert.equal(withStartLayer('ws://h:1/ws/play/cam1?quality=720p', '360p'), 'ws://h:1/ws/play/cam1?quality=720p');
});
