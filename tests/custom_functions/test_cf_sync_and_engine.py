"""The built-ins are stored as community custom functions and run through the engine like any other."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from django.apps import apps
from django.db.models.signals import post_migrate

from editor.builtins import connect_signals, sync_after_migrate, sync_builtin_custom_functions
from editor.models import CustomFunction
from engine.custom_functions import BUILTIN_CUSTOM_FUNCTIONS, contract, source
from engine.custom_functions import sync_after_migrate as seed_after_migrate
from engine.execution.custom_functions import find_custom_function
from engine.models import ActionRun, AppRun, Container, ContainerTask, PlaybookRun, WorkbookTemplate
from tests.engine.conftest import container, python_playbook, run_to_end  # noqa: F401  fixtures

Runner = Callable[..., PlaybookRun]


@pytest.mark.django_db
def test_sync_stores_every_builtin_once_and_then_changes_nothing() -> None:
    CustomFunction.objects.filter(repo="community").delete()
    assert {o for _, o in sync_builtin_custom_functions()} == {"created"}
    assert {o for _, o in sync_builtin_custom_functions()} == {"unchanged"}
    rows = CustomFunction.objects.filter(repo="community", builtin=True)
    assert rows.count() == 41
    demux = rows.get(name="list_demux")
    assert demux.python == source("list_demux") and demux.outputs_type == "list"
    assert demux.inputs == contract("list_demux")["inputs"] and demux.outputs == contract("list_demux")["outputs"]


@pytest.mark.django_db
def test_the_engine_seeds_the_workbook_templates_after_migrate() -> None:
    WorkbookTemplate.objects.all().delete()
    seed_after_migrate(sender=apps.get_app_config("editor"))
    assert not WorkbookTemplate.objects.exists()
    seed_after_migrate(sender=apps.get_app_config("engine"))
    assert WorkbookTemplate.objects.filter(name="Response", is_default=True).exists()


@pytest.mark.django_db
def test_sync_repairs_an_edited_builtin() -> None:
    sync_builtin_custom_functions()
    CustomFunction.objects.filter(repo="community", name="noop").update(python="def noop(**kwargs):\n    return 1\n")
    assert ("noop", "updated") in sync_builtin_custom_functions()
    assert CustomFunction.objects.get(repo="community", name="noop").python == source("noop")


@pytest.mark.django_db
def test_a_bare_name_finds_the_builtin_before_a_local_function_of_that_name() -> None:
    sync_builtin_custom_functions()
    CustomFunction.objects.create(repo="local", name="passthrough", python="def passthrough(**kwargs):\n    pass\n")
    assert find_custom_function("passthrough").repo == "community"
    assert find_custom_function("community/passthrough").builtin
    assert find_custom_function("local/passthrough").repo == "local"


@pytest.mark.django_db
def test_the_post_migrate_receiver_syncs_only_for_the_editor_app() -> None:
    CustomFunction.objects.filter(repo="community").delete()
    sync_after_migrate(sender=apps.get_app_config("engine"))
    assert not CustomFunction.objects.filter(repo="community").exists()
    sync_after_migrate(sender=apps.get_app_config("editor"))
    assert CustomFunction.objects.filter(repo="community").count() == len(BUILTIN_CUSTOM_FUNCTIONS)


def test_connect_signals_registers_the_receiver_once() -> None:
    try:
        connect_signals()
        connect_signals()
        uid = "editor.builtins.sync_after_migrate"
        assert sum(1 for entry in post_migrate.receivers if entry[0][0] == uid) == 1
    finally:
        post_migrate.disconnect(dispatch_uid="editor.builtins.sync_after_migrate")


PLAYBOOK = '''
import json
import phantom.rules as phantom

def on_start(container):
    phantom.custom_function(custom_function="community/list_demux", parameters=[{"input_list": ["a", "b"]}],
                            name="demux", callback=update_task)

def update_task(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    phantom.custom_function(custom_function="community/workbook_task_update", name="task",
                            parameters=[{"task_name": "Investigate", "status": "in_progress", "container": container["id"],
                                         "note_title": "Auto", "note_content": "started"},
                                        {"task_name": "No Such Task", "status": "complete", "container": container["id"]}])

def on_finish(container, summary):
    pass
'''


@pytest.mark.django_db(transaction=True)
def test_a_playbook_runs_builtins_through_the_engine(run_to_end: Runner, container: Container) -> None:  # noqa: F811
    sync_builtin_custom_functions()  # the flush of a transactional test removed them
    run = run_to_end(python_playbook("uses_builtins", PLAYBOOK), container)
    assert run.status == "success"
    demux = AppRun.objects.get(action_run=ActionRun.objects.get(playbook_run=run, name="demux"))
    assert [r["data"] for r in demux.result_data] == [[{"output": "a"}, {"output": "b"}]]
    task = AppRun.objects.get(action_run=ActionRun.objects.get(playbook_run=run, name="task"))
    first, second = task.result_data
    assert first["success"] and isinstance(first["data"]["note_id"], int)
    assert not second["success"] and "no workbook task 'No Such Task'" in second["message"]
    assert ContainerTask.objects.get(container=container, name="Investigate").status == "in_progress"


