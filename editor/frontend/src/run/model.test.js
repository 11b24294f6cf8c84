// The run picture folded from recorded event streams (fixtures/*.json were recorded from the
// playbooks in tests/e2e/run_playbooks.py on the real engine).
import { describe, it, expect } from 'vitest';
import { toFlow } from '../model/soar.js';
import { runGraph, graphKey, initialState, applyEvents, foldEvents, statusCounts, blockOverlay, edgeOverlay, describeEvaluation, nextStop, prevStop, isBoundary } from './model.js';
import success from './fixtures/success.json';
import failing from './fixtures/failing.json';
import prompt from './fixtures/prompt.json';

const graphOf = (fx) => { const f = toFlow(fx.playbook); return runGraph(f.nodes, f.edges); };
const statuses = (state) => Object.fromEntries(Object.entries(state.blocks).map(([k, b]) => [k, b.status]));

describe('runGraph', () => {
  it('names blocks by functionName and edges by id with their branch index', () => {
    const g = graphOf(success);
    expect(Object.keys(g.blocks).sort()).toEqual(['decision_1', 'format_1', 'hash_name', 'note_other', 'on_finish', 'on_start', 'slow_code']);
    expect(g.blocks.decision_1.elseIndex).toBe(1);
    expect(g.edges.find((e) => e.from === 'decision_1' && e.to === 'note_other').index).toBe(1);
    expect(g.edges.find((e) => e.from === 'on_start').index).toBe(null);
  });
  it('has a key that ignores positions', () => {
    const f = toFlow(success.playbook);
    const moved = f.nodes.map((n) => ({ ...n, position: { x: n.position.x + 10, y: 0 } }));
    expect(graphKey(runGraph(moved, f.edges))).toBe(graphKey(runGraph(f.nodes, f.edges)));
  });
});

describe('a successful run', () => {
  const g = graphOf(success);
  const end = foldEvents(g, success.events);

  it('starts with every block pending', () => {
    expect(new Set(Object.values(statuses(initialState(g))))).toEqual(new Set(['pending']));
  });
  it('ends with the path green and the branch not taken skipped', () => {
    expect(statuses(end)).toEqual({ on_start: 'success', format_1: 'success', slow_code: 'success', decision_1: 'success', hash_name: 'success', on_finish: 'success', note_other: 'skipped' });
    expect(end.run.status).toBe('success');
    expect(statusCounts(end)).toMatchObject({ success: 6, skipped: 1, pending: 0, failed: 0 });
  });
  it('keeps an action block running until its action finished', () => {
    const at = success.events.findIndex((e) => e.kind === 'action.finished');
    const before = foldEvents(g, success.events, at);
    expect(before.blocks.hash_name.status).toBe('running');
    expect(before.blocks.decision_1.status).toBe('success');
    expect(foldEvents(g, success.events, at + 1).blocks.hash_name.status).toBe('success');
  });
  it('turns a caller green as soon as it calls the next block', () => {
    const at = success.events.findIndex((e) => e.kind === 'block.started' && e.payload.block === 'slow_code');
    const s = foldEvents(g, success.events, at + 1);
    expect(s.blocks.format_1.status).toBe('success');
    expect(s.blocks.slow_code.status).toBe('running');
    expect(s.blocks.decision_1.status).toBe('pending');
  });
  it('highlights taken edges and labels the decision branches', () => {
    const edges = Object.values(edgeOverlay(end, g));
    const by = (a, b) => edges.find((e) => e.from === a && e.to === b);
    expect(by('decision_1', 'hash_name')).toMatchObject({ taken: true, matched: true, label: 'events == events' });
    expect(by('decision_1', 'note_other')).toMatchObject({ taken: false, matched: false, label: 'else' });
    expect(by('hash_name', 'on_finish').taken).toBe(true);
    expect(by('note_other', 'on_finish').taken).toBe(false);
    expect(by('on_start', 'format_1').taken).toBe(true);
  });
  it('is the same folded at once or event by event', () => {
    let s = initialState(g);
    for (const ev of success.events) s = applyEvents(s, g, [ev]);
    expect(blockOverlay(s)).toEqual(blockOverlay(end));
    expect(s.log).toEqual(end.log);
  });
  it('applies an event only once (a replay overlapping the stream)', () => {
    const twice = applyEvents(end, g, success.events);
    expect(twice).toStrictEqual({ ...end, stack: twice.stack });
    expect(twice.log.length).toBe(end.log.length);
  });
  it('never changes the state it was given', () => {
    const s0 = initialState(g);
    const copy = JSON.parse(JSON.stringify(s0));
    applyEvents(s0, g, success.events);
    expect(s0).toEqual(copy);
  });
  it('logs debug lines with their block and the run outcome', () => {
    expect(end.log.filter((l) => l.level === 'debug').map((l) => l.block)).toContain('format_1');
    expect(end.log[end.log.length - 1]).toMatchObject({ level: 'info', message: 'run success' });
  });
});

