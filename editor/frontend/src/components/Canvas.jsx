// The React Flow canvas: vertical SOAR-style flow, drag-and-drop from the palette, connect,
// drop-a-connection-to-add, minimap and controls.
import { useCallback, useEffect, useMemo, useState, useRef } from 'react';
import { ReactFlow, Background, Controls, MiniMap, useReactFlow } from '@xyflow/react';
import BlockNode from './BlockNode.jsx';
import PbEdge, { EdgeActions } from './PbEdge.jsx';
import { TypePicker, DND_TYPE } from './Palette.jsx';
import { blockDef } from '../model/blocktypes.js';
import { ancestors } from '../model/graph.js';
import { NODE_W, TERMINAL_W } from '../model/geometry.js';
import { usePersistentFlag } from '../prefs.js';
import { keyWritesCode } from '../model/permissions.js';

const nodeTypes = { block: BlockNode };
const edgeTypes = { pb: PbEdge };
// Inline stroke: the picture export (model/svgpicture.js) draws edges with this colour too.
const defaultEdgeOptions = { type: 'pb', style: { strokeWidth: 1.6, stroke: '#8793a6' } };
const minimapColor = (n) => blockDef(n.data.soar.data).color;
const proOptions = { hideAttribution: true };
const BIG = 150;
// Smaller than React Flow's 200 x 150, so it covers fewer blocks (styles.css places its toggle above it).
const MINIMAP_SIZE = { width: 160, height: 110 };

// A run's overlay ({blocks: {functionName: {status, count, error, seq}}, edges: {id: {...}}})
// is merged into the nodes and edges shown, never into the editor's own state: undo, save
// and dirty tracking stay unaware of runs. Derived objects are cached per source object and
// overlay entry, so only blocks whose run state changed re-render.
function useOverlaid(items, overlayFor, merge) {
  const cache = useRef(new WeakMap());
  return useMemo(() => items.map((item) => {
    const entry = overlayFor(item);
    if (!entry) return item;
    const hit = cache.current.get(item);
    if (hit && shallowEqual(hit.entry, entry)) return hit.out;
    const out = merge(item, entry);
    cache.current.set(item, { entry, out });
    return out;
  }), [items, overlayFor, merge]);
}

