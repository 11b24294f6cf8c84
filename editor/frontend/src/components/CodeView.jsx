// Generated Python (whole playbook or selected block) from the compile endpoint. Only the
// "Custom Code Start/End" regions are editable; edits go back into node.userCode.
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { pythonName } from '../model/naming.js';
import { extractBlockSource } from '../model/regions.js';
import { NEEDS_EDIT_CODE } from '../model/permissions.js';

const CodeEditor = lazy(() => import('./CodeEditor.jsx'));

export default function CodeView({ api, toJson, selected, nodes, doc, updateNode, updateDoc, readOnly, codeLocked = false, onCompiled, onClose }) {
  const [tab, setTab] = useState(selected ? 'block' : 'playbook');
  const [source, setSource] = useState('');
  const [state, setState] = useState('idle');
  const [message, setMessage] = useState('');
  const [regionCount, setRegionCount] = useState(0);
  const byPy = useMemo(() => {
    const m = new Map();
    for (const n of nodes) m.set(pythonName(n.data.soar.data.functionName), n.id);
    return m;
  }, [nodes]);
  const byPyRef = useRef(byPy);
  byPyRef.current = byPy;

  const refresh = useCallback(async () => {
    if (tab === 'global') return;
    setState('loading');
    try {
      const block = tab === 'block' && selected ? selected : undefined;
      const res = await api.compile(toJson(), block);
      let text = res?.source || '';
      if (block) {
        // The endpoint may answer with the whole module: keep only this block's functions.
        const n = nodes.find((x) => x.id === block);
        text = (n && extractBlockSource(text, pythonName(n.data.soar.data.functionName))) || text;
      }
      setSource(text);
      setMessage('');
      setState('ready');
      onCompiled?.(res?.errors || []);
    } catch (e) {
      setMessage(e.message || 'compile failed');
      setState('error');
    }
  }, [api, toJson, tab, selected, onCompiled, nodes]);

  useEffect(() => { refresh(); }, [tab, selected]);

  const onRegionsChange = useCallback((regions) => {
    for (const r of regions) {
      if (r.global) { updateDoc((d) => (d.coa.data.globalCustomCode === r.text ? d : { ...d, coa: { ...d.coa, data: { ...d.coa.data, globalCustomCode: r.text } } }), 'global-code'); continue; }
      const id = byPyRef.current.get(r.fn);
      if (!id) continue;
      updateNode(id, (s) => (s.userCode === r.text || (s.userCode === undefined && r.text === '\n    # Write your custom code here...\n\n') ? s : { ...s, userCode: r.text }), `usercode-${r.fn}`);
    }
  }, [updateNode, updateDoc]);
  const regionFilter = useCallback((r) => r.global || byPyRef.current.has(r.fn), []);

  return (
    <section className="code-view" data-testid="code-view">
      <div className="code-view-head">
        <div className="tabs">
          <button type="button" className={tab === 'playbook' ? 'on' : ''} data-testid="code-tab-playbook" onClick={() => setTab('playbook')}>Playbook</button>
          <button type="button" className={tab === 'block' ? 'on' : ''} data-testid="code-tab-block" disabled={!selected} onClick={() => setTab('block')}>Selected block</button>
          <button type="button" className={tab === 'global' ? 'on' : ''} data-testid="code-tab-global" onClick={() => setTab('global')}>Global custom code</button>
        </div>
        <span className="muted small grow">{codeLocked ? <span data-testid="code-permission-note">read-only: writing code {NEEDS_EDIT_CODE}</span> : tab === 'global' ? 'coa.data.globalCustomCode' : (
          <>read-only except the highlighted Custom Code regions (<span data-testid="code-regions">{regionCount}</span> editable)</>
        )}</span>
        {tab !== 'global' && <button type="button" data-testid="code-refresh" onClick={refresh}>{state === 'loading' ? 'Compiling…' : 'Regenerate'}</button>}
        <button type="button" className="icon-btn" data-testid="code-close" onClick={onClose}>×</button>
      </div>
      {state === 'error' && <div className="banner err">{message}</div>}
      <div className="code-view-body">
        <Suspense fallback={<div className="muted small pad">loading editor…</div>}>
          {tab === 'global' ? (
            <CodeEditor testid="global-code-editor" value={doc?.coa?.data?.globalCustomCode ?? ''} readOnly={readOnly} minHeight={300}
              onChange={(v) => updateDoc((d) => ({ ...d, coa: { ...d.coa, data: { ...d.coa.data, globalCustomCode: v } } }), 'global-code')} />
          ) : (
            <CodeEditor testid="generated-code" value={source} regions={!readOnly} readOnly={readOnly} minHeight={300}
              regionFilter={regionFilter} onRegionsChange={onRegionsChange} onRegionsFound={setRegionCount} />
          )}
        </Suspense>
      </div>
    </section>
  );
}
