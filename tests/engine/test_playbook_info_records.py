"""`phantom.get_playbook_info()` gives SOAR's record, and the REST URL helpers build SOAR's URLs."""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User

from engine.execution.runs import start_run
from engine.execution.worker import drain
from engine.models import Container, Note, PlaybookRun
from tests.engine.conftest import ended, python_playbook

Run = Callable[..., PlaybookRun]

INFO = """
    import json
    import phantom.rules as phantom

    def on_start(container):
        pb_info = phantom.get_playbook_info()
        # What community playbooks do with it (get_and_set_owner).
        phantom.set_owner(container=container, user=pb_info[0]["effective_user_id"])
        phantom.add_note(container=container, title="info", content=json.dumps(pb_info))
        phantom.add_note(container=container, title="other",
                         content=json.dumps([phantom.get_playbook_info("local/sibling"),
                                             phantom.get_playbook_info("no_such_playbook")]))

    def on_finish(container, summary):
        pass
"""

RUN_FIELDS = {"run_id", "playbook_run_id", "parent_playbook_run_id", "effective_user_id", "launching_user_id",
              "container_id", "status", "start_time", "log_level", "test_mode"}


def notes(container: Container) -> dict[str, Any]:
    return {n.title: json.loads(n.content) for n in Note.objects.filter(container=container)}


def test_the_record_has_the_run_and_the_user_it_acts_for(container: Container, analyst: User) -> None:
    pb = python_playbook("info", INFO)
    python_playbook("sibling", "def on_start(container):\n    pass\n")
    started = start_run(pb, container, owner=analyst)
    drain(until=lambda: ended(started.pk))
    run = PlaybookRun.objects.get(pk=started.pk)
    assert run.status == "success", run.message
    (record,) = notes(container)["info"]
    assert {"id", "name", "description", "repo_name", "scm_id", "scm", "playbook_type", "labels", "tags",
            "active", "disabled", "version", "python_version"} | RUN_FIELDS <= set(record)
    assert (record["id"], record["name"], record["repo_name"], record["scm_id"]) == (pb.pk, "info", "local", 1)
    assert (record["run_id"], record["playbook_run_id"], record["parent_playbook_run_id"]) == (run.pk, run.pk, None)
    assert (record["effective_user_id"], record["launching_user_id"]) == (analyst.pk, analyst.pk)
    assert (record["container_id"], record["status"], record["version"]) == (container.pk, "running", 1)
    assert record["start_time"].endswith("+00")
    container.refresh_from_db()
    assert container.owner_id == analyst.pk  # the playbook assigned the case with effective_user_id


def test_a_run_nobody_started_acts_for_the_automation_user(container: Container, run_to_end: Run) -> None:
    run = run_to_end(python_playbook("info", INFO), container)
    assert run.status == "success", run.message
    (record,) = notes(container)["info"]
    container.refresh_from_db()
    assert record["launching_user_id"] is None
    assert record["effective_user_id"] == container.owner_id
    assert container.owner is not None and container.owner.username == "automation"


def test_another_playbooks_record_has_no_run_fields(container: Container, run_to_end: Run) -> None:
    sibling = python_playbook("sibling", "def on_start(container):\n    pass\n")
    run = run_to_end(python_playbook("info", INFO), container)
    assert run.status == "success", run.message
    (other,), missing = notes(container)["other"]
    assert (other["id"], other["name"], missing) == (sibling.pk, "sibling", [])
    assert all(other[field] is None for field in RUN_FIELDS)


def test_rest_urls_quote_each_part_and_keep_paths_and_queries(container: Container, run_to_end: Run) -> None:
    pb = python_playbook("urls", """
        import json
        import phantom.rules as phantom

        def on_start(container):
            phantom.add_note(container=container, title="urls", content=json.dumps([
                phantom.get_rest_base_url(),
                phantom.build_phantom_rest_url(),
                phantom.build_phantom_rest_url('container', 7),
                phantom.build_phantom_rest_url('container', '7/'),
                phantom.build_phantom_rest_url('decided_list', 'foo bar'),
                phantom.build_phantom_rest_url('/container/{}/artifacts'.format(7)),
                phantom.build_phantom_rest_url('artifact?_filter_container=7'),
            ]))

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "success", run.message
    base = notes(container)["urls"][0]
    assert base.endswith("/rest/") and not base.endswith("//rest/")
    assert notes(container)["urls"][1:] == [base, base + "container/7", base + "container/7",
                                            base + "decided_list/foo%20bar", base + "container/7/artifacts",
                                            base + "artifact?_filter_container=7"]
