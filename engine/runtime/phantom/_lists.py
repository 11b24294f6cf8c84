"""Custom lists (SOAR "decided lists"): named tables of rows."""
from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from engine.models import CustomList
from engine.runtime.context import current


def _rows(values: Any) -> list[list[Any]]:
    if values is None:
        return []
    if isinstance(values, list) and all(isinstance(v, list) for v in values):
        return values
    if isinstance(values, list):
        return [[v] for v in values]
    return [[values]]


def get_list(list_name: Any = None, values: Any = None, column_index: int = -1, trace: bool = False,
             **kwargs: Any) -> tuple[bool, str, list[list[Any]] | None]:
    """(success, message, rows) of a custom list."""
    current("get_list")
    found = CustomList.objects.filter(name=str(list_name)).first()
    if found is None:
        return False, f"no custom list named {list_name!r}", None
    return True, "success", found.content


def add_list(list_name: Any = None, values: Any = None, **kwargs: Any) -> tuple[bool, str]:
    """Append rows (or single values) to a custom list, creating it when missing."""
    ctx = current("add_list")
    with transaction.atomic():
        found, _ = CustomList.objects.select_for_update().get_or_create(name=str(list_name), defaults={"owner": ctx.run.owner})
        found.content = [*found.content, *_rows(values)]
        found.update_time = timezone.now()
        found.save()
    return True, "success"


def set_list(list_name: Any = None, values: Any = None, **kwargs: Any) -> tuple[bool, str]:
    """Replace a custom list's rows with `values` (rows, or single values as one-cell rows),
    creating the list when missing. Returns (success, message)."""
    ctx = current("set_list")
    if not isinstance(list_name, str) or not list_name.strip():
        raise ValueError("phantom.set_list: list_name must be a non-empty string")
    rows = [[None if cell is None else str(cell) for cell in row] for row in _rows(values)]
    with transaction.atomic():
        found, _ = CustomList.objects.select_for_update().get_or_create(name=list_name, defaults={"owner": ctx.run.owner})
        found.content = rows
        found.update_time = timezone.now()
        found.save()
    return True, f"{len(rows)} row(s) set"


def check_list(list_name: Any = None, value: Any = None, case_sensitive: bool = False, substring: bool = False,
               column_index: int = -1, **kwargs: Any) -> tuple[bool, str, int]:
    """(found, message, number of matching rows): is `value` in the list's cells?"""
    current("check_list")
    found = CustomList.objects.filter(name=str(list_name)).first()
    if found is None:
        return False, f"no custom list named {list_name!r}", 0
    needle = str(value) if case_sensitive else str(value).lower()

    def matches(cell: Any) -> bool:
        text = str(cell) if case_sensitive else str(cell).lower()
        return needle in text if substring else needle == text

    hits = 0
    for row in found.content:
        cells = row if column_index < 0 else row[column_index:column_index + 1]
        hits += any(matches(c) for c in cells if c is not None)
    return hits > 0, f"{hits} matching row(s)", hits


def remove_list(list_name: Any = None, empty_list: bool = False, **kwargs: Any) -> tuple[bool, str]:
    """Delete a custom list (or only empty it with empty_list=True)."""
    current("remove_list")
    found = CustomList.objects.filter(name=str(list_name)).first()
    if found is None:
        return False, f"no custom list named {list_name!r}"
    if empty_list:
        found.content = []
        found.save()
    else:
        found.delete()
    return True, "success"


def delete_from_list(list_name: Any = None, value: Any = None, column: int | None = None,
                     remove_all: bool = False, remove_row: bool = False, **kwargs: Any) -> tuple[bool, str]:
    """Remove rows containing `value` (the first one, or all with remove_all=True)."""
    current("delete_from_list")
    with transaction.atomic():
        found = CustomList.objects.select_for_update().filter(name=str(list_name)).first()
        if found is None:
            return False, f"no custom list named {list_name!r}"
        kept, removed = [], 0
        for row in found.content:
            cells = row if column is None else row[column:column + 1]
            if (remove_all or removed == 0) and value in cells:
                removed += 1
                continue
            kept.append(row)
        found.content = kept
        found.save()
    return removed > 0, f"{removed} row(s) removed"
