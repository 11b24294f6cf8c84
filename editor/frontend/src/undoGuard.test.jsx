// @vitest-environment happy-dom
// An undo or redo step the editor's guard refuses is put back: nothing changes and the step
// can still be taken later (App refuses steps that bring back code the user may not write).
import { describe, it, expect } from 'vitest';
import { act, renderHook } from '@testing-library/react';
import { useEditor } from './useEditor.js';
import { emptyPlaybook } from './model/soar.js';

function withCodeBlock() {
  const doc = emptyPlaybook('guarded');
  doc.coa.data.nodes['2'] = { id: '2', type: 'code', x: 400, y: 200, errors: {}, warnings: {}, userCode: "    phantom.debug('x')\n",
    data: { id: '2', type: 'code', functionName: 'code_1', advanced: { join: [] }, inputParameters: [], outputVariables: [] } };
  return doc;
}

const ids = (result) => result.current.nodes.map((n) => n.id).sort();

describe('undo guard', () => {
  it('keeps the state and the step when the guard refuses, and takes it once allowed', () => {
    const { result } = renderHook(() => useEditor());
    act(() => result.current.load(withCodeBlock()));
    act(() => result.current.selectOnly(['2']));
    act(() => result.current.deleteSelection());
    expect(ids(result)).not.toContain('2');

    const seen = [];
    act(() => result.current.setUndoGuard((json, step) => { seen.push([step, Object.keys(json.coa.data.nodes).sort()]); return true; }));
    act(() => result.current.undo());
    expect(ids(result)).not.toContain('2');
    expect(seen).toEqual([['undo', [...ids(result), '2'].sort()]]);
    expect(result.current.canUndo).toBe(true);
    expect(result.current.canRedo).toBe(false);

    act(() => result.current.setUndoGuard(null));
    act(() => result.current.undo());
    expect(ids(result)).toContain('2');
  });

  it('puts a refused redo back as well', () => {
    const { result } = renderHook(() => useEditor());
    act(() => result.current.load(withCodeBlock()));
    act(() => result.current.selectOnly(['2']));
    act(() => result.current.deleteSelection());
    act(() => result.current.undo());
    act(() => result.current.setUndoGuard((_json, step) => step === 'redo'));
    act(() => result.current.redo());
    expect(ids(result)).toContain('2');
    expect(result.current.canRedo).toBe(true);
    expect(result.current.canUndo).toBe(false);
  });
});
