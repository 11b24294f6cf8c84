// SOAR utility APIs (utilityType "api"). comment/add_note/set_status/pin are copied from corpus
// nodes; the others follow the same shape for the phantom.* calls of the same name.
const hidden = (name, extra = {}) => ({ hidden: true, name, required: false, ...extra });
const dp = (name, label, placeholder, required = false) => ({ description: '', label, name, placeholder, renderType: 'datapath', required });
const dd = (name, label, choices, placeholder, required = false, extra = {}) => ({ choices, description: '', label, name, placeholder, renderType: 'dropdown', required, ...extra });

export const UTILITY_APIS = [
  { description: '', fields: [dp('comment', 'comment', 'Enter a comment', true), hidden('container'), hidden('author'), hidden('trace')], label: 'add comment', name: 'comment' },
  { description: '', fields: [dp('title', 'title', 'Enter a note title'), dp('content', 'content', 'Enter the note content'), dd('note_format', 'note format', ['markdown', 'html'], 'Enter the note content', false, { default: 'markdown' }), hidden('container'), hidden('note_type', { default: 'general' }), hidden('author'), hidden('event_id'), hidden('task_id'), hidden('trace')], label: 'add note', name: 'add_note' },
  { description: '', fields: [dd('status', 'status', 'notableStatus', 'Select status', true), hidden('container'), hidden('trace')], label: 'set status', name: 'set_status', refreshNotableData: true },
  { description: '', fields: [dd('severity', 'severity', 'severity', 'Select severity', true), hidden('container'), hidden('trace')], label: 'set severity', name: 'set_severity', refreshNotableData: true },
  { description: '', fields: [dd('sensitivity', 'sensitivity', ['white', 'green', 'amber', 'red'], 'Select sensitivity', true), hidden('container'), hidden('trace')], label: 'set sensitivity', name: 'set_sensitivity', refreshNotableData: true },
  { description: '', fields: [dp('label', 'label', 'Enter a label', true), hidden('container'), hidden('trace')], label: 'set label', name: 'set_label', refreshNotableData: true },
  { description: '', fields: [dp('role', 'role', 'Enter a role'), dp('user', 'user', 'Enter a user'), hidden('container'), hidden('trace')], label: 'set owner', name: 'set_owner', refreshNotableData: true },
  { description: '', fields: [dp('tags', 'tags', 'Enter tags', true), hidden('container'), hidden('trace')], label: 'add tag', name: 'add_tags', refreshNotableData: true },
  { description: '', fields: [dp('tags', 'tags', 'Enter tags', true), hidden('container'), hidden('trace')], label: 'remove tag', name: 'remove_tags', refreshNotableData: true },
  { description: '', fields: [dp('name', 'name', 'Artifact name', true), dp('label', 'label', 'Artifact label'), dp('cef_field', 'cef field', 'CEF field name'), dp('cef_value', 'cef value', 'CEF value'), dd('severity', 'severity', 'severity', 'Select severity'), dd('run_automation', 'run automation', ['true', 'false'], 'false'), hidden('container'), hidden('trace')], label: 'add artifact', name: 'add_artifact' },
  { description: '', fields: [dp('message', 'message', 'Enter a message'), dp('data', 'data', 'Enter a value'), dd('pin_type', 'pin type', ['card', 'data'], 'Select pin type'), dd('pin_style', 'pin color', ['grey', 'blue', 'red'], 'Select pin color'), { description: '', label: 'name', name: 'name', placeholder: 'Use a named pin', renderType: 'input', required: false }, hidden('container'), hidden('author'), hidden('truncate'), hidden('trace')], label: 'pin', name: 'pin' },
  { description: '', fields: [dp('event_ids', 'event ids', 'Enter notable event ids', true), hidden('container'), hidden('trace')], label: 'promote to case', name: 'promote', refreshNotableData: true },
];

/** Named choice lists referenced by `choices: "<name>"`. */
export const NAMED_CHOICES = {
  notableStatus: ['new', 'open', 'closed', 'resolved'],
  severity: ['low', 'medium', 'high'],
};

export function choicesOf(field) {
  if (Array.isArray(field.choices)) return field.choices;
  return NAMED_CHOICES[field.choices] || [];
}
