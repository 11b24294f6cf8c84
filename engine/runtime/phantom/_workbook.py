"""Workbooks and HUD pins: `add_workbook`, `get_tasks`, `set_phase`, `get_phase`, `pin`, `update_pin`,
`delete_pin`."""
from __future__ import annotations

from typing import Any

from django.utils import timezone

from engine.models import ContainerPhase, ContainerTask, Pin
from engine.runtime.context import current
from engine.runtime.phantom._container import _changed, _container
from soar.ids import as_id

# SOAR's numeric task states (REST `workbook_task.status`) and ours.
TASK_STATUS_CODES = {"incomplete": 0, "complete": 1, "in_progress": 2}
TASK_STATUS_NAMES = {v: k for k, v in TASK_STATUS_CODES.items()}


def task_suggestions(task: ContainerTask) -> dict[str, Any]:
    """`suggestions.playbooks` as SOAR lists them: `{"playbook": name, "scm": repo}`."""
    playbooks = []
    for item in task.playbooks or []:
        if isinstance(item, dict):
            playbooks.append({"playbook": str(item.get("playbook") or item.get("name") or ""),
                              "scm": str(item.get("scm") or item.get("repo") or "local")})
        else:
            repo, _, name = str(item).rpartition("/")
            playbooks.append({"playbook": name, "scm": repo or "local"})
    return {"playbooks": playbooks, "actions": []}


def task_dict(task: ContainerTask) -> dict[str, Any]:
    return {
        "id": task.pk, "name": task.name, "description": task.description, "order": task.order,
        "status": TASK_STATUS_CODES.get(task.status, 0), "phase": task.phase_id, "container": task.container_id,
        "owner": task.owner_id, "is_note_required": task.is_note_required, "suggestions": task_suggestions(task),
        "start_time": task.start_time.isoformat() if task.start_time else None,
        "end_time": task.end_time.isoformat() if task.end_time else None,
    }


def get_tasks(container: Any = None, **kwargs: Any) -> list[dict[str, Any]]:
    """The container's workbook tasks, each as `{"data": {...}}` (SOAR's shape)."""
    c = _container("get_tasks", container)
    tasks = ContainerTask.objects.filter(container=c).select_related("phase").order_by("phase__order", "order", "id")
    return [{"data": task_dict(t)} for t in tasks]


def add_workbook(container: Any = None, workbook_id: Any = None, trace: bool = False, **kwargs: Any) -> tuple[bool, str]:
    """Add the workbook template `workbook_id` (an id or name) to the container: its phases and
    tasks are copied onto it; a container without a current phase starts the first one.
    Returns (success, message); an unknown workbook is (False, message)."""
    from engine.models import WorkbookTemplate
    from engine.models.workbooks import instantiate_workbook, seed_workbook_templates

    ctx = current("add_workbook")
    c = _container("add_workbook", container)
    seed_workbook_templates()
    text = str(workbook_id if workbook_id is not None else "").strip()
    template = WorkbookTemplate.objects.filter(pk=pk).first() if (pk := as_id(text)) is not None else None
    template = template or (WorkbookTemplate.objects.filter(name=text).first() if text else None)
    if template is None:
        return False, f"no workbook {workbook_id!r}"
    workbook = instantiate_workbook(c, template)
    ctx.emit("container.workbook", {"container": c.pk, "workbook": template.name})
    if not c.current_phase:
        first = ContainerPhase.objects.filter(workbook=workbook).order_by("order", "id").first()
        if first is not None:
            _changed("add_workbook", c, "current_phase", first.name)
    return True, f"workbook {template.name!r} added"


def set_phase(container: Any = None, phase: Any = None, trace: bool = False, **kwargs: Any) -> tuple[bool, str]:
    """Make a workbook phase (id or name) the container's current phase."""
    c = _container("set_phase", container)
    phases = ContainerPhase.objects.filter(container=c)
    found = None
    if isinstance(phase, int) and not isinstance(phase, bool):
        found = phases.filter(pk=phase).first()
    elif isinstance(phase, str) and phase.strip():
        found = phases.filter(pk=pk).first() if (pk := as_id(phase.strip())) is not None else phases.filter(name=phase).first()
    if found is None:
        return False, f"container {c.pk} has no phase {phase!r}"
    return _changed("set_phase", c, "current_phase", found.name)


def get_phase(container: Any = None, **kwargs: Any) -> tuple[bool, str, int | None, str | None]:
    """(success, message, phase id, phase name) of the container's current phase."""
    c = _container("get_phase", container)
    found = ContainerPhase.objects.filter(container=c, name=c.current_phase).first() if c.current_phase else None
    if found is None:
        return False, "the container has no current phase", None, None
    return True, "", found.pk, found.name


def _pin_fields(api: str, message: Any, data: Any, pin_type: Any, pin_style: Any) -> dict[str, Any]:
    from engine.models.pins import PIN_STYLES, PIN_TYPES

    fields: dict[str, Any] = {}
    if message is not None:
        fields["message"] = str(message)[:1024]
    if data is not None:
        fields["data"] = str(data)
    if pin_type is not None:
        if str(pin_type) not in PIN_TYPES:
            raise ValueError(f"phantom.{api}: pin_type {pin_type!r} is not one of {', '.join(PIN_TYPES)}")
        fields["pin_type"] = str(pin_type)
    if pin_style is not None:
        if str(pin_style) not in PIN_STYLES:
            raise ValueError(f"phantom.{api}: pin_style {pin_style!r} is not one of {', '.join(p for p in PIN_STYLES if p)}")
        fields["pin_style"] = str(pin_style)
    return fields


def pin(container: Any = None, message: Any = None, data: Any = None, pin_type: Any = "card",
        pin_style: Any = "", name: Any = None, trace: bool = False, **kwargs: Any) -> tuple[bool, str, int]:
    """Pin a card to the container's HUD; returns (success, message, pin id)."""
    ctx = current("pin")
    c = _container("pin", container)
    fields = _pin_fields("pin", message, data, pin_type, pin_style)
    made = Pin.objects.create(container=c, name=str(name or "")[:256], playbook_run=ctx.run, author=ctx.run.owner,
                              **fields)
    ctx.emit("container.pin", {"container": c.pk, "pin": made.pk, "message": made.message})
    return True, "pin added", made.pk


def update_pin(pin_id: Any = None, message: Any = None, data: Any = None, pin_type: Any = None,
               pin_style: Any = None, trace: bool = False, **kwargs: Any) -> tuple[bool, str]:
    """Change a HUD pin's message, data, type or style. Returns (success, message); an unknown
    pin is (False, message)."""
    ctx = current("update_pin")
    fields = _pin_fields("update_pin", message, data, pin_type, pin_style)
    if not Pin.objects.filter(pk=_pin_id(pin_id)).update(modified_time=timezone.now(), **fields):
        return False, f"no pin {pin_id!r}"
    ctx.emit("container.pin", {"pin": _pin_id(pin_id), **fields})
    return True, "pin updated"


def delete_pin(pin_id: Any = None, trace: bool = False, **kwargs: Any) -> tuple[bool, str]:
    """Remove a HUD pin. Returns (success, message); an unknown pin is (False, message)."""
    current("delete_pin")
    deleted, _ = Pin.objects.filter(pk=_pin_id(pin_id)).delete()
    return (True, "pin deleted") if deleted else (False, f"no pin {pin_id!r}")


def _pin_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
