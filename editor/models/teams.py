"""Teams: which analysts see a playbook's runs. A playbook with no team is everyone's
(what a single-team installation wants); one with teams is seen by their members and by
admins only."""
from __future__ import annotations

from django.conf import settings
from django.db import models


class Team(models.Model):
    name = models.CharField(max_length=128, unique=True)
    description = models.TextField(blank=True, default="")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="soar_teams")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
