// The run panel under the canvas: status and per-status block counts, a timeline to scrub
// through the stored events, the debug log with level filters, the selected block's
// results, and the run history of the playbook and the container.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { LOG_LEVELS, STATUSES, nextStop, prevStop } from './model.js';
import BlockResults from './BlockResults.jsx';
import './run.css';

function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour12: false });
}

export function Timeline({ view }) {
  const { events, shown, follow, seek, goLive, finished } = view;
  const at = shown > 0 ? events[shown - 1] : null;
  return (
    <div className="run-timeline">
      <button type="button" data-testid="run-timeline-start" title="Before the first event" onClick={() => seek(0)} disabled={!events.length}>«</button>
      <button type="button" data-testid="run-timeline-prev" title="Previous step" onClick={() => seek(prevStop(events, shown))} disabled={!shown}>◀</button>
      <input type="range" data-testid="run-timeline" min={0} max={events.length} value={shown} aria-label="timeline"
        onChange={(e) => seek(Number(e.target.value))} />
      <button type="button" data-testid="run-timeline-next" title="Next step" onClick={() => seek(nextStop(events, shown))} disabled={shown >= events.length}>▶</button>
      <button type="button" data-testid="run-timeline-live" className={follow ? 'on' : ''} title={finished ? 'Jump to the end' : 'Follow the live run'} onClick={goLive}>
        {finished ? 'end »' : '● live'}
      </button>
      <span className="muted small nowrap" data-testid="run-timeline-position" data-shown={shown} data-total={events.length}>
        {shown}/{events.length}{at ? ` · ${at.kind} · ${fmtTime(at.created)}` : ''}
      </span>
    </div>
  );
}

export function RunLog({ lines, onFocusBlock, follow }) {
  const [levels, setLevels] = useState(() => new Set(LOG_LEVELS));
  const [text, setText] = useState('');
  const box = useRef(null);
  const shown = useMemo(() => {
    const t = text.trim().toLowerCase();
    return lines.filter((l) => levels.has(l.level) && (!t || l.message.toLowerCase().includes(t) || l.block.toLowerCase().includes(t)));
  }, [lines, levels, text]);
  const counts = useMemo(() => {
    const c = Object.fromEntries(LOG_LEVELS.map((k) => [k, 0]));
    for (const l of lines) c[l.level] += 1;
    return c;
  }, [lines]);
  useEffect(() => { if (follow && box.current) box.current.scrollTop = box.current.scrollHeight; }, [shown, follow]);
  const toggle = (lv) => setLevels((s) => { const n = new Set(s); if (n.has(lv)) n.delete(lv); else n.add(lv); return n; });
  return (
    <div className="run-log-wrap">
      <div className="run-log-filters">
        {LOG_LEVELS.map((lv) => (
          <label key={lv} className={`lvl lvl-${lv}`}><input type="checkbox" data-testid={`log-level-${lv}`} checked={levels.has(lv)} onChange={() => toggle(lv)} /> {lv} <span className="muted">{counts[lv]}</span></label>
        ))}
        <input className="run-log-search" data-testid="log-search" placeholder="filter text or block" value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <ol className="run-log" data-testid="run-log" ref={box}>
        {shown.slice(-2000).map((l) => (
          <li key={l.seq} className={`log-line lvl-${l.level}`} data-testid="log-line" data-level={l.level} data-block={l.block} data-seq={l.seq}>
            <span className="log-time">{fmtTime(l.time)}</span>
            <span className={`log-level lvl-${l.level}`}>{l.level}</span>
            {l.block ? <button type="button" className="link-btn log-block" onClick={() => onFocusBlock?.(l.block)}>{l.block}</button> : <span className="log-block" />}
            <span className="log-msg">{l.message}</span>
          </li>
        ))}
        {!shown.length && <li className="muted small">{lines.length ? 'No line matches the filters.' : 'No log lines yet.'}</li>}
      </ol>
    </div>
  );
}

