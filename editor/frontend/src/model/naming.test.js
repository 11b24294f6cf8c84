import { describe, it, expect } from 'vitest';
import { slug, assignName, renameRefs, pythonName, nextFunctionId } from './naming.js';
import { defaultData } from './blocktypes.js';

const node = (data) => ({ data });

describe('block naming', () => {
  it('slugs custom names like SOAR', () => {
    expect(slug('urlscanio  summary filter')).toBe('urlscanio_summary_filter');
    expect(slug(' Delete Email Prompt ')).toBe('delete_email_prompt');
  });

  it('names new blocks <base>_<max functionId + 1> per kind', () => {
    const existing = [node({ id: '2', type: 'filter', functionId: 3, functionName: 'filter_3', advanced: {} })];
    const d = assignName(defaultData('filter', '5'), existing);
    expect(d.functionName).toBe('filter_4');
    expect(d.functionId).toBe(4);
  });

  it('counts action ids per action name and uses the action slug', () => {
    const existing = [node({ id: '2', type: 'action', action: 'geolocate ip', functionId: 1, functionName: 'geolocate_ip_1', advanced: {} })];
    const d = assignName({ ...defaultData('action', '3'), action: 'geolocate ip' }, existing);
    expect(d.functionName).toBe('geolocate_ip_2');
    expect(nextFunctionId(existing, { type: 'action', action: 'whois ip' })).toBe(1);
  });

  it('appends customNameId to keep custom names unique', () => {
    const existing = [node({ id: '2', type: 'prompt', functionId: 1, functionName: 'delete_email_prompt', advanced: { customName: 'Delete Email Prompt' } })];
    const d = assignName({ ...defaultData('prompt', '3'), advanced: { customName: 'delete email prompt', customNameId: 0, join: [] } }, existing);
    expect(d.functionName).toBe('delete_email_prompt_1');
    expect(d.advanced.customNameId).toBe(1);
  });

  it('names playbook blocks after the callee, keeping its case', () => {
    const d = assignName({ ...defaultData('playbook', '3'), playbookName: 'Log4j_Respond' }, []);
    expect(d.functionName).toBe('playbook_Log4j_Respond_1');
    expect(pythonName(d.functionName)).toBe('playbook_log4j_respond_1');
  });
});

describe('renaming references', () => {
  it('rewrites datapaths, filtered-data wrappers, customDatapaths keys and notRequiredJoins', () => {
    const data = {
      parameters: { ip: 'filtered-data:filter_1:condition_1:geo_1:action_result.data.*.ip', other: 'geo_10:action_result.status' },
      advanced: { notRequiredJoins: ['geo_1', 'x'] },
      customDatapaths: { geo_1: { a: { value: 'geo_1:action_result.summary' } } },
      note: 'geo_1 is not a datapath',
    };
    const out = renameRefs(data, 'geo_1', 'geolocate');
    expect(out.parameters.ip).toBe('filtered-data:filter_1:condition_1:geolocate:action_result.data.*.ip');
    expect(out.parameters.other).toBe('geo_10:action_result.status');
    expect(out.advanced.notRequiredJoins).toEqual(['geolocate', 'x']);
    expect(out.customDatapaths.geolocate.a.value).toBe('geolocate:action_result.summary');
    expect(out.note).toBe('geo_1 is not a datapath');
  });

  it('renames the filter itself inside filtered-data paths', () => {
    expect(renameRefs('filtered-data:filter_1:condition_2:artifact:*.cef.x', 'filter_1', 'f')).toBe('filtered-data:f:condition_2:artifact:*.cef.x');
  });

  it('returns the same object when nothing refers to the name', () => {
    const data = { a: ['container:id'], b: { c: 'x' } };
    expect(renameRefs(data, 'geo_1', 'y')).toBe(data);
  });
});
