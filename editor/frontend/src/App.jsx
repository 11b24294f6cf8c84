// The editor shell: loading/saving against the API, toolbar, palette, canvas, panels, dialogs.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { createApi } from './api.js';
import { createSaver } from './model/saving.js';
import { useEditor } from './useEditor.js';
import { EditorContext } from './context.js';
import { codeChanges, codeReadOnly, keyWritesCode, NEEDS_EDIT_CODE, pasteRefusal } from './model/permissions.js';
import { suggestDatapaths } from './model/datapaths.js';
import { parseClip } from './model/clipboard.js';
import { NODE_W } from './model/geometry.js';
import Canvas from './components/Canvas.jsx';
import Palette from './components/Palette.jsx';
import Toolbar from './components/Toolbar.jsx';
import ValidationList, { issuesByNode } from './components/ValidationList.jsx';
import CodeView from './components/CodeView.jsx';
import BlockPanel from './panels/BlockPanel.jsx';
import PlaybookSettings from './panels/PlaybookSettings.jsx';
import { ConflictDialog, VersionsDialog, HelpDialog } from './components/Dialogs.jsx';
import ErrorBoundary from './components/ErrorBoundary.jsx';
import { useShortcuts } from './shortcuts.js';
import { createRunApi } from './run/api.js';
import { useRunGraph, useRunView } from './run/useRunView.js';
import RunDialog from './run/RunDialog.jsx';
import RunPanel, { RUN_PANEL_COLLAPSED_H } from './run/RunPanel.jsx';
import { usePersistentFlag } from './prefs.js';
import { PromptGate } from './run/PromptDialog.jsx';

const CLIP_KEY = 'playbook-studio-clipboard';
const AUTOSAVE_MS = 5000;
const RUN_PANEL_H = 300;

export default function App(props) {
  return <ReactFlowProvider><Editor {...props} /></ReactFlowProvider>;
}

