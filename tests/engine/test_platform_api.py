"""phantom.requests, pins, workbook tasks, SOAR's vault temp path, add_tags and LoopState."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine.models import Container, ContainerTask, Note, Pin, PlaybookRun, VaultItem
from engine.models.workbooks import WorkbookTemplate, instantiate_workbook, seed_workbook_templates
from tests.engine.conftest import python_playbook

Run = Callable[..., PlaybookRun]


def test_it_reads_the_platform_rest_api_in_process_as_the_automation_user(container: Container, run_to_end: Run) -> None:
    pb = python_playbook("rest_reader", """
        import json
        import phantom.rules as phantom

        def on_start(container):
            user_id = phantom.get_effective_user()
            me = phantom.requests.get(phantom.build_phantom_rest_url('ph_user', user_id), verify=False).json()
            case = phantom.requests.get(uri=phantom.build_phantom_rest_url('container', container['id'])).json()
            missing = phantom.requests.get(phantom.build_phantom_rest_url('container', 999999))
            phantom.add_note(container=container, title="who", content=json.dumps(
                [me['username'], me['type'], case['name'], missing.status_code, missing.ok]))

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "success", run.message
    assert Note.objects.get(container=container, title="who").content == '["automation", "automation", "case", 404, false]'


def test_it_writes_through_the_rest_api_and_sees_its_own_uncommitted_changes(container: Container, run_to_end: Run) -> None:
    pb = python_playbook("rest_writer", """
        import json
        import phantom.rules as phantom

        def on_start(container):
            url = phantom.build_phantom_rest_url('container', container['id'])
            r = phantom.requests.post(url, data=json.dumps({"severity": "high"}), verify=False)
            again = phantom.requests.get(url).json()
            phantom.add_note(container=container, title="sev", content=f"{r.status_code} {again['severity']}")

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "success", run.message
    assert Note.objects.get(title="sev").content == "200 high"
    container.refresh_from_db()
    assert container.severity == "high"


def test_a_pin_is_stored_updated_and_deleted(container: Container, run_to_end: Run) -> None:
    pb = python_playbook("pins", """
        import phantom.rules as phantom

        def on_start(container):
            ok, msg, first = phantom.pin(container=container, message="Risk", data="80", pin_type="card", pin_style="red")
            ok, msg, second = phantom.pin(container=container, message="tmp", data="x")
            phantom.update_pin(first, data="95")
            phantom.delete_pin(second)

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "success", run.message
    (pin,) = Pin.objects.filter(container=container)
    assert (pin.message, pin.data, pin.pin_style) == ("Risk", "95", "red")


def test_a_bad_pin_style_fails_the_block_with_a_clear_message(container: Container, run_to_end: Run) -> None:
    pb = python_playbook("bad_pin", """
        import phantom.rules as phantom

        def on_start(container):
            phantom.pin(container=container, message="x", pin_style="pink")

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "failed" and "pin_style 'pink'" in run.message


def test_workbook_tasks_are_listed_and_advanced_as_start_investigation_does(container: Container, run_to_end: Run) -> None:
    seed_workbook_templates()
    instantiate_workbook(container, WorkbookTemplate.objects.order_by("id").first())
    first = ContainerTask.objects.filter(container=container).order_by("phase__order", "order").first()
    assert first is not None
    pb = python_playbook("tasks", """
        import json
        import phantom.rules as phantom

        def on_start(container):
            tasks = phantom.get_tasks(container=container)
            task = tasks[0]['data']
            url = phantom.build_phantom_rest_url('workbook_task') + '/{}'.format(task['id'])
            phantom.requests.post(url, data=json.dumps({'status': 2}), verify=False)
            phantom.set_phase(container=container, phase=task['phase'])
            phantom.add_note(container=container, title="tasks", content=str(len(tasks)))

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "success", run.message
    first.refresh_from_db()
    container.refresh_from_db()
    assert first.status == "in_progress" and first.start_time is not None
    assert container.current_phase == first.phase.name
    assert int(Note.objects.get(title="tasks").content) == ContainerTask.objects.filter(container=container).count()


def test_files_written_to_soar_s_vault_temp_dir_can_be_added_to_the_vault(container: Container, run_to_end: Run) -> None:
    pb = python_playbook("vault_tmp", """
        import phantom.rules as phantom

        def on_start(container):
            path = '/opt/phantom/vault/tmp/{}'.format('script.sh')
            with open(path, 'w') as fh:
                fh.write('echo hi')
            ok, message, vault_id = phantom.vault_add(file_location=path, file_name='script.sh')
            assert ok, message

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "success", run.message
    assert VaultItem.objects.get(container=container).name == "script.sh"


def test_a_vault_temp_path_cannot_climb_out_of_the_var_directory(container: Container, run_to_end: Run) -> None:
    pb = python_playbook("vault_escape", """
        def on_start(container):
            open('/opt/phantom/vault/tmp/../../etc/passwd-copy', 'w')

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "failed" and "'..' is not allowed" in run.message


def test_add_tags_and_remove_tags_are_soar_s_plural_names(container: Container, run_to_end: Run) -> None:
    pb = python_playbook("tags", """
        import phantom.rules as phantom

        def on_start(container):
            phantom.add_tags(container=container, tags=["a", "b"])
            phantom.remove_tags(container=container, tags="a")

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "success", run.message
    container.refresh_from_db()
    assert container.tags == ["b"]


@pytest.mark.parametrize(("state", "expected"), [
    ({"current_iteration": 1, "max_iterations": 3}, True),
    ({"current_iteration": 3, "max_iterations": 3}, False),
    ({"current_iteration": 1, "max_iterations": 3, "max_ttl": 1, "start_time": 0}, False),
])
def test_loop_state_stops_at_its_iteration_cap_and_its_time_to_live(state: dict[str, Any], expected: bool) -> None:
    from engine.runtime.phantom._loop import LoopState

    assert LoopState(state).should_continue(container={}, results=[]) is expected


def test_loop_state_round_trips_through_json_and_counts_iterations() -> None:
    from engine.runtime.phantom._loop import LoopState

    state = LoopState({"current_iteration": 1, "max_iterations": 5, "delay_time": 60})
    state.increment()
    again = LoopState(state.to_json())
    assert again.current_iteration == 2 and again.delay_time == 60


def test_loop_state_rejects_text_that_is_not_json() -> None:
    from engine.runtime.phantom._loop import LoopState, LoopStateError

    with pytest.raises(LoopStateError, match="not JSON"):
        LoopState("{nope")
