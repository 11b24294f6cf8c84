from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A per-user `ph-auth-token`. Only a digest is stored: a leaked database does not
    leak usable tokens, and the clear token is shown once when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=128, default="default")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    create_time = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} {self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: object, name: str = "default") -> tuple[ApiToken, str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, digest=_digest(key), prefix=key[:8])
        return token, key

    @classmethod
    def lookup(cls, key: str) -> ApiToken | None:
        try:  # get(), not first(): the digest is unique, and first() adds an ORDER BY
            return cls.objects.select_related("user").get(digest=_digest(key))
        except cls.DoesNotExist:
            return None
