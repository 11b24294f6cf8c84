"""SOAR's custom lists (`/rest/decided_list`), by id or by name.

An update (POST to the list's URL) takes SOAR's row operations, applied in this order:
`content` (replace every row), `delete_rows` (row indices), `update_rows`
(`{"<row index>": [cells]}`), `append_rows` (rows); and `name` (rename).
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from engine import serializers as s
from engine.models import CustomList
from engine.rest._common import fields
from soar.rest.query import QuerySpec
from soar.rest.resource import ResourceDetailView, SoarResource, resource_urls
from soar.rest.schema import SoarAutoSchema

_ROW_OPS = ("append_rows", "update_rows", "delete_rows")


def _rows(value: Any, field: str) -> list[list[Any]]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise serializers.ValidationError({field: ["must be a list of rows, each a list of cells"]})
    return value


def _index(key: Any, size: int, field: str) -> int:
    try:
        index = int(key)
    except (TypeError, ValueError):
        raise serializers.ValidationError({field: [f"{key!r} is not a row index"]}) from None
    if isinstance(key, bool) or not 0 <= index < size:
        raise serializers.ValidationError({field: [f"no row {key!r}: the list has {size} rows"]})
    return index


def apply_row_operations(content: list[list[Any]], data: dict[str, Any]) -> list[list[Any]]:
    """The list's rows after SOAR's `delete_rows`, `update_rows` and `append_rows`.

    Indices refer to the rows as they were before this request, so a client can delete
    and update by the indices it read."""
    rows = [list(r) if isinstance(r, list) else [r] for r in content]
    size = len(rows)
    if "update_rows" in data:
        updates = data["update_rows"]
        if not isinstance(updates, dict):
            raise serializers.ValidationError({"update_rows": ['must be an object {"<row index>": [cells]}']})
        for key, row in updates.items():
            if not isinstance(row, list):
                raise serializers.ValidationError({"update_rows": [f"row {key!r} must be a list of cells"]})
            rows[_index(key, size, "update_rows")] = row
    if "delete_rows" in data:
        doomed = data["delete_rows"]
        if not isinstance(doomed, list):
            raise serializers.ValidationError({"delete_rows": ["must be a list of row indices"]})
        gone = {_index(i, size, "delete_rows") for i in doomed}
        rows = [row for i, row in enumerate(rows) if i not in gone]
    if "append_rows" in data:
        rows += _rows(data["append_rows"], "append_rows")
    return rows


class CustomListResource(SoarResource):
    model = CustomList
    serializer = s.CustomListSerializer
    write_role = "analyst"
    spec = QuerySpec(fields=fields("id", "name", "create_time", "update_time", owner="owner__username"),
                     sortable=frozenset({"name", "id", "create_time", "update_time"}))

    def create(self, request: Request, data: Any) -> tuple[dict[str, Any], int]:
        ser = self.serializer(data=data)
        ser.is_valid(raise_exception=True)
        return {"success": True, "id": ser.save(owner=request.user).pk}, 200

    def update(self, request: Request, obj: Any, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["expected a JSON object"]})
        plain = {k: v for k, v in data.items() if k not in _ROW_OPS}
        ser = self.serializer(obj, data=plain, partial=True)
        ser.is_valid(raise_exception=True)
        content = ser.validated_data.get("content", obj.content)
        if any(op in data for op in _ROW_OPS):
            content = apply_row_operations(content, data)
        ser.save(content=content, update_time=timezone.now())
        return {"success": True, "id": obj.pk}


class _ByNameSchema(SoarAutoSchema):
    def get_operation_id(self) -> str:
        # /decided_list/{id} and /decided_list/{name} would share their operation ids.
        return f"{super().get_operation_id()}_by_name"


class ListByNameView(ResourceDetailView):
    """`/rest/decided_list/<name>`: the same list as by id, found by its name (GET, POST
    to update, DELETE)."""

    schema = _ByNameSchema()

    def get_object(self, request: Request, pk: Any) -> Any:
        return get_object_or_404(self.resource.visible(request), name=pk)

    def get(self, request: Request, name: str) -> Response:  # type: ignore[override]
        return super().get(request, name)  # type: ignore[arg-type]

    def post(self, request: Request, name: str) -> Response:  # type: ignore[override]
        return super().post(request, name)  # type: ignore[arg-type]

    patch = post  # type: ignore[assignment]

    def delete(self, request: Request, name: str) -> Response:  # type: ignore[override]
        return super().delete(request, name)  # type: ignore[arg-type]


_lists = CustomListResource()
_lists.name = "decided_list"
_by_name: type[ListByNameView] = type("CustomListByName", (ListByNameView,),
                                      {"resource": _lists, "serializer_class": s.CustomListSerializer})

urlpatterns = [
    *resource_urls("decided_list", _lists),
    path("decided_list/<str:name>", _by_name.as_view(), name="rest-decided_list-by-name"),
]
