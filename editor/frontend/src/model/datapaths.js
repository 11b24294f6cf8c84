// Datapath suggestions for a block (soar-format.md §4): container/artifact fields, playbook
// inputs, and the outputs of every upstream block, plus filtered-data of upstream filters.
import { ancestors } from './graph.js';
import { MISSION_CONTROL_APP } from './missioncontrol.js';

export const CONTAINER_FIELDS = [
  'id', 'name', 'label', 'status', 'severity', 'sensitivity', 'owner_name', 'description', 'external_id',
  'source_data_identifier', 'create_time', 'start_time', 'due_time', 'close_time', 'artifact_count', 'tags',
  'container_type', 'tenant', 'kill_chain', 'data', 'url',
];
export const ARTIFACT_FIELDS = ['id', 'name', 'label', 'severity', 'tags', 'description', 'type', 'source_data_identifier', 'cef', 'data'];
export const COMMON_CEF = [
  'sourceAddress', 'destinationAddress', 'sourceHostName', 'destinationHostName', 'sourceUserName', 'destinationUserName',
  'requestURL', 'fileHash', 'fileHashMd5', 'fileHashSha1', 'fileHashSha256', 'fileName', 'filePath', 'deviceHostname',
  'sourcePort', 'destinationPort', 'emailAddress', 'fromEmail', 'toEmail', 'domain', 'ip', 'url', 'userName', 'process',
];

const ACTION_STD = ['status', 'message', 'summary', 'data', 'data.*'];

function findApp(apps, data) {
  if (data.type === 'missionControl') return MISSION_CONTROL_APP;
  return (apps || []).find((a) => a.name === data.connector || a.appid === data.connectorId || String(a.id) === String(data.connectorId));
}

/** Suggestions produced by one upstream block (unfiltered). */
export function blockOutputs(data, ctx) {
  const fn = data.functionName;
  const out = [];
  const add = (value, extra = {}) => out.push({ value, group: fn, ...extra });
  switch (data.type) {
    case 'action':
    case 'missionControl': {
      const app = findApp(ctx.apps, data);
      const action = app?.actions?.find((a) => a.name === data.action);
      const seen = new Set();
      for (const o of action?.outputs || []) {
        const path = String(o.data_path || '').replace(/^action_result\.?/, '');
        const value = path ? `${fn}:action_result.${path}` : `${fn}:action_result`;
        if (seen.has(value)) continue;
        seen.add(value);
        add(value, { contains: o.contains || [], example: (o.example_values || []).slice(0, 2).map(String).join(', '), dataType: o.data_type });
      }
      for (const p of ACTION_STD) if (!seen.has(`${fn}:action_result.${p}`)) add(`${fn}:action_result.${p}`);
      for (const p of Object.keys(data.parameters || {})) {
        const v = `${fn}:action_result.parameter.${p}`;
        if (!seen.has(v)) add(v);
      }
      break;
    }
    case 'prompt':
      add(`${fn}:action_result.status`);
      (data.responses || []).forEach((r, i) => add(`${fn}:action_result.summary.responses.${i}`, { example: r.responsePrompt || '' }));
      add(`${fn}:action_result.parameter.message`);
      break;
    case 'format':
      add(`${fn}:formatted_data`);
      add(`${fn}:formatted_data.*`);
      break;
    case 'code':
      for (const v of data.outputVariables || []) if (v) add(`${fn}:custom_function:${v}`);
      break;
    case 'utility': {
      if (data.utilityType !== 'custom_function') break;
      const cf = (ctx.customFunctions || []).find((c) => c.name === data.customFunction?.name);
      for (const o of cf?.outputs || []) add(`${fn}:custom_function_result.data.${o.data_path}`, { contains: o.contains || o.contains_type || [] });
      add(`${fn}:custom_function_result.success`);
      add(`${fn}:custom_function_result.message`);
      break;
    }
    case 'playbook': {
      const pb = (ctx.playbooks || []).find((p) => p.name === data.playbookName);
      for (const o of pb?.output_spec || []) add(`${fn}:playbook_output:${o.name}`, { contains: o.contains || [] });
      break;
    }
    default:
  }
  for (const [, entries] of Object.entries(data.customDatapaths || {})) {
    for (const e of Object.values(entries || {})) if (e?.value) add(e.value, { custom: true });
  }
  return out;
}

