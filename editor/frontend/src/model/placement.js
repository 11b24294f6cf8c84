// Where a new block goes: at the spot asked for when it is free, else at the nearest free spot
// on a grid around it, so a block added from the palette never hides another one.
import { NODE_W, blockBox } from './geometry.js';

const GAP = 20; // free space kept around a block, so two blocks never touch
const STEP_X = NODE_W + GAP;
const STEP_Y = 64 + GAP;
const RINGS = 12;

function overlaps(a, b) {
  return a.x < b.x + b.w + GAP && b.x < a.x + a.w + GAP && a.y < b.y + b.h + GAP && b.y < a.y + a.h + GAP;
}

/**
 * The free top-left corner nearest `wanted` for a block of `size` ({w, h}) among `nodes`.
 * Candidates are tried ring by ring on a grid of one block plus a gap; within a ring, the same
 * row first (a second block added under a decision lands beside the first, as branches do),
 * then the nearer column, right before left and below before above.
 */
export function freeSpot(nodes, wanted, size = { w: NODE_W, h: 64 }) {
  const boxes = nodes.map(blockBox);
  const fits = (p) => !boxes.some((b) => overlaps({ ...p, ...size }, b));
  const start = { x: Math.round(wanted.x), y: Math.round(wanted.y) };
  if (fits(start)) return start;
  for (let r = 1; r <= RINGS; r += 1) {
    const ring = [];
    for (let i = -r; i <= r; i += 1) {
      for (let j = -r; j <= r; j += 1) {
        if (Math.max(Math.abs(i), Math.abs(j)) === r) ring.push({ i, j });
      }
    }
    ring.sort((a, b) => Math.abs(a.j) - Math.abs(b.j) || Math.abs(a.i) - Math.abs(b.i) || (a.i < 0) - (b.i < 0) || (a.j < 0) - (b.j < 0));
    for (const { i, j } of ring) {
      const p = { x: start.x + i * STEP_X, y: start.y + j * STEP_Y };
      if (fits(p)) return p;
    }
  }
  return start; // a canvas this crowded: the user moves the block
}
