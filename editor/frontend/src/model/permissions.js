import { DEFAULT_REGION } from './regions.js';

// Whether this user may write code (SOAR's "edit code": Code blocks, custom code, global code).
// The page says so (templates/editor/edit.html); the server refuses such saves anyway, so
// this only spares the user edits that could not be saved.
export function codeReadOnly() {
  if (typeof document === 'undefined') return false;
  return document.getElementById('playbook-editor')?.dataset.codeReadonly === '1';
}

/** Said wherever the editor refuses or disables code for a user without the permission. */
export const NEEDS_EDIT_CODE = "needs the 'edit code' permission";

// What the editor and the compiler write in a custom code region nobody has touched is not
// code of the user's (editor/graph/code.py reads it the same way).
const UNTOUCHED = DEFAULT_REGION.trim();

/** The code a region holds: '' for none or the untouched default, null for no text at all. */
function regionText(value) {
  if (typeof value !== 'string') return null;
  const t = value.trim();
  return t === UNTOUCHED ? '' : t;
}

const isCode = (value) => !!regionText(value);

/** How a refusal names a block: by its function name, else its id. */
function blockLabel(n, id) {
  return typeof n.data?.functionName === 'string' && n.data.functionName ? `'${n.data.functionName}'` : `block ${id}`;
}

/** Whether the palette / type-picker entry `key` makes a block the server counts as code. */
export function keyWritesCode(key) {
  // An empty Code block is still a Code block: the server refuses it as well.
  return key === 'code';
}

/**
 * The blocks among SOAR nodes that carry code as the server counts it (editor/graph/code.py,
 * code_sections): every Code block, and any block whose custom code or whole-function override
 * is more than the default region. One description per block, naming it.
 */
export function codeBlocksIn(soarNodes) {
  const out = [];
  for (const n of soarNodes || []) {
    if (!n || typeof n !== 'object') continue;
    const name = blockLabel(n, n.id);
    if (n.type === 'code') out.push(`Code block ${name}`);
    else if (isCode(n.userCode) || isCode(n.customCode)) out.push(`the custom code of ${name}`);
  }
  return out;
}

/**
 * Why a clipboard payload may not be pasted by a user without the permission, or null when it
 * carries no code. Pasting adds the blocks anew, so any code in them would be refused on save.
 */
export function pasteRefusal(payload) {
  const found = codeBlocksIn(payload?.nodes);
  if (!found.length) return null;
  return `Not pasted: ${found.join(', ')} ${found.length === 1 ? 'is' : 'are'} code, and writing code ${NEEDS_EDIT_CODE}.`;
}

/**
 * Where a playbook JSON carries code, as the server reads it (editor/graph/code.py,
 * code_sections): a Map from "<node id>/<kind>" to {label, text}. A Code block always has
 * a section, even empty; other blocks only when their code is more than the default region.
 */
export function codeSections(doc) {
  const out = new Map();
  const data = doc?.coa?.data;
  if (!data || typeof data !== 'object') return out;
  for (const [key, n] of Object.entries(data.nodes || {})) {
    if (!n || typeof n !== 'object') continue;
    const id = String(n.id ?? key);
    const fn = blockLabel(n, id);
    const user = regionText(n.userCode);
    if (n.type === 'code') out.set(`${id}/userCode`, { label: `Code block ${fn}`, text: user || '' });
    else if (user) out.set(`${id}/userCode`, { label: `the custom code of ${fn}`, text: user });
    const override = regionText(n.customCode);
    if (override) out.set(`${id}/customCode`, { label: `the custom function code of ${fn}`, text: override });
  }
  for (const [kind, label] of [['globalCustomCode', "the playbook's global custom code"], ['customCode', "the playbook's module override"]]) {
    const text = regionText(data[kind]);
    if (text) out.set(`playbook/${kind}`, { label, text });
  }
  return out;
}

/** What `after` adds or changes in code compared with `before` (the stored version), by label. */
export function codeChanges(before, after) {
  const old = codeSections(before);
  const out = [];
  for (const [key, { label, text }] of codeSections(after)) {
    if (!old.has(key) || old.get(key).text !== text) out.push(label);
  }
  return out;
}
