// Editor state: the SOAR document, React Flow nodes/edges and undo/redo. Every user edit goes
// through `commit`, which records an undo snapshot first.
import { useCallback, useMemo, useRef, useState } from 'react';
import { applyNodeChanges } from '@xyflow/react';
import { createHistory } from './model/history.js';
import { toFlow, toSoar, normalizeDoc } from './model/soar.js';
import { renameRefs } from './model/naming.js';
import * as edits from './model/edits.js';
import { remapEdges } from './model/conditions.js';
import { copyBlocks, pasteBlocks } from './model/clipboard.js';
import { autoLayout } from './model/layout.js';

function withIssues(nodes, issuesById) {
  return nodes.map((n) => {
    const issues = issuesById.get(n.id) || null;
    return n.data.issues === issues ? n : { ...n, data: { ...n.data, issues } };
  });
}

export function useEditor() {
  const [doc, setDoc] = useState(null);
  const [nodes, setNodes] = useState([]);
  const [edges, setEdges] = useState([]);
  const [revision, setRevision] = useState(0); // bumps on every persisted change
  const [savedRevision, setSavedRevision] = useState(0);
  const historyRef = useRef(createHistory({ limit: 200 }));
  const [historyTick, setHistoryTick] = useState(0);
  const cur = useRef({ doc, nodes, edges });
  cur.current = { doc, nodes, edges };

  const snapshot = () => ({ doc: cur.current.doc, nodes: cur.current.nodes.map(stripVolatile), edges: cur.current.edges });

  const load = useCallback((json) => {
    const g = toFlow(normalizeDoc(json));
    setDoc(g.doc);
    setNodes(g.nodes);
    setEdges(g.edges);
    historyRef.current.clear();
    setHistoryTick((t) => t + 1);
    setRevision(0);
    setSavedRevision(0);
  }, []);

  /** Record undo, then apply `fn({doc,nodes,edges}) → partial state`. */
  const commit = useCallback((fn, key = null) => {
    const before = snapshot();
    const next = fn(cur.current);
    if (!next) return;
    historyRef.current.push(before, key);
    // Visible to a second commit in the same tick, before React re-renders.
    cur.current = { ...cur.current, ...next };
    if (next.doc) setDoc(next.doc);
    if (next.nodes) setNodes(next.nodes);
    if (next.edges) setEdges(next.edges);
    setRevision((r) => r + 1);
    setHistoryTick((t) => t + 1);
  }, []);

  const restore = (s) => {
    // Keep live status/issues; restore structure and positions.
    const live = new Map(cur.current.nodes.map((n) => [n.id, n.data]));
    setDoc(s.doc);
    setNodes(s.nodes.map((n) => {
      const l = live.get(n.id);
      return l ? { ...n, data: { ...n.data, status: l.status, issues: l.issues } } : n;
    }));
    setEdges(s.edges);
    setRevision((r) => r + 1);
    setHistoryTick((t) => t + 1);
  };
  // An undo or redo step the guard refuses (given the playbook JSON it would restore) is put
  // back where it was: App refuses steps that bring back code the user may not write.
  const guardRef = useRef(null);
  const setUndoGuard = useCallback((fn) => { guardRef.current = fn || null; }, []);
  const step = (back) => {
    const h = historyRef.current;
    const s = back ? h.undo(snapshot()) : h.redo(snapshot());
    if (!s) return;
    if (guardRef.current?.(toSoar(s.doc, s.nodes, s.edges), back ? 'undo' : 'redo')) {
      if (back) h.redo(s); else h.undo(s);
      setHistoryTick((t) => t + 1);
      return;
    }
    restore(s);
  };
  const undo = useCallback(() => step(true), []);
  const redo = useCallback(() => step(false), []);

  // --- React Flow change handlers ---------------------------------------------------------
  const onNodesChange = useCallback((changes) => {
    // Removals are handled by deleteSelection (one undo step); everything else is view state.
    const keep = changes.filter((c) => c.type !== 'remove');
    if (keep.length) setNodes((ns) => applyNodeChanges(keep, ns));
  }, []);
  const onEdgesChange = useCallback((changes) => {
    const keep = changes.filter((c) => c.type === 'select');
    if (keep.length) {
      setEdges((es) => es.map((e) => {
        const c = keep.find((x) => x.id === e.id);
        return c && e.selected !== c.selected ? { ...e, selected: c.selected } : e;
      }));
    }
  }, []);
  const onNodeDragStart = useCallback(() => { historyRef.current.push(snapshot(), null); setHistoryTick((t) => t + 1); }, []);
  // Whole pixels on drop: zoomed drags produce long fractions that nobody wants in the JSON.
  const onNodeDragStop = useCallback((_e, _node, dragged) => {
    const ids = new Set((dragged || []).map((n) => n.id));
    setNodes((ns) => ns.map((n) => (ids.has(n.id) && (!Number.isInteger(n.position.x) || !Number.isInteger(n.position.y))
      ? { ...n, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) } } : n)));
    setRevision((r) => r + 1);
  }, []);

  // --- graph edits ---------------------------------------------------------------------------
  const addBlock = useCallback((key, position, connectFrom = null) => {
    let newId = null;
    commit(({ nodes: ns, edges: es }) => {
      const r = edits.addBlock(ns, es, key, position, connectFrom);
      newId = r.id;
      return { nodes: r.nodes, edges: r.edges };
    });
    return newId;
  }, [commit]);

  /** Add a block after block `afterId`, taking over its outgoing edges (see edits.addAfter). */
  const addAfter = useCallback((key, position, afterId) => {
    let newId = null;
    commit(({ nodes: ns, edges: es }) => {
      const r = edits.addAfter(ns, es, key, position, afterId);
      newId = r.id;
      return { nodes: r.nodes, edges: r.edges };
    });
    return newId;
  }, [commit]);

  /** Splice a new block into an edge: source → new → target. */
  const insertIntoEdge = useCallback((edgeId, key, position) => {
    let newId = null;
    commit(({ nodes: ns, edges: es }) => {
      const r = edits.insertIntoEdge(ns, es, edgeId, key, position);
      if (!r) return null;
      newId = r.id;
      return { nodes: r.nodes, edges: r.edges };
    });
    return newId;
  }, [commit]);

  const connect = useCallback((conn) => {
    commit(({ edges: es }) => { const next = edits.connect(es, conn); return next ? { edges: next } : null; });
  }, [commit]);

  const deleteSelection = useCallback(() => {
    commit(({ nodes: ns, edges: es }) => edits.deleteSelected(ns, es));
  }, [commit]);

  /** Replace node.data (and optionally node-level fields such as userCode) of one block. */
  const updateNode = useCallback((id, fn, key = null) => {
    commit(({ nodes: ns, edges: es }) => {
      const n = ns.find((x) => x.id === id);
      if (!n) return null;
      const res = fn(n.data.soar);
      if (!res || res === n.data.soar) return null;
      const soar = res.soar || res;
      const out = { nodes: ns.map((x) => (x.id === id ? { ...x, data: { ...x.data, soar } } : x)) };
      if (res.remap) out.edges = remapEdges(es, id, res.remap);
      // A rename rewrites datapath references in every other block.
      const from = n.data.soar.data.functionName;
      const to = soar.data.functionName;
      if (from !== to) {
        out.nodes = out.nodes.map((x) => {
          if (x.id === id) return x;
          const d2 = renameRefs(x.data.soar.data, from, to);
          return d2 === x.data.soar.data ? x : { ...x, data: { ...x.data, soar: { ...x.data.soar, data: d2 } } };
        });
      }
      return out;
    }, key);
  }, [commit]);

  const updateDoc = useCallback((fn, key = null) => {
    commit(({ doc: d }) => { const next = fn(d); return next === d ? null : { doc: next }; }, key);
  }, [commit]);

  const layout = useCallback(() => {
    commit(({ nodes: ns, edges: es }) => {
      return { nodes: edits.moveBlocks(ns, autoLayout(ns, es)) };
    });
  }, [commit]);

  const copy = useCallback(() => {
    const { nodes: ns, edges: es } = cur.current;
    return copyBlocks(ns, es, ns.filter((n) => n.selected).map((n) => n.id));
  }, []);

  const paste = useCallback((payload, at = null) => {
    if (!payload?.nodes?.length) return;
    commit(({ nodes: ns, edges: es }) => {
      let dx = 40;
      let dy = 40;
      if (at) {
        const minX = Math.min(...payload.nodes.map((n) => Number(n.x) || 0));
        const minY = Math.min(...payload.nodes.map((n) => Number(n.y) || 0));
        dx = at.x - minX;
        dy = at.y - minY;
      }
      const r = pasteBlocks(payload, ns, { dx, dy });
      return {
        nodes: [...ns.map((n) => (n.selected ? { ...n, selected: false } : n)), ...r.nodes.map((n) => ({ ...n, selected: true }))],
        edges: [...es, ...r.edges],
      };
    });
  }, [commit]);

  const setIssues = useCallback((issuesById) => setNodes((ns) => withIssues(ns, issuesById)), []);

  /** Live-run statuses by node id or functionName; with reset, unnamed blocks go back to idle. */
  const setStatuses = useCallback((map, reset = false) => {
    setNodes((ns) => ns.map((n) => {
      const d = n.data.soar.data;
      let s = map[n.id] ?? map[d.functionName];
      if (s === undefined && reset) s = 'idle';
      if (s === undefined || s === n.data.status) return n;
      return { ...n, data: { ...n.data, status: s || 'idle' } };
    }));
  }, []);

  const toJson = useCallback(() => {
    const { doc: d, nodes: ns, edges: es } = cur.current;
    return d ? toSoar(d, ns, es) : null;
  }, []);

  const selectOnly = useCallback((ids) => {
    const set = new Set(ids);
    setNodes((ns) => ns.map((n) => (!!n.selected === set.has(n.id) ? n : { ...n, selected: set.has(n.id) })));
    setEdges((es) => es.map((e) => (e.selected ? { ...e, selected: false } : e)));
  }, []);

  const markSaved = useCallback((rev) => setSavedRevision(rev), []);
  const history = historyRef.current;
  return useMemo(() => ({
    doc, nodes, edges, revision, savedRevision, dirty: revision !== savedRevision,
    canUndo: history.canUndo, canRedo: history.canRedo, historyTick,
    load, commit, undo, redo, onNodesChange, onEdgesChange, onNodeDragStart, onNodeDragStop,
    addBlock, addAfter, insertIntoEdge, connect, deleteSelection, updateNode, updateDoc, layout, copy, paste, setIssues, setStatuses,
    toJson, selectOnly, markSaved, setNodes, setUndoGuard,
  }), [doc, nodes, edges, revision, savedRevision, historyTick]);
}

function stripVolatile(n) {
  return n.dragging ? { ...n, dragging: false } : n;
}
