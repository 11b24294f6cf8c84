from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request


class PhAuthTokenAuthentication(authentication.BaseAuthentication):
    """SOAR's `ph-auth-token` header carrying a per-user API token."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        key = request.META.get("HTTP_PH_AUTH_TOKEN")
        if key is None:
            return None
        from engine.models import ApiToken  # models load after settings

        token = ApiToken.lookup(key.strip())
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("invalid ph-auth-token")
        now = timezone.now()
        if token.last_used is None or (now - token.last_used).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "ph-auth-token"
