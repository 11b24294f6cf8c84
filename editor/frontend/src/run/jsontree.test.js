import { describe, it, expect } from 'vitest';
import { treeRows, resultRoots, childDatapath, preview, copyText } from './jsontree.js';

const actionResult = {
  status: 'success', message: 'done', parameter: { text: 'x' },
  data: [{ hash: 'abc', nested: { list: [1, 2] } }], summary: { responses: ['Yes', 'because'] },
};

describe('datapaths', () => {
  it('walks data lists with * and other lists by index', () => {
    expect(childDatapath('b:action_result.data', 0, 'data')).toBe('b:action_result.data.*');
    expect(childDatapath('b:action_result.summary.responses', 1, 'responses')).toBe('b:action_result.summary.responses.1');
    expect(childDatapath('b:custom_function', 'out', null, ':')).toBe('b:custom_function:out');
  });
  it('shows the first level of a result closed', () => {
    const rows = treeRows(actionResult, { rootId: 'r', datapath: 'hash:action_result' });
    expect(rows.map((r) => [r.key, r.datapath, r.expandable])).toEqual([
      ['status', 'hash:action_result.status', false],
      ['message', 'hash:action_result.message', false],
      ['parameter', 'hash:action_result.parameter', true],
      ['data', 'hash:action_result.data', true],
      ['summary', 'hash:action_result.summary', true],
    ]);
  });
  it('opens rows by id and gives every descendant its datapath', () => {
    const open = new Set(['r/data', 'r/data/0', 'r/data/0/nested', 'r/data/0/nested/list', 'r/summary', 'r/summary/responses']);
    const paths = treeRows(actionResult, { rootId: 'r', datapath: 'hash:action_result', open }).map((r) => r.datapath);
    expect(paths).toContain('hash:action_result.data.*.hash');
    expect(paths).toContain('hash:action_result.data.*.nested.list.0');
    expect(paths).toContain('hash:action_result.summary.responses.0');
  });
  it('stops at the row limit', () => {
    const big = { data: Array.from({ length: 5000 }, (_, i) => i) };
    expect(treeRows(big, { rootId: 'r', datapath: 'x', open: new Set(['r/data']), limit: 100 })).toHaveLength(100);
  });
  it('previews values briefly', () => {
    expect(preview(null)).toBe('None');
    expect(preview([1, 2])).toBe('[2]');
    expect(preview({ a: 1 })).toBe('{1}');
    expect(preview('x'.repeat(300)).length).toBeLessThan(210);
  });
});

describe('result roots', () => {
  it('gives one root per action result of each asset', () => {
    const roots = resultRoots({
      block: 'hash', action_runs: [{ id: 1, name: 'hash', action: 'hash text', type: 'action', status: 'success', app_runs: [
        { asset: 'a1', status: 'success', result_data: [actionResult, actionResult] }, { asset: 'a2', status: 'failed', message: 'down', result_data: [] },
      ] }],
      outputs: {}, formatted: null, filtered: {},
    });
    expect(roots.map((r) => [r.title, r.datapath])).toEqual([['a1 · 1', 'hash:action_result'], ['a1 · 2', 'hash:action_result'], ['a2', 'hash:action_result.summary']]);
  });
  it('addresses custom functions, code outputs, format output and filters as SOAR does', () => {
    const roots = resultRoots({
      block: 'code_1', action_runs: [{ id: 2, name: 'code_1', action: 'local/x', type: 'custom_function', status: 'success', app_runs: [{ status: 'success', result_data: [{ data: { n: 1 } }] }] }],
      outputs: { severity: 'high' }, formatted: { text: 'a\nb', rows: ['a', 'b'] }, filtered: { 'code_1:condition_1': { artifacts: [] } },
    });
    const dp = Object.fromEntries(roots.map((r) => [r.id, [r.datapath, r.sep]]));
    expect(dp['a2-r0-0']).toEqual(['code_1:custom_function_result', '.']);
    expect(dp.outputs).toEqual(['code_1:custom_function', ':']);
    expect(dp.formatted).toEqual(['code_1:formatted_data', '.']);
    expect(treeRows(roots.find((r) => r.id === 'formatted-rows').value, { rootId: 'f', datapath: 'code_1:formatted_data', rootKey: 'formatted_data' })[0].datapath).toBe('code_1:formatted_data.*');
    expect(treeRows({ severity: 'high' }, { rootId: 'o', datapath: 'code_1:custom_function', sep: ':' })[0].datapath).toBe('code_1:custom_function:severity');
    expect(dp['filter-code_1:condition_1'][0]).toBe('filtered-data:code_1:condition_1');
  });
  it('has nothing for nothing', () => {
    expect(resultRoots(null)).toEqual([]);
    expect(resultRoots({ block: 'b', action_runs: [], outputs: {}, formatted: null, filtered: {} })).toEqual([]);
  });
});

describe('copyText', () => {
  it('uses the clipboard API when there is one', async () => {
    const written = [];
    expect(await copyText('a:b', null, { clipboard: { writeText: async (t) => { written.push(t); } } })).toBe(true);
    expect(written).toEqual(['a:b']);
  });
  it('falls back to a selected textarea', async () => {
    const calls = [];
    const area = { style: {}, setAttribute() {}, select() { calls.push('select'); }, remove() { calls.push('remove'); } };
    const doc = { createElement: () => area, body: { appendChild: () => calls.push('append') }, execCommand: (c) => { calls.push(c); return true; } };
    expect(await copyText('x', doc, { clipboard: { writeText: async () => { throw new Error('denied'); } } })).toBe(true);
    expect(area.value).toBe('x');
    expect(calls).toEqual(['append', 'select', 'copy', 'remove']);
  });
});
