// What a run looks like on the canvas, folded from its stored events (engine/events.py kinds).
// Pure: the same events always give the same picture, so live view, reload and replay of a
// past run (timeline scrubbing) are one function over a prefix of the event list.
import { handleIndex } from '../model/soar.js';

export const STATUSES = ['pending', 'running', 'waiting', 'success', 'failed', 'skipped'];
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'event'];
const TERMINAL = new Set(['success', 'failed', 'cancelled']);

/** The parts of the canvas graph a run is painted on: blocks by functionName, edges by id. */
export function runGraph(nodes, edges) {
  const fnById = new Map();
  const blocks = {};
  for (const n of nodes) {
    const d = n.data?.soar?.data || {};
    if (!d.functionName) continue;
    fnById.set(n.id, d.functionName);
    const conds = Array.isArray(d.conditions) ? d.conditions : [];
    blocks[d.functionName] = { id: n.id, type: d.type || n.data.soar.type, elseIndex: conds.findIndex((c) => c?.type === 'else') };
  }
  const graphEdges = [];
  for (const e of edges) {
    const from = fnById.get(e.source);
    const to = fnById.get(e.target);
    if (from && to) graphEdges.push({ id: e.id, from, to, index: handleIndex(e.sourceHandle) });
  }
  return { blocks, edges: graphEdges };
}

/** A cheap key that changes only when names or wiring change (not on drags). */
export function graphKey(graph) {
  return `${Object.keys(graph.blocks).join(',')}|${graph.edges.map((e) => `${e.id}:${e.from}>${e.to}:${e.index}`).join(',')}`;
}

function blankBlock() {
  return { status: 'pending', count: 0, error: '', seq: 0, open: 0, inCode: false, codeFailed: false, evals: [], actions: {}, children: {}, prompts: {} };
}

export function initialState(graph) {
  const blocks = {};
  for (const fn of Object.keys(graph.blocks)) blocks[fn] = blankBlock();
  return { seq: 0, applied: 0, run: { status: 'pending', message: '', failedBlock: '' }, blocks, taken: {}, log: [], prompts: {}, children: [], stack: [], started: null, finished: null };
}

/** A block's evaluated conditions read as an edge label: `events == events`, `2 artifacts`. */
export function describeEvaluation(payload) {
  const rows = Array.isArray(payload.evaluations) ? payload.evaluations : [];
  const detail = rows.slice(0, 20).map((r) => `${short(r.left)} ${r.operator} ${short(r.right)} → ${r.outcome ? 'true' : 'false'}`).join('\n');
  if (payload.kind === 'filter') {
    const o = payload.outcome || {};
    const a = Number(o.artifacts) || 0;
    const r = Number(o.results) || 0;
    const parts = [];
    if (a || !r) parts.push(`${a} artifact${a === 1 ? '' : 's'}`);
    if (r) parts.push(`${r} result${r === 1 ? '' : 's'}`);
    return { matched: a + r > 0, label: parts.join(', '), detail };
  }
  const first = rows[0];
  const label = first ? `${short(first.left)} ${first.operator} ${short(first.right)}` : String(!!payload.outcome);
  return { matched: !!payload.outcome, label: rows.length > 1 ? `${label} …` : label, detail };
}

function short(v) {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  if (text === undefined) return 'None';
  return text.length > 24 ? `${text.slice(0, 23)}…` : text;
}

function filterIndex(name, fn) {
  const m = typeof name === 'string' && name.startsWith(`${fn}:condition_`) ? name.slice(fn.length + 11) : null;
  return m && /^\d+$/.test(m) ? Number(m) - 1 : null;
}

// A branch of a conditional block is taken when its condition matched in the latest
// evaluation; a decision's else branch when nothing before it matched.
function branchMatched(graph, b, from, index) {
  if (index === null || index === undefined) return true;
  const hit = b.evals.find((x) => x.index === index);
  if (hit) return hit.matched;
  const elseIndex = graph.blocks[from]?.elseIndex ?? -1;
  if (index === elseIndex) return !b.evals.some((x) => x.matched);
  return b.evals.length === 0; // hand-written code that never called decision(): trust the call
}

