"""People and platform state SOAR's REST API reads and writes beyond Django's own user model:
a user's SOAR type and settings (`/rest/ph_user`, `/rest/user_settings`), and the feature
flags an admin switched (`/rest/feature_flag`)."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

USER_TYPES = ("normal", "automation")


class UserProfile(models.Model):
    """What SOAR keeps about a user that django.contrib.auth does not: its type (an
    automation user is an account for integrations, with a token instead of a login) and
    its settings (`/rest/user_settings`: time zone, default label, ...)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="soar_profile")
    type = models.CharField(max_length=16, default="normal")
    settings = models.JSONField(default=dict, blank=True)
    update_time = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} ({self.type})"

    @classmethod
    def of(cls, user: Any) -> UserProfile:
        profile, _ = cls.objects.get_or_create(user=user)
        return profile


class FeatureFlag(models.Model):
    """A feature flag an admin switched; flags nobody switched keep their default
    (engine.rest.platform_flags lists them)."""

    name = models.CharField(max_length=64, unique=True)
    enabled = models.BooleanField()
    update_time = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}={self.enabled}"
