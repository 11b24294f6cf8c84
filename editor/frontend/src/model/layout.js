// Top-to-bottom auto layout with dagre; returns new node positions (top-left corners).
import dagre from '@dagrejs/dagre';
import { NODE_W, nodeHeight } from './geometry.js';

export function autoLayout(nodes, edges) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: NODE_W, height: nodeHeight(n.data.soar) });
  for (const e of edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const pos = new Map();
  for (const n of nodes) {
    const p = g.node(n.id);
    if (p) pos.set(n.id, { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) });
  }
  return pos;
}
