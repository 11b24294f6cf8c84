"""The `container` a callback receives looks as SOAR's "Understanding callbacks" page shows it.

Playbooks written for SOAR parse the container's times with formats such as
"%Y-%m-%d %H:%M:%S.%f+00" and test unset times against "", so the field types and the
time text matter as much as the values. The example is read from the callback seed in
../shared when it is there; the copy below keeps the test working without it.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from engine.models import Artifact, Container, Note, PlaybookRun
from tests.engine.conftest import python_playbook

Run = Callable[..., PlaybookRun]

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

# The container example of SOAR's "Understanding callbacks" page, as the seed holds it.
SEED_CONTAINER = """{
    "sensitivity": "amber", "create_time": "2016-01-14 18:25:55.921199+00", "owner": "admin", "id": 7,
    "close_time": "", "severity": "medium", "label": "incident", "due_time": "2016-01-15 06:24:00+00",
    "version": "1", "current_rule_run_id": 1, "status": "open", "owner_name": "",
    "hash": "093d1d4d22cab1c5931bbfb1b16ce12c", "description": "this is my test incident", "tags": ["red-network"],
    "start_time": "2016-01-14 18:25:55.926468+00", "asset_name": "", "artifact_update_time": "2016-01-14 18:26:33.55643+00",
    "container_update_time": "2016-01-14 18:28:43.859814+00", "kill_chain": "", "name": "test", "ingest_app_id": "",
    "source_data_identifier": "48e4ab9c-2ec1-44a5-9d05-4e83bec05f87", "end_time": "", "artifact_count": 1
}"""

SOAR_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00$")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")


def seed_container() -> dict[str, Any]:
    """The example from the seed when ../shared is present, else the committed copy."""
    for path in sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        found = re.search(r"example of container parameter from a callback:\s*(\{.*?\n\})", text, re.S)
        if found:
            return dict(json.loads(found.group(1)))
    return dict(json.loads(SEED_CONTAINER))


def test_the_committed_copy_is_the_seed_example() -> None:
    assert seed_container() == json.loads(SEED_CONTAINER)


@pytest.fixture
def soar_like_container(transactional_db: Any) -> Container:
    admin = get_user_model().objects.create_user("admin")
    return Container.objects.create(
        name="test", label="incident", status="open", severity="medium", sensitivity="amber", owner=admin,
        description="this is my test incident", tags=["red-network"], artifact_count=1,
        source_data_identifier="48e4ab9c-2ec1-44a5-9d05-4e83bec05f87", hash="093d1d4d22cab1c5931bbfb1b16ce12c",
        create_time=datetime(2016, 1, 14, 18, 25, 55, 921199, tzinfo=UTC),
        start_time=datetime(2016, 1, 14, 18, 25, 55, 926468, tzinfo=UTC),
        due_time=datetime(2016, 1, 15, 6, 24, tzinfo=UTC))


def run_dumping_the_container(container: Container, run_to_end: Run) -> tuple[PlaybookRun, dict[str, Any], dict[str, Any]]:
    pb = python_playbook("dump_container", """
        import json
        from datetime import datetime
        import phantom.rules as phantom

        def on_start(container):
            # What SOAR playbooks do with the container's times.
            created = datetime.strptime(container['create_time'], '%Y-%m-%d %H:%M:%S.%f+00')
            open_case = container['close_time'] == ''
            phantom.add_note(container=container, title="callback", content=json.dumps(container))
            phantom.add_note(container=container, title="fetched",
                             content=json.dumps(phantom.get_container(container['id'])))
            phantom.add_note(container=container, title="parsed", content=json.dumps([created.isoformat(), open_case]))

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "success", run.message
    notes = {n.title: n.content for n in Note.objects.filter(container=container)}
    assert json.loads(notes["parsed"]) == ["2016-01-14T18:25:55.921199", True]
    return run, json.loads(notes["callback"]), json.loads(notes["fetched"])


def test_every_field_of_the_seed_example_has_its_type_and_format(soar_like_container: Container,
                                                                 run_to_end: Run) -> None:
    seed = seed_container()
    run, ours, fetched = run_dumping_the_container(soar_like_container, run_to_end)
    for key, example in seed.items():
        assert key in ours, f"the callback's container has no {key!r}"
        assert type(ours[key]) is type(example), f"{key}: {ours[key]!r} is not a {type(example).__name__} like {example!r}"
        if key.endswith("_time"):
            if example:
                assert SOAR_TIME.match(example), f"the pattern does not describe the seed's {key} {example!r}"
                assert SOAR_TIME.match(ours[key]), f"{key} {ours[key]!r} is not SOAR's time text"
    assert (ours["close_time"], ours["end_time"]) == ("", "")
    assert ours["create_time"] == "2016-01-14 18:25:55.921199+00"
    assert ours["start_time"] == "2016-01-14 18:25:55.926468+00"
    assert ours["due_time"] == "2016-01-15 06:24:00+00"  # a whole second has no fraction, as in the seed
    assert (ours["owner"], ours["version"], ours["current_rule_run_id"]) == ("admin", "1", run.pk)
    assert (ours["kill_chain"], ours["asset_name"], ours["ingest_app_id"]) == ("", "", "")
    assert fetched == {**ours, "artifact_update_time": fetched["artifact_update_time"],
                       "container_update_time": fetched["container_update_time"]}


def test_trailing_zeros_of_the_fraction_are_dropped_as_in_the_seed(soar_like_container: Container,
                                                                   run_to_end: Run) -> None:
    Container.objects.filter(pk=soar_like_container.pk).update(
        artifact_update_time=datetime(2016, 1, 14, 18, 26, 33, 556430, tzinfo=UTC))
    _, ours, _ = run_dumping_the_container(soar_like_container, run_to_end)
    assert ours["artifact_update_time"] == "2016-01-14 18:26:33.55643+00"


def test_artifacts_keep_the_iso_times_of_soars_artifact_example(soar_like_container: Container,
                                                                run_to_end: Run) -> None:
    # "Understanding artifacts" shows "2016-01-18T19:26:39.053087Z" and null for end_time.
    Artifact.objects.create(container=soar_like_container, name="test", cef={"sourceAddress": "1.1.1.1"},
                            hash="h", create_time=datetime(2016, 1, 18, 19, 26, 39, 53087, tzinfo=UTC))
    pb = python_playbook("dump_artifacts", """
        import json
        import phantom.rules as phantom

        def on_start(container):
            rows = phantom.collect2(container=container, datapath=['artifact:*.create_time', 'artifact:*.end_time'],
                                    scope='all')
            phantom.add_note(container=container, title="artifact", content=json.dumps(rows))

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, soar_like_container)
    assert run.status == "success", run.message
    (row,) = json.loads(Note.objects.get(title="artifact").content)
    assert row == ["2016-01-18T19:26:39.053087Z", None] and ISO_TIME.match(row[0])
