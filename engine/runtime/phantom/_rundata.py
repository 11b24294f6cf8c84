"""Run data: the only state that survives between callbacks of a run."""
from __future__ import annotations

from typing import Any

from django.db import transaction

from engine import redaction
from engine.execution import api as execution
from engine.models import PlaybookRun
from engine.runtime.context import current
from engine.runtime.datasource import read_data, write_data


def save_run_data(value: Any = None, key: str | None = None, auto: bool = True, **kwargs: Any) -> None:
    """Store `value` (a string; generated code passes json.dumps output) under `key` for this run."""
    ctx = current("save_run_data")
    if not isinstance(key, str) or not key:
        raise ValueError("phantom.save_run_data: key must be a non-empty string")
    text = value if isinstance(value, str) else execution.dumps(value, default=str)
    write_data(ctx, key[:512], text)


def get_run_data(key: str | None = None, **kwargs: Any) -> str:
    """The string stored under `key`, or "" when nothing was stored (generated code
    tests the result for truth before json.loads)."""
    ctx = current("get_run_data")
    if not isinstance(key, str) or not key:
        raise ValueError("phantom.get_run_data: key must be a non-empty string")
    row = read_data(ctx, key[:512])
    return row if row is not None else ""


def save_playbook_output_data(output: Any = None, **kwargs: Any) -> None:
    """Publish an input playbook's outputs (a dict of output name -> value(s))."""
    ctx = current("save_playbook_output_data")
    if not isinstance(output, dict):
        raise ValueError("phantom.save_playbook_output_data: output must be a dict")
    outputs = redaction.scrub(execution.loads(execution.dumps(output, default=str)))  # shown with the run
    with transaction.atomic():
        PlaybookRun.objects.filter(pk=ctx.run.pk).update(outputs=outputs)
    ctx.run.outputs = outputs
