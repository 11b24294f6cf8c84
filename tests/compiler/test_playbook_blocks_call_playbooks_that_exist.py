"""A ``playbook`` block naming a playbook that does not exist: a warning while editing
(the callee may be imported later), an error when activating."""

from __future__ import annotations

from typing import Any

from pbkit import edge, node, playbook

from editor.graph import ValidationError, parse_playbook, validate


def caller(name: str, repo: str = "local") -> dict[str, Any]:
    block = node("2", "playbook", "call_enrich", playbookName=name, playbookRepoName=repo, playbookRepo=2,
                 playbookType="automation", synchronous=False, inputs={})
    return playbook([block], [edge("0", "2"), edge("2", "1")])


def unknown(pb: dict[str, Any], **kw: Any) -> list[ValidationError]:
    return [e for e in validate(parse_playbook(pb), **kw) if e.kind == "unknown_playbook"]


def test_a_call_to_a_missing_playbook_is_a_warning_on_save() -> None:
    [e] = unknown(caller("enrich"), playbooks=["local/other"])
    assert (e.block_id, e.field, e.severity) == ("2", "data.playbookName", "warning")
    assert "local/enrich" in e.message and "block 2" in e.message


def test_a_call_to_a_missing_playbook_is_an_error_when_activating() -> None:
    [e] = unknown(caller("enrich"), playbooks=["local/other"], activating=True)
    assert (e.block_id, e.severity) == ("2", "error")


def test_a_call_to_an_existing_playbook_is_fine_by_repo_and_name_or_by_name_alone() -> None:
    assert unknown(caller("enrich"), playbooks=["local/enrich"], activating=True) == []
    # The engine falls back from "repo/name" to the bare name; so does the check.
    assert unknown(caller("enrich", repo="community"), playbooks=["local/enrich"], activating=True) == []


def test_without_the_known_playbooks_nothing_is_checked() -> None:
    assert unknown(caller("enrich")) == []
