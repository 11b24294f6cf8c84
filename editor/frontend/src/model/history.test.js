import { describe, it, expect } from 'vitest';
import { createHistory } from './history.js';

describe('undo/redo stack', () => {
  it('undoes and redoes in order', () => {
    const h = createHistory();
    h.push('a');
    h.push('b');
    expect(h.undo('c')).toBe('b');
    expect(h.undo('b')).toBe('a');
    expect(h.undo('a')).toBe(null);
    expect(h.redo('a')).toBe('b');
    expect(h.redo('b')).toBe('c');
    expect(h.redo('c')).toBe(null);
  });

  it('keeps at least 100 steps', () => {
    const h = createHistory({ limit: 200 });
    for (let i = 0; i < 150; i += 1) h.push(i);
    let n = 0;
    let cur = 150;
    for (let s = h.undo(cur); s !== null; s = h.undo(s)) { n += 1; cur = s; }
    expect(n).toBe(150);
    expect(cur).toBe(0);
  });

  it('drops the oldest steps beyond the limit', () => {
    const h = createHistory({ limit: 3 });
    for (let i = 0; i < 5; i += 1) h.push(i);
    expect(h.size).toBe(3);
  });

  it('clears the redo stack on a new change', () => {
    const h = createHistory();
    h.push('a');
    h.undo('b');
    expect(h.canRedo).toBe(true);
    h.push('a2');
    expect(h.canRedo).toBe(false);
  });

  it('coalesces typing into one field into a single step', () => {
    let t = 0;
    const h = createHistory({ coalesceMs: 1000, now: () => t });
    h.push('s0', 'field');
    t = 200; h.push('s1', 'field');
    t = 400; h.push('s2', 'field');
    expect(h.size).toBe(1);
    t = 2000; h.push('s3', 'field');
    expect(h.size).toBe(2);
    h.push('s4', 'other');
    expect(h.size).toBe(3);
  });
});
