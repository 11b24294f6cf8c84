"""Websocket authentication by API token, for clients without a browser session."""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async


@database_sync_to_async
def _user_for(key: str) -> Any:
    from engine.models import ApiToken

    token = ApiToken.lookup(key)
    return token.user if token and token.user.is_active else None


class TokenAuthMiddleware:
    """Use `?token=<ph-auth-token>` (or the ph-auth-token header) when there is no session user."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> Any:
        user = scope.get("user")
        if user is None or not getattr(user, "is_authenticated", False):
            headers = dict(scope.get("headers") or [])
            key = headers.get(b"ph-auth-token", b"").decode() or (
                parse_qs(scope.get("query_string", b"").decode()).get("token") or [""])[0]
            if key:
                found = await _user_for(key)
                if found is not None:
                    scope = {**scope, "user": found}
        return await self.app(scope, receive, send)
