"""The configurable lists of case work: `container_status`, `severity`, `custom_field`
(container custom field definitions) and `cef` (CEF fields and their contains types).

Reading needs any role; changing them is an administrator's (SOAR's "Administration").
A status or severity containers use is not deleted; a rename carries them along.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework import exceptions, serializers
from rest_framework.request import Request

from engine.models import Artifact, CefField, Container, ContainerStatus, CustomField, Severity
from engine.models.casework import CUSTOM_FIELD_TYPES, STATUS_TYPES, ensure_defaults
from engine.rest._common import fields
from soar.rest.query import QuerySpec
from soar.rest.resource import SoarResource, StrictModelSerializer, resource_urls


class InUse(exceptions.APIException):
    status_code = 409
    default_detail = "it is in use"


def _name(value: Any, field: str = "name", limit: int = 64) -> str:
    if not isinstance(value, str) or not value.strip():
        raise serializers.ValidationError(f"{field} must be a non-empty string")
    if len(value) > limit:
        raise serializers.ValidationError(f"{field}: at most {limit} characters")
    return value.strip()


class _Seeded(SoarResource):
    """A list with SOAR's built-in rows, made on first read."""

    write_role = "admin"

    def queryset(self, request: Request) -> Any:
        ensure_defaults()
        return self.model._default_manager.all()


class StatusSerializer(StrictModelSerializer):
    class Meta:
        model = ContainerStatus
        fields = ["id", "name", "status_type", "is_default", "disabled", "create_time"]
        read_only_fields = ["id", "create_time"]

    def validate_name(self, value: Any) -> str:
        return _name(value)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and data.get("status_type") in ("inprogress", "in_progress"):
            data = {**data, "status_type": "in progress"}  # SOAR's spellings of it
        return super().to_internal_value(data)

    def validate_status_type(self, value: str) -> str:
        if value not in STATUS_TYPES:
            raise serializers.ValidationError(f"must be one of {', '.join(STATUS_TYPES)}")
        return value


class SeveritySerializer(StrictModelSerializer):
    class Meta:
        model = Severity
        fields = ["id", "name", "color", "is_default", "disabled", "order", "create_time"]
        read_only_fields = ["id", "create_time"]

    def validate_name(self, value: Any) -> str:
        return _name(value)

    def validate_color(self, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{1,32}|#[0-9A-Fa-f]{3,8}", value or "white"):
            raise serializers.ValidationError("must be a colour name or #rrggbb")
        return value


class _ContainerChoice(_Seeded):
    """Statuses and severities: containers (and artifacts, for severities) name them."""

    column = ""

    def _users(self, name: str) -> Any:
        return Container.objects.filter(**{self.column: name})

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        ensure_defaults()
        ser = self.serializer(data=data)
        ser.is_valid(raise_exception=True)
        obj = ser.save()
        self._one_default(obj)
        return {"success": True, "id": obj.pk}, 200

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        before = obj.name
        ser = self.serializer(obj, data=data, partial=True)
        ser.is_valid(raise_exception=True)
        if ser.validated_data.get("disabled") and obj.is_default and ser.validated_data.get("is_default", True):
            raise serializers.ValidationError({"disabled": ["the default cannot be disabled; make another "
                                                            "the default first"]})
        obj = ser.save()
        if obj.name != before:
            self._users(before).update(**{self.column: obj.name})
            self._rename_more(before, obj.name)
        self._one_default(obj)
        return {"success": True, "id": obj.pk}

    def _rename_more(self, before: str, after: str) -> None:
        pass

    def _one_default(self, obj: Any) -> None:
        if obj.is_default:
            self.model._default_manager.exclude(pk=obj.pk).update(is_default=False)

    def delete(self, request: Request, obj: Any) -> None:
        if obj.is_default:
            raise InUse(f"{self.name} {obj.name!r} is the default; make another the default first")
        used = self._users(obj.name).count()
        if used:
            raise InUse(f"cannot delete {self.name} {obj.name!r}: {used} container(s) have it; change them first")
        obj.delete()


class StatusResource(_ContainerChoice):
    model = ContainerStatus
    serializer = StatusSerializer
    column = "status"
    spec = QuerySpec(fields=fields("id", "name", "status_type", "is_default", "disabled"),
                     sortable=frozenset({"id", "name"}), default_sort="id", default_order="asc")


class SeverityResource(_ContainerChoice):
    model = Severity
    serializer = SeveritySerializer
    column = "severity"
    spec = QuerySpec(fields=fields("id", "name", "color", "is_default", "disabled", "order"),
                     sortable=frozenset({"id", "name", "order"}), default_sort="order", default_order="asc")

    def _rename_more(self, before: str, after: str) -> None:
        Artifact.objects.filter(severity=before).update(severity=after)

    def _users(self, name: str) -> Any:
        return Container.objects.filter(severity=name)


class CustomFieldSerializer(StrictModelSerializer):
    """A container custom field: `name`, `type` text or select (with `values`), `required`."""

    type = serializers.CharField(source="field_type", required=False)

    class Meta:
        model = CustomField
        fields = ["id", "name", "type", "required", "values", "disabled", "order", "create_time"]
        read_only_fields = ["id", "create_time"]

    def validate_name(self, value: Any) -> str:
        return _name(value, limit=128)

    def validate_type(self, value: str) -> str:
        if value not in CUSTOM_FIELD_TYPES:
            raise serializers.ValidationError(f"must be one of {', '.join(CUSTOM_FIELD_TYPES)}")
        return value

    def validate_values(self, value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value) or len(value) > 500:
            raise serializers.ValidationError("must be a list of at most 500 non-empty strings")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs.get("field_type", getattr(self.instance, "field_type", "text"))
        values = attrs.get("values", getattr(self.instance, "values", []))
        if kind == "select" and not values:
            raise serializers.ValidationError({"values": ["a select field needs its values"]})
        return attrs


class CustomFieldResource(SoarResource):
    model = CustomField
    serializer = CustomFieldSerializer
    write_role = "admin"
    spec = QuerySpec(fields=fields("id", "name", "required", "disabled", "order", type="field_type"),
                     sortable=frozenset({"id", "name", "order"}), default_sort="order", default_order="asc")


class CefSerializer(StrictModelSerializer):
    """SOAR's cef: `{"name": "myDestination", "data_type": ["ip"]}`; `type` is default or custom."""

    class Meta:
        model = CefField
        fields = ["id", "name", "data_type", "type", "create_time"]
        read_only_fields = ["id", "type", "create_time"]

    def validate_name(self, value: Any) -> str:
        name = _name(value, limit=256)
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.\-]*", name):
            raise serializers.ValidationError("a CEF name is a word: letters, digits, _ . -")
        return name

    def validate_data_type(self, value: Any) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value) or len(value) > 50:
            raise serializers.ValidationError("must be a list of contains types (strings)")
        return list(dict.fromkeys(v.strip() for v in value))


