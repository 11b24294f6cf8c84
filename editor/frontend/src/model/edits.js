// Graph edits as pure functions over React Flow nodes/edges; useEditor wraps each in one undo step.
import { toFlowEdge, toFlowNode, nextNodeId } from './soar.js';
import { defaultData } from './blocktypes.js';
import { assignName } from './naming.js';

/** Add a block of palette `key`; optionally connect it from {nodeId, handleId}. */
export function addBlock(nodes, edges, key, position, connectFrom = null) {
  const id = nextNodeId(nodes);
  const data = assignName(defaultData(key, id), nodes.map((n) => n.data.soar));
  const soar = { data, errors: {}, id, type: data.type, warnings: {}, x: Math.round(position.x), y: Math.round(position.y) };
  const node = { ...toFlowNode(soar), selected: true };
  const out = { id, nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node], edges };
  if (connectFrom) out.edges = [...edges, toFlowEdge(connectFrom.nodeId, id, connectFrom.handleId || 'out')];
  return out;
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
