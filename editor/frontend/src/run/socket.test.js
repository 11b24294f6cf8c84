import { describe, it, expect } from 'vitest';
import { openRunSocket, runSocketUrl } from './socket.js';

function fakeServer() {
  const sockets = [];
  class FakeSocket {
    constructor(url) { this.url = url; this.closed = false; sockets.push(this); }
    close() { this.closed = true; }
    open() { this.onopen?.(); }
    send(events) { this.onmessage?.({ data: JSON.stringify({ run_id: 1, events }) }); }
    drop(code = 1006) { this.onclose?.({ code }); }
  }
  const timers = [];
  return { sockets, FakeSocket, timers: { set: (f, ms) => { timers.push({ f, ms }); return timers.length; }, clear: (i) => { timers[i - 1].f = null; } }, pending: timers };
}
const ev = (seq) => ({ seq, kind: 'debug', payload: { message: `line ${seq}` } });

describe('run socket', () => {
  it('builds ws/wss URLs from the page location', () => {
    expect(runSocketUrl(7, { protocol: 'http:', host: 'h:1' })).toBe('ws://h:1/ws/runs/7/');
    expect(runSocketUrl(7, { protocol: 'https:', host: 'h' })).toBe('wss://h/ws/runs/7/');
  });
  it('asks for events after the last seq it has, and reconnects from the newest one', () => {
    const srv = fakeServer();
    const got = [];
    const states = [];
    const sock = openRunSocket({ url: 'ws://x/ws/runs/1/', after: 3, onEvents: (e) => got.push(...e.map((x) => x.seq)), onState: (s) => states.push(s), WebSocketImpl: srv.FakeSocket, timers: srv.timers });
    expect(srv.sockets[0].url).toBe('ws://x/ws/runs/1/?after=3');
    srv.sockets[0].open();
    srv.sockets[0].send([ev(4), ev(5)]);
    srv.sockets[0].drop();
    expect(states).toEqual(['connecting', 'open', 'reconnecting']);
    expect(srv.pending[0].ms).toBe(300);
    srv.pending[0].f();
    expect(srv.sockets[1].url).toBe('ws://x/ws/runs/1/?after=5');
    srv.sockets[1].open();
    srv.sockets[1].send([ev(5), ev(6), ev(7)]); // the server replays an overlap: dropped
    srv.sockets[1].send([ev(6)]);
    expect(got).toEqual([4, 5, 6, 7]);
    expect(sock.lastSeq).toBe(7);
    sock.close();
    expect(srv.sockets[1].closed).toBe(true);
    expect(states[states.length - 1]).toBe('closed');
  });
  it('backs off longer on each failed attempt and resets after a success', () => {
    const srv = fakeServer();
    openRunSocket({ url: 'u', onEvents: () => {}, WebSocketImpl: srv.FakeSocket, timers: srv.timers, backoff: [10, 20, 40] });
    for (let i = 0; i < 4; i += 1) { srv.sockets[i].drop(); srv.pending[i].f(); }
    expect(srv.pending.map((t) => t.ms)).toEqual([10, 20, 40, 40]);
    srv.sockets[4].open();
    srv.sockets[4].drop();
    expect(srv.pending[4].ms).toBe(10);
  });
  it('gives up when the server refuses the run', () => {
    const srv = fakeServer();
    const states = [];
    openRunSocket({ url: 'u', onEvents: () => {}, onState: (s) => states.push(s), WebSocketImpl: srv.FakeSocket, timers: srv.timers });
    srv.sockets[0].drop(4403);
    expect(states).toEqual(['connecting', 'refused']);
    expect(srv.pending).toEqual([]);
  });
  it('ignores frames that are not event batches', () => {
    const srv = fakeServer();
    const got = [];
    openRunSocket({ url: 'u', onEvents: (e) => got.push(e), WebSocketImpl: srv.FakeSocket, timers: srv.timers });
    srv.sockets[0].onmessage({ data: '{"type":"pong","last_seq":3}' });
    srv.sockets[0].onmessage({ data: 'not json' });
    expect(got).toEqual([]);
  });
  it('does not reconnect after close', () => {
    const srv = fakeServer();
    const sock = openRunSocket({ url: 'u', onEvents: () => {}, WebSocketImpl: srv.FakeSocket, timers: srv.timers });
    srv.sockets[0].drop();
    sock.close();
    expect(srv.pending[0].f).toBe(null);
  });
});