/** Source key of a datapath: what a filter restricts (`artifact`, `playbook_input`, a block name…). */
export function sourceKey(dp) {
  let s = String(dp || '');
  const m = /^filtered-data:[^:]+:condition_\d+:(.*)$/.exec(s);
  if (m) s = m[1];
  const i = s.indexOf(':');
  return i < 0 ? null : s.slice(0, i);
}

function baseSuggestions(ctx) {
  const out = [];
  for (const f of CONTAINER_FIELDS) out.push({ value: `container:${f}`, group: 'container' });
  const cef = [...new Set([...(ctx.cefFields || []), ...COMMON_CEF])];
  for (const f of cef) out.push({ value: `artifact:*.cef.${f}`, group: 'artifact', fromContainer: (ctx.cefFields || []).includes(f) });
  for (const f of ARTIFACT_FIELDS) out.push({ value: `artifact:*.${f}`, group: 'artifact' });
  for (const i of ctx.doc?.coa?.input_spec || []) out.push({ value: `playbook_input:${i.name}`, group: 'playbook input', contains: i.contains || [] });
  // Custom lists already used in this playbook (comparison values for in / not in).
  const lists = new Set();
  for (const n of ctx.nodes || []) {
    for (const c of n.data.soar.data?.conditions || []) {
      for (const k of c.comparisons || []) if (typeof k.value === 'string' && k.value.startsWith('custom_list:')) lists.add(k.value);
    }
  }
  for (const v of lists) out.push({ value: v, group: 'custom list' });
  return out;
}

/**
 * All suggestions for block `nodeId`. ctx: {nodes, edges, doc, apps, customFunctions, playbooks, cefFields}.
 */
export function suggestDatapaths(nodeId, ctx) {
  const byId = new Map(ctx.nodes.map((n) => [n.id, n]));
  const up = ancestors(nodeId, ctx.edges).map((id) => byId.get(id)).filter(Boolean);
  const base = baseSuggestions(ctx);
  const upstream = [];
  for (const n of up) upstream.push(...blockOutputs(n.data.soar.data, ctx));
  const unfiltered = [...base, ...upstream];
  const filtered = [];
  for (const n of up) {
    const d = n.data.soar.data;
    if (d.type !== 'filter') continue;
    (d.conditions || []).forEach((c, i) => {
      const keys = new Set((c.comparisons || []).map((k) => sourceKey(k.param)).filter(Boolean));
      for (const s of unfiltered) {
        if (keys.has(sourceKey(s.value)) && s.value.indexOf('filtered-data:') !== 0) {
          filtered.push({ ...s, value: `filtered-data:${d.functionName}:condition_${i + 1}:${s.value}`, group: `${d.functionName} condition ${i + 1}` });
        }
      }
    });
  }
  return [...upstream, ...filtered, ...base];
}

/** Rank suggestions for typed text: prefix matches first, then substring; capped. */
export function filterSuggestions(list, text, limit = 60) {
  const q = String(text || '').toLowerCase();
  if (!q) return list.slice(0, limit);
  const pre = [];
  const sub = [];
  for (const s of list) {
    const v = s.value.toLowerCase();
    if (v === q) continue;
    if (v.startsWith(q)) pre.push(s);
    else if (v.includes(q)) sub.push(s);
  }
  return [...pre, ...sub].slice(0, limit);
}

/** Custom lists offered as comparison values for in / not in. */
export function customListValue(name) {
  return `custom_list:${name}`;
}