describe('a failing run', () => {
  const g = graphOf(failing);
  const end = foldEvents(g, failing.events);
  it('marks only the block the exception came out of as failed', () => {
    expect(statuses(end)).toEqual({ on_start: 'success', prepare: 'success', explode: 'failed', after: 'skipped', on_finish: 'skipped' });
    expect(end.blocks.explode.error).toBe('ValueError: the fuse was lit');
    expect(end.run).toEqual({ status: 'failed', message: 'ValueError in explode: the fuse was lit', failedBlock: 'explode' });
  });
  it('keeps the traceback as an error line of the failed block', () => {
    const errors = end.log.filter((l) => l.level === 'error');
    expect(errors.map((l) => l.block)).toEqual(['explode', 'explode']);
    expect(errors[0].message).toContain('the fuse was lit');
  });
  it('does not take the edge after the failed block', () => {
    const edges = Object.values(edgeOverlay(end, g));
    expect(edges.find((e) => e.from === 'explode').taken).toBe(false);
    expect(edges.find((e) => e.to === 'explode').taken).toBe(true);
  });
});

describe('a run with a prompt', () => {
  const g = graphOf(prompt);
  const answeredAt = prompt.events.findIndex((e) => e.kind === 'prompt.answered');
  it('waits on the prompt block until it is answered', () => {
    const s = foldEvents(g, prompt.events, answeredAt);
    expect(s.blocks.ask.status).toBe('waiting');
    expect(s.run.status).toBe('running');
    expect(Object.values(s.prompts)).toMatchObject([{ name: 'ask', status: 'waiting', message: 'Contain case case one?' }]);
    expect(statusCounts(s).waiting).toBe(1);
  });
  it('continues on the branch the answer chose', () => {
    const end = foldEvents(g, prompt.events);
    expect(statuses(end)).toMatchObject({ ask: 'success', answered: 'success', approved_note: 'success', declined_note: 'skipped' });
    expect(Object.values(end.prompts)[0]).toMatchObject({ status: 'answered', responses: ['Yes'], by: 'analyst' });
  });
});

