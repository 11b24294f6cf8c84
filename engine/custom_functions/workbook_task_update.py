def workbook_task_update(task_name=None, note_title=None, note_content=None, status=None, owner=None, container=None, **kwargs):
    """
    Update a workbook task of a container, found by name or by the running playbook: add a
    note, change its status, assign its owner. A container without a workbook gets the
    default workbook first. With nothing to change (all of note, status and owner empty) the
    task is only looked up.

    Args:
        task_name: The task's name, or "playbook" for the task that lists the running playbook (or the playbook of a parent run).
        note_title: Title of a note to add to the task (optional).
        note_content: Content of a note to add to the task (optional).
        status: incomplete, in_progress or complete ("closed" is taken as complete).
        owner: A user name or id to assign, or "current" for the user the run acts for.
        container: A container id or dict; the run's container when empty.

    Returns a JSON-serializable object that implements the configured data paths:
        note_id: The id of the note added, or None when no note was given.
    """
    ############################ Custom Code Goes Below This Line #################################
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from engine.custom_functions._support import as_id, as_pk, current_context, emit, log, resolve_container, run_owner
    from engine.models import ContainerTask, Note
    from engine.models.workbooks import WorkbookTemplate, instantiate_workbook

    if task_name in (None, ""):
        raise ValueError("task_name is required")
    target = resolve_container(container)
    tasks = ContainerTask.objects.filter(container=target).select_related("phase").order_by(
        "phase__order", "phase__id", "order", "id")
    if not tasks.exists():
        instantiate_workbook(target, WorkbookTemplate.default())
    name = str(task_name).strip()
    if name.lower() == "playbook":
        ctx = current_context()
        if ctx is None:
            raise ValueError("task_name 'playbook' needs a running playbook")
        # The running playbook, else the nearest parent run's playbook: a child launched by a
        # task's playbook works in that task.
        run, depth = ctx.run, 0
        candidates: list = []
        while run is not None and not candidates and depth < 10:
            wanted = {run.playbook.name, f"{run.playbook.repo}/{run.playbook.name}"}
            candidates = [t for t in tasks if wanted & set(t.playbooks or [])]
            run, depth = run.parent_run, depth + 1
        if not candidates:
            raise ValueError(f"no workbook task of container {target.pk} lists the playbook "
                             f"{ctx.run.playbook.repo}/{ctx.run.playbook.name}")
    else:
        candidates = [t for t in tasks if t.name == name] or [t for t in tasks if t.name.lower() == name.lower()]
    if not candidates:
        raise ValueError(f"container {target.pk} has no workbook task {name!r}")
    if all(v in (None, "") for v in (note_title, note_content, status, owner)):
        # Playbooks bind the note to upstream outputs that may be empty; nothing to change is not an error.
        log(f"workbook task {name!r}: nothing to update")
        return {"note_id": None}
    # The same task name can appear in several workbooks; the earliest unfinished one is the live one.
    task = next((t for t in candidates if t.status != "complete"), candidates[0])

    new_status = None
    if status not in (None, ""):
        new_status = str(status).strip().lower().replace(" ", "_").replace("-", "_")
        new_status = {"closed": "complete", "completed": "complete", "done": "complete",
                      "new": "incomplete", "open": "in_progress"}.get(new_status, new_status)
        if new_status not in ("incomplete", "in_progress", "complete"):
            raise ValueError(f"status must be incomplete, in_progress or complete, not {status!r}")

    note_id = None
    if note_title not in (None, "") or note_content not in (None, ""):
        note = Note.objects.create(container=target, title=str(note_title or "")[:1024],
                                   content=str(note_content or ""), note_type="task", author=run_owner())
        task.notes.add(note)
        note_id = note.pk
    if new_status == "complete" and task.is_note_required and not task.notes.exists():
        raise ValueError(f"task {task.name!r} needs a note before it can be completed")

    if owner not in (None, ""):
        if str(owner).strip().lower() == "current":
            task.owner = run_owner()
        else:
            users = get_user_model().objects
            user = users.filter(username=str(owner).strip()).first()
            if user is None and as_id(owner) is not None:
                user = users.filter(pk=as_pk(owner)).first()
            if user is None:
                raise ValueError(f"no user {owner!r}")
            task.owner = user
    now = timezone.now()
    if new_status is not None and new_status != task.status:
        task.status = new_status
        if new_status == "in_progress" and task.start_time is None:
            task.start_time = now
        task.end_time = now if new_status == "complete" else None
    task.update_time = now
    task.save()
    emit("container.task", {"container": target.pk, "task": task.name, "status": task.status, "note": note_id})
    return {"note_id": note_id}
