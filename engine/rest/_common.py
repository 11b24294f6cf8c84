"""Small helpers the REST families share."""
from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError

TIMES = ("create_time", "start_time", "end_time")


def fields(*names: str, **paths: str) -> dict[str, str]:
    """A QuerySpec's field map: filterable names, and names that reach a path (`owner="owner__username"`)."""
    return {**{n: n for n in names}, **paths}


def boolean(data: dict[str, Any], key: str, default: bool = False) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ValidationError({key: ["must be true or false"]})
    return value


def stays_on_container(attrs: dict[str, Any], instance: Any, noun: str) -> dict[str, Any]:
    """A serializer's `validate` for rows that belong to a container: SOAR names it by
    `container_id` (or `container`); it is required on create, and a row stays on its container."""
    from rest_framework import serializers

    from engine.models import Container

    pk = attrs.pop("container_id", None)
    if pk is not None:
        container = Container.objects.filter(pk=pk).first()
        if container is None:
            raise serializers.ValidationError({"container_id": [f"no container with id {pk}"]})
        attrs["container"] = container
    if instance is None and "container" not in attrs:
        raise serializers.ValidationError({"container_id": ["this field is required"]})
    if instance is not None and attrs.get("container", instance.container) != instance.container:
        raise serializers.ValidationError({"container_id": [f"a {noun} stays on its container"]})
    return attrs
