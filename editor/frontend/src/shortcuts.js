// Global keyboard shortcuts (see SHORTCUTS in Dialogs.jsx for the list shown by `?`).
import { useEffect, useRef } from 'react';

function typing(e) {
  const t = e.target;
  return t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable || t.closest?.('.cm-editor'));
}

export function useShortcuts(opts) {
  const ref = useRef(opts);
  ref.current = opts;
  useEffect(() => {
    let pasteHandled = false;
    const onPaste = (e) => {
      if (typing(e)) return;
      pasteHandled = true;
      ref.current.pasteFromText(e.clipboardData?.getData('text') || '');
    };
    const onKey = (e) => {
      const o = ref.current;
      const mod = e.ctrlKey || e.metaKey;
      const k = e.key.toLowerCase();
      if (mod && k === 's') { e.preventDefault(); o.save(); return; }
      if (e.key === 'Escape') { o.clearSelection(); return; }
      if (typing(e)) return;
      const ed = o.ed.current;
      if (mod && k === 'z' && !e.shiftKey) { e.preventDefault(); if (!o.readOnly) ed.undo(); }
      else if (mod && (k === 'y' || (k === 'z' && e.shiftKey))) { e.preventDefault(); if (!o.readOnly) ed.redo(); }
      else if (mod && k === 'c') { o.copy(); }
      else if (mod && k === 'v') {
        // Prefer the paste event (system clipboard, other tabs); fall back to localStorage.
        pasteHandled = false;
        setTimeout(() => { if (!pasteHandled) o.pasteFromText(''); }, 60);
      } else if (mod && k === 'a') { e.preventDefault(); ed.selectOnly(ed.nodes.map((n) => n.id)); }
      else if ((e.key === 'Delete' || e.key === 'Backspace') && !o.readOnly) { e.preventDefault(); ed.deleteSelection(); }
      else if (mod) { /* leave browser shortcuts alone */ }
      else if (e.key === '?') { o.setDialog((d) => (d === 'help' ? null : 'help')); }
      else if (k === 'l' && !o.readOnly) { ed.layout(); setTimeout(() => o.rf.fitView({ padding: 0.15, duration: 200 }), 30); }
      else if (k === 'f') { o.rf.fitView({ padding: 0.15, duration: 200 }); }
      else if (e.key === '+' || e.key === '=') { o.rf.zoomIn({ duration: 150 }); }
      else if (e.key === '-') { o.rf.zoomOut({ duration: 150 }); }
      else if (e.key === '/') { e.preventDefault(); o.focusSearch(); }
      else if (k === 'e') { o.setShowCode((v) => !v); }
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('paste', onPaste);
    return () => { window.removeEventListener('keydown', onKey); document.removeEventListener('paste', onPaste); };
  }, []);
}
