"""The playbook list page (/playbooks/): search, filters, create, import, duplicate, delete
with confirmation, activate/deactivate, export, and what a viewer may not do."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from editor.models import Playbook
from tests.e2e.editor_helpers import edge, node, playbook, sign_in, store_playbook, stored_json

pytestmark = pytest.mark.django_db(transaction=True)

START_END = [node("0", "start", "on_start", 400, 0), node("1", "end", "on_finish", 400, 300)]


def variant(category: str, labels: list[str], description: str = "", playbook_type: str = "automation") -> dict[str, Any]:
    doc = playbook([*START_END, node("2", "format", "format_1", 375, 140, functionId=1, parameters=["container:name"],
                                     template="{0}\n")],
                   [edge("0", "2"), edge("2", "1")])
    doc.update(category=category, labels=labels)
    doc["coa"]["data"]["description"] = description
    doc["coa"]["playbook_type"] = playbook_type
    if playbook_type == "data":
        doc["coa"]["input_spec"] = [{"contains": ["ip"], "description": "", "name": "ip"}]
    return doc


# The block calls a playbook that does not exist: activation must refuse it. (An
# unreachable block no longer does: it is only a warning, as in SOAR.)
CALLS_MISSING = playbook([*START_END, node("2", "playbook", "call_missing", 375, 140, functionId=1, inputs={},
                                         playbookName="no_such_playbook", playbookRepo=2, playbookRepoName="local",
                                         playbookType="automation", synchronous=False)],
                       [edge("0", "2"), edge("2", "1")])


ROWS = "[data-testid=playbook-table] tbody tr[data-testid^=playbook-row-]"
SHOWN = f"""() => [...document.querySelectorAll('{ROWS}')].map(r => r.dataset.testid.slice('playbook-row-'.length))"""


def rows(page: Any) -> list[str]:
    """Names of the rows shown, in order."""
    return list(page.evaluate(SHOWN))


def expect_rows(page: Any, expected: list[str]) -> None:
    """The list comes to show exactly `expected`, in order (it reloads asynchronously, 200 ms
    after typing)."""
    try:
        page.wait_for_function(f"(expected) => JSON.stringify(({SHOWN})()) === JSON.stringify(expected)",
                               arg=expected, timeout=10_000)
    except PlaywrightTimeout:
        pass
    fields = page.evaluate("[...document.querySelectorAll('[data-testid=playbook-page] .toolbar input, "
                           "[data-testid=playbook-page] .toolbar select')].map(e => `${e.id}=${e.value}`)")
    assert rows(page) == expected, f"fields: {fields}"


def open_list(page: Any, base: str, persona: str = "editor") -> None:
    sign_in(page, base, persona)
    page.goto(base + "/playbooks/")
    page.wait_for_selector("[data-testid=playbook-table] tbody tr")


ALL = ["enrich_ip", "malware_hunt", "phishing_triage", "vpn_report"]


def test_searching_and_filtering_narrow_the_list(module_live_server_url: str, page: Any, editor: User) -> None:
    store_playbook("phishing_triage", variant("Phishing", ["email"], "Triage reported mail"))
    store_playbook("malware_hunt", variant("Malware", ["events"], "Hunt a file hash"))
    store_playbook("enrich_ip", variant("Enrichment", ["*"], "Look up an address", playbook_type="data"))
    store_playbook("vpn_report", variant("Reporting", ["vpn"], "Weekly phishing summary"))
    Playbook.objects.filter(name="malware_hunt").update(active=True)
    open_list(page, module_live_server_url)
    expect_rows(page, ALL)

    search = page.locator("[data-testid=playbook-search]")
    # Name, description and category are searched.
    search.fill("phishing")
    expect_rows(page, ["phishing_triage", "vpn_report"])
    search.fill("hash")
    expect_rows(page, ["malware_hunt"])
    search.fill("enrichment")
    expect_rows(page, ["enrich_ip"])
    search.fill("nothing like it")
    expect(page.locator("[data-testid=playbook-table] tbody")).to_have_text("No playbooks match.")
    search.fill("")
    expect_rows(page, ALL)

    page.select_option("[data-testid=filter-type]", "data")
    expect_rows(page, ["enrich_ip"])
    page.select_option("[data-testid=filter-type]", "")
    page.select_option("[data-testid=filter-active]", "true")
    expect_rows(page, ["malware_hunt"])
    page.select_option("[data-testid=filter-active]", "false")
    expect_rows(page, ["enrich_ip", "phishing_triage", "vpn_report"])
    page.select_option("[data-testid=filter-active]", "")
    expect_rows(page, ALL)
    # A label filter keeps the playbooks with that label and those that run on any label (*).
    page.fill("[data-testid=filter-label]", "vpn")
    expect_rows(page, ["enrich_ip", "vpn_report"])
    page.fill("[data-testid=filter-label]", "")
    page.fill("[data-testid=filter-category]", "Malware")
    expect_rows(page, ["malware_hunt"])


def test_new_playbook_asks_for_a_name_in_the_page_and_opens_the_blank_playbook_in_the_editor(
        module_live_server_url: str, page: Any, editor: User) -> None:
    open_list(page, module_live_server_url)
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    dialog = page.locator("[data-testid=new-playbook-dialog]")
    name = page.locator("[data-testid=new-playbook-name]")

    # Escape cancels and creates nothing.
    page.click("[data-testid=new-playbook]")
    expect(dialog).to_be_visible()
    expect(name).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # So does Cancel, with a name typed.
    page.click("[data-testid=new-playbook]")
    name.fill("never_made")
    page.click("[data-testid=new-playbook-cancel]")
    expect(dialog).to_be_hidden()
    assert not Playbook.objects.exists(), "cancelling the name dialog creates nothing"

    # A blank name is refused in the dialog, which stays open.
    page.click("[data-testid=new-playbook]")
    expect(name).to_have_value("")
    name.fill("   ")
    name.press("Enter")
    expect(page.locator("[data-testid=new-playbook-error]")).to_have_text("Give the playbook a name.")
    expect(dialog).to_be_visible()
    assert not Playbook.objects.exists()

    # Enter creates the playbook and opens it.
    name.fill("fresh_start")
    name.press("Enter")
    page.wait_for_selector("[data-testid=block-on_finish]")
    created = Playbook.objects.get(name="fresh_start")
    assert page.url.endswith(f"/playbooks/{created.pk}/edit")
    assert page.locator("[data-testid=playbook-name]").text_content() == "fresh_start"
    assert {n["type"] for n in stored_json(created.pk)["coa"]["data"]["nodes"].values()} == {"start", "end"}

    # A second playbook of the same name is refused with a message in the dialog, the name kept.
    page.goto(module_live_server_url + "/playbooks/")
    page.wait_for_selector("[data-testid=playbook-row-fresh_start]")
    page.click("[data-testid=new-playbook]")
    name.fill("fresh_start")
    page.click("[data-testid=new-playbook-create]")
    expect(page.locator("[data-testid=new-playbook-error]")).to_contain_text("already exists")
    expect(name).to_have_value("fresh_start")
    assert Playbook.objects.filter(name="fresh_start").count() == 1
    assert asked == [], f"the browser's own prompt was used: {asked}"


def test_importing_a_playbook_file_adds_its_row(module_live_server_url: str, page: Any, editor: User, tmp_path: Path) -> None:
    file = tmp_path / "imported_triage.json"
    file.write_text(json.dumps(variant("Imported", ["events"]), indent=4), encoding="utf-8")
    open_list(page, module_live_server_url)
    with page.expect_file_chooser() as chooser:
        page.click("[data-testid=import-playbook]")
    chooser.value.set_files(str(file))
    page.wait_for_selector("[data-testid=playbook-row-imported_triage]")
    assert "created imported_triage" in page.locator("[data-testid=playbook-message]").text_content()
    assert stored_json(Playbook.objects.get(name="imported_triage").pk) == json.loads(file.read_text())


def test_duplicate_adds_a_copy_with_the_same_graph(module_live_server_url: str, page: Any, editor: User) -> None:
    pk = store_playbook("phishing_triage", variant("Phishing", ["email"]))
    open_list(page, module_live_server_url)
    page.click("[data-testid=duplicate-phishing_triage]")
    page.wait_for_selector("[data-testid=playbook-row-phishing_triage_copy]")
    page.click("[data-testid=duplicate-phishing_triage]")
    page.wait_for_selector("[data-testid=playbook-row-phishing_triage_copy_2]")
    copy = Playbook.objects.get(name="phishing_triage_copy")
    assert stored_json(copy.pk) == stored_json(pk)
    expect_rows(page, ["phishing_triage", "phishing_triage_copy", "phishing_triage_copy_2"])


def test_delete_asks_for_confirmation_and_deletes_only_when_confirmed(
        module_live_server_url: str, page: Any, editor: User) -> None:
    store_playbook("keep_me", variant("A", ["*"]))
    store_playbook("drop_me", variant("B", ["*"]))
    open_list(page, module_live_server_url)
    asked: list[str] = []

    def decline(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.click("[data-testid=delete-drop_me]")
    assert asked == ["Delete playbook drop_me? This cannot be undone."]
    assert Playbook.objects.filter(name="drop_me").exists()
    expect_rows(page, ["drop_me", "keep_me"])

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=delete-drop_me]")
    page.wait_for_selector("[data-testid=playbook-row-drop_me]", state="detached")
    assert page.locator("[data-testid=playbook-message]").text_content() == "Deleted drop_me."
    assert not Playbook.objects.filter(name="drop_me").exists()
    expect_rows(page, ["keep_me"])


def test_activate_and_deactivate_from_the_list_and_an_invalid_playbook_is_refused(
        module_live_server_url: str, page: Any, editor: User) -> None:
    store_playbook("ready", variant("A", ["*"]))
    store_playbook("broken", CALLS_MISSING)
    open_list(page, module_live_server_url)
    row = page.locator("[data-testid=playbook-row-ready]")
    toggle = page.locator("[data-testid=toggle-ready]")
    assert toggle.text_content() == "Activate"

    toggle.click()
    expect(toggle).to_have_text("Deactivate")
    expect(row.locator("td").nth(4)).to_have_text("yes")
    assert Playbook.objects.get(name="ready").active is True

    toggle.click()
    expect(toggle).to_have_text("Activate")
    expect(row.locator("td").nth(4)).to_have_text("no")
    assert Playbook.objects.get(name="ready").active is False

    page.click("[data-testid=toggle-broken]")
    page.wait_for_selector("[data-testid=playbook-message].error")
    assert "fix the errors before activating" in page.locator("[data-testid=playbook-message]").text_content()
    assert Playbook.objects.get(name="broken").active is False
    assert page.locator("[data-testid=toggle-broken]").text_content() == "Activate"


def test_a_viewer_sees_and_opens_playbooks_but_gets_no_editing_controls(
        module_live_server_url: str, page: Any, viewer: User) -> None:
    pk = store_playbook("phishing_triage", variant("Phishing", ["email"]))
    open_list(page, module_live_server_url, "viewer")
    expect_rows(page, ["phishing_triage"])
    for testid in ("new-playbook", "import-playbook", "duplicate-phishing_triage", "delete-phishing_triage",
                   "toggle-phishing_triage"):
        assert page.locator(f"[data-testid={testid}]").count() == 0, testid
    page.click("[data-testid=open-phishing_triage]")
    page.wait_for_selector("[data-testid=block-format_1]")
    assert page.url.endswith(f"/playbooks/{pk}/edit")
    assert page.locator("[data-testid=save-playbook]").count() == 0
    assert page.locator("[data-testid=palette-action]").is_disabled()


def test_export_downloads_the_playbook_as_a_soar_bundle(module_live_server_url: str, page: Any, editor: User) -> None:
    store_playbook("phishing_triage", variant("Phishing", ["email"]))
    open_list(page, module_live_server_url)
    href = page.locator("[data-testid=export-phishing_triage]").get_attribute("href")
    answer = page.request.get(module_live_server_url + href)
    assert answer.status == 200, answer.text()[:200]
    assert answer.headers["content-disposition"] == 'attachment; filename="phishing_triage.tgz"'
