"""Case-management records the community custom functions work on: workbooks, indicators, evidence.

SOAR keeps these as first-class platform objects; Playbook Studio models them here so the
custom functions that manage them (workbook_*, indicator_*, mark_evidence, container_merge)
run against real rows instead of being stubs.

* A workbook template is an ordered list of phases, each an ordered list of tasks. Adding a
  workbook to a container copies the template into ContainerPhase/ContainerTask rows, so
  later edits to the template never rewrite a case's history.
* An indicator is one distinct CEF value across all artifacts. Rows are made on demand (the
  first time a custom function tags, collects or matches a value) and carry the tags.
* Evidence links a container to an artifact, note, vault item, another container or an
  action run.
"""
from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

TASK_STATUSES = ("incomplete", "in_progress", "complete")

# The seeded templates. "Response" is the default; the three "Risk" templates carry the task
# names the Splunk risk-notable playbooks update by name (workbook_task_update).
DEFAULT_TEMPLATES: dict[str, dict[str, Any]] = {
    "Response": {
        "description": "Default incident response workbook: analyse, contain, recover, close.",
        "is_default": True,
        "phases": [
            ("Detect and Analyze", ["Preprocess", "Investigate", "Render Verdict"]),
            ("Contain", ["Protect Assets and Users", "Block Indicators", "Review and Block Indicators"]),
            ("Recover", ["Undo Containment"]),
            ("Close", ["Post-incident Review"]),
        ],
    },
    "Risk Investigation": {
        "description": "Investigate a risk notable and render a verdict.",
        "phases": [("Investigate", ["Preprocess", "Investigate", "Render Verdict"])],
    },
    "Risk Response": {
        "description": "Contain the assets, users and indicators of a confirmed risk notable.",
        "phases": [("Respond", ["Protect Assets and Users", "Block Indicators", "Review and Block Indicators"])],
    },
    "Risk Recovery": {
        "description": "Undo containment once a risk notable is resolved.",
        "phases": [("Recover", ["Undo Containment"])],
    },
}


class WorkbookTemplate(models.Model):
    name = models.CharField(max_length=256, unique=True)
    description = models.TextField(blank=True, default="")
    status = models.CharField(max_length=32, default="published")
    is_default = models.BooleanField(default=False)
    is_note_required = models.BooleanField(default=False)
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    create_time = models.DateTimeField(default=timezone.now)
    modified_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def default(cls) -> WorkbookTemplate:
        """The default template, seeding the built-in ones first when there are none."""
        seed_workbook_templates()
        return cls.objects.filter(is_default=True).first() or cls.objects.order_by("id").first()  # type: ignore[return-value]


class WorkbookPhaseTemplate(models.Model):
    template = models.ForeignKey(WorkbookTemplate, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(max_length=256)
    order = models.IntegerField(default=0)

    class Meta:
        ordering = ["template", "order", "id"]

    def __str__(self) -> str:
        return self.name


class WorkbookTaskTemplate(models.Model):
    phase = models.ForeignKey(WorkbookPhaseTemplate, on_delete=models.CASCADE, related_name="tasks")
    name = models.CharField(max_length=256)
    description = models.TextField(blank=True, default="")
    order = models.IntegerField(default=0)
    is_note_required = models.BooleanField(default=False)
    # Playbook names ("name" or "repo/name") suggested for the task; workbook_task_update
    # with task_name "playbook" finds the task listing the running playbook.
    playbooks = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["phase", "order", "id"]

    def __str__(self) -> str:
        return self.name


class ContainerWorkbook(models.Model):
    container = models.ForeignKey("engine.Container", on_delete=models.CASCADE, related_name="workbooks")
    template = models.ForeignKey(WorkbookTemplate, null=True, blank=True, on_delete=models.SET_NULL)
    name = models.CharField(max_length=256)
    create_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} on #{self.container_id}"


