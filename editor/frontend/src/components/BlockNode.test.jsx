// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest';
import { render, cleanup } from '@testing-library/react';
import { ReactFlow, ReactFlowProvider } from '@xyflow/react';
import BlockNode from './BlockNode.jsx';
import { toFlow, emptyPlaybook } from '../model/soar.js';
import { defaultData } from '../model/blocktypes.js';
import { addCondition } from '../model/conditions.js';

afterEach(cleanup);

const nodeTypes = { block: BlockNode };

function graph() {
  const doc = emptyPlaybook();
  const dec = addCondition(defaultData('decision', '2')).data;
  doc.coa.data.nodes[2] = { data: { ...dec, functionName: 'decision_1', functionId: 1, advanced: { ...dec.advanced, note: 'n' } }, errors: {}, id: '2', type: 'decision', x: 0, y: 100 };
  const { nodes, edges } = toFlow(doc);
  return { nodes: nodes.map((n) => (n.id === '2' ? { ...n, data: { ...n.data, status: 'running', issues: [{ message: 'bad', severity: 'error' }] } } : n)), edges };
}

describe('block node', () => {
  it('exposes test ids, type, status, one handle per branch, badge and note flag', () => {
    const { nodes, edges } = graph();
    const { container } = render(
      <ReactFlowProvider><div style={{ width: 800, height: 600 }}><ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} /></div></ReactFlowProvider>,
    );
    const dec = container.querySelector('[data-testid=block-decision_1]');
    expect(dec.dataset.type).toBe('decision');
    expect(dec.dataset.status).toBe('running');
    expect(dec.querySelectorAll('.react-flow__handle.source')).toHaveLength(3);
    expect([...dec.querySelectorAll('.pb-cond-label')].map((e) => e.textContent)).toEqual(['1', '2', 'else']);
    expect(container.querySelector('[data-testid=badge-decision_1]').textContent).toBe('1');
    expect(container.querySelector('[data-testid=note-flag-decision_1]')).toBeTruthy();
    const start = container.querySelector('[data-testid=block-on_start]');
    expect(start.dataset.status).toBe('idle');
    expect(start.querySelectorAll('.react-flow__handle.target')).toHaveLength(0);
  });
});
