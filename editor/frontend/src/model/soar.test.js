import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toFlow, toSoar, toFlowEdge, emptyPlaybook, nextNodeId, condHandle, normalizeDoc } from './soar.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.resolve(here, '../../../../../shared/corpus/modern');
const files = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).filter((f) => f.endsWith('.json')).sort() : [];

describe('lossless round trip over the corpus', () => {
  it.skipIf(!files.length)('finds the 89 corpus playbooks', () => {
    expect(files.length).toBe(89);
  });
  for (const f of files) {
    it(`loads and saves ${f} unchanged`, () => {
      const text = fs.readFileSync(path.join(CORPUS, f), 'utf8');
      const doc = JSON.parse(text);
      const { nodes, edges } = toFlow(doc);
      const out = toSoar(doc, nodes, edges);
      // JSON equality ignoring key order: compare through a fresh parse of both.
      expect(JSON.parse(JSON.stringify(out))).toEqual(JSON.parse(text));
    });
  }
});

describe('conditional edges', () => {
  it('maps conditions[0].index to a per-branch source handle and back', () => {
    const doc = emptyPlaybook();
    doc.coa.data.nodes[2] = { data: { type: 'decision', id: '2', functionName: 'decision_1', conditions: [{}, {}] }, id: '2', type: 'decision', x: 0, y: 100, errors: {} };
    doc.coa.data.edges.push({ conditions: [{ index: 1 }], id: 'port_2_to_port_1', sourceNode: '2', sourcePort: '2_out', targetNode: '1', targetPort: '1_in' });
    const { nodes, edges } = toFlow(doc);
    const e = edges.find((x) => x.source === '2');
    expect(e.sourceHandle).toBe('c1');
    const moved = edges.map((x) => (x === e ? { ...x, sourceHandle: condHandle(0) } : x));
    const out = toSoar(doc, nodes, moved).coa.data.edges.find((x) => x.sourceNode === '2');
    expect(out.conditions).toEqual([{ index: 0 }]);
    expect(out.sourcePort).toBe('2_out');
  });

  it('writes new edges in SOAR shape without conditions for plain blocks', () => {
    const doc = emptyPlaybook();
    const { nodes } = toFlow(doc);
    const out = toSoar(doc, nodes, [toFlowEdge('0', '1', 'out')]).coa.data.edges;
    expect(out).toEqual([{ id: 'port_0_to_port_1', sourceNode: '0', sourcePort: '0_out', targetNode: '1', targetPort: '1_in' }]);
  });

  it('writes moved positions into x/y only for moved nodes', () => {
    const doc = emptyPlaybook();
    const { nodes, edges } = toFlow(doc);
    const moved = nodes.map((n) => (n.id === '1' ? { ...n, position: { x: 5, y: 6 } } : n));
    const out = toSoar(doc, moved, edges).coa.data.nodes;
    expect([out[1].x, out[1].y]).toEqual([5, 6]);
    expect(out[0]).toBe(doc.coa.data.nodes[0]);
  });
});

describe('node ids', () => {
  it('takes max + 1 and skips ids already handed out', () => {
    const nodes = [{ id: '0' }, { id: '1' }, { id: '7' }];
    expect(nextNodeId(nodes)).toBe('8');
    expect(nextNodeId(nodes, ['8'])).toBe('9');
  });
});

describe('opening new or incomplete playbooks', () => {
  it('gives an empty document start and end joined by one edge', () => {
    const doc = normalizeDoc({});
    expect(Object.values(doc.coa.data.nodes).map((n) => n.type).sort()).toEqual(['end', 'start']);
    expect(doc.coa.data.edges).toHaveLength(1);
    expect(normalizeDoc(null).coa.playbook_type).toBe('automation');
  });

  it('keeps fields of a partial document and adds only what is missing', () => {
    const doc = normalizeDoc({ category: 'x', coa: { playbook_type: 'data', data: { nodes: { 0: emptyPlaybook().coa.data.nodes[0] }, edges: [] } } });
    expect(doc.category).toBe('x');
    expect(doc.coa.playbook_type).toBe('data');
    expect(Object.keys(doc.coa.data.nodes).sort()).toEqual(['0', '1']);
  });

  it('returns complete documents untouched', () => {
    const doc = emptyPlaybook();
    expect(normalizeDoc(doc)).toBe(doc);
  });
});
