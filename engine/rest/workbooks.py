"""Indicators, workbook tasks, HUD pins and CEF metadata."""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.models import Artifact, Container, ContainerTask, Indicator, Pin
from engine.models.pins import PIN_STYLES, PIN_TYPES
from engine.rest._common import stays_on_container
from engine.runtime.phantom._workbook import TASK_STATUS_CODES, TASK_STATUS_NAMES, task_dict
from soar.rest.query import QuerySpec
from soar.rest.resource import SoarResource, resource_urls
from soar.rest.schema import ARRAY, INT, STR, answer, envelope, query_param, shape


class IndicatorSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Indicator
        fields = ["id", "value", "value_hash", "tags", "data_types", "cef_keys", "create_time", "update_time"]
        read_only_fields = ["id", "value", "value_hash", "data_types", "cef_keys", "create_time", "update_time"]

    def validate_tags(self, value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise serializers.ValidationError("must be a list of strings")
        return value


class IndicatorResource(SoarResource):
    model = Indicator
    serializer = IndicatorSerializer
    write_role = "analyst"
    spec = QuerySpec(fields={n: n for n in ("id", "value", "value_hash", "tags", "create_time")},
                     json_lists=frozenset({"tags"}), sortable=frozenset({"create_time", "value"}))

    error_answers = {"create": {405: "indicators are made from artifact values, not posted"}}

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        return {"failed": True, "message": "indicators are made from artifact values, not posted"}, 405


class IndicatorByValueView(APIView):
    """`GET /rest/indicator_by_value?indicator_value=<value>`: the indicator of one CEF
    value (indicators are made when playbooks first tag, collect or match a value)."""

    error_answers = {"GET": {404: "no indicator has this value"}}

    @extend_schema(parameters=[query_param("indicator_value", "the CEF value", required=True)],
                   responses=IndicatorSerializer)
    def get(self, request: Request) -> Response:
        from engine.models.workbooks import value_hash

        value = request.query_params.get("indicator_value")
        if value is None or value == "":
            raise ValidationError({"indicator_value": ["this query parameter is required"]})
        indicator = Indicator.objects.filter(value_hash=value_hash(value)).first()
        if indicator is None:
            return Response({"failed": True, "message": f"no indicator with value {value[:200]!r}"}, status=404)
        return Response(IndicatorSerializer(indicator).data)


class IndicatorCommonContainerView(APIView):
    """`GET /rest/indicator_common_container?indicator_value=<value>` (or `indicator_ids=1,2`):
    the containers whose artifacts carry the value in their CEF, SOAR's list envelope."""

    SCAN = 5000  # artifacts read per request: a pivot, not an export

    @extend_schema(parameters=[query_param("indicator_value", "the CEF value"),
                               query_param("indicator_ids", "indicator ids, comma-separated")],
                   responses=envelope(shape(id=INT, container_id=INT, name=STR, container_name=STR, label=STR,
                                            status=STR, severity=STR, create_time=STR)))
    def get(self, request: Request) -> Response:
        from django.db.models import CharField
        from django.db.models.functions import Cast

        from engine.custom_functions._support import cef_items

        values = self._values(request)
        found: set[int] = set()
        for value in values:
            rows = (Artifact.objects.annotate(cef_text=Cast("cef", CharField()))
                    .filter(cef_text__contains=value).values_list("container_id", "cef")[: self.SCAN])
            found |= {cid for cid, cef in rows if any(str(v) == value for _, v in cef_items(cef))}
        containers = Container.objects.filter(pk__in=found).order_by("-id")
        data = [{"id": c.pk, "container_id": c.pk, "name": c.name, "container_name": c.name, "label": c.label,
                 "status": c.status, "severity": c.severity, "create_time": c.create_time.isoformat()}
                for c in containers[:1000]]
        return Response({"count": len(data), "num_pages": 1, "data": data})

    def _values(self, request: Request) -> list[str]:
        value = request.query_params.get("indicator_value")
        if value:
            return [value]
        ids = request.query_params.get("indicator_ids", "")
        try:
            pks = [int(p) for p in ids.split(",") if p.strip()]
        except ValueError:
            raise ValidationError({"indicator_ids": ["must be indicator ids separated by commas"]}) from None
        if not pks or any(not 0 < pk < 2**63 for pk in pks):
            raise ValidationError({"indicator_value": ["give indicator_value or indicator_ids"]})
        return list(Indicator.objects.filter(pk__in=pks[:100]).values_list("value", flat=True))


class WorkbookTaskSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """`status` is SOAR's number (0 incomplete, 1 complete, 2 in progress)."""

    class Meta:
        model = ContainerTask
        fields = ["id", "name", "status", "owner"]
        read_only_fields = ["id", "name"]

    def to_representation(self, instance: ContainerTask) -> dict[str, Any]:
        return task_dict(instance)

    def validate_status(self, value: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool) and value in TASK_STATUS_NAMES:
            return TASK_STATUS_NAMES[value]
        if isinstance(value, str) and value in TASK_STATUS_CODES:
            return value
        raise serializers.ValidationError("must be 0 (incomplete), 1 (complete) or 2 (in progress)")

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and "status" in data:
            # Run status validation before ModelSerializer's CharField coerces ints to text.
            try:
                data = {**data, "status": self.validate_status(data["status"])}
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"status": exc.detail}) from None
        return super().to_internal_value(data)

    def update(self, instance: ContainerTask, validated: dict[str, Any]) -> ContainerTask:
        now = timezone.now()
        status = validated.get("status")
        if status == "in_progress" and instance.start_time is None:
            validated["start_time"] = now
        if status == "complete":
            validated["end_time"] = now
        validated["update_time"] = now
        return super().update(instance, validated)


