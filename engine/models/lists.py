from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class CustomList(models.Model):
    """SOAR's custom list ("decided_list" in the REST API): a named table of rows."""

    name = models.CharField(max_length=256, unique=True)
    content = models.JSONField(default=list, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    create_time = models.DateTimeField(default=timezone.now)
    update_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
