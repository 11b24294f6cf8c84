"""An asset's decrypted secret never reaches what a run stores, nor whoever reads it.

Playbook code can read an asset's decrypted configuration (the engine's second design
keeps it away; until then) and log it, put it in a note, fail with it, or get it back
from a connector that echoes it: every one of those is stored with `***` instead.
"""
from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from engine.apps.catalogue import parse_app
from engine.assets import store_configuration
from engine.catalogue import sync_app
from engine.models import ActionRun, AppRun, Asset, Container, Note, PlaybookRun, RunEvent
from tests.conftest import token_client
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "s3cr3t-Api-Key-4f9d"
MASK = "***"

APP = {
    "appid": "6a0bc6a2-0000-4000-8000-0000000sec01", "name": "KeyedLookup", "app_version": "1.0.0",
    "product_vendor": "Test", "product_name": "Keyed", "description": "an app with an API key",
    "configuration": {"api_key": {"data_type": "password", "required": True, "description": "key"}},
    "actions": [{
        "action": "lookup ip", "identifier": "lookup_ip", "description": "Look up", "type": "investigate",
        "read_only": True, "versions": "EQ(*)",
        "parameters": {"ip": {"data_type": "string", "required": True, "contains": ["ip"], "description": "IP"}},
        "output": [{"data_path": "action_result.data.*.echo", "data_type": "string", "example_values": ["x"]}],
    }],
}

# Playbook code cannot read an asset's configuration (it runs in a runner process with no
# database: tests/engine/test_playbook_code_is_isolated.py); one that knows a secret some other
# way (typed into the code, say) still has it masked wherever it is stored.
PLAYBOOK = '''
import phantom.rules as phantom


def _key():
    return "SECRET"
'''.replace("SECRET", SECRET) + '''


def on_start(container):
    phantom.debug("the key is " + _key())
    phantom.debug({"nested": [_key()]})
    phantom.add_note(container=container, title="key " + _key(), content=_key())
    phantom.act("lookup ip", parameters=[{"ip": "1.1.1.1"}], assets=["keyed"], callback=looked_up, name="lookup")


def looked_up(action=None, success=None, container=None, results=None, handle=None, filtered_artifacts=None,
              filtered_results=None, custom_function=None, **kwargs):
    raise RuntimeError("giving up with " + _key())


def on_finish(container, summary):
    pass
'''


@pytest.fixture
def keyed_asset(container: Container) -> Asset:
    app, _ = sync_app(parse_app(APP))
    # The connector echoes its key (as a debugging HTTP app might, in a URL or header).
    asset = Asset(name="keyed", app=app, simulator_overrides={
        "lookup ip": {"status": "success", "message": f"called with key={SECRET}", "data": [{"echo": SECRET}]}})
    store_configuration(asset, {"api_key": SECRET})
    asset.save()
    assert SECRET not in json.dumps(asset.configuration)
    return asset


def test_a_secret_a_playbook_logs_notes_fails_with_or_gets_back_is_stored_masked(
        run_to_end: Callable[..., PlaybookRun], container: Container, keyed_asset: Asset, viewer: User) -> None:
    run = run_to_end(python_playbook("leaky", PLAYBOOK), container)
    assert run.status == "failed"

    events = [json.dumps(e.payload) for e in RunEvent.objects.filter(run=run)]
    assert not [e for e in events if SECRET in e]
    assert any(f"the key is {MASK}" in e for e in events)
    assert any(json.dumps({"nested": [MASK]}) in e or f"['{MASK}']" in e for e in events)
    note = Note.objects.get(container=container)
    assert (note.title, note.content) == (f"key {MASK}", MASK)
    app_run = AppRun.objects.get(action_run__playbook_run=run)
    assert SECRET not in json.dumps(app_run.result_data) + app_run.message
    assert MASK in json.dumps(app_run.result_data)
    assert SECRET not in ActionRun.objects.get(playbook_run=run).message
    assert run.message and SECRET not in run.message and MASK in run.message

    client = token_client(viewer)
    for url in (f"/rest/playbook_run/{run.pk}/log", f"/rest/playbook_run/{run.pk}", "/rest/action_run",
                f"/api/runs/{run.pk}", f"/api/runs/{run.pk}/blocks/lookup", "/rest/note"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url


def test_a_secret_a_playbook_saves_as_run_data_stays_its_own_but_is_masked_on_the_way_out(
        run_to_end: Callable[..., PlaybookRun], container: Container, keyed_asset: Asset, viewer: User) -> None:
    source = '''
import json
import phantom.rules as phantom


def on_start(container):
    key = "SECRET"
    phantom.save_run_data(key="code_1:key", value=json.dumps(key))
    phantom.debug("same: " + str(json.loads(phantom.get_run_data(key="code_1:key")) == key))


def on_finish(container, summary):
    pass
'''.replace('"SECRET"', f'"{SECRET}"')
    run = run_to_end(python_playbook("keeps", source), container)
    assert run.status == "success"
    logs = [e.payload.get("message") for e in RunEvent.objects.filter(run=run, kind="debug")]
    assert "same: True" in logs
    answer = token_client(viewer).get(f"/api/runs/{run.pk}/blocks/code_1").json()
    assert answer["outputs"] == {"key": MASK}
