"""Opening a real SOAR playbook in the editor and saving it unchanged loses nothing.

Ten playbooks from the shared corpus (../shared/corpus/modern), picked for their different
shapes; skipped when the corpus is absent.
"""
from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.e2e.editor_helpers import CORPUS, open_editor, save, sign_in, store_playbook, stored_json

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.corpus]

SHAPES = {
    "ReversingLabs_TitaniumCloud_File_Reputation": "the smallest: start, one action, end",
    "AD_LDAP_Account_Locking": "an input playbook: filters, an action, a code block with custom code",
    "Automated_Enrichment": "child playbooks side by side and an API utility",
    "Splunk_Attack_Analyzer_Dynamic_Analysis": "21 blocks with loops",
    "Mission_Control_Attribute_Lookup": "Mission Control actions and custom functions",
    "internal_host_ssh_log4j_respond": "prompts feeding decisions",
    "G_Suite_for_Gmail_Search_and_Purge": "decisions, a prompt and child playbooks",
    "dispatch_input_playbooks": "decisions over custom code and custom functions",
    "Splunk_Automated_Email_Investigation": "joins of several playbook calls",
    "risk_notable_merge_events": "the largest: 34 blocks, seven decisions",
}


def first_difference(a: Any, b: Any, path: str = "$") -> str | None:
    """Where two JSON values first differ, for a readable failure."""
    if type(a) is not type(b):
        return f"{path}: {json.dumps(a)[:80]} != {json.dumps(b)[:80]}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}.{key}: only in the {'saved' if key in a else 'imported'} file"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {json.dumps(a)[:80]} != {json.dumps(b)[:80]}"


def test_ten_corpus_playbooks_opened_and_saved_unchanged_store_exactly_the_imported_json(
        module_live_server_url: str, page: Any, editor: User) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is absent ({CORPUS})")
    texts = {name: (CORPUS / f"{name}.json").read_text(encoding="utf-8") for name in SHAPES}
    ids = {name: store_playbook(name, text) for name, text in texts.items()}
    sign_in(page, module_live_server_url, "editor")
    differences = {}
    for name, pk in ids.items():
        open_editor(page, module_live_server_url, pk)
        assert page.evaluate("window.playbookEditor.isDirty()") is False, f"{name} is dirty right after opening"
        answer = save(page, pk)
        assert answer["version"] == 2, f"{name}: the save made no new version"
        found = first_difference(stored_json(pk), json.loads(texts[name]))
        if found:
            differences[name] = found
    assert differences == {}
