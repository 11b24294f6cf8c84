// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest';
import { codeReadOnly, codeBlocksIn, codeChanges, keyWritesCode, pasteRefusal } from './permissions.js';

describe('codeReadOnly', () => {
  afterEach(() => { document.body.innerHTML = ''; });

  it('is true when the page says this user may not write code', () => {
    document.body.innerHTML = '<div id="playbook-editor" data-code-readonly="1"></div>';
    expect(codeReadOnly()).toBe(true);
  });

  it('is false when the user may write code or the page does not say', () => {
    document.body.innerHTML = '<div id="playbook-editor" data-code-readonly="0"></div>';
    expect(codeReadOnly()).toBe(false);
    document.body.innerHTML = '<div id="playbook-editor"></div>';
    expect(codeReadOnly()).toBe(false);
  });
});

describe('what counts as code for a user without the permission', () => {
  const node = (id, type, name, extra = {}) => ({ id, type, data: { id, type, functionName: name }, ...extra });

  it('locks only the Code entry of the palette and type pickers', () => {
    expect(keyWritesCode('code')).toBe(true);
    for (const key of ['action', 'decision', 'filter', 'format', 'prompt', 'utility', 'custom_function', 'playbook', 'missionControl']) {
      expect(keyWritesCode(key)).toBe(false);
    }
  });

  it('names every Code block, even an empty one, and blocks with custom code', () => {
    const nodes = [
      node('2', 'code', 'code_1'),
      node('3', 'format', 'format_1', { userCode: '    phantom.debug(1)\n' }),
      node('4', 'action', 'ip_lookup', { customCode: 'def ip_lookup(**kwargs):\n    pass\n' }),
      node('5', 'action', 'plain'),
    ];
    expect(codeBlocksIn(nodes)).toEqual(["Code block 'code_1'", "the custom code of 'format_1'", "the custom code of 'ip_lookup'"]);
  });

  it('does not count the default custom code region as code', () => {
    expect(codeBlocksIn([node('3', 'format', 'format_1', { userCode: '\n    # Write your custom code here...\n\n' })])).toEqual([]);
  });

  it('refuses a paste holding code with a message naming its blocks and the permission', () => {
    const refusal = pasteRefusal({ nodes: [node('2', 'code', 'code_1'), node('3', 'format', 'format_1')], edges: [] });
    expect(refusal).toBe("Not pasted: Code block 'code_1' is code, and writing code needs the 'edit code' permission.");
    expect(pasteRefusal({ nodes: [node('3', 'format', 'format_1')], edges: [] })).toBeNull();
  });
});

describe('code a version adds or changes, as the server counts it', () => {
  const doc = (nodes, extra = {}) => ({ coa: { data: { nodes: Object.fromEntries(nodes.map((n) => [n.id, n])), edges: [], ...extra } } });
  const code = { id: '2', type: 'code', data: { functionName: 'code_1' }, userCode: "    phantom.debug('x')\n" };
  const format = { id: '3', type: 'format', data: { functionName: 'format_1' } };

  it('lists a Code block that the stored version does not have', () => {
    expect(codeChanges(doc([format]), doc([format, code]))).toEqual(["Code block 'code_1'"]);
  });

  it('lists nothing for unchanged or removed code, or the default region', () => {
    expect(codeChanges(doc([code]), doc([code, format]))).toEqual([]);
    expect(codeChanges(doc([code]), doc([format]))).toEqual([]);
    expect(codeChanges(doc([format]), doc([{ ...format, userCode: '\n    # Write your custom code here...\n\n' }]))).toEqual([]);
  });

  it('lists changed custom code and global code', () => {
    const changed = { ...code, userCode: "    phantom.debug('y')\n" };
    expect(codeChanges(doc([code]), doc([changed], { globalCustomCode: 'import os' }))).toEqual(["Code block 'code_1'", "the playbook's global custom code"]);
  });
});
