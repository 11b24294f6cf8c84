// One run on screen: loads its stored events, follows the live stream, and folds the events
// up to the timeline position into the picture the canvas and panels show.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { applyEvents, blockOverlay, edgeOverlay, graphKey, initialState, isTerminal, nextStop, runGraph, statusCounts } from './model.js';
import { openRunSocket, runSocketUrl } from './socket.js';

// Live events arrive a whole callback at a time (a chain of blocks is one batch); painting
// them one visible step per tick lets a person follow the flow. A long backlog is painted
// at once instead, so a busy run never lags behind.
export const PACE_MS = 90;
export const JUMP_BACKLOG = 200;

export function useRunGraph(nodes, edges) {
  const graph = runGraph(nodes, edges);
  const key = graphKey(graph);
  return useMemo(() => graph, [key]);
}

export function useRunView(runApi, runId, graph, { pace = true, socket = openRunSocket } = {}) {
  const [detail, setDetail] = useState(null);
  const [events, setEvents] = useState([]);
  const [shown, setShown] = useState(0);
  const [follow, setFollow] = useState(true);
  const [connection, setConnection] = useState('idle');
  const [prompts, setPrompts] = useState([]);
  const [error, setError] = useState('');
  const eventsRef = useRef([]);
  const sockRef = useRef(null);

  const append = useCallback((fresh) => {
    const cur = eventsRef.current;
    const last = cur.length ? cur[cur.length - 1].seq : 0;
    const add = fresh.filter((e) => e.seq > last);
    if (!add.length) return;
    eventsRef.current = cur.concat(add);
    setEvents(eventsRef.current);
    if (add.some((e) => e.kind === 'run.finished') && sockRef.current) {
      sockRef.current.close();
      sockRef.current = null;
      setConnection('finished');
    }
  }, []);

  useEffect(() => {
    eventsRef.current = [];
    setEvents([]);
    setShown(0);
    setFollow(true);
    setDetail(null);
    setPrompts([]);
    setError('');
    if (!runId) { setConnection('idle'); return undefined; }
    let cancelled = false;
    (async () => {
      try {
        const d = await runApi.run(runId);
        let evs = d.events || [];
        let last = d.last_seq || 0;
        let more = d.more_events;
        while (more && !cancelled) { // very long runs: the rest of the stored events, page by page
          const page = await runApi.run(runId, last);
          if (!page.events?.length) break;
          evs = evs.concat(page.events);
          last = page.last_seq;
          more = page.more_events;
        }
        if (cancelled) return;
        setDetail(d);
        setPrompts(d.prompts || []);
        append(evs);
        setShown(eventsRef.current.length); // a reload or a past run: paint what is known at once
        if (!evs.some((e) => e.kind === 'run.finished')) {
          sockRef.current = socket({ url: runSocketUrl(runId), after: last, onEvents: append, onState: (st) => { if (!cancelled) setConnection(st); } });
        } else {
          setConnection('finished');
        }
      } catch (e) {
        if (!cancelled) setError(e.message || 'could not load the run');
      }
    })();
    return () => {
      cancelled = true;
      sockRef.current?.close();
      sockRef.current = null;
    };
  }, [runApi, runId, append, socket]);

  // Follow the stream: step through a short backlog, jump over a long one.
  useEffect(() => {
    if (!follow || shown >= events.length) return undefined;
    if (!pace || events.length - shown > JUMP_BACKLOG) { setShown(events.length); return undefined; }
    const t = setTimeout(() => setShown((s) => Math.max(s, nextStop(eventsRef.current, s))), PACE_MS);
    return () => clearTimeout(t);
  }, [follow, shown, events, pace]);

  // Fold incrementally while moving forward; from scratch when scrubbing back.
  const cache = useRef({ graph: null, runId: null, count: 0, state: null });
  const state = useMemo(() => {
    let c = cache.current;
    if (c.graph !== graph || c.runId !== runId || shown < c.count || !c.state) c = { graph, runId, count: 0, state: initialState(graph) };
    const next = shown > c.count ? applyEvents(c.state, graph, events.slice(c.count, shown)) : c.state;
    cache.current = { graph, runId, count: shown, state: next };
    return next;
  }, [graph, runId, events, shown]);

  const finished = events.some((e) => e.kind === 'run.finished');
  const waitingIds = Object.values(state.prompts).filter((p) => p.status === 'waiting').map((p) => p.id).join(',');
  const refreshPrompts = useCallback(() => {
    if (!runId) return Promise.resolve();
    return runApi.prompts(runId).then((r) => setPrompts(r?.data || []), () => {});
  }, [runApi, runId]);
  // A prompt that appears live: ask the server whether this user may answer it.
  useEffect(() => {
    if (!waitingIds) return;
    const known = new Set(prompts.filter((p) => p.status === 'waiting').map((p) => String(p.id)));
    if (waitingIds.split(',').some((id) => !known.has(id))) refreshPrompts();
  }, [waitingIds]); // only when the set of waiting prompts changes

  useEffect(() => {
    if (!finished || !runId) return;
    runApi.run(runId, Number.MAX_SAFE_INTEGER).then((d) => setDetail((old) => ({ ...(old || {}), ...d, events: old?.events || [] })), () => {});
  }, [finished, runApi, runId]);

  const overlay = useMemo(() => ({ blocks: blockOverlay(state), edges: edgeOverlay(state, graph) }), [state, graph]);
  const counts = useMemo(() => statusCounts(state), [state]);
  const seek = useCallback((n) => { setFollow(false); setShown(Math.max(0, Math.min(n, eventsRef.current.length))); }, []);
  const goLive = useCallback(() => { setFollow(true); setShown(eventsRef.current.length); }, []);

  return {
    runId, detail, events, shown, follow, connection, prompts, error, state, overlay, counts, graph,
    finished, running: !!runId && !finished && !isTerminal(detail?.status), seek, goLive, refreshPrompts,
  };
}
