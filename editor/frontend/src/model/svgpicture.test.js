import { describe, it, expect } from 'vitest';
import { buildSvg, PADDING } from './svgpicture.js';
import { toFlow, emptyPlaybook } from './soar.js';
import { defaultData } from './blocktypes.js';
import { addCondition } from './conditions.js';
import { NODE_W } from './geometry.js';

function graph() {
  const doc = emptyPlaybook();
  const dec = addCondition(defaultData('decision', '2')).data;
  doc.coa.data.nodes[2] = { data: { ...dec, functionName: 'decision_1', functionId: 1 }, errors: {}, id: '2', type: 'decision', x: 300, y: 200 };
  const code = defaultData('code', '3');
  doc.coa.data.nodes[3] = { data: { ...code, functionName: 'a_<b>_&_"c"', functionId: 2 }, errors: {}, id: '3', type: 'code', x: 300, y: 400 };
  doc.coa.data.edges.push({ id: 'e2', sourceNode: '2', sourcePort: '2_out', targetNode: '3', targetPort: '3_in', conditions: [{ index: 0 }] });
  return toFlow(doc);
}

describe('buildSvg', () => {
  it('draws blocks and edges as plain SVG elements, never foreignObject', () => {
    const { nodes, edges } = graph();
    const { svg } = buildSvg(nodes, edges);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toMatch(/foreignObject|<div|<img/i);
    for (const n of nodes) expect(svg).toContain(`data-block="${n.data.soar.data.functionName.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}"`);
    expect((svg.match(/<path /g) || []).length).toBe(edges.length);
    // The code block's colour fills its band; the decision's branch labels are drawn.
    expect(svg).toContain('fill="#46505c"');
    expect(svg).toContain('>else<');
  });

  it('escapes names so the picture stays well-formed XML', () => {
    const { nodes, edges } = graph();
    const { svg } = buildSvg(nodes, edges);
    expect(svg).toContain('a_&lt;b&gt;_&amp;_&quot;c&quot;');
    expect(svg).not.toContain('a_<b>');
  });

  it('maps flow coordinates into the picture through origin and scale', () => {
    const { nodes, edges } = graph();
    const pic = buildSvg(nodes, edges);
    const xs = nodes.map((n) => n.position.x);
    expect(pic.origin.x).toBe(Math.min(...xs) - PADDING);
    expect(pic.scale).toBe(1);
    expect(pic.width).toBe(Math.max(...xs) + NODE_W - Math.min(...xs) + 2 * PADDING);
    const small = buildSvg(nodes, edges, { maxSide: 100 });
    expect(Math.max(small.width, small.height)).toBeLessThanOrEqual(100);
    expect(small.svg).toContain(`scale(${Math.round(small.scale * 100) / 100})`);
  });

  it('draws an empty playbook as just the background', () => {
    const { svg, width, height } = buildSvg([], []);
    expect(width).toBe(2 * PADDING);
    expect(height).toBe(2 * PADDING);
    expect(svg).toContain('<rect width="100%" height="100%"');
  });
});