class CefResource(_Seeded):
    model = CefField
    serializer = CefSerializer
    spec = QuerySpec(fields=fields("id", "name", "type"), sortable=frozenset({"id", "name"}), default_sort="id",
                     default_order="asc")

    def _custom(self, obj: Any) -> None:
        if obj.type != "custom":
            raise serializers.ValidationError({"type": [f"CEF field {obj.name!r} is one of SOAR's defaults: "
                                                        "only custom fields change"]})

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        ensure_defaults()
        ser = self.serializer(data=data)
        ser.is_valid(raise_exception=True)
        return {"success": True, "id": ser.save(type="custom").pk}, 200

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        self._custom(obj)
        return super().update(request, obj, data)

    def delete(self, request: Request, obj: Any) -> None:
        self._custom(obj)
        obj.delete()


class CefFilterSerializer(StrictModelSerializer):
    """SOAR's indicator_cef_filter: one per CEF field; only `apply_filter` changes."""

    cef_name = serializers.CharField(source="name", read_only=True)

    class Meta:
        model = CefField
        fields = ["id", "cef_name", "name", "data_type", "type", "apply_filter"]
        read_only_fields = ["id", "name", "data_type", "type"]


class CefFilterResource(_Seeded):
    model = CefField
    serializer = CefFilterSerializer
    spec = QuerySpec(fields=fields("id", "name", "type", "apply_filter", cef_name="name"),
                     sortable=frozenset({"id", "name"}), default_sort="id", default_order="asc")
    error_answers = {"create": {405: "filters come with CEF fields (POST /rest/cef)"},
                     "delete": {405: "filters go with their CEF field (DELETE /rest/cef/<id>)"}}

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        return {"failed": True, "message": "filters come with CEF fields (POST /rest/cef)"}, 405

    def delete(self, request: Request, obj: Any) -> None:
        raise exceptions.MethodNotAllowed("DELETE", detail="filters go with their CEF field (DELETE /rest/cef/<id>)")


def custom_cef_types() -> dict[str, list[str]]:
    """The CEF fields this installation defines (defaults and custom), name -> contains."""
    ensure_defaults()
    return {name: list(types or []) for name, types in CefField.objects.values_list("name", "data_type")}


urlpatterns = [
    *resource_urls("container_status", StatusResource()),
    *resource_urls("severity", SeverityResource()),
    *resource_urls("custom_field", CustomFieldResource()),
    *resource_urls("cef", CefResource()),
    *resource_urls("indicator_cef_filter", CefFilterResource()),
]
