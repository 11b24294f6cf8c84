"""The audit trail: who did what, to which object, in which container or playbook.

SOAR answers it at `/rest/audit`. Entries keep the user's name and the ids as plain
numbers, so deleting a user, a container or a playbook does not rewrite its history.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    time = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    username = models.CharField(max_length=150, blank=True, default="")
    # create | update | delete | run | login | … : what was done.
    action = models.CharField(max_length=32)
    # The REST type the object belongs to: container, artifact, ph_user, playbook, …
    object_type = models.CharField(max_length=64)
    object_id = models.BigIntegerField(null=True, blank=True)
    container_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    playbook_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    message = models.TextField(blank=True, default="")
    # The fields a write changed (names only for secrets), or other facts of the action.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["user", "time"])]

    def __str__(self) -> str:
        return f"{self.username or 'system'} {self.action} {self.object_type} {self.object_id}"