function Editor({ playbookId, apiBase, restBase = '/rest', readOnly: readOnlyProp }) {
  const api = useMemo(() => createApi(apiBase, playbookId), [apiBase, playbookId]);
  const runApi = useMemo(() => createRunApi(apiBase, restBase), [apiBase, restBase]);
  const ed = useEditor();
  const rf = useReactFlow();
  const [meta, setMeta] = useState(null);
  const [loadError, setLoadError] = useState('');
  const [catalog, setCatalog] = useState({ apps: [], assets: [], customFunctions: [], playbooks: [] });
  const [selectedIds, setSelectedIds] = useState([]);
  const [issues, setIssues] = useState([]);
  const [showIssues, setShowIssues] = useState(false);
  const [saveState, setSaveState] = useState({ state: 'idle', message: '' });
  const [conflict, setConflict] = useState(null);
  const [dialog, setDialog] = useState(null); // 'versions' | 'help'
  const [showCode, setShowCode] = useState(false);
  const [viewing, setViewing] = useState(null); // version number opened read-only
  const [container, setContainer] = useState(null);
  const [cefFields, setCefFields] = useState([]);
  const [banner, setBanner] = useState(null);
  // Live run / replay shown on the canvas (issue 8): the run, its panel tab and the block
  // whose results the panel shows.
  const [runDialog, setRunDialog] = useState(false);
  // The run shown is kept in the address (?run=<id>) so a reload comes back to it.
  const [runId, setRunId] = useState(() => {
    const v = Number(new URLSearchParams(window.location.search).get('run'));
    return Number.isInteger(v) && v > 0 ? v : null;
  });
  const [runTab, setRunTab] = useState('log');
  const [runBlock, setRunBlock] = useState(null);
  // The run panel can be collapsed to its summary line (remembered per browser).
  const [runCollapsed, setRunCollapsed] = usePersistentFlag('run-panel-collapsed', false);
  const runPanelH = runCollapsed ? RUN_PANEL_COLLAPSED_H : RUN_PANEL_H;
  const readOnly = readOnlyProp || viewing !== null;
  const storedJson = useRef(null); // the playbook as the server stores it (loaded or saved here)
  // Without the "edit code" permission the page says code is read-only: nothing here may add or
  // change code (the server would refuse every save holding it), removing it stays allowed.
  const codeLocked = useMemo(() => codeReadOnly(), []);
  // Undo can bring back a Code block whose removal was saved: refused, as a paste of one is.
  useEffect(() => {
    ed.setUndoGuard(codeLocked ? (json, step) => {
      const back = codeChanges(storedJson.current, json);
      if (!back.length) return false;
      setBanner({ kind: 'err', text: `Not ${step === 'undo' ? 'undone' : 'redone'}: it brings back ${back.join(', ')}, and writing code ${NEEDS_EDIT_CODE}.` });
      return true;
    } : null);
  }, [codeLocked, ed.setUndoGuard]);
  const edRef = useRef(ed);
  edRef.current = ed;
  const metaRef = useRef(meta);
  metaRef.current = meta;
  // Owns the version the next save is based on (see model/saving.js); one per loaded playbook.
  const saver = useRef(null);
  const savedRev = useRef(0); // the revision this tab saved last, read by queued autosaves
  const runViewRef = useRef(null);

  const load = useCallback(async () => {
    try {
      const res = await api.load();
      setMeta({ id: res.id, name: res.name, version: res.version, active: res.active, draft: res.draft });
      saver.current = createSaver(api.save, res.version);
      savedRev.current = 0;
      storedJson.current = res.json;
      edRef.current.load(res.json);
      setViewing(null);
      setConflict(null);
      setLoadError('');
    } catch (e) {
      setLoadError(e.message || 'could not load the playbook');
    }
  }, [api]);

  // Badges always follow the latest report; the list opens only on explicit actions.
  const applyIssues = useCallback((list, open = false) => {
    setIssues(list || []);
    edRef.current.setIssues(issuesByNode(list || [], edRef.current.nodes));
    if (open && (list || []).length) setShowIssues(true);
  }, []);

  useEffect(() => {
    // Catalogues (the apps list can be megabytes) load after the playbook has rendered; a silent
    // compile then puts problem badges on the blocks.
    let cancelled = false;
    const get = (fn) => fn().catch(() => []);
    load()
      .then(() => new Promise((r) => setTimeout(r, 300)))
      .then(() => (cancelled ? null : Promise.all([get(api.apps), get(api.assets), get(api.customFunctions), get(api.playbooks)])))
      .then((res) => {
        if (cancelled || !res) return;
        const [apps, assets, customFunctions, playbooks] = res;
        setCatalog({ apps: apps || [], assets: assets || [], customFunctions: customFunctions || [], playbooks: (playbooks || []).filter((p) => String(p.id) !== String(playbookId)) });
        if (edRef.current.doc) api.compile(edRef.current.toJson()).then((r) => { if (!cancelled) applyIssues(r?.errors || []); }, () => {});
      });
    return () => { cancelled = true; };
  }, [api, load, playbookId, applyIssues]);

  useEffect(() => {
    if (!container) { setCefFields([]); return; }
    api.cefFields(container.id).then((f) => setCefFields(f || []), () => setCefFields([]));
  }, [container, api]);

  // ---- validation -----------------------------------------------------------------------------
  const validate = useCallback(async () => {
    try { applyIssues((await api.compile(edRef.current.toJson()))?.errors || [], true); setShowIssues(true); } catch (e) { setBanner({ kind: 'err', text: `Validation failed: ${e.message}` }); }
  }, [api, applyIssues]);

  // ---- saving -----------------------------------------------------------------------------------
  const save = useCallback(async ({ auto = false, force = null } = {}) => {
    if (readOnly || !metaRef.current || !saver.current) return !edRef.current.dirty;
    let rev = null;
    let sent = null;
    setSaveState({ state: 'saving', message: auto ? 'Autosaving…' : 'Saving…' });
    try {
      // Queued behind a save in flight, the JSON is taken when this save's turn comes; an
      // autosave finds nothing to do when the save before it took every change.
      const res = await saver.current.save(() => {
        if (auto && !force && edRef.current.revision === savedRev.current) return null;
        rev = edRef.current.revision;
        sent = edRef.current.toJson();
        return sent;
      }, { force });
      if (res.skipped) {
        setSaveState({ state: 'saved', message: `Saved v${res.version}` });
        return true;
      }
      savedRev.current = rev;
      storedJson.current = sent;
      setMeta((m) => ({ ...m, version: res.version, draft: true }));
      edRef.current.markSaved(rev);
      applyIssues(res.errors || [], !auto);
      setSaveState({ state: 'saved', message: `Saved v${res.version}${(res.errors || []).length ? ' (with problems)' : ''}` });
      return edRef.current.revision === rev;
    } catch (e) {
      if (e.status === 409) {
        setConflict({ base: e.base ?? metaRef.current.version, current: e.body.current_version, message: e.body.message || '' });
        setSaveState({ state: 'error', message: 'Conflict' });
      } else {
        if (e.body?.errors) applyIssues(e.body.errors, true);
        setSaveState({ state: 'error', message: `Save failed: ${e.message}` });
      }
      return false;
    }
  }, [readOnly, applyIssues]);

  // Autosave drafts 5 s after the last change, only with unsaved changes.
  useEffect(() => {
    if (!ed.dirty || readOnly || conflict || !meta) return undefined;
    const t = setTimeout(() => save({ auto: true }), AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [ed.revision, ed.dirty, readOnly, conflict, meta, save]);

  useEffect(() => {
    const warn = (e) => { if (edRef.current.dirty) { e.preventDefault(); e.returnValue = ''; } };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  const toggleActive = useCallback(async () => {
    try {
      if (edRef.current.dirty) await save();
      const res = metaRef.current.active ? await api.deactivate() : await api.activate();
      setMeta((m) => ({ ...m, active: res.active }));
      setBanner({ kind: 'ok', text: res.active ? 'Playbook activated.' : 'Playbook deactivated.' });
    } catch (e) {
      if (e.body?.errors) applyIssues(e.body.errors, true);
      setBanner({ kind: 'err', text: `Activation refused: ${e.message}` });
    }
  }, [api, save, applyIssues]);

  // ---- versions ---------------------------------------------------------------------------------
  const openVersion = useCallback(async (n) => {
    if (edRef.current.dirty) await save();
    const v = await api.version(n);
    edRef.current.load(v.json);
    setViewing(v.version ?? n);
    setDialog(null);
    setTimeout(() => rf.fitView({ padding: 0.15, maxZoom: 1.1 }), 50);
  }, [api, save, rf]);
  const restoreVersion = useCallback(async (n) => {
    // A refused restore (an old version's code, without the "edit code" permission) is said.
    try { await api.restore(n); } catch (e) { setDialog(null); setBanner({ kind: 'err', text: `Restore refused: ${e.message}` }); return; }
    setDialog(null);
    await load();
    setBanner({ kind: 'ok', text: `Version ${n} restored.` });
  }, [api, load]);

  // ---- selection / focus --------------------------------------------------------------------
  const onSelectionChange = useCallback(({ nodes }) => {
    setSelectedIds((prev) => {
      const next = nodes.map((n) => n.id);
      return prev.length === next.length && prev.every((x, i) => x === next[i]) ? prev : next;
    });
  }, []);
  const focusBlock = useCallback((id) => {
    const n = edRef.current.nodes.find((x) => x.id === id);
    if (!n) return;
    edRef.current.selectOnly([id]);
    setSelectedIds([id]);
    rf.setCenter(n.position.x + NODE_W / 2, n.position.y + 32, { zoom: Math.max(rf.getZoom(), 0.9), duration: 250 });
  }, [rf]);

  // ---- runs ---------------------------------------------------------------------------------------
  const runGraph = useRunGraph(ed.nodes, ed.edges);
  const runView = useRunView(runApi, runId, runGraph);
  const startRun = useCallback(async ({ containerId, container: picked, scope, simulateWrites }) => {
    // A run executes the saved playbook, so unsaved edits are saved first.
    if (edRef.current.dirty && !(await save())) throw new Error('The playbook could not be saved; the run was not started.');
    const res = await runApi.start({ playbookId, containerId, scope, simulateWrites });
    setRunDialog(false);
    setRunBlock(null);
    setRunTab('log');
    setRunId(res.playbook_run_id ?? res.id);
    if (picked) setContainer((c) => c || picked);
  }, [runApi, playbookId, save]);
  useEffect(() => {
    const url = new URL(window.location.href);
    if (String(runId ?? '') === (url.searchParams.get('run') ?? '')) return;
    if (runId) url.searchParams.set('run', String(runId)); else url.searchParams.delete('run');
    window.history.replaceState(window.history.state, '', url);
  }, [runId]);
  const onNodeClick = useCallback((_e, node) => {
    if (!runId) return;
    setRunBlock(node.data.soar.data?.functionName || null);
    setRunTab('results');
    setRunCollapsed(false); // the block's results are what the click asks for
  }, [runId, setRunCollapsed]);
  const focusRunBlock = useCallback((fn) => {
    const n = edRef.current.nodes.find((x) => x.data.soar.data?.functionName === fn);
    setRunBlock(fn);
    setRunTab('results');
    if (n) focusBlock(n.id);
  }, [focusBlock]);

  const selectedNode = selectedIds.length === 1 ? ed.nodes.find((n) => n.id === selectedIds[0]) : null;
  const selectedId = selectedNode?.id ?? null;

  // Datapath suggestions for the selected block; recomputed on edits, not on drag frames.
  const suggestions = useMemo(() => {
    if (!selectedId) return [];
    const { nodes, edges, doc } = edRef.current;
    return suggestDatapaths(selectedId, { nodes, edges, doc, ...catalog, cefFields });
  }, [selectedId, ed.revision, ed.edges, catalog, cefFields]);
  const ctx = useMemo(() => ({ ...catalog, suggestions, readOnly }), [catalog, suggestions, readOnly]);

  // ---- clipboard ------------------------------------------------------------------------------
  const copy = useCallback(() => {
    const payload = edRef.current.copy();
    if (!payload.nodes.length) return;
    // Stamped, so a paste can tell this copy from an older one still on the system clipboard
    // (writeText is asynchronous and may not have landed when Ctrl+V follows at once).
    const text = JSON.stringify({ ...payload, copiedAt: Date.now() });
    try { localStorage.setItem(CLIP_KEY, text); } catch { /* storage full or disabled */ }
    navigator.clipboard?.writeText(text).catch(() => {});
    setBanner({ kind: 'ok', text: `Copied ${payload.nodes.length} block(s).` });
  }, []);
  const pasteFromText = useCallback((text) => {
    const system = parseClip(text);
    let local = null;
    try { local = parseClip(localStorage.getItem(CLIP_KEY)); } catch { /* storage disabled */ }
    const payload = system && local ? ((local.copiedAt || 0) > (system.copiedAt || 0) ? local : system) : (system || local);
    if (!payload || readOnly) return;
    // Said in the page, not dropped silently: the blocks would be refused on every save.
    const refusal = codeLocked ? pasteRefusal(payload) : null;
    if (refusal) { setBanner({ kind: 'err', text: refusal }); return; }
    edRef.current.paste(payload);
  }, [readOnly, codeLocked]);

  const exportPic = useCallback(async (kind) => {
    try { const { exportPicture } = await import('./picture.js'); await exportPicture(kind, rf, edRef.current.nodes, metaRef.current?.name || 'playbook'); } catch (e) { setBanner({ kind: 'err', text: `Export failed: ${e.message}` }); }
  }, [rf]);

  useShortcuts({ ed: edRef, readOnly, save, copy, pasteFromText, rf, setDialog, setShowCode, focusSearch: () => document.querySelector('[data-testid=search-input]')?.focus(), clearSelection: () => { edRef.current.selectOnly([]); setSelectedIds([]); setDialog(null); } });

  // Public hooks for live runs and tests.
  useEffect(() => {
    window.playbookEditor = {
      setBlockStatuses: (map, opts) => edRef.current.setStatuses(map || {}, !!opts?.reset),
      getJson: () => edRef.current.toJson(),
      isDirty: () => edRef.current.dirty,
      save: () => save(),
      undo: () => edRef.current.undo(),
      redo: () => edRef.current.redo(),
      selectBlock: (id) => focusBlock(String(id)),
      reload: () => load(),
      showRun: (id) => setRunId(id ? Number(id) : null),
      getRunState: () => runViewRef.current,
    };
  }, [save, focusBlock, load]);

  runViewRef.current = runId ? { runId, shown: runView.shown, total: runView.events.length, status: runView.state.run.status, blocks: runView.overlay.blocks } : null;

  useEffect(() => { if (!banner) return undefined; const t = setTimeout(() => setBanner(null), 4000); return () => clearTimeout(t); }, [banner]);

  if (loadError) return <div className="pb-editor"><div className="banner err pad">Could not open the playbook: {loadError}</div></div>;
  return (
    <EditorContext.Provider value={ctx}>
      <div className={`pb-editor${readOnly ? ' readonly' : ''}`} data-testid="playbook-editor-root">
        <Toolbar meta={meta} ed={ed} readOnly={readOnly} readOnlyProp={readOnlyProp} viewing={viewing} saveState={saveState} issues={issues}
          onSave={() => save()} onRun={() => setRunDialog(true)} running={runView.running} onValidate={validate} onToggleActive={toggleActive} onVersions={() => setDialog('versions')} onHelp={() => setDialog('help')}
          onCode={() => setShowCode((v) => !v)} onExport={exportPic} onFocus={focusBlock} onBackToCurrent={load}
          onIssues={() => setShowIssues((v) => !v)} onLayout={() => { ed.layout(); setTimeout(() => rf.fitView({ padding: 0.15, duration: 200 }), 30); }} />
        {banner && <div className={`toast ${banner.kind}`} data-testid="toast">{banner.text}</div>}
        <div className="pb-main">
          <Palette onAdd={(key) => {
            if (codeLocked && keyWritesCode(key)) return;
            const sel = selectedNode;
            const center = rf.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 });
            const pos = sel ? { x: sel.position.x, y: sel.position.y + 130 } : { x: center.x - NODE_W / 2, y: center.y };
            // After a selected block (not an end, nor a decision or filter whose branch is
            // not known), the new block is spliced in: it takes over the selection's outgoing edges.
            if (sel && !['end', 'decision', 'filter'].includes(sel.data.soar.type)) ed.addAfter(key, pos, sel.id);
            else ed.addBlock(key, pos);
          }} readOnly={readOnly} codeLocked={codeLocked} />
          <div className="pb-center">
            {ed.doc ? <Canvas key={viewing ?? 'current'} ed={ed} readOnly={readOnly} codeLocked={codeLocked} onSelectionChange={onSelectionChange}
              run={runId ? runView.overlay : null} onNodeClick={onNodeClick} bottomInset={runId ? runPanelH : 0} /> : <div className="pad muted" data-testid="loading">Loading playbook…</div>}
            {runId ? (
              <ErrorBoundary label="Run panel" key={`run-${runId}`}>
                <RunPanel view={runView} runApi={runApi} selectedFn={runBlock} tab={runTab} onTab={setRunTab} height={RUN_PANEL_H} collapsed={runCollapsed} onCollapse={setRunCollapsed}
                  history={{ playbook: Number(playbookId), container: container?.id }} onOpenRun={(id) => { setRunBlock(null); setRunId(id); }}
                  onClose={() => setRunId(null)} onFocusBlock={focusRunBlock} />
              </ErrorBoundary>
            ) : null}
            {showIssues && <ValidationList issues={issues} nodes={ed.nodes} onFocus={focusBlock} onClose={() => setShowIssues(false)} />}
            {showCode && (
              <ErrorBoundary label="Code view"><CodeView api={api} toJson={ed.toJson} selected={selectedId} nodes={ed.nodes} doc={ed.doc} updateNode={ed.updateNode} updateDoc={ed.updateDoc}
                readOnly={readOnly || codeLocked} codeLocked={codeLocked} onCompiled={applyIssues} onClose={() => setShowCode(false)} /></ErrorBoundary>
            )}
          </div>
          <ErrorBoundary label="Panel" key={selectedNode?.id ?? 'playbook'}>{selectedNode ? (
            <BlockPanel key={selectedNode.id} node={selectedNode} nodes={ed.nodes} edges={ed.edges} updateNode={ed.updateNode} doc={ed.doc} updateDoc={ed.updateDoc} readOnly={readOnly} onClose={() => { ed.selectOnly([]); setSelectedIds([]); }} />
          ) : (
            <PlaybookSettings doc={ed.doc} meta={meta} updateDoc={ed.updateDoc} readOnly={readOnly} api={api} container={container} onContainer={setContainer} />
          )}</ErrorBoundary>
        </div>
        {conflict && (
          <ConflictDialog conflict={conflict} myJson={ed.toJson()} onClose={() => setConflict(null)}
            onReload={() => load()} onOverwrite={() => { const cur = conflict.current; setConflict(null); save({ force: cur }); }} />
        )}
        {dialog === 'versions' && <VersionsDialog api={api} current={meta?.version} readOnly={readOnlyProp} onOpen={openVersion} onRestore={restoreVersion} onClose={() => setDialog(null)} />}
        {dialog === 'help' && <HelpDialog onClose={() => setDialog(null)} />}
        {runDialog && <RunDialog runApi={runApi} playbookName={meta?.name} dirty={ed.dirty} initialContainer={container} onStart={startRun} onClose={() => setRunDialog(false)} />}
        {runId ? <PromptGate view={runView} runApi={runApi} /> : null}
      </div>
    </EditorContext.Provider>
  );
}
