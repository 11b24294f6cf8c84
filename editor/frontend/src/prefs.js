// Layout choices remembered per browser (localStorage): the minimap and the run panel can be
// collapsed (issue 20: at 1024 x 700 they covered blocks and half the canvas).
import { useCallback, useState } from 'react';

const PREFIX = 'playbook-studio-layout:';

export function readFlag(name, initial) {
  try {
    const v = localStorage.getItem(PREFIX + name);
    return v === null ? initial : v === '1';
  } catch {
    return initial; // storage disabled: the default, not remembered
  }
}

/** `[value, setValue]` of a boolean layout choice, kept in localStorage under `name`. */
export function usePersistentFlag(name, initial) {
  const [value, setValue] = useState(() => readFlag(name, initial));
  const set = useCallback((next) => {
    setValue((prev) => {
      const v = typeof next === 'function' ? next(prev) : next;
      try { localStorage.setItem(PREFIX + name, v ? '1' : '0'); } catch { /* storage full or disabled */ }
      return v;
    });
  }, [name]);
  return [value, set];
}
