"""SOAR-compatible REST resources of the editor: playbooks and custom functions."""
from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from rest_framework.request import Request

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
        # The current version's module, message and author ride along (PlaybookSerializer):
        # subqueries, not a query per listed playbook.
        current = PlaybookVersion.objects.filter(playbook=OuterRef("pk"), number=OuterRef("latest_version"))
        return Playbook.objects.select_related("owner").annotate(
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


urlpatterns = [*resource_urls("playbook", PlaybookResource()), *resource_urls("custom_function", CustomFunctionResource())]
