def workbook_add(container=None, workbook=None, check_for_existing_workbook=None, start_workbook=None, **kwargs):
    """
    Add a workbook (its phases and tasks) to a container.

    Args:
        container: A container id or dict; the run's container when empty.
        workbook: The workbook's name or id; the default workbook when empty.
        check_for_existing_workbook: "True" (default) does not add a workbook the container already has.
        start_workbook: "True" (default) makes the workbook's first phase the container's current phase.

    Returns a JSON-serializable object that implements the configured data paths:
        workbook_id: The id of the workbook template added (or found already on the container).
        current_phase_id: The id of the container's current phase when start_workbook is true, else None.
    """
    ############################ Custom Code Goes Below This Line #################################
    from engine.custom_functions._support import as_bool, as_id, as_pk, emit, log, resolve_container
    from engine.models import ContainerPhase, ContainerWorkbook, WorkbookTemplate
    from engine.models.workbooks import instantiate_workbook, seed_workbook_templates

    target = resolve_container(container)
    seed_workbook_templates()
    template: WorkbookTemplate | None
    if workbook in (None, ""):
        template = WorkbookTemplate.default()
    else:
        template = WorkbookTemplate.objects.filter(name=str(workbook).strip()).first()
        if template is None and as_id(workbook) is not None:
            template = WorkbookTemplate.objects.filter(pk=as_pk(workbook)).first()
    if template is None:
        raise ValueError(f"no workbook {workbook!r}")
    added = None
    if as_bool(check_for_existing_workbook, True):
        added = ContainerWorkbook.objects.filter(container=target, template=template).order_by("id").first()
        if added is not None:
            log(f"workbook {template.name!r} is already on container {target.pk}")
    if added is None:
        added = instantiate_workbook(target, template)
        emit("container.workbook", {"container": target.pk, "workbook": template.name})
    phase_id = None
    if as_bool(start_workbook, True):
        phase = ContainerPhase.objects.filter(workbook=added).order_by("order", "id").first()
        if phase is not None:
            target.current_phase = phase.name
            target.save(update_fields=["current_phase", "container_update_time"])
            phase_id = phase.pk
            emit("container.updated", {"container": target.pk, "current_phase": phase.name})
    return {"workbook_id": template.pk, "current_phase_id": phase_id}
