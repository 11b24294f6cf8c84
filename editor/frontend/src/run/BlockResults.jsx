// What one block of a run produced: its status and error, evaluated conditions, and its
// results as a JSON tree whose rows copy their SOAR datapath.
import { memo, useEffect, useMemo, useState } from 'react';
import { copyText, resultRoots, treeRows } from './jsontree.js';

function JsonTree({ root, onCopied }) {
  const [open, setOpen] = useState(() => new Set());
  const rows = useMemo(() => treeRows(root.value, { rootId: root.id, datapath: root.datapath, sep: root.sep, rootKey: root.rootKey, open }), [root, open]);
  const toggle = (id) => setOpen((o) => { const n = new Set(o); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  const copy = async (path) => { const ok = await copyText(path); onCopied(ok ? path : ''); };
  const primitive = root.value === null || typeof root.value !== 'object';
  return (
    <div className="json-tree" data-testid="result-tree" data-root={root.id}>
      <div className={`json-root status-${root.status || 'none'}`}>
        <b>{root.title}</b>
        {root.status ? <span className={`pill ${root.status}`}>{root.status}</span> : null}
        {root.simulated ? <span className="pill" title="write action simulated">simulated</span> : null}
        <button type="button" className="link-btn copy" data-testid="copy-datapath" data-datapath={root.datapath} title={`copy ${root.datapath}`} onClick={() => copy(root.datapath)}>copy {root.datapath}</button>
      </div>
      {root.message ? <div className="muted small json-message">{root.message}</div> : null}
      {primitive ? <pre className="json-text" data-testid="result-text">{String(root.value ?? 'None')}</pre> : (
        <ul>
          {rows.map((r) => (
            <li key={r.id} className="json-row" data-testid="result-row" data-datapath={r.datapath} style={{ paddingLeft: (r.depth - 1) * 14 }}>
              {r.expandable ? <button type="button" className="json-toggle" data-testid="result-toggle" aria-expanded={r.open} onClick={() => toggle(r.id)}>{r.open ? '▾' : '▸'}</button> : <span className="json-toggle" />}
              <span className="json-key">{String(r.key)}</span>
              <span className={`json-val ${r.kind}`} title={r.kind === 'string' ? r.value : undefined}>{r.expandable && r.open ? '' : r.preview}</span>
              <button type="button" className="link-btn copy" data-testid="copy-datapath" data-datapath={r.datapath} title={`copy ${r.datapath}`} onClick={() => copy(r.datapath)}>copy</button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Evaluations({ evals }) {
  if (!evals?.length) return null;
  return (
    <div className="run-evals" data-testid="result-evaluations">
      {evals.map((e) => (
        <div key={e.index} className={`run-eval ${e.matched ? 'yes' : 'no'}`} data-testid={`result-eval-${e.index}`}>
          <b>{e.kind === 'filter' ? `condition ${e.index + 1}` : `branch ${e.index + 1}`}</b> {e.matched ? '✓' : '✗'} {e.label}
          {e.evaluations?.length ? (
            <table><tbody>{e.evaluations.slice(0, 50).map((r, i) => (
              <tr key={i}><td>{JSON.stringify(r.left)}</td><td>{r.operator}</td><td>{JSON.stringify(r.right)}</td><td>{r.outcome ? '✓' : '✗'}</td></tr>
            ))}</tbody></table>
          ) : null}
        </div>
      ))}
    </div>
  );
}

function BlockResults({ runApi, runId, fn, block }) {
  const [res, setRes] = useState(null);
  const [err, setErr] = useState('');
  const [copied, setCopied] = useState(null);
  // Fetched again whenever the block's run state moves (a new result may exist).
  const version = block ? `${block.status}:${block.seq}:${block.count}` : '';
  useEffect(() => {
    if (!runId || !fn) { setRes(null); return undefined; }
    let cancelled = false;
    runApi.block(runId, fn).then((r) => { if (!cancelled) { setRes(r); setErr(''); } }, (e) => { if (!cancelled) setErr(e.message); });
    return () => { cancelled = true; };
  }, [runApi, runId, fn, version]);
  useEffect(() => { if (copied === null) return undefined; const t = setTimeout(() => setCopied(null), 2500); return () => clearTimeout(t); }, [copied]);
  const roots = useMemo(() => resultRoots(res), [res]);
  if (!fn) return <p className="muted pad" data-testid="run-results-empty">Click a block to see what it produced.</p>;
  return (
    <div className="run-results" data-testid="run-results" data-block={fn}>
      <div className="run-results-head">
        <b>{fn}</b>
        <span className={`pill status-pill ${block?.status || 'pending'}`} data-testid="run-results-status">{block?.status || 'pending'}</span>
        {block?.count > 1 ? <span className="muted small">ran {block.count}×</span> : null}
        {copied ? <span className="copied small" data-testid="datapath-copied">copied {copied}</span> : copied === '' ? <span className="small err">copy failed</span> : null}
      </div>
      {block?.error ? <pre className="run-error" data-testid="run-results-error">{block.error}</pre> : null}
      <Evaluations evals={block?.evals} />
      {err && <div className="banner err">{err}</div>}
      {res && !roots.length && !block?.evals?.length ? <p className="muted small" data-testid="run-results-none">No stored results for this block.</p> : null}
      {roots.map((r) => <JsonTree key={r.id} root={r} onCopied={setCopied} />)}
      {res?.child_runs?.map((c) => <p key={c.id} className="small"><a href={c.url} data-testid={`child-run-${c.id}`}>child run #{c.id} ({c.playbook_name}: {c.status})</a></p>)}
    </div>
  );
}

export default memo(BlockResults);
