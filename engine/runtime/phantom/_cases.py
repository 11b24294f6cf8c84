"""Cases: `promote`, `merge`, `deescalate`, `create_container` and `get_notes`.

Writes go through the ORM inside the step's transaction and announce themselves with a
run event, as every other container operation of the runtime does (`_container._changed`).
"""
from __future__ import annotations

from typing import Any

from engine.models import Artifact, Container, Note
from engine.runtime.context import current
from engine.runtime.phantom._container import _container
from soar.ids import as_id

Result = tuple[bool, str]

# REST container fields a playbook may set when it creates a container.
_CREATE_FIELDS = {"description", "status", "severity", "sensitivity", "tags", "source_data_identifier",
                  "external_id", "kill_chain", "data", "custom_fields", "container_type", "asset_name"}


def _template(api: str, template: Any) -> Any:
    from engine.models.workbooks import WorkbookTemplate, seed_workbook_templates

    seed_workbook_templates()
    if template in (None, ""):
        return WorkbookTemplate.default()
    found = WorkbookTemplate.objects.filter(name=str(template).strip()).first()
    pk = as_id(str(template).strip())
    if found is None and pk is not None:
        found = WorkbookTemplate.objects.filter(pk=pk).first()
    if found is None:
        raise ValueError(f"phantom.{api}: no workbook template {template!r}")
    return found


def _start_workbook(container: Container, workbook: Any) -> str:
    """The first phase of `workbook`, made the container's current phase ("" when it has none)."""
    from engine.models import ContainerPhase

    phase = ContainerPhase.objects.filter(workbook=workbook).order_by("order", "id").first()
    return phase.name if phase is not None else ""


def promote(container: Any = None, template: Any = None, trace: bool = False, **kwargs: Any) -> Result:
    """Turn the container (an event) into a case and add the workbook `template` (a name or
    id; the default workbook when None) unless the case has it already; the workbook's first
    phase becomes the current phase. Returns (success, message); raises ValueError for an
    unknown template."""
    from engine.models import ContainerWorkbook
    from engine.models.workbooks import instantiate_workbook

    ctx = current("promote")
    c = _container("promote", container)
    chosen = _template("promote", template)
    workbook = ContainerWorkbook.objects.filter(container=c, template=chosen).order_by("id").first()
    if workbook is None:
        workbook = instantiate_workbook(c, chosen)
    c.container_type = "case"
    if not c.current_phase:
        c.current_phase = _start_workbook(c, workbook)
    c.save()
    if c.pk == ctx.run.container_id:
        ctx.invalidate_container()
    ctx.emit("container.updated", {"container": c.pk, "container_type": "case", "workbook": chosen.name})
    return True, f"container {c.pk} promoted to a case with workbook {chosen.name!r}"


def deescalate(container: Any = None, trace: bool = False, **kwargs: Any) -> Result:
    """Turn a case back into an event (its workbook stays). Returns (success, message)."""
    ctx = current("deescalate")
    c = _container("deescalate", container)
    if c.container_type != "case":
        return False, f"container {c.pk} is not a case"
    c.container_type = "default"
    c.save()
    if c.pk == ctx.run.container_id:
        ctx.invalidate_container()
    ctx.emit("container.updated", {"container": c.pk, "container_type": "default"})
    return True, f"container {c.pk} is an event again"


def merge(case: Any = None, container_id: Any = None, artifact_id: Any = None, trace: bool = False,
          **kwargs: Any) -> Result:
    """Merge into the case `case` (an id or dict): a container (`container_id`: its artifacts,
    notes and files are copied, it is linked to the case as evidence and marked in_case) or one
    artifact (`artifact_id`: copied into the case). Returns (success, message); the case must
    be a case, and an unknown container or artifact is a failure, not an exception."""
    ctx = current("merge")
    target = _container("merge", case)
    if target.container_type != "case":
        return False, f"container {target.pk} is not a case: promote it first"
    if container_id is None and artifact_id is None:
        raise ValueError("phantom.merge: give container_id or artifact_id")
    messages, touched = [], {target.pk}
    if artifact_id is not None:
        from engine.artifacts import clone_artifact

        pk = as_id(str(artifact_id).strip())
        artifact = Artifact.objects.filter(pk=pk).first() if pk is not None else None
        if artifact is None:
            return False, f"no artifact {artifact_id!r}"
        copy = clone_artifact(artifact, target, creator=ctx.run.owner)
        ctx.emit("container.artifact", {"container": target.pk, "artifact": copy.pk})
        messages.append(f"artifact {artifact.pk} copied as {copy.pk}")
    if container_id is not None:
        # The community custom function does exactly SOAR's container merge; one
        # implementation serves both, within this step (its events are this step's).
        from engine.custom_functions.container_merge import container_merge

        child = _container("merge", container_id)
        if child.pk == target.pk:
            return False, "a case cannot be merged into itself"
        touched.add(child.pk)
        done = container_merge(target_container=target.pk, container_list=[child.pk])
        messages.append(f"container {child.pk} merged" if done["merged_containers"] else
                        f"container {child.pk} was already merged")
    if ctx.run.container_id in touched:
        ctx.invalidate_container()
    return True, "; ".join(messages)


def create_container(name: Any = None, label: Any = None, trace: bool = False,
                     **fields: Any) -> tuple[bool, str, int | None]:
    """Create a container; returns (success, message, container_id). Other REST container
    fields (description, severity, status, tags, source_data_identifier, data, …) may be
    passed as keywords. A source_data_identifier that an existing container has already
    returns (False, "container already exists", its id), as the REST API does."""
    ctx = current("create_container")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("phantom.create_container: name must be a non-empty string")
    unknown = sorted(set(fields) - _CREATE_FIELDS)
    if unknown:
        raise ValueError(f"phantom.create_container: unknown fields {', '.join(unknown)}")
    values = {k: v for k, v in fields.items() if v is not None}
    sdi = str(values.get("source_data_identifier") or "")
    if sdi:
        existing = Container.objects.filter(source_data_identifier=sdi).values_list("pk", flat=True).first()
        if existing is not None:
            return False, "container already exists", existing
    if "tags" in values:
        values["tags"] = [values["tags"]] if isinstance(values["tags"], str) else [str(t) for t in values["tags"]]
    made = Container.objects.create(name=name.strip()[:1024], label=str(label or "events"), **values)
    ctx.emit("container.created", {"container": made.pk, "name": made.name})
    return True, "container created", made.pk


def note_dict(note: Note) -> dict[str, Any]:
    """A note as SOAR's REST API shows it (`/rest/note/<id>`)."""
    return {"id": note.pk, "container": note.container_id, "artifact": note.artifact_id, "title": note.title,
            "content": note.content, "note_type": note.note_type, "note_format": note.note_format,
            "author": note.author_id, "create_time": note.create_time.isoformat().replace("+00:00", "Z"),
            "modified_time": note.modified_time.isoformat().replace("+00:00", "Z")}


def get_notes(container: Any = None, trace: bool = False, limit: Any = None, **kwargs: Any) -> list[dict[str, Any]]:
    """Returns the container's notes, oldest first, each as `{"success": True, "data": note}`
    (the shape community code reads: `note['data']['title']`). `limit` caps how many."""
    current("get_notes")
    c = _container("get_notes", container)
    notes = Note.objects.filter(container=c).order_by("id")
    if limit not in (None, ""):
        notes = notes[: max(0, int(limit))]
    return [{"success": True, "data": note_dict(n)} for n in notes]
