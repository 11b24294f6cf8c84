"""Asset connectivity: `POST /rest/asset/<id>/test` runs the asset's "test connectivity",
`/rest/app_status` shows each asset's last outcome (SOAR's app status records).

SOAR runs the test asynchronously and a client polls app_status for it; here the test
runs within the request (with the connector's deadline, engine.api) and is recorded on
the asset before the answer, so the first poll finds it.
"""
from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engine import audit, redaction
from engine.models import Asset
from engine.rest._common import fields
from soar.rest.query import QuerySpec
from soar.rest.resource import SoarResource, resource_urls
from soar.rest.schema import BOOL, INT, STR, answer, shape


class AppStatusSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One asset's app status: its last connectivity test (status "" when none ran)."""

    asset_id = serializers.IntegerField(source="id", read_only=True)
    asset = serializers.CharField(source="name", read_only=True)
    app_id = serializers.IntegerField(read_only=True)
    app_name = serializers.CharField(source="app.name", read_only=True)
    status = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()
    update_time = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        fields = ["id", "asset_id", "asset", "app_id", "app_name", "status", "message", "update_time"]

    def _last(self, asset: Asset, key: str) -> str:
        value = (asset.last_test or {}).get(key) if isinstance(asset.last_test, dict) else None
        return value if isinstance(value, str) else ""

    def get_status(self, asset: Asset) -> str:
        return self._last(asset, "status")

    def get_message(self, asset: Asset) -> str:
        return self._last(asset, "message")

    def get_update_time(self, asset: Asset) -> str:
        return self._last(asset, "time")


class AppStatusResource(SoarResource):
    """`/rest/app_status`: read only, one row per asset (`_filter_asset_id`)."""

    model = Asset
    serializer = AppStatusSerializer
    spec = QuerySpec(fields=fields("id", asset_id="id", asset="name", app_id="app_id", app="app_id"),
                     sortable=frozenset({"id"}), default_sort="id", default_order="asc")
    error_answers = {"create": {405: "a status comes from testing the asset (POST /rest/asset/<id>/test)"},
                     "update": {405: "a status comes from testing the asset"},
                     "delete": {405: "a status goes with its asset"}}

    def queryset(self, request: Request) -> Any:
        return Asset.objects.select_related("app")

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        raise MethodNotAllowed("POST", "a status comes from testing the asset (POST /rest/asset/<id>/test)")

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        raise MethodNotAllowed("POST", "a status comes from testing the asset (POST /rest/asset/<id>/test)")

    def delete(self, request: Request, obj: Any) -> None:
        raise MethodNotAllowed("DELETE", "a status goes with its asset")


class AssetTestView(APIView):
    """POST /rest/asset/<id>/test: test the asset's connectivity now and record the outcome."""

    write_role = "admin"

    @extend_schema(request=None, responses=answer(shape(success=BOOL, id=INT, status=STR, message=STR)))
    def post(self, request: Request, pk: int) -> Response:
        from engine.api import AssetTestConnectivityView

        asset = get_object_or_404(Asset.objects.select_related("app"), pk=pk)
        passed, message = AssetTestConnectivityView().check(asset)
        status = "success" if passed else "failed"
        message = redaction.scrub(message)  # a connector's error may quote its credentials
        Asset.objects.filter(pk=asset.pk).update(last_test={"status": status, "message": message,
                                                            "time": timezone.now().isoformat()})
        audit.record(request.user, "test", "asset", asset.pk, message=status)
        return Response({"success": True, "id": asset.pk, "status": status, "message": message})


urlpatterns = [
    path("asset/<id:pk>/test", AssetTestView.as_view(), name="rest-asset-test"),
    *resource_urls("app_status", AppStatusResource()),
]
