// Problems reported by the compile/save/activate endpoints; click one to focus its block.
import { memo } from 'react';

/** Map issues to node ids: `block_id` may be the node id or its functionName. */
export function issuesByNode(issues, nodes) {
  const byName = new Map(nodes.map((n) => [n.data.soar.data.functionName, n.id]));
  const ids = new Set(nodes.map((n) => n.id));
  const out = new Map();
  for (const i of issues) {
    if (i.block_id === undefined || i.block_id === null || i.block_id === '') continue;
    const id = ids.has(String(i.block_id)) ? String(i.block_id) : byName.get(String(i.block_id));
    if (!id) continue;
    if (!out.has(id)) out.set(id, []);
    out.get(id).push(i);
  }
  return out;
}

function ValidationList({ issues, nodes, onFocus, onClose }) {
  const map = issuesByNode(issues, nodes);
  const idOf = new Map();
  for (const [id, list] of map) for (const i of list) idOf.set(i, id);
  const nameOf = new Map(nodes.map((n) => [n.id, n.data.soar.data.advanced?.customName || n.data.soar.data.functionName]));
  return (
    <div className="validation" data-testid="validation-list">
      <div className="validation-head"><b>Problems</b><span className="muted small grow">{issues.length ? `${issues.length}` : 'none'}</span>
        <button type="button" className="icon-btn" data-testid="validation-close" onClick={onClose}>×</button></div>
      <ul>
        {!issues.length && <li className="muted small">No problems found.</li>}
        {issues.map((i, k) => {
          const id = idOf.get(i);
          return (
            <li key={k} className={`${i.severity === 'warning' ? 'warn' : 'err'}${id ? ' clickable' : ''}`} data-testid={`validation-item-${k}`} data-block-id={id || ''}
              onClick={() => id && onFocus(id)}>
              <span className="pb-sev">{i.severity === 'warning' ? '⚠' : '✖'}</span>
              <span>{id ? <b>{nameOf.get(id)}</b> : null}{i.field ? <code> {i.field}</code> : null} {i.message}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export default memo(ValidationList);