export function RunHistory({ runApi, playbook, container, current, onOpenRun, refreshKey }) {
  const [which, setWhich] = useState(playbook ? 'playbook' : 'container');
  const [list, setList] = useState(null);
  const [err, setErr] = useState('');
  useEffect(() => {
    const params = which === 'playbook' ? { playbook } : { container };
    if (!params.playbook && !params.container) { setList([]); return undefined; }
    let cancelled = false;
    runApi.runs(params).then((r) => { if (!cancelled) { setList(r?.data || []); setErr(''); } }, (e) => { if (!cancelled) setErr(e.message); });
    return () => { cancelled = true; };
  }, [runApi, which, playbook, container, refreshKey]);
  return (
    <div className="run-history" data-testid="run-history" data-scope={which}>
      <div className="run-history-scope">
        {playbook ? <label><input type="radio" data-testid="run-history-playbook" checked={which === 'playbook'} onChange={() => setWhich('playbook')} /> this playbook</label> : null}
        {container ? <label><input type="radio" data-testid="run-history-container" checked={which === 'container'} onChange={() => setWhich('container')} /> container #{container}</label> : null}
      </div>
      {err && <div className="banner err">{err}</div>}
      {list === null ? <p className="muted small">Loading…</p> : !list.length ? <p className="muted small" data-testid="run-history-empty">No runs yet.</p> : (
        <table className="run-history-table"><tbody>
          {list.map((r) => (
            <tr key={r.id} className={r.id === current ? 'current' : ''} data-testid={`run-history-item-${r.id}`} data-status={r.status} onClick={() => onOpenRun(r.id)}>
              <td>#{r.id}</td><td><span className={`pill status-pill ${r.status}`}>{r.status}</span></td>
              <td>{which === 'playbook' ? `#${r.container} ${r.container_name}` : r.playbook_name}</td>
              <td className="muted small">{r.start_time ? new Date(r.start_time).toLocaleString() : ''}</td>
              <td className="muted small">{r.owner || ''}</td>
              <td><a href={r.url} onClick={(e) => e.stopPropagation()} data-testid={`run-history-page-${r.id}`}>open ↗</a></td>
            </tr>
          ))}
        </tbody></table>
      )}
    </div>
  );
}

export function RunSummary({ view, onClose, pageLink, collapsed, onCollapse }) {
  const { state, counts, detail, connection, runId } = view;
  const status = view.finished ? state.run.status : detail?.status === 'pending' && state.run.status === 'pending' ? 'pending' : state.run.status;
  return (
    <div className="run-summary">
      <b data-testid="run-id">Run #{runId}</b>
      <span className={`pill status-pill ${status}`} data-testid="run-status" data-status={status}>{status}</span>
      {detail ? <span className="muted small">{detail.playbook_name} v{detail.version ?? '?'} on #{detail.container} {detail.container_name} · scope {JSON.stringify(detail.scope)}{detail.simulate_writes ? ' · writes simulated' : ''}</span> : null}
      <span className="run-counts" data-testid="run-counts">
        {STATUSES.map((k) => (counts[k] ? <span key={k} className={`run-count ${k}`} data-testid={`run-count-${k}`} data-count={counts[k]}>{counts[k]} {k}</span> : null))}
      </span>
      <span className={`run-conn ${connection}`} data-testid="run-connection" data-state={connection} title={`live stream: ${connection}`}>{connection === 'open' ? '● live' : connection}</span>
      {state.run.message ? <span className="run-message err small" data-testid="run-message" title={state.run.message}>{state.run.message}</span> : null}
      <span className="grow" />
      {pageLink ? <a href={`/runs/${runId}`} target="_blank" rel="noreferrer" data-testid="run-open-page">run page ↗</a> : null}
      {onCollapse ? (
        <button type="button" className="icon-btn" data-testid="run-panel-collapse" aria-expanded={!collapsed}
          title={collapsed ? 'Show the run panel' : 'Collapse the run panel'} onClick={() => onCollapse(!collapsed)}>{collapsed ? '▴' : '▾'}</button>
      ) : null}
      {onClose ? <button type="button" className="icon-btn" data-testid="run-close" title="Close the run view" onClick={onClose}>×</button> : null}
    </div>
  );
}

// Height of a collapsed panel: its summary line only.
export const RUN_PANEL_COLLAPSED_H = 38;

function RunPanel({ view, runApi, selectedFn, tab, onTab, history, onOpenRun, onClose, onFocusBlock, pageLink = true, height, collapsed = false, onCollapse }) {
  const lines = view.state.log;
  const historyKey = `${view.runId}:${view.finished}`;
  return (
    <section className={`run-panel${collapsed ? ' collapsed' : ''}`} data-testid="run-panel" data-run-id={view.runId} data-collapsed={collapsed ? 'true' : 'false'}
      style={collapsed ? { height: RUN_PANEL_COLLAPSED_H } : height ? { height } : undefined}>
      <RunSummary view={view} onClose={onClose} pageLink={pageLink} collapsed={collapsed} onCollapse={onCollapse} />
      {collapsed ? null : <>
        {view.error ? <div className="banner err" data-testid="run-error">{view.error}</div> : null}
        <Timeline view={view} />
        <div className="run-tabs" role="tablist">
          {[['log', `Log (${lines.length})`], ['results', selectedFn ? `Results · ${selectedFn}` : 'Results'], ['history', 'Runs']].map(([k, label]) => (
            <button type="button" key={k} role="tab" aria-selected={tab === k} className={tab === k ? 'on' : ''} data-testid={`run-tab-${k}`} onClick={() => onTab(k)}>{label}</button>
          ))}
        </div>
        <div className="run-tab-body">
          {tab === 'log' && <RunLog lines={lines} onFocusBlock={onFocusBlock} follow={view.follow} />}
          {tab === 'results' && <BlockResults runApi={runApi} runId={view.runId} fn={selectedFn} block={selectedFn ? view.state.blocks[selectedFn] : null} />}
          {tab === 'history' && <RunHistory runApi={runApi} playbook={history?.playbook} container={history?.container ?? view.detail?.container} current={view.runId} onOpenRun={onOpenRun} refreshKey={historyKey} />}
        </div>
      </>}
    </section>
  );
}

export default memo(RunPanel);
