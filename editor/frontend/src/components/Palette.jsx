// Block palette: drag an entry onto the canvas, or click it to add below the selection.
import { memo } from 'react';
import { BLOCK_TYPES } from '../model/blocktypes.js';
import { keyWritesCode, NEEDS_EDIT_CODE } from '../model/permissions.js';

export const DND_TYPE = 'application/x-playbook-block';

// A user without the "edit code" permission (codeLocked) sees the Code entry disabled, saying
// why: the server would refuse every save of a playbook holding it.
function Palette({ onAdd, readOnly, codeLocked = false }) {
  return (
    <nav className="palette" aria-label="Blocks">
      <div className="palette-title">Blocks</div>
      {BLOCK_TYPES.map((b) => {
        const locked = codeLocked && keyWritesCode(b.key);
        const off = readOnly || locked;
        return (
          <button type="button" key={b.key} className="palette-item" data-testid={`palette-${b.key}`} style={{ '--c': b.color }} disabled={off}
            draggable={!off} title={locked ? `${b.hint} — ${NEEDS_EDIT_CODE}` : `${b.hint} — drag onto the canvas or click`}
            onDragStart={(e) => { e.dataTransfer.setData(DND_TYPE, b.key); e.dataTransfer.setData('text/plain', b.key); e.dataTransfer.effectAllowed = 'move'; }}
            onClick={() => { if (!off) onAdd(b.key); }}>
            <span className="palette-icon">{b.icon}</span>
            <span className="palette-label">{b.label}</span>
          </button>
        );
      })}
    </nav>
  );
}

export default memo(Palette);

/** Floating type picker shown after dropping a connection on empty canvas. */
export function TypePicker({ x, y, onPick, onClose, codeLocked = false }) {
  return (
    <div className="type-picker" style={{ left: x, top: y }} data-testid="type-picker" onMouseLeave={onClose}>
      <div className="muted small pad">Add block</div>
      {BLOCK_TYPES.map((b) => {
        const locked = codeLocked && keyWritesCode(b.key);
        return (
          <button type="button" key={b.key} data-testid={`type-picker-${b.key}`} style={{ '--c': b.color }} disabled={locked}
            title={locked ? `${b.hint} — ${NEEDS_EDIT_CODE}` : b.hint} onClick={() => { if (!locked) onPick(b.key); }}>
            <span className="palette-icon">{b.icon}</span>{b.label}
          </button>
        );
      })}
    </div>
  );
}
