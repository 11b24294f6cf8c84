"""save_data/get_data, save_object/get_object, datastore_* and the classic network helpers."""
from __future__ import annotations

from collections.abc import Callable

from engine.models import Container, Note, PlaybookRun
from tests.engine.conftest import python_playbook

Run = Callable[..., PlaybookRun]


def test_saved_data_outlives_the_run_and_can_be_cleared(container: Container, run_to_end: Run) -> None:
    writer = python_playbook("writer", """
        import phantom.rules as phantom

        def on_start(container):
            phantom.save_data({"pin_id": 7}, "pin1")
            phantom.save_object(container_id=container['id'], key="pin1", value={"pin_id": 8})

        def on_finish(container, summary):
            pass
    """)
    reader = python_playbook("reader", """
        import phantom.rules as phantom

        def on_start(container):
            first = phantom.get_data("pin1", clear_data=True)
            again = phantom.get_data("pin1")
            obj = phantom.get_object(container_id=container['id'], key="pin1")[0]['value']['pin_id']
            other = phantom.get_object(container_id=container['id'] + 1, key="pin1")
            phantom.add_note(container=container, title="read", content=f"{first['pin_id']} {again} {obj} {other}")

        def on_finish(container, summary):
            pass
    """)
    assert run_to_end(writer, container).status == "success"
    run = run_to_end(reader, container)
    assert run.status == "success", run.message
    assert Note.objects.get(title="read").content == "7 None 8 []"


def test_the_classic_datastore_keeps_named_lists(container: Container, run_to_end: Run) -> None:
    pb = python_playbook("wannacry", """
        import phantom.rules as phantom

        def on_start(container):
            if len(phantom.datastore_get('wannacry_domains')) == 0:
                phantom.datastore_set('wannacry_domains', ['a.example', 'b.example'])
            phantom.datastore_add('wannacry_domains', 'c.example')
            present = phantom.datastore_present('wannacry_domains', 'b.example')
            phantom.add_note(container=container, title="ds",
                             content=f"{phantom.datastore_get('wannacry_domains')} {present}")

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "success", run.message
    assert Note.objects.get(title="ds").content == "['a.example', 'b.example', 'c.example'] True"


def test_a_value_that_is_not_json_fails_the_block_and_says_why(container: Container, run_to_end: Run) -> None:
    pb = python_playbook("bad_value", """
        import phantom.rules as phantom

        def on_start(container):
            phantom.save_object(key="x", value=["not", "a", "dict"])

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "failed" and "value must be a dict" in run.message


def test_the_network_helpers_answer_as_soar_s_do() -> None:
    from engine.runtime.phantom._pure import address_in_network, is_ip, valid_ip, valid_net

    assert is_ip("10.1.2.3") and valid_ip("2001:db8::1") and not is_ip("10.1.2")
    assert valid_net("10.0.0.0/8") and not valid_net("10.0.0.0/33")
    assert address_in_network("10.1.2.3", "10.0.0.0/8") and not address_in_network("192.0.2.1", "10.0.0.0/8")
    assert not address_in_network("nonsense", "10.0.0.0/8")


def test_get_raw_data_returns_the_container_data(container: Container, run_to_end: Run) -> None:
    Container.objects.filter(pk=container.pk).update(data={"raw": {"event_id": "e-1"}})
    pb = python_playbook("raw", """
        import phantom.rules as phantom

        def on_start(container):
            phantom.add_note(container=container, title="raw", content=phantom.get_raw_data(container)['raw']['event_id'])

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "success", run.message
    assert Note.objects.get(title="raw").content == "e-1"


def test_get_assets_lists_the_assets_that_can_run_an_action_as_records(container: Container, run_to_end: Run) -> None:
    from engine.models import App, AppAction, Asset

    app = App.objects.create(name="GeoIP2", product_name="GeoIP2", product_vendor="MaxMind")
    AppAction.objects.create(app=app, name="geolocate ip")
    Asset.objects.create(name="geo", app=app)
    Asset.objects.create(name="off", app=app, disabled=True)
    pb = python_playbook("assets", """
        import phantom.rules as phantom

        def on_start(container):
            found = phantom.get_assets(action="geolocate ip")
            phantom.add_note(container=container, title="assets",
                             content=",".join(f"{a['name']}/{a['product_name']}" for a in found))

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "success", run.message
    assert Note.objects.get(title="assets").content == "geo/GeoIP2"
