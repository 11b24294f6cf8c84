"""Workbook templates (`workbook_template`, `workbook_phase_template`,
`workbook_task_template`) and a container's phases (`/rest/container/<id>/phases`).

A template is created with its phases and their tasks nested, as SOAR's body:
`{"name", "description", "is_default", "is_note_required", "phases": [{"name", "order",
"tasks": [{"name", "description", "order", "is_note_required", "suggestions":
{"playbooks": [{"playbook": "name", "scm": "local"}]}}]}]}`. A template's update replaces
its phases when `phases` is given. Templates are an administrator's; cases already working
on one keep their copy (engine.models.workbooks).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from rest_framework import serializers
from rest_framework.request import Request

from engine.models import (
    ContainerPhase,
    ContainerWorkbook,
    WorkbookPhaseTemplate,
    WorkbookTaskTemplate,
    WorkbookTemplate,
)
from engine.models.workbooks import seed_workbook_templates
from engine.rest._common import fields
from engine.runtime.phantom._workbook import task_dict
from soar.rest.query import QuerySpec
from soar.rest.resource import SoarResource, StrictModelSerializer, resource_urls


def _playbooks(suggestions: Any, field: str) -> list[Any]:
    if suggestions in (None, {}):
        return []
    if not isinstance(suggestions, dict) or not isinstance(suggestions.get("playbooks", []), list):
        raise serializers.ValidationError({field: ['must be {"playbooks": [{"playbook": name, "scm": repo}]}']})
    out: list[Any] = []
    for item in suggestions.get("playbooks", []):
        if isinstance(item, str) and item:
            out.append(item)
        elif isinstance(item, dict) and isinstance(item.get("playbook"), str) and item["playbook"]:
            out.append({"playbook": item["playbook"], "scm": str(item.get("scm") or "local")})
        else:
            raise serializers.ValidationError({field: [f"a suggested playbook is a name or "
                                                       f"{{'playbook': name, 'scm': repo}}, not {item!r}"]})
    return out


def _suggestions(playbooks: list[Any]) -> dict[str, Any]:
    shown = []
    for item in playbooks or []:
        if isinstance(item, dict):
            shown.append({"playbook": item.get("playbook", ""), "scm": item.get("scm", "local")})
        else:
            repo, _, name = str(item).rpartition("/")
            shown.append({"playbook": name, "scm": repo or "local"})
    return {"playbooks": shown, "actions": []}


class NestedRows(serializers.ListField):
    """Rows posted nested (validated by their own serializer's `validate_*` of the parent) and
    read back nested: a phase's tasks, a template's phases."""

    def __init__(self, row_serializer: Any, **kwargs: Any) -> None:
        self.row_serializer = row_serializer
        super().__init__(**kwargs)

    def to_representation(self, data: Any) -> list[Any]:
        rows = data.all() if hasattr(data, "all") else data
        return [self.row_serializer(row).data for row in rows]


class TaskTemplateSerializer(StrictModelSerializer):
    phase = serializers.PrimaryKeyRelatedField(queryset=WorkbookPhaseTemplate.objects.all(), required=False)
    suggestions = serializers.JSONField(required=False)

    class Meta:
        model = WorkbookTaskTemplate
        fields = ["id", "phase", "name", "description", "order", "is_note_required", "suggestions"]
        read_only_fields = ["id"]
        # SOAR's task templates carry owners, roles and SLAs this installation does not track.
        accepted_extra = ("owner", "role", "sla", "sla_type", "phase_id")

    def to_representation(self, instance: WorkbookTaskTemplate) -> dict[str, Any]:
        return {"id": instance.pk, "phase": instance.phase_id, "name": instance.name,
                "description": instance.description, "order": instance.order,
                "is_note_required": instance.is_note_required, "suggestions": _suggestions(instance.playbooks)}

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("a task needs a name")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "suggestions" in attrs:
            attrs["playbooks"] = _playbooks(attrs.pop("suggestions"), "suggestions")
        if self.instance is None and "phase" not in attrs and not self.context.get("nested"):
            raise serializers.ValidationError({"phase": ["this field is required"]})
        return attrs


class PhaseTemplateSerializer(StrictModelSerializer):
    template = serializers.PrimaryKeyRelatedField(queryset=WorkbookTemplate.objects.all(), required=False)
    tasks = NestedRows(TaskTemplateSerializer, child=serializers.JSONField(), required=False)

    class Meta:
        model = WorkbookPhaseTemplate
        fields = ["id", "template", "name", "order", "tasks"]
        read_only_fields = ["id"]
        accepted_extra = ("owner", "role", "sla", "sla_type", "template_id")

    def to_representation(self, instance: WorkbookPhaseTemplate) -> dict[str, Any]:
        return {"id": instance.pk, "template": instance.template_id, "name": instance.name, "order": instance.order,
                "tasks": [TaskTemplateSerializer(t).data for t in instance.tasks.all()]}

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("a phase needs a name")
        return value

    def validate_tasks(self, value: list[Any]) -> list[dict[str, Any]]:
        out = []
        for index, task in enumerate(value):
            ser = TaskTemplateSerializer(data=task, context={"nested": True})
            if not ser.is_valid():
                raise serializers.ValidationError({f"tasks[{index}]": ser.errors})
            out.append(dict(ser.validated_data))
        return out

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and "template" not in attrs and not self.context.get("nested"):
            raise serializers.ValidationError({"template": ["this field is required"]})
        return attrs

    def create(self, validated: dict[str, Any]) -> WorkbookPhaseTemplate:
        tasks = validated.pop("tasks", [])
        with transaction.atomic():
            phase = WorkbookPhaseTemplate.objects.create(**validated)
            _add_tasks(phase, tasks)
        return phase

    def update(self, instance: WorkbookPhaseTemplate, validated: dict[str, Any]) -> WorkbookPhaseTemplate:
        tasks = validated.pop("tasks", None)
        with transaction.atomic():
            phase = super().update(instance, validated)
            if tasks is not None:
                phase.tasks.all().delete()
                _add_tasks(phase, tasks)
        return phase


def _add_tasks(phase: WorkbookPhaseTemplate, tasks: list[dict[str, Any]]) -> None:
    for index, task in enumerate(tasks):
        task = {k: v for k, v in task.items() if k != "phase"}
        task.setdefault("order", index)
        WorkbookTaskTemplate.objects.create(phase=phase, **task)


class TemplateSerializer(StrictModelSerializer):
    phases = NestedRows(PhaseTemplateSerializer, child=serializers.JSONField(), required=False)
    creator = serializers.SerializerMethodField()

    class Meta:
        model = WorkbookTemplate
        fields = ["id", "name", "description", "status", "is_default", "is_note_required", "creator", "phases",
                  "create_time", "modified_time"]
        read_only_fields = ["id", "creator", "create_time", "modified_time"]

    def get_creator(self, obj: WorkbookTemplate) -> str | None:
        return obj.creator.get_username() if obj.creator_id and obj.creator else None

    def validate_status(self, value: str) -> str:
        if value not in ("published", "draft"):
            raise serializers.ValidationError("must be published or draft")
        return value

    def validate_phases(self, value: list[Any]) -> list[dict[str, Any]]:
        out = []
        for index, phase in enumerate(value):
            ser = PhaseTemplateSerializer(data=phase, context={"nested": True})
            if not ser.is_valid():
                raise serializers.ValidationError({f"phases[{index}]": ser.errors})
            out.append(dict(ser.validated_data))
        return out

    def _phases(self, template: WorkbookTemplate, phases: list[dict[str, Any]]) -> None:
        for index, phase in enumerate(phases):
            tasks = phase.pop("tasks", [])
            phase = {k: v for k, v in phase.items() if k != "template"}
            phase.setdefault("order", index)
            _add_tasks(WorkbookPhaseTemplate.objects.create(template=template, **phase), tasks)

    def create(self, validated: dict[str, Any]) -> WorkbookTemplate:
        phases = validated.pop("phases", [])
        with transaction.atomic():
            template = WorkbookTemplate.objects.create(**validated)
            self._phases(template, phases)
            _one_default(template)
        return template

    def update(self, instance: WorkbookTemplate, validated: dict[str, Any]) -> WorkbookTemplate:
        phases = validated.pop("phases", None)
        validated["modified_time"] = timezone.now()
        with transaction.atomic():
            template = super().update(instance, validated)
            if phases is not None:
                template.phases.all().delete()
                self._phases(template, phases)
            _one_default(template)
        return template


def _one_default(template: WorkbookTemplate) -> None:
    if template.is_default:
        WorkbookTemplate.objects.exclude(pk=template.pk).update(is_default=False)


class TemplateResource(SoarResource):
    model = WorkbookTemplate
    serializer = TemplateSerializer
    write_role = "admin"
    spec = QuerySpec(fields=fields("id", "name", "status", "is_default", "create_time", "modified_time"),
                     sortable=frozenset({"id", "name", "create_time"}), default_sort="id", default_order="asc")

    def queryset(self, request: Request) -> Any:
        seed_workbook_templates()
        return WorkbookTemplate.objects.select_related("creator").prefetch_related("phases__tasks")

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        seed_workbook_templates()
        ser = self.serializer(data=data)
        ser.is_valid(raise_exception=True)
        return {"success": True, "id": ser.save(creator=request.user).pk}, 200

    def delete(self, request: Request, obj: Any) -> None:
        if obj.is_default:
            from engine.rest.casework_settings import InUse

            raise InUse(f"workbook template {obj.name!r} is the default; make another the default first")
        obj.delete()


class PhaseTemplateResource(SoarResource):
    model = WorkbookPhaseTemplate
    serializer = PhaseTemplateSerializer
    write_role = "admin"
    spec = QuerySpec(fields=fields("id", "name", "order", template="template_id", template_id="template_id"),
                     sortable=frozenset({"id", "order"}), default_sort="order", default_order="asc")

    def queryset(self, request: Request) -> Any:
        return WorkbookPhaseTemplate.objects.prefetch_related("tasks")


class TaskTemplateResource(SoarResource):
    model = WorkbookTaskTemplate
    serializer = TaskTemplateSerializer
    write_role = "admin"
    spec = QuerySpec(fields=fields("id", "name", "order", phase="phase_id", phase_id="phase_id"),
                     sortable=frozenset({"id", "order"}), default_sort="order", default_order="asc")


class ContainerPhaseSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A phase of a container's workbook, its tasks nested (SOAR's `workbook_phase`)."""

    class Meta:
        model = ContainerPhase
        fields = ["id", "name", "order", "container", "workbook"]

    def to_representation(self, instance: ContainerPhase) -> dict[str, Any]:
        return {"id": instance.pk, "name": instance.name, "order": instance.order,
                "container": instance.container_id, "workbook": instance.workbook_id,
                "template": instance.workbook.template_id if instance.workbook_id else None,
                "tasks": [task_dict(t) for t in instance.tasks.all()]}


class ContainerPhaseUpdateSerializer(StrictModelSerializer):
    class Meta:
        model = ContainerPhase
        fields = ["name", "order"]


class ContainerPhaseResource(SoarResource):
    """SOAR's `workbook_phase`: a container's phases, from templates (phantom.add_workbook) or
    added by hand (`{"container_id", "name", "order"}`); renamed, reordered or removed with
    their tasks."""

    model = ContainerPhase
    serializer = ContainerPhaseSerializer
    write_role = "analyst"
    spec = QuerySpec(fields=fields("id", "name", "order", container="container_id", container_id="container_id"),
                     sortable=frozenset({"id", "order"}), default_sort="order", default_order="asc")
    def queryset(self, request: Request) -> Any:
        return ContainerPhase.objects.select_related("workbook").prefetch_related("tasks")

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        from engine.rest.casework import container_of

        container = container_of(data)
        body = {k: v for k, v in data.items() if k not in ("container_id", "container")}
        ser = ContainerPhaseUpdateSerializer(data=body)
        ser.is_valid(raise_exception=True)
        if not str(ser.validated_data.get("name", "")).strip():
            raise serializers.ValidationError({"name": ["this field is required"]})
        with transaction.atomic():
            # A phase added by hand joins the container's latest workbook (one is made when
            # the container has none), after its other phases unless an order is given.
            workbook = ContainerWorkbook.objects.filter(container=container).order_by("-id").first() \
                or ContainerWorkbook.objects.create(container=container, name="Workbook")
            order = ser.validated_data.get("order")
            if order is None:
                last = ContainerPhase.objects.filter(container=container).order_by("-order").first()
                order = last.order + 1 if last is not None else 0
            phase = ContainerPhase.objects.create(workbook=workbook, container=container,
                                                  name=ser.validated_data["name"], order=order)
        return {"success": True, "id": phase.pk}, 200

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        ser = ContainerPhaseUpdateSerializer(obj, data=data, partial=True)
        ser.is_valid(raise_exception=True)
        ser.save()
        return {"success": True, "id": obj.pk}


urlpatterns = [
    *resource_urls("workbook_template", TemplateResource()),
    *resource_urls("workbook_phase_template", PhaseTemplateResource()),
    *resource_urls("workbook_task_template", TaskTemplateResource()),
    *resource_urls("workbook_phase", ContainerPhaseResource()),
]
