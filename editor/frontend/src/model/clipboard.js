// Copy/paste of blocks, also between playbooks: the payload is plain SOAR nodes/edges JSON.
import { fromFlowEdge, fromFlowNode, nextNodeId, toFlowEdge, toFlowNode, condHandle } from './soar.js';
import { assignName, renameRefs } from './naming.js';
import { isConditional } from './blocktypes.js';

export const CLIP_KIND = 'playbook-studio/blocks';

export function copyBlocks(nodes, edges, ids) {
  const set = new Set(ids);
  const chosen = nodes.filter((n) => set.has(n.id) && n.deletable !== false);
  const keep = new Set(chosen.map((n) => n.id));
  const typeOf = new Map(nodes.map((n) => [n.id, n.data.soar.type]));
  return {
    kind: CLIP_KIND,
    version: 1,
    nodes: chosen.map(fromFlowNode),
    edges: edges.filter((e) => keep.has(e.source) && keep.has(e.target)).map((e) => fromFlowEdge(e, typeOf.get(e.source))),
  };
}

export function parseClip(text) {
  try {
    const v = typeof text === 'string' ? JSON.parse(text) : text;
    return v && v.kind === CLIP_KIND && Array.isArray(v.nodes) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Turn a payload into new React Flow nodes/edges for the current graph: fresh node ids, unique
 * function names (references inside the pasted blocks follow the rename), positions offset.
 */
export function pasteBlocks(payload, nodes, { dx = 40, dy = 40 } = {}) {
  const idMap = new Map();
  const taken = [];
  const soarNodes = nodes.map((n) => n.data.soar);
  const renames = [];
  const placed = [];
  for (const src of payload.nodes) {
    const id = nextNodeId(nodes, taken);
    taken.push(id);
    idMap.set(String(src.id), id);
    let data = { ...src.data, id };
    data = assignName(data, [...soarNodes, ...placed]);
    if (data.functionName !== src.data.functionName) renames.push([src.data.functionName, data.functionName]);
    const soar = { ...src, id, data, x: (Number(src.x) || 0) + dx, y: (Number(src.y) || 0) + dy };
    placed.push(soar);
  }
  const finalNodes = placed.map((soar) => {
    let data = soar.data;
    let userCode = soar.userCode;
    for (const [from, to] of renames) { data = renameRefs(data, from, to); userCode = typeof userCode === 'string' ? userCode : userCode; }
    return toFlowNode({ ...soar, data, ...(userCode !== undefined ? { userCode } : {}) });
  });
  const typeOf = new Map(payload.nodes.map((n) => [String(n.id), n.type]));
  const newEdges = [];
  for (const e of payload.edges || []) {
    const s = idMap.get(String(e.sourceNode));
    const t = idMap.get(String(e.targetNode));
    if (!s || !t) continue;
    const handle = isConditional(typeOf.get(String(e.sourceNode))) && e.conditions?.length ? condHandle(e.conditions[0].index) : 'out';
    newEdges.push(toFlowEdge(s, t, handle));
  }
  return { nodes: finalNodes, edges: newEdges };
}
