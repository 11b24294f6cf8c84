"""The playbook list and the editor in a real browser."""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from editor.files import import_playbook_text
from tests.conftest import PASSWORD
from tests.e2e.conftest import login
from tests.editor.fixtures import GRAPH

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_sees_the_playbook_list_and_opens_a_playbook_on_the_canvas(
        live_server_url: str, page: Any, editor: User) -> None:
    import json

    import_playbook_text("hello_world", json.dumps(GRAPH, indent=4, sort_keys=True))
    login(page, live_server_url, "editor", PASSWORD)
    page.click("[data-testid=nav-playbooks]")
    page.wait_for_selector("[data-testid=playbook-row-hello_world]")
    page.click("[data-testid=open-hello_world]")
    page.wait_for_selector("[data-testid=canvas]")
    block = page.wait_for_selector("[data-testid=block-format_1]")
    assert block.get_attribute("data-type") == "format"
    assert block.get_attribute("data-status") == "idle"
    assert page.query_selector("[data-testid=block-on_start]") is not None
