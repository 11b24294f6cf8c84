"""Playbooks promote events to cases, merge into cases, create containers, add workbooks
and read notes (`promote`, `deescalate`, `merge`, `create_container`, `add_workbook`, `get_notes`)."""
from __future__ import annotations

from collections.abc import Callable

from engine.models import Artifact, Container, ContainerPhase, ContainerWorkbook, Note, PlaybookRun, RunEvent
from tests.engine.conftest import python_playbook, run_code

Run = Callable[..., PlaybookRun]



def test_promote_makes_a_case_with_the_named_workbook_and_starts_it(container: Container, run_to_end: Run) -> None:
    out = run_code(container, run_to_end, """
out = [phantom.promote(container=container, template="Risk Investigation"),
       phantom.get_container(container['id'])['container_type']]
""")
    container.refresh_from_db()
    assert out[0][0] is True and out[1] == "case"
    assert container.container_type == "case"
    (workbook,) = ContainerWorkbook.objects.filter(container=container)
    assert workbook.name == "Risk Investigation"
    first = ContainerPhase.objects.filter(workbook=workbook).order_by("order", "id").first()
    assert first is not None and container.current_phase == first.name
    assert RunEvent.objects.filter(kind="container.updated", payload__container_type="case").exists()


def test_promote_with_an_unknown_template_fails_the_block_by_name(container: Container, run_to_end: Run) -> None:
    pb = python_playbook("bad_promote", """
        import phantom.rules as phantom

        def on_start(container):
            phantom.promote(container=container, template="No Such Workbook")
    """)
    run = run_to_end(pb, container)
    assert run.status == "failed" and "no workbook template 'No Such Workbook'" in run.message
    container.refresh_from_db()
    assert container.container_type == "default"


def test_deescalate_turns_a_case_back_into_an_event(container: Container, run_to_end: Run) -> None:
    out = run_code(container, run_to_end, """
out = [phantom.deescalate(container), phantom.promote(container), phantom.deescalate(container)]
""")
    container.refresh_from_db()
    assert [o[0] for o in out] == [False, True, True] and container.container_type == "default"


def test_merge_copies_a_container_into_a_case_and_links_it(container: Container, run_to_end: Run) -> None:
    event = Container.objects.create(name="event", label="events")
    Artifact.objects.create(container=event, name="ip", cef={"sourceAddress": "10.0.0.5"}, hash="a1")
    Note.objects.create(container=event, title="seen", content="first sighting")
    out = run_code(container, run_to_end, f"""
before = phantom.merge(case=container['id'], container_id={event.pk})
phantom.promote(container=container)
out = [before, phantom.merge(case=container['id'], container_id={event.pk}),
       phantom.merge(case=container['id'], container_id={event.pk})]
""")
    assert out[0][0] is False and "not a case" in out[0][1]
    assert out[1] == [True, f"container {event.pk} merged"]
    assert out[2] == [True, f"container {event.pk} was already merged"]
    event.refresh_from_db()
    assert (event.parent_container_id, event.in_case) == (container.pk, True)
    assert Artifact.objects.filter(container=container, cef={"sourceAddress": "10.0.0.5"}).count() == 1
    assert Note.objects.filter(container=container, content="first sighting").count() == 1


def test_merge_copies_one_artifact_into_a_case(container: Container, run_to_end: Run) -> None:
    event = Container.objects.create(name="event", label="events")
    artifact = Artifact.objects.create(container=event, name="host", cef={"destinationHostName": "web1"}, hash="h1")
    out = run_code(container, run_to_end, f"""
phantom.promote(container=container)
out = [phantom.merge(case=container['id'], artifact_id={artifact.pk}),
       phantom.merge(case=container['id'], artifact_id=999999)]
""")
    assert out[0][0] is True and out[1] == [False, "no artifact 999999"]
    copy = Artifact.objects.get(container=container)
    assert copy.cef == {"destinationHostName": "web1"} and copy.parent_artifact_id == artifact.pk


def test_create_container_makes_one_and_refuses_a_known_identifier(container: Container, run_to_end: Run) -> None:
    out = run_code(container, run_to_end, """
out = [phantom.create_container(name="Follow-up", label="incident", severity="high", tags="phishing",
                                source_data_identifier="ticket-42"),
       phantom.create_container(name="Again", label="incident", source_data_identifier="ticket-42")]
""")
    (ok, message, made_id), again = out
    made = Container.objects.get(pk=made_id)
    assert ok and (made.name, made.label, made.severity, made.tags) == ("Follow-up", "incident", "high", ["phishing"])
    assert again == [False, "container already exists", made_id]


def test_create_container_refuses_an_unknown_field_by_name(container: Container, run_to_end: Run) -> None:
    pb = python_playbook("bad_create", """
        import phantom.rules as phantom

        def on_start(container):
            phantom.create_container(name="x", colour="red")
    """)
    run = run_to_end(pb, container)
    assert run.status == "failed" and "unknown fields colour" in run.message
    assert not Container.objects.filter(name="x").exists()


def test_add_workbook_copies_the_phases_and_starts_the_first(container: Container, run_to_end: Run) -> None:
    out = run_code(container, run_to_end, """
out = [phantom.add_workbook(container=container, workbook_id="Risk Response"),
       phantom.add_workbook(container=container, workbook_id="Nope")]
""")
    assert out[0][0] is True and out[1] == [False, "no workbook 'Nope'"]
    (workbook,) = ContainerWorkbook.objects.filter(container=container)
    assert workbook.name == "Risk Response" and ContainerPhase.objects.filter(workbook=workbook).exists()
    container.refresh_from_db()
    assert container.current_phase


def test_add_note_returns_the_note_id_and_get_notes_gives_each_as_success_and_data(container: Container, run_to_end: Run) -> None:
    Note.objects.create(container=container, title="first", content="one")
    out = run_code(container, run_to_end, """
ok, message, note_id = phantom.add_note(container=container, title="second", content="two", note_format="html")
out = [[n['success'], n['data']['title'], n['data']['content'], n['data']['note_format']]
       for n in phantom.get_notes(container=container)] + [len(phantom.get_notes(container=container, limit=1)),
                                                           note_id, phantom.comment(container, "hi")]
""")
    second = Note.objects.get(container=container, title="second")
    assert out == [[True, "first", "one", "markdown"], [True, "second", "two", "html"], 1, second.pk,
                   [True, f"note {second.pk + 1} added"]]
