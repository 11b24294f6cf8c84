"""The real community playbooks run end to end on simulated apps (../shared/corpus)."""
from __future__ import annotations

import os
import time
from typing import Any

import pytest
from django.utils import timezone

from editor.files import import_paths
from editor.models import Playbook
from engine.execution.prompts import answer_prompt
from engine.execution.runs import RunError, start_run
from engine.execution.worker import drain
from engine.models import App, Asset, PlaybookRun, RunStep
from tests.engine import corpus_harness as h
from tests.engine.conftest import ended
from tests.engine.timers import make_timers_due

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.corpus,
              pytest.mark.skipif(not h.MODERN.is_dir(), reason="../shared/corpus is not here")]
TARGET = 0.95


def _catalogue() -> None:
    from engine.apps.catalogue import load_apps
    from engine.catalogue import sync_app

    for appdef in load_apps(h.APPS):
        sync_app(appdef)
    try:
        from editor.builtins import sync_builtin_custom_functions
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


def _waiting_prompts(run: PlaybookRun) -> list[RunStep]:
    """Prompts of the run and of its child runs that wait for a person."""
    runs = [run.pk, *PlaybookRun.objects.filter(parent_run=run).values_list("pk", flat=True)]
    return list(RunStep.objects.filter(run_id__in=runs, kind="prompt", status="waiting").select_related("action_run"))


def _skip_ahead() -> int:
    """Let deferred work (logic-loop pauses, `start_time`) run now instead of minutes later;
    returns how many tasks it moved. Prompt timeouts are left alone: prompts get answered."""
    now = timezone.now()
    deferred = RunStep.objects.filter(status="pending", not_before__gt=now).exclude(kind="prompt_timeout")
    runs = set(deferred.values_list("run_id", flat=True))
    if not runs:
        return 0
    deferred.update(not_before=now)
    return make_timers_due(runs, now)


def _answer_prompts(run: PlaybookRun) -> int:
    """Answer each waiting prompt as an analyst would: the first choice, or a short text."""
    answered = 0
    for step in _waiting_prompts(run):
        questions = step.payload["parameter"].get("response_types") or [{}] * step.payload.get("questions", 1)
        responses = []
        for q in questions:
            choices = ((q or {}).get("options") or {}).get("choices") or []
            responses.append(choices[0] if choices else "yes")
        answer_prompt(step.action_run, None, responses)
        answered += 1
    return answered


def _outstanding(run: PlaybookRun) -> str:
    steps = RunStep.objects.filter(run=run, status__in=("pending", "running", "waiting"))
    parts = [f"{st.kind}:{st.name or st.function}:{st.status}" for st in steps]
    for child in PlaybookRun.objects.filter(parent_run=run):
        parts.append(f"child {child.playbook.name}={child.status} {child.failed_block}: {child.message}"[:160])
        if child.status == "running":
            parts.append(f"  [{_outstanding(child)}]")
    return "; ".join(parts)[:600]


def run_one(name: str) -> tuple[str, str]:
    text, doc = h.load(name)
    _assets(doc)
    container = h.container_for(name, text, threat_objects="risk_notable" in (doc.get("labels") or []))
    playbook = Playbook.objects.get(name=name)
    inputs = h.inputs_for(doc) if playbook.playbook_type == "data" else {}
    try:
        run = start_run(playbook, container, scope="all", inputs=inputs)
    except RunError as exc:
        return "not started", str(exc)
    return drive(run, 60)


def drive(run: PlaybookRun, seconds: float) -> tuple[str, str]:
    """Execute a started run here: answer its prompts, skip its pauses, give up after
    `seconds`; returns (status, why not success)."""
    deadline = time.monotonic() + seconds
    while not ended(run.pk) and time.monotonic() < deadline:
        drain(until=lambda: ended(run.pk) or _waiting_prompts(run) or time.monotonic() > deadline, idle_timeout=0.5)
        if not _answer_prompts(run) and not _skip_ahead():
            break
    run.refresh_from_db()
    if run.status == "running":
        return run.status, _outstanding(run)
    if run.status != "success":
        return run.status, f"{run.failed_block}: {run.message}"[:300]
    waiting = RunStep.objects.filter(run=run, status__in=("pending", "running", "waiting")).count()
    return ("success", "") if not waiting else ("incomplete", f"{waiting} steps outstanding")


_RESULTS: dict[str, tuple[str, str]] = {}

# Playbooks known to fail on simulated data (see below); any other failure is a regression.
KNOWN_DATA_FAILURES = frozenset({
    "AD_LDAP_Entity_Attribute_Lookup", "VirusTotal_v3_Identifier_Reputation_Analysis",
    "risk_notable_import_data", "risk_notable_protect_assets_and_users",
})


def corpus_results() -> dict[str, tuple[str, str]]:
    """Run every corpus playbook once per session (both tests read the outcome)."""
    if _RESULTS:
        return _RESULTS
    _catalogue()
    outcomes = import_paths([str(h.MODERN)])
    assert all(o.status != "failed" for o in outcomes), [o.line() for o in outcomes if o.status == "failed"]
    names = sorted(p.stem for p in h.MODERN.glob("*.json"))
    only = [n for n in os.environ.get("CORPUS_ONLY", "").split(",") if n]  # for debugging one playbook
    results = {name: run_one(name) for name in (only or names)}
    assert PlaybookRun.objects.count() >= len(results)
    good = [n for n, (status, _) in results.items() if status == "success"]
    print(f"\ncorpus runs {len(good)}/{len(results)} succeeded")
    for name, (status, reason) in sorted(results.items()):
        if status != "success":
            print(f"  {status:12} {name}: {reason}")
    assert not only, "CORPUS_ONLY is set: this run proves nothing about the corpus"
    _RESULTS.update(results)
    return _RESULTS


def test_every_corpus_playbook_outside_the_known_data_failures_runs_to_success() -> None:
    results = corpus_results()
    regressions = {n: r for n, r in results.items() if r[0] != "success" and n not in KNOWN_DATA_FAILURES}
    assert not regressions, regressions


# Measured 85/89 (95.5%) on 2026-11-24. The four others fail on simulated data, not on the
# engine: LDAP attribute names and a MITRE tactic table that depend on what the real service
# returns, VirusTotal vendor keys with dots but no `*` sibling in the app's outputs, and
# risk_notable_protect_assets_and_users, which needs response playbooks tagged
# "asset, containment, risk_notable" that the corpus does not contain.
def test_at_least_95_percent_of_the_corpus_runs_to_success() -> None:
    results = corpus_results()
    good = [n for n, (status, _) in results.items() if status == "success"]
    assert len(good) >= TARGET * len(results), f"{len(good)}/{len(results)} succeeded"
