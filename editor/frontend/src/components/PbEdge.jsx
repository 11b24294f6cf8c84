// The canvas edge: React Flow's bezier, plus what a run says about it (taken or not, and a
// decision's or filter's evaluated condition as a label on its branch).
import { createContext, memo, useContext } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath } from '@xyflow/react';

const TAKEN = '#2e9e5b';

/**
 * Given by the canvas when the playbook can be edited: {insert(id, event)}. A selected edge
 * then shows a "+" at its middle that inserts a block into it (selected, not hovered: a "+"
 * appearing under the pointer would catch the click meant to select the edge).
 */
export const EdgeActions = createContext(null);

// Above the selected edge, which React Flow raises to z-index 1000 (elevateEdgesOnSelect).
const PLUS_STYLE = {
  position: 'absolute', zIndex: 1001, width: 22, height: 22, padding: 0, borderRadius: '50%', border: '1px solid #8793a6',
  background: '#fff', color: '#33415c', fontSize: 15, lineHeight: '19px', cursor: 'pointer', pointerEvents: 'all',
};

function PbEdge({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, style, markerEnd, data, selected }) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const actions = useContext(EdgeActions);
  const run = data?.run;
  const testid = run ? `edge-${run.from}-${run.to}` : undefined;
  // Inline stroke: a run's taken and skipped edges restyle the edge's own style.
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
      {actions && selected && !run?.label ? (
        <EdgeLabelRenderer>
          <button type="button" className="pb-edge-insert nodrag nopan" data-testid={`edge-insert-${id}`} title="Insert a block here"
            style={{ ...PLUS_STYLE, transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            onClick={(e) => { e.stopPropagation(); actions.insert(id, e); }}>+</button>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export default memo(PbEdge);
