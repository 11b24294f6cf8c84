// @vitest-environment happy-dom
// Panels wired to their writers: each control (by data-testid) changes exactly the SOAR field it owns.
import { describe, it, expect, afterEach } from 'vitest';
import { useState } from 'react';
import { render, fireEvent, cleanup, screen, act } from '@testing-library/react';
import BlockPanel from './BlockPanel.jsx';
import { EditorContext } from '../context.js';
import { defaultData } from '../model/blocktypes.js';
import { assignName } from '../model/naming.js';

afterEach(cleanup);

const APPS = [{
  id: 1, appid: 'uuid-mm', name: 'MaxMind', actions: [
    { name: 'geolocate ip', type: 'investigate', parameters: [{ name: 'ip', data_type: 'string', required: true, contains: ['ip'], order: 0 }], outputs: [] },
  ],
}];
const ASSETS = [{ id: 1, name: 'maxmind', app_appid: 'uuid-mm', app_name: 'MaxMind', actions: ['geolocate ip'] }];
const CFS = [{ id: 1, name: 'indicator_tag', inputs: [{ name: 'indicator', contains: ['*'] }], outputs: [] }];
const PBS = [{ id: 9, name: 'child', playbook_type: 'data', input_spec: [{ name: 'user' }], output_spec: [] }];

function soarFor(key, id = '5') {
  const data = assignName(defaultData(key, id), []);
  return { data, errors: {}, id, type: data.type, warnings: {}, x: 0, y: 0 };
}

let latest = null;
function Harness({ initial, suggestions = [] }) {
  const [soar, setSoar] = useState(initial);
  latest = soar;
  const node = { id: soar.id, position: { x: 0, y: 0 }, data: { soar } };
  const updateNode = (id, fn) => setSoar((s) => { const r = fn(s); return r?.soar || r || s; });
  const ctx = { apps: APPS, assets: ASSETS, customFunctions: CFS, playbooks: PBS, suggestions, readOnly: false };
  return (
    <EditorContext.Provider value={ctx}>
      <BlockPanel node={node} nodes={[node]} edges={[]} updateNode={updateNode} readOnly={false} onClose={() => {}} />
    </EditorContext.Provider>
  );
}

const change = (testid, value) => fireEvent.change(screen.getByTestId(testid), { target: { value } });