function settle(b) {
  // Called when a block's code or one of its asynchronous operations ends. A block whose own
  // code raised stays failed; otherwise its actions and prompts decide.
  if (b.codeFailed) return;
  if (b.inCode || b.open > 0) {
    if (!b.inCode) b.status = Object.values(b.prompts).includes('waiting') ? 'waiting' : 'running';
    return;
  }
  const failedAction = Object.values(b.actions).find((a) => a.status === 'failed');
  const expired = Object.values(b.prompts).includes('expired');
  if (failedAction || expired) {
    b.status = 'failed';
    b.error = (failedAction ? failedAction.message : 'the prompt expired') || 'failed';
  } else {
    b.status = 'success';
    b.error = '';
  }
}

/** Fold `events` (ordered by seq) into `state`; returns a new state, `state` is untouched. */
export function applyEvents(state, graph, events) {
  const s = { ...state, run: { ...state.run }, blocks: { ...state.blocks }, taken: { ...state.taken }, prompts: { ...state.prompts }, stack: state.stack.map((f) => ({ ...f })), log: state.log, children: state.children };
  const own = new Set();
  const edit = (fn) => {
    if (!fn || !s.blocks[fn]) return null;
    if (!own.has(fn)) {
      const b = s.blocks[fn];
      s.blocks[fn] = { ...b, evals: b.evals.slice(), actions: { ...b.actions }, children: { ...b.children }, prompts: { ...b.prompts } };
      own.add(fn);
    }
    return s.blocks[fn];
  };
  let logCopied = false;
  const log = (line) => {
    if (!logCopied) { s.log = s.log.slice(); logCopied = true; }
    s.log.push(line);
  };
  for (const ev of events) {
    if (!ev || typeof ev.seq !== 'number' || ev.seq <= s.seq) continue; // replayed twice: once only
    s.seq = ev.seq;
    s.applied += 1;
    const p = ev.payload || {};
    switch (ev.kind) {
      case 'run.started':
        s.run.status = 'running';
        s.started = ev.created || null;
        s.stack = [];
        break;
      case 'block.started': {
        const parent = s.stack.length ? s.stack[s.stack.length - 1] : null;
        s.stack.push({ fn: p.block, childError: null });
        const b = edit(p.block);
        if (!b) break;
        // The caller's own code is done once it calls the next block (compiled blocks call
        // their successors last), so it turns green now rather than when the call returns.
        const pb = parent && edit(parent.fn);
        if (pb && pb.status === 'running' && pb.open === 0) { pb.status = 'success'; pb.seq = ev.seq; }
        for (const e of graph.edges) {
          if (e.to !== p.block || s.taken[e.id]) continue;
          const src = s.blocks[e.from];
          if (src && src.count > 0 && branchMatched(graph, src, e.from, e.index)) s.taken[e.id] = ev.seq;
        }
        // A synchronous child playbook is over when the callback after it runs.
        for (const e of graph.edges) {
          if (e.to !== p.block) continue;
          const src = s.blocks[e.from];
          if (src && Object.values(src.children).includes('running')) {
            const sb = edit(e.from);
            for (const k of Object.keys(sb.children)) if (sb.children[k] === 'running') { sb.children[k] = 'done'; sb.open -= 1; }
            settle(sb);
            sb.seq = ev.seq;
          }
        }
        b.count += 1;
        b.status = 'running';
        b.error = '';
        b.codeFailed = false;
        b.evals = [];
        b.inCode = true;
        b.seq = ev.seq;
        break;
      }
      case 'block.finished': {
        let at = -1;
        for (let i = s.stack.length - 1; i >= 0; i -= 1) if (s.stack[i].fn === p.block) { at = i; break; }
        const frame = at >= 0 ? s.stack[at] : { childError: null };
        if (at >= 0) s.stack = s.stack.slice(0, at);
        const failed = p.status === 'failed';
        // An exception passes up through every caller; only the block it came out of failed.
        const ownFailure = failed && frame.childError !== p.error;
        if (failed && s.stack.length) s.stack[s.stack.length - 1].childError = p.error;
        const b = edit(p.block);
        if (!b) break;
        b.inCode = false;
        b.seq = ev.seq;
        if (ownFailure) { b.status = 'failed'; b.error = p.error || 'failed'; b.codeFailed = true; break; }
        settle(b);
        break;
      }
      case 'condition.evaluated': {
        const fromName = typeof p.name === 'string' ? p.name.split(':')[0] : '';
        const fn = s.blocks[fromName] ? fromName : p.block;
        const b = edit(fn);
        if (!b) break;
        const d = describeEvaluation(p);
        const index = p.kind === 'filter' ? filterIndex(p.name, fn) ?? b.evals.length : b.evals.length;
        b.evals = [...b.evals.filter((x) => x.index !== index), { index, kind: p.kind, seq: ev.seq, ...d, evaluations: p.evaluations || [] }];
        break;
      }
      case 'action.started': {
        const b = edit(p.name);
        if (!b) break;
        b.open += 1;
        b.actions[p.action_run_id] = { status: 'running', message: '', assets: 0 };
        if (!b.inCode) b.status = 'running';
        b.seq = ev.seq;
        break;
      }
      case 'action.finished': {
        const b = edit(p.name);
        if (!b) break;
        const a = b.actions[p.action_run_id] || { status: 'running', message: '', assets: 0 };
        // One action run answers once per asset, all in one batch: it succeeded when any did.
        const first = a.status === 'running';
        const status = first ? p.status : (a.status === 'success' || p.status === 'success' ? 'success' : 'failed');
        b.actions[p.action_run_id] = { status, message: p.status === 'success' ? a.message : p.message || a.message, assets: a.assets + 1, simulated: !!p.simulated };
        if (first && b.open > 0) b.open -= 1;
        b.seq = ev.seq;
        settle(b);
        break;
      }
      case 'prompt.waiting': {
        s.prompts[p.action_run_id] = { id: p.action_run_id, name: p.name, message: p.message, questions: p.questions || [], user: p.user, role: p.role, status: 'waiting', seq: ev.seq, respondInMins: p.respond_in_mins };
        const b = edit(p.name);
        if (!b) break;
        b.open += 1;
        b.prompts[p.action_run_id] = 'waiting';
        if (!b.inCode) b.status = 'waiting';
        b.seq = ev.seq;
        break;
      }
      case 'prompt.answered':
      case 'prompt.expired': {
        const answered = ev.kind === 'prompt.answered';
        const prev = s.prompts[p.action_run_id] || { id: p.action_run_id, name: p.name, questions: [] };
        s.prompts[p.action_run_id] = { ...prev, status: answered ? 'answered' : 'expired', responses: p.responses || [], by: p.user || null };
        const b = edit(p.name);
        if (!b) break;
        if (b.prompts[p.action_run_id] === 'waiting') b.open = Math.max(0, b.open - 1);
        b.prompts[p.action_run_id] = answered ? 'answered' : 'expired';
        b.seq = ev.seq;
        settle(b);
        break;
      }
      case 'playbook.started': {
        s.children = [...s.children, { id: p.child_run_id, playbook: p.playbook, block: p.name, synchronous: !!p.synchronous }];
        const b = edit(p.name);
        if (!b || !p.synchronous) break;
        b.open += 1;
        b.children[p.child_run_id] = 'running';
        b.seq = ev.seq;
        break;
      }
      case 'debug': {
        const level = LOG_LEVELS.includes(p.level) ? p.level : 'debug';
        log({ seq: ev.seq, level, message: String(p.message ?? ''), block: p.block || '', time: ev.created || null });
        // An action that found no asset to run on reports only this line (no action.finished).
        const b = level === 'error' && s.blocks[p.block] && !s.blocks[p.block].inCode && s.blocks[p.block].open > 0 ? edit(p.block) : null;
        if (b) {
          for (const [id, a] of Object.entries(b.actions)) {
            if (a.status === 'running') { b.actions[id] = { ...a, status: 'failed', message: String(p.message ?? '') }; b.open -= 1; }
          }
          b.error = String(p.message ?? '');
          settle(b);
        }
        break;
      }
      case 'run.finished': {
        s.run = { status: p.status || 'success', message: p.message || '', failedBlock: p.failed_block || '' };
        s.finished = ev.created || null;
        const fb = edit(p.failed_block);
        if (fb && fb.status !== 'failed') { fb.status = 'failed'; fb.error = p.message || 'failed'; fb.codeFailed = true; fb.seq = ev.seq; }
        for (const fn of Object.keys(s.blocks)) {
          const cur = s.blocks[fn];
          if (cur.status === 'pending' || ((cur.status === 'running' || cur.status === 'waiting') && s.run.status !== 'success')) {
            const b = edit(fn);
            b.status = 'skipped';
            b.seq = ev.seq;
          } else if (cur.status === 'running' || cur.status === 'waiting') {
            const b = edit(fn);
            b.status = 'success';
            b.seq = ev.seq;
          }
        }
        for (const [id, pr] of Object.entries(s.prompts)) if (pr.status === 'waiting') s.prompts[id] = { ...pr, status: 'cancelled' };
        s.stack = [];
        log({ seq: ev.seq, level: s.run.status === 'success' ? 'info' : 'error', message: `run ${s.run.status}${s.run.message ? `: ${s.run.message}` : ''}`, block: s.run.failedBlock, time: ev.created || null });
        break;
      }
      default:
        // container.*, indicator.* and kinds added later: shown, never fatal.
        log({ seq: ev.seq, level: 'event', message: `${ev.kind} ${JSON.stringify(p)}`, block: p.block || '', time: ev.created || null });
    }
  }
  return s;
}

