"""The real community playbooks run end to end on simulated apps (../shared/corpus)."""
from __future__ import annotations

import time
from typing import Any

import pytest

from editor.files import import_paths
from editor.models import Playbook
from engine.execution.runs import RunError, start_run
from engine.execution.worker import drain
from engine.models import App, Asset, PlaybookRun, RunStep
from tests.engine import corpus_harness as h
from tests.engine.conftest import ended

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.corpus,
              pytest.mark.skipif(not h.MODERN.is_dir(), reason="../shared/corpus is not here")]
TARGET = 0.95


def _catalogue() -> None:
    from engine.apps.catalogue import load_apps
    from engine.catalogue import sync_app

    for appdef in load_apps(h.APPS):
        sync_app(appdef)
    try:
        from engine.custom_functions import sync_builtin_custom_functions  # type: ignore[import-not-found]
    except ImportError:
        return
    sync_builtin_custom_functions()


def _assets(doc: dict[str, Any]) -> None:
    for name, appid, app_name in h.asset_names(doc):
        if Asset.objects.filter(name=name).exists():
            continue
        app = App.objects.filter(appid=appid).first() or App.objects.filter(name__iexact=app_name).order_by("-builtin").first()
        if app is not None:
            Asset.objects.create(name=name, app=app)


def run_one(name: str) -> tuple[str, str]:
    text, doc = h.load(name)
    _assets(doc)
    container = h.container_for(name, text)
    playbook = Playbook.objects.get(name=name)
    inputs = h.inputs_for(doc) if playbook.playbook_type == "data" else {}
    try:
        run = start_run(playbook, container, scope="all", inputs=inputs)
    except RunError as exc:
        return "not started", str(exc)
    deadline = time.monotonic() + 60
    drain(until=lambda: ended(run.pk) or time.monotonic() > deadline)
    run.refresh_from_db()
    if run.status != "success":
        return run.status, f"{run.failed_block}: {run.message}"[:300]
    waiting = RunStep.objects.filter(run=run, status__in=("pending", "running", "waiting")).count()
    return ("success", "") if not waiting else ("incomplete", f"{waiting} steps outstanding")


def test_at_least_95_percent_of_the_corpus_runs_to_success() -> None:
    _catalogue()
    outcomes = import_paths([str(h.MODERN)])
    assert all(o.status != "failed" for o in outcomes), [o.line() for o in outcomes if o.status == "failed"]
    results = {name: run_one(name) for name in sorted(p.stem for p in h.MODERN.glob("*.json"))}
    good = [n for n, (status, _) in results.items() if status == "success"]
    print(f"\ncorpus runs {len(good)}/{len(results)} succeeded")
    for name, (status, reason) in sorted(results.items()):
        if status != "success":
            print(f"  {status:12} {name}: {reason}")
    assert PlaybookRun.objects.count() >= len(results)
    assert len(good) >= TARGET * len(results), f"{len(good)}/{len(results)} succeeded"
