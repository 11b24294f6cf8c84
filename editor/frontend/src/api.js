// Thin client for the editor's REST contract (see README.md). Session auth; non-GET requests
// carry the csrftoken cookie as X-CSRFToken.

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

function cookie(name) {
  const m = document.cookie.match(new RegExp(`(?:^|; )${name}=([^;]*)`));
  return m ? decodeURIComponent(m[1]) : '';
}

export function createApi(base, playbookId) {
  const root = base.replace(/\/$/, '');
  async function call(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      headers['X-CSRFToken'] = cookie('csrftoken');
    }
    const res = await fetch(root + path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    let data = null;
    const text = await res.text();
    if (text) { try { data = JSON.parse(text); } catch { data = { message: text.slice(0, 300) }; } }
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
  }
  const pb = `/playbooks/${encodeURIComponent(playbookId)}`;
  return {
    load: () => call('GET', pb),
    save: (json, baseVersion) => call('PUT', pb, { json, base_version: baseVersion }),
    compile: (json, blockId) => call('POST', `${pb}/compile`, blockId ? { json, block_id: blockId } : { json }),
    activate: () => call('POST', `${pb}/activate`, {}),
    deactivate: () => call('POST', `${pb}/deactivate`, {}),
    versions: () => call('GET', `${pb}/versions`),
    version: (n) => call('GET', `${pb}/versions/${n}`),
    restore: (n) => call('POST', `${pb}/versions/${n}/restore`, {}),
    apps: () => call('GET', '/apps'),
    assets: () => call('GET', '/assets'),
    playbooks: () => call('GET', '/playbooks?brief=1'),
    customFunctions: () => call('GET', '/custom_functions'),
    containers: (q) => call('GET', `/containers?search=${encodeURIComponent(q || '')}`),
    cefFields: (id) => call('GET', `/containers/${encodeURIComponent(id)}/cef_fields`),
  };
}
