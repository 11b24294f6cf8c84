"""Block naming rules (soar-format.md §2.12) and generated-identifier checks."""

from __future__ import annotations

import hashlib
import json

from pbkit import simple

from editor.graph.naming import default_function_name, function_name_problem, identifier_problem, python_name
from editor.soarfile import load_playbook, stamp_hash


def test_python_names_follow_soar_lower_case_and_underscore_rule() -> None:
    assert python_name("playbook_Mission_Control_Attribute_Lookup_1") == "playbook_mission_control_attribute_lookup_1"
    assert python_name("my-block name") == "my_block_name"


def test_unicode_look_alikes_do_not_survive_normalisation() -> None:
    assert python_name("l\u043eokup") == "l_okup"


def test_new_blocks_get_soar_default_names() -> None:
    assert default_function_name("urlscanio  summary filter", 0, "filter", 3) == "urlscanio_summary_filter"
    assert default_function_name("close task", 1, "action", 1) == "close_task_1"
    assert default_function_name("", -1, "geolocate ip", 2) == "geolocate_ip_2"


def test_identifiers_must_be_ascii_non_keyword_non_dunder() -> None:
    assert identifier_problem("ok_name") is None
    assert identifier_problem("class") and identifier_problem("__x__") and identifier_problem("a-b")
    assert function_name_problem("phantom") and function_name_problem("json")
    assert identifier_problem("json") is None  # fine as an output variable (it gets a prefix)


def test_stamping_the_hash_records_the_sha1_of_the_module() -> None:
    pb = load_playbook(json.dumps(simple()))
    stamp_hash(pb, "print(1)\n")
    assert pb.to_json()["coa"]["data"]["hash"] == hashlib.sha1(b"print(1)\n").hexdigest()
