import { describe, it, expect } from 'vitest';
import { autoLayout } from './layout.js';
import { searchBlocks } from './search.js';
import { toFlow } from './soar.js';
import { nearestAsyncAncestors, inDegree } from './graph.js';

const node = (id, type, extra = {}) => ({ id, type, x: 0, y: 0, errors: {}, data: { id, type, functionName: extra.functionName || `${type}_${id}`, advanced: {}, ...extra } });
const doc = { coa: { data: { nodes: {
  0: node('0', 'start', { functionName: 'on_start' }), 2: node('2', 'action', { action: 'whois ip' }), 3: node('3', 'format', { template: 'artifact:*.cef.fileHash' }),
  4: node('4', 'code'), 1: node('1', 'end', { functionName: 'on_finish' }),
}, edges: [['0', '2'], ['0', '3'], ['2', '4'], ['3', '4'], ['4', '1']].map(([s, t]) => ({ id: `port_${s}_to_port_${t}`, sourceNode: s, sourcePort: `${s}_out`, targetNode: t, targetPort: `${t}_in` })) } } };

describe('auto layout', () => {
  it('places every block top to bottom along the edges', () => {
    const { nodes, edges } = toFlow(doc);
    const pos = autoLayout(nodes, edges);
    expect(pos.size).toBe(5);
    expect(pos.get('0').y).toBeLessThan(pos.get('2').y);
    expect(pos.get('2').y).toBeLessThan(pos.get('4').y);
    expect(pos.get('4').y).toBeLessThan(pos.get('1').y);
    expect(pos.get('2').y).toBe(pos.get('3').y);
  });
});

describe('search and join queries', () => {
  const { nodes, edges } = toFlow(doc);
  it('finds blocks by name, type and datapath', () => {
    expect(searchBlocks(nodes, 'code_4').map((r) => r.id)).toEqual(['4']);
    expect(searchBlocks(nodes, 'whois').map((r) => r.id)).toEqual(['2']);
    expect(searchBlocks(nodes, 'cef.filehash').map((r) => r.id)).toEqual(['3']);
    expect(searchBlocks(nodes, '')).toEqual([]);
  });
  it('computes the join wait set through synchronous blocks', () => {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    expect(inDegree('4', edges)).toBe(2);
    expect(nearestAsyncAncestors('4', byId, edges)).toEqual(['action_2']);
  });
});
