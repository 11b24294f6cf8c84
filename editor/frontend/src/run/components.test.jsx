// @vitest-environment happy-dom
import { describe, it, expect, afterEach, vi } from 'vitest';
import { render, screen, fireEvent, cleanup, act, waitFor, renderHook } from '@testing-library/react';
import RunDialog from './RunDialog.jsx';
import PromptDialog, { PromptGate, answerable } from './PromptDialog.jsx';
import BlockResults from './BlockResults.jsx';
import { RunLog, Timeline, RunHistory, RunSummary } from './RunPanel.jsx';
import { useRunView, PACE_MS } from './useRunView.js';
import { runGraph, foldEvents, statusCounts } from './model.js';
import { toFlow } from '../model/soar.js';
import success from './fixtures/success.json';
import prompt from './fixtures/prompt.json';

afterEach(() => { cleanup(); vi.useRealTimers(); });
const tid = (id) => screen.getByTestId(id);
const flush = () => act(async () => { await new Promise((r) => setTimeout(r, 0)); });

function fakeRunApi(over = {}) {
  return {
    containers: vi.fn(async (q) => [{ id: 1, name: 'case one', label: 'events', artifact_count: 2 }, { id: 2, name: 'other', label: '', artifact_count: 0 }].filter((c) => !q || c.name.includes(q))),
    start: vi.fn(async () => ({ playbook_run_id: 9 })),
    run: vi.fn(async () => ({ id: 9, status: 'running', events: [], last_seq: 0, more_events: false, prompts: [] })),
    prompts: vi.fn(async () => ({ data: [] })),
    block: vi.fn(async () => ({ block: 'b', action_runs: [], outputs: {}, formatted: null, filtered: {}, child_runs: [] })),
    respond: vi.fn(async () => ({ success: true })),
    runs: vi.fn(async () => ({ count: 1, data: [{ id: 9, status: 'success', container: 1, container_name: 'case one', playbook_name: 'p', url: '/runs/9', start_time: null }] })),
    ...over,
  };
}

describe('run dialog', () => {
  it('searches containers and starts with the chosen scope and simulation', async () => {
    vi.useFakeTimers();
    const api = fakeRunApi();
    const onStart = vi.fn(async () => {});
    render(<RunDialog runApi={api} playbookName="pb" onStart={onStart} onClose={() => {}} />);
    expect(tid('run-start').disabled).toBe(true);
    fireEvent.change(tid('run-container-search'), { target: { value: 'case' } });
    await act(async () => { await vi.advanceTimersByTimeAsync(250); });
    expect(api.containers).toHaveBeenLastCalledWith('case');
    expect(screen.queryByTestId('run-container-2')).toBe(null);
    fireEvent.click(tid('run-container-1'));
    fireEvent.click(tid('run-scope-all'));
    fireEvent.click(tid('run-simulate'));
    await act(async () => { fireEvent.click(tid('run-start')); });
    expect(onStart).toHaveBeenCalledWith(expect.objectContaining({ containerId: 1, scope: 'all', simulateWrites: false }));
  });
  it('shows why a run could not start', async () => {
    const api = fakeRunApi();
    render(<RunDialog runApi={api} initialContainer={{ id: 1, name: 'case one' }} dirty onStart={async () => { throw new Error('playbook_id: no saved version'); }} onClose={() => {}} />);
    expect(tid('run-will-save')).toBeTruthy();
    await act(async () => { fireEvent.click(tid('run-start')); });
    expect(tid('run-dialog-error').textContent).toBe('playbook_id: no saved version');
  });
});

describe('prompt dialog', () => {
  const p = { id: 4, name: 'ask', status: 'waiting', may_answer: true, message: 'Contain?', response_types: [{ prompt: 'Contain it?', options: { type: 'list', choices: ['Yes', 'No'] } }, { prompt: 'Why', options: { type: 'message' } }] };
  it('needs a choice before it can be answered and sends one answer per question', async () => {
    const onSubmit = vi.fn(async () => {});
    render(<PromptDialog prompt={p} onSubmit={onSubmit} onLater={() => {}} />);
    expect(tid('prompt-message').textContent).toBe('Contain?');
    expect(tid('prompt-submit').disabled).toBe(true);
    fireEvent.click(tid('prompt-choice-0-No'));
    fireEvent.change(tid('prompt-response-1'), { target: { value: 'false positive' } });
    await act(async () => { fireEvent.click(tid('prompt-submit')); });
    expect(onSubmit).toHaveBeenCalledWith(['No', 'false positive']);
  });
  it('offers only prompts the server says this user may answer, still waiting on screen', () => {
    const state = { prompts: { 4: { status: 'waiting' }, 5: { status: 'answered' } } };
    expect(answerable([p, { ...p, id: 5 }, { ...p, id: 6, may_answer: false }], state).map((x) => x.id)).toEqual([4]);
  });
  it('answers through the API, and Later hides the dialog until reopened', async () => {
    const api = fakeRunApi();
    const view = { prompts: [p], state: { prompts: { 4: { status: 'waiting' } } }, refreshPrompts: vi.fn(async () => {}) };
    render(<PromptGate view={view} runApi={api} />);
    fireEvent.click(tid('prompt-later'));
    expect(screen.queryByTestId('prompt-dialog')).toBe(null);
    fireEvent.click(tid('prompt-reopen'));
    fireEvent.click(tid('prompt-choice-0-Yes'));
    await act(async () => { fireEvent.click(tid('prompt-submit')); });
    expect(api.respond).toHaveBeenCalledWith(4, ['Yes', '']);
    expect(view.refreshPrompts).toHaveBeenCalled();
  });
});

