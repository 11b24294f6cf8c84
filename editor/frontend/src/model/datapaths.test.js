import { describe, it, expect } from 'vitest';
import { suggestDatapaths, filterSuggestions, sourceKey, blockOutputs } from './datapaths.js';
import { toFlow } from './soar.js';

function pb(nodes, edges, extra = {}) {
  const n = {};
  for (const [id, data] of Object.entries(nodes)) n[id] = { id, type: data.type, x: 0, y: 0, errors: {}, data: { id, advanced: {}, ...data } };
  return { coa: { data: { nodes: n, edges: edges.map(([s, t, c]) => ({ id: `port_${s}_to_port_${t}`, sourceNode: s, sourcePort: `${s}_out`, targetNode: t, targetPort: `${t}_in`, ...(c !== undefined ? { conditions: [{ index: c }] } : {}) })) }, input_spec: [{ name: 'ip', contains: ['ip'] }], ...extra } };
}

const apps = [{ name: 'MaxMind', appid: 'mm', actions: [{ name: 'geolocate ip', outputs: [
  { data_path: 'action_result.data.*.city_name', contains: [], example_values: ['Paris'] },
  { data_path: 'action_result.status', example_values: ['success'] },
] }] }];

const doc = pb({
  0: { type: 'start', functionName: 'on_start' },
  2: { type: 'action', functionName: 'geolocate_ip_1', connector: 'MaxMind', action: 'geolocate ip', parameters: { ip: 'artifact:*.cef.sourceAddress' } },
  3: { type: 'filter', functionName: 'filter_1', conditions: [{ comparisons: [{ op: '==', param: 'geolocate_ip_1:action_result.data.*.city_name', value: 'Paris' }], conditionIndex: 0, logic: 'and' }] },
  4: { type: 'format', functionName: 'format_1', template: '', parameters: [] },
  5: { type: 'code', functionName: 'code_1', outputVariables: ['out'] },
  6: { type: 'action', functionName: 'later', connector: 'MaxMind', action: 'geolocate ip' },
}, [['0', '2'], ['2', '3'], ['3', '4', 0], ['4', '5'], ['5', '6']]);

describe('datapath suggestions', () => {
  const { nodes, edges } = toFlow(doc);
  const ctx = { nodes, edges, doc, apps, cefFields: ['fromEmail'], customFunctions: [], playbooks: [] };
  const values = suggestDatapaths('6', ctx).map((s) => s.value);

  it('offers container fields, artifact CEF (test container + common) and playbook inputs', () => {
    expect(values).toContain('container:id');
    expect(values).toContain('artifact:*.cef.fromEmail');
    expect(values).toContain('artifact:*.cef.sourceAddress');
    expect(values).toContain('playbook_input:ip');
  });

  it('offers upstream action outputs without the action_result. prefix doubled, with examples', () => {
    expect(values).toContain('geolocate_ip_1:action_result.data.*.city_name');
    expect(values).toContain('geolocate_ip_1:action_result.parameter.ip');
    const s = suggestDatapaths('6', ctx).find((x) => x.value === 'geolocate_ip_1:action_result.data.*.city_name');
    expect(s.example).toBe('Paris');
  });

  it('offers filtered-data of upstream filters for the sources they filter', () => {
    expect(values).toContain('filtered-data:filter_1:condition_1:geolocate_ip_1:action_result.data.*.city_name');
    expect(values).not.toContain('filtered-data:filter_1:condition_1:container:id');
  });

  it('offers format and code outputs, and nothing from downstream blocks', () => {
    expect(values).toContain('format_1:formatted_data');
    expect(values).toContain('format_1:formatted_data.*');
    expect(values).toContain('code_1:custom_function:out');
    expect(suggestDatapaths('2', ctx).map((s) => s.value)).not.toContain('format_1:formatted_data');
  });

  it('offers custom lists already used by conditions', () => {
    const d2 = pb({ 0: { type: 'start', functionName: 'on_start' }, 2: { type: 'filter', functionName: 'f', conditions: [{ comparisons: [{ op: 'in', param: 'container:name', value: 'custom_list:allow' }] }] }, 3: { type: 'format', functionName: 'x' } }, [['0', '2'], ['2', '3', 0]]);
    const g = toFlow(d2);
    expect(suggestDatapaths('3', { ...g, doc: d2 }).map((s) => s.value)).toContain('custom_list:allow');
  });

  it('ranks prefix matches first', () => {
    const list = [{ value: 'x:container:id' }, { value: 'container:id' }, { value: 'container:name' }];
    expect(filterSuggestions(list, 'container:').map((s) => s.value)).toEqual(['container:id', 'container:name', 'x:container:id']);
  });
});

describe('block outputs', () => {
  it('covers custom functions, child playbooks and prompts', () => {
    const ctx = { customFunctions: [{ name: 'cf', outputs: [{ data_path: '*.item' }] }], playbooks: [{ name: 'child', output_spec: [{ name: 'verdict' }] }] };
    expect(blockOutputs({ type: 'utility', utilityType: 'custom_function', functionName: 'u', customFunction: { name: 'cf' } }, ctx).map((s) => s.value)).toContain('u:custom_function_result.data.*.item');
    expect(blockOutputs({ type: 'playbook', functionName: 'p', playbookName: 'child' }, ctx).map((s) => s.value)).toEqual(['p:playbook_output:verdict']);
    expect(blockOutputs({ type: 'prompt', functionName: 'q', responses: [{}, {}] }, ctx).map((s) => s.value)).toContain('q:action_result.summary.responses.1');
  });

  it('finds the source of a datapath', () => {
    expect(sourceKey('filtered-data:f:condition_1:artifact:*.cef.x')).toBe('artifact');
    expect(sourceKey('geo:action_result.status')).toBe('geo');
  });
});
