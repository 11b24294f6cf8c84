// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest';
import { useState } from 'react';
import { render, screen, fireEvent, cleanup } from '@testing-library/react';
import DatapathInput from './DatapathInput.jsx';
import { EditorContext } from '../context.js';

afterEach(cleanup);

const suggestions = [
  { value: 'artifact:*.cef.sourceAddress', group: 'Artifacts' },
  { value: 'artifact:*.cef.destinationAddress', group: 'Artifacts' },
];

function Field() {
  const [value, setValue] = useState('');
  return (
    <EditorContext.Provider value={{ suggestions, readOnly: false }}>
      <DatapathInput value={value} onChange={setValue} testid="dp" />
    </EditorContext.Provider>
  );
}

describe('datapath field', () => {
  it('closes its suggestion list on Escape without the key reaching the editor, then lets Escape through', () => {
    const reached = [];
    const listen = (e) => reached.push(e.key);
    window.addEventListener('keydown', listen);
    try {
      render(<Field />);
      fireEvent.focus(screen.getByTestId('dp'));
      expect(screen.getByTestId('dp-suggestions')).toBeTruthy();
      fireEvent.keyDown(screen.getByTestId('dp'), { key: 'Escape' });
      expect(screen.queryByTestId('dp-suggestions')).toBe(null);
      expect(reached).toEqual([]); // the panel stays open
      fireEvent.keyDown(screen.getByTestId('dp'), { key: 'Escape' });
      expect(reached).toEqual(['Escape']); // the list was closed: the editor's Escape closes the panel
    } finally {
      window.removeEventListener('keydown', listen);
    }
  });
});
