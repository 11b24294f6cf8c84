from __future__ import annotations

import base64
import binascii
from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

INVALID_TOKEN = "invalid ph-auth-token"


def _token_user(key: str) -> tuple[Any, Any] | None:
    """The (user, token) of an active user's API token, or None."""
    from engine.models import ApiToken  # models load after settings

    token = ApiToken.lookup(key.strip())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user, token


class PhAuthTokenAuthentication(authentication.BaseAuthentication):
    """SOAR's `ph-auth-token` header carrying a per-user API token."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        key = request.META.get("HTTP_PH_AUTH_TOKEN")
        if key is None:
            return None
        found = _token_user(key)
        if found is None:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        return found

    def authenticate_header(self, request: Request) -> str:
        return "ph-auth-token"


class BasicTokenAuthentication(authentication.BaseAuthentication):
    """SOAR's token in the password of HTTP Basic auth: `curl -u ":<token>"`, or the URL's
    user info `https://:<token>@host/rest/...` (which clients send as Basic auth).

    The username is ignored, as SOAR does. A password that is no token falls through to
    the username/password check (BasicAuthentication, next in the settings), except with
    an empty username: no account has one, so that can only be a wrong token.
    """

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic" or not encoded.strip():
            return None
        try:
            username, sep, password = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None  # BasicAuthentication answers the malformed header
        if not sep or not password:
            return None
        found = _token_user(password)
        if found is not None:
            return found
        if not username:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        return None

    def authenticate_header(self, request: Request) -> str:
        return 'Basic realm="api"'
