import { describe, it, expect } from 'vitest';
import { addAfter, addBlock, connect, deleteSelected, insertIntoEdge, moveBlocks } from './edits.js';
import { createHistory } from './history.js';
import { emptyPlaybook, toFlow, toSoar } from './soar.js';
import { setAdvanced } from './fields.js';

function start() {
  const doc = emptyPlaybook();
  return { doc, ...toFlow(doc) };
}

describe('graph edits', () => {
  it('adds a named, selected block with a fresh id and SOAR envelope', () => {
    const { nodes, edges } = start();
    const r = addBlock(nodes, edges, 'decision', { x: 10.4, y: 99.6 });
    expect(r.id).toBe('2');
    const n = r.nodes.find((x) => x.id === '2');
    expect(n.selected).toBe(true);
    expect(n.data.soar).toMatchObject({ id: '2', type: 'decision', x: 10, y: 100, errors: {}, warnings: {} });
    expect(n.data.soar.data.functionName).toBe('decision_1');
  });

  it('adds a block connected from a conditional branch', () => {
    const { nodes, edges } = start();
    const a = addBlock(nodes, edges, 'filter', { x: 0, y: 100 });
    const b = addBlock(a.nodes, a.edges, 'format', { x: 0, y: 200 }, { nodeId: a.id, handleId: 'c0' });
    const doc = toSoar(emptyPlaybook(), b.nodes, b.edges);
    expect(doc.coa.data.edges.at(-1)).toEqual({ id: 'port_2_to_port_3', sourceNode: '2', sourcePort: '2_out', targetNode: '3', targetPort: '3_in', conditions: [{ index: 0 }] });
  });

  it('refuses duplicate connections', () => {
    const { edges } = start();
    expect(connect(edges, { source: '0', target: '1', sourceHandle: 'out' })).toBe(null);
    expect(connect([], { source: '0', target: '1' })).toHaveLength(1);
  });

  it('deletes selected blocks with their edges, keeps start/end, cleans notRequiredJoins', () => {
    const { nodes, edges } = start();
    let g = addBlock(nodes, edges, 'action', { x: 0, y: 0 }, { nodeId: '0', handleId: 'out' });
    g = addBlock(g.nodes, g.edges, 'code', { x: 0, y: 0 }, { nodeId: g.id, handleId: 'out' });
    const codeId = g.id;
    g = { ...g, nodes: g.nodes.map((n) => (n.id === codeId ? { ...n, data: { ...n.data, soar: { ...n.data.soar, data: setAdvanced(n.data.soar.data, 'notRequiredJoins', ['action_1']) } } } : n)) };
    const sel = g.nodes.map((n) => ({ ...n, selected: n.id === '2' || n.id === '0' }));
    const r = deleteSelected(sel, g.edges);
    expect(r.nodes.map((n) => n.id).sort()).toEqual(['0', '1', '3']);
    expect(r.edges.map((e) => e.id)).toEqual(['port_0_to_port_1']);
    expect(r.nodes.find((n) => n.id === codeId).data.soar.data.advanced.notRequiredJoins).toEqual([]);
    expect(deleteSelected(r.nodes.map((n) => ({ ...n, selected: false })), r.edges)).toBe(null);
  });

  it('deletes a selected edge alone', () => {
    const { nodes, edges } = start();
    const r = deleteSelected(nodes, edges.map((e) => ({ ...e, selected: true })));
    expect(r.edges).toEqual([]);
    expect(r.nodes).toHaveLength(2);
  });
});

describe('splicing a block into the flow', () => {
  const pairs = (nodes, edges) => toSoar(emptyPlaybook(), nodes, edges).coa.data.edges.map((e) => [e.sourceNode, e.targetNode, e.conditions?.[0]?.index ?? null]);

  it('inserts a block into the start → end edge of a new playbook: start → new → end', () => {
    const { nodes, edges } = start();
    const r = insertIntoEdge(nodes, edges, 'port_0_to_port_1', 'code', { x: 190, y: 200 });
    expect(r.id).toBe('2');
    expect(pairs(r.nodes, r.edges)).toEqual([['0', '2', null], ['2', '1', null]]);
    expect(r.nodes.find((n) => n.id === '2').selected).toBe(true);
  });

  it('keeps the branch of a decision edge it is inserted into, and leaves a new decision by its first branch', () => {
    const { nodes, edges } = start();
    let g = addBlock(nodes, [], 'decision', { x: 0, y: 100 }, { nodeId: '0', handleId: 'out' });
    g = { ...g, edges: [...g.edges, ...connect([], { source: g.id, target: '1', sourceHandle: 'c1' })] };
    const r = insertIntoEdge(g.nodes, g.edges, 'port_2_to_port_1', 'filter', { x: 0, y: 250 });
    expect(pairs(r.nodes, r.edges)).toEqual([['0', '2', null], ['2', '3', 1], ['3', '1', 0]]);
  });

  it('refuses an edge that does not exist', () => {
    const { nodes, edges } = start();
    expect(insertIntoEdge(nodes, edges, 'port_5_to_port_6', 'code', { x: 0, y: 0 })).toBe(null);
  });

  it('adds a block after a selected block, taking over its outgoing edges', () => {
    const { nodes, edges } = start();
    const r = addAfter(nodes, edges, 'action', { x: 190, y: 130 }, '0');
    expect(pairs(r.nodes, r.edges)).toEqual([['0', '2', null], ['2', '1', null]]);
    // Twice: the second goes between the start and the first.
    const r2 = addAfter(r.nodes, r.edges, 'code', { x: 190, y: 130 }, '0');
    expect(pairs(r2.nodes, r2.edges)).toEqual([['2', '1', null], ['0', '3', null], ['3', '2', null]]);
  });

  it('adds after a block with no outgoing edge by connecting it', () => {
    const { nodes } = start();
    const r = addAfter(nodes, [], 'code', { x: 0, y: 130 }, '0');
    expect(pairs(r.nodes, r.edges)).toEqual([['0', '2', null]]);
  });
});

describe('undo/redo over real edits', () => {
  it('undoes add, connect, move, edit-field and delete in reverse order, then redoes them', () => {
    const h = createHistory();
    let s = start();
    const states = [s];
    const apply = (next) => { h.push(s); s = { ...s, ...next }; states.push(s); };
    const a = addBlock(s.nodes, s.edges, 'format', { x: 0, y: 100 });
    apply({ nodes: a.nodes, edges: a.edges });
    apply({ edges: connect(s.edges, { source: '0', target: a.id }) });
    apply({ nodes: moveBlocks(s.nodes, new Map([[a.id, { x: 50, y: 150 }]])) });
    apply({ nodes: s.nodes.map((n) => (n.id === a.id ? { ...n, data: { ...n.data, soar: { ...n.data.soar, data: { ...n.data.soar.data, template: 'hi {0}' } } } } : n)) });
    apply(deleteSelected(s.nodes.map((n) => ({ ...n, selected: n.id === a.id })), s.edges));
    for (let i = states.length - 2; i >= 0; i -= 1) {
      s = h.undo(s);
      expect(s).toBe(states[i]);
    }
    expect(h.undo(s)).toBe(null);
    for (let i = 1; i < states.length; i += 1) {
      s = h.redo(s);
      expect(s).toBe(states[i]);
    }
  });
});
