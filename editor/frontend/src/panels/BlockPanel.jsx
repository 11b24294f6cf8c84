// Right-hand panel for the selected block: name, notes, the type's own fields, join and loop.
import { memo, useCallback } from 'react';
import { blockDef, blockKey, supportsLoop } from '../model/blocktypes.js';
import { assignName } from '../model/naming.js';
import { setAdvanced, setJoinRequired, setLoop, DEFAULT_LOOP } from '../model/fields.js';
import { inDegree, nearestAsyncAncestors } from '../model/graph.js';
import { Field, Section, DatapathList } from './common.jsx';
import DatapathInput from '../components/DatapathInput.jsx';
import { OPERATORS } from '../model/blocktypes.js';
import ActionPanel from './ActionPanel.jsx';
import ConditionsPanel from './ConditionsPanel.jsx';
import { FormatPanel, PromptPanel, CodePanel } from './SimplePanels.jsx';
import { UtilityPanel, CustomFunctionPanel, PlaybookPanel } from './UtilityPanels.jsx';

function JoinSection({ node, data, nodes, edges, setData, readOnly }) {
  if (inDegree(node.id, edges) < 2) return null;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const waits = nearestAsyncAncestors(node.id, byId, edges);
  const notReq = new Set(data.advanced?.notRequiredJoins || []);
  const all = [...new Set([...waits, ...notReq])];
  return (
    <Section title="Join">
      <p className="muted small">This block runs after all required upstream blocks finish.</p>
      {all.length ? all.map((name) => (
        <label className="check" key={name}>
          <input type="checkbox" data-testid={`join-required-${name}`} disabled={readOnly} checked={!notReq.has(name)}
            onChange={(e) => setData((d) => setJoinRequired(d, name, e.target.checked))} />
          wait for <code>{name}</code>
        </label>
      )) : <p className="muted small">No asynchronous upstream blocks to wait for.</p>}
    </Section>
  );
}

function LoopSection({ data, setData, readOnly }) {
  if (!supportsLoop(data)) return null;
  const loop = { ...DEFAULT_LOOP, ...(data.loop || {}) };
  const set = (f, v) => setData((d) => setLoop(d, f, v), `loop-${f}`);
  return (
    <Section title="Loop" right={
      <label className="check small"><input type="checkbox" data-testid="loop-enabled" disabled={readOnly} checked={!!loop.enabled} onChange={(e) => set('enabled', e.target.checked)} />enabled</label>}>
      {loop.enabled ? (
        <div className="grid2">
          <Field label="Max iterations"><input type="number" min="1" data-testid="loop-max-iterations" disabled={readOnly} value={loop.exitLoopAfter} onChange={(e) => set('exitLoopAfter', Number(e.target.value))} /></Field>
          <Field label="Stop after (min)"><input type="number" min="1" data-testid="loop-exit-after" disabled={readOnly} value={loop.exitAfterValue} onChange={(e) => set('exitAfterValue', Number(e.target.value))} /></Field>
          <Field label="Pause between (min)"><input type="number" min="0" data-testid="loop-pause" disabled={readOnly} value={loop.pauseValue} onChange={(e) => set('pauseValue', Number(e.target.value))} /></Field>
          <Field label="Exit condition"><input type="checkbox" data-testid="loop-exit-condition" disabled={readOnly} checked={!!loop.exitConditionEnabled} onChange={(e) => set('exitConditionEnabled', e.target.checked)} /></Field>
        </div>
      ) : null}
      {loop.enabled && loop.exitConditionEnabled ? <LoopCondition loop={loop} set={set} readOnly={readOnly} /> : null}
    </Section>
  );
}