export function foldEvents(graph, events, upto = events.length) {
  return applyEvents(initialState(graph), graph, upto >= events.length ? events : events.slice(0, upto));
}

export function statusCounts(state) {
  const counts = Object.fromEntries(STATUSES.map((k) => [k, 0]));
  for (const b of Object.values(state.blocks)) counts[b.status] = (counts[b.status] || 0) + 1;
  return counts;
}

export const isTerminal = (status) => TERMINAL.has(status);

/** Per-block overlay for the canvas: {functionName: {status, count, error, seq}}. */
export function blockOverlay(state) {
  const out = {};
  for (const [fn, b] of Object.entries(state.blocks)) out[fn] = { status: b.status, count: b.count, error: b.error, seq: b.seq };
  return out;
}

/** Per-edge overlay: taken or not, and the evaluated condition on branches of decisions/filters. */
export function edgeOverlay(state, graph) {
  const out = {};
  for (const e of graph.edges) {
    const b = state.blocks[e.from];
    let label = '';
    let detail = '';
    let matched = null;
    if (b && e.index !== null && e.index !== undefined) {
      const hit = b.evals.find((x) => x.index === e.index);
      const elseIndex = graph.blocks[e.from]?.elseIndex ?? -1;
      if (hit) { label = hit.label; detail = hit.detail; matched = hit.matched; } else if (e.index === elseIndex && b.evals.length && !b.inCode) {
        matched = !b.evals.some((x) => x.matched);
        label = 'else';
      }
    }
    out[e.id] = { from: e.from, to: e.to, taken: !!state.taken[e.id], label, detail, matched };
  }
  return out;
}

/** Event positions the timeline steps between: where something visible happens. */
export function isBoundary(ev) {
  return ev.kind === 'block.started' || ev.kind === 'action.finished' || ev.kind.startsWith('prompt.') || ev.kind === 'run.finished' || (ev.kind === 'block.finished' && ev.payload?.status === 'failed');
}

/** The count of events to show next when catching up gradually: through the next boundary. */
export function nextStop(events, from) {
  for (let i = from; i < events.length; i += 1) if (isBoundary(events[i])) return i + 1;
  return events.length;
}

export function prevStop(events, from) {
  for (let i = Math.min(from, events.length) - 2; i >= 0; i -= 1) if (isBoundary(events[i])) return i + 1;
  return 0;
}
