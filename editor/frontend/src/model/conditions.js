// Decision/filter conditions and the conditional edges that point at them by index.
import { condHandle, handleIndex } from './soar.js';

function renumber(conditions) {
  return conditions.map((c, i) => {
    const next = { ...c, conditionIndex: i };
    if (Array.isArray(c.comparisons)) next.comparisons = c.comparisons.map((k) => ('conditionIndex' in k || c.conditionIndex !== undefined ? { ...k, conditionIndex: i } : k));
    return next;
  });
}

const blankComparison = (i) => ({ conditionIndex: i, op: '==', param: '', value: '' });

/** Index of a decision's `else` condition, or -1. */
export function elseIndex(data) {
  return (data.conditions || []).findIndex((c) => c.type === 'else');
}

/**
 * Add a condition. Decisions get an `elif` inserted before a trailing `else`; filters append.
 * Returns { data, remap } where remap[oldIndex] = newIndex for edges.
 */
export function addCondition(data) {
  const conds = [...(data.conditions || [])];
  const remap = conds.map((_, i) => i);
  let at = conds.length;
  let cond;
  if (data.type === 'decision') {
    const ei = elseIndex(data);
    if (ei >= 0) { at = ei; remap[ei] = ei + 1; }
    const first = at === 0;
    cond = { comparisons: [blankComparison(at)], conditionIndex: at, customName: '', display: first ? 'If' : 'Else If', logic: 'and', type: first ? 'if' : 'elif' };
  } else {
    cond = { comparisons: [blankComparison(at)], conditionIndex: at, customName: '', logic: 'and' };
  }
  conds.splice(at, 0, cond);
  return { data: { ...data, conditions: renumber(conds) }, remap };
}

/** Add the decision's `else` branch (no-op when present). */
export function addElse(data) {
  if (data.type !== 'decision' || elseIndex(data) >= 0) return { data, remap: (data.conditions || []).map((_, i) => i) };
  const conds = [...(data.conditions || [])];
  const i = conds.length;
  conds.push({ comparisons: [blankComparison(i)], conditionIndex: i, customName: '', display: 'Else', logic: 'and', type: 'else' });
  return { data: { ...data, conditions: conds }, remap: conds.slice(0, -1).map((_, k) => k) };
}

/** Remove condition `index`; edges on it are dropped (remap → null), later ones shift down. */
export function removeCondition(data, index) {
  const conds = (data.conditions || []).filter((_, i) => i !== index);
  const remap = (data.conditions || []).map((_, i) => (i === index ? null : i > index ? i - 1 : i));
  if (data.type === 'decision' && conds.length && conds[0].type === 'elif') conds[0] = { ...conds[0], type: 'if', display: 'If' };
  return { data: { ...data, conditions: renumber(conds) }, remap };
}

/** Apply a condition remap to the React Flow edges leaving `nodeId`. */
export function remapEdges(edges, nodeId, remap) {
  const out = [];
  for (const e of edges) {
    const idx = e.source === nodeId ? handleIndex(e.sourceHandle) : null;
    if (idx === null) { out.push(e); continue; }
    const to = remap[idx];
    if (to === null || to === undefined) continue;
    out.push(to === idx ? e : { ...e, sourceHandle: condHandle(to) });
  }
  return out;
}

/** Short branch labels shown on the block's output handles. */
export function branchLabels(data) {
  return (data.conditions || []).map((c, i) => {
    if (c.type === 'else') return 'else';
    if (c.customName) return c.customName;
    return data.type === 'filter' ? `condition ${i + 1}` : i === 0 ? 'if' : `elif ${i}`;
  });
}

/** Update one comparison field; `conditionIndex` fields stay as they are. */
export function setComparison(data, ci, k, field, value) {
  const conditions = data.conditions.map((c, i) => (i !== ci ? c : { ...c, comparisons: c.comparisons.map((cmp, j) => (j !== k ? cmp : { ...cmp, [field]: value })) }));
  return { ...data, conditions };
}

export function addComparison(data, ci) {
  const conditions = data.conditions.map((c, i) => (i !== ci ? c : { ...c, comparisons: [...c.comparisons, blankComparison(ci)] }));
  return { ...data, conditions };
}

export function removeComparison(data, ci, k) {
  const conditions = data.conditions.map((c, i) => (i !== ci || c.comparisons.length <= 1 ? c : { ...c, comparisons: c.comparisons.filter((_, j) => j !== k) }));
  return { ...data, conditions };
}

export function setConditionField(data, ci, field, value) {
  return { ...data, conditions: data.conditions.map((c, i) => (i !== ci ? c : { ...c, [field]: value })) };
}