/** Loop exit condition: one decision-shaped condition (§2.10). */
function LoopCondition({ loop, set, readOnly }) {
  const cond = (loop.conditions && loop.conditions[0]) || { comparisons: [{ conditionIndex: 0, op: '==', param: '', value: '' }], conditionIndex: 0, customName: 'exit', display: 'If', logic: 'and', type: 'if' };
  const write = (next) => set('conditions', [next, ...(loop.conditions || []).slice(1)]);
  const setCmp = (k, field, v) => write({ ...cond, comparisons: cond.comparisons.map((c, j) => (j === k ? { ...c, [field]: v } : c)) });
  return (
    <div className="cond" data-testid="loop-condition">
      <div className="cond-head"><strong>Stop when</strong>
        <select data-testid="loop-cond-logic" value={cond.logic || 'and'} disabled={readOnly} onChange={(e) => write({ ...cond, logic: e.target.value })}>
          <option value="and">all (and)</option><option value="or">any (or)</option>
        </select>
      </div>
      {cond.comparisons.map((k, ki) => (
        <div className="cmp" key={ki}>
          <DatapathInput testid={`loop-cmp-${ki}-param`} value={k.param} onChange={(v) => setCmp(ki, 'param', v)} />
          <select data-testid={`loop-cmp-${ki}-op`} value={k.op} disabled={readOnly} onChange={(e) => setCmp(ki, 'op', e.target.value)}>
            {[...new Set([...OPERATORS, k.op])].map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
          <DatapathInput testid={`loop-cmp-${ki}-value`} value={k.value} onChange={(v) => setCmp(ki, 'value', v)} />
          {!readOnly && cond.comparisons.length > 1 && <button type="button" className="icon-btn" data-testid={`loop-cmp-${ki}-remove`} onClick={() => write({ ...cond, comparisons: cond.comparisons.filter((_, j) => j !== ki) })}>×</button>}
        </div>
      ))}
      {!readOnly && <button type="button" className="link-btn" data-testid="loop-cmp-add" onClick={() => write({ ...cond, comparisons: [...cond.comparisons, { conditionIndex: 0, op: '==', param: '', value: '' }] })}>+ row</button>}
    </div>
  );
}

/** Playbook outputs (coa.output_spec), edited on the end block as in SOAR. */
function OutputsSection({ doc, updateDoc, readOnly }) {
  const outputs = doc?.coa?.output_spec || [];
  const write = (list) => updateDoc((d) => ({ ...d, coa: { ...d.coa, output_spec: list.length ? list : null } }), 'outputs');
  const setOut = (i, field, v) => write(outputs.map((o, k) => (k === i ? { ...o, [field]: v } : o)));
  return (
    <Section title="Playbook outputs" right={!readOnly && <button type="button" className="link-btn" data-testid="output-add"
      onClick={() => write([...outputs, { contains: [], datapaths: [], deduplicate: false, description: '', metadata: {}, name: `output_${outputs.length + 1}` }])}>+ output</button>}>
      {!outputs.length && <p className="muted small">Callers read outputs as <code>&lt;block&gt;:playbook_output:&lt;name&gt;</code>.</p>}
      {outputs.map((o, i) => (
        <div className="cond" key={i}>
          <div className="cond-head">
            <input className="grow" data-testid={`output-${i}-name`} value={o.name || ''} disabled={readOnly} onChange={(e) => setOut(i, 'name', e.target.value.replace(/\W/g, '_'))} />
            {!readOnly && <button type="button" className="icon-btn" data-testid={`output-${i}-remove`} onClick={() => write(outputs.filter((_, k) => k !== i))}>×</button>}
          </div>
          <DatapathList items={o.datapaths} testid={`output-${i}-datapath`} readOnly={readOnly} onChange={(list) => setOut(i, 'datapaths', list)} />
          <input data-testid={`output-${i}-description`} placeholder="description" value={o.description || ''} disabled={readOnly} onChange={(e) => setOut(i, 'description', e.target.value)} />
        </div>
      ))}
    </Section>
  );
}

function BlockPanel({ node, nodes, edges, updateNode, doc, updateDoc, readOnly, onClose }) {
  const soar = node.data.soar;
  const data = soar.data;
  const def = blockDef(data);
  const key = blockKey(data);
  const id = node.id;
  const update = useCallback((fn, k) => updateNode(id, fn, k ? `${id}:${k}` : null), [id, updateNode]);
  // setData: data → data; re-derives the default name when the naming inputs change.
  const setData = useCallback((fn, k) => update((s) => {
    let d = fn(s.data);
    if (d === s.data) return s;
    const named = !(d.advanced?.customName || '').trim();
    const nameInputsChanged = d.action !== s.data.action || d.playbookName !== s.data.playbookName || d.customFunction?.name !== s.data.customFunction?.name || JSON.stringify(Object.keys(d.utilities || {})) !== JSON.stringify(Object.keys(s.data.utilities || {}));
    if (named && nameInputsChanged && d.type !== 'start' && d.type !== 'end') d = assignName(d, nodes.map((n) => n.data.soar));
    return { ...s, data: d };
  }, k), [update, nodes]);
  const setDataRemap = useCallback((fn) => update((s) => { const r = fn(s.data); return { soar: { ...s, data: r.data }, remap: r.remap }; }), [update]);
  const rename = (value) => update((s) => {
    const d = { ...s.data, advanced: { ...s.data.advanced, customName: value, customNameId: s.data.advanced?.customNameId ?? 0 } };
    return { ...s, data: assignName(d, nodes.map((n) => n.data.soar), { keepFunctionId: true }) };
  }, 'customName');
  const terminal = data.type === 'start' || data.type === 'end';
  const props = { node: soar, data, setData, setDataRemap, update, readOnly };

  return (
    <aside className="panel" data-testid="block-panel" data-block-id={id} style={{ '--c': def.color }}>
      <header className="panel-head">
        <span className="panel-icon">{def.icon}</span>
        <div className="grow">
          <div className="panel-title">{data.advanced?.customName || data.functionName}</div>
          <div className="muted small">{def.label} · <code data-testid="panel-function-name">{data.functionName}</code> · id {id}</div>
        </div>
        <button type="button" className="icon-btn" data-testid="panel-close" onClick={onClose} title="close (Esc)">×</button>
      </header>
      <div className="panel-body">
        {!terminal && (
          <Section title="General">
            <Field label="Name" hint="blank = default name">
              <input data-testid="panel-custom-name" value={data.advanced?.customName || ''} placeholder={data.functionName} disabled={readOnly} onChange={(e) => rename(e.target.value)} />
            </Field>
            <Field label="Description">
              <textarea data-testid="panel-description" rows={2} value={data.advanced?.description || ''} disabled={readOnly}
                onChange={(e) => setData((d) => setAdvanced(d, 'description', e.target.value), 'description')} />
            </Field>
          </Section>
        )}
        {(key === 'action' || key === 'missionControl') && <ActionPanel {...props} />}
        {(key === 'decision' || key === 'filter') && <ConditionsPanel {...props} />}
        {key === 'format' && <FormatPanel {...props} />}
        {key === 'prompt' && <PromptPanel {...props} />}
        {key === 'code' && <CodePanel {...props} />}
        {key === 'utility' && <UtilityPanel {...props} />}
        {key === 'custom_function' && <CustomFunctionPanel {...props} />}
        {key === 'playbook' && <PlaybookPanel {...props} />}
        {data.type === 'end' && updateDoc && <OutputsSection doc={doc} updateDoc={updateDoc} readOnly={readOnly} />}
        {terminal && <p className="muted small pad">{data.type === 'start' ? 'The playbook starts here. Connect it to the first blocks.' : 'Runs when every branch has finished (on_finish). Edit its custom code in the code view.'}</p>}
        <JoinSection node={node} data={data} nodes={nodes} edges={edges} setData={setData} readOnly={readOnly} />
        <LoopSection data={data} setData={setData} readOnly={readOnly} />
        {!terminal && (
          <Section title="Note">
            <textarea data-testid="panel-note" rows={3} placeholder="Note shown on the block" value={data.advanced?.note || ''} disabled={readOnly}
              onChange={(e) => setData((d) => setAdvanced(d, 'note', e.target.value), 'note')} />
          </Section>
        )}
      </div>
    </aside>
  );
}

export default memo(BlockPanel);