function shallowEqual(a, b) {
  if (a === b) return true;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

const mergeNode = (n, r) => ({ ...n, data: { ...n.data, status: r.status, runCount: r.count, runError: r.error, runSeq: r.seq } });
const mergeEdge = (e, r) => ({ ...e, data: { ...e.data, run: r } });

export default function Canvas({ ed, readOnly, codeLocked = false, onSelectionChange, onPaneClick, onNodeClick, run, bottomInset = 0 }) {
  const rf = useReactFlow();
  const nodeRun = useCallback((n) => run?.blocks?.[n.data.soar.data?.functionName], [run]);
  const edgeRun = useCallback((e) => run?.edges?.[e.id], [run]);
  const nodes = useOverlaid(ed.nodes, nodeRun, mergeNode);
  const edges = useOverlaid(ed.edges, edgeRun, mergeEdge);
  const [picker, setPicker] = useState(null);
  // The minimap can be hidden (it covers blocks on small screens); remembered per browser.
  const [minimap, setMinimap] = usePersistentFlag('minimap', true);
  const wrap = useRef(null);

  // Big playbooks (> BIG blocks) cull off-screen blocks and open zoomed on their top rows;
  // smaller ones keep every block in the DOM, which tests and search rely on.
  const fitViewOptions = useMemo(() => {
    if (ed.nodes.length <= BIG) return { padding: 0.15, maxZoom: 1.1 };
    const top = [...ed.nodes].sort((a, b) => a.position.y - b.position.y).slice(0, 12).map((n) => ({ id: n.id }));
    return { padding: 0.2, maxZoom: 1, nodes: top };
  }, [ed.doc]);
  // Tall playbooks would fit at an unreadable zoom: show their top at a readable one instead.
  useEffect(() => {
    const t = setTimeout(() => {
      if (!wrap.current || rf.getZoom() >= 0.7 || !graph.current.nodes.length) return;
      const b = rf.getNodesBounds(graph.current.nodes);
      const start = graph.current.nodes.find((n) => n.data.soar.type === 'start');
      const cx = start ? start.position.x + TERMINAL_W / 2 : b.x + b.width / 2;
      const zoom = 0.8;
      rf.setViewport({ x: wrap.current.clientWidth / 2 - cx * zoom, y: 30 - b.y * zoom, zoom });
    }, 60);
    return () => clearTimeout(t);
  }, [ed.doc, rf]);
  const graph = useRef(ed);
  graph.current = ed;
  const isValidConnection = useCallback((c) => {
    const { nodes, edges } = graph.current;
    if (c.source === c.target) return false;
    const src = nodes.find((n) => n.id === c.source);
    const tgt = nodes.find((n) => n.id === c.target);
    if (!src || !tgt || tgt.data.soar.type === 'start' || src.data.soar.type === 'end') return false;
    if (edges.some((e) => e.source === c.source && e.target === c.target)) return false;
    // No cycles: the target must not already be upstream of the source.
    return !ancestors(c.source, edges).includes(c.target);
  }, []);

  const onConnectEnd = useCallback((event, state) => {
    if (readOnly || state.isValid || !state.fromNode || state.fromHandle?.type !== 'source') return;
    if (state.toNode) return; // dropped on a block but not a valid target
    const { clientX, clientY } = 'changedTouches' in event ? event.changedTouches[0] : event;
    const box = wrap.current.getBoundingClientRect();
    setPicker({ x: clientX - box.left, y: clientY - box.top, clientX, clientY, from: { nodeId: state.fromNode.id, handleId: state.fromHandle.id } });
  }, [readOnly]);

  // The "+" on an edge opens the block choice where it was clicked; the pick is spliced in.
  const edgeActions = useMemo(() => (readOnly ? null : {
    insert: (edgeId, e) => {
      const box = wrap.current.getBoundingClientRect();
      setPicker({ x: e.clientX - box.left, y: e.clientY - box.top, clientX: e.clientX, clientY: e.clientY, edge: edgeId });
    },
  }), [readOnly]);

  const onDrop = useCallback((e) => {
    e.preventDefault();
    const key = e.dataTransfer.getData(DND_TYPE) || e.dataTransfer.getData('text/plain');
    // The palette does not drag a locked Code entry, but text dropped from elsewhere might name it.
    if (!key || readOnly || (codeLocked && keyWritesCode(key))) return;
    const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    ed.addBlock(key, { x: p.x - NODE_W / 2, y: p.y - 32 });
  }, [rf, ed.addBlock, readOnly, codeLocked]);

  return (
    <EdgeActions.Provider value={edgeActions}>
    <div className="canvas-wrap" ref={wrap} data-testid="canvas" style={bottomInset ? { bottom: bottomInset } : undefined} onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        onNodesChange={ed.onNodesChange}
        onEdgesChange={ed.onEdgesChange}
        onConnect={readOnly ? undefined : ed.connect}
        onConnectEnd={onConnectEnd}
        onNodeDragStart={ed.onNodeDragStart}
        onNodeDragStop={ed.onNodeDragStop}
        onSelectionChange={onSelectionChange}
        onNodeClick={onNodeClick}
        onPaneClick={() => { setPicker(null); onPaneClick?.(); }}
        isValidConnection={isValidConnection}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Control', 'Meta']}
        onlyRenderVisibleElements={ed.nodes.length > BIG}
        minZoom={0.1}
        maxZoom={2}
        fitView
        fitViewOptions={fitViewOptions}
        proOptions={proOptions}
        elevateEdgesOnSelect
      >
        <Background gap={20} size={1} color="#d5dae3" />
        <Controls showInteractive={false} />
        {minimap && <MiniMap pannable zoomable nodeColor={minimapColor} nodeStrokeWidth={2} maskColor="rgba(240,243,248,0.7)" style={MINIMAP_SIZE} data-testid="minimap" />}
      </ReactFlow>
      <button type="button" className={`minimap-toggle${minimap ? ' open' : ''}`} data-testid="minimap-toggle" aria-pressed={minimap}
        title={minimap ? 'Hide the minimap' : 'Show the minimap'} onClick={() => setMinimap((v) => !v)}>{minimap ? 'Map ▾' : 'Map ▴'}</button>
      {picker && (
        <TypePicker x={picker.x} y={picker.y} codeLocked={codeLocked} onClose={() => setPicker(null)}
          onPick={(key) => {
            const p = rf.screenToFlowPosition({ x: picker.clientX, y: picker.clientY });
            if (picker.edge) ed.insertIntoEdge(picker.edge, key, { x: p.x - NODE_W / 2, y: p.y - 32 });
            else ed.addBlock(key, { x: p.x - NODE_W / 2, y: p.y }, picker.from);
            setPicker(null);
          }} />
      )}
    </div>
    </EdgeActions.Provider>
  );
}
