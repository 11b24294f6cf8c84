import { describe, it, expect } from 'vitest';
import { addCondition, addElse, removeCondition, remapEdges, setComparison, addComparison, removeComparison, branchLabels } from './conditions.js';
import { defaultData } from './blocktypes.js';
import { toFlowEdge } from './soar.js';

describe('decision conditions', () => {
  it('starts with if + else', () => {
    const d = defaultData('decision', '3');
    expect(d.conditions.map((c) => c.type)).toEqual(['if', 'else']);
    expect(branchLabels(d)).toEqual(['if', 'else']);
  });

  it('inserts elif before else and moves the else edges', () => {
    const d = defaultData('decision', '3');
    const r = addCondition(d);
    expect(r.data.conditions.map((c) => [c.type, c.display, c.conditionIndex])).toEqual([['if', 'If', 0], ['elif', 'Else If', 1], ['else', 'Else', 2]]);
    expect(r.data.conditions[2].comparisons[0].conditionIndex).toBe(2);
    const edges = [toFlowEdge('3', '5', 'c0'), toFlowEdge('3', '6', 'c1'), toFlowEdge('2', '3', 'out')];
    const moved = remapEdges(edges, '3', r.remap);
    expect(moved.map((e) => e.sourceHandle)).toEqual(['c0', 'c2', 'out']);
  });

  it('removing a condition drops its edges and shifts later ones', () => {
    const d = addCondition(defaultData('decision', '3')).data;
    const r = removeCondition(d, 0);
    expect(r.data.conditions.map((c) => c.type)).toEqual(['if', 'else']);
    expect(r.data.conditions[0].display).toBe('If');
    const edges = [toFlowEdge('3', '5', 'c0'), toFlowEdge('3', '6', 'c1'), toFlowEdge('3', '7', 'c2')];
    expect(remapEdges(edges, '3', r.remap).map((e) => [e.target, e.sourceHandle])).toEqual([['6', 'c0'], ['7', 'c1']]);
  });

  it('adds else only once', () => {
    const d = { type: 'decision', conditions: [defaultData('decision', '1').conditions[0]] };
    const r = addElse(d);
    expect(r.data.conditions.map((c) => c.type)).toEqual(['if', 'else']);
    expect(addElse(r.data).data).toBe(r.data);
  });
});

describe('filter conditions and comparisons', () => {
  it('appends conditions in the filter shape', () => {
    const r = addCondition(defaultData('filter', '2'));
    expect(r.data.conditions[1]).toEqual({ comparisons: [{ conditionIndex: 1, op: '==', param: '', value: '' }], conditionIndex: 1, customName: '', logic: 'and' });
  });

  it('edits, adds and removes comparison rows', () => {
    let d = defaultData('filter', '2');
    d = setComparison(d, 0, 0, 'param', 'artifact:*.cef.sourceAddress');
    d = addComparison(d, 0);
    d = setComparison(d, 0, 1, 'op', 'in');
    expect(d.conditions[0].comparisons).toEqual([
      { conditionIndex: 0, op: '==', param: 'artifact:*.cef.sourceAddress', value: '' },
      { conditionIndex: 0, op: 'in', param: '', value: '' },
    ]);
    d = removeComparison(d, 0, 0);
    expect(d.conditions[0].comparisons).toHaveLength(1);
    expect(removeComparison(d, 0, 0).conditions[0].comparisons).toHaveLength(1);
  });
});
