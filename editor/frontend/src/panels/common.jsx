// Small shared panel controls. Every control takes a `testid`.
import DatapathInput from '../components/DatapathInput.jsx';

export function Field({ label, hint, required, children }) {
  return (
    <label className="pf">
      <span className="pf-label">{label}{required ? <span className="req" title="required">*</span> : null}{hint ? <span className="pf-hint">{hint}</span> : null}</span>
      {children}
    </label>
  );
}

export function Section({ title, children, right }) {
  return (
    <section className="ps">
      <div className="ps-head"><h4>{title}</h4>{right}</div>
      {children}
    </section>
  );
}

/** Editable list of datapaths (format/prompt parameters, code inputs, playbook inputs). */
export function DatapathList({ items, onChange, testid, labelOf, addLabel = '+ add', readOnly, plain }) {
  const list = items || [];
  return (
    <div className="dp-list-edit">
      {list.map((v, i) => (
        <div className="pb-row" key={i}>
          {labelOf ? <span className="row-label">{labelOf(i)}</span> : null}
          {plain ? (
            <input data-testid={`${testid}-${i}`} value={v ?? ''} disabled={readOnly} onChange={(e) => onChange(list.map((x, k) => (k === i ? e.target.value : x)))} />
          ) : (
            <DatapathInput testid={`${testid}-${i}`} value={v} onChange={(nv) => onChange(list.map((x, k) => (k === i ? nv : x)))} />
          )}
          {!readOnly && <button type="button" className="icon-btn" data-testid={`${testid}-remove-${i}`} title="remove" onClick={() => onChange(list.filter((_, k) => k !== i))}>×</button>}
        </div>
      ))}
      {!readOnly && <button type="button" className="link-btn" data-testid={`${testid}-add`} onClick={() => onChange([...list, ''])}>{addLabel}</button>}
    </div>
  );
}
