"""Data that outlives a run: `save_data`/`get_data`, `save_object`/`get_object`/
`clear_object`, the classic `datastore_*` lists, plus `get_raw_data` and the network
helpers classic playbooks call (`is_ip`, `valid_ip`, `valid_net`, `address_in_network`: in _pure.py)."""
from __future__ import annotations

import json
import uuid
from typing import Any

from engine.models import StoredValue
from engine.runtime.context import current
from engine.runtime.phantom._container import _container

MAX_VALUE_BYTES = 5 * 1024 * 1024


def _checked(api: str, value: Any) -> Any:
    try:
        text = json.dumps(value, default=str)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"phantom.{api}: the value is not JSON-serialisable ({exc})") from None
    if len(text) > MAX_VALUE_BYTES:
        raise ValueError(f"phantom.{api}: the value is larger than {MAX_VALUE_BYTES} bytes")
    return json.loads(text)


def save_data(value: Any = None, key: Any = None, **kwargs: Any) -> str:
    """Store `value` under `key` (a new key when None) for later runs; returns the key."""
    current("save_data")
    name = str(key) if key not in (None, "") else uuid.uuid4().hex
    StoredValue.objects.update_or_create(namespace="data", key=name, container=None, playbook_name="",
                                         defaults={"value": _checked("save_data", value)})
    return name


def get_data(key: Any = None, clear_data: bool = False, **kwargs: Any) -> Any:
    """The value saved under `key` (None when there is none); `clear_data` removes it."""
    current("get_data")
    row = StoredValue.objects.filter(namespace="data", key=str(key), container=None).order_by("-id").first()
    if row is None:
        return None
    if clear_data:
        row.delete()
    return row.value


def _object_scope(container_id: Any, playbook_name: Any) -> dict[str, Any]:
    scope: dict[str, Any] = {"namespace": "object"}
    scope["container_id"] = int(container_id) if container_id not in (None, "") else None
    scope["playbook_name"] = str(playbook_name or "")
    return scope


def save_object(key: Any = None, value: Any = None, auto_delete: bool = False, container_id: Any = None,
                playbook_name: Any = None, **kwargs: Any) -> None:
    """Store a dict under `key`, scoped by container and playbook when given."""
    current("save_object")
    if not isinstance(value, dict):
        raise ValueError("phantom.save_object: value must be a dict")
    scope = _object_scope(container_id, playbook_name)
    StoredValue.objects.update_or_create(key=str(key), **scope, defaults={
        "value": _checked("save_object", value), "auto_delete": bool(auto_delete)})


def get_object(key: Any = None, container_id: Any = None, playbook_name: Any = None, **kwargs: Any) -> list[dict[str, Any]]:
    """Records saved under `key` in that scope, each `{"key", "value", "container_id", ...}`."""
    current("get_object")
    rows = StoredValue.objects.filter(key=str(key), **_object_scope(container_id, playbook_name))
    return [{"key": r.key, "value": r.value, "container_id": r.container_id, "playbook_name": r.playbook_name,
             "auto_delete": r.auto_delete} for r in rows]


def clear_object(key: Any = None, container_id: Any = None, playbook_name: Any = None, **kwargs: Any) -> None:
    """Delete the records saved under `key` in that scope. Returns None."""
    current("clear_object")
    StoredValue.objects.filter(key=str(key), **_object_scope(container_id, playbook_name)).delete()


# The Python-2-era datastore (WannaCry playbooks): named lists of values.
def datastore_get(name: Any = None, **kwargs: Any) -> list[Any]:
    """The values of the named datastore list ([] when it does not exist)."""
    current("datastore_get")
    row = StoredValue.objects.filter(namespace="datastore", key=str(name)).first()
    return list(row.value or []) if row is not None else []


def datastore_set(name: Any = None, values: Any = None, **kwargs: Any) -> bool:
    """Replace the named datastore list with `values` (one value or a list). Returns True."""
    current("datastore_set")
    items = list(values) if isinstance(values, (list, tuple, set)) else [values]
    StoredValue.objects.update_or_create(namespace="datastore", key=str(name), container=None, playbook_name="",
                                         defaults={"value": _checked("datastore_set", items)})
    return True


def datastore_add(name: Any = None, value: Any = None, **kwargs: Any) -> bool:
    """Append the values not in the named datastore list yet. Returns True."""
    items = datastore_get(name)
    added = list(value) if isinstance(value, (list, tuple, set)) else [value]
    return datastore_set(name, items + [v for v in added if v not in items])


def datastore_present(name: Any = None, value: Any = None, **kwargs: Any) -> bool:
    """Whether `value` is in the named datastore list."""
    return value in datastore_get(name)


def get_raw_data(container: Any = None, **kwargs: Any) -> Any:
    """The container's raw `data` field."""
    return _container("get_raw_data", container).data
