"""Drawing a whole playbook in the browser with the mouse and the keyboard, then checking the
saved file and its compiled Python against golden files.

Nothing is normalised before comparing with the goldens, because nothing in them varies
between runs: node ids come from the editor (highest id + 1, in the order blocks are added),
names from SOAR's naming rules, positions from the auto-layout (L) pressed before saving,
the app id from the stand-in app, and the server's blank playbook has an empty
`create_time`. Regenerate with UPDATE_GOLDEN=1 after an intended change and review the diff.
"""
from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User

from editor.files import python_for
from editor.models import Playbook
from tests.e2e.editor_helpers import (
    block,
    centre,
    choose_datapath,
    click_edge,
    connect,
    drag,
    edge_pairs,
    editor_json,
    golden,
    install_geolocation_app,
    nodes_by_name,
    save,
    sign_in,
    stored_json,
)

pytestmark = pytest.mark.django_db(transaction=True)

IP = "filtered-data:filter_1:condition_1:artifact:*.cef.sourceAddress"
COUNTRY = "geolocate_ip_1:action_result.data.*.country_name"


def create_playbook_from_the_list(page: Any, base: str, name: str) -> int:
    page.goto(base + "/playbooks/")
    page.wait_for_selector("[data-testid=playbook-table]")
    page.click("[data-testid=new-playbook]")
    page.fill("[data-testid=new-playbook-name]", name)
    with page.expect_response(lambda r: re.search(r"/api/playbooks/\d+/compile$", r.url) is not None, timeout=30_000):
        page.press("[data-testid=new-playbook-name]", "Enter")
    page.wait_for_selector("[data-testid=block-on_finish]")
    match = re.search(r"/playbooks/(\d+)/edit", page.url)
    assert match, page.url
    return int(match.group(1))


def add_below_selection(page: Any, palette_key: str, name: str) -> None:
    page.click(f"[data-testid=palette-{palette_key}]")
    block(page, name).wait_for()
    page.wait_for_selector("[data-testid=block-panel]")


def fit(page: Any) -> None:
    """Escape (deselects, and leaves any field so the key is a shortcut), then F (fit view)."""
    page.keyboard.press("Escape")
    page.keyboard.press("f")
    page.wait_for_timeout(300)  # the fit animates for 200 ms


def draw_the_playbook(page: Any) -> None:
    # The blank playbook's start → end edge goes: the end is moved to the bottom.
    click_edge(page, "port_0_to_port_1")
    page.keyboard.press("Delete")
    x, y = centre(page, "[data-testid=block-on_finish]")
    drag(page, (x, y), (x, y + 330))
    fit(page)

    # Start → filter on artifacts with a source address.
    block(page, "on_start").click()
    add_below_selection(page, "filter", "filter_1")
    choose_datapath(page, "cond-0-cmp-0-param", "artifact:*.cef.sourceAdd", "artifact:*.cef.sourceAddress")
    page.select_option("[data-testid=cond-0-cmp-0-op]", "!=")

    # Filter → geolocate ip on the maxmind asset, with the filtered addresses.
    add_below_selection(page, "action", "action_1")
    fit(page)
    connect(page, "filter_1", "action_1", branch=0)
    block(page, "action_1").click()
    page.select_option("[data-testid=action-app]", label="MaxMind")
    page.select_option("[data-testid=action-action]", label="geolocate ip")
    block(page, "geolocate_ip_1").wait_for()
    page.check("[data-testid=action-asset-maxmind]")
    choose_datapath(page, "action-param-ip", IP[:-6], IP)

    # Action → decision on the country it found.
    add_below_selection(page, "decision", "decision_1")
    choose_datapath(page, "cond-0-cmp-0-param", COUNTRY[:-5], COUNTRY)
    page.click("[data-testid=cond-0-cmp-0-value]")
    page.keyboard.type("Australia")
    page.click("[data-testid=cond-0-name]")
    page.keyboard.type("australian")
    fit(page)

    # Two formats, one per branch; the second lands beside the first and is dragged further aside.
    block(page, "decision_1").click()
    add_below_selection(page, "format", "format_1")
    block(page, "decision_1").click()
    add_below_selection(page, "format", "format_2")
    x, y = centre(page, "[data-testid=block-format_2]")
    drag(page, (x, y), (x + 240, y))
    fit(page)
    connect(page, "decision_1", "format_1", branch=0)
    connect(page, "decision_1", "format_2", branch=1)

    block(page, "format_1").click()
    page.click("[data-testid=format-template]")
    page.keyboard.type("{0} is in Australia ({1})")
    page.click("[data-testid=format-fill-params]")
    choose_datapath(page, "format-param-0", "geolocate_ip_1:action_result.parameter.i", "geolocate_ip_1:action_result.parameter.ip")
    choose_datapath(page, "format-param-1", "geolocate_ip_1:action_result.data.*.ci", "geolocate_ip_1:action_result.data.*.city_name")

    block(page, "format_2").click()
    page.click("[data-testid=format-template]")
    page.keyboard.type("{0} is elsewhere: {1}")
    page.click("[data-testid=format-fill-params]")
    choose_datapath(page, "format-param-0", "geolocate_ip_1:action_result.parameter.i", "geolocate_ip_1:action_result.parameter.ip")
    choose_datapath(page, "format-param-1", COUNTRY[:-5], COUNTRY)

    # Both formats → end; then a tidy layout (L) and a look at everything (F).
    connect(page, "format_1", "on_finish")
    connect(page, "format_2", "on_finish")
    page.keyboard.press("Escape")
    page.keyboard.press("l")
    fit(page)


def test_an_editor_draws_a_geolocation_playbook_from_scratch_and_it_saves_compiles_and_reloads_as_the_golden(
        module_live_server_url: str, page: Any, editor: User) -> None:
    install_geolocation_app()
    sign_in(page, module_live_server_url, "editor")
    pk = create_playbook_from_the_list(page, module_live_server_url, "geo_triage")

    draw_the_playbook(page)

    drawn = editor_json(page)
    assert edge_pairs(drawn) == {("on_start", "filter_1"), ("filter_1", "geolocate_ip_1"),
                                 ("geolocate_ip_1", "decision_1"), ("decision_1", "format_1"),
                                 ("decision_1", "format_2"), ("format_1", "on_finish"), ("format_2", "on_finish")}
    answer = save(page, pk)
    assert answer["errors"] == [], answer["errors"]
    assert stored_json(pk) == drawn

    page.reload()
    page.wait_for_selector("[data-testid=block-format_2]")
    assert editor_json(page) == drawn
    for name in nodes_by_name(drawn):
        assert block(page, name).get_attribute("data-status") == "idle"

    exported = page.request.get(f"{module_live_server_url}/api/playbooks/{pk}/export?format=json")
    assert exported.ok
    assert exported.text() == golden("geo_triage.json", exported.text())
    # What `export?format=py` would send; that URL answers 404 for now (DRF reads `format`
    # as its renderer override), see test_editor_playbook_list.py.
    compiled = python_for(Playbook.objects.get(pk=pk).current())
    assert compiled == golden("geo_triage.py.txt", compiled)
