"""The audit trail over REST: `/rest/audit` and the per-object routes SOAR documents
(`/rest/ph_user/<id>/audit`, `/rest/role/<id>/audit`, `/rest/playbook/<id>/audit`).

SOAR's answer is a bare JSON array (or CSV with `format=csv`), newest first unless
`sort=asc`, covering the last 30 days unless `start` / `end` say otherwise. Object filters
(`user`, `role`, `playbook`, `container`: ids separated by commas or SOAR's \\x1e, or `*` for
all of that kind) add up: each one adds its objects' events to what is answered.
"""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.audit import COLUMNS, as_row, visible_entries
from soar.ids import in_db_range, int_param
from soar.rest.schema import INT, STR, answer, query_param

DEFAULT_DAYS = 30
DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000

ROW: dict[str, Any] = {
    "type": "object", "description": "One audit event; `fields` names what a write changed (never values)",
    "properties": {"id": INT, "time": STR, "user_id": {"type": ["integer", "null"]}, "username": STR, "action": STR,
                   "audit_source": STR, "object_id": {"type": ["integer", "null"]},
                   "container_id": {"type": ["integer", "null"]}, "playbook_id": {"type": ["integer", "null"]},
                   "message": STR, "fields": {"type": "array", "items": STR}},
    "required": list(COLUMNS),
}
ROWS = {(200, "application/json"): answer({"type": "array", "items": ROW}, "audit events"),
        (200, "text/csv"): answer({"type": "string"}, "audit events as CSV (format=csv)")}

COMMON_PARAMETERS = [
    query_param("start", "earliest time (ISO date or date-time; default 30 days ago)"),
    query_param("end", "latest time (ISO date or date-time; default now)"),
    query_param("sort", "asc (oldest first) or desc (default)", enum=["asc", "desc"]),
    query_param("format", "json (default) or csv", enum=["json", "csv"]),
    query_param("page", "0-based page of page_size events"),
    query_param("page_size", f"events per answer (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})"),
]
OBJECT_PARAMETERS = [
    query_param(name, f"{name} ids (comma-separated) or * for every {name}'s events")
    for name in ("user", "role", "playbook", "container")
]


