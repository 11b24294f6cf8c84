"""Case work around containers that SOAR keeps as its own REST types: comments, the
configurable container statuses and severities, container custom field definitions and
custom CEF fields.

Statuses, severities and default CEF fields have built-in rows (SOAR ships them); they are
made on first use (`ensure_defaults`) rather than by a data migration, so a flushed test
database or a fresh install gets them the same way.
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

# SOAR's status types: every status is one of these, and a container's close_time follows them.
STATUS_TYPES = ("new", "in progress", "closed")
DEFAULT_STATUSES = (("new", "new"), ("open", "in progress"), ("closed", "closed"))
DEFAULT_SEVERITIES = (("low", "yellow"), ("medium", "orange"), ("high", "red"))
CUSTOM_FIELD_TYPES = ("text", "select")


class ContainerComment(models.Model):
    """SOAR's `container_comment`: a line of conversation on a container's activity feed."""

    container = models.ForeignKey("engine.Container", on_delete=models.CASCADE, related_name="comments")
    comment = models.TextField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    time = models.DateTimeField(default=timezone.now)
    modified_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.comment[:80]


class ContainerStatus(models.Model):
    """SOAR's `container_status`: a status a container may have, of one of STATUS_TYPES."""

    name = models.CharField(max_length=64, unique=True)
    status_type = models.CharField(max_length=16, default="in progress")
    is_default = models.BooleanField(default=False)
    disabled = models.BooleanField(default=False)
    create_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "container statuses"

    def __str__(self) -> str:
        return self.name


class Severity(models.Model):
    """SOAR's `severity`: a severity a container or artifact may have, with its colour."""

    name = models.CharField(max_length=64, unique=True)
    color = models.CharField(max_length=32, blank=True, default="")
    is_default = models.BooleanField(default=False)
    disabled = models.BooleanField(default=False)
    order = models.IntegerField(default=0)
    create_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "severities"

    def __str__(self) -> str:
        return self.name


class CustomField(models.Model):
    """SOAR's container custom field definition: a named field every container may carry in
    its `custom_fields`, free text or one of `values`."""

    name = models.CharField(max_length=128, unique=True)
    field_type = models.CharField(max_length=16, default="text")
    required = models.BooleanField(default=False)
    values = models.JSONField(default=list, blank=True)
    disabled = models.BooleanField(default=False)
    order = models.IntegerField(default=0)
    create_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class CefField(models.Model):
    """SOAR's `cef`: a CEF key and the contains types of its values. `default` rows are
    SOAR's own and immutable; `custom` ones are the installation's."""

    name = models.CharField(max_length=256, unique=True)
    data_type = models.JSONField(default=list, blank=True)
    type = models.CharField(max_length=16, default="custom")
    # SOAR's indicator CEF filter (`/rest/indicator_cef_filter`): whether indicators are
    # filtered on this field (an administrator's switch, one per CEF field).
    apply_filter = models.BooleanField(default=False)
    create_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


def _seed(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    if model._default_manager.exists():
        return
    try:
        with transaction.atomic():
            model._default_manager.bulk_create([model(**row) for row in rows], ignore_conflicts=True)
    except IntegrityError:  # another request seeded them first
        pass


def ensure_defaults() -> None:
    """Make SOAR's built-in statuses, severities and CEF fields when none exist yet."""
    _seed(ContainerStatus, [{"name": n, "status_type": t, "is_default": n == "new"} for n, t in DEFAULT_STATUSES])
    _seed(Severity, [{"name": n, "color": c, "is_default": n == "medium", "order": i}
                     for i, (n, c) in enumerate(DEFAULT_SEVERITIES)])
    from engine.custom_functions._support import DEFAULT_CEF_TYPES

    _seed(CefField, [{"name": k, "data_type": list(v), "type": "default"} for k, v in DEFAULT_CEF_TYPES.items()])


def _choose(model: type[models.Model], value: Any, field: str) -> str:
    ensure_defaults()
    names = list(model._default_manager.filter(disabled=False).values_list("name", flat=True))
    text = value if isinstance(value, str) else ""
    for name in names:
        if name.lower() == text.strip().lower():
            return str(name)
    raise ValueError(f"{field} must be one of {', '.join(names)}")


def container_status(value: Any) -> str:
    """The configured status `value` names (case-insensitive), as configured; ValueError
    naming the allowed ones otherwise. For the container serializer."""
    return _choose(ContainerStatus, value, "status")


def container_severity(value: Any) -> str:
    """The configured severity `value` names (case-insensitive); ValueError otherwise."""
    return _choose(Severity, value, "severity")


def status_type(name: str) -> str:
    """The status type ("new", "in progress", "closed") of a configured status name."""
    row = ContainerStatus.objects.filter(name=name).values_list("status_type", flat=True).first()
    return str(row) if row else ("closed" if name == "closed" else "new" if name == "new" else "in progress")


def check_custom_fields(values: Any) -> dict[str, Any]:
    """A container's `custom_fields` checked against the definitions: select fields take one
    of their values, required ones must be there (ValueError naming the field otherwise).
    Fields nobody defined pass unchanged (SOAR apps write their own). For the container
    serializer."""
    if not isinstance(values, dict):
        raise ValueError("custom_fields must be a JSON object")
    for field in CustomField.objects.filter(disabled=False):
        value = values.get(field.name)
        if value in (None, ""):
            if field.required:
                raise ValueError(f"custom_fields: {field.name!r} is required")
            continue
        if field.field_type == "select" and value not in field.values:
            raise ValueError(f"custom_fields: {field.name!r} must be one of {', '.join(field.values)}")
        if field.field_type == "text" and not isinstance(value, str):
            raise ValueError(f"custom_fields: {field.name!r} must be text")
    return values
