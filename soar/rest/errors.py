"""Every REST error is SOAR-shaped: {"failed": true, "message": "..."} and never a 500 page."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import ProtectedError, RestrictedError
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


def in_use_message(blocking: Iterable[Any], subject: str = "it", limit: int = 10) -> str:
    """What keeps `subject` from being deleted, named: `asset 'vt' (id 3)`, at most `limit` of them."""
    rows = sorted(blocking, key=lambda o: (o._meta.verbose_name, o.pk))
    names = []
    for obj in rows[:limit]:
        label = getattr(obj, "name", "")
        names.append(f"{obj._meta.verbose_name} {label!r} (id {obj.pk})" if label else f"{obj._meta.verbose_name} {obj.pk}")
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"cannot delete {subject}: it is in use by {', '.join(names)}{more}; delete or change those first"


def deleting_may_conflict(model: type[models.Model]) -> bool:
    """Whether other rows may keep a row of `model` from being deleted (a PROTECT or RESTRICT
    foreign key to it): its delete routes may answer 409 (documented by soar.rest.schema)."""
    return any(rel.on_delete in (models.PROTECT, models.RESTRICT) for rel in model._meta.related_objects)


def soar_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, (ProtectedError, RestrictedError)):
        # Raised while Django collects what a delete would touch, before it deletes anything.
        blocking = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        model = getattr(getattr(context.get("view"), "resource", None), "model", None)
        pk = (context.get("kwargs") or {}).get("pk")
        subject = f"{model._meta.verbose_name} {pk}" if model is not None and pk is not None else "it"
        return Response({"failed": True, "message": in_use_message(blocking, subject)}, status=status.HTTP_409_CONFLICT)
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
