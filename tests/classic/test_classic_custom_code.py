"""Classic custom code is carried into the modern playbook, never silently dropped."""

from __future__ import annotations

from classickit import action, cell, end, link, playbook, start

from editor.classic import convert_classic

CUSTOM = '''def Lookup_IP(action=None, success=None, container=None, results=None, handle=None, filtered_artifacts=None, filtered_results=None):
    phantom.debug('Lookup_IP() called')
    parameters = [{'ip': '10.0.0.1'}]
    phantom.act("geolocate ip", parameters=parameters, assets=['maxmind'], callback=Notify_Team, name="Lookup_IP")
    return'''


def _converted(custom: str = CUSTOM, code_block: str = ""):  # type: ignore[no-untyped-def]
    return convert_classic(playbook(
        start(), action("Lookup_IP", 1, custom_code=custom, has_custom_block=True, block_code="# read-only block view not available"),
        action("Notify_Team", 2, act="send email", assets=("smtp",), params={"to": "Lookup_IP:action_result.parameter.ip"}),
        end(), link("id-start", "Lookup_IP"), link("Lookup_IP", "Notify_Team"), code_block=code_block))


def test_it_carries_whole_block_custom_code_as_the_blocks_custom_function() -> None:
    conv = _converted()
    nodes = {n["data"]["functionName"]: n for n in conv.playbook["coa"]["data"]["nodes"].values()}
    custom = nodes["lookup_ip"]["customCode"]
    assert custom.startswith("def lookup_ip(")
    assert "callback=notify_team" in custom and 'name="lookup_ip"' in custom
    assert nodes["notify_team"]["data"]["parameters"]["to"] == "lookup_ip:action_result.parameter.ip"
    assert "def lookup_ip(" in (conv.source or "")
    block = conv.report.block("Lookup_IP")
    assert block is not None and any("customCode" in c for c in block.changes)
    assert conv.report.behaviour["same"]


def test_it_moves_helpers_next_to_a_custom_function_into_the_global_code() -> None:
    conv = _converted("import random\n\ndef helper():\n    return 1\n\n" + CUSTOM)
    data = conv.playbook["coa"]["data"]
    assert "import random" in data["globalCustomCode"] and "def helper():" in data["globalCustomCode"]
    assert "def helper" not in [n.get("customCode", "") for n in data["nodes"].values()][0]


def test_it_keeps_custom_code_that_is_not_python_3_as_comments_and_asks_for_review() -> None:
    conv = _converted('def Lookup_IP(action=None):\n    print "python 2"\n')
    node = next(n for n in conv.playbook["coa"]["data"]["nodes"].values() if n["data"]["functionName"] == "lookup_ip")
    assert "customCode" not in node
    assert '# ' in node["userCode"] and 'print "python 2"' in node["userCode"]
    block = conv.report.block("Lookup_IP")
    assert block is not None and block.status == "needs-review"
    assert conv.report.ok  # it still compiles


def test_it_carries_the_global_code_block_into_the_global_custom_code() -> None:
    conv = _converted(code_block="from random import randint\n")
    assert conv.playbook["coa"]["data"]["globalCustomCode"] == "from random import randint\n"
    assert "from random import randint" in (conv.source or "")


def test_it_keeps_a_custom_callback_in_the_note_and_asks_for_review() -> None:
    conv = convert_classic(playbook(start(), action("geo_1", 1, custom_callback="def geo_1_callback():\n    pass",
                                                    has_custom_callback=True), end(), link("id-start", "geo_1")))
    node = next(n for n in conv.playbook["coa"]["data"]["nodes"].values() if n["data"]["functionName"] == "geo_1")
    assert "def geo_1_callback" in node["data"]["advanced"]["note"]
    block = conv.report.block("geo_1")
    assert block is not None and block.status == "needs-review"


def test_it_flags_custom_code_that_calls_a_block_the_playbook_does_not_have() -> None:
    broken = CUSTOM.replace("callback=Notify_Team", "callback=gone_block")
    conv = _converted(broken)
    block = conv.report.block("Lookup_IP")
    assert block is not None and any("gone_block()" in r or "gone_block" in r for r in block.review) or \
        "gone_block" in (conv.source or "")


def test_it_carries_custom_function_block_user_code_into_its_region() -> None:
    conv = convert_classic(playbook(
        start(), cell("CustomFunctionBlock", "noop_1", 1, customFunction="community/noop", cfInputs={},
                      userGeneratedCode="\n    phantom.debug('before the call')\n"), end(), link("id-start", "noop_1")))
    node = next(n for n in conv.playbook["coa"]["data"]["nodes"].values() if n["data"]["functionName"] == "noop_1")
    assert node["userCode"] == "    phantom.debug('before the call')"
    assert "phantom.debug('before the call')" in (conv.source or "")


def test_python_2_names_in_custom_code_become_python_3_and_strings_are_left_alone() -> None:
    from editor.classic.customcode import py3_names

    code = "def f(x):\n    s = unicode(x)  # unicode here stays\n    for k, v in d.iteritems():\n        pass\n    return 'unicode'\n"
    new, found = py3_names(code)
    assert "s = str(x)  # unicode here stays" in new
    assert "d.items()" in new and "return 'unicode'" in new
    assert found == ["iteritems", "unicode"]


def test_python_2_list_returning_calls_are_wrapped_in_list() -> None:
    from editor.classic.customcode import py3_names

    code = "n = len(filter(lambda x: x, map(str, items)))\nfor a, b in zip(x, y):\n    pass\nlist(map(f, z))\n"
    new, found = py3_names(code)
    assert new.splitlines()[0] == "n = len(list(filter(lambda x: x, list(map(str, items)))))"
    assert new.splitlines()[1] == "for a, b in list(zip(x, y)):"
    assert new.splitlines()[3] == "list(map(f, z))"
    assert found == ["filter", "map", "zip"]
