def comment_list(container=None, **kwargs):
    """
    List the comments of a container, oldest first.

    Args:
        container: A container id or dict; the run's container when empty.

    Returns a JSON-serializable object that implements the configured data paths:
        id: The comment's id.
        comment: The comment text.
        container: The container's id.
        time: When the comment was last changed (ISO 8601).
        create_time: When the comment was made (ISO 8601).
        user: The id of the user who made it (None for automation without a user).
        mentions: Users or roles mentioned; Playbook Studio comments carry none, so always [].
        mentions.id: The id of a mentioned user or role.
        mentions.name: The name of a mentioned user or role.
        mentions.type: "user" or "role".
    """
    ############################ Custom Code Goes Below This Line #################################
    from engine.custom_functions._support import resolve_container
    from engine.models import Note

    target = resolve_container(container)
    # phantom.comment stores a comment as a note of type "container".
    notes = Note.objects.filter(container=target, note_type="container").order_by("id")
    return [{"id": n.pk, "comment": n.content, "container": target.pk,
             "time": n.modified_time.isoformat().replace("+00:00", "Z"),
             "create_time": n.create_time.isoformat().replace("+00:00", "Z"),
             "user": n.author_id, "mentions": []} for n in notes]
