// Block naming rules (soar-format.md §2.12): functionName from customName or <base>_<functionId>.
import { blockKey, nameBase } from './blocktypes.js';

/** "urlscanio  summary filter" → "urlscanio_summary_filter". */
export function slug(text) {
  return String(text || '').trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** Python function name of a block (§0.4). */
export function pythonName(functionName) {
  return String(functionName).toLowerCase().replace(/\W/g, '_');
}

/** Counter kind: per type; per action name for actions; per callee for playbooks. */
function kindOf(data) {
  const key = blockKey(data);
  if (key === 'action' || key === 'missionControl') return `${key}:${data.action || ''}`;
  if (key === 'playbook') return `playbook:${data.playbookName || ''}`;
  if (key === 'custom_function') return 'utility';
  return key;
}

/** Next functionId for a block kind: max + 1 over existing nodes (SOAR leaves gaps). */
export function nextFunctionId(soarNodes, data) {
  const kind = kindOf(data);
  let max = 0;
  for (const n of soarNodes) {
    if (n.data && n.data !== data && kindOf(n.data) === kind && Number(n.data.functionId) > max) max = Number(n.data.functionId);
  }
  return max + 1;
}

/** Default functionName (no custom name) for data with its functionId. */
export function defaultName(data) {
  const key = blockKey(data);
  let base;
  if ((key === 'action' || key === 'missionControl') && data.action) base = slug(data.action);
  else if (key === 'utility') {
    const util = Object.values(data.utilities || {})[0];
    base = util ? slug(util.label || util.name) : 'utility';
  } else if (key === 'custom_function') {
    base = slug(data.customFunction?.name) || 'custom_function';
  } else if (key === 'playbook' && data.playbookName) return `playbook_${data.playbookName.replace(/\W/g, '_')}_${data.functionId}`;
  else base = nameBase(key);
  return `${base}_${data.functionId}`;
}

/**
 * Give `data` a fresh, unique functionName. With a customName the name is its slug plus
 * `_<customNameId>` when the id is > 0; the id grows until the Python name is unique.
 * Returns new data (input untouched).
 */
export function assignName(data, soarNodes, { keepFunctionId = false } = {}) {
  const others = new Set(soarNodes.filter((n) => n.data && n.data.id !== data.id).map((n) => pythonName(n.data.functionName)));
  const next = { ...data, advanced: { ...(data.advanced || {}) } };
  if (!keepFunctionId || next.functionId == null) next.functionId = nextFunctionId(soarNodes.filter((n) => n.data?.id !== data.id), next);
  const custom = (next.advanced.customName || '').trim();
  if (custom) {
    let idn = Number(next.advanced.customNameId) > 0 ? Number(next.advanced.customNameId) : 0;
    const base = slug(custom);
    let name = idn > 0 ? `${base}_${idn}` : base;
    while (others.has(pythonName(name))) { idn += 1; name = `${base}_${idn}`; }
    next.advanced.customNameId = idn;
    next.functionName = name;
  } else {
    let name = defaultName(next);
    while (others.has(pythonName(name))) { next.functionId += 1; name = defaultName(next); }
    next.functionName = name;
  }
  return next;
}

const REF_FIELDS_RE = (name) => new RegExp(`(^|filtered-data:|:condition_\\d+:)${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=:)`);

/** Rewrite one datapath string that refers to block `from` so it refers to `to`. */
export function renameInDatapath(value, from, to) {
  if (typeof value !== 'string' || !value.includes(from)) return value;
  const re = REF_FIELDS_RE(from);
  // A filtered-data path may mention the name twice (filter and wrapped source).
  let out = value;
  for (let i = 0; i < 3 && re.test(out); i += 1) out = out.replace(re, `$1${to}`);
  return out;
}

/** Deep-rename datapath references in any JSON value; returns the same object when nothing changed. */
export function renameRefs(value, from, to, key = '') {
  if (typeof value === 'string') return renameInDatapath(value, from, to);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => { const r = renameRefs(v, from, to, key); if (r !== v) changed = true; return r; });
    return changed ? out : value;
  }
  if (value && typeof value === 'object') {
    let changed = false;
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      // customDatapaths and notRequiredJoins name blocks without a datapath suffix.
      const nk = key === 'customDatapaths' && k === from ? to : k;
      let r = renameRefs(v, from, to, k);
      if (k === 'notRequiredJoins' && Array.isArray(v) && v.includes(from)) r = v.map((x) => (x === from ? to : x));
      if (r !== v || nk !== k) changed = true;
      out[nk] = r;
    }
    return changed ? out : value;
  }
  return value;
}
