// Built-in Mission Control "app" for missionControl blocks (connector "Mission Control",
// connectorId 183, asset builtin_mc_connector), with the actions and parameters seen in the corpus.
const p = (name, data_type, required, def, order) => ({ name, data_type, required, contains: [], default: def, value_list: [], primary: false, order });

export const MISSION_CONTROL_APP = {
  id: 183,
  appid: 183,
  name: 'Mission Control',
  version: 'builtin',
  actions: [
    { name: 'create events', type: 'post', description: 'Create events in a Mission Control incident', parameters: [p('incident_id', 'string', true, '', 0), p('pairs', 'array', true, undefined, 1)], outputs: [] },
    { name: 'get tasks', type: 'get', description: 'Get the tasks of a Mission Control incident', parameters: [p('id', 'string', true, undefined, 0)], outputs: [] },
    { name: 'add task note', type: 'post', description: 'Add a note to a response task', parameters: [p('id', 'string', true, undefined, 0), p('title', 'string', true, '', 1), p('content', 'string', true, '', 2), p('task_id', 'string', true, undefined, 3), p('phase_id', 'string', true, undefined, 4), p('response_plan_id', 'string', true, undefined, 5)], outputs: [] },
    { name: 'update task', type: 'post', description: 'Update a response task', parameters: [p('id', 'string', true, undefined, 0), p('name', 'string', true, '', 1), p('order', 'numeric', true, '', 2), p('task_id', 'string', true, undefined, 3)], outputs: [] },
  ],
};
export const MISSION_CONTROL_ASSET = { id: 0, name: 'builtin_mc_connector', app_appid: 183, app_name: 'Mission Control', actions: MISSION_CONTROL_APP.actions.map((a) => a.name) };
