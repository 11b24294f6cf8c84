"""SOAR-compatible REST resources of the editor: playbooks and custom functions."""
from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView

from editor.models import CustomFunction, Playbook, PlaybookVersion
from editor.models.playbooks import check_code_permission
from editor.serializers import CustomFunctionSerializer, PlaybookSerializer
from soar.rest.query import QuerySpec
from soar.rest.resource import SoarResource, resource_urls


class PlaybookResource(SoarResource):
    model = Playbook
    serializer = PlaybookSerializer
    write_role = "editor"
    detail_fields = {"json": {"type": "object", "description": "the SOAR playbook document"}}
    spec = QuerySpec(
        fields={n: n for n in (
            "id", "name", "repo", "category", "playbook_type", "active", "disabled", "draft_mode",
            "labels", "tags", "create_time", "update_time",
        )},
        json_lists=frozenset({"labels", "tags"}),
        sortable=frozenset({"name", "category", "update_time", "create_time"}),
        default_sort="name", default_order="asc",
    )

    def queryset(self, request: Request) -> Any:
        # A team's playbook (its code included) is its team's, as its runs are
        # (engine.visibility): outside the team it does not exist, here as in search.
        from engine.visibility import playbook_filter

        # The current version's module, message and author ride along (PlaybookSerializer):
        # subqueries, not a query per listed playbook.
        current = PlaybookVersion.objects.filter(playbook=OuterRef("pk"), number=OuterRef("latest_version"))
        return Playbook.objects.filter(playbook_filter(request.user)).select_related("owner").annotate(
            current_compiled=Subquery(current.values("compiled")[:1]),
            current_message=Subquery(current.values("message")[:1]),
            current_author_id=Subquery(current.values("author_id")[:1]),
        )


class CustomFunctionResource(SoarResource):
    model = CustomFunction
    serializer = CustomFunctionSerializer
    write_role = "editor"
    spec = QuerySpec(
        fields={n: n for n in ("id", "name", "repo", "builtin", "draft_mode", "create_time")},
        sortable=frozenset({"name"}), default_sort="name", default_order="asc",
    )

    # A custom function is code: writing one needs the "edit code" permission.
    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        name = data.get("name") if isinstance(data, dict) else None
        check_code_permission(request.user, [f"custom function '{name}'"])
        return super().create(request, data)

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        check_code_permission(request.user, [f"custom function '{obj.name}'"])
        return super().update(request, obj, data)

    def delete(self, request: Request, obj: Any) -> None:
        check_code_permission(request.user, [f"custom function '{obj.name}'"])
        super().delete(request, obj)


class PlaybookExportView(APIView):
    """`GET /rest/playbook/<id>/export`: the playbook as SOAR exports it, a .tgz of its
    .json and .py (editor.files.export_tgz), for the users who may read it."""

    error_answers = {"GET": {400: "the playbook's current version does not compile, so it has no .py"}}

    @extend_schema(responses={(200, "application/gzip"): OpenApiResponse(
        response={"type": "string", "format": "binary"}, description="a .tgz of the playbook's .json and .py")})
    def get(self, request: Request, pk: int) -> HttpResponse:
        from editor.compiler import CompileError
        from editor.files import export_tgz

        playbook = get_object_or_404(_playbooks.visible(request), pk=pk)
        try:
            bundle = export_tgz([playbook])
        except CompileError as exc:
            raise ValidationError({"playbook": [f"cannot export it: {exc}"]}) from None
        response = HttpResponse(bundle, content_type="application/gzip")
        safe = "".join(c for c in playbook.name if c.isprintable() and c not in '"\\')
        response["Content-Disposition"] = f'attachment; filename="{safe}.tgz"'
        return response


_playbooks = PlaybookResource()

urlpatterns = [
    *resource_urls("playbook", _playbooks),
    path("playbook/<id:pk>/export", PlaybookExportView.as_view(), name="rest-playbook-export"),
    *resource_urls("custom_function", CustomFunctionResource()),
]
