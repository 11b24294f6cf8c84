// Decision and filter conditions: rows of datapath / operator / value, and/or, add/remove.
// Adding or removing a condition re-indexes the block's conditional edges.
import { OPERATORS } from '../model/blocktypes.js';
import { addCondition, addElse, removeCondition, setComparison, addComparison, removeComparison, setConditionField, elseIndex } from '../model/conditions.js';
import { Section } from './common.jsx';
import DatapathInput from '../components/DatapathInput.jsx';

export default function ConditionsPanel({ data, setData, setDataRemap, readOnly }) {
  const isDecision = data.type === 'decision';
  const conds = data.conditions || [];
  return (
    <Section title={isDecision ? 'Decision' : 'Filter'}>
      {conds.map((c, ci) => {
        const isElse = c.type === 'else';
        const heading = isDecision ? (c.display || (isElse ? 'Else' : ci === 0 ? 'If' : 'Else If')) : `Condition ${ci + 1}`;
        return (
          <div className="cond" key={ci} data-testid={`cond-${ci}`}>
            <div className="cond-head">
              <span className="cond-tag">{ci + 1}</span>
              <strong>{heading}</strong>
              <input className="cond-name" data-testid={`cond-${ci}-name`} placeholder="label" value={c.customName || ''} disabled={readOnly}
                onChange={(e) => setData((d) => setConditionField(d, ci, 'customName', e.target.value), `cond-${ci}-name`)} />
              {!isElse && (
                <select data-testid={`cond-${ci}-logic`} value={c.logic || 'and'} disabled={readOnly} title="how rows combine"
                  onChange={(e) => setData((d) => setConditionField(d, ci, 'logic', e.target.value))}>
                  <option value="and">all (and)</option>
                  <option value="or">any (or)</option>
                </select>
              )}
              {!readOnly && conds.length > 1 && (
                <button type="button" className="icon-btn" data-testid={`cond-${ci}-remove`} title="remove condition (its edges are removed)"
                  onClick={() => setDataRemap((d) => removeCondition(d, ci))}>×</button>
              )}
            </div>
            {isElse ? <p className="muted small">Runs when no other condition matches.</p> : (c.comparisons || []).map((k, ki) => (
              <div className="cmp" key={ki}>
                <DatapathInput testid={`cond-${ci}-cmp-${ki}-param`} value={k.param} placeholder="datapath"
                  onChange={(v) => setData((d) => setComparison(d, ci, ki, 'param', v), `cond-${ci}-${ki}-param`)} />
                <select data-testid={`cond-${ci}-cmp-${ki}-op`} value={k.op} disabled={readOnly}
                  onChange={(e) => setData((d) => setComparison(d, ci, ki, 'op', e.target.value))}>
                  {[...new Set([...OPERATORS, k.op])].map((o) => <option key={o} value={o}>{o}</option>)}
                </select>
                <DatapathInput testid={`cond-${ci}-cmp-${ki}-value`} value={k.value} placeholder="value / datapath / custom_list:name"
                  onChange={(v) => setData((d) => setComparison(d, ci, ki, 'value', v), `cond-${ci}-${ki}-value`)} />
                {!readOnly && (c.comparisons || []).length > 1 && (
                  <button type="button" className="icon-btn" data-testid={`cond-${ci}-cmp-${ki}-remove`} title="remove row" onClick={() => setData((d) => removeComparison(d, ci, ki))}>×</button>
                )}
                {ki < c.comparisons.length - 1 ? <div className="cmp-join">{c.logic === 'or' ? 'OR' : 'AND'}</div> : null}
              </div>
            ))}
            {!isElse && !readOnly && <button type="button" className="link-btn" data-testid={`cond-${ci}-add-cmp`} onClick={() => setData((d) => addComparison(d, ci))}>+ row</button>}
          </div>
        );
      })}
      {!readOnly && (
        <div className="btn-row">
          <button type="button" data-testid="cond-add" onClick={() => setDataRemap((d) => addCondition(d))}>{isDecision ? '+ Else If' : '+ Condition'}</button>
          {isDecision && elseIndex(data) < 0 && <button type="button" data-testid="cond-add-else" onClick={() => setDataRemap((d) => addElse(d))}>+ Else</button>}
        </div>
      )}
      {isDecision ? null : (
        <p className="muted small">Downstream blocks read the matching items as <code>filtered-data:{data.functionName}:condition_N:…</code></p>
      )}
    </Section>
  );
}
