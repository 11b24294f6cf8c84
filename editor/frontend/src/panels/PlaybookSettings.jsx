// Panel shown when no block is selected: playbook description, notes, type, inputs, and the
// test container whose CEF fields feed datapath suggestions.
import { memo, useEffect, useState } from 'react';
import { Field, Section } from './common.jsx';

function setData(doc, key, value) {
  return { ...doc, coa: { ...doc.coa, data: { ...doc.coa.data, [key]: value } } };
}

function PlaybookSettings({ doc, meta, updateDoc, readOnly, api, container, onContainer }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState([]);
  useEffect(() => {
    const t = setTimeout(() => { api.containers(q).then((r) => setFound(r || []), () => setFound([])); }, 250);
    return () => clearTimeout(t);
  }, [q, api]);
  if (!doc) return null;
  const data = doc.coa?.data || {};
  const inputs = doc.coa?.input_spec || [];
  const setInputs = (list) => updateDoc((d) => ({ ...d, coa: { ...d.coa, input_spec: list.length ? list : d.coa.playbook_type === 'data' ? [] : null } }), 'inputs');
  return (
    <aside className="panel" data-testid="playbook-panel">
      <header className="panel-head">
        <span className="panel-icon" style={{ background: '#334' }}>▤</span>
        <div className="grow"><div className="panel-title">{meta?.name || 'Playbook'}</div><div className="muted small">{doc.coa?.playbook_type === 'data' ? 'input playbook' : 'automation playbook'} · SOAR {doc.coa?.version}</div></div>
      </header>
      <div className="panel-body">
        <Section title="Playbook">
          <Field label="Type">
            <select data-testid="playbook-type" value={doc.coa?.playbook_type || 'automation'} disabled={readOnly}
              onChange={(e) => updateDoc((d) => ({ ...d, coa: { ...d.coa, playbook_type: e.target.value } }))}>
              <option value="automation">automation</option><option value="data">input (data)</option>
            </select>
          </Field>
          <Field label="Description">
            <textarea data-testid="playbook-description" rows={3} value={data.description || ''} disabled={readOnly} onChange={(e) => updateDoc((d) => setData(d, 'description', e.target.value), 'pb-description')} />
          </Field>
          <Field label="Notes">
            <textarea data-testid="playbook-notes" rows={6} value={data.notes || ''} disabled={readOnly} onChange={(e) => updateDoc((d) => setData(d, 'notes', e.target.value), 'pb-notes')} />
          </Field>
        </Section>
        <Section title="Inputs" right={!readOnly && <button type="button" className="link-btn" data-testid="playbook-add-input" onClick={() => setInputs([...inputs, { contains: [], description: '', name: `input_${inputs.length + 1}` }])}>+ input</button>}>
          {!inputs.length && <p className="muted small">Input playbooks read their inputs as <code>playbook_input:&lt;name&gt;</code>.</p>}
          {inputs.map((inp, i) => (
            <div className="pb-row" key={i}>
              <input data-testid={`playbook-input-name-${i}`} value={inp.name} disabled={readOnly} onChange={(e) => setInputs(inputs.map((x, k) => (k === i ? { ...x, name: e.target.value.replace(/\W/g, '_') } : x)))} />
              <input data-testid={`playbook-input-contains-${i}`} placeholder="contains (comma sep.)" value={(inp.contains || []).join(', ')} disabled={readOnly}
                onChange={(e) => setInputs(inputs.map((x, k) => (k === i ? { ...x, contains: e.target.value.split(',').map((s) => s.trim()).filter(Boolean) } : x)))} />
              {!readOnly && <button type="button" className="icon-btn" data-testid={`playbook-input-remove-${i}`} onClick={() => setInputs(inputs.filter((_, k) => k !== i))}>×</button>}
            </div>
          ))}
        </Section>
        <Section title="Test container">
          <p className="muted small">Its artifact CEF fields are offered in datapath suggestions.</p>
          <input data-testid="container-search" placeholder="search containers" value={q} onChange={(e) => setQ(e.target.value)} />
          <select data-testid="container-select" value={container?.id ?? ''} onChange={(e) => onContainer(found.find((c) => String(c.id) === e.target.value) || null)}>
            <option value="">(none)</option>
            {container && !found.some((c) => c.id === container.id) ? <option value={container.id}>{container.name}</option> : null}
            {found.map((c) => <option key={c.id} value={c.id}>{c.id} · {c.name}{c.label ? ` (${c.label})` : ''}</option>)}
          </select>
        </Section>
      </div>
    </aside>
  );
}

export default memo(PlaybookSettings);
