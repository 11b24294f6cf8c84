"""A fresh `migrate` leaves the built-in apps in the catalogue; `load_demo` gives each an asset."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from engine.apps import builtin_apps
from engine.catalogue import appdef_for, sync_builtin_apps
from engine.models import App, Asset

pytestmark = pytest.mark.django_db


def test_the_builtin_apps_are_catalogued_after_migrate() -> None:
    # The test database was built by `migrate`; nothing else loaded apps.
    expected = {b.appdef.appid: b.appdef for b in builtin_apps()}
    stored = {a.appid: a for a in App.objects.filter(builtin=True)}
    assert set(stored) == set(expected) and {a.name for a in stored.values()} >= {"HTTP", "Utilities"}
    for appid, appdef in expected.items():
        app = stored[appid]
        assert app.version == appdef.version and app.definition == dict(appdef.raw)
        assert set(app.actions.values_list("name", flat=True)) == {a.name for a in appdef.actions}
        assert appdef_for(app).actions == appdef.actions


def test_migrating_again_restores_a_removed_builtin_and_changes_nothing_else() -> None:
    utilities = App.objects.get(builtin=True, name="Utilities")
    utilities.delete()
    http = App.objects.get(builtin=True, name="HTTP")
    out = io.StringIO()
    call_command("migrate", verbosity=1, stdout=out)
    assert "Built-in app: created Utilities" in out.getvalue()
    assert "HTTP" not in out.getvalue()
    assert App.objects.get(builtin=True, name="HTTP").update_time == http.update_time
    assert App.objects.filter(builtin=True, name="Utilities").exists()


def test_syncing_the_builtins_twice_reports_them_unchanged() -> None:
    assert {outcome for _, outcome in sync_builtin_apps()} == {"unchanged"}


def test_load_demo_creates_one_asset_per_builtin_app_once() -> None:
    first = io.StringIO()
    call_command("load_demo", stdout=first)
    assert "demo: 2 new assets (http_local, utilities)" in first.getvalue()
    http_local = Asset.objects.get(name="http_local")
    assert http_local.app.name == "HTTP" and http_local.app.builtin
    assert http_local.configuration["base_url"] == "http://127.0.0.1:8000"
    assert Asset.objects.get(name="utilities").app.name == "Utilities"
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert "demo: 0 new assets" in again.getvalue()
    assert Asset.objects.filter(name__in=["http_local", "utilities"]).count() == 2
