from __future__ import annotations

from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase

# These answer for themselves: the REST/API views authenticate by token, session or basic
# auth and reply 401/403 JSON, which a redirect to the login page would hide.
_SELF_AUTHENTICATED = ("/rest/", "/api/", "/static/", "/healthz")


class SoarLoginRequiredMiddleware(LoginRequiredMiddleware):
    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> HttpResponseBase | None:
        if request.path.startswith(_SELF_AUTHENTICATED):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
