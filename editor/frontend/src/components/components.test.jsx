// @vitest-environment happy-dom
import { describe, it, expect, afterEach } from 'vitest';
import { render, screen, fireEvent, cleanup } from '@testing-library/react';
import ValidationList, { issuesByNode } from './ValidationList.jsx';
import { HelpDialog, SHORTCUTS } from './Dialogs.jsx';
import Palette from './Palette.jsx';
import { BLOCK_TYPES } from '../model/blocktypes.js';
import { toFlow, emptyPlaybook } from '../model/soar.js';

afterEach(cleanup);

const { nodes } = toFlow(emptyPlaybook());

describe('validation list', () => {
  const issues = [
    { block_id: '0', field: '', message: 'start problem', severity: 'error' },
    { block_id: 'on_finish', field: 'userCode', message: 'end warning', severity: 'warning' },
    { block_id: null, field: '', message: 'playbook-level', severity: 'error' },
  ];

  it('maps block_id given as node id or functionName', () => {
    const m = issuesByNode(issues, nodes);
    expect([...m.keys()].sort()).toEqual(['0', '1']);
    expect(m.get('1')[0].message).toBe('end warning');
  });

  it('focuses the block of a clicked problem', () => {
    const focused = [];
    render(<ValidationList issues={issues} nodes={nodes} onFocus={(id) => focused.push(id)} onClose={() => {}} />);
    expect(screen.getByTestId('validation-list').textContent).toContain('playbook-level');
    fireEvent.click(screen.getByTestId('validation-item-1'));
    fireEvent.click(screen.getByTestId('validation-item-2'));
    expect(focused).toEqual(['1']);
  });
});

describe('palette and help', () => {
  it('has an entry per block type and adds on click', () => {
    const added = [];
    render(<Palette onAdd={(k) => added.push(k)} readOnly={false} />);
    for (const b of BLOCK_TYPES) expect(screen.getByTestId(`palette-${b.key}`)).toBeTruthy();
    fireEvent.click(screen.getByTestId('palette-custom_function'));
    expect(added).toEqual(['custom_function']);
  });

  it('lists every shortcut', () => {
    render(<HelpDialog onClose={() => {}} />);
    expect(screen.getByTestId('help-overlay').querySelectorAll('tr')).toHaveLength(SHORTCUTS.length);
  });
});