class WorkbookTaskResource(SoarResource):
    model = ContainerTask
    serializer = WorkbookTaskSerializer
    write_role = "analyst"
    spec = QuerySpec(fields={"id": "id", "name": "name", "container": "container_id", "phase": "phase_id",
                             "order": "order"}, sortable=frozenset({"order"}), default_sort="order",
                     default_order="asc")

    error_answers = {"create": {405: "tasks come from workbook templates"}}

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        return {"failed": True, "message": "tasks come from workbook templates (phantom.add_workbook)"}, 405

    def delete(self, request: Request, obj: Any) -> None:
        raise ValidationError({"task": ["workbook tasks are not deleted one by one"]})


class PinSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """SOAR's container_pin: `{"container_id", "message", "data", "pin_type", "pin_style"}`
    (`container` also names it); `playbook_id` ties it to a playbook's pins."""

    container = serializers.PrimaryKeyRelatedField(queryset=Container.objects.all(), required=False)
    container_id = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    author = serializers.SerializerMethodField()
    playbook = serializers.SerializerMethodField()

    class Meta:
        model = Pin
        fields = ["id", "container", "container_id", "message", "data", "pin_type", "pin_style", "name",
                  "playbook_run", "playbook", "author", "create_time", "modified_time"]
        read_only_fields = ["id", "playbook_run", "create_time", "modified_time"]

    def get_author(self, obj: Pin) -> str | None:
        return obj.author.get_username() if obj.author_id and obj.author else None

    def get_playbook(self, obj: Pin) -> int | None:
        run = obj.playbook_run
        return run.playbook_id if run is not None else None

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            known = set(self.fields) | {"playbook_id", "trace"}
            unknown = sorted(k for k in data if k not in known)
            if unknown:
                raise serializers.ValidationError({k: ["unknown field"] for k in unknown[:20]})
            if isinstance(data.get("data"), (dict, list)):
                import json

                data = {**data, "data": json.dumps(data["data"])}
        return super().to_internal_value(data)

    def validate_pin_type(self, value: str) -> str:
        if value not in PIN_TYPES:
            raise serializers.ValidationError(f"must be one of {', '.join(PIN_TYPES)}")
        return value

    def validate_pin_style(self, value: str) -> str:
        if value not in PIN_STYLES:
            raise serializers.ValidationError(f"must be one of {', '.join(p for p in PIN_STYLES if p)}")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        stays_on_container(attrs, self.instance, "pin")
        if self.instance is not None:
            attrs["modified_time"] = timezone.now()
        return attrs


class PinResource(SoarResource):
    model = Pin
    serializer = PinSerializer
    write_role = "analyst"
    spec = QuerySpec(fields={"id": "id", "container": "container_id", "container_id": "container_id",
                             "name": "name", "pin_type": "pin_type", "pin_style": "pin_style",
                             "message": "message", "create_time": "create_time"},
                     sortable=frozenset({"id", "create_time"}))

    def queryset(self, request: Request) -> Any:
        return Pin.objects.select_related("author", "playbook_run")

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        ser = self.serializer(data=data)
        ser.is_valid(raise_exception=True)
        pin = ser.save(author=request.user)
        return {"success": True, "id": pin.pk}, 200


class CefMetadataView(APIView):
    """`GET /rest/cef_metadata`: the CEF fields this installation knows and their contains
    types (SOAR's defaults plus those artifacts have been stored with)."""

    @extend_schema(responses=answer(shape(cef={"type": "object"}, all_contains=ARRAY)))
    def get(self, request: Request) -> Response:
        from engine.custom_functions._support import DEFAULT_CEF_TYPES
        from engine.rest.casework_settings import custom_cef_types

        cef: dict[str, dict[str, Any]] = {k: {"contains": list(v)} for k, v in DEFAULT_CEF_TYPES.items()}
        for key, contains in custom_cef_types().items():
            cef[key] = {"contains": list(dict.fromkeys([*cef.get(key, {}).get("contains", []), *contains]))}
        seen = Artifact.objects.exclude(cef_types={}).values_list("cef_types", flat=True)[:2000]
        for types in seen:
            for key, contains in (types or {}).items():
                entry = cef.setdefault(str(key), {"contains": []})
                entry["contains"] = list(dict.fromkeys([*entry["contains"], *(contains or [])]))
        all_contains = sorted({c for entry in cef.values() for c in entry["contains"]})
        return Response({"cef": dict(sorted(cef.items())), "all_contains": all_contains})


urlpatterns = [
    *resource_urls("indicator", IndicatorResource()),
    *resource_urls("workbook_task", WorkbookTaskResource()),
    *resource_urls("container_pin", PinResource()),
    path("cef_metadata", CefMetadataView.as_view(), name="rest-cef-metadata"),
    path("indicator_by_value", IndicatorByValueView.as_view(), name="rest-indicator-by-value"),
    path("indicator_common_container", IndicatorCommonContainerView.as_view(), name="rest-indicator-common-container"),
]
