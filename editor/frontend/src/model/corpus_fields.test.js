// Panel writers checked against what SOAR itself stored in the corpus.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UTILITY_APIS } from './utilities.js';
import { selectUtility } from './fields.js';
import { defaultData, BLOCK_TYPES, blockKey } from './blocktypes.js';
import { MISSION_CONTROL_APP } from './missioncontrol.js';
import { selectAction } from './fields.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.resolve(here, '../../../../../shared/corpus/modern');
const docs = fs.existsSync(CORPUS)
  ? fs.readdirSync(CORPUS).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(CORPUS, f), 'utf8')))
  : [];
const allNodes = docs.flatMap((d) => Object.values(d.coa.data.nodes));

describe.skipIf(!docs.length)('writers reproduce corpus data', () => {
  it('utility API definitions equal the ones SOAR stored', () => {
    const apiNodes = allNodes.filter((n) => n.data.type === 'utility' && n.data.utilityType === 'api');
    expect(apiNodes.length).toBeGreaterThan(0);
    // SOAR builds differ slightly (add_note's title was once an "input"): match any stored version.
    const stored = new Map();
    for (const n of apiNodes) {
      const name = Object.keys(n.data.utilities)[0];
      stored.set(name, [...(stored.get(name) || []), JSON.stringify(n.data.utilities[name])]);
    }
    for (const n of apiNodes) {
      const name = Object.keys(n.data.utilities)[0];
      const def = UTILITY_APIS.find((u) => u.name === name);
      expect(def, name).toBeTruthy();
      expect(stored.get(name).map((t) => JSON.parse(t))).toContainEqual(def);
      const written = selectUtility(defaultData('utility', n.id), def);
      expect(written.values[name]._internal).toEqual(n.data.values[name]._internal);
    }
  });

  it('new blocks carry every data key SOAR always writes for their type', () => {
    const alwaysByType = {};
    for (const n of allNodes) {
      const key = blockKey(n.data);
      const keys = new Set(Object.keys(n.data));
      alwaysByType[key] = alwaysByType[key] ? new Set([...alwaysByType[key]].filter((k) => keys.has(k))) : keys;
    }
    for (const b of BLOCK_TYPES) {
      const fresh = defaultData(b.key, '9');
      const missing = [...(alwaysByType[b.key] || [])].filter((k) => !(k in fresh) && k !== 'functionId' && k !== 'functionName');
      expect(missing, b.key).toEqual([]);
    }
  });

  it('Mission Control actions write the corpus requiredParameters', () => {
    const mc = allNodes.filter((n) => n.data.type === 'missionControl');
    for (const n of mc) {
      const action = MISSION_CONTROL_APP.actions.find((a) => a.name === n.data.action);
      const written = selectAction(defaultData('missionControl', n.id), action);
      const key = (r) => r.field;
      expect([...written.requiredParameters].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...n.data.requiredParameters].sort((a, b) => key(a).localeCompare(key(b))));
      expect(written.actionType).toBe(n.data.actionType);
    }
  });

  it('every condition operator in the corpus is offered', async () => {
    const { OPERATORS } = await import('./blocktypes.js');
    const ops = new Set(allNodes.flatMap((n) => (n.data.conditions || []).flatMap((c) => c.comparisons.map((k) => k.op))));
    for (const op of ops) expect(OPERATORS).toContain(op);
  });
});
