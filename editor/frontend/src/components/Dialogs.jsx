// Modal dialogs: save conflict, version history, keyboard help, playbook settings.
import { useEffect, useState } from 'react';

export function Modal({ title, onClose, children, testid, wide }) {
  return (
    <div className="modal-back" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose?.(); }}>
      <div className={`modal${wide ? ' wide' : ''}`} role="dialog" aria-label={title} data-testid={testid}>
        <header><h3>{title}</h3>{onClose && <button type="button" className="icon-btn" data-testid={`${testid}-close`} onClick={onClose}>×</button>}</header>
        <div className="modal-body">{children}</div>
      </div>
    </div>
  );
}

export function ConflictDialog({ conflict, myJson, onReload, onOverwrite, onClose }) {
  const [copied, setCopied] = useState('');
  const text = JSON.stringify(myJson, null, 4);
  const copy = async () => {
    try { await navigator.clipboard.writeText(text); setCopied('Copied to the clipboard.'); } catch { setCopied('Clipboard unavailable: the JSON is below and was downloaded.'); }
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    a.download = 'my-playbook.json';
    a.click();
  };
  return (
    <Modal title="Someone else saved this playbook" testid="conflict-dialog" onClose={onClose}>
      <p>Your copy is based on version <b>{conflict.base}</b>, but version <b>{conflict.current}</b> was saved meanwhile. {conflict.message}</p>
      <p className="muted small">Nothing is lost yet: your changes stay in the editor until you choose.</p>
      <div className="btn-row">
        <button type="button" data-testid="conflict-reload" onClick={onReload}>Reload theirs</button>
        <button type="button" className="danger" data-testid="conflict-overwrite" onClick={onOverwrite}>Overwrite with mine</button>
        <button type="button" data-testid="conflict-copy" onClick={copy}>Copy my JSON</button>
      </div>
      {copied && <><p className="small">{copied}</p><textarea readOnly rows={6} value={text} data-testid="conflict-json" /></>}
    </Modal>
  );
}

export function VersionsDialog({ api, current, onOpen, onRestore, onClose, readOnly }) {
  const [list, setList] = useState(null);
  const [err, setErr] = useState('');
  useEffect(() => { api.versions().then(setList, (e) => setErr(e.message)); }, [api]);
  return (
    <Modal title="Version history" testid="versions-dialog" onClose={onClose} wide>
      {err && <div className="banner err">{err}</div>}
      {!list && !err && <p className="muted">Loading…</p>}
      {list && (
        <table className="versions">
          <thead><tr><th>#</th><th>Saved</th><th>By</th><th>Message</th><th /></tr></thead>
          <tbody>
            {[...list].sort((a, b) => b.version - a.version).map((v) => (
              <tr key={v.version} data-testid={`version-${v.version}`} className={v.version === current ? 'current' : ''}>
                <td>{v.version}{v.version === current ? ' (current)' : ''}</td>
                <td>{v.created ? new Date(v.created).toLocaleString() : ''}</td>
                <td>{v.author || ''}</td>
                <td>{v.message || ''}</td>
                <td className="nowrap">
                  <button type="button" data-testid={`version-open-${v.version}`} onClick={() => onOpen(v.version)}>Open</button>
                  {!readOnly && v.version !== current && <button type="button" data-testid={`version-restore-${v.version}`} onClick={() => onRestore(v.version)}>Restore</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Modal>
  );
}

export const SHORTCUTS = [
  ['Ctrl/⌘ + S', 'Save'],
  ['Ctrl/⌘ + Z', 'Undo'],
  ['Ctrl/⌘ + Shift + Z, Ctrl + Y', 'Redo'],
  ['Ctrl/⌘ + C / V', 'Copy / paste blocks (also between playbooks)'],
  ['Ctrl/⌘ + A', 'Select all blocks'],
  ['Delete / Backspace', 'Delete selected blocks and edges'],
  ['Shift + drag', 'Box-select'],
  ['Ctrl/⌘ + click', 'Add to selection'],
  ['L', 'Auto-layout (top to bottom)'],
  ['F', 'Fit view'],
  ['+ / −', 'Zoom in / out'],
  ['/', 'Search blocks'],
  ['E', 'Toggle code view'],
  ['?', 'This help'],
  ['Esc', 'Close panel / dialog'],
];

export function HelpDialog({ onClose }) {
  return (
    <Modal title="Keyboard shortcuts" testid="help-overlay" onClose={onClose}>
      <table className="shortcuts"><tbody>
        {SHORTCUTS.map(([k, v]) => <tr key={k}><td><kbd>{k}</kbd></td><td>{v}</td></tr>)}
      </tbody></table>
      <p className="muted small">Drag from a block's bottom port onto empty canvas to add a connected block. Decision and filter blocks have one port per condition.</p>
    </Modal>
  );
}
