"""Every REST error is SOAR-shaped: {"failed": true, "message": "..."} and never a 500 page."""
from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

log = logging.getLogger(__name__)


def _flatten(detail: Any, prefix: str = "") -> list[str]:
    """DRF's nested error detail as flat messages that each name their field."""
    if isinstance(detail, dict):
        out: list[str] = []
        for key, value in detail.items():
            name = prefix if key in ("non_field_errors", "detail") else (f"{prefix}.{key}" if prefix else str(key))
            out += _flatten(value, name)
        return out
    if isinstance(detail, list):
        return [m for item in detail for m in _flatten(item, prefix)]
    return [f"field '{prefix}': {detail}" if prefix else str(detail)]


def soar_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        return Response({"failed": True, "message": str(exc) or "not found"}, status=404)
    if isinstance(exc, RequestDataTooBig):
        return Response({"failed": True, "message": "request body is too large"}, status=413)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = exception_handler(exc, context)
    if response is None:
        log.exception("unhandled error in %s", context.get("view"))
        return Response({"failed": True, "message": f"internal error: {type(exc).__name__}"},
                        status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        messages = _flatten(detail)
        body: dict[str, Any] = {"failed": True, "message": "; ".join(messages), "errors": detail}
    elif isinstance(detail, dict) and "detail" in detail:
        body = {"failed": True, "message": str(detail["detail"])}
    else:
        body = {"failed": True, "message": "; ".join(_flatten(detail))}
    response.data = body
    return response
