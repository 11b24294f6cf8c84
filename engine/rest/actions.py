"""Apps, assets and actions: `/rest/app`, `/rest/asset`, `/rest/action_run`."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from engine import serializers as s
from engine.models import ActionRun, App, Asset
from engine.rest._common import fields
from soar.rest.query import QuerySpec
from soar.rest.resource import SoarResource, resource_urls


class AppResource(SoarResource):
    model = App
    serializer = s.AppSerializer
    spec = QuerySpec(
        fields=fields("id", "appid", "name", "version", "product_vendor", "product_name", "builtin"),
        sortable=frozenset({"name", "product_vendor"}), default_sort="name", default_order="asc",
    )

    def queryset(self, request: Request) -> Any:
        return App.objects.prefetch_related("actions")


class AssetResource(SoarResource):
    model = Asset
    serializer = s.AssetSerializer
    spec = QuerySpec(
        fields=fields("id", "name", "product_vendor", "product_name", "disabled", app="app_id"),
        sortable=frozenset({"name"}), default_sort="name", default_order="asc",
    )

    def queryset(self, request: Request) -> Any:
        return Asset.objects.select_related("app")


class ActionRunResource(SoarResource):
    model = ActionRun
    serializer = s.ActionRunSerializer
    write_role = "analyst"
    spec = QuerySpec(
        fields=fields("id", "action", "name", "status", "type", "create_time",
                       playbook_run="playbook_run_id", container="container_id"),
        sortable=frozenset({"create_time", "status", "name"}),
    )

    def queryset(self, request: Request) -> Any:
        return ActionRun.objects.prefetch_related("app_runs")

    error_answers = {"create": {405: "running actions from the REST API is not available"}}

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        # 405 like the other resources that cannot be posted to: not a server error.
        return {"failed": True, "message": "running actions from the REST API is not available yet"}, 405


urlpatterns = [
    *resource_urls("app", AppResource()),
    *resource_urls("asset", AssetResource()),
    *resource_urls("action_run", ActionRunResource()),
]
