"""SOAR's global search: `GET /rest/search?query=<text>&categories=<a,b>`.

Finds the text (case-insensitively) in containers, artifacts (their CEF values too), notes,
playbooks, custom functions, apps and assets. Each category answers only rows its reader
may see: playbooks (and custom functions) through the team rule of engine.visibility, assets
by name and description only (never their configuration). Pages are 1-based, as SOAR's
search pages are (a `page` of 0 is the first page too).
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.rest.system import flag
from engine.visibility import playbook_filter
from soar.ids import as_id, int_param
from soar.rest.schema import INT, STR, answer, query_param, shape
from soar.roles import has_role

MAX_QUERY = 256
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 1000


def _text_match(query: str, *names: str) -> Q:
    found = Q()
    for name in names:
        found |= Q(**{f"{name}__icontains": query})
    return found


def _with_id(query: str, found: Q) -> Q:
    number = as_id(query)
    return found | Q(pk=number) if number is not None else found


def _containers(user: Any, query: str) -> QuerySet[Any]:
    from engine.models import Container

    return Container.objects.filter(_with_id(query, _text_match(
        query, "name", "description", "source_data_identifier", "external_id")))


def _artifacts(user: Any, query: str) -> QuerySet[Any]:
    from engine.models import Artifact

    rows = Artifact.objects.annotate(cef_text=Cast("cef", CharField()))
    return rows.filter(_with_id(query, _text_match(query, "name", "source_data_identifier", "cef_text")))


def _notes(user: Any, query: str) -> QuerySet[Any]:
    from engine.models import Note

    return Note.objects.filter(_with_id(query, _text_match(query, "title", "content")))


def _playbooks(user: Any, query: str) -> QuerySet[Any]:
    from editor.models import Playbook

    return Playbook.objects.filter(playbook_filter(user)).filter(
        _with_id(query, _text_match(query, "name", "description", "category")))


def _custom_functions(user: Any, query: str) -> QuerySet[Any]:
    from editor.models import CustomFunction

    return CustomFunction.objects.filter(_with_id(query, _text_match(query, "name", "description")))


def _apps(user: Any, query: str) -> QuerySet[Any]:
    from engine.models import App

    return App.objects.filter(_with_id(query, _text_match(query, "name", "product_vendor", "product_name",
                                                            "description")))


def _assets(user: Any, query: str) -> QuerySet[Any]:
    from engine.models import Asset

    return Asset.objects.filter(_with_id(query, _text_match(query, "name", "description", "product_name")))


def _row(category: str, obj: Any) -> dict[str, Any]:
    name = getattr(obj, "name", "") or getattr(obj, "title", "") or ""
    container_id = obj.pk if category == "container" else getattr(obj, "container_id", None)
    created = getattr(obj, "create_time", None)
    return {"category": category, "id": obj.pk, "name": name, "container_id": container_id,
            "description": str(getattr(obj, "description", "") or getattr(obj, "content", "") or "")[:200],
            "create_time": created.isoformat().replace("+00:00", "Z") if created else None,
            "url": f"/rest/{category}/{obj.pk}"}


# category -> rows matching the query that the user may see
CATEGORIES: dict[str, Callable[[Any, str], QuerySet[Any]]] = {
    "container": _containers,
    "artifact": _artifacts,
    "note": _notes,
    "playbook": _playbooks,
    "custom_function": _custom_functions,
    "app": _apps,
    "asset": _assets,
}

# What a non-admin searches while the restrict_global_search flag is on.
CASE_CATEGORIES = ("container", "artifact", "note")

RESULT = shape("A row that matched", category=STR, id=INT, name=STR, container_id={"type": ["integer", "null"]},
               description=STR, create_time={"type": ["string", "null"]}, url=STR)
ANSWER = shape(
    "One page of matches, best (newest) first within each category",
    count=INT, num_pages=INT, page=INT, query=STR,
    categories={"type": "object", "description": "matches per category", "additionalProperties": INT},
    results={"type": "array", "items": RESULT},
)


class SearchView(APIView):
    read_role = "viewer"

    @extend_schema(
        parameters=[
            query_param("query", "the text to find"),
            query_param("categories", "comma-separated categories to search (default: all): "
                        + ", ".join(CATEGORIES)),
            query_param("page", "1-based page number (0 is the first page too)"),
            query_param("page_size", f"matches per page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE})"),
        ],
        responses={200: answer(ANSWER)},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        query = (params.get("query") or params.get("q") or "").strip()
        if len(query) > MAX_QUERY:
            raise ValidationError({"query": [f"must be at most {MAX_QUERY} characters"]})
        wanted = [c.strip() for c in (params.get("categories") or "").split(",") if c.strip()]
        unknown = [c for c in wanted if c not in CATEGORIES]
        if unknown:
            raise ValidationError({"categories": [f"unknown {', '.join(unknown)[:200]}; known: {', '.join(CATEGORIES)}"]})
        page = max(int_param(params, "page", 1), 1)
        page_size = int_param(params, "page_size", DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE) or MAX_PAGE_SIZE
        categories = wanted or list(CATEGORIES)
        if not has_role(request.user, "admin") and flag("restrict_global_search"):
            categories = [c for c in categories if c in CASE_CATEGORIES]
        counts: dict[str, int] = {}
        results: list[dict[str, Any]] = []
        if query:
            skip = (page - 1) * page_size
            for category in categories:
                rows = CATEGORIES[category](request.user, query).order_by("-pk")
                counts[category] = rows.count()
                take = page_size - len(results)
                if skip >= counts[category]:
                    skip -= counts[category]
                    continue
                if take > 0:
                    results += [_row(category, obj) for obj in rows[skip:skip + take]]
                skip = 0
        total = sum(counts.values())
        return Response({"count": total, "num_pages": math.ceil(total / page_size) if total else 0, "page": page,
                         "query": query, "categories": counts, "results": results})


urlpatterns = [
    path("search", SearchView.as_view(), name="rest-search"),
]
