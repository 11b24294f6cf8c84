// "Run" from the editor: pick a container (searchable), the artifact scope, and whether
// write actions are simulated; starts the run through POST /rest/playbook_run.
import { useEffect, useState } from 'react';
import { Modal } from '../components/Dialogs.jsx';

export default function RunDialog({ runApi, playbookName, dirty, initialContainer, onStart, onClose }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState(null);
  const [container, setContainer] = useState(initialContainer || null);
  const [scope, setScope] = useState('new');
  const [simulate, setSimulate] = useState(true);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');

  useEffect(() => {
    let cancelled = false;
    const t = setTimeout(() => {
      runApi.containers(q).then((r) => { if (!cancelled) setFound(r || []); }, (e) => { if (!cancelled) { setFound([]); setErr(e.message); } });
    }, 200);
    return () => { cancelled = true; clearTimeout(t); };
  }, [q, runApi]);

  const start = async () => {
    if (!container || busy) return;
    setBusy(true);
    setErr('');
    try {
      await onStart({ containerId: container.id, container, scope, simulateWrites: simulate });
    } catch (e) {
      setErr(e.message || 'the run could not be started');
      setBusy(false);
    }
  };

  return (
    <Modal title={`Run ${playbookName || 'playbook'}`} testid="run-dialog" onClose={onClose} wide>
      <div className="run-dialog">
        <label className="pf-label" htmlFor="run-container-search">Container</label>
        <input id="run-container-search" data-testid="run-container-search" placeholder="search by name, label or id" value={q} autoFocus
          onChange={(e) => setQ(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter' && found?.length === 1) setContainer(found[0]); }} />
        <ul className="run-containers" data-testid="run-container-list" role="listbox" aria-label="containers">
          {found === null && <li className="muted small">Loading…</li>}
          {found?.length === 0 && <li className="muted small" data-testid="run-container-none">No container matches.</li>}
          {found?.map((c) => (
            <li key={c.id} role="option" aria-selected={container?.id === c.id}>
              <button type="button" data-testid={`run-container-${c.id}`} className={container?.id === c.id ? 'selected' : ''} onClick={() => setContainer(c)}>
                <b>#{c.id}</b> {c.name} <span className="muted small">{c.label || ''}{c.severity ? ` · ${c.severity}` : ''} · {c.artifact_count ?? 0} artifacts</span>
              </button>
            </li>
          ))}
        </ul>
        <div className="run-options">
          <fieldset>
            <legend>Artifacts</legend>
            <label><input type="radio" name="run-scope" data-testid="run-scope-new" checked={scope === 'new'} onChange={() => setScope('new')} /> new since the last run</label>
            <label><input type="radio" name="run-scope" data-testid="run-scope-all" checked={scope === 'all'} onChange={() => setScope('all')} /> all</label>
          </fieldset>
          <label className="run-simulate"><input type="checkbox" data-testid="run-simulate" checked={simulate} onChange={(e) => setSimulate(e.target.checked)} /> simulate write actions (block, delete, …)</label>
        </div>
        {dirty && <p className="muted small" data-testid="run-will-save">Unsaved changes are saved first: a run executes the saved playbook.</p>}
        {err && <div className="banner err" data-testid="run-dialog-error">{err}</div>}
        <div className="btn-row">
          <button type="button" className="primary" data-testid="run-start" disabled={!container || busy} onClick={start}>
            {busy ? 'Starting…' : container ? `Run on #${container.id}` : 'Pick a container'}
          </button>
          <button type="button" data-testid="run-cancel" onClick={onClose}>Cancel</button>
        </div>
      </div>
    </Modal>
  );
}
