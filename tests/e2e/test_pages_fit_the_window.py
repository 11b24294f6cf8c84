"""Every HTML page fits the window at 1024 x 700 and 1440 x 900 (issue 20): no sideways
scrolling, no table sticking out of its card, no button cut off; the favicon is served.

The pages come from the URL conf: a new page that renders HTML must be added to PAGES (or to
NOT_HTML), or the first test fails.
"""
from __future__ import annotations

import urllib.request
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import URLPattern

from engine.execution.runs import start_run
from engine.models import Container
from tests.conftest import PASSWORD
from tests.e2e import run_playbooks as pbs
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = [(1024, 700), (1440, 900)]
# URL names of soar/urls.py's own routes that answer no HTML page (JSON, YAML, a redirect).
NOT_HTML = {"healthz", "logout", "schema", "api-not-found"}
# The pages, by URL name; {pb} and {run} are filled in with a stored playbook and run.
PAGES = {
    "home": "/",
    "login": "/login/",
    "playbook-list": "/playbooks/",
    "playbook-edit": "/playbooks/{pb}/edit",
    "run-page": "/runs/{run}",
    "swagger-ui": "/api/docs/",
}
# Long names, as real cases and community playbooks have them.
LONG = "Suspicious_Outbound_Connection_From_Finance_Workstation_Investigation_And_Containment"


def test_every_html_route_of_the_url_conf_is_checked() -> None:
    from soar import urls

    named = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name}
    assert named - NOT_HTML == set(PAGES), "add the new page to PAGES (or NOT_HTML) in this module"


def no_overflow(page: Any) -> list[str]:
    """What sticks out: the page scrolling sideways, a card's or table's content wider than
    its box, a button or link right of the window's edge."""
    return list(page.evaluate("""() => {
      const out = [];
      const root = document.documentElement;
      if (root.scrollWidth > root.clientWidth) out.push(`page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
      for (const el of document.querySelectorAll('.card, table, .pb-toolbar, .topbar, .run-panel, .run-summary')) {
        if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.tagName.toLowerCase()}.${el.className || ''}[${el.dataset.testid || ''}] content ${el.scrollWidth} > box ${el.clientWidth}`);
      }
      for (const el of document.querySelectorAll('.card table')) {
        const card = el.closest('.card').getBoundingClientRect();
        const box = el.getBoundingClientRect();
        if (box.right > card.right + 1) out.push(`table[${el.dataset.testid || ''}] ends at ${box.right}, its card at ${card.right}`);
      }
      for (const el of document.querySelectorAll('button, a, input, select')) {
        const box = el.getBoundingClientRect();
        if (box.width && box.right > root.clientWidth + 1) out.push(`${el.tagName.toLowerCase()}[${el.dataset.testid || el.textContent.trim().slice(0, 30)}] ends at ${box.right} > ${root.clientWidth}`);
      }
      return out;
    }"""))


@pytest.fixture
def content(transactional_db: Any) -> dict[str, int]:
    """Containers, playbooks and a finished run with long names, as a busy instance has."""
    pbs.utilities_asset()
    case = Container.objects.create(name=f"{LONG} on host FINANCE-WS-0042.corp.example.com", label="events",
                                    severity="high")
    for i in range(3):
        Container.objects.create(name=f"{LONG}_{i}", label="events")
    for i in range(3):
        doc = pbs.success_playbook(delay_s=0)
        doc["labels"] = ["events", "network_indicators_of_compromise", "phishing_and_business_email_compromise"]
        doc["category"] = "Investigation_And_Containment_Of_Compromised_Hosts"
        pbs.store(f"{LONG}_{i}", doc)
    playbook = pbs.store(LONG, pbs.success_playbook(delay_s=0))
    run = start_run(playbook, case, scope="all")
    return {"pb": playbook.pk, "run": run.pk}


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_no_page_scrolls_sideways(live_server_url: str, browser: Any, owner: User, content: dict[str, int],
                                  width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(15_000)
    problems: dict[str, list[str]] = {}
    try:
        page.goto(live_server_url + "/login/")
        page.wait_for_selector("[data-testid=login-username]")
        problems["login"] = no_overflow(page)
        login(page, live_server_url, "owner", PASSWORD)
        for name, path in PAGES.items():
            if name == "login":
                continue
            page.goto(live_server_url + path.format(**content))
            ready = {"playbook-list": "[data-testid^=playbook-row-]", "playbook-edit": "[data-testid=block-on_start]",
                     "run-page": "[data-testid=block-on_start]", "swagger-ui": ".swagger-ui .info"}.get(name, "main")
            page.wait_for_selector(ready)
            page.wait_for_timeout(300)  # late layout: fonts, the canvas fitting its view
            problems[name] = no_overflow(page)
        # The editor with a run shown: the run panel under the canvas.
        page.goto(live_server_url + f"/playbooks/{content['pb']}/edit?run={content['run']}")
        page.wait_for_selector("[data-testid=run-panel] [data-testid=run-status]")
        page.wait_for_timeout(300)
        problems["playbook-edit with a run"] = no_overflow(page)
        # Django's admin, as the owner sees it (owner is no staff: its login page) and as staff.
        page.goto(live_server_url + "/admin/")
        page.wait_for_selector("#content")
        problems["admin (owner)"] = no_overflow(page)
    finally:
        context.close()
    assert not {k: v for k, v in problems.items() if v}, problems
    assert not errors, errors


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_admin_pages_fit_for_staff(live_server_url: str, browser: Any, owner: User, width: int, height: int) -> None:
    User.objects.filter(pk=owner.pk).update(is_staff=True, is_superuser=True)
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        login(page, live_server_url, "owner", PASSWORD)
        problems = {}
        for path in ("/admin/", "/admin/auth/user/", f"/admin/auth/user/{owner.pk}/change/"):
            page.goto(live_server_url + path)
            page.wait_for_selector("#content")
            problems[path] = no_overflow(page)
    finally:
        context.close()
    assert not {k: v for k, v in problems.items() if v}, problems


def test_the_favicon_is_served(live_server_url: str, page: Any, owner: User) -> None:
    with urllib.request.urlopen(live_server_url + "/favicon.ico", timeout=10) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
        assert answer.read(4) == b"\x00\x00\x01\x00"  # an ICO file
    login(page, live_server_url, "owner", PASSWORD)
    icon = page.get_attribute("link[rel=icon]", "href")
    assert icon
    assert page.request.get(live_server_url + icon if icon.startswith("/") else icon).status == 200
