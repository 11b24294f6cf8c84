// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest';
import { codeReadOnly } from './permissions.js';

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
