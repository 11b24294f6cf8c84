// Format, prompt and code block panels.
import { lazy, Suspense } from 'react';
import { setListItem, placeholderCount, RESPONSE_TYPES, setResponse, addResponse, removeResponse, setApprover, approverText } from '../model/fields.js';
import { Field, Section, DatapathList } from './common.jsx';
import { codeReadOnly, NEEDS_EDIT_CODE } from '../model/permissions.js';

const CodeEditor = lazy(() => import('../components/CodeEditor.jsx'));

export function FormatPanel({ data, setData, readOnly }) {
  const need = placeholderCount(data.template);
  const params = data.parameters || [];
  return (
    <Section title="Format">
      <Field label="Template" hint="{0}, {1}… are replaced by the parameters; %% lines repeat per item">
        <textarea data-testid="format-template" rows={6} value={data.template || ''} disabled={readOnly} spellCheck={false}
          onChange={(e) => setData((d) => ({ ...d, template: e.target.value }), 'format-template')} />
      </Field>
      {need > params.length && !readOnly ? (
        <button type="button" className="link-btn warn" data-testid="format-fill-params"
          onClick={() => setData((d) => ({ ...d, parameters: [...(d.parameters || []), ...Array(need - (d.parameters || []).length).fill('')] }))}>
          template uses {need} placeholders: add {need - params.length} parameter(s)
        </button>
      ) : null}
      <h5 className="sub-head">Parameters</h5>
      <DatapathList items={params} testid="format-param" readOnly={readOnly} labelOf={(i) => `{${i}}`}
        onChange={(list) => setData((d) => ({ ...d, parameters: list }), 'format-params')} />
      <Field label="Drop empty values">
        <input type="checkbox" data-testid="format-drop-none" disabled={readOnly} checked={!!data.advanced?.drop_none}
          onChange={(e) => setData((d) => ({ ...d, advanced: { ...d.advanced, drop_none: e.target.checked } }))} />
      </Field>
    </Section>
  );
}

export function PromptPanel({ data, setData, readOnly }) {
  const approver = approverText(data.approver);
  return (
    <Section title="Prompt">
      <Field label="Approver" hint="user or role name; container_owner = the event owner" required>
        <input data-testid="prompt-approver" list="prompt-approvers" value={approver} disabled={readOnly}
          onChange={(e) => setData((d) => setApprover(d, e.target.value), 'prompt-approver')} />
        <datalist id="prompt-approvers"><option value="admin" /><option value="container_owner" /><option value="Incident Commander" /><option value="Analyst" /></datalist>
      </Field>
      <Field label="Message" hint="{0}… placeholders">
        <textarea data-testid="prompt-message" rows={4} value={data.message || ''} disabled={readOnly}
          onChange={(e) => setData((d) => ({ ...d, message: e.target.value }), 'prompt-message')} />
      </Field>
      <h5 className="sub-head">Message parameters</h5>
      <DatapathList items={data.parameters} testid="prompt-param" readOnly={readOnly} labelOf={(i) => `{${i}}`}
        onChange={(list) => setData((d) => ({ ...d, parameters: list }), 'prompt-params')} />
      <Field label="Response time (minutes)">
        <input type="number" min="1" data-testid="prompt-response-time" value={data.responseTime ?? 30} disabled={readOnly}
          onChange={(e) => setData((d) => ({ ...d, responseTime: Number(e.target.value) || 0 }), 'prompt-time')} />
      </Field>
      <h5 className="sub-head">Questions</h5>
      {(data.responses || []).map((r, i) => (
        <div className="cond" key={i}>
          <div className="cond-head">
            <span className="cond-tag">{i + 1}</span>
            <input className="grow" data-testid={`prompt-response-${i}-prompt`} placeholder="question" value={r.responsePrompt || ''} disabled={readOnly}
              onChange={(e) => setData((d) => setResponse(d, i, 'responsePrompt', e.target.value), `prompt-r${i}`)} />
            {!readOnly && <button type="button" className="icon-btn" data-testid={`prompt-response-${i}-remove`} onClick={() => setData((d) => removeResponse(d, i))}>×</button>}
          </div>
          <select data-testid={`prompt-response-${i}-type`} value={r.responseType} disabled={readOnly}
            onChange={(e) => setData((d) => setResponse(d, i, 'responseType', e.target.value))}>
            {RESPONSE_TYPES.map((t) => <option key={t} value={t}>{t === 'customList' ? 'list of choices' : t === 'message' ? 'free text' : t}</option>)}
          </select>
          {r.responseType === 'customList' && (
            <input data-testid={`prompt-response-${i}-options`} placeholder="choices, comma separated" value={(r.responseOptions || []).join(', ')} disabled={readOnly}
              onChange={(e) => setData((d) => setResponse(d, i, 'responseOptions', e.target.value.split(',').map((s) => s.trim()).filter((s, k, a) => s || k < a.length - 1)), `prompt-o${i}`)} />
          )}
        </div>
      ))}
      {!readOnly && <button type="button" className="link-btn" data-testid="prompt-add-response" onClick={() => setData((d) => addResponse(d))}>+ question</button>}
    </Section>
  );
}

export function CodePanel({ node, data, setData, update, readOnly }) {
  return (
    <Section title="Code">
      <h5 className="sub-head">Inputs</h5>
      <DatapathList items={data.inputParameters} testid="code-input" readOnly={readOnly} labelOf={(i) => `in ${i}`}
        onChange={(list) => setData((d) => ({ ...d, inputParameters: list }), 'code-inputs')} />
      <h5 className="sub-head">Output variables</h5>
      <DatapathList items={data.outputVariables} testid="code-output" readOnly={readOnly} plain
        onChange={(list) => setData((d) => ({ ...d, outputVariables: list.map((v) => v.replace(/\W/g, '_')) }), 'code-outputs')} />
      <h5 className="sub-head">Custom code</h5>
      {codeReadOnly() && !readOnly ? <p className="muted small" data-testid="code-permission-note">Read-only: writing code {NEEDS_EDIT_CODE}.</p> : null}
      <div data-testid="code-user-code" className="code-box">
        <Suspense fallback={<div className="muted small">loading editor…</div>}>
          <CodeEditor value={node.userCode ?? ''} readOnly={readOnly || codeReadOnly()} minHeight={180}
            onChange={(v) => update((s) => ({ ...s, userCode: v }), 'usercode')} />
        </Suspense>
      </div>
    </Section>
  );
}

export { setListItem };
