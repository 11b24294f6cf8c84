// Text input with datapath autocomplete. Suggestions come from EditorContext (computed once
// per selected block); typing filters them, Enter/Tab accepts, arrows move.
import { useContext, useMemo, useRef, useState } from 'react';
import { EditorContext } from '../context.js';
import { filterSuggestions } from '../model/datapaths.js';

export default function DatapathInput({ value, onChange, testid, placeholder, contains, disabled }) {
  const { suggestions, readOnly } = useContext(EditorContext);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const ref = useRef(null);
  const text = value == null ? '' : String(value);
  const list = useMemo(() => {
    if (!open) return [];
    let l = filterSuggestions(suggestions || [], text, 80);
    if (contains && contains.length) {
      // Datapaths whose `contains` matches the parameter's hint first.
      const hit = (s) => (s.contains || []).some((c) => contains.includes(c));
      l = [...l.filter(hit), ...l.filter((s) => !hit(s))];
    }
    return l;
  }, [open, suggestions, text, contains]);

  const accept = (s) => { onChange(s.value); setOpen(false); };
  return (
    <div className="dp-input">
      <input
        ref={ref}
        data-testid={testid}
        value={text}
        placeholder={placeholder || 'datapath or value'}
        disabled={disabled || readOnly}
        spellCheck={false}
        onChange={(e) => { onChange(e.target.value); setOpen(true); setActive(0); }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (!open || !list.length) return;
          if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => Math.min(a + 1, list.length - 1)); }
          else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(a - 1, 0)); }
          else if (e.key === 'Enter' || (e.key === 'Tab' && text)) { e.preventDefault(); accept(list[active]); }
          // Only the list closes: the window's Escape shortcut (which closes the panel) must
          // not see this key. With the list closed, Escape goes on to close the panel.
          else if (e.key === 'Escape') { e.stopPropagation(); setOpen(false); }
        }}
      />
      {open && list.length > 0 && (
        <ul className="dp-list" data-testid={`${testid}-suggestions`} role="listbox">
          {list.map((s, i) => [
            !text && (i === 0 || list[i - 1].group !== s.group) ? <li key={`g-${s.group}-${i}`} className="dp-group" role="presentation">{s.group}</li> : null,
            <li key={s.value} className={i === active ? 'active' : ''} role="option" aria-selected={i === active}
              onMouseDown={(e) => { e.preventDefault(); accept(s); }} onMouseEnter={() => setActive(i)}>
              <span className="dp-value">{s.value}</span>
              <span className="dp-meta">
                {s.group}
                {s.contains && s.contains.length ? ` · ${s.contains.join(', ')}` : ''}
                {s.example ? ` · e.g. ${s.example}` : ''}
              </span>
            </li>,
          ])}
        </ul>
      )}
    </div>
  );
}
