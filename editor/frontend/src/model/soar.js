// SOAR modern playbook JSON ⇄ React Flow graph. Pure functions; nothing here touches the DOM.
// Lossless rule: every SOAR node/edge object is carried untouched in `data.soar`; on export only
// the fields the editor owns (x/y, ports, conditions) are rewritten, and only when they changed.
import { isConditional } from './blocktypes.js';

export const IN_HANDLE = 'in';
export const OUT_HANDLE = 'out';

/** Source handle id for a conditional branch (0-based condition index). */
export const condHandle = (index) => `c${index}`;
export const handleIndex = (handle) => (typeof handle === 'string' && /^c\d+$/.test(handle) ? Number(handle.slice(1)) : null);

export function toFlowNode(soar, extra = {}) {
  return {
    id: String(soar.id),
    type: 'block',
    position: { x: Number(soar.x) || 0, y: Number(soar.y) || 0 },
    data: { soar, status: 'idle', issues: null, ...extra },
    deletable: soar.type !== 'start' && soar.type !== 'end',
  };
}

function sourceHandleFor(edge, sourceType) {
  if (isConditional(sourceType) && Array.isArray(edge.conditions) && edge.conditions.length) {
    return condHandle(Number(edge.conditions[0].index) || 0);
  }
  return OUT_HANDLE;
}

/** Build a React Flow edge. `soar` is the original SOAR edge (or undefined for new edges). */
export function toFlowEdge(source, target, sourceHandle, soar) {
  return {
    id: soar?.id ? String(soar.id) : `port_${source}_to_port_${target}`,
    source: String(source),
    target: String(target),
    sourceHandle,
    targetHandle: IN_HANDLE,
    data: soar ? { soar, importHandle: sourceHandle } : {},
  };
}

/**
 * SOAR playbook JSON → { doc, nodes, edges }. `doc` is the input itself (never mutated); its
 * coa.data.nodes/edges are stale once the graph is edited and are replaced by `toSoar`.
 */
export function toFlow(doc) {
  const data = doc?.coa?.data || {};
  const rawNodes = data.nodes || {};
  const nodes = Object.keys(rawNodes).map((key) => toFlowNode(rawNodes[key]));
  const typeOf = new Map(nodes.map((n) => [n.id, n.data.soar.type]));
  const seen = new Set();
  const edges = [];
  for (const e of data.edges || []) {
    const fe = toFlowEdge(e.sourceNode, e.targetNode, sourceHandleFor(e, typeOf.get(String(e.sourceNode))), e);
    let id = fe.id;
    for (let i = 2; seen.has(id); i += 1) id = `${fe.id}#${i}`;
    seen.add(id);
    edges.push(id === fe.id ? fe : { ...fe, id });
  }
  return { doc, nodes, edges };
}

/** One React Flow node → SOAR node (x/y from the canvas position). */
export function fromFlowNode(n) {
  const soar = n.data.soar;
  if (soar.x === n.position.x && soar.y === n.position.y) return soar;
  return { ...soar, x: n.position.x, y: n.position.y };
}

/** One React Flow edge → SOAR edge; the original object is returned when nothing changed. */
export function fromFlowEdge(e, sourceType) {
  const orig = e.data?.soar;
  if (orig && String(orig.sourceNode) === e.source && String(orig.targetNode) === e.target && e.data.importHandle === e.sourceHandle) {
    return orig;
  }
  const out = {
    ...(orig || {}),
    id: `port_${e.source}_to_port_${e.target}`,
    sourceNode: e.source,
    sourcePort: `${e.source}_out`,
    targetNode: e.target,
    targetPort: `${e.target}_in`,
  };
  const idx = handleIndex(e.sourceHandle);
  if (isConditional(sourceType) && idx !== null) out.conditions = [{ index: idx }];
  else delete out.conditions;
  return out;
}

/** { doc, nodes, edges } → SOAR playbook JSON. */
export function toSoar(doc, nodes, edges) {
  const soarNodes = {};
  const typeOf = new Map();
  for (const n of nodes) {
    soarNodes[n.id] = fromFlowNode(n);
    typeOf.set(n.id, n.data.soar.type);
  }
  const soarEdges = edges.map((e) => fromFlowEdge(e, typeOf.get(e.source)));
  const coa = doc.coa || {};
  return { ...doc, coa: { ...coa, data: { ...(coa.data || {}), nodes: soarNodes, edges: soarEdges } } };
}

/** Next free node id (string integer, max + 1; "0"/"1" are start/end). */
export function nextNodeId(nodes, taken = []) {
  let max = 1;
  for (const n of nodes) { const v = Number(n.id); if (Number.isFinite(v) && v > max) max = v; }
  for (const t of taken) { const v = Number(t); if (Number.isFinite(v) && v > max) max = v; }
  return String(max + 1);
}

/** A blank modern playbook with start and end, for new playbooks. */
export function emptyPlaybook(name = 'new_playbook') {
  return {
    blockly: false,
    blockly_xml: '<xml></xml>',
    category: 'Uncategorized',
    coa: {
      data: {
        description: '',
        edges: [{ id: 'port_0_to_port_1', sourceNode: '0', sourcePort: '0_out', targetNode: '1', targetPort: '1_in' }],
        hash: '',
        nodes: {
          0: { data: { advanced: { join: [] }, functionName: 'on_start', id: '0', type: 'start' }, errors: {}, id: '0', type: 'start', x: 190, y: 0 },
          1: { data: { advanced: { join: [] }, functionId: 1, functionName: 'on_finish', id: '1', type: 'end' }, errors: {}, id: '1', type: 'end', x: 190, y: 400 },
        },
        notes: '',
      },
      input_spec: null,
      output_spec: null,
      playbook_type: 'automation',
      python_version: '3',
      schema: '5.0.11',
      version: '6.2.0.355',
    },
    create_time: new Date().toISOString(),
    draft_mode: false,
    labels: ['*'],
    tags: [],
  };
}

/**
 * A document the editor can open: a blank playbook for empty input (new playbooks), and the
 * start ("0") and end ("1") blocks added when missing. Complete documents are returned as is.
 */
export function normalizeDoc(json) {
  const blank = emptyPlaybook();
  if (!json || typeof json !== 'object' || !json.coa || !json.coa.data || !json.coa.data.nodes) {
    const base = json && typeof json === 'object' ? json : {};
    return { ...blank, ...base, coa: { ...blank.coa, ...(base.coa || {}), data: { ...blank.coa.data, ...(base.coa?.data || {}) } } };
  }
  const nodes = json.coa.data.nodes;
  const hasType = (t) => Object.values(nodes).some((n) => n?.type === t);
  if (hasType('start') && hasType('end')) return json;
  const extra = {};
  if (!hasType('start') && !nodes[0]) extra[0] = blank.coa.data.nodes[0];
  if (!hasType('end') && !nodes[1]) extra[1] = blank.coa.data.nodes[1];
  return { ...json, coa: { ...json.coa, data: { ...json.coa.data, nodes: { ...nodes, ...extra } } } };
}
