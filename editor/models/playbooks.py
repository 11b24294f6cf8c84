"""Playbooks are stored as SOAR files: each version keeps the JSON text verbatim.

The JSON text (not a parsed JSONField) is the source of truth so an export gives back
the exact file that was imported; the first-class fields on Playbook are a searchable
projection of the latest version.
"""
from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils import timezone

from editor.compiler import version_module
from editor.graph.code import code_changes
from soar.roles import may_edit_code

PLAYBOOK_TYPES = ("automation", "data")


class StaleVersion(Exception):
    """A save was based on a version that is no longer the latest."""

    def __init__(self, current: int) -> None:
        super().__init__(f"the playbook was saved by someone else; the current version is {current}")
        self.current = current


class CodeNotAllowed(PermissionDenied):
    """A save adds or changes code and its author may not write code (soar.roles.may_edit_code).

    A Django PermissionDenied: every API answers it 403 with this message."""

    def __init__(self, changes: list[str]) -> None:
        self.changes = changes
        super().__init__(f"writing code needs the 'edit code' permission; this save adds or changes "
                         f"{', '.join(changes)}; the save was refused (ask an admin for the permission)")


def check_code_permission(author: Any, changes: list[str]) -> None:
    """Refuse `changes` (editor.graph.code.code_changes) when `author` may not write code;
    saves made by the system (no author: commands, demo data) are not a person's edit."""
    if changes and getattr(author, "pk", None) is not None and not may_edit_code(author):
        raise CodeNotAllowed(changes)


def check_lengths(row: models.Model) -> None:
    """Refuse text longer than its column, naming the field: SQLite stores any length, but
    PostgreSQL's varchar raised a DataError (a 500) for a name, category or repo that came
    from a request or an imported document. Called by save(), so every route that writes
    the row (API, REST, imports, admin) answers 400 through soar.rest.errors."""
    errors = {}
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        if isinstance(field, models.CharField) and field.max_length and isinstance(value, str) \
                and len(value) > field.max_length:
            errors[field.name] = [f"at most {field.max_length} characters, got {len(value)}"]
    if errors:
        raise DjangoValidationError(errors)


