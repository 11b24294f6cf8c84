import { describe, it, expect } from 'vitest';
import { findRegions, DEFAULT_REGION, extractBlockSource } from './regions.js';

const BAR = '#'.repeat(80);
const fn = (name, region) => [
  `def ${name}(action=None, **kwargs):`, `    phantom.debug("${name}() called")`, '',
  `    ${BAR}`, '    ## Custom Code Start', `    ${BAR}`, `${region}    ${BAR}`, '    ## Custom Code End', `    ${BAR}`, '', '    return', '',
].join('\n');

describe('user-code regions of generated Python', () => {
  it('extracts exactly node.userCode for each function and the global region', () => {
    const src = ['import phantom.rules as phantom', BAR, '## Global Custom Code Start', BAR, `import re\n${BAR}`, '## Global Custom Code End', BAR, '',
      fn('code_1', '\n    x = 1\n\n'), fn('format_1', DEFAULT_REGION), fn('empty', '')].join('\n');
    const regions = findRegions(src);
    expect(regions.map((r) => [r.fn, r.global, src.slice(r.from, r.to)])).toEqual([
      [null, true, 'import re\n'],
      ['code_1', false, '\n    x = 1\n\n'],
      ['format_1', false, DEFAULT_REGION],
      ['empty', false, ''],
    ]);
  });

  it('ignores functions without a region', () => {
    expect(findRegions('def decision_1():\n    return\n')).toEqual([]);
  });
});

describe('selected-block source', () => {
  const src = ['import phantom.rules as phantom', '', '@phantom.playbook_block()', fn('join_code_1', '\n'), '@phantom.playbook_block()', fn('code_1', '\n    x = 1\n\n'),
    '@phantom.playbook_block()', fn('code_10', '\n'), 'def on_finish(container, summary):', '    return', ''].join('\n');

  it('cuts the block function and its join helper with decorators', () => {
    const out = extractBlockSource(src, 'code_1');
    expect(out.match(/^def \w+/gm)).toEqual(['def join_code_1', 'def code_1']);
    expect(out.startsWith('@phantom.playbook_block()')).toBe(true);
    expect(findRegions(out).map((r) => [r.fn, out.slice(r.from, r.to)])).toEqual([['join_code_1', '\n'], ['code_1', '\n    x = 1\n\n']]);
  });

  it('returns null for an unknown block', () => {
    expect(extractBlockSource(src, 'nope')).toBe(null);
  });
});
