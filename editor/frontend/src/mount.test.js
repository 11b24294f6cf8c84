// @vitest-environment happy-dom
import { describe, it, expect } from 'vitest';
import { mountOnce } from './mount.js';

describe('mounting the editor', () => {
  it('mounts into an element once, however often the entry runs', () => {
    const el = document.createElement('div');
    const mounted = [];
    expect(mountOnce(el, (e) => mounted.push(e))).toBe(true);
    expect(mountOnce(el, (e) => mounted.push(e))).toBe(false);
    expect(mounted).toEqual([el]);
    expect(mountOnce(null, (e) => mounted.push(e))).toBe(false);
  });
});
