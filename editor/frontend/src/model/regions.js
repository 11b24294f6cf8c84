// User-code regions of generated Python (soar-format.md §2.8): the text between the
// "Custom Code Start" banner and the "Custom Code End" banner of each function, which is
// exactly `node.userCode`; plus the module-level "Global Custom Code" region.

const BAR = /^ *#{80}$/;

/** Find editable regions: [{fn, from, to, global}] with character offsets into `source`. */
export function findRegions(source) {
  const lines = source.split('\n');
  const offsets = [];
  let pos = 0;
  for (const l of lines) { offsets.push(pos); pos += l.length + 1; }
  const out = [];
  let fn = null;
  for (let i = 0; i < lines.length; i += 1) {
    const def = /^def (\w+)\(/.exec(lines[i]);
    if (def) fn = def[1];
    const start = /^( *)## (Global )?Custom Code Start\s*$/.exec(lines[i]);
    if (!start || !BAR.test(lines[i + 1] || '')) continue;
    const global = !!start[2];
    const endMarker = global ? '## Global Custom Code End' : '## Custom Code End';
    for (let j = i + 2; j < lines.length; j += 1) {
      if (lines[j].trim() === endMarker && BAR.test(lines[j - 1] || '')) {
        const from = offsets[i + 2];
        const to = offsets[j - 1];
        out.push({ fn: global ? null : fn, global, from: Math.min(from, to), to });
        i = j;
        break;
      }
    }
  }
  return out;
}

/** The default region SOAR writes for a block without userCode. */
export const DEFAULT_REGION = '\n    # Write your custom code here...\n\n';

/**
 * The functions generated for one block (its own, plus join_/loop_ and _callback helpers), with
 * their decorators, cut from a whole-module source. Returns null when none is found.
 */
export function extractBlockSource(source, pyName) {
  const lines = String(source || '').split('\n');
  const wanted = new Set([pyName, `join_${pyName}`, `loop_${pyName}`, `${pyName}_callback`]);
  const chunks = [];
  for (let i = 0; i < lines.length; i += 1) {
    const m = /^def (\w+)\(/.exec(lines[i]);
    if (!m || !wanted.has(m[1])) continue;
    let from = i;
    while (from > 0 && lines[from - 1].startsWith('@')) from -= 1;
    let to = i + 1;
    while (to < lines.length && !/^(def |@|class |\S)/.test(lines[to])) to += 1;
    while (to > i + 1 && lines[to - 1].trim() === '') to -= 1;
    chunks.push(lines.slice(from, to).join('\n'));
    i = to - 1;
  }
  return chunks.length ? `${chunks.join('\n\n\n')}\n` : null;
}
