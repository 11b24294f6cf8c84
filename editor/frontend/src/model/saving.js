// Saving against the server's optimistic lock (PUT with base_version, 409 when stale), kept out
// of React state: the version a save is based on must be right the moment the save starts,
// not one render later, or a tab's own autosave looks like somebody else's save.

/**
 * One saver per loaded playbook. `put(json, baseVersion)` answers {version, ...} or throws
 * an error carrying `status` (409 with `body.current_version` when the base is stale).
 *
 * Saves run one after another: a save started while another is in flight waits for it and
 * is then based on the version that save made, so every save this tab makes (autosave
 * included) advances the base of the next one. A save by another tab or user still makes
 * the server answer 409, which is passed on with the base that was sent.
 */
export function createSaver(put, version) {
  let base = version;
  const own = new Set();
  let queue = Promise.resolve();

  /**
   * Queue a save. `body()` is called when this save's turn comes (so it sends what the editor
   * holds then) and returns the JSON, or null when there is nothing left to save.
   * With `force`, the save is based on that version (overwrite after a conflict).
   */
  function save(body, { force = null } = {}) {
    const run = async () => {
      const json = body();
      if (json === null || json === undefined) return { skipped: true, version: base };
      const sent = force ?? base;
      try {
        const res = await put(json, sent);
        base = res.version;
        own.add(res.version);
        return res;
      } catch (e) {
        e.base = sent;
        throw e;
      }
    };
    const p = queue.then(run, run);
    queue = p.catch(() => {}); // a failed save must not block the next one
    return p;
  }

  return {
    save,
    /** The version the next save will be based on. */
    get version() { return base; },
    /** Whether this tab saved version `n` itself. */
    savedHere: (n) => own.has(n),
  };
}
