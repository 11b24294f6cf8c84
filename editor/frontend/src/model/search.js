// Find blocks by name, custom name, type or any datapath/text in their data.
import { blockDef } from './blocktypes.js';

export function searchBlocks(nodes, query, limit = 50) {
  const q = String(query || '').trim().toLowerCase();
  if (!q) return [];
  const out = [];
  for (const n of nodes) {
    const d = n.data.soar.data || {};
    const def = blockDef(d);
    const name = (d.functionName || '').toLowerCase();
    const custom = (d.advanced?.customName || '').toLowerCase();
    let where = null;
    if (name.includes(q) || custom.includes(q)) where = 'name';
    else if (def.label.toLowerCase().includes(q) || d.type === q || (d.action || '').toLowerCase().includes(q)) where = 'type';
    else if (JSON.stringify(d).toLowerCase().includes(q) || (n.data.soar.userCode || '').toLowerCase().includes(q)) where = 'data';
    if (where) out.push({ id: n.id, functionName: d.functionName, label: d.advanced?.customName || d.functionName, type: def.label, where });
    if (out.length >= limit) break;
  }
  const rank = { name: 0, type: 1, data: 2 };
  return out.sort((a, b) => rank[a.where] - rank[b.where]);
}
