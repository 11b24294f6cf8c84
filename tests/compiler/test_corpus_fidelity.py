"""The main bar: for every modern playbook in the shared corpus, the compiled module has
the structural facts of SOAR's own generated .py (judged by shared/tools/pyfacts.py)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from editor.compiler import compile_playbook

# User code in the corpus has invalid escape sequences; they are SOAR's, not ours.
pytestmark = [pytest.mark.corpus, pytest.mark.filterwarnings("ignore::SyntaxWarning")]

# Mismatches whose cause is information that is not in the JSON at all (so no compiler
# can recover it from the graph): SOAR's .py was generated with data since lost.
NOT_DERIVABLE = {
    # the stored .py names asset "url-dev-test"; the JSON says reversinglabs_titaniumcloud_v2
    "ReversingLabs_TitaniumCloud_File_Reputation": "stale .py: asset differs from JSON",
    "ReversingLabs_TitaniumCloud_URL_Reputation": "stale .py: asset differs from JSON",
    # Column order inside one collect2 follows the app/CF/callee definition *as it was
    # when SOAR generated the .py*; JSON keys are sorted (soar-format.md §2.1, §3.8) and
    # the current CF/callee specs in the corpus give a different order.
    "Dynamic_Analysis_Dispatch": "collect2 column order (indicator_tag values) not in JSON",
    "Identifier_Reputation_Analysis_Dispatch": "collect2 column order (indicator_tag values) not in JSON",
    "intelligence_management_enrich_indicators": "collect2 column order (indicator_tag values) not in JSON",
    "url_investigate": "collect2 column order (indicator_tag values) not in JSON",
    "risk_notable_auto_investigate": "collect2 column order (workbook_task_update values) not in JSON",
    "risk_notable_preprocess": "collect2 column order (artifact_update/container_update values) not in JSON",
    "Mission_Control_Identifier_Reputation_Analysis": "collect2 column order (callee inputs) not in JSON",
    "MS_Graph_for_Office_365_Search_and_Restore": "collect2 column order (callee inputs) not in JSON",
    "log4j_respond": "collect2 column order (callee inputs) not in JSON",
}


def _pyfacts(shared: Path) -> ModuleType:
    tool = shared / "tools" / "pyfacts.py"
    if not tool.is_file():
        pytest.skip("shared/tools/pyfacts.py not available")
    spec = importlib.util.spec_from_file_location("pyfacts", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_reproduces_the_structure_of_soar_generated_code_for_the_whole_corpus(corpus: Path) -> None:
    pyfacts = _pyfacts(corpus.parent)
    files = sorted((corpus / "modern").glob("*.json"))
    mismatches: dict[str, object] = {}
    for path in files:
        expected = json.loads((corpus / "expected" / path.name).read_text())
        source = compile_playbook(json.loads(path.read_text())).source
        verdict = pyfacts.compare(expected, pyfacts.facts(source))
        if not verdict["match"]:
            mismatches[path.stem] = verdict["diff"]
    matched = len(files) - len(mismatches)
    print(f"pyfacts {matched}/{len(files)}")
    for name in sorted(mismatches):
        print(f"  mismatch {name}: {NOT_DERIVABLE.get(name, 'unexplained')}")
    unexplained = sorted(set(mismatches) - set(NOT_DERIVABLE))
    fixed = sorted(set(NOT_DERIVABLE) - set(mismatches))
    assert not fixed, f"now matching, remove from NOT_DERIVABLE: {fixed}"
    assert not unexplained, f"pyfacts {matched}/{len(files)}; unexplained mismatches: {unexplained}"
