// Action / Mission Control: app → action → assets → parameters (from {api}/apps and {api}/assets).
import { useContext, useMemo } from 'react';
import { EditorContext } from '../context.js';
import { selectApp, selectAction, setAssets, setParameter, requiredNames } from '../model/fields.js';
import { Field, Section } from './common.jsx';
import DatapathInput from '../components/DatapathInput.jsx';
import { MISSION_CONTROL_APP, MISSION_CONTROL_ASSET } from '../model/missioncontrol.js';

export default function ActionPanel({ data, setData, readOnly }) {
  const ctx = useContext(EditorContext);
  const isMC = data.type === 'missionControl';
  const apps = isMC ? [MISSION_CONTROL_APP] : ctx.apps;
  const assets = isMC ? [MISSION_CONTROL_ASSET] : ctx.assets;
  const app = useMemo(() => (apps || []).find((a) => a.name === data.connector || a.appid === data.connectorId || String(a.id) === String(data.connectorId)), [apps, data.connector, data.connectorId]);
  const action = app?.actions?.find((a) => a.name === data.action);
  const appAssets = (assets || []).filter((a) => (app ? a.app_appid === app.appid || a.app_name === app.name : a.app_name === data.connector));
  const assetNames = new Set([...appAssets.map((a) => a.name), ...(data.connectorConfigs || [])]);
  const required = new Set(requiredNames(data));
  const params = action ? [...action.parameters].sort((a, b) => (a.order ?? 0) - (b.order ?? 0)) : Object.keys(data.parameters || {}).map((name) => ({ name, required: required.has(name) }));
  const appList = apps || [];

  return (
    <Section title="Action">
      <Field label="App">
        <select data-testid="action-app" disabled={readOnly} value={app ? app.name : data.connector || ''}
          onChange={(e) => setData((d) => selectApp(d, (apps || []).find((a) => a.name === e.target.value)))}>
          <option value="">— choose an app —</option>
          {!app && data.connector ? <option value={data.connector}>{data.connector} (not installed)</option> : null}
          {appList.map((a) => <option key={a.appid || a.id} value={a.name}>{a.name}</option>)}
        </select>
      </Field>
      <Field label="Action">
        <select data-testid="action-action" disabled={readOnly || (!app && !data.action)} value={data.action || ''}
          onChange={(e) => setData((d) => {
            const act = app?.actions?.find((a) => a.name === e.target.value);
            return act ? selectAction(d, act) : { ...d, action: e.target.value };
          })}>
          <option value="">— choose an action —</option>
          {!action && data.action ? <option value={data.action}>{data.action}</option> : null}
          {(app?.actions || []).filter((a) => a.type !== 'test' && a.type !== 'ingest').map((a) => <option key={a.name} value={a.name}>{a.name}</option>)}
        </select>
      </Field>
      {action?.description ? <p className="muted small">{action.description}</p> : null}
      <Field label="Assets">
        <div className="checks" data-testid="action-assets">
          {[...assetNames].map((name) => (
            <label key={name} className="check">
              <input type="checkbox" data-testid={`action-asset-${name}`} disabled={readOnly} checked={(data.connectorConfigs || []).includes(name)}
                onChange={(e) => setData((d) => setAssets(d, e.target.checked ? [...(d.connectorConfigs || []), name] : (d.connectorConfigs || []).filter((x) => x !== name)))} />
              {name}
            </label>
          ))}
          {!assetNames.size ? <span className="muted small">no assets configured for this app</span> : null}
        </div>
      </Field>
      {params.length ? <h5 className="sub-head">Parameters</h5> : null}
      {params.map((p) => {
        const v = data.parameters?.[p.name];
        const hint = [p.data_type, ...(p.contains || [])].filter(Boolean).join(' · ');
        const isReq = p.required || required.has(p.name);
        if (p.data_type === 'boolean') {
          return (
            <Field key={p.name} label={p.name} hint={hint} required={isReq}>
              <select data-testid={`action-param-${p.name}`} disabled={readOnly} value={v === true ? 'true' : v === false ? 'false' : typeof v === 'string' ? v : ''}
                onChange={(e) => setData((d) => setParameter(d, p.name, e.target.value === 'true' ? true : e.target.value === 'false' ? false : e.target.value), `param-${p.name}`)}>
                <option value="">(unset)</option><option value="true">true</option><option value="false">false</option>
                {typeof v === 'string' && v ? <option value={v}>{v}</option> : null}
              </select>
            </Field>
          );
        }
        if (p.value_list && p.value_list.length) {
          return (
            <Field key={p.name} label={p.name} hint={hint} required={isReq}>
              <select data-testid={`action-param-${p.name}`} disabled={readOnly} value={v ?? ''} onChange={(e) => setData((d) => setParameter(d, p.name, e.target.value), `param-${p.name}`)}>
                <option value="">(unset)</option>
                {p.value_list.map((x) => <option key={String(x)} value={x}>{String(x)}</option>)}
                {v && !p.value_list.includes(v) ? <option value={v}>{String(v)}</option> : null}
              </select>
            </Field>
          );
        }
        if (v !== undefined && typeof v === 'object') {
          return (
            <Field key={p.name} label={p.name} hint="structured value (kept as stored)" required={isReq}>
              <textarea data-testid={`action-param-${p.name}`} disabled readOnly value={JSON.stringify(v, null, 1)} rows={3} />
            </Field>
          );
        }
        return (
          <Field key={p.name} label={p.name} hint={hint} required={isReq}>
            <DatapathInput testid={`action-param-${p.name}`} value={v} contains={p.contains} placeholder={p.description ? p.description.slice(0, 60) : ''}
              onChange={(nv) => setData((d) => setParameter(d, p.name, typeof v === 'number' && /^-?\d+(\.\d+)?$/.test(nv) ? Number(nv) : nv), `param-${p.name}`)} />
          </Field>
        );
      })}
    </Section>
  );
}
