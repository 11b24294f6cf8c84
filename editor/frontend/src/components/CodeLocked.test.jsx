// @vitest-environment happy-dom
// Without the "edit code" permission the Code entry of the palette and of the block-type picker
// is disabled and says why; every other entry still adds its block.
import { describe, it, expect, afterEach } from 'vitest';
import { render, screen, fireEvent, cleanup } from '@testing-library/react';
import Palette, { TypePicker } from './Palette.jsx';

afterEach(cleanup);

describe('palette and type picker without the edit code permission', () => {
  it('disables the palette Code entry with a title saying why and adds nothing on click', () => {
    const added = [];
    render(<Palette onAdd={(k) => added.push(k)} readOnly={false} codeLocked />);
    const code = screen.getByTestId('palette-code');
    expect(code.disabled).toBe(true);
    expect(code.getAttribute('draggable')).toBe('false');
    expect(code.title).toContain("needs the 'edit code' permission");
    fireEvent.click(code);
    fireEvent.click(screen.getByTestId('palette-format'));
    expect(added).toEqual(['format']);
  });

  it('disables the Code entry of the type picker and picks the others', () => {
    const picked = [];
    render(<TypePicker x={0} y={0} onPick={(k) => picked.push(k)} onClose={() => {}} codeLocked />);
    const code = screen.getByTestId('type-picker-code');
    expect(code.disabled).toBe(true);
    expect(code.title).toContain("needs the 'edit code' permission");
    fireEvent.click(code);
    fireEvent.click(screen.getByTestId('type-picker-action'));
    expect(picked).toEqual(['action']);
  });

  it('offers Code to a user with the permission', () => {
    const added = [];
    render(<Palette onAdd={(k) => added.push(k)} readOnly={false} />);
    render(<TypePicker x={0} y={0} onPick={(k) => added.push(k)} onClose={() => {}} />);
    expect(screen.getByTestId('palette-code').disabled).toBe(false);
    expect(screen.getByTestId('type-picker-code').disabled).toBe(false);
    fireEvent.click(screen.getByTestId('palette-code'));
    fireEvent.click(screen.getByTestId('type-picker-code'));
    expect(added).toEqual(['code', 'code']);
  });
});
