// Mounting the bundle's apps, at most once per element.

/**
 * Call `render(el)` unless `el` is missing or already mounted. If the entry module is ever
 * evaluated twice in one page (a lazily loaded chunk importing the entry under another URL, as
 * collectstatic's renamed entry did: issue 20), a second editor mounted into the same element
 * would live on unseen and keep autosaving its own copy, so the visible editor's next save
 * would be refused as "someone else saved this playbook".
 */
export function mountOnce(el, render) {
  if (!el || el.dataset.mounted) return false;
  el.dataset.mounted = '1';
  render(el);
  return true;
}
