import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tileGrid } from '../src/call/tile-layout.js';

/** @param {import('../src/call/tile-layout.js').TileGrid} g */
const shape = (g) => `${g.columns}x${g.rows}`;

test('call grid: one tile fills the stage at its aspect ratio', () => {
  assert.deepEqual(tileGrid(1, 1280, 720, { gap: 0 }), { columns: 1, rows: 1, tileWidth: 1280, tileHeight: 720 });
  const tall = tileGrid(1, 400, 800, { gap: 0 });
  assert.deepEqual([tall.tileWidth, tall.tileHeight], [400, 225]);
});

test('call grid: two side by side on a wide stage, stacked on a tall one', () => {
  assert.equal(shape(tileGrid(2, 1400, 700)), '2x1');
  assert.equal(shape(tileGrid(2, 600, 1000)), '1x2');
});

test('call grid: the shapes meeting apps use, gaps counted', () => {
  assert.equal(shape(tileGrid(3, 1280, 720)), '2x2');
  assert.equal(shape(tileGrid(4, 1280, 720)), '2x2');
  assert.equal(shape(tileGrid(5, 1280, 720)), '3x2');
  assert.equal(shape(tileGrid(8, 1280, 720)), '3x3');
  assert.equal(shape(tileGrid(8, 1920, 600)), '4x2');
  const g = tileGrid(4, 1000, 600, { gap: 20 });
  assert.ok(2 * g.tileWidth + 20 <= 1000 && 2 * g.tileHeight + 20 <= 600, JSON.stringify(g));
  assert.ok(Math.abs(g.tileWidth / g.tileHeight - 16 / 9) < 0.01, 'tiles keep their aspect ratio');
});

test('call grid: no tiles or no room still answers a grid', () => {
  assert.equal(shape(tileGrid(0, 800, 600)), '1x1');
  assert.deepEqual(tileGrid(3, 0, 0).tileWidth, 0);
});
