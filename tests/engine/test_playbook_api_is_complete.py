"""Every function SOAR's Python Playbook API documents is in `phantom.rules`, and none of
them answers "not implemented".

The names come from the tables of the API research note (../shared/docs/phantom-api.md:
§2.0 index, §2.4 container operations, §2.5 lists, §7 the functions to implement first)
when it is there, and always from the committed list below, so the test also runs without
../shared and fails if either names a function we lack.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.models import Container, Note, PlaybookRun
from tests.engine.conftest import python_playbook

Run = Callable[..., PlaybookRun]

DOC = Path(__file__).resolve().parents[3] / "shared" / "docs" / "phantom-api.md"

DOCUMENTED = """
    act actions_done add_artifact add_comment add_list add_note add_tags add_workbook address_in_network
    artifact_values attacker_ips build_phantom_rest_url check_list clear_object close collect collect2
    collect_from_contains comment completed concatenate condition create_container custom_function
    datastore_add datastore_get datastore_present datastore_set debug decision deescalate delete_from_list
    delete_pin discontinue error format get_action_results get_artifacts get_assets get_base_url get_container
    get_current_container_id_ get_data get_effective_user get_format_data get_list get_notes get_object
    get_phase get_playbook_info get_raw_data get_rest_base_url get_run_data get_successful_action_results_v2
    get_summary get_tasks get_vault_file get_vault_item_info is_ip LoopState merge parse_errors parse_success
    pin playbook playbook_block promote prompt prompt2 remove_list remove_tags requests save_data save_object
    save_playbook_output_data save_run_data set_action_limit set_label set_list set_owner set_phase
    set_sensitivity set_severity set_status task update update_pin valid_ip valid_net vault_add
    vault_delete vault_info victim_ips
""".split()

# `Vault.*` in the tables: the methods §2.6 lists.
VAULT_METHODS = ("add_attachment", "create_attachment", "get_file_info", "get_file_path", "get_vault_tmp_dir")
TOKEN = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*)(\.\*|\*)?")


def _sections(text: str) -> dict[str, list[str]]:
    """Table rows (lists of cells) by the number of the heading they sit under ("2.0", "7")."""
    out: dict[str, list[str]] = {}
    number = ""
    for line in text.splitlines():
        heading = re.match(r"^#{2,3} (\d+(?:\.\d+)?)\b", line)
        if heading:
            number = heading.group(1)
        elif line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line):
            out.setdefault(number, []).append(line)
    return out


def documented_in_the_note(text: str) -> tuple[set[str], set[str]]:
    """(function names, name prefixes such as "datastore_") the note's tables list."""
    names: set[str] = set()
    prefixes: set[str] = set()

    def take(cell: str, first_only: bool) -> None:
        for match in TOKEN.finditer(cell):
            name, star = match.groups()
            if star == "*":
                prefixes.add(name)
            elif star == ".*":
                names.add(f"{name}.*")
            else:
                names.add(name)
            if first_only:
                return

    sections = _sections(text)
    for row in sections.get("2.0", [])[1:]:
        for cell in row.strip("|").split("|")[1:]:
            take(cell, first_only=False)
    for number in ("2.4", "2.5"):
        for row in sections.get(number, [])[1:]:
            take(row.strip("|").split("|")[0], first_only=False)
    for row in sections.get("7", [])[1:]:
        take(row.strip("|").split("|")[1], first_only=True)
    return names, prefixes


def all_documented() -> tuple[list[str], set[str]]:
    names, prefixes = set(DOCUMENTED), set()
    if DOC.is_file():
        found, prefixes = documented_in_the_note(DOC.read_text(encoding="utf-8"))
        names |= found
    return sorted(names), prefixes


def test_the_note_is_parsed_into_the_functions_its_tables_list() -> None:
    if not DOC.is_file():
        pytest.skip("../shared/docs/phantom-api.md is not here: the committed list is checked alone")
    names, prefixes = documented_in_the_note(DOC.read_text(encoding="utf-8"))
    assert {"promote", "get_playbook_info", "set_list", "get_notes", "vault_delete", "Vault.*"} <= names
    assert prefixes == {"datastore_"}
    assert names - {"Vault.*"} <= set(DOCUMENTED), "the committed list misses names the note's tables give"


def test_every_documented_function_is_exported_by_phantom_rules() -> None:
    import engine.runtime.phantom.rules as rules
    import engine.runtime.phantom.vault as vault

    names, prefixes = all_documented()
    missing = []
    for name in names:
        if name.endswith(".*"):
            cls = getattr(vault, name[:-2], None)
            missing += [f"{name[:-2]}.{m}" for m in VAULT_METHODS if not callable(getattr(cls, m, None))]
        elif name not in vars(rules) or name not in rules.__all__:
            missing.append(name)
        elif name != "requests" and not callable(vars(rules)[name]):
            missing.append(name)
    for prefix in prefixes:
        if not any(n.startswith(prefix) for n in rules.__all__):
            missing.append(prefix + "*")
    assert not missing, f"phantom.rules lacks: {', '.join(missing)}"
    assert callable(rules.requests.get) and callable(rules.requests.post)


def test_no_documented_function_answers_not_implemented(container: Container, run_to_end: Run) -> None:
    names = [n for n in all_documented()[0] if not n.endswith(".*") and n not in ("requests", "LoopState")]
    # Called without arguments inside a run: a bad-argument error is fine, "not implemented"
    # (or a missing name) is not. discontinue goes last: it stops what follows.
    names = [n for n in names if n != "discontinue"] + ["discontinue"]
    pb = python_playbook("api_probe", f"""
        import json
        import phantom.rules as phantom

        NAMES = {json.dumps(names)}

        def on_start(container):
            outcome = {{}}
            for name in NAMES:
                try:
                    result = getattr(phantom, name)()
                    outcome[name] = "ok"
                except NotImplementedError as exc:
                    outcome[name] = "not implemented: " + str(exc)
                except Exception as exc:
                    outcome[name] = type(exc).__name__
            phantom.add_note(container=container, title="probe", content=json.dumps(outcome))

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "success", run.message
    outcome = json.loads(Note.objects.get(container=container, title="probe").content)
    assert set(outcome) == set(names)
    bad = {name: what for name, what in outcome.items() if what.startswith("not implemented")}
    assert not bad, bad


def test_every_exported_function_has_a_docstring() -> None:
    import engine.runtime.phantom.rules as rules

    bare = [name for name in rules.__all__
            if name != "requests" and not (getattr(vars(rules)[name], "__doc__", None) or "").strip()]
    assert not bare, f"phantom.rules functions without a docstring: {', '.join(bare)}"
    for name in ("promote", "merge", "get_notes", "create_container", "set_list", "vault_delete", "add_workbook"):
        assert "return" in (vars(rules)[name].__doc__ or "").lower(), f"phantom.{name}'s docstring does not say what it returns"


def test_an_unknown_name_still_fails_clearly() -> None:
    import engine.runtime.phantom.rules as rules

    with pytest.raises(NotImplementedError, match="phantom.render_template"):
        rules.render_template()  # §2.9: a name assumed to exist that SOAR does not have
