// One playbook block on the canvas. Memoised: React Flow re-renders it only when its own node
// object (data/selected/dragging) changes, never because another block was selected.
import { memo } from 'react';
import { Handle, Position } from '@xyflow/react';
import { blockDef, blockSubtitle as subtitle, isConditional } from '../model/blocktypes.js';
import { branchLabels } from '../model/conditions.js';
import { condHandle, IN_HANDLE, OUT_HANDLE } from '../model/soar.js';
import { NODE_W, TERMINAL_W } from '../model/geometry.js';

const STATUS_ICON = { pending: '…', running: '⟳', success: '✓', failed: '✗', skipped: '⤼', waiting: '⏸' };

function BlockNode({ data, selected }) {
  const soar = data.soar;
  const d = soar.data || {};
  const def = blockDef(d);
  const status = data.status || 'idle';
  const issues = data.issues;
  const terminal = d.type === 'start' || d.type === 'end';
  const testid = `block-${d.functionName}`;
  const errCount = issues ? issues.filter((i) => i.severity !== 'warning').length : 0;
  const warnCount = issues ? issues.length - errCount : 0;
  // Set by a run view (Canvas overlay): how often the block ran, its error, the event seq.
  const runAttrs = data.runCount === undefined ? {} : { 'data-run-count': data.runCount, 'data-run-seq': data.runSeq };
  const runTitle = data.runError ? `${status}: ${data.runError}` : status;

  if (terminal) {
    return (
      <div className={`pb-node pb-terminal status-${status}${selected ? ' selected' : ''}`} style={{ '--c': def.color, width: TERMINAL_W }}
        data-testid={testid} data-type={d.type} data-status={status} data-block-id={soar.id} {...runAttrs} title={data.runCount === undefined ? undefined : runTitle}>
        {d.type === 'end' && <Handle type="target" position={Position.Top} id={IN_HANDLE} />}
        <span className="pb-term-icon">{def.icon}</span>
        <span>{d.type === 'start' ? 'Start' : 'End'}</span>
        {errCount > 0 && <span className="pb-badge err" title={issues.map((i) => i.message).join('\n')}>{errCount}</span>}
        {d.type === 'start' && <Handle type="source" position={Position.Bottom} id={OUT_HANDLE} />}
      </div>
    );
  }

  const labels = isConditional(d.type) ? branchLabels(d) : null;
  const title = (d.advanced?.customName || '').trim() || d.functionName;
  return (
    <div className={`pb-node status-${status}${selected ? ' selected' : ''}${errCount ? ' has-errors' : ''}`} style={{ '--c': def.color, width: NODE_W }}
      data-testid={testid} data-type={d.type} data-utility-type={d.utilityType} data-status={status} data-block-id={soar.id} {...runAttrs}>
      <Handle type="target" position={Position.Top} id={IN_HANDLE} />
      <div className="pb-node-icon" aria-hidden>{def.icon}</div>
      <div className="pb-node-body">
        <div className="pb-node-title" title={title}>{title}</div>
        <div className="pb-node-sub" title={subtitle(d)}>{subtitle(d)}</div>
      </div>
      <div className="pb-node-flags">
        {d.advanced?.note ? <span className="pb-flag" title={d.advanced.note} data-testid={`note-flag-${d.functionName}`}>✎</span> : null}
        {d.loop?.enabled ? <span className="pb-flag" title="loop enabled">↻</span> : null}
        {soar.userCode || soar.customCode ? <span className="pb-flag" title="has custom code">{'{}'}</span> : null}
      </div>
      {errCount > 0 && <span className="pb-badge err" data-testid={`badge-${d.functionName}`} title={issues.map((i) => i.message).join('\n')}>{errCount}</span>}
      {!errCount && warnCount > 0 && <span className="pb-badge warn" data-testid={`badge-${d.functionName}`} title={issues.map((i) => i.message).join('\n')}>{warnCount}</span>}
      {status !== 'idle' ? <span className="pb-status-chip" title={runTitle}>{STATUS_ICON[status] || '•'}</span> : null}
      {data.runCount > 1 ? <span className="pb-run-count" data-testid={`run-count-${d.functionName}`} title={`ran ${data.runCount} times`}>×{data.runCount}</span> : null}
      {data.runError ? <div className="pb-run-error" data-testid={`run-error-${d.functionName}`} title={data.runError}>{data.runError}</div> : null}
      {labels ? (
        labels.map((label, i) => {
          const left = `${((i + 1) / (labels.length + 1)) * 100}%`;
          return (
            <div key={i}>
              <Handle type="source" position={Position.Bottom} id={condHandle(i)} style={{ left }} className="pb-cond-handle" title={`${i + 1}: ${label}`} />
              <div className="pb-cond-label" style={{ left }} title={label}>{label === 'else' ? 'else' : i + 1}</div>
            </div>
          );
        })
      ) : (
        <Handle type="source" position={Position.Bottom} id={OUT_HANDLE} />
      )}
    </div>
  );
}

export default memo(BlockNode);
