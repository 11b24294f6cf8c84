// The run page (/runs/<id>, templates/runs/run.html): a run painted on the playbook version it
// executed, read-only, for analysts who never open the editor. Prompts addressed to the
// viewer can still be answered here.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { useEditor } from '../useEditor.js';
import { EditorContext } from '../context.js';
import Canvas from '../components/Canvas.jsx';
import ErrorBoundary from '../components/ErrorBoundary.jsx';
import { createRunApi } from './api.js';
import { useRunGraph, useRunView } from './useRunView.js';
import RunPanel, { RUN_PANEL_COLLAPSED_H } from './RunPanel.jsx';
import { usePersistentFlag } from '../prefs.js';
import { PromptGate } from './PromptDialog.jsx';

const PANEL_H = 330;
const CTX = { suggestions: [], apps: [], assets: [], customFunctions: [], playbooks: [], readOnly: true };

export default function RunApp(props) {
  return <ReactFlowProvider><RunPage {...props} /></ReactFlowProvider>;
}

function RunPage({ runId, apiBase, restBase }) {
  const runApi = useMemo(() => createRunApi(apiBase, restBase), [apiBase, restBase]);
  const ed = useEditor();
  const graph = useRunGraph(ed.nodes, ed.edges);
  const view = useRunView(runApi, runId, graph);
  const [tab, setTab] = useState('log');
  const [selected, setSelected] = useState(null);
  const [collapsed, setCollapsed] = usePersistentFlag('run-panel-collapsed', false);
  const panelH = collapsed ? RUN_PANEL_COLLAPSED_H : PANEL_H;
  const loaded = useRef(null);

  useEffect(() => {
    const doc = view.detail?.playbook_json;
    if (!view.detail || loaded.current === view.detail.id) return;
    loaded.current = view.detail.id;
    if (doc) ed.load(doc);
  }, [view.detail, ed]);

  const onNodeClick = useCallback((_e, node) => {
    setSelected(node.data.soar.data?.functionName || null);
    setTab('results');
    setCollapsed(false); // the block's results are what the click asks for
  }, [setCollapsed]);
  const focus = useCallback((fn) => {
    setSelected(fn);
    setTab('results');
  }, []);

  const d = view.detail;
  return (
    <EditorContext.Provider value={CTX}>
      <div className="pb-editor readonly run-page" data-testid="run-page" data-run-id={runId}>
        <header className="pb-toolbar">
          <div className="brand" title="Playbook Studio">▣</div>
          <div className="pb-name">
            <div className="name" data-testid="run-title">Run #{runId}{d ? ` · ${d.playbook_name}` : ''}</div>
            <div className="muted small">{d ? `v${d.version ?? '?'} · container #${d.container} ${d.container_name} · started by ${d.owner || 'automation'}` : 'Loading…'}</div>
          </div>
          <span className="grow" />
          {d ? <a className="tb-link" href={`/playbooks/${d.playbook}/edit?readonly=1`} data-testid="run-open-playbook">Playbook ↗</a> : null}
          {d?.parent_run ? <a className="tb-link" href={`/runs/${d.parent_run}`} data-testid="run-parent">Parent run ↗</a> : null}
        </header>
        <div className="pb-main">
          <div className="pb-center">
            {d && !Object.keys(d.playbook_json?.coa?.data?.nodes || {}).length ? <div className="pad muted run-no-graph" data-testid="run-no-graph">This playbook has no blocks to draw (it is Python code); the log and results below still show the run.</div> : null}
            {ed.doc ? (
              <ErrorBoundary label="Canvas">
                <Canvas ed={ed} readOnly run={view.overlay} onSelectionChange={() => {}} onNodeClick={onNodeClick} bottomInset={panelH} />
              </ErrorBoundary>
            ) : null}
            <RunPanel view={view} runApi={runApi} selectedFn={selected} tab={tab} onTab={setTab} height={PANEL_H} collapsed={collapsed} onCollapse={setCollapsed} pageLink={false}
              history={{ playbook: d?.playbook, container: d?.container }} onOpenRun={(id) => { window.location.assign(`/runs/${id}`); }} onFocusBlock={focus} />
          </div>
        </div>
        <PromptGate view={view} runApi={runApi} />
      </div>
    </EditorContext.Provider>
  );
}
