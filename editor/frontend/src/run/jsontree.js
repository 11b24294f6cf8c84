// Action results as a collapsible tree whose every row knows the SOAR datapath that reads it,
// so an author can copy `hash_name:action_result.data.*.hash` straight into another block.
// Pure: rows are computed from the value and the set of open row ids.

// Lists under these keys are walked with `*` in datapaths (SOAR collects over them); other
// lists are indexed (`summary.responses.0`).
const STAR_KEYS = new Set(['data', 'formatted_data']);

export function preview(value) {
  if (value === null || value === undefined) return 'None';
  if (Array.isArray(value)) return `[${value.length}]`;
  if (typeof value === 'object') return `{${Object.keys(value).length}}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 199)}…` : value);
  return String(value);
}

export function kindOf(value) {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The datapath of `key` under a row whose datapath is `parent` (`sep` joins the first level). */
export function childDatapath(parent, key, parentKey, sep = '.') {
  if (typeof key === 'number') return `${parent}.${STAR_KEYS.has(String(parentKey)) ? '*' : key}`;
  return `${parent}${sep}${key}`;
}

/**
 * Visible rows of one root: [{id, depth, key, value, kind, preview, expandable, open, datapath}].
 * `open` holds the ids of expanded rows; the root is `rootId` and is always open.
 */
export function treeRows(value, { rootId, datapath, sep = '.', rootKey = null, open = new Set(), limit = 2000 }) {
  const rows = [];
  const walk = (v, id, depth, dp, key, parentKey, firstSep) => {
    if (rows.length >= limit) return;
    const kind = kindOf(v);
    const expandable = (kind === 'array' && v.length > 0) || (kind === 'object' && Object.keys(v).length > 0);
    const isOpen = depth === 0 || open.has(id);
    if (depth > 0) rows.push({ id, depth, key, value: v, kind, preview: preview(v), expandable, open: expandable && isOpen, datapath: dp });
    if (!expandable || !isOpen) return;
    const entries = kind === 'array' ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [k, child] of entries) {
      walk(child, `${id}/${k}`, depth + 1, childDatapath(dp, k, key, depth === 0 ? firstSep : '.'), k, key, '.');
    }
  };
  walk(value, rootId, 0, datapath, rootKey, null, sep);
  return rows;
}

/**
 * The roots a block's results are shown under (GET /api/runs/<id>/blocks/<name>):
 * one per action result of every app run, plus code outputs, format text and filter sets.
 */
export function resultRoots(res) {
  if (!res) return [];
  const roots = [];
  for (const a of res.action_runs || []) {
    const base = `${a.name}:${a.type === 'custom_function' ? 'custom_function_result' : 'action_result'}`;
    (a.app_runs || []).forEach((r, ri) => {
      const items = Array.isArray(r.result_data) ? r.result_data : [];
      items.forEach((item, k) => {
        const who = r.asset || r.app || (a.type === 'prompt' ? 'prompt' : a.type === 'custom_function' ? a.action : 'result');
        roots.push({ id: `a${a.id}-r${ri}-${k}`, title: `${who}${items.length > 1 ? ` · ${k + 1}` : ''}`, status: item?.status || r.status, message: item?.message || r.message, simulated: !!r.simulated, value: item, datapath: base, sep: '.' });
      });
      if (!items.length) roots.push({ id: `a${a.id}-r${ri}`, title: r.asset || r.app || 'result', status: r.status, message: r.message, value: r.result_summary || {}, datapath: `${base}.summary`, sep: '.' });
    });
    if (!(a.app_runs || []).length) roots.push({ id: `a${a.id}`, title: `${a.action} (${a.status})`, status: a.status, message: a.message, value: { status: a.status, message: a.message }, datapath: base, sep: '.' });
  }
  if (res.outputs && Object.keys(res.outputs).length) {
    roots.push({ id: 'outputs', title: 'outputs', value: res.outputs, datapath: `${res.block}:custom_function`, sep: ':' });
  }
  if (res.formatted !== null && res.formatted !== undefined) {
    const f = res.formatted;
    const value = f && typeof f === 'object' ? { text: f.text, rows: f.rows } : { text: f };
    roots.push({ id: 'formatted', title: 'formatted text', value: value.text, datapath: `${res.block}:formatted_data`, sep: '.' });
    if (Array.isArray(value.rows) && value.rows.length > 1) roots.push({ id: 'formatted-rows', title: 'formatted rows', value: value.rows, datapath: `${res.block}:formatted_data`, sep: '.', rootKey: 'formatted_data' });
  }
  for (const [name, set] of Object.entries(res.filtered || {})) {
    roots.push({ id: `filter-${name}`, title: `filtered: ${name}`, value: set, datapath: `filtered-data:${name}`, sep: ':' });
  }
  return roots;
}

/** Copy text to the clipboard, falling back to a selected textarea where the API is missing. */
export async function copyText(text, doc = globalThis.document, nav = globalThis.navigator) {
  try {
    if (nav?.clipboard?.writeText) { await nav.clipboard.writeText(text); return true; }
  } catch { /* not allowed here (insecure origin, no focus): fall back */ }
  if (!doc) return false;
  const area = doc.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  doc.body.appendChild(area);
  area.select();
  let ok = false;
  try { ok = doc.execCommand('copy'); } catch { ok = false; }
  area.remove();
  return ok;
}
