def container_merge(target_container=None, container_list=None, workbook=None, close_containers=None, **kwargs):
    """
    Merge containers into a case: copy every artifact, note, comment and vault file of each
    container in container_list into target_container, which becomes a case. Each copied note
    says which container it came from; each merged container gets a note pointing at the case,
    is marked as evidence of the case and is flagged as in a case. Containers already merged
    into this case are skipped, so running the merge twice copies nothing twice; notes a merge
    left behind are never copied.

    Args:
        target_container: The case to merge into: a container id or dict; the run's container when empty.
        container_list: The ids (or dicts) of the containers to merge; the target itself is ignored.
        workbook: Name or id of the workbook to add when the case has none yet; the default workbook when empty.
        close_containers: "True" closes the merged containers; default False.

    Returns a JSON-serializable object that implements the configured data paths:
    """
    ############################ Custom Code Goes Below This Line #################################
    from django.db import transaction

    from engine.artifacts import clone_artifact
    from engine.custom_functions._support import as_bool, as_id, as_list, as_pk, emit, log, resolve_container, run_owner
    from engine.models import Container, ContainerWorkbook, Evidence, Note, VaultItem, WorkbookTemplate
    from engine.models.workbooks import instantiate_workbook

    copied_prefix, pointer_prefix = "[Merged from container ", "[Merged into case "
    target = resolve_container(target_container)
    ids = [i for i in (as_id(c) for c in as_list(container_list)) if i is not None and i != target.pk]
    ids = list(dict.fromkeys(ids))
    owner = run_owner()
    merged = []
    for child in Container.objects.filter(pk__in=ids).order_by("id"):
        if child.parent_container_id == target.pk and child.in_case:
            log(f"container {child.pk} is already merged into {target.pk}")
            continue
        with transaction.atomic():
            for artifact in child.artifacts.order_by("id"):
                clone_artifact(artifact, target, creator=owner)
            for note in Note.objects.filter(container=child).order_by("id"):
                if note.title.startswith((copied_prefix, pointer_prefix)):
                    continue
                Note.objects.create(container=target, title=f"{copied_prefix}{child.pk}] {note.title}"[:1024],
                                    content=note.content, note_type=note.note_type, note_format=note.note_format,
                                    author=note.author)
            for item in VaultItem.objects.filter(container=child).order_by("id"):
                if not VaultItem.objects.filter(container=target, vault_id=item.vault_id, name=item.name).exists():
                    VaultItem.objects.create(container=target, vault_id=item.vault_id, name=item.name, size=item.size,
                                             path=item.path, metadata=dict(item.metadata or {}))
            Note.objects.create(container=child, title=f"{pointer_prefix}{target.pk}]",
                                content=f"This container was merged into case {target.pk} ({target.name}).",
                                note_type="general", author=owner)
            Evidence.objects.get_or_create(container=target, content_type="container_id", object_id=child.pk,
                                           defaults={"linked_container": child, "owner": owner})
            child.parent_container = target
            child.in_case = True
            if as_bool(close_containers, False):
                child.status = "closed"
            child.save()
        merged.append(child.pk)
        emit("container.updated", {"container": child.pk, "merged_into": target.pk})
    missing = sorted(set(ids) - set(merged) - set(Container.objects.filter(pk__in=ids).values_list("pk", flat=True)))
    if missing:
        log(f"containers not found: {missing}")
    target.refresh_from_db()
    target.container_type = "case"
    target.save()
    if not ContainerWorkbook.objects.filter(container=target).exists():
        template = None
        if workbook not in (None, ""):
            template = (WorkbookTemplate.objects.filter(name=str(workbook).strip()).first()
                        or WorkbookTemplate.objects.filter(pk=as_pk(workbook)).first())
            if template is None:
                raise ValueError(f"no workbook {workbook!r}")
        instantiate_workbook(target, template or WorkbookTemplate.default())
    emit("container.updated", {"container": target.pk, "container_type": "case", "merged": merged})
    return {"target_container": target.pk, "merged_containers": merged}
