import { describe, it, expect } from 'vitest';
import { createSaver } from './saving.js';

class Stale extends Error {
  constructor(current) { super('stale'); this.status = 409; this.body = { current_version: current }; }
}

/** A server with the same compare-and-set as Playbook.save_version; `hold` delays answers. */
function server(latest = 1) {
  const s = { latest, sent: [], held: [] };
  s.put = (json, base) => {
    s.sent.push({ json, base });
    const answer = () => {
      if (base !== s.latest) throw new Stale(s.latest);
      s.latest += 1;
      return { version: s.latest, errors: [] };
    };
    if (!s.hold) return Promise.resolve().then(answer);
    return new Promise((resolve, reject) => s.held.push(() => { try { resolve(answer()); } catch (e) { reject(e); } }));
  };
  s.release = () => { const h = s.held.shift(); h(); };
  return s;
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('saving against the version lock', () => {
  it('bases a save after an autosave of the same tab on the autosaved version', async () => {
    const srv = server(1);
    const saver = createSaver(srv.put, 1);
    await saver.save(() => ({ blocks: 1 })); // the autosave
    const res = await saver.save(() => ({ blocks: 2 })); // Save clicked afterwards
    expect(res.version).toBe(3);
    expect(srv.sent.map((s) => s.base)).toEqual([1, 2]);
    expect(saver.version).toBe(3);
    expect(saver.savedHere(2) && saver.savedHere(3)).toBe(true);
  });

  it('waits for a save in flight and bases the next on its version, sending what the editor holds then', async () => {
    const srv = server(4);
    srv.hold = true;
    const saver = createSaver(srv.put, 4);
    let held = { blocks: 1 };
    const first = saver.save(() => held);
    await flush();
    held = { blocks: 2 };
    const second = saver.save(() => held);
    await flush();
    expect(srv.sent).toHaveLength(1); // the second waits
    srv.release();
    expect((await first).version).toBe(5);
    await flush();
    srv.release();
    expect((await second).version).toBe(6);
    expect(srv.sent).toEqual([{ json: { blocks: 1 }, base: 4 }, { json: { blocks: 2 }, base: 5 }]);
  });

  it('skips a queued save that has nothing left to save', async () => {
    const srv = server(1);
    const saver = createSaver(srv.put, 1);
    const res = await saver.save(() => null);
    expect(res).toEqual({ skipped: true, version: 1 });
    expect(srv.sent).toEqual([]);
  });

  it('passes on a save made meanwhile by somebody else as a conflict with the base it sent', async () => {
    const srv = server(1);
    const saver = createSaver(srv.put, 1);
    await saver.save(() => ({ mine: 1 }));
    srv.latest = 3; // another tab saved v3
    const err = await saver.save(() => ({ mine: 2 })).catch((e) => e);
    expect(err.status).toBe(409);
    expect(err.base).toBe(2);
    expect(err.body.current_version).toBe(3);
    expect(saver.version).toBe(2); // a conflict does not move the base
    expect(saver.savedHere(3)).toBe(false);
    // Overwriting bases the save on their version; then saving goes on from there.
    expect((await saver.save(() => ({ mine: 2 }), { force: 3 })).version).toBe(4);
    expect((await saver.save(() => ({ mine: 3 }))).version).toBe(5);
  });

  it('lets the next save run after one that failed', async () => {
    let calls = 0;
    const saver = createSaver(async (json, base) => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('down'), { status: 500 });
      return { version: base + 1 };
    }, 7);
    await expect(saver.save(() => ({}))).rejects.toThrow('down');
    expect((await saver.save(() => ({}))).version).toBe(8);
  });
});
