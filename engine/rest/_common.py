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