class Playbook(models.Model):
    name = models.CharField(max_length=256)
    repo = models.CharField(max_length=128, default="local")
    category = models.CharField(max_length=256, blank=True, default="")
    labels = models.JSONField(default=list, blank=True)
    tags = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True, default="")
    notes = models.TextField(blank=True, default="")
    playbook_type = models.CharField(max_length=16, default="automation")
    input_spec = models.JSONField(null=True, blank=True)
    output_spec = models.JSONField(null=True, blank=True)
    active = models.BooleanField(default=False)
    draft_mode = models.BooleanField(default=False)
    disabled = models.BooleanField(default=False)
    latest_version = models.IntegerField(default=0)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # Empty: every analyst sees its runs; otherwise only these teams' members (and admins).
    teams = models.ManyToManyField("editor.Team", blank=True, related_name="playbooks")
    create_time = models.DateTimeField(default=timezone.now)
    update_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["repo", "name"], name="playbook_repo_name_unique")]
        # soar.roles.may_edit_code: admins have it; editors when given.
        permissions = [("edit_code", "Can write code (Code blocks, custom code, custom functions)")]

    def __str__(self) -> str:
        return f"{self.repo}/{self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        check_lengths(self)
        super().save(*args, **kwargs)

    def current(self) -> PlaybookVersion | None:
        return self.versions.filter(number=self.latest_version).first()

    def document(self) -> dict[str, Any]:
        version = self.current()
        return json.loads(version.json_text) if version else {}

    def project(self, doc: dict[str, Any]) -> None:
        """Copy the searchable fields out of a SOAR playbook document."""
        coa = doc.get("coa") or {}
        data = coa.get("data") or {}
        self.category = str(doc.get("category") or "")
        self.labels = list(doc.get("labels") or [])
        self.tags = list(doc.get("tags") or [])
        self.description = str(data.get("description") or "")
        self.notes = str(data.get("notes") or "")
        self.playbook_type = str(coa.get("playbook_type") or "automation")
        self.input_spec = coa.get("input_spec")
        self.output_spec = coa.get("output_spec")
        self.draft_mode = bool(doc.get("draft_mode", False))

    def save_version(
        self, json_text: str, *, author: Any = None, message: str = "", python: str = "",
        base_version: int | None = None, draft: bool = True,
    ) -> PlaybookVersion:
        """Store a new version; with base_version, refuse a save based on a stale version.

        The compare-and-set on latest_version makes two concurrent saves from the same
        base version impossible: exactly one of them wins, the other gets StaleVersion.
        """
        doc = json.loads(json_text)
        self._check_code(author, doc, python)
        # Compile on save, before the write transaction (compiling is the slow part): the
        # version carries what it runs, and the engine only reads it. A version that does
        # not compile is stored all the same, with why it cannot run.
        number = (self.latest_version if base_version is None else base_version) + 1
        module = version_module(json_text, python, name=self.name, number=number)
        with transaction.atomic():
            if self.pk is None:
                self.project(doc)
                self.save()
            expected = self.latest_version if base_version is None else base_version
            updated = Playbook.objects.filter(pk=self.pk, latest_version=expected).update(
                latest_version=expected + 1, update_time=timezone.now()
            )
            if updated != 1:
                current = Playbook.objects.values_list("latest_version", flat=True).get(pk=self.pk)
                raise StaleVersion(current)
            self.latest_version = expected + 1
            self.project(doc)
            self.save()
            version = PlaybookVersion.objects.create(
                playbook=self, number=self.latest_version, json_text=json_text, python=python,
                author=author if getattr(author, "pk", None) else None, message=message, draft=draft,
                compiled=module.source, compile_error=module.error, compiler_version=module.compiler_version,
            )
        if self.active:
            # Whatever route stored it (editor save, restore, import, REST update): an
            # active playbook stays runnable, or becomes inactive (editor.activation).
            # After the commit: the check compiles against the catalogue, the slow part.
            from editor.activation import keep_runnable

            keep_runnable(self)
        return version


    def _check_code(self, author: Any, doc: Any, python: str) -> None:
        """Refuse a version whose code its author may not write, before anything is stored."""
        current = self.current() if self.pk is not None else None
        before = json.loads(current.json_text) if current is not None else None
        changes = code_changes(before, doc)
        if python.strip() and python != (current.python if current is not None else ""):
            changes.append("the playbook's Python module")
        check_code_permission(author, changes)


class PlaybookVersion(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="versions")
    number = models.IntegerField()
    json_text = models.TextField()  # the SOAR JSON, verbatim
    python = models.TextField(blank=True, default="")  # the .py that came with an import, if any
    # Compile on save (Playbook.save_version, editor.compiler.version_module): the module the
    # version runs, or "" with compile_error saying why it cannot run, and the
    # COMPILER_VERSION that made them. 0: stored before versions were compiled on save (a
    # module there was made by an older engine); the engine recompiles those in memory.
    compiled = models.TextField(blank=True, default="")
    compile_error = models.TextField(blank=True, default="")
    compiler_version = models.IntegerField(default=0)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    message = models.CharField(max_length=512, blank=True, default="")
    draft = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["playbook", "-number"]
        constraints = [models.UniqueConstraint(fields=["playbook", "number"], name="playbook_version_unique")]

    def __str__(self) -> str:
        return f"{self.playbook} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        check_lengths(self)
        super().save(*args, **kwargs)


class CustomFunction(models.Model):
    name = models.CharField(max_length=256)
    repo = models.CharField(max_length=128, default="local")
    description = models.TextField(blank=True, default="")
    inputs = models.JSONField(default=list, blank=True)
    outputs = models.JSONField(default=list, blank=True)
    outputs_type = models.CharField(max_length=16, blank=True, default="")
    json_text = models.TextField(blank=True, default="")  # the SOAR JSON, verbatim
    python = models.TextField(blank=True, default="")
    draft_mode = models.BooleanField(default=False)
    builtin = models.BooleanField(default=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    create_time = models.DateTimeField(default=timezone.now)
    update_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["repo", "name"], name="custom_function_repo_name_unique")]

    def __str__(self) -> str:
        return f"{self.repo}/{self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        check_lengths(self)
        super().save(*args, **kwargs)
