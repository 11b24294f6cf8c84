def playbooks_list(name=None, category=None, tags=None, repo=None, playbook_type=None, **kwargs):
    """
    List the playbooks matching a name, category, tags, repo and type; all of them without filters.

    Args:
        name: Only the playbook with this name (or "repo/name").
        category: Only playbooks in this category.
        tags: Only playbooks carrying ALL of these tags (comma-separated).
        repo: Only playbooks in this repo.
        playbook_type: "automation", "input" or "data" ("input" and "data" both mean input playbooks).

    Returns a JSON-serializable object that implements the configured data paths:
        *.id: The playbook id.
        *.full_name: "repo/name".
        *.name: The playbook name.
        *.category: The playbook category.
        *.tags: The playbook's tags.
        *.active: True when the playbook runs automatically on new events.
        *.disabled: True when the playbook is disabled.
        *.playbook_type: "automation" or "data".
        *.input_spec: For input playbooks, the list of accepted inputs; None otherwise.
    """
    ############################ Custom Code Goes Below This Line #################################
    from editor.models import Playbook
    from engine.custom_functions._support import as_tags

    books = Playbook.objects.all().order_by("name", "id")
    if name not in (None, ""):
        text = str(name).strip()
        if "/" in text:
            repo_part, _, name_part = text.rpartition("/")
            books = books.filter(repo=repo_part, name=name_part)
        else:
            books = books.filter(name=text)
    if category not in (None, ""):
        books = books.filter(category=str(category).strip())
    if repo not in (None, ""):
        books = books.filter(repo=str(repo).strip())
    if playbook_type not in (None, ""):
        kind = str(playbook_type).strip().lower()
        if kind not in ("automation", "input", "data"):
            raise ValueError(f"playbook_type must be automation, input or data, not {playbook_type!r}")
        # SOAR shows input playbooks as "input" in the UI and stores them as "data".
        books = books.filter(playbook_type="data" if kind in ("input", "data") else "automation")
    wanted = set(as_tags(tags))
    out = []
    for book in books:
        if wanted and not wanted <= set(book.tags or []):
            continue
        out.append({"id": book.pk, "full_name": f"{book.repo}/{book.name}", "name": book.name,
                    "category": book.category, "tags": list(book.tags or []), "active": book.active,
                    "disabled": book.disabled, "playbook_type": book.playbook_type,
                    "input_spec": book.input_spec if book.playbook_type == "data" else None})
    return out
