import { describe, it, expect } from 'vitest';
import * as F from './fields.js';
import { defaultData } from './blocktypes.js';
import { UTILITY_APIS } from './utilities.js';

const app = {
  id: 7, appid: 'uuid-aws', name: 'AWS IAM', version: '1',
  actions: [{
    name: 'disable user', type: 'contain', parameters: [
      { name: 'username', data_type: 'string', required: true, contains: ['aws iam user name'], order: 0 },
      { name: 'disable_access_keys', data_type: 'boolean', required: false, default: true, order: 1 },
    ], outputs: [],
  }],
};

describe('action panel writers', () => {
  it('writes connector, connectorId, action, actionType, parameter defaults and requiredParameters', () => {
    let d = F.selectApp(defaultData('action', '5'), app);
    d = F.selectAction(d, app.actions[0]);
    d = F.setAssets(d, ['aws_iam']);
    d = F.setParameter(d, 'username', 'playbook_input:aws_username');
    expect(d).toMatchObject({
      connector: 'AWS IAM', connectorId: 'uuid-aws', connectorVersion: 'v1', action: 'disable user', actionType: 'contain',
      connectorConfigs: ['aws_iam'], parameters: { disable_access_keys: true, username: 'playbook_input:aws_username' },
      requiredParameters: [{ data_type: 'string', field: 'username' }],
    });
  });

  it('removes a parameter key when it is cleared and keeps unknown keys of the node', () => {
    const d = F.setParameter({ parameters: { a: 'x', b: 'y' }, tab: 'byConnector' }, 'a', '');
    expect(d).toEqual({ parameters: { b: 'y' }, tab: 'byConnector' });
  });

  it('reads required names from every stored shape', () => {
    expect(F.requiredNames({ requiredParameters: ['a', { field: 'b', data_type: 'string' }] })).toEqual(['a', 'b']);
  });

  it('resets the action when switching apps', () => {
    const d = F.selectApp({ connector: 'Other', action: 'x', parameters: { a: 1 } }, app);
    expect(d.action).toBe('');
    expect(d.parameters).toEqual({});
  });
});

describe('format and list writers', () => {
  it('counts placeholders and edits parameter lists', () => {
    expect(F.placeholderCount('a {0} b {2}')).toBe(3);
    let d = F.addListItem({ parameters: [] }, 'parameters', 'container:id');
    d = F.setListItem(d, 'parameters', 0, 'container:name');
    d = F.addListItem(d, 'parameters');
    expect(d.parameters).toEqual(['container:name', '']);
    expect(F.removeListItem(d, 'parameters', 0).parameters).toEqual(['']);
  });
});

describe('prompt writers', () => {
  it('sets response options according to the response type', () => {
    let d = F.addResponse({ responses: [] });
    expect(d.responses[0]).toEqual({ responseOptions: ['Yes', 'No'], responsePrompt: '', responseType: 'yes/no' });
    d = F.setResponse(d, 0, 'responseType', 'customList');
    d = F.setResponse(d, 0, 'responseOptions', ['a', 'b']);
    expect(d.responses[0].responseOptions).toEqual(['a', 'b']);
    d = F.setResponse(d, 0, 'responseType', 'message');
    expect('responseOptions' in d.responses[0]).toBe(false);
  });

  it('stores container_owner as the object form', () => {
    expect(F.setApprover({}, 'container_owner').approver).toEqual({ type: 'user', value: 'container_owner' });
    expect(F.setApprover({}, 'admin').approver).toBe('admin');
    expect(F.approverText({ type: 'user', value: 'container_owner' })).toBe('container_owner');
  });
});

