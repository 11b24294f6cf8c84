// Top bar: name and state, save/validate/activate, undo/redo, layout, code, history, export, search.
import { memo, useMemo, useState } from 'react';
import { searchBlocks } from '../model/search.js';

function Search({ nodes, onFocus }) {
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const results = useMemo(() => (open ? searchBlocks(nodes, q, 30) : []), [open, nodes, q]);
  return (
    <div className="search">
      <input data-testid="search-input" placeholder="Search blocks, types, datapaths  ( / )" value={q}
        onChange={(e) => { setQ(e.target.value); setOpen(true); }} onFocus={() => setOpen(true)} onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => { if (e.key === 'Enter' && results[0]) { onFocus(results[0].id); setOpen(false); } if (e.key === 'Escape') e.currentTarget.blur(); }} />
      {open && q && (
        <ul className="search-results" data-testid="search-results">
          {results.length ? results.map((r) => (
            <li key={r.id} data-testid={`search-result-${r.functionName}`} onMouseDown={(e) => { e.preventDefault(); onFocus(r.id); setOpen(false); }}>
              <b>{r.label}</b> <span className="muted small">{r.type}{r.where === 'data' ? ' · matches a field' : ''}</span>
            </li>
          )) : <li className="muted small">no match</li>}
        </ul>
      )}
    </div>
  );
}

function Toolbar({ meta, ed, readOnly, readOnlyProp, viewing, saveState, issues, onSave, onRun, running, onValidate, onToggleActive, onVersions, onHelp, onCode, onExport, onFocus, onLayout, onBackToCurrent, onIssues }) {
  const errs = issues.filter((i) => i.severity !== 'warning').length;
  const warns = issues.length - errs;
  const status = ed.dirty ? 'Unsaved changes' : saveState.message || (meta ? `v${meta.version}` : '');
  return (
    <header className="pb-toolbar">
      <div className="brand" title="Playbook Studio">▣</div>
      <div className="pb-name">
        <div className="name" data-testid="playbook-name">{meta?.name || '…'}</div>
        <div className="muted small">
          <span data-testid="playbook-version">v{meta?.version ?? '–'}</span>
          {' · '}<span className={`pill ${meta?.active ? 'on' : ''}`} data-testid="playbook-active">{meta?.active ? 'active' : 'inactive'}</span>
          {' · '}<span data-testid="save-status" className={ed.dirty ? 'dirty' : ''}>{status}</span>
        </div>
      </div>
      {viewing !== null && (
        <div className="viewing" data-testid="viewing-banner">Viewing version {viewing} (read-only) <button type="button" data-testid="back-to-current" onClick={onBackToCurrent}>Back to current</button></div>
      )}
      <div className="tb-group">
        <button type="button" data-testid="undo" disabled={readOnly || !ed.canUndo} onClick={ed.undo} title="Undo (Ctrl+Z)">↶</button>
        <button type="button" data-testid="redo" disabled={readOnly || !ed.canRedo} onClick={ed.redo} title="Redo (Ctrl+Shift+Z)">↷</button>
        <button type="button" data-testid="auto-layout" disabled={readOnly} onClick={onLayout} title="Auto-layout (L)">Layout</button>
      </div>
      <Search nodes={ed.nodes} onFocus={onFocus} />
      <div className="tb-group">
        <button type="button" data-testid="validate" onClick={onValidate} title="Compile and list problems">Validate</button>
        <button type="button" data-testid="validation-toggle" className={errs ? 'has-err' : warns ? 'has-warn' : ''} onClick={onIssues} title="Problems">
          {errs ? `✖ ${errs}` : '✓'}{warns ? ` ⚠ ${warns}` : ''}
        </button>
        <button type="button" data-testid="toggle-code" onClick={onCode} title="Code view (E)">Code</button>
        <button type="button" data-testid="versions" onClick={onVersions}>History</button>
        <div className="menu">
          <button type="button" data-testid="export-menu">Export ▾</button>
          <div className="menu-items">
            <button type="button" data-testid="export-png" onClick={() => onExport('png')}>Picture (PNG)</button>
            <button type="button" data-testid="export-svg" onClick={() => onExport('svg')}>Picture (SVG)</button>
            <button type="button" data-testid="export-json" onClick={() => onExport('json')}>Playbook JSON</button>
          </div>
        </div>
        <button type="button" data-testid="help" onClick={onHelp} title="Keyboard shortcuts (?)">?</button>
      </div>
      <div className="tb-group">
        {onRun && (
          <button type="button" className={`run-btn${running ? ' running' : ''}`} data-testid="run-button" disabled={viewing !== null} onClick={onRun} title="Run this playbook on a container">
            {running ? '● Running' : '▶ Run'}
          </button>
        )}
        {!readOnlyProp && (
          <button type="button" data-testid="toggle-active" className={meta?.active ? '' : 'ghost'} disabled={viewing !== null} onClick={onToggleActive}>
            {meta?.active ? 'Deactivate' : 'Activate'}
          </button>
        )}
        {!readOnlyProp && (
          <button type="button" className="primary" data-testid="save-playbook" disabled={readOnly || saveState.state === 'saving'} onClick={onSave} title="Save (Ctrl+S)">
            {saveState.state === 'saving' ? 'Saving…' : 'Save'}
          </button>
        )}
      </div>
    </header>
  );
}

export default memo(Toolbar);
