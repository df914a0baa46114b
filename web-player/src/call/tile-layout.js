// @ts-check
/**
 * The call grid: how many columns and rows give `count` tiles of one aspect ratio the most
 * area in a stage of a given size (as the meeting apps do: 2 side by side on a wide screen,
 * stacked on a tall one, 2x2 for four). Pure: sizes in CSS pixels.
 */

/**
 * @typedef {object} TileGrid
 * @property {number} columns
 * @property {number} rows
 * @property {number} tileWidth
 * @property {number} tileHeight
 */

/**
 * @param {number} count       tiles to place (at least 1 is laid out)
 * @param {number} width       the stage's inner width
 * @param {number} height      the stage's inner height
 * @param {{ aspect?: number, gap?: number }} [options]  aspect: width / height of a tile (16/9); gap between tiles (12)
 * @returns {TileGrid}
 */
export function tileGrid(count, width, height, options = {}) {
  const aspect = options.aspect ?? 16 / 9;
  const gap = options.gap ?? 12;
  const n = Math.max(1, Math.floor(count));
  /** @type {TileGrid} */
  let best = { columns: 1, rows: n, tileWidth: 0, tileHeight: 0 };
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    // A grid with an empty last row, or more columns than it needs, is never better.
    if ((columns - 1) * rows >= n) break;
    const cellWidth = (width - gap * (columns - 1)) / columns;
    const cellHeight = (height - gap * (rows - 1)) / rows;
    if (cellWidth <= 0 || cellHeight <= 0) continue;
    const tileWidth = Math.min(cellWidth, cellHeight * aspect);
    if (tileWidth > best.tileWidth) best = { columns, rows, tileWidth: Math.floor(tileWidth), tileHeight: Math.floor(tileWidth / aspect) };
  }
  return best;
}