describe('hand-made event streams', () => {
  const g = {
    blocks: { on_start: { elseIndex: -1 }, act: { elseIndex: -1 }, f: { elseIndex: -1 }, child: { elseIndex: -1 }, next: { elseIndex: -1 } },
    edges: [{ id: 'e1', from: 'f', to: 'act', index: 0 }, { id: 'e2', from: 'f', to: 'next', index: 1 }, { id: 'e3', from: 'child', to: 'next', index: null }],
  };
  const ev = (seq, kind, payload) => ({ seq, kind, payload });

  it('fails an action block when every asset failed, and keeps the message', () => {
    const s = foldEvents(g, [
      ev(1, 'block.started', { block: 'act' }), ev(2, 'action.started', { name: 'act', action_run_id: 7 }), ev(3, 'block.finished', { block: 'act', status: 'success' }),
      ev(4, 'action.finished', { name: 'act', action_run_id: 7, status: 'failed', message: 'asset down' }),
      ev(5, 'action.finished', { name: 'act', action_run_id: 7, status: 'failed', message: 'asset 2 down' }),
    ]);
    expect(s.blocks.act).toMatchObject({ status: 'failed', error: 'asset 2 down', open: 0 });
  });
  it('succeeds an action run when any asset succeeded', () => {
    const s = foldEvents(g, [
      ev(1, 'block.started', { block: 'act' }), ev(2, 'action.started', { name: 'act', action_run_id: 7 }), ev(3, 'block.finished', { block: 'act', status: 'success' }),
      ev(4, 'action.finished', { name: 'act', action_run_id: 7, status: 'failed', message: 'down' }),
      ev(5, 'action.finished', { name: 'act', action_run_id: 7, status: 'success', message: 'ok' }),
    ]);
    expect(s.blocks.act.status).toBe('success');
  });
  it('fails an action that found no asset (only an error line is emitted)', () => {
    const s = foldEvents(g, [
      ev(1, 'block.started', { block: 'act' }), ev(2, 'action.started', { name: 'act', action_run_id: 7 }), ev(3, 'block.finished', { block: 'act', status: 'success' }),
      ev(4, 'debug', { level: 'error', block: 'act', message: "act: no asset can run 'x'" }),
    ]);
    expect(s.blocks.act).toMatchObject({ status: 'failed', error: "act: no asset can run 'x'" });
  });
  it('labels filter branches with what matched', () => {
    const s = foldEvents(g, [
      ev(1, 'block.started', { block: 'f' }),
      ev(2, 'condition.evaluated', { block: 'f', name: 'f:condition_1', kind: 'filter', evaluations: [], outcome: { artifacts: 2, results: 0 } }),
      ev(3, 'condition.evaluated', { block: 'f', name: 'f:condition_2', kind: 'filter', evaluations: [], outcome: { artifacts: 0, results: 0 } }),
      ev(4, 'block.started', { block: 'act' }),
    ]);
    const e = edgeOverlay(s, g);
    expect(e.e1).toMatchObject({ taken: true, matched: true, label: '2 artifacts' });
    expect(e.e2).toMatchObject({ taken: false, matched: false, label: '0 artifacts' });
  });
  it('counts how often a block ran', () => {
    const s = foldEvents(g, [1, 3, 5].flatMap((n) => [ev(n, 'block.started', { block: 'f' }), ev(n + 1, 'block.finished', { block: 'f', status: 'success' })]));
    expect(s.blocks.f).toMatchObject({ count: 3, status: 'success' });
  });
  it('keeps a block with a synchronous child playbook running until the next block starts', () => {
    const evs = [ev(1, 'block.started', { block: 'child' }), ev(2, 'playbook.started', { name: 'child', child_run_id: 9, playbook: 'x', synchronous: true }), ev(3, 'block.finished', { block: 'child', status: 'success' })];
    expect(foldEvents(g, evs).blocks.child.status).toBe('running');
    const s = foldEvents(g, [...evs, ev(4, 'block.started', { block: 'next' })]);
    expect(s.blocks.child.status).toBe('success');
    expect(s.children).toEqual([{ id: 9, playbook: 'x', block: 'child', synchronous: true }]);
  });
  it('shows other kinds as events and ignores blocks it does not know', () => {
    const s = foldEvents(g, [ev(1, 'container.note', { container: 1, note: 3 }), ev(2, 'block.started', { block: 'join_next' }), ev(3, 'block.finished', { block: 'join_next', status: 'success' })]);
    expect(s.log).toMatchObject([{ level: 'event', message: 'container.note {"container":1,"note":3}' }]);
    expect(s.stack).toEqual([]);
  });
  it('describes decisions and filters', () => {
    expect(describeEvaluation({ kind: 'decision', outcome: true, evaluations: [{ left: 'a', operator: '==', right: 'a', outcome: true }] })).toMatchObject({ matched: true, label: 'a == a' });
    expect(describeEvaluation({ kind: 'filter', outcome: { artifacts: 1, results: 3 }, evaluations: [] })).toMatchObject({ matched: true, label: '1 artifact, 3 results' });
    expect(describeEvaluation({ kind: 'decision', outcome: false, evaluations: [{ left: 'x'.repeat(40), operator: '!=', right: null, outcome: false }, {}] }).label).toBe(`${'x'.repeat(23)}… != null …`);
  });
});

describe('timeline stops', () => {
  const evs = success.events;
  it('steps between visible changes', () => {
    const first = nextStop(evs, 0);
    expect(evs[first - 1].kind).toBe('block.started');
    expect(isBoundary(evs[first - 1])).toBe(true);
    expect(prevStop(evs, nextStop(evs, first))).toBe(first);
    expect(nextStop(evs, evs.length)).toBe(evs.length);
    expect(prevStop(evs, 1)).toBe(0);
  });
});
