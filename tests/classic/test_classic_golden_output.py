"""Golden files: the converted document and report of a handful of classic playbooks; a
change in the converter's output shows up as a reviewable diff.  Regenerate with
UPDATE_GOLDEN=1."""

from __future__ import annotations

import json
import os

import pytest
from classickit import GOLDEN

from editor import soarfile
from editor.classic import Conversion

CASES = [
    "greynoise_update_severity_from_ip_reputation",  # two decision branches into one block: a join
    "alert_deescalation_for_test_machines",  # one API block making two calls: a chain
    "activedirectory_reset_password",  # legacy function block, prompt, global code
    "phishing",  # several assets, legacy datapaths, whole-block custom code
    "02_10_2017 - ProtectWise",  # schema 2: container updates, no flags
]


@pytest.mark.corpus
@pytest.mark.parametrize("name", CASES)
def test_it_converts_each_golden_playbook_to_its_recorded_output(
    name: str, converted_corpus: dict[str, Conversion]
) -> None:
    conversion = converted_corpus[name]
    text = soarfile.dumps(conversion.playbook) + "\n"
    report = json.dumps(conversion.report.as_dict(), indent=2, sort_keys=True) + "\n"
    stem = name.replace(" ", "_")
    doc_file, report_file = GOLDEN / f"{stem}.json.txt", GOLDEN / f"{stem}.report.json.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        doc_file.write_text(text, encoding="utf-8")
        report_file.write_text(report, encoding="utf-8")
    assert doc_file.exists(), f"no golden file; run with UPDATE_GOLDEN=1 to create {doc_file}"
    assert text == doc_file.read_text(encoding="utf-8")
    assert report == report_file.read_text(encoding="utf-8")
