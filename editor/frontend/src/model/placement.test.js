import { describe, it, expect } from 'vitest';
import { freeSpot } from './placement.js';
import { blockBox } from './geometry.js';
import { addBlock } from './edits.js';
import { emptyPlaybook, toFlow } from './soar.js';
import { NODE_W } from './geometry.js';

const block = (id, x, y) => ({ id, position: { x, y }, data: { soar: { type: 'code', data: { type: 'code' } } } });
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('placing a new block', () => {
  it('keeps the wanted spot when it is free', () => {
    expect(freeSpot([block('2', 0, 0)], { x: 300.4, y: 10 })).toEqual({ x: 300, y: 10 });
  });

  it('moves a block that would land on another beside it, on the same row', () => {
    const nodes = [block('2', 100, 100)];
    const p = freeSpot(nodes, { x: 110, y: 110 });
    const box = { ...p, w: NODE_W, h: 64 };
    expect(overlap(box, blockBox(nodes[0]))).toBe(false);
    expect(p).toEqual({ x: 110 + NODE_W + 20, y: 110 });
    // With the right taken too, to the left; then below.
    const right = block('3', 100 + NODE_W + 20, 100);
    expect(freeSpot([...nodes, right], { x: 100, y: 100 })).toEqual({ x: 100 - NODE_W - 20, y: 100 });
    const left = block('4', 100 - NODE_W - 20, 100);
    expect(freeSpot([...nodes, right, left], { x: 100, y: 100 })).toEqual({ x: 100, y: 100 + 84 });
  });

  it('finds room among many blocks and never overlaps any of them', () => {
    const nodes = [];
    for (let i = 0; i < 5; i += 1) for (let j = 0; j < 5; j += 1) nodes.push(block(`${i}-${j}`, i * 190, j * 84));
    const p = freeSpot(nodes, { x: 380, y: 168 });
    const box = { ...p, w: NODE_W, h: 64 };
    expect(nodes.some((n) => overlap(box, blockBox(n)))).toBe(false);
  });

  it('uses the measured size of a drawn block', () => {
    const wide = { ...block('2', 0, 0), measured: { width: 400, height: 200 } };
    const p = freeSpot([wide], { x: 250, y: 150 });
    expect(overlap({ ...p, w: NODE_W, h: 64 }, blockBox(wide))).toBe(false);
  });

  it('adds palette blocks clicked twice at the same spot side by side, not on top of each other', () => {
    const { nodes, edges } = toFlow(emptyPlaybook());
    const a = addBlock(nodes, edges, 'code', { x: 500, y: 200 });
    const b = addBlock(a.nodes, a.edges, 'code', { x: 500, y: 200 });
    const boxes = b.nodes.map(blockBox);
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) expect(overlap(boxes[i], boxes[j])).toBe(false);
    }
  });
});
