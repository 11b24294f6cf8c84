// Field writers used by the block panels: each takes node.data and returns new node.data,
// writing exactly the keys SOAR stores (soar-format.md §2.6). Unknown keys are carried along.

/** Immutable set at a path of keys. */
export function setIn(obj, path, value) {
  if (!path.length) return value;
  const [k, ...rest] = path;
  const base = Array.isArray(obj) ? [...obj] : { ...(obj || {}) };
  base[k] = setIn(obj ? obj[k] : undefined, rest, value);
  return base;
}

export function setAdvanced(data, key, value) {
  return { ...data, advanced: { ...(data.advanced || {}), [key]: value } };
}

// ---- action / missionControl -------------------------------------------------------------

/** Choose an app: resets the action when the app changes. */
export function selectApp(data, app) {
  if (!app) return { ...data, connector: '', connectorId: '', action: '', actionType: '', parameters: {}, requiredParameters: [], connectorConfigs: [] };
  if (data.connector === app.name) return data;
  return { ...data, connector: app.name, connectorId: app.appid ?? app.id, connectorVersion: data.connectorVersion || 'v1', action: '', actionType: '', parameters: {}, requiredParameters: [], connectorConfigs: [] };
}

/** Choose an app action: parameter defaults and `requiredParameters` in the corpus's dict form. */
export function selectAction(data, action) {
  if (!action) return { ...data, action: '', actionType: '', parameters: {}, requiredParameters: [] };
  const parameters = {};
  const requiredParameters = [];
  for (const p of [...(action.parameters || [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0))) {
    const keep = data.action === action.name ? data.parameters?.[p.name] : undefined;
    if (keep !== undefined) parameters[p.name] = keep;
    else if (p.default !== undefined && p.default !== null && p.default !== '') parameters[p.name] = p.default;
    if (p.required) {
      const req = { data_type: p.data_type || 'string', field: p.name };
      if (p.default !== undefined && p.default !== null) req.default = p.default;
      requiredParameters.push(req);
    }
  }
  return { ...data, action: action.name, actionType: action.type || 'generic', parameters, requiredParameters };
}

export function setAssets(data, names) {
  return { ...data, connectorConfigs: [...names] };
}

/** Set one action parameter; an empty value removes the key (SOAR omits unset parameters). */
export function setParameter(data, name, value) {
  const parameters = { ...(data.parameters || {}) };
  if (value === '' || value === undefined || value === null) delete parameters[name];
  else parameters[name] = value;
  return { ...data, parameters };
}

/** Names of required parameters in any of the three stored shapes. */
export function requiredNames(data) {
  return (data.requiredParameters || []).map((r) => (typeof r === 'string' ? r : r.field));
}

// ---- lists of datapaths (format/prompt parameters, code inputParameters, outputVariables) ----

export function setListItem(data, field, i, value) {
  const list = [...(data[field] || [])];
  list[i] = value;
  return { ...data, [field]: list };
}
export function addListItem(data, field, value = '') {
  return { ...data, [field]: [...(data[field] || []), value] };
}
export function removeListItem(data, field, i) {
  return { ...data, [field]: (data[field] || []).filter((_, k) => k !== i) };
}

/** Highest `{n}` placeholder + 1 in a template (how many parameters it needs). */
export function placeholderCount(template) {
  let max = -1;
  for (const m of String(template || '').matchAll(/\{(\d+)\}/g)) max = Math.max(max, Number(m[1]));
  return max + 1;
}

// ---- prompt ---------------------------------------------------------------------------------

export const RESPONSE_TYPES = ['yes/no', 'customList', 'message'];

export function setResponse(data, i, field, value) {
  const responses = (data.responses || []).map((r, k) => {
    if (k !== i) return r;
    const next = { ...r, [field]: value };
    if (field === 'responseType') {
      if (value === 'yes/no') next.responseOptions = ['Yes', 'No'];
      else if (value === 'message') delete next.responseOptions;
      else if (!Array.isArray(next.responseOptions)) next.responseOptions = [];
    }
    return next;
  });
  return { ...data, responses };
}
export function addResponse(data) {
  return { ...data, responses: [...(data.responses || []), { responseOptions: ['Yes', 'No'], responsePrompt: '', responseType: 'yes/no' }] };
}
export function removeResponse(data, i) {
  return { ...data, responses: (data.responses || []).filter((_, k) => k !== i) };
}

/** `approver` is a user/role name, or `{type:"user", value:"container_owner"}`. */
export function setApprover(data, value) {
  return { ...data, approver: value === 'container_owner' ? { type: 'user', value: 'container_owner' } : value };
}
export function approverText(approver) {
  return approver && typeof approver === 'object' ? approver.value : approver || '';
}

// ---- utility (api / custom function) ---------------------------------------------------------

export function utilityName(data) {
  return Object.keys(data.utilities || {})[0] || '';
}

/** Choose an API utility: `utilities` and `values` each get exactly one key (§2.6). */
export function selectUtility(data, def) {
  if (!def) return { ...data, utilities: {}, values: {} };
  if (utilityName(data) === def.name) return data;
  const values = { _internal: def.fields.filter((f) => f.hidden).map((f) => f.name) };
  for (const f of def.fields) if (f.default !== undefined) values[f.name] = f.default;
  const next = { ...data, utilityType: 'api', utilities: { [def.name]: def }, values: { [def.name]: values } };
  if (def.refreshNotableData) next.advanced = { ...(data.advanced || {}), refreshNotableData: true };
  return next;
}

/** Choose a custom function (from `{api}/custom_functions`). */
export function selectCustomFunction(data, cf) {
  if (!cf) return { ...data, utilities: {}, values: {}, customFunction: { ...(data.customFunction || {}), name: '' } };
  if (utilityName(data) === cf.name) return data;
  const fields = (cf.inputs || []).map((i) => ({
    dataTypes: i.contains || i.contains_type || [], description: i.description || '', inputType: i.input_type || 'item', label: i.name,
    name: i.name, placeholder: i.placeholder || '', renderType: 'datapath', required: false,
  }));
  const values = {};
  for (const f of fields) values[f.name] = f.inputType === 'list' ? [] : null;
  return {
    ...data,
    utilityType: 'custom_function',
    customFunction: { draftMode: false, name: cf.name, repoName: cf.repo_name || cf.repo || data.customFunction?.repoName || 'local' },
    utilities: { [cf.name]: { description: cf.description || '', fields, label: cf.name, name: cf.name } },
    values: { [cf.name]: values },
  };
}

export function setUtilityValue(data, field, value) {
  const name = utilityName(data);
  return setIn(data, ['values', name, field], value);
}

// ---- child playbook --------------------------------------------------------------------------

// Repo ids as the corpus pairs them with repo names (community 1, local 2).
const REPO_IDS = { community: 1, local: 2 };

export function selectPlaybook(data, pb) {
  if (!pb) return { ...data, playbookName: '', inputs: {} };
  const repoName = pb.repo_name ?? (typeof pb.repo === 'string' ? pb.repo : null) ?? data.playbookRepoName ?? 'local';
  const inputs = {};
  for (const i of pb.input_spec || []) inputs[i.name] = data.playbookName === pb.name && data.inputs?.[i.name] ? data.inputs[i.name] : { datapaths: [], deduplicate: false };
  return {
    ...data,
    playbookName: pb.name,
    playbookType: pb.playbook_type || 'automation',
    playbookRepo: pb.repo_id ?? REPO_IDS[repoName] ?? data.playbookRepo ?? 2,
    playbookRepoName: repoName,
    inputs,
  };
}

export function setPlaybookInput(data, name, datapaths) {
  const cur = data.inputs?.[name] || { datapaths: [], deduplicate: false };
  return { ...data, inputs: { ...(data.inputs || {}), [name]: { ...cur, datapaths } } };
}
export function setPlaybookDedup(data, name, deduplicate) {
  const cur = data.inputs?.[name] || { datapaths: [], deduplicate: false };
  return { ...data, inputs: { ...(data.inputs || {}), [name]: { ...cur, deduplicate } } };
}

// ---- joins and loops ------------------------------------------------------------------------

/** Mark an upstream block as (not) required for this block's join. */
export function setJoinRequired(data, upstreamName, required) {
  const cur = data.advanced?.notRequiredJoins || [];
  const next = required ? cur.filter((n) => n !== upstreamName) : cur.includes(upstreamName) ? cur : [...cur, upstreamName];
  return setAdvanced(data, 'notRequiredJoins', next);
}

export const DEFAULT_LOOP = { enabled: false, exitAfterUnit: 'm', exitAfterValue: 10, exitConditionEnabled: false, exitLoopAfter: 2, pauseUnit: 'm', pauseValue: 2 };

export function setLoop(data, field, value) {
  return { ...data, loop: { ...DEFAULT_LOOP, ...(data.loop || {}), [field]: value } };
}
