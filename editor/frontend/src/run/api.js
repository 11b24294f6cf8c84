// Calls the run views make: start a run and answer prompts on the SOAR REST API (/rest),
// read history, run detail and block results from the editor API (/api, engine/runs_web.py).
import { ApiError } from '../api.js';

function cookie(name) {
  const m = globalThis.document?.cookie.match(new RegExp(`(?:^|; )${name}=([^;]*)`));
  return m ? decodeURIComponent(m[1]) : '';
}

function query(params) {
  const q = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return q.length ? `?${q.join('&')}` : '';
}

export function createRunApi(apiBase = '/api', restBase = '/rest', fetchImpl = (...a) => globalThis.fetch(...a)) {
  const api = apiBase.replace(/\/$/, '');
  const rest = restBase.replace(/\/$/, '');
  async function call(method, url, body) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      headers['X-CSRFToken'] = cookie('csrftoken');
    }
    const res = await fetchImpl(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let data = null;
    if (text) { try { data = JSON.parse(text); } catch { data = { message: text.slice(0, 300) }; } }
    if (!res.ok) throw new ApiError(res.status, data && !data.message ? { ...data, message: firstProblem(data) } : data);
    return data;
  }
  return {
    start: ({ playbookId, containerId, scope = 'new', simulateWrites = true }) => call('POST', `${rest}/playbook_run`, {
      playbook_id: Number(playbookId), container_id: Number(containerId), scope, run: true, simulate_writes: !!simulateWrites,
    }),
    runs: ({ playbook, container, limit } = {}) => call('GET', `${api}/runs${query({ playbook, container, limit })}`),
    run: (id, after = 0) => call('GET', `${api}/runs/${encodeURIComponent(id)}${query({ after: after || undefined })}`),
    block: (id, name) => call('GET', `${api}/runs/${encodeURIComponent(id)}/blocks/${encodeURIComponent(name)}`),
    prompts: (id) => call('GET', `${api}/runs/${encodeURIComponent(id)}/prompts`),
    respond: (promptId, responses) => call('POST', `${rest}/prompt/${encodeURIComponent(promptId)}/respond`, { responses }),
    containers: (q) => call('GET', `${api}/containers${query({ search: q || '' })}`),
  };
}

// DRF validation errors are {field: [messages]}: say the first one.
export function firstProblem(body) {
  if (!body || typeof body !== 'object') return '';
  for (const [field, v] of Object.entries(body)) {
    const msg = Array.isArray(v) ? v[0] : typeof v === 'string' ? v : '';
    if (msg) return field === 'non_field_errors' || field === 'detail' ? String(msg) : `${field}: ${msg}`;
  }
  return '';
}
