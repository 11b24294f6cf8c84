"""Converted classic playbooks run end to end on the engine with simulated apps, the way
tests/engine/test_corpus_runs.py runs the modern corpus (same catalogue, assets,
containers and prompt answers: its helpers are reused here)."""
from __future__ import annotations

import json
from typing import Any

import pytest
from classickit import CLASSIC

from editor.files import import_paths
from editor.models import Playbook
from engine.execution.runs import RunError, start_run
from tests.engine import corpus_harness as h
from tests.engine import test_corpus_runs as corpus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.corpus,
              pytest.mark.skipif(not CLASSIC.is_dir(), reason="../shared/corpus is not here")]
TARGET = 0.90
_RESULTS: dict[str, tuple[str, str]] = {}


def run_converted(playbook: Playbook) -> tuple[str, str]:
    doc: dict[str, Any] = playbook.document()
    text = json.dumps(doc)
    corpus._assets(doc)
    run_container = h.container_for(playbook.name, text, label=(doc.get("labels") or ["events"])[0])
    try:
        run = start_run(playbook, run_container, scope="all")
    except RunError as exc:
        return "not started", str(exc)
    return corpus.drive(run, 30)


def converted_results() -> dict[str, tuple[str, str]]:
    """Import (so: convert) the whole classic corpus, then run each playbook once."""
    if _RESULTS:
        return _RESULTS
    corpus._catalogue()
    outcomes = import_paths([str(CLASSIC)])
    assert all(o.status != "failed" for o in outcomes), [o.line() for o in outcomes if o.status == "failed"]
    assert all(o.report is not None for o in outcomes)
    results = {p.name: run_converted(p) for p in Playbook.objects.order_by("name")}
    good = [n for n, (status, _) in results.items() if status == "success"]
    print(f"\nconverted classic runs {len(good)}/{len(results)} succeeded")
    for name, (status, reason) in sorted(results.items()):
        if status != "success":
            print(f"  {status:12} {name}: {reason}")
    _RESULTS.update(results)
    return _RESULTS


# Converted playbooks that fail for reasons outside the converter; any other failure is a
# regression. Classic custom code that depends on data or services the test does not have:
# custom lists and live firewall APIs, a vault CSV, SSH output, app results in shapes the
# simulator does not produce, a malformed `artifacts:*` datapath.
KNOWN_FAILURES = frozenset({
    "botnet_report_monitor", "customer_firewall_request_parse_csv", "macos_root_password_mitigate", "malware",
    "malware_hunt_and_contain", "pin_to_hud_sample", "rogue_wireless_access_point_remediate",
    "ssh_endpoint_investigate", "zscaler_patient_0_parse_email",
})


def test_every_converted_classic_playbook_outside_the_known_failures_runs_to_success() -> None:
    results = converted_results()
    assert len(results) == 98
    regressions = {n: r for n, r in results.items() if r[0] != "success" and n not in KNOWN_FAILURES}
    assert not regressions, regressions


# Measured 89/98 (90.8%) on 2026-11-24; the nine failures are listed above and none is a
# conversion error.
def test_at_least_90_percent_of_the_converted_classic_corpus_runs_to_success() -> None:
    results = converted_results()
    good = [n for n, (status, _) in results.items() if status == "success"]
    assert len(good) >= TARGET * len(results), f"{len(good)}/{len(results)} succeeded"
