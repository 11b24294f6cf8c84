"""Importing a classic playbook on the list page converts it and shows the conversion
report, block by block, with a link to the converted playbook."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from editor.models import Playbook
from tests.conftest import PASSWORD
from tests.e2e.conftest import login

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "classic"))
from classickit import action, end, link, playbook, start  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)


def test_importing_a_classic_file_shows_its_conversion_report_and_links_to_the_result(
    live_server_url: str, page: Any, editor: User, tmp_path: Path
) -> None:
    classic = playbook(start(), action("hunt_file_1", 1, act="hunt file", assets=("cb", "cylance")), end(),
                       link("id-start", "hunt_file_1"), link("hunt_file_1", "id-end"))
    file = tmp_path / "classic_hunt.json"
    file.write_text(json.dumps(classic), encoding="utf-8")
    login(page, live_server_url, editor.username, PASSWORD)
    page.goto(live_server_url + "/playbooks/")
    with page.expect_file_chooser() as chooser:
        page.click("[data-testid=import-playbook]")
    chooser.value.set_files(str(file))
    page.wait_for_selector("[data-testid=playbook-row-classic_hunt]")
    report = page.locator("[data-testid=report-classic_hunt]")
    assert "converted-with-changes" in report.locator("h2").text_content()
    block = page.locator("[data-testid=report-block-hunt_file_1]")
    assert block.get_attribute("data-status") == "converted-with-changes"
    assert "2 assets" in block.text_content()
    href = page.locator("[data-testid=report-open]").get_attribute("href")
    assert href == f"/playbooks/{Playbook.objects.get(name='classic_hunt').pk}/edit"