describe('block results', () => {
  it('shows the results tree and copies datapaths', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const api = fakeRunApi({ block: vi.fn(async () => ({ block: 'hash_name', action_runs: [{ id: 1, name: 'hash_name', action: 'hash text', type: 'action', status: 'success', app_runs: [{ asset: 'utilities', status: 'success', result_data: [{ status: 'success', data: [{ hash: 'abc' }] }] }] }], outputs: {}, formatted: null, filtered: {}, child_runs: [] })) });
    render(<BlockResults runApi={api} runId={9} fn="hash_name" block={{ status: 'success', seq: 3, count: 1, evals: [], error: '' }} />);
    await flush();
    expect(api.block).toHaveBeenCalledWith(9, 'hash_name');
    const rows = screen.getAllByTestId('result-row').map((r) => r.dataset.datapath);
    expect(rows).toEqual(['hash_name:action_result.status', 'hash_name:action_result.data']);
    fireEvent.click(screen.getAllByTestId('result-toggle')[0]);
    fireEvent.click(screen.getAllByTestId('result-toggle')[1]);
    const deep = screen.getAllByTestId('result-row').find((r) => r.dataset.datapath === 'hash_name:action_result.data.*.hash');
    await act(async () => { fireEvent.click(deep.querySelector('[data-testid=copy-datapath]')); });
    expect(writeText).toHaveBeenCalledWith('hash_name:action_result.data.*.hash');
    expect(tid('datapath-copied').textContent).toContain('hash_name:action_result.data.*.hash');
  });
  it('shows a failed block error and a decision evaluation', async () => {
    render(<BlockResults runApi={fakeRunApi()} runId={9} fn="d" block={{ status: 'failed', seq: 1, count: 1, error: 'ValueError: x', evals: [{ index: 0, kind: 'decision', matched: true, label: 'a == a', evaluations: [{ left: 'a', operator: '==', right: 'a', outcome: true }] }] }} />);
    await flush();
    expect(tid('run-results-error').textContent).toBe('ValueError: x');
    expect(tid('result-eval-0').textContent).toContain('a == a');
  });
  it('asks for a block to be clicked when none is selected', () => {
    render(<BlockResults runApi={fakeRunApi()} runId={9} fn={null} block={null} />);
    expect(tid('run-results-empty')).toBeTruthy();
  });
});

describe('run panel parts', () => {
  const lines = [
    { seq: 1, level: 'debug', message: 'on_start() called', block: 'on_start', time: null },
    { seq: 2, level: 'error', message: 'boom', block: 'x', time: null },
    { seq: 3, level: 'info', message: 'run failed', block: '', time: null },
  ];
  it('filters the log by level and text', () => {
    render(<RunLog lines={lines} follow />);
    expect(screen.getAllByTestId('log-line')).toHaveLength(3);
    fireEvent.click(tid('log-level-debug'));
    expect(screen.getAllByTestId('log-line').map((l) => l.dataset.level)).toEqual(['error', 'info']);
    fireEvent.change(tid('log-search'), { target: { value: 'boom' } });
    expect(screen.getAllByTestId('log-line').map((l) => l.dataset.seq)).toEqual(['2']);
  });
  it('scrubs the timeline', () => {
    const seek = vi.fn();
    const goLive = vi.fn();
    render(<Timeline view={{ events: success.events, shown: 5, follow: false, seek, goLive, finished: true }} />);
    fireEvent.change(tid('run-timeline'), { target: { value: '2' } });
    expect(seek).toHaveBeenLastCalledWith(2);
    fireEvent.click(tid('run-timeline-start'));
    expect(seek).toHaveBeenLastCalledWith(0);
    fireEvent.click(tid('run-timeline-next'));
    expect(seek.mock.calls[seek.mock.calls.length - 1][0]).toBeGreaterThan(5);
    fireEvent.click(tid('run-timeline-live'));
    expect(goLive).toHaveBeenCalled();
    expect(tid('run-timeline-position').dataset.total).toBe(String(success.events.length));
  });
  it('lists runs of the playbook and opens one', async () => {
    const api = fakeRunApi();
    const onOpen = vi.fn();
    render(<RunHistory runApi={api} playbook={3} container={1} current={9} onOpenRun={onOpen} />);
    await flush();
    expect(api.runs).toHaveBeenLastCalledWith({ playbook: 3 });
    fireEvent.click(tid('run-history-item-9'));
    expect(onOpen).toHaveBeenCalledWith(9);
    fireEvent.click(tid('run-history-container'));
    await flush();
    expect(api.runs).toHaveBeenLastCalledWith({ container: 1 });
  });
  it('sums block statuses in the run summary', () => {
    const g = (() => { const f = toFlow(success.playbook); return runGraph(f.nodes, f.edges); })();
    const state = foldEvents(g, success.events);
    render(<RunSummary view={{ state, counts: statusCounts(state), detail: null, connection: 'finished', runId: 9, finished: true }} onClose={() => {}} pageLink />);
    expect(tid('run-status').dataset.status).toBe('success');
    expect(tid('run-count-success').dataset.count).toBe('6');
    expect(tid('run-open-page').getAttribute('href')).toBe('/runs/9');
  });
});

