"""Indicator lookups shared by the indicator_* custom functions and find_related_containers."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from engine.custom_functions._support import cef_items, cef_types_of
from engine.models import Artifact, Container, Indicator, Tag


def find_indicator(indicator: Any) -> Indicator:
    """The indicator an input names: an int is an id, text is a value (a numeric text is an
    id only when no indicator has it as its value). A value seen for the first time gets a row."""
    if indicator is None or indicator == "" or isinstance(indicator, (dict, list)):
        raise ValueError(f"not an indicator value or id: {indicator!r}")
    if isinstance(indicator, int) and not isinstance(indicator, bool):
        found = Indicator.objects.filter(pk=indicator).first()
        if found is None:
            raise ValueError(f"no indicator with id {indicator}")
        return found
    text = str(indicator).strip()
    if text.isdigit():
        from engine.models.workbooks import value_hash

        if not Indicator.objects.filter(value_hash=value_hash(text)).exists():
            found = Indicator.objects.filter(pk=int(text)).first()
            if found is not None:
                return found
    return Indicator.for_value(text)


def set_tags(indicator: Indicator, tags: list[str]) -> Indicator:
    indicator.tags = tags
    indicator.update_time = timezone.now()
    indicator.save(update_fields=["tags", "update_time"])
    Tag.register(tags)
    return indicator


def container_values(container: Container, artifact_ids: list[int] | None = None
                     ) -> list[tuple[Artifact, str, Any, list[str]]]:
    """(artifact, cef key, value, contains-types) for every CEF value in a container."""
    artifacts = Artifact.objects.filter(container=container).order_by("id")
    if artifact_ids is not None:
        artifacts = artifacts.filter(pk__in=artifact_ids)
    return [(a, key, value, cef_types_of(a, key)) for a in artifacts for key, value in cef_items(a.cef)]


def time_range_start(name: Any, now: datetime | None = None) -> tuple[datetime, datetime | None]:
    """(start, end) of SOAR's named indicator time ranges; end None means now."""
    now = now or timezone.now()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    week = today - timedelta(days=today.weekday())
    month = today.replace(day=1)
    key = str(name or "last_30_days").strip().lower()
    ranges: dict[str, tuple[datetime, datetime | None]] = {
        "today": (today, None),
        "yesterday": (today - timedelta(days=1), today),
        "this_week": (week, None),
        "this_month": (month, None),
        "last_7_days": (now - timedelta(days=7), None),
        "last_30_days": (now - timedelta(days=30), None),
        "last_week": (week - timedelta(days=7), week),
        "last_month": ((month - timedelta(days=1)).replace(day=1), month),
    }
    if key not in ranges:
        raise ValueError(f"indicator_timerange must be one of {', '.join(ranges)}, not {name!r}")
    return ranges[key]
