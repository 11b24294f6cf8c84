// The run websocket (engine/consumers.py RunConsumer): the server replays stored events after
// `?after=<seq>` and then streams live ones. The client remembers the last seq it was given,
// so a dropped connection resumes exactly where it stopped (no loss, no duplicates).

export const BACKOFF_MS = [300, 1000, 2000, 4000, 8000];
// The consumer closes with these when the user may not see the run or it does not exist.
const REFUSED = new Set([4403, 4404]);

export function runSocketUrl(runId, loc = globalThis.location) {
  const scheme = loc?.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc?.host}/ws/runs/${encodeURIComponent(runId)}/`;
}

/**
 * Open a self-healing connection. `onEvents(events)` receives only events newer than any
 * before (sorted); `onState(state)` gets connecting | open | reconnecting | refused | closed.
 */
export function openRunSocket({ url, after = 0, onEvents, onState = () => {}, WebSocketImpl = globalThis.WebSocket, backoff = BACKOFF_MS, timers = { set: (f, ms) => setTimeout(f, ms), clear: (t) => clearTimeout(t) } }) {
  let last = after;
  let ws = null;
  let closed = false;
  let attempt = 0;
  let timer = null;

  const connect = () => {
    if (closed) return;
    onState(attempt ? 'reconnecting' : 'connecting');
    ws = new WebSocketImpl(`${url}?after=${last}`);
    ws.onopen = () => { attempt = 0; onState('open'); };
    ws.onmessage = (msg) => {
      let data;
      try { data = JSON.parse(msg.data); } catch { return; }
      if (!data || !Array.isArray(data.events)) return;
      const fresh = data.events.filter((e) => typeof e.seq === 'number' && e.seq > last).sort((a, b) => a.seq - b.seq);
      if (!fresh.length) return;
      last = fresh[fresh.length - 1].seq;
      onEvents(fresh);
    };
    ws.onclose = (ev) => {
      ws = null;
      if (closed) return;
      if (REFUSED.has(ev?.code)) { closed = true; onState('refused'); return; }
      onState('reconnecting');
      timer = timers.set(connect, backoff[Math.min(attempt, backoff.length - 1)]);
      attempt += 1;
    };
  };
  connect();
  return {
    get lastSeq() { return last; },
    close() {
      if (closed) return;
      closed = true;
      if (timer !== null) timers.clear(timer);
      if (ws) { ws.onclose = null; ws.close(); }
      onState('closed');
    },
  };
}
