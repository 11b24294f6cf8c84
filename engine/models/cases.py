"""Containers (cases/events), their artifacts, notes and tags, with SOAR's field names.

Field names follow the SOAR REST API so a container or artifact JSON posted to SOAR can
be posted here unchanged and read back in the same shape.
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

SEVERITIES = ("low", "medium", "high")
SENSITIVITIES = ("white", "green", "amber", "red")
CONTAINER_STATUSES = ("new", "open", "closed")


class Tag(models.Model):
    """Registry of tags in use; containers and artifacts keep their tags as a JSON list
    (SOAR's wire shape) and every tag they carry is registered here for pickers."""

    name = models.CharField(max_length=128, unique=True)
    create_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def register(cls, names: list[str]) -> None:
        existing = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
        Tag.objects.bulk_create(
            [Tag(name=n) for n in dict.fromkeys(names) if n and n not in existing],
            ignore_conflicts=True,
        )


class Container(models.Model):
    name = models.CharField(max_length=1024)
    label = models.CharField(max_length=128, default="events", db_index=True)
    description = models.TextField(blank=True, default="")
    status = models.CharField(max_length=64, default="new", db_index=True)
    severity = models.CharField(max_length=64, default="medium")
    sensitivity = models.CharField(max_length=64, default="amber")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="owned_containers",
    )
    tags = models.JSONField(default=list, blank=True)
    source_data_identifier = models.CharField(max_length=512, blank=True, default="", db_index=True)
    external_id = models.CharField(max_length=512, blank=True, default="")
    kill_chain = models.CharField(max_length=128, blank=True, default="")
    data = models.JSONField(default=dict, blank=True)
    custom_fields = models.JSONField(default=dict, blank=True)
    container_type = models.CharField(max_length=16, default="default")
    asset_name = models.CharField(max_length=256, blank=True, default="")
    asset_id = models.BigIntegerField(null=True, blank=True)
    ingest_app_id = models.CharField(max_length=64, blank=True, default="")
    parent_container = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    in_case = models.BooleanField(default=False)
    current_phase = models.CharField(max_length=256, blank=True, default="")
    workflow_name = models.CharField(max_length=256, blank=True, default="")
    role_id = models.BigIntegerField(null=True, blank=True)
    tenant_id = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True, default="")
    version = models.IntegerField(default=1)
    current_rule_run_id = models.BigIntegerField(null=True, blank=True)
    artifact_count = models.IntegerField(default=0)
    create_time = models.DateTimeField(default=timezone.now, db_index=True)
    start_time = models.DateTimeField(default=timezone.now)
    end_time = models.DateTimeField(null=True, blank=True)
    due_time = models.DateTimeField(null=True, blank=True)
    close_time = models.DateTimeField(null=True, blank=True)
    artifact_update_time = models.DateTimeField(default=timezone.now)
    container_update_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.name} (#{self.pk})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # SOAR sets close_time when a container is closed and clears it when reopened.
        if self.status == "closed" and self.close_time is None:
            self.close_time = timezone.now()
        elif self.status != "closed":
            self.close_time = None
        self.container_update_time = timezone.now()
        super().save(*args, **kwargs)

    @property
    def owner_name(self) -> str:
        return self.owner.get_username() if self.owner_id and self.owner else ""


class Artifact(models.Model):
    container = models.ForeignKey(Container, on_delete=models.CASCADE, related_name="artifacts")
    name = models.CharField(max_length=1024, blank=True, default="")
    label = models.CharField(max_length=128, default="event", db_index=True)
    description = models.TextField(blank=True, default="")
    severity = models.CharField(max_length=64, default="medium")
    # SOAR sends and returns null for these (seed 004), so null is a value here.
    type = models.CharField(max_length=128, blank=True, null=True)  # noqa: DJ001
    kill_chain = models.CharField(max_length=128, blank=True, null=True)  # noqa: DJ001
    source_data_identifier = models.CharField(max_length=512, blank=True, default="")
    cef = models.JSONField(default=dict, blank=True)
    cef_types = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)
    tags = models.JSONField(default=list, blank=True)
    hash = models.CharField(max_length=64, db_index=True)
    version = models.IntegerField(default=1)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="created_artifacts",
    )
    ingest_app_id = models.CharField(max_length=64, blank=True, default="")
    parent_artifact = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    parent_container = models.ForeignKey(
        Container, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    has_note = models.BooleanField(default=False)
    create_time = models.DateTimeField(default=timezone.now)
    start_time = models.DateTimeField(default=timezone.now)
    end_time = models.DateTimeField(null=True, blank=True)
    update_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            # The database enforces deduplication too, so two concurrent posts of the same
            # artifact cannot both get in between the check and the insert.
            models.UniqueConstraint(
                fields=["container", "hash"],
                condition=~Q(source_data_identifier=""),
                name="artifact_dedup_per_container",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name or self.label} (#{self.pk})"


class Note(models.Model):
    container = models.ForeignKey(Container, on_delete=models.CASCADE, related_name="notes")
    artifact = models.ForeignKey(
        Artifact, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    title = models.CharField(max_length=1024, blank=True, default="")
    content = models.TextField(blank=True, default="")
    note_type = models.CharField(max_length=32, default="general")
    note_format = models.CharField(max_length=16, default="markdown")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    create_time = models.DateTimeField(default=timezone.now)
    modified_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title or f"note #{self.pk}"


class VaultItem(models.Model):
    """A file in a container's vault, addressed by the SHA-1 of its content (SOAR's vault id)."""

    container = models.ForeignKey(Container, on_delete=models.CASCADE, related_name="vault_items")
    vault_id = models.CharField(max_length=40, db_index=True)
    name = models.CharField(max_length=1024)
    size = models.BigIntegerField(default=0)
    path = models.CharField(max_length=2048)  # relative to SOAR_VAULT_DIR
    metadata = models.JSONField(default=dict, blank=True)
    create_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.vault_id[:8]})"
