// Graph edits as pure functions over React Flow nodes/edges; useEditor wraps each in one undo step.
import { toFlowEdge, toFlowNode, nextNodeId, condHandle, OUT_HANDLE } from './soar.js';
import { defaultData, isConditional } from './blocktypes.js';
import { assignName } from './naming.js';
import { freeSpot } from './placement.js';

/**
 * Add a block of palette `key` at `position`, or at the nearest free spot when another block
 * is there; optionally connect it from {nodeId, handleId}.
 */
export function addBlock(nodes, edges, key, position, connectFrom = null) {
  const id = nextNodeId(nodes);
  const data = assignName(defaultData(key, id), nodes.map((n) => n.data.soar));
  const at = freeSpot(nodes, position);
  const soar = { data, errors: {}, id, type: data.type, warnings: {}, x: at.x, y: at.y };
  const node = { ...toFlowNode(soar), selected: true };
  const out = { id, nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node], edges };
  if (connectFrom) out.edges = [...edges, toFlowEdge(connectFrom.nodeId, id, connectFrom.handleId || 'out')];
  return out;
}

// The handle a new block's own outgoing edge leaves from: a decision's or filter's first branch.
function outHandleOf(nodes, id) {
  const n = nodes.find((x) => x.id === id);
  return isConditional(n?.data.soar.type) ? condHandle(0) : OUT_HANDLE;
}

/**
 * Splice a new block into edge `edgeId`: source → new → target. The source keeps the handle it
 * had (a decision's branch stays that branch). Null when the edge does not exist.
 */
export function insertIntoEdge(nodes, edges, edgeId, key, position) {
  const cut = edges.find((e) => e.id === edgeId);
  if (!cut) return null;
  const rest = edges.filter((e) => e !== cut);
  const r = addBlock(nodes, rest, key, position, { nodeId: cut.source, handleId: cut.sourceHandle || OUT_HANDLE });
  return { ...r, edges: [...r.edges, toFlowEdge(r.id, cut.target, outHandleOf(r.nodes, r.id))] };
}

/**
 * Add a block after block `afterId` (its plain output, not a branch): the new block takes over
 * the edges that left that output, so start → end becomes start → new → end.
 */
export function addAfter(nodes, edges, key, position, afterId) {
  const moving = edges.filter((e) => e.source === afterId && (e.sourceHandle || OUT_HANDLE) === OUT_HANDLE);
  const r = addBlock(nodes, edges.filter((e) => !moving.includes(e)), key, position, { nodeId: afterId, handleId: OUT_HANDLE });
  const handle = outHandleOf(r.nodes, r.id);
  const taken = moving.filter((e) => e.target !== r.id).map((e) => toFlowEdge(r.id, e.target, handle));
  return { ...r, edges: [...r.edges, ...taken] };
}

/** Connect two blocks; null when the pair is already connected (SOAR has no duplicate pairs). */
export function connect(edges, conn) {
  if (edges.some((e) => e.source === conn.source && e.target === conn.target)) return null;
  return [...edges, toFlowEdge(conn.source, conn.target, conn.sourceHandle || 'out')];
}

/**
 * Delete selected blocks (never start/end), their edges and selected edges. Deleted names are
 * also removed from other blocks' notRequiredJoins. Null when nothing is selected.
 */
export function deleteSelected(nodes, edges) {
  const gone = new Set(nodes.filter((n) => n.selected && n.deletable !== false).map((n) => n.id));
  const edgeGone = new Set(edges.filter((e) => e.selected || gone.has(e.source) || gone.has(e.target)).map((e) => e.id));
  if (!gone.size && !edgeGone.size) return null;
  const names = new Set(nodes.filter((n) => gone.has(n.id)).map((n) => n.data.soar.data.functionName));
  const remaining = nodes.filter((n) => !gone.has(n.id)).map((n) => {
    const d = n.data.soar.data;
    const nrj = d.advanced?.notRequiredJoins;
    if (!nrj || !nrj.some((x) => names.has(x))) return n;
    const soar = { ...n.data.soar, data: { ...d, advanced: { ...d.advanced, notRequiredJoins: nrj.filter((x) => !names.has(x)) } } };
    return { ...n, data: { ...n.data, soar } };
  });
  return { nodes: remaining, edges: edges.filter((e) => !edgeGone.has(e.id)) };
}

/** Move blocks to new positions (Map id → {x, y}). */
export function moveBlocks(nodes, positions) {
  return nodes.map((n) => (positions.has(n.id) ? { ...n, position: positions.get(n.id) } : n));
}
