import { describe, it, expect } from 'vitest';
import { copyBlocks, pasteBlocks, parseClip } from './clipboard.js';
import { toFlow, toSoar } from './soar.js';

const doc = {
  coa: { data: { nodes: {
    0: { id: '0', type: 'start', x: 0, y: 0, errors: {}, data: { id: '0', type: 'start', functionName: 'on_start', advanced: { join: [] } } },
    2: { id: '2', type: 'format', x: 10, y: 100, errors: {}, data: { id: '2', type: 'format', functionName: 'format_1', functionId: 1, template: '{0}', parameters: ['container:id'], advanced: { join: [] } } },
    3: { id: '3', type: 'decision', x: 10, y: 200, errors: {}, data: { id: '3', type: 'decision', functionName: 'decision_1', functionId: 1, conditions: [{ comparisons: [{ op: '==', param: 'format_1:formatted_data', value: 'x' }] }, { type: 'else', comparisons: [] }], advanced: { join: [] } } },
    4: { id: '4', type: 'code', x: 10, y: 300, errors: {}, userCode: '\n    pass\n', data: { id: '4', type: 'code', functionName: 'code_1', functionId: 1, inputParameters: [], outputVariables: [], advanced: { join: [] } } },
  }, edges: [
    { id: 'port_0_to_port_2', sourceNode: '0', sourcePort: '0_out', targetNode: '2', targetPort: '2_in' },
    { id: 'port_2_to_port_3', sourceNode: '2', sourcePort: '2_out', targetNode: '3', targetPort: '3_in' },
    { conditions: [{ index: 1 }], id: 'port_3_to_port_4', sourceNode: '3', sourcePort: '3_out', targetNode: '4', targetPort: '4_in' },
  ] } },
};

describe('copy / paste', () => {
  it('copies selected blocks with their internal edges only, never start/end', () => {
    const { nodes, edges } = toFlow(doc);
    const clip = copyBlocks(nodes.map((n) => ({ ...n, deletable: n.id !== '0' })), edges, ['0', '2', '3', '4']);
    expect(clip.nodes.map((n) => n.id)).toEqual(['2', '3', '4']);
    expect(clip.edges.map((e) => e.id)).toEqual(['port_2_to_port_3', 'port_3_to_port_4']);
    expect(parseClip(JSON.stringify(clip))).toEqual(clip);
    expect(parseClip('{"x":1}')).toBe(null);
  });

  it('pastes with new ids, unique names, rewritten references and conditional edges', () => {
    const { nodes, edges } = toFlow(doc);
    const clip = copyBlocks(nodes, edges, ['2', '3', '4']);
    const r = pasteBlocks(JSON.parse(JSON.stringify(clip)), nodes);
    expect(r.nodes.map((n) => n.id)).toEqual(['5', '6', '7']);
    const names = r.nodes.map((n) => n.data.soar.data.functionName);
    expect(names).toEqual(['format_2', 'decision_2', 'code_2']);
    expect(r.nodes[1].data.soar.data.conditions[0].comparisons[0].param).toBe('format_2:formatted_data');
    expect(r.nodes[2].data.soar.userCode).toBe('\n    pass\n');
    expect(r.nodes[0].position).toEqual({ x: 50, y: 140 });
    const out = toSoar(doc, [...nodes, ...r.nodes], [...edges, ...r.edges]).coa.data.edges.slice(3);
    expect(out).toEqual([
      { id: 'port_5_to_port_6', sourceNode: '5', sourcePort: '5_out', targetNode: '6', targetPort: '6_in' },
      { conditions: [{ index: 1 }], id: 'port_6_to_port_7', sourceNode: '6', sourcePort: '6_out', targetNode: '7', targetPort: '7_in' },
    ]);
  });
});