describe('utility writers', () => {
  it('writes one utilities key and one values key with _internal for an API', () => {
    const def = UTILITY_APIS.find((u) => u.name === 'comment');
    let d = F.selectUtility(defaultData('utility', '4'), def);
    d = F.setUtilityValue(d, 'comment', 'hello');
    expect(Object.keys(d.utilities)).toEqual(['comment']);
    expect(d.values).toEqual({ comment: { _internal: ['container', 'author', 'trace'], comment: 'hello' } });
    expect(d.utilityType).toBe('api');
  });

  it('matches the corpus add_note definition', () => {
    const def = UTILITY_APIS.find((u) => u.name === 'add_note');
    const d = F.selectUtility(defaultData('utility', '4'), def);
    expect(d.values.add_note).toEqual({ _internal: ['container', 'note_type', 'author', 'event_id', 'task_id', 'trace'], note_format: 'markdown', note_type: 'general' });
  });

  it('copies a custom function input spec into fields and null/list values', () => {
    const cf = { name: 'indicator_tag', description: 'Tag', inputs: [{ name: 'indicator', contains: ['*'], description: 'x' }, { name: 'tags', contains: [], input_type: 'list' }] };
    const d = F.selectCustomFunction(defaultData('custom_function', '9'), cf);
    expect(d.customFunction).toEqual({ draftMode: false, name: 'indicator_tag', repoName: 'local' });
    expect(d.utilities.indicator_tag.fields[0]).toEqual({ dataTypes: ['*'], description: 'x', inputType: 'item', label: 'indicator', name: 'indicator', placeholder: '', renderType: 'datapath', required: false });
    expect(d.values).toEqual({ indicator_tag: { indicator: null, tags: [] } });
  });
});

describe('catalogue shapes served by the Django API', () => {
  it('reads raw SOAR custom function specs (contains_type, input_type, repo)', () => {
    const cf = { name: 'cf', repo: 'community', inputs: [{ name: 'x', contains_type: ['ip'], input_type: 'list', placeholder: 'p', description: 'd' }], outputs: [] };
    const d = F.selectCustomFunction(defaultData('custom_function', '9'), cf);
    expect(d.customFunction.repoName).toBe('community');
    expect(d.utilities.cf.fields[0]).toMatchObject({ dataTypes: ['ip'], inputType: 'list', placeholder: 'p' });
    expect(d.values.cf).toEqual({ x: [] });
  });

  it('maps a playbook repo name to the corpus repo id', () => {
    expect(F.selectPlaybook(defaultData('playbook', '3'), { name: 'a', repo: 'community', playbook_type: 'automation' })).toMatchObject({ playbookRepo: 1, playbookRepoName: 'community' });
    expect(F.selectPlaybook(defaultData('playbook', '3'), { name: 'a', repo: 'local', playbook_type: 'automation' })).toMatchObject({ playbookRepo: 2, playbookRepoName: 'local' });
  });
});

describe('child playbook writers', () => {
  it('creates inputs from the callee input spec', () => {
    const pb = { name: 'dispatch', playbook_type: 'data', input_spec: [{ name: 'tags' }] };
    let d = F.selectPlaybook(defaultData('playbook', '3'), pb);
    d = F.setPlaybookInput(d, 'tags', ['a']);
    d = F.setPlaybookDedup(d, 'tags', true);
    expect(d).toMatchObject({ playbookName: 'dispatch', playbookType: 'data', inputs: { tags: { datapaths: ['a'], deduplicate: true } } });
  });
});

describe('join and loop writers', () => {
  it('toggles notRequiredJoins', () => {
    let d = F.setJoinRequired({ advanced: { join: [] } }, 'geo_1', false);
    expect(d.advanced.notRequiredJoins).toEqual(['geo_1']);
    d = F.setJoinRequired(d, 'geo_1', true);
    expect(d.advanced.notRequiredJoins).toEqual([]);
    expect(d.advanced.join).toEqual([]);
  });

  it('writes the full loop object the first time', () => {
    const d = F.setLoop({}, 'enabled', true);
    expect(d.loop).toEqual({ enabled: true, exitAfterUnit: 'm', exitAfterValue: 10, exitConditionEnabled: false, exitLoopAfter: 2, pauseUnit: 'm', pauseValue: 2 });
  });
});
