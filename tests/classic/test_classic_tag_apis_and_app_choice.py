"""Classic ``add-tag`` / ``remove-tag`` API blocks become the tag utility; an action whose
classic cell names no app gets the one app with an asset here that offers the action;
the behaviour check counts container/utility API calls, so a lost call is reported."""

from __future__ import annotations

from typing import Any

from classickit import action, cell, end, link, playbook, start

from editor.classic import AppIndex, Conversion, convert_classic
from editor.classic.behaviour import compare, facts_of_source


def nodes_by_name(conversion: Conversion) -> dict[str, dict[str, Any]]:
    return {n["data"]["functionName"]: n for n in conversion.playbook["coa"]["data"]["nodes"].values()}


def api_cell(name: str, entry: dict[str, Any], code: str) -> dict[str, Any]:
    body = (f"def {name}(action=None, success=None, container=None, results=None, handle=None, **kwargs):\n"
            f"    {code}\n    return")
    return cell("API", name, 1, configured=[entry], block_code=body)


def one_cell(c: dict[str, Any], apps: AppIndex | None = None) -> Conversion:
    name = c["previous_name"]
    return convert_classic(playbook(start(), c, end(), link("id-start", name), link(name, "id-end")), apps=apps)


def test_add_tag_becomes_the_add_tags_utility_and_makes_the_call() -> None:
    conv = one_cell(api_cell("tag_it", {"key": "add-tag", "addTagTags": "suspicious"},
                             'phantom.add_tags(container=container, tags="suspicious")'))
    node = nodes_by_name(conv)["tag_it"]
    assert (node["type"], node["data"]["utilityType"]) == ("utility", "api")
    assert node["data"]["values"]["add_tags"]["tags"] == "suspicious"
    assert 'phantom.add_tags(container=container, tags="suspicious")' in (conv.source or "")
    assert conv.report.behaviour["same"] is True


def test_remove_tag_takes_the_tags_from_the_classic_call_when_the_settings_lack_them() -> None:
    conv = one_cell(api_cell("untag_it", {"key": "remove-tag"},
                             'phantom.remove_tags(container=container, tags=["triage", "new"])'))
    values = nodes_by_name(conv)["untag_it"]["data"]["values"]["remove_tags"]
    assert values["tags"] == ["triage", "new"]
    assert "phantom.remove_tags(container=container" in (conv.source or "")
    assert conv.report.behaviour["same"] is True


def test_a_tag_block_without_tags_is_flagged_for_review() -> None:
    conv = one_cell(api_cell("tag_it", {"key": "add-tag"}, "pass"))
    block = conv.report.block("tag_it")
    assert block is not None and any("names no tags" in r for r in block.review)


def test_the_behaviour_check_reports_a_lost_api_call() -> None:
    classic = facts_of_source("def a(container=None):\n    phantom.set_owner(container=container, owner='x')\n"
                              "    phantom.add_tag(container=container, tags='y')\n")
    modern = facts_of_source("def a(container=None):\n    phantom.add_tags(container=container, tags='y')\n")
    result = compare(classic, modern)
    assert [f for _, f in result.missing] == [("api", "set_owner")] and not result.extra


def test_a_converted_api_block_that_lost_its_call_is_flagged_for_review() -> None:
    conv = one_cell(api_cell("own_it", {"key": "set-owner", "setOwnerOwner": "admin"},
                             'phantom.set_owner(container=container, owner="admin")'))
    assert conv.report.behaviour["same"] is False
    assert any("set_owner" in m for m in conv.report.behaviour["missing"])
    block = conv.report.block("own_it")
    assert block is not None and any("phantom.set_owner" in r for r in block.review)


def test_the_behaviour_check_reads_a_schema_2_update_as_the_set_call() -> None:
    classic = facts_of_source("def a(container=None):\n    update_data = {'severity': 'high'}\n"
                              "    phantom.update(container, update_data)\n")
    modern = facts_of_source("def a(container=None):\n    phantom.set_severity(container=container, severity='high')\n")
    assert compare(classic, modern).same


APPS = [
    {"appid": "ldap-1", "name": "AD LDAP", "actions": [{"action": "disable user"}]},
    {"appid": "okta-1", "name": "Okta", "actions": [{"action": "disable user"}]},
    {"appid": "aws-1", "name": "AWS IAM", "actions": [{"action": "disable user"}]},
]


def unnamed_action(assets: tuple[str, ...] = ("domainctrl1",)) -> dict[str, Any]:
    c = action("disable_user_1", 1, act="disable user", assets=assets, params={"username": "artifact:*.cef.suser"})
    c["app"] = ""
    for a in c["assets"]:
        a["app_name"] = ""
    return c


def test_an_action_without_app_gets_the_only_app_with_an_asset_that_offers_it() -> None:
    conv = one_cell(unnamed_action(), AppIndex(APPS, {"okta-1": ["corp_okta"]}))
    data = nodes_by_name(conv)["disable_user_1"]["data"]
    assert (data["connector"], data["connectorId"]) == ("Okta", "okta-1")
    block = conv.report.block("disable_user_1")
    assert block is not None and not any("which app" in r for r in block.review)


def test_an_action_without_app_gets_the_app_of_the_asset_it_names() -> None:
    conv = one_cell(unnamed_action(), AppIndex(APPS, {"okta-1": ["corp_okta"], "ldap-1": ["domainctrl1"]}))
    assert nodes_by_name(conv)["disable_user_1"]["data"]["connector"] == "AD LDAP"


def test_an_action_stays_to_review_when_several_apps_with_assets_offer_it() -> None:
    conv = one_cell(unnamed_action(), AppIndex(APPS, {"okta-1": ["corp_okta"], "aws-1": ["aws"]}))
    assert nodes_by_name(conv)["disable_user_1"]["data"]["connector"] == ""
    block = conv.report.block("disable_user_1")
    assert block is not None and any("which app" in r for r in block.review)
