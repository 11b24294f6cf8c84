// Whether this user may write code (SOAR's "edit code": Code blocks, custom code, global code).
// The page says so (templates/editor/edit.html); the server refuses such saves anyway, so
// this only spares the user edits that could not be saved.
export function codeReadOnly() {
  if (typeof document === 'undefined') return false;
  return document.getElementById('playbook-editor')?.dataset.codeReadonly === '1';
}