def _when(params: Any, name: str, *, end: bool) -> datetime | None:
    raw = params.get(name)
    if not raw:
        return None
    moment = parse_datetime(raw) if "T" in raw or " " in raw else None
    if moment is None:
        try:
            day = parse_date(raw)
        except ValueError:
            day = None
        if day is None:
            raise ValidationError({name: ["must be an ISO date (2026-01-31) or date-time"]})
        moment = datetime.combine(day, time.max if end else time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


def _ids(params: Any, name: str) -> list[int] | None:
    """The ids of an object filter; [] for `*` (every object of the kind); None when absent."""
    if name not in params:
        return None
    raw = params.get(name) or "*"
    if raw.strip() == "*":
        return []
    ids = []
    for part in raw.replace("\x1e", ",").split(","):
        part = part.strip()
        if not part.isascii() or not part.isdigit() or not in_db_range(int(part)):
            raise ValidationError({name: [f"must be ids separated by commas, or *; got {part[:32]!r}"]})
        ids.append(int(part))
    return ids


def _object_filter(params: Any) -> Q | None:
    found: Q | None = None

    def add(condition: Q) -> None:
        nonlocal found
        found = condition if found is None else found | condition

    users = _ids(params, "user")
    if users is not None:
        add(Q(user__isnull=False) if not users else Q(user_id__in=users))
    roles = _ids(params, "role")
    if roles is not None:
        add(Q(object_type="role") if not roles else Q(object_type="role", object_id__in=roles))
    playbooks = _ids(params, "playbook")
    if playbooks is not None:
        add(Q(playbook_id__isnull=False) if not playbooks else Q(playbook_id__in=playbooks))
    containers = _ids(params, "container")
    if containers is not None:
        add(Q(container_id__isnull=False) if not containers else Q(container_id__in=containers))
    return found


def answer_trail(request: Request, scope: Q | None) -> Any:
    """The entries in `scope` (or the query's object filters) within the time range, as
    JSON or CSV."""
    params = request.query_params
    start = _when(params, "start", end=False)
    end = _when(params, "end", end=True)
    if start is None:
        start = (end or timezone.now()) - timedelta(days=DEFAULT_DAYS)
    sort = (params.get("sort") or "desc").lower()
    if sort not in ("asc", "desc"):
        raise ValidationError({"sort": ["must be asc or desc"]})
    output = (params.get("format") or "json").lower()
    if output not in ("json", "csv"):
        raise ValidationError({"format": ["must be json or csv"]})
    page = int_param(params, "page", 0)
    limit = int_param(params, "page_size", DEFAULT_LIMIT, maximum=MAX_LIMIT) or MAX_LIMIT
    entries = visible_entries(request.user).filter(time__gte=start)
    if end is not None:
        entries = entries.filter(time__lte=end)
    chosen = scope if scope is not None else _object_filter(params)
    if chosen is not None:
        entries = entries.filter(chosen)
    order = ["time", "id"] if sort == "asc" else ["-time", "-id"]
    rows = [as_row(e) for e in entries.order_by(*order)[page * limit:(page + 1) * limit]]
    if output == "csv":
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=list(COLUMNS))
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "fields": " ".join(row["fields"])})
        response = HttpResponse(text.getvalue(), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="audit.csv"'
        return response
    return Response(rows)


class AuditView(APIView):
    """`GET /rest/audit`: who did what, filtered by object and time."""

    read_role = "viewer"

    @extend_schema(parameters=[*OBJECT_PARAMETERS, *COMMON_PARAMETERS], responses=ROWS)
    def get(self, request: Request) -> Any:
        return answer_trail(request, None)


class UserAuditView(APIView):
    """`GET /rest/ph_user/<id>/audit`: what the user did."""

    read_role = "viewer"

    @extend_schema(parameters=COMMON_PARAMETERS, responses=ROWS)
    def get(self, request: Request, pk: int) -> Any:
        from django.contrib.auth import get_user_model

        user = get_object_or_404(get_user_model(), pk=pk)
        return answer_trail(request, Q(user_id=user.pk) | Q(object_type="ph_user", object_id=user.pk))


class RoleAuditView(APIView):
    """`GET /rest/role/<id>/audit`: changes to the role."""

    read_role = "viewer"

    @extend_schema(parameters=COMMON_PARAMETERS, responses=ROWS)
    def get(self, request: Request, pk: int) -> Any:
        from soar.roles import ROLES

        role = get_object_or_404(Group, pk=pk, name__in=ROLES)
        return answer_trail(request, Q(object_type="role", object_id=role.pk))


class PlaybookAuditView(APIView):
    """`GET /rest/playbook/<id>/audit`: what was done to and by the playbook (a playbook
    outside the reader's teams is one that does not exist)."""

    read_role = "viewer"

    @extend_schema(parameters=COMMON_PARAMETERS, responses=ROWS)
    def get(self, request: Request, pk: int) -> Any:
        from editor.models import Playbook
        from engine.visibility import playbook_filter

        playbook = get_object_or_404(Playbook.objects.filter(playbook_filter(request.user)), pk=pk)
        return answer_trail(request, Q(playbook_id=playbook.pk) | Q(object_type="playbook", object_id=playbook.pk))


urlpatterns = [
    path("audit", AuditView.as_view(), name="rest-audit"),
    path("ph_user/<id:pk>/audit", UserAuditView.as_view(), name="rest-ph-user-audit"),
    path("role/<id:pk>/audit", RoleAuditView.as_view(), name="rest-role-audit"),
    path("playbook/<id:pk>/audit", PlaybookAuditView.as_view(), name="rest-playbook-audit"),
]
