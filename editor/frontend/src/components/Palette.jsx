// Block palette: drag an entry onto the canvas, or click it to add below the selection.
import { memo } from 'react';
import { BLOCK_TYPES } from '../model/blocktypes.js';

export const DND_TYPE = 'application/x-playbook-block';

function Palette({ onAdd, readOnly }) {
  return (
    <nav className="palette" aria-label="Blocks">
      <div className="palette-title">Blocks</div>
      {BLOCK_TYPES.map((b) => (
        <button type="button" key={b.key} className="palette-item" data-testid={`palette-${b.key}`} style={{ '--c': b.color }} disabled={readOnly}
          draggable={!readOnly} title={`${b.hint} — drag onto the canvas or click`}
          onDragStart={(e) => { e.dataTransfer.setData(DND_TYPE, b.key); e.dataTransfer.setData('text/plain', b.key); e.dataTransfer.effectAllowed = 'move'; }}
          onClick={() => onAdd(b.key)}>
          <span className="palette-icon">{b.icon}</span>
          <span className="palette-label">{b.label}</span>
        </button>
      ))}
    </nav>
  );
}

export default memo(Palette);

/** Floating type picker shown after dropping a connection on empty canvas. */
export function TypePicker({ x, y, onPick, onClose }) {
  return (
    <div className="type-picker" style={{ left: x, top: y }} data-testid="type-picker" onMouseLeave={onClose}>
      <div className="muted small pad">Add block</div>
      {BLOCK_TYPES.map((b) => (
        <button type="button" key={b.key} data-testid={`type-picker-${b.key}`} style={{ '--c': b.color }} onClick={() => onPick(b.key)}>
          <span className="palette-icon">{b.icon}</span>{b.label}
        </button>
      ))}
    </div>
  );
}
