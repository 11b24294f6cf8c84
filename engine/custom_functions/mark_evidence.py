def mark_evidence(container=None, input_object=None, content_type=None, **kwargs):
    """
    Mark an artifact, note, vault file, container or action run as evidence of a container.
    Marking the same object twice keeps one evidence record; an empty input_object marks nothing.

    Args:
        container: A container id or dict; the run's container when empty.
        input_object: The object's id; for vault_id also a vault hash; for action_run_id also a callback's results list.
        content_type: artifact_id, note_id, vault_id, container_id or action_run_id.

    Returns a JSON-serializable object that implements the configured data paths:
        *.id: The id of an evidence record (one per object marked).
    """
    ############################ Custom Code Goes Below This Line #################################
    from engine.custom_functions._support import as_list, as_pk, emit, log, resolve_container, run_owner
    from engine.models import ActionRun, Artifact, Container, Evidence, Note, VaultItem

    target = resolve_container(container)
    kind = str(content_type or "").strip().lower()
    if kind not in Evidence.CONTENT_TYPES:
        raise ValueError(f"content_type must be one of {', '.join(Evidence.CONTENT_TYPES)}, not {content_type!r}")
    if input_object in (None, "", []):
        # Usually the note_id of an upstream block that added no note.
        log("mark_evidence: no object given; nothing marked")
        return []
    if kind == "action_run_id" and isinstance(input_object, list) and input_object and isinstance(input_object[0], dict):
        objects = list(dict.fromkeys(r.get("action_run_id") for r in input_object if r.get("action_run_id")))
    else:
        objects = as_list(input_object)
    out = []
    for obj in objects:
        links: dict = {}
        if kind == "artifact_id":
            links["artifact"] = Artifact.objects.filter(pk=as_pk(obj)).first()
        elif kind == "note_id":
            links["note"] = Note.objects.filter(pk=as_pk(obj)).first()
        elif kind == "container_id":
            links["linked_container"] = Container.objects.filter(pk=as_pk(obj)).first()
        elif kind == "action_run_id":
            links["action_run"] = ActionRun.objects.filter(pk=as_pk(obj)).first()
        else:
            text = str(obj).strip()
            items = VaultItem.objects.filter(vault_id=text)
            # A vault hash can be in several containers; this container's copy is the evidence.
            item = items.filter(container=target).first() or items.first()
            if item is None and text.isdigit():
                item = VaultItem.objects.filter(pk=int(text)).first()
            links["vault_item"] = item
        linked = next(iter(links.values()))
        if linked is None:
            raise ValueError(f"no {kind.removesuffix('_id')} {obj!r}")
        evidence, _ = Evidence.objects.get_or_create(
            container=target, content_type=kind, object_id=linked.pk, defaults={**links, "owner": run_owner()})
        emit("container.evidence", {"container": target.pk, "content_type": kind, "object_id": linked.pk})
        out.append({"id": evidence.pk})
    return out
