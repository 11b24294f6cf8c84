import { describe, it, expect } from 'vitest';
import { createRunApi, firstProblem } from './api.js';

function recorder(reply = { status: 200, body: {} }) {
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url, method: init.method, body: init.body ? JSON.parse(init.body) : undefined, headers: init.headers });
    return { ok: reply.status < 400, status: reply.status, text: async () => JSON.stringify(reply.body) };
  };
  return { calls, fetchImpl };
}

describe('run api', () => {
  it('starts a run on the SOAR REST API with simulate_writes', async () => {
    const r = recorder({ status: 200, body: { playbook_run_id: 5 } });
    const api = createRunApi('/api/', '/rest', r.fetchImpl);
    expect(await api.start({ playbookId: '3', containerId: 9, scope: 'all', simulateWrites: false })).toEqual({ playbook_run_id: 5 });
    expect(r.calls[0]).toMatchObject({ url: '/rest/playbook_run', method: 'POST', body: { playbook_id: 3, container_id: 9, scope: 'all', run: true, simulate_writes: false } });
    expect(r.calls[0].headers['Content-Type']).toBe('application/json');
  });
  it('reads history, runs, blocks and prompts from /api', async () => {
    const r = recorder();
    const api = createRunApi('/api', '/rest', r.fetchImpl);
    await api.runs({ playbook: 3 });
    await api.runs({ container: 4, limit: 10 });
    await api.run(8);
    await api.run(8, 12);
    await api.block(8, 'hash name');
    await api.prompts(8);
    await api.respond(11, ['Yes']);
    await api.containers('case 1');
    expect(r.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/runs?playbook=3', 'GET /api/runs?container=4&limit=10', 'GET /api/runs/8', 'GET /api/runs/8?after=12',
      'GET /api/runs/8/blocks/hash%20name', 'GET /api/runs/8/prompts', 'POST /rest/prompt/11/respond', 'GET /api/containers?search=case%201',
    ]);
    expect(r.calls[6].body).toEqual({ responses: ['Yes'] });
  });
  it('turns refusals into errors that say what is wrong', async () => {
    const api = createRunApi('/api', '/rest', recorder({ status: 400, body: { playbook_id: ['no playbook 9'] } }).fetchImpl);
    await expect(api.start({ playbookId: 9, containerId: 1 })).rejects.toMatchObject({ status: 400, message: 'playbook_id: no playbook 9' });
    const api2 = createRunApi('/api', '/rest', recorder({ status: 403, body: { failed: true, message: 'not allowed' } }).fetchImpl);
    await expect(api2.respond(1, [])).rejects.toMatchObject({ status: 403, message: 'not allowed' });
  });
  it('reads the first DRF problem', () => {
    expect(firstProblem({ non_field_errors: ['bad'] })).toBe('bad');
    expect(firstProblem({ detail: 'nope' })).toBe('nope');
    expect(firstProblem(null)).toBe('');
  });
});
