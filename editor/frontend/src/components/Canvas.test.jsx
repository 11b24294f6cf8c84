// @vitest-environment happy-dom
// A run's overlay is painted on the blocks without touching the editor's nodes.
import { describe, it, expect, afterEach } from 'vitest';
import { render, cleanup } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import Canvas from './Canvas.jsx';
import { toFlow, emptyPlaybook } from '../model/soar.js';

afterEach(cleanup);

function fakeEd() {
  const doc = emptyPlaybook();
  doc.coa.data.nodes[2] = { data: { functionName: 'code_1', type: 'code', advanced: { join: [] } }, errors: {}, id: '2', type: 'code', x: 0, y: 150 };
  const { nodes, edges } = toFlow(doc);
  const noop = () => {};
  return { doc, nodes, edges, onNodesChange: noop, onEdgesChange: noop, onNodeDragStart: noop, onNodeDragStop: noop, connect: noop, addBlock: noop };
}

const draw = (ed, run) => render(<ReactFlowProvider><div style={{ width: 800, height: 600 }}><Canvas ed={ed} readOnly onSelectionChange={() => {}} run={run} /></div></ReactFlowProvider>);

describe('canvas run overlay', () => {
  it('paints status, run count and error on blocks named in the overlay', () => {
    const ed = fakeEd();
    const before = JSON.stringify(ed.nodes);
    const { container } = draw(ed, { blocks: { code_1: { status: 'failed', count: 2, error: 'ValueError: x', seq: 7 }, on_start: { status: 'success', count: 1, error: '', seq: 2 } }, edges: {} });
    const block = container.querySelector('[data-testid=block-code_1]');
    expect(block.dataset.status).toBe('failed');
    expect(block.dataset.runCount).toBe('2');
    expect(block.dataset.runSeq).toBe('7');
    expect(container.querySelector('[data-testid=run-count-code_1]').textContent).toBe('×2');
    expect(container.querySelector('[data-testid=run-error-code_1]').textContent).toBe('ValueError: x');
    expect(container.querySelector('[data-testid=block-on_finish]').dataset.status).toBe('idle');
    expect(JSON.stringify(ed.nodes)).toBe(before); // the editor's state never sees the run
  });
  it('shows plain blocks without a run', () => {
    const { container } = draw(fakeEd(), null);
    const block = container.querySelector('[data-testid=block-code_1]');
    expect(block.dataset.status).toBe('idle');
    expect(block.dataset.runCount).toBe(undefined);
  });
});
