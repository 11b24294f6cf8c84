"""Workbooks: templates, adding them to a container, and updating tasks by name."""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from engine.models import Container, ContainerTask, ContainerWorkbook, Note, WorkbookTemplate
from engine.models.workbooks import DEFAULT_TEMPLATES, WorkbookPhaseTemplate, WorkbookTaskTemplate
from engine.runtime.context import StepContext
from tests.custom_functions.conftest import Call

pytestmark = pytest.mark.django_db


def task(container: Container, name: str) -> ContainerTask:
    return ContainerTask.objects.get(container=container, name=name)


def test_workbook_list_shows_the_seeded_templates_with_response_as_default(call: Call) -> None:
    rows = call("workbook_list")
    assert [r["name"] for r in rows] == list(DEFAULT_TEMPLATES)
    assert [r["name"] for r in rows if r["is_default"]] == ["Response"]
    assert all(r["status"] == "published" for r in rows)


def test_workbook_add_copies_the_phases_and_tasks_and_starts_the_first_phase(call: Call, case: Container) -> None:
    out = call("workbook_add", container=case.pk, workbook="Risk Investigation", check_for_existing_workbook="true",
               start_workbook="true")
    template = WorkbookTemplate.objects.get(name="Risk Investigation")
    assert out["workbook_id"] == template.pk
    names = list(ContainerTask.objects.filter(container=case).values_list("name", flat=True))
    assert names == ["Preprocess", "Investigate", "Render Verdict"]
    case.refresh_from_db()
    assert case.current_phase == "Investigate"
    assert out["current_phase_id"] == case.phases.get(name="Investigate").pk


def test_workbook_add_does_not_add_the_same_workbook_twice_unless_told(call: Call, case: Container) -> None:
    call("workbook_add", container=case.pk, workbook="Risk Recovery")
    call("workbook_add", container=case.pk, workbook="Risk Recovery", check_for_existing_workbook="True")
    assert ContainerWorkbook.objects.filter(container=case).count() == 1
    call("workbook_add", container=case.pk, workbook="Risk Recovery", check_for_existing_workbook="False",
         start_workbook="False")
    assert ContainerWorkbook.objects.filter(container=case).count() == 2


def test_workbook_add_without_a_name_adds_the_default_and_refuses_an_unknown_name(call: Call, case: Container) -> None:
    out = call("workbook_add", container=case.pk)
    assert out["workbook_id"] == WorkbookTemplate.objects.get(name="Response").pk
    with pytest.raises(ValueError, match="no workbook"):
        call("workbook_add", container=case.pk, workbook="Nope")


def test_a_task_is_updated_by_name_with_a_note_status_and_owner(call: Call, case: Container,
                                                                analyst_user: User) -> None:
    call("workbook_add", container=case.pk, workbook="Risk Investigation")
    out = call("workbook_task_update", task_name="Preprocess", note_title="Triage", note_content="done",
               status="in_progress", owner="current", container=case.pk)
    t = task(case, "Preprocess")
    assert t.status == "in_progress" and t.start_time is not None and t.end_time is None
    assert t.owner == analyst_user
    note = Note.objects.get(pk=out["note_id"])
    assert (note.title, note.content, note.note_type) == ("Triage", "done", "task")
    assert list(t.notes.all()) == [note]
    call("workbook_task_update", task_name="Preprocess", status="complete", container=case.pk)
    t.refresh_from_db()
    assert t.status == "complete" and t.end_time is not None


def test_a_status_change_alone_adds_no_note(call: Call, case: Container) -> None:
    out = call("workbook_task_update", task_name="Investigate", status="in_progress", container=case.pk)
    assert out == {"note_id": None}
    assert Note.objects.filter(container=case).count() == 0


def test_a_container_without_a_workbook_gets_the_default_one_when_a_task_is_updated(call: Call,
                                                                                    case: Container) -> None:
    call("workbook_task_update", task_name="Render Verdict", status="complete", container=case.pk)
    assert ContainerWorkbook.objects.get(container=case).name == "Response"
    assert task(case, "Render Verdict").status == "complete"


def test_closed_is_taken_as_complete_and_an_unknown_status_is_refused(call: Call, case: Container) -> None:
    call("workbook_task_update", task_name="Review and Block Indicators", status="closed", container=case.pk)
    assert task(case, "Review and Block Indicators").status == "complete"
    with pytest.raises(ValueError, match="status must be"):
        call("workbook_task_update", task_name="Investigate", status="paused", container=case.pk)


def test_task_names_match_without_case_when_no_exact_match_exists(call: Call, case: Container) -> None:
    call("workbook_task_update", task_name="undo containment", status="in_progress", container=case.pk)
    assert task(case, "Undo Containment").status == "in_progress"


