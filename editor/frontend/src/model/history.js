// Undo/redo over immutable snapshots. Consecutive pushes with the same coalesce key inside
// `coalesceMs` (typing into one field) become one step.

export function createHistory({ limit = 200, coalesceMs = 1000, now = () => Date.now() } = {}) {
  let past = [];
  let future = [];
  let lastKey = null;
  let lastAt = 0;
  return {
    /** Record the state *before* a change. */
    push(snapshot, key = null) {
      const t = now();
      if (key && key === lastKey && t - lastAt < coalesceMs && past.length) {
        lastAt = t;
        future = [];
        return;
      }
      past.push(snapshot);
      if (past.length > limit) past = past.slice(past.length - limit);
      future = [];
      lastKey = key;
      lastAt = t;
    },
    /** Returns the snapshot to restore, or null. `current` goes onto the redo stack. */
    undo(current) {
      if (!past.length) return null;
      future.push(current);
      lastKey = null;
      return past.pop();
    },
    redo(current) {
      if (!future.length) return null;
      past.push(current);
      lastKey = null;
      return future.pop();
    },
    clear() { past = []; future = []; lastKey = null; },
    get canUndo() { return past.length > 0; },
    get canRedo() { return future.length > 0; },
    get size() { return past.length; },
  };
}