describe('block panels', () => {
  it('decision: edits comparisons and adds an else-if before else', () => {
    render(<Harness initial={soarFor('decision')} />);
    change('cond-0-cmp-0-param', 'container:severity');
    change('cond-0-cmp-0-op', '!=');
    change('cond-0-cmp-0-value', 'high');
    change('cond-0-name', 'not high');
    fireEvent.click(screen.getByTestId('cond-add'));
    const c = latest.data.conditions;
    expect(c[0]).toMatchObject({ customName: 'not high', comparisons: [{ conditionIndex: 0, op: '!=', param: 'container:severity', value: 'high' }] });
    expect(c.map((x) => x.type)).toEqual(['if', 'elif', 'else']);
  });

  it('action: app, action, asset and parameter; default name follows the action', () => {
    render(<Harness initial={soarFor('action')} />);
    change('action-app', 'MaxMind');
    change('action-action', 'geolocate ip');
    fireEvent.click(screen.getByTestId('action-asset-maxmind'));
    change('action-param-ip', 'artifact:*.cef.sourceAddress');
    expect(latest.data).toMatchObject({
      connector: 'MaxMind', connectorId: 'uuid-mm', action: 'geolocate ip', actionType: 'investigate', connectorConfigs: ['maxmind'],
      parameters: { ip: 'artifact:*.cef.sourceAddress' }, requiredParameters: [{ data_type: 'string', field: 'ip' }], functionName: 'geolocate_ip_1',
    });
    expect(screen.getByText('*')).toBeTruthy();
  });

  it('format: template and numbered parameters', () => {
    render(<Harness initial={soarFor('format')} />);
    change('format-template', 'IP {0} user {1}');
    fireEvent.click(screen.getByTestId('format-fill-params'));
    change('format-param-1', 'container:owner_name');
    expect(latest.data.template).toBe('IP {0} user {1}');
    expect(latest.data.parameters).toEqual(['', 'container:owner_name']);
  });

  it('prompt: approver, message, response time and a question', () => {
    render(<Harness initial={soarFor('prompt')} />);
    change('prompt-approver', 'container_owner');
    change('prompt-message', 'Block {0}?');
    change('prompt-response-time', '45');
    fireEvent.click(screen.getByTestId('prompt-add-response'));
    change('prompt-response-0-prompt', 'Proceed?');
    expect(latest.data).toMatchObject({ approver: { type: 'user', value: 'container_owner' }, message: 'Block {0}?', responseTime: 45, responses: [{ responsePrompt: 'Proceed?', responseType: 'yes/no', responseOptions: ['Yes', 'No'] }] });
  });

  it('utility: chooses an API and fills its field', () => {
    render(<Harness initial={soarFor('utility')} />);
    change('utility-select', 'comment');
    change('utility-field-comment', 'done');
    expect(latest.data.values).toEqual({ comment: { _internal: ['container', 'author', 'trace'], comment: 'done' } });
    expect(latest.data.functionName).toBe('add_comment_1');
  });

  it('custom function and child playbook pickers', () => {
    render(<Harness initial={soarFor('custom_function')} />);
    change('cf-select', 'indicator_tag');
    change('cf-input-indicator', 'container:id');
    expect(latest.data.values).toEqual({ indicator_tag: { indicator: 'container:id' } });
    cleanup();
    render(<Harness initial={soarFor('playbook')} />);
    change('playbook-select', 'child');
    change('playbook-sync', 'async');
    fireEvent.click(screen.getByTestId('playbook-input-user-add'));
    change('playbook-input-user-0', 'container:owner_name');
    expect(latest.data).toMatchObject({ playbookName: 'child', playbookType: 'data', synchronous: false, inputs: { user: { datapaths: ['container:owner_name'], deduplicate: false } } });
  });

  it('custom name, description and note', () => {
    render(<Harness initial={soarFor('code')} />);
    change('panel-custom-name', 'Build Output');
    change('panel-description', 'why');
    change('panel-note', 'remember');
    expect(latest.data.functionName).toBe('build_output');
    expect(latest.data.advanced).toMatchObject({ customName: 'Build Output', description: 'why', note: 'remember' });
    expect(screen.queryByTestId('loop-enabled')).toBe(null);
  });

  it('loop settings on loop-capable blocks', () => {
    render(<Harness initial={soarFor('action')} />);
    fireEvent.click(screen.getByTestId('loop-enabled'));
    change('loop-max-iterations', '4');
    fireEvent.click(screen.getByTestId('loop-exit-condition'));
    change('loop-cmp-0-param', 'geolocate_ip_1:action_result.status');
    change('loop-cmp-0-value', 'success');
    expect(latest.data.loop).toMatchObject({ enabled: true, exitLoopAfter: 4, exitConditionEnabled: true, conditions: [{ type: 'if', comparisons: [{ param: 'geolocate_ip_1:action_result.status', op: '==', value: 'success' }] }] });
  });

  it('read-only panels disable their controls', () => {
    const initial = soarFor('format');
    const node = { id: initial.id, position: { x: 0, y: 0 }, data: { soar: initial } };
    render(
      <EditorContext.Provider value={{ apps: [], assets: [], customFunctions: [], playbooks: [], suggestions: [], readOnly: true }}>
        <BlockPanel node={node} nodes={[node]} edges={[]} updateNode={() => { throw new Error('no writes when read-only'); }} readOnly onClose={() => {}} />
      </EditorContext.Provider>,
    );
    expect(screen.getByTestId('format-template').disabled).toBe(true);
    expect(screen.getByTestId('panel-note').disabled).toBe(true);
    expect(screen.queryByTestId('format-param-add')).toBe(null);
  });

  it('datapath inputs offer suggestions and accept one on click', () => {
    render(<Harness initial={soarFor('format')} suggestions={[{ value: 'container:id', group: 'container' }, { value: 'artifact:*.cef.sourceAddress', group: 'artifact', example: '10.0.0.1' }]} />);
    fireEvent.click(screen.getByTestId('format-param-add'));
    const input = screen.getByTestId('format-param-0');
    act(() => { input.focus(); });
    change('format-param-0', 'artifact');
    const list = screen.getByTestId('format-param-0-suggestions');
    expect(list.textContent).toContain('e.g. 10.0.0.1');
    fireEvent.mouseDown(list.querySelector('li'));
    expect(latest.data.parameters).toEqual(['artifact:*.cef.sourceAddress']);
  });
});
