def workbook_list(**kwargs):
    """
    List every workbook template, for example to offer a choice of workbooks to add to an event.

    Returns a JSON-serializable object that implements the configured data paths:
        *.id: The workbook id.
        *.name: The workbook name.
        *.description: The workbook description.
        *.status: The workbook status, such as "published".
        *.is_default: True for the workbook new cases get by default.
        *.is_note_required: True when every task needs a note before it can be completed.
        *.creator: The id of the user who made it (None for the built-in ones).
        *.create_time: When it was made (ISO 8601).
        *.modified_time: When it was last changed (ISO 8601).
    """
    ############################ Custom Code Goes Below This Line #################################
    from engine.models import WorkbookTemplate
    from engine.models.workbooks import seed_workbook_templates

    seed_workbook_templates()
    return [{"id": w.pk, "name": w.name, "description": w.description, "status": w.status,
             "is_default": w.is_default, "is_note_required": w.is_note_required, "creator": w.creator_id,
             "create_time": w.create_time.isoformat().replace("+00:00", "Z"),
             "modified_time": w.modified_time.isoformat().replace("+00:00", "Z")}
            for w in WorkbookTemplate.objects.order_by("id")]
