// The canvas edge: React Flow's bezier, plus what a run says about it (taken or not, and a
// decision's or filter's evaluated condition as a label on its branch).
import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath } from '@xyflow/react';

const TAKEN = '#2e9e5b';

function PbEdge({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, style, markerEnd, data }) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const run = data?.run;
  const testid = run ? `edge-${run.from}-${run.to}` : undefined;
  // Inline stroke (not a class): picture export copies inline styles only.
  const edgeStyle = run?.taken ? { ...style, stroke: TAKEN, strokeWidth: 3 } : run ? { ...style, strokeDasharray: '5 4', opacity: 0.7 } : style;
  return (
    <>
      <BaseEdge id={id} path={path} style={edgeStyle} markerEnd={markerEnd} data-testid={testid} data-taken={run ? String(!!run.taken) : undefined}
        className={run ? (run.taken ? 'run-taken' : 'run-idle') : undefined} />
      {run?.label ? (
        <EdgeLabelRenderer>
          <div className={`pb-edge-label nopan${run.matched === true ? ' yes' : run.matched === false ? ' no' : ''}`} data-testid={`edge-label-${run.from}-${run.to}`}
            data-matched={run.matched === null ? undefined : String(run.matched)} title={run.detail || run.label}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
            {run.matched === true ? '✓ ' : run.matched === false ? '✗ ' : ''}{run.label}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export default memo(PbEdge);