describe('useRunView', () => {
  const g = (() => { const f = toFlow(prompt.playbook); return runGraph(f.nodes, f.edges); })();
  const cut = prompt.events.findIndex((e) => e.kind === 'prompt.answered');

  it('paints stored events at once, then steps through live ones and stops when the run ends', async () => {
    vi.useFakeTimers();
    let handlers = null;
    const closed = vi.fn();
    const socket = vi.fn((opts) => { handlers = opts; return { close: closed, lastSeq: opts.after }; });
    const api = fakeRunApi({
      run: vi.fn(async () => ({ id: 9, status: 'running', events: prompt.events.slice(0, cut), last_seq: cut, more_events: false, prompts: [{ id: 2, status: 'waiting', may_answer: true, name: 'ask' }] })),
    });
    const { result } = renderHook(() => useRunView(api, 9, g, { socket }));
    await act(async () => { await vi.advanceTimersByTimeAsync(0); });
    expect(result.current.shown).toBe(cut);
    expect(result.current.state.blocks.ask.status).toBe('waiting');
    expect(socket).toHaveBeenCalledWith(expect.objectContaining({ url: expect.stringContaining('/ws/runs/9/'), after: cut }));

    act(() => { handlers.onEvents(prompt.events.slice(cut)); });
    expect(result.current.events).toHaveLength(prompt.events.length);
    expect(closed).toHaveBeenCalled(); // run.finished arrived: the stream is closed
    const steps = [];
    for (let i = 0; i < 20 && result.current.shown < prompt.events.length; i += 1) {
      await act(async () => { await vi.advanceTimersByTimeAsync(PACE_MS); });
      steps.push(result.current.shown);
    }
    expect(steps.length).toBeGreaterThan(2); // painted in several steps, not at once
    expect(result.current.state.run.status).toBe('success');
    expect(result.current.finished).toBe(true);

    act(() => { result.current.seek(0); });
    expect(result.current.state.blocks.ask.status).toBe('pending');
    expect(result.current.follow).toBe(false);
    act(() => { result.current.goLive(); });
    expect(result.current.state.blocks.approved_note.status).toBe('success');
  });

  it('opens no stream for a finished run', async () => {
    const socket = vi.fn();
    const api = fakeRunApi({ run: vi.fn(async () => ({ id: 9, status: 'success', events: prompt.events, last_seq: prompt.events.length, more_events: false, prompts: [] })) });
    const { result } = renderHook(() => useRunView(api, 9, g, { socket }));
    await waitFor(() => expect(result.current.shown).toBe(prompt.events.length));
    expect(socket).not.toHaveBeenCalled();
    expect(result.current.connection).toBe('finished');
  });

  it('pages through very long stored runs', async () => {
    const socket = vi.fn(() => ({ close() {} }));
    const run = vi.fn(async (_id, after = 0) => {
      const page = prompt.events.filter((e) => e.seq > after).slice(0, 5);
      const last = page.length ? page[page.length - 1].seq : after;
      return { id: 9, status: 'success', events: page, last_seq: last, more_events: last < prompt.events.length, prompts: [] };
    });
    const api = fakeRunApi({ run });
    const { result } = renderHook(() => useRunView(api, 9, g, { socket }));
    await waitFor(() => expect(result.current.events).toHaveLength(prompt.events.length));
    expect(run.mock.calls.length).toBeGreaterThan(3);
  });
});
