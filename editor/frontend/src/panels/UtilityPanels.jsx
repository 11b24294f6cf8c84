// Utility (SOAR API), custom function and child playbook panels.
import { useContext } from 'react';
import { EditorContext } from '../context.js';
import { UTILITY_APIS, choicesOf } from '../model/utilities.js';
import { selectUtility, selectCustomFunction, setUtilityValue, utilityName, selectPlaybook, setPlaybookInput, setPlaybookDedup } from '../model/fields.js';
import { Field, Section, DatapathList } from './common.jsx';
import DatapathInput from '../components/DatapathInput.jsx';

function UtilityFields({ data, setData, readOnly, prefix }) {
  const name = utilityName(data);
  const def = data.utilities?.[name];
  const values = data.values?.[name] || {};
  if (!def) return null;
  return (def.fields || []).filter((f) => !f.hidden).map((f) => {
    const v = values[f.name];
    const hint = [f.inputType === 'list' ? 'list' : null, ...(f.dataTypes || [])].filter(Boolean).join(' · ');
    const tid = `${prefix}-${f.name}`;
    let control;
    if (f.renderType === 'dropdown') {
      const ch = choicesOf(f);
      control = (
        <select data-testid={tid} value={v ?? ''} disabled={readOnly} onChange={(e) => setData((d) => setUtilityValue(d, f.name, e.target.value))}>
          <option value="">{f.placeholder || '(choose)'}</option>
          {[...new Set([...ch, ...(v ? [v] : [])])].map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      );
    } else if (f.inputType === 'list') {
      control = <DatapathList items={Array.isArray(v) ? v : v ? [v] : []} testid={tid} readOnly={readOnly} onChange={(list) => setData((d) => setUtilityValue(d, f.name, list), tid)} />;
    } else if (f.renderType === 'input') {
      control = <input data-testid={tid} value={v ?? ''} placeholder={f.placeholder} disabled={readOnly} onChange={(e) => setData((d) => setUtilityValue(d, f.name, e.target.value), tid)} />;
    } else {
      control = <DatapathInput testid={tid} value={v} placeholder={f.placeholder} contains={f.dataTypes} onChange={(nv) => setData((d) => setUtilityValue(d, f.name, nv === '' && f.inputType === 'item' && data.utilityType === 'custom_function' ? null : nv), tid)} />;
    }
    return <Field key={f.name} label={f.label || f.name} hint={hint || (f.description || '').slice(0, 80)} required={f.required}>{control}</Field>;
  });
}

export function UtilityPanel({ data, setData, readOnly }) {
  const name = utilityName(data);
  const known = UTILITY_APIS.some((u) => u.name === name);
  return (
    <Section title="Utility">
      <Field label="Utility">
        <select data-testid="utility-select" value={name} disabled={readOnly}
          onChange={(e) => setData((d) => selectUtility(d, UTILITY_APIS.find((u) => u.name === e.target.value)))}>
          <option value="">— choose a utility —</option>
          {!known && name ? <option value={name}>{data.utilities[name].label || name}</option> : null}
          {UTILITY_APIS.map((u) => <option key={u.name} value={u.name}>{u.label}</option>)}
        </select>
      </Field>
      <UtilityFields data={data} setData={setData} readOnly={readOnly} prefix="utility-field" />
    </Section>
  );
}

export function CustomFunctionPanel({ data, setData, readOnly }) {
  const { customFunctions } = useContext(EditorContext);
  const name = data.customFunction?.name || utilityName(data);
  const known = (customFunctions || []).some((c) => c.name === name);
  const cf = (customFunctions || []).find((c) => c.name === name);
  return (
    <Section title="Custom function">
      <Field label="Function">
        <select data-testid="cf-select" value={name} disabled={readOnly}
          onChange={(e) => setData((d) => selectCustomFunction(d, (customFunctions || []).find((c) => c.name === e.target.value)))}>
          <option value="">— choose a custom function —</option>
          {!known && name ? <option value={name}>{name}</option> : null}
          {(customFunctions || []).map((c) => <option key={c.id ?? c.name} value={c.name}>{c.name}</option>)}
        </select>
      </Field>
      {cf?.description ? <p className="muted small">{cf.description}</p> : null}
      <UtilityFields data={data} setData={setData} readOnly={readOnly} prefix="cf-input" />
      {cf?.outputs?.length ? <p className="muted small">Outputs: {cf.outputs.map((o) => o.data_path).join(', ')}</p> : null}
    </Section>
  );
}

export function PlaybookPanel({ data, setData, readOnly }) {
  const { playbooks } = useContext(EditorContext);
  const pb = (playbooks || []).find((p) => p.name === data.playbookName);
  const inputNames = pb ? (pb.input_spec || []).map((i) => i.name) : Object.keys(data.inputs || {});
  return (
    <Section title="Child playbook">
      <Field label="Playbook">
        <select data-testid="playbook-select" value={data.playbookName || ''} disabled={readOnly}
          onChange={(e) => setData((d) => selectPlaybook(d, (playbooks || []).find((p) => p.name === e.target.value)))}>
          <option value="">— choose a playbook —</option>
          {!pb && data.playbookName ? <option value={data.playbookName}>{data.playbookName}</option> : null}
          {(playbooks || []).map((p) => <option key={p.id ?? p.name} value={p.name}>{p.name} ({p.playbook_type === 'data' ? 'input' : p.playbook_type})</option>)}
        </select>
      </Field>
      <Field label="Run">
        <select data-testid="playbook-sync" value={data.synchronous === false ? 'async' : 'sync'} disabled={readOnly}
          onChange={(e) => setData((d) => ({ ...d, synchronous: e.target.value === 'sync' }))}>
          <option value="sync">synchronously (wait for it)</option>
          <option value="async">asynchronously</option>
        </select>
      </Field>
      {data.playbookType === 'data' && inputNames.length ? <h5 className="sub-head">Inputs</h5> : null}
      {data.playbookType === 'data' && inputNames.map((name) => {
        const spec = pb?.input_spec?.find((i) => i.name === name);
        const cur = data.inputs?.[name] || { datapaths: [], deduplicate: false };
        return (
          <div className="cond" key={name}>
            <div className="cond-head"><strong>{name}</strong><span className="muted small">{(spec?.contains || []).join(', ')}</span>
              <label className="check small"><input type="checkbox" data-testid={`playbook-input-${name}-dedup`} checked={!!cur.deduplicate} disabled={readOnly}
                onChange={(e) => setData((d) => setPlaybookDedup(d, name, e.target.checked))} />dedupe</label>
            </div>
            <DatapathList items={cur.datapaths} testid={`playbook-input-${name}`} readOnly={readOnly}
              onChange={(list) => setData((d) => setPlaybookInput(d, name, list), `pbin-${name}`)} />
          </div>
        );
      })}
    </Section>
  );
}
