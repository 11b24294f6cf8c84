// Block-type catalogue: palette entries, colours and the default `node.data` of a new block.
// Field sets follow the HEAD corpus (soar-format.md §2.6).

export const BLOCK_TYPES = [
  { key: 'action', type: 'action', label: 'Action', color: '#2d6fd6', icon: '⚡', hint: 'Run an app action' },
  { key: 'decision', type: 'decision', label: 'Decision', color: '#e08a1e', icon: '◆', hint: 'If / else-if / else' },
  { key: 'filter', type: 'filter', label: 'Filter', color: '#8a4fd8', icon: '▼', hint: 'Keep matching items' },
  { key: 'format', type: 'format', label: 'Format', color: '#139a8c', icon: '¶', hint: 'Template text' },
  { key: 'prompt', type: 'prompt', label: 'Prompt', color: '#d6457a', icon: '?', hint: 'Ask an analyst' },
  { key: 'code', type: 'code', label: 'Code', color: '#46505c', icon: '</>', hint: 'Custom Python' },
  { key: 'utility', type: 'utility', utilityType: 'api', label: 'Utility', color: '#4f5fc4', icon: '⚙', hint: 'Status, note, comment…' },
  { key: 'custom_function', type: 'utility', utilityType: 'custom_function', label: 'Custom function', color: '#5b9a2f', icon: 'ƒ', hint: 'Call a custom function' },
  { key: 'playbook', type: 'playbook', label: 'Playbook', color: '#b8860b', icon: '▶', hint: 'Call a child playbook' },
  { key: 'missionControl', type: 'missionControl', label: 'Mission Control', color: '#00838f', icon: '◎', hint: 'Mission Control action' },
];

const START = { key: 'start', type: 'start', label: 'Start', color: '#2e9e5b', icon: '●' };
const END = { key: 'end', type: 'end', label: 'End', color: '#c43d3d', icon: '■' };

/** Palette key of a SOAR node's data ("custom_function" for CF utilities). */
export function blockKey(data) {
  if (!data) return 'action';
  if (data.type === 'utility' && data.utilityType === 'custom_function') return 'custom_function';
  return data.type;
}

/** Visual definition for a SOAR node's data. */
export function blockDef(data) {
  const key = blockKey(data);
  if (key === 'start') return START;
  if (key === 'end') return END;
  return BLOCK_TYPES.find((b) => b.key === key) || { key, type: key, label: key, color: '#777', icon: '□' };
}

/** Base of default function names (§2.12). */
export function nameBase(key) {
  switch (key) {
    case 'custom_function': return 'custom_function';
    case 'missionControl': return 'mission_control';
    default: return key;
  }
}

/** Block types whose outgoing edges carry `conditions: [{index}]`. */
export function isConditional(type) {
  return type === 'decision' || type === 'filter';
}

/** Blocks that run asynchronously (join wait-set members, §2.9). */
export function isAsync(data) {
  if (!data) return false;
  if (data.type === 'utility') return data.utilityType === 'custom_function';
  return ['action', 'missionControl', 'prompt', 'playbook'].includes(data.type);
}

export function supportsLoop(data) {
  return ['action', 'utility', 'playbook'].includes(data?.type);
}

/** The `node.data` of a new block, before naming (functionName/functionId are set by naming.js). */
export function defaultData(key, id) {
  const base = { advanced: { customName: '', customNameId: 0, join: [] }, id };
  switch (key) {
    case 'action':
      return { ...base, type: 'action', action: '', actionType: '', connector: '', connectorConfigs: [], connectorId: '', connectorVersion: 'v1', parameters: {}, requiredParameters: [] };
    case 'missionControl':
      return { ...base, type: 'missionControl', action: '', actionType: '', connector: 'Mission Control', connectorConfigs: ['builtin_mc_connector'], connectorId: 183, connectorVersion: 'v1', parameters: {}, requiredParameters: [] };
    case 'decision':
      return {
        ...base, type: 'decision',
        conditions: [
          { comparisons: [{ conditionIndex: 0, op: '==', param: '', value: '' }], conditionIndex: 0, customName: '', display: 'If', logic: 'and', type: 'if' },
          { comparisons: [{ conditionIndex: 1, op: '==', param: '', value: '' }], conditionIndex: 1, customName: '', display: 'Else', logic: 'and', type: 'else' },
        ],
      };
    case 'filter':
      return { ...base, type: 'filter', conditions: [{ comparisons: [{ conditionIndex: 0, op: '==', param: '', value: '' }], conditionIndex: 0, customName: '', logic: 'and' }] };
    case 'format':
      return { ...base, type: 'format', template: '', parameters: [] };
    case 'prompt':
      return { ...base, type: 'prompt', approver: 'admin', message: '', parameters: [], responseTime: 30, responses: [] };
    case 'code':
      return { ...base, type: 'code', inputParameters: [], outputVariables: [] };
    case 'utility':
      return { ...base, type: 'utility', utilityType: 'api', utilities: {}, values: {}, selectMore: false, tab: 'apis' };
    case 'custom_function':
      return { ...base, type: 'utility', utilityType: 'custom_function', utilities: {}, values: {}, selectMore: false, tab: 'customFunctions', customFunction: { draftMode: false, name: '', repoName: 'local' } };
    case 'playbook':
      return { ...base, type: 'playbook', playbookName: '', playbookRepo: 2, playbookRepoName: 'local', playbookType: 'automation', synchronous: true, inputs: {} };
    default:
      throw new Error(`unknown block type ${key}`);
  }
}

export const OPERATORS = ['==', '!=', '<', '>', '<=', '>=', 'in', 'not in', 'startswith', 'endswith', 'match'];

/** The second line of a block on the canvas (and in picture exports). */
export function blockSubtitle(d) {
  switch (d.type) {
    case 'action':
    case 'missionControl':
      return d.action ? `${d.action}${d.connector ? ` · ${d.connector}` : ''}` : 'choose an action';
    case 'utility': {
      const u = Object.values(d.utilities || {})[0];
      if (d.utilityType === 'custom_function') return d.customFunction?.name || 'choose a function';
      return u ? u.label || u.name : 'choose a utility';
    }
    case 'playbook':
      return d.playbookName ? `${d.playbookName}${d.synchronous === false ? ' (async)' : ''}` : 'choose a playbook';
    case 'decision':
    case 'filter':
      return `${(d.conditions || []).length} condition${(d.conditions || []).length === 1 ? '' : 's'}`;
    default:
      return blockDef(d).label;
  }
}