class ContainerPhase(models.Model):
    workbook = models.ForeignKey(ContainerWorkbook, on_delete=models.CASCADE, related_name="phases")
    container = models.ForeignKey("engine.Container", on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(max_length=256)
    order = models.IntegerField(default=0)

    class Meta:
        ordering = ["workbook", "order", "id"]

    def __str__(self) -> str:
        return self.name


class ContainerTask(models.Model):
    phase = models.ForeignKey(ContainerPhase, on_delete=models.CASCADE, related_name="tasks")
    container = models.ForeignKey("engine.Container", on_delete=models.CASCADE, related_name="tasks")
    name = models.CharField(max_length=256)
    description = models.TextField(blank=True, default="")
    order = models.IntegerField(default=0)
    status = models.CharField(max_length=16, default="incomplete")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    is_note_required = models.BooleanField(default=False)
    playbooks = models.JSONField(default=list, blank=True)
    notes = models.ManyToManyField("engine.Note", blank=True, related_name="tasks")
    start_time = models.DateTimeField(null=True, blank=True)
    end_time = models.DateTimeField(null=True, blank=True)
    update_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["phase", "order", "id"]

    def __str__(self) -> str:
        return self.name


def seed_workbook_templates() -> int:
    """Create the built-in templates that do not exist yet; returns how many were made.

    Existing templates are left alone: an operator may have edited them.
    """
    existing = set(WorkbookTemplate.objects.filter(name__in=list(DEFAULT_TEMPLATES)).values_list("name", flat=True))
    made = 0
    for name, spec in DEFAULT_TEMPLATES.items():
        if name in existing:
            continue
        with transaction.atomic():
            template, created = WorkbookTemplate.objects.get_or_create(
                name=name, defaults={"description": spec["description"],
                                     "is_default": bool(spec.get("is_default"))
                                     and not WorkbookTemplate.objects.filter(is_default=True).exists()})
            if not created:
                continue
            for p_order, (phase_name, tasks) in enumerate(spec["phases"]):
                phase = WorkbookPhaseTemplate.objects.create(template=template, name=phase_name, order=p_order)
                WorkbookTaskTemplate.objects.bulk_create(
                    [WorkbookTaskTemplate(phase=phase, name=t, order=i) for i, t in enumerate(tasks)])
            made += 1
    return made


def instantiate_workbook(container: Any, template: WorkbookTemplate) -> ContainerWorkbook:
    """Copy a template's phases and tasks onto a container."""
    with transaction.atomic():
        workbook = ContainerWorkbook.objects.create(container=container, template=template, name=template.name)
        offset = ContainerPhase.objects.filter(container=container).count()
        for phase_t in template.phases.all():
            phase = ContainerPhase.objects.create(workbook=workbook, container=container, name=phase_t.name,
                                                  order=offset + phase_t.order)
            ContainerTask.objects.bulk_create([
                ContainerTask(phase=phase, container=container, name=t.name, description=t.description, order=t.order,
                              is_note_required=t.is_note_required or template.is_note_required,
                              playbooks=list(t.playbooks))
                for t in phase_t.tasks.all()
            ])
    return workbook


def value_hash(value: Any) -> str:
    return hashlib.sha256(str(value).encode("utf-8")).hexdigest()


class Indicator(models.Model):
    """One distinct CEF value, with the tags analysts and playbooks gave it."""

    value = models.TextField()
    value_hash = models.CharField(max_length=64, unique=True)  # a unique index on TEXT is not portable
    tags = models.JSONField(default=list, blank=True)
    data_types = models.JSONField(default=list, blank=True)
    cef_keys = models.JSONField(default=list, blank=True)
    create_time = models.DateTimeField(default=timezone.now)
    update_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.value[:80]

    @classmethod
    def for_value(cls, value: Any, *, cef_key: str | None = None, data_types: list[str] | None = None) -> Indicator:
        """The indicator of a value, made when first seen; remembers the keys and types it came with."""
        text = str(value)
        indicator, _ = cls.objects.get_or_create(value_hash=value_hash(text), defaults={"value": text})
        keys = list(dict.fromkeys([*indicator.cef_keys, *([cef_key] if cef_key else [])]))
        types = list(dict.fromkeys([*indicator.data_types, *(data_types or [])]))
        if keys != indicator.cef_keys or types != indicator.data_types:
            indicator.cef_keys, indicator.data_types = keys, types
            indicator.save(update_fields=["cef_keys", "data_types"])
        return indicator


class Evidence(models.Model):
    CONTENT_TYPES = ("artifact_id", "note_id", "vault_id", "container_id", "action_run_id")

    container = models.ForeignKey("engine.Container", on_delete=models.CASCADE, related_name="evidence")
    content_type = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    artifact = models.ForeignKey("engine.Artifact", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    note = models.ForeignKey("engine.Note", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    vault_item = models.ForeignKey("engine.VaultItem", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+")
    linked_container = models.ForeignKey("engine.Container", null=True, blank=True, on_delete=models.CASCADE,
                                         related_name="+")
    action_run = models.ForeignKey("engine.ActionRun", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    create_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["container", "content_type", "object_id"],
                                               name="evidence_once_per_container")]

    def __str__(self) -> str:
        return f"{self.content_type} {self.object_id} in #{self.container_id}"
