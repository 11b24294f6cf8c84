// Graph queries over React Flow nodes/edges (ids are strings).
import { isAsync } from './blocktypes.js';

export function parentMap(edges) {
  const m = new Map();
  for (const e of edges) {
    if (!m.has(e.target)) m.set(e.target, []);
    if (!m.get(e.target).includes(e.source)) m.get(e.target).push(e.source);
  }
  return m;
}

/** All ancestors of `id`, nearest first (BFS), excluding `id`. */
export function ancestors(id, edges) {
  const parents = parentMap(edges);
  const out = [];
  const seen = new Set([id]);
  const queue = [id];
  while (queue.length) {
    const cur = queue.shift();
    for (const p of parents.get(cur) || []) {
      if (!seen.has(p)) { seen.add(p); out.push(p); queue.push(p); }
    }
  }
  return out;
}

/** In-degree of a node: ≥ 2 means a join (§2.9). */
export function inDegree(id, edges) {
  return new Set(edges.filter((e) => e.target === id).map((e) => e.source)).size;
}

/** Nearest asynchronous ancestors (the join wait set before notRequiredJoins). */
export function nearestAsyncAncestors(id, nodesById, edges) {
  const parents = parentMap(edges);
  const out = [];
  const seen = new Set([id]);
  const stack = [...(parents.get(id) || [])];
  while (stack.length) {
    const cur = stack.shift();
    if (seen.has(cur)) continue;
    seen.add(cur);
    const data = nodesById.get(cur)?.data?.soar?.data;
    if (!data || data.type === 'start') continue;
    if (isAsync(data)) { out.push(data.functionName); continue; }
    stack.push(...(parents.get(cur) || []));
  }
  return out;
}