def test_an_unknown_task_fails_even_when_there_is_nothing_to_change(call: Call, case: Container) -> None:
    with pytest.raises(ValueError, match="no workbook task"):
        call("workbook_task_update", task_name="Make Coffee", status="complete", container=case.pk)
    with pytest.raises(ValueError, match="no workbook task"):
        call("workbook_task_update", task_name="Make Coffee", container=case.pk)


def test_an_update_with_empty_note_status_and_owner_changes_nothing(call: Call, case: Container) -> None:
    # Corpus playbooks bind the note to child-playbook outputs that can be empty.
    out = call("workbook_task_update", task_name="Investigate", note_title=None, note_content="", status="",
               container=case.pk)
    assert out == {"note_id": None}
    assert task(case, "Investigate").status == "incomplete" and not Note.objects.filter(container=case).exists()


def test_the_earliest_unfinished_task_of_that_name_is_the_one_updated(call: Call, case: Container) -> None:
    call("workbook_add", container=case.pk, workbook="Risk Investigation")
    call("workbook_add", container=case.pk, workbook="Response", start_workbook="false")
    call("workbook_task_update", task_name="Investigate", status="complete", container=case.pk)
    call("workbook_task_update", task_name="Investigate", status="in_progress", container=case.pk)
    statuses = list(ContainerTask.objects.filter(container=case, name="Investigate")
                    .order_by("phase__order", "order").values_list("status", flat=True))
    assert statuses == ["complete", "in_progress"]


def test_task_name_playbook_finds_the_task_that_lists_the_running_playbook(call: Call, case: Container,
                                                                          step: StepContext) -> None:
    template = WorkbookTemplate.objects.create(name="Phishing")
    phase = WorkbookPhaseTemplate.objects.create(template=template, name="Analyse")
    WorkbookTaskTemplate.objects.create(phase=phase, name="Manual review", order=0)
    WorkbookTaskTemplate.objects.create(phase=phase, name="Detonate", order=1, playbooks=["local/cf_host"])
    call("workbook_add", container=case.pk, workbook="Phishing")
    call("workbook_task_update", task_name="playbook", status="complete", note_title="Report", note_content="x",
         container=case.pk)
    assert task(case, "Detonate").status == "complete"
    assert task(case, "Manual review").status == "incomplete"


def test_task_name_playbook_also_finds_the_task_of_a_parent_run_and_fails_clearly_without_one(
        call: Call, case: Container, step: StepContext) -> None:
    from engine.models import PlaybookRun
    from tests.engine.conftest import python_playbook

    call("workbook_task_update", task_name="Investigate", status="in_progress", container=case.pk)
    with pytest.raises(ValueError, match="lists the playbook local/cf_host"):
        call("workbook_task_update", task_name="playbook", status="complete", container=case.pk)
    parent_book = python_playbook("dispatcher", "def on_start(container):\n    pass\n")
    parent = PlaybookRun.objects.create(playbook=parent_book, playbook_version=parent_book.current(), container=case)
    PlaybookRun.objects.filter(pk=step.run.pk).update(parent_run=parent)
    step.run.refresh_from_db()
    ContainerTask.objects.filter(container=case, name="Render Verdict").update(playbooks=["dispatcher"])
    call("workbook_task_update", task_name="playbook", status="complete", container=case.pk)
    assert task(case, "Render Verdict").status == "complete"


def test_a_task_that_needs_a_note_cannot_be_completed_without_one(call: Call, case: Container) -> None:
    template = WorkbookTemplate.objects.create(name="Strict", is_note_required=True)
    phase = WorkbookPhaseTemplate.objects.create(template=template, name="Only")
    WorkbookTaskTemplate.objects.create(phase=phase, name="Sign off")
    call("workbook_add", container=case.pk, workbook="Strict")
    with pytest.raises(ValueError, match="needs a note"):
        call("workbook_task_update", task_name="Sign off", status="complete", container=case.pk)
    call("workbook_task_update", task_name="Sign off", status="complete", note_title="ok", note_content="signed",
         container=case.pk)
    assert task(case, "Sign off").status == "complete"


def test_owner_must_be_a_known_user(call: Call, case: Container, db: Any) -> None:
    User.objects.create_user("lead")
    call("workbook_task_update", task_name="Investigate", owner="lead", container=case.pk)
    assert task(case, "Investigate").owner.username == "lead"
    with pytest.raises(ValueError, match="no user"):
        call("workbook_task_update", task_name="Investigate", owner="ghost", container=case.pk)


def test_seeding_twice_changes_nothing_and_keeps_edited_templates(db: Any) -> None:
    from engine.models.workbooks import seed_workbook_templates

    seed_workbook_templates()
    WorkbookTemplate.objects.filter(name="Response").update(description="ours")
    assert seed_workbook_templates() == 0
    assert WorkbookTemplate.objects.get(name="Response").description == "ours"
    assert WorkbookTemplate.objects.filter(is_default=True).count() == 1
