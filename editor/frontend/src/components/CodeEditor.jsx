// CodeMirror 6 Python editor, loaded lazily (import()) so the canvas bundle stays small.
// `regions` mode: everything is read-only except the ranges given by findRegions(), which
// follow edits; onRegionsChange receives [{fn, global, text}] after each change.
import { useEffect, useRef } from 'react';
import { EditorView, basicSetup } from 'codemirror';
import { EditorState, StateField, StateEffect } from '@codemirror/state';
import { Decoration } from '@codemirror/view';
import { python } from '@codemirror/lang-python';
import { findRegions } from '../model/regions.js';

const setRegions = StateEffect.define();

// Built on first use: defining it at module load ran before EditorView was initialised in the
// lazily loaded chunk ("reading 'decorations' of undefined").
let regionFieldCache = null;
function regionFieldOf() {
  if (regionFieldCache) return regionFieldCache;
  regionFieldCache = StateField.define({
  create: () => [],
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setRegions)) return e.value;
    if (!tr.docChanged) return value;
    return value.map((r) => ({ ...r, from: tr.changes.mapPos(r.from, -1), to: tr.changes.mapPos(r.to, 1) }));
  },
  provide: (f) => EditorView.decorations.from(f, (regions) => Decoration.set(
    regions.filter((r) => r.to > r.from).map((r) => Decoration.mark({ class: 'cm-user-region' }).range(r.from, r.to)), true)),
  });
  return regionFieldCache;
}

const onlyInRegions = () => EditorState.changeFilter.of((tr) => {
  const regions = tr.startState.field(regionFieldOf(), false);
  if (!regions) return true;
  let ok = true;
  tr.changes.iterChangedRanges((fromA, toA) => {
    if (!regions.some((r) => fromA >= r.from && toA <= r.to)) ok = false;
  });
  return ok;
});

export default function CodeEditor({ value, onChange, onRegionsChange, onRegionsFound, regionFilter, readOnly = false, regions = false, minHeight = 200, testid }) {
  const host = useRef(null);
  const view = useRef(null);
  const cb = useRef({});
  const external = useRef(false);
  cb.current = { onChange, onRegionsChange, onRegionsFound, regionFilter };
  const pick = (text) => {
    const found = findRegions(text || '').filter((r) => !cb.current.regionFilter || cb.current.regionFilter(r));
    cb.current.onRegionsFound?.(found.length);
    return found;
  };

  useEffect(() => {
    const extensions = [
      basicSetup,
      python(),
      EditorView.theme({ '&': { minHeight: `${minHeight}px`, fontSize: '12.5px' }, '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' } }),
      EditorView.updateListener.of((u) => {
        if (!u.docChanged || external.current) return;
        const text = u.state.doc.toString();
        cb.current.onChange?.(text);
        if (regions) {
          const rs = u.state.field(regionFieldOf());
          cb.current.onRegionsChange?.(rs.map((r) => ({ fn: r.fn, global: r.global, text: u.state.doc.sliceString(r.from, r.to) })));
        }
      }),
    ];
    if (readOnly) extensions.push(EditorState.readOnly.of(true), EditorView.editable.of(false));
    if (regions) extensions.push(regionFieldOf(), onlyInRegions());
    const v = new EditorView({ parent: host.current, state: EditorState.create({ doc: value || '', extensions }) });
    if (regions) v.dispatch({ effects: setRegions.of(pick(value)) });
    view.current = v;
    return () => v.destroy();
    // Recreated only when the mode changes; external value changes are handled below.
  }, [readOnly, regions]);

  useEffect(() => {
    const v = view.current;
    if (!v || v.state.doc.toString() === (value || '')) return;
    external.current = true;
    try {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value || '' }, filter: false });
      if (regions) v.dispatch({ effects: setRegions.of(pick(value)) });
    } finally {
      external.current = false;
    }
  }, [value]);

  return <div className="cm-host" ref={host} data-testid={testid} />;
}
