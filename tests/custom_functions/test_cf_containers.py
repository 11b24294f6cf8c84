"""Container and artifact functions: merge into a case, related containers, evidence, updates."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from engine.models import (
    ActionRun,
    Artifact,
    Container,
    ContainerWorkbook,
    Evidence,
    Note,
    PlaybookRun,
    VaultItem,
)
from engine.runtime.context import StepContext
from tests.custom_functions.conftest import Call, add_to_vault

pytestmark = pytest.mark.django_db


@pytest.fixture
def children(case: Container) -> list[Container]:
    made = []
    for i, ip in enumerate(("10.0.0.5", "10.0.0.6")):
        child = Container.objects.create(name=f"alert {i}")
        Artifact.objects.create(container=child, hash=f"c{i}", source_data_identifier=f"sdi{i}",
                                cef={"destinationAddress": ip})
        Note.objects.create(container=child, title=f"triage {i}", content="seen before")
        made.append(child)
    return made


def test_container_merge_copies_artifacts_and_notes_and_makes_the_target_a_case(
        call: Call, case: Container, children: list[Container], tmp_path: Path) -> None:
    (tmp_path / "mail.eml").write_text("From: x")
    vault_id = add_to_vault(tmp_path / "mail.eml", "mail.eml", children[0])
    out = call("container_merge", target_container=case.pk, container_list=[c.pk for c in children],
               close_containers="True")
    assert out["merged_containers"] == [c.pk for c in children]
    case.refresh_from_db()
    assert case.container_type == "case"
    copied = Artifact.objects.filter(container=case).order_by("id")
    assert [a.cef["destinationAddress"] for a in copied] == ["10.0.0.5", "10.0.0.6"]
    assert all(a.parent_artifact is not None for a in copied)
    titles = list(Note.objects.filter(container=case).values_list("title", flat=True))
    assert titles == [f"[Merged from container {children[0].pk}] triage 0",
                      f"[Merged from container {children[1].pk}] triage 1"]
    assert VaultItem.objects.filter(container=case, vault_id=vault_id).exists()
    for child in children:
        child.refresh_from_db()
        assert child.in_case and child.parent_container_id == case.pk and child.status == "closed"
        assert Note.objects.filter(container=child, title=f"[Merged into case {case.pk}]").exists()
    evidence = Evidence.objects.filter(container=case, content_type="container_id")
    assert sorted(evidence.values_list("object_id", flat=True)) == [c.pk for c in children]
    assert ContainerWorkbook.objects.get(container=case).name == "Response"


def test_merging_again_copies_nothing_twice_and_skips_notes_left_by_a_merge(
        call: Call, case: Container, children: list[Container]) -> None:
    call("container_merge", target_container=case.pk, container_list=[children[0].pk])
    again = call("container_merge", target_container=case.pk, container_list=[children[0].pk])
    assert again["merged_containers"] == []
    assert Artifact.objects.filter(container=case).count() == 1
    # A case merged into another case does not carry the first merge's notes along.
    bigger = Container.objects.create(name="major incident")
    call("container_merge", target_container=bigger.pk, container_list=[case.pk], workbook="Risk Response")
    assert [n.title for n in Note.objects.filter(container=bigger)] == []
    assert ContainerWorkbook.objects.get(container=bigger).name == "Risk Response"


def test_merge_ignores_the_target_in_its_own_list_and_keeps_children_open_by_default(
        call: Call, case: Container, children: list[Container]) -> None:
    out = call("container_merge", target_container=case.pk, container_list=f"{case.pk}, {children[1].pk}")
    assert out["merged_containers"] == [children[1].pk]
    children[1].refresh_from_db()
    assert children[1].status == "new"


def test_find_related_containers_by_shared_values(call: Call, case: Container, children: list[Container]) -> None:
    Artifact.objects.create(container=case, hash="s", cef={"destinationAddress": "10.0.0.5", "src": "10.0.0.6"})
    rows = call("find_related_containers", value_list=["10.0.0.5"], container=case.pk)
    assert [r["container_id"] for r in rows] == [children[0].pk]
    assert rows[0]["container_indicator_match_count"] == 1 and len(rows[0]["indicator_ids"]) == 1
    assert rows[0]["container_url"].endswith(f"/containers/{children[0].pk}")
    everything = call("find_related_containers", value_list="*", container=case.pk)
    assert [r["container_id"] for r in everything] == [c.pk for c in children]
    assert call("find_related_containers", value_list="*", container=case.pk, minimum_match_count="all") == []


def test_find_related_containers_by_field_needs_the_same_value_in_the_same_field(
        call: Call, case: Container, children: list[Container]) -> None:
    Artifact.objects.create(container=case, hash="s", cef={"destinationAddress": "10.0.0.5", "src": "10.0.0.6"})
    rows = call("find_related_containers", field_list="destinationAddress, src", container=case.pk)
    assert [(r["container_id"], r["container_field_list"]) for r in rows] == [(children[0].pk, ["destinationAddress"])]


def test_find_related_containers_applies_the_window_and_filters(call: Call, case: Container,
                                                                children: list[Container]) -> None:
    Artifact.objects.create(container=case, hash="s", cef={"destinationAddress": "10.0.0.5"})
    Container.objects.filter(pk=children[0].pk).update(create_time=case.create_time - timedelta(days=3))
    assert call("find_related_containers", value_list="10.0.0.5", container=case.pk, earliest_time="-2d") == []
    assert len(call("find_related_containers", value_list="10.0.0.5", container=case.pk, earliest_time="-4d")) == 1
    assert call("find_related_containers", value_list="10.0.0.5", container=case.pk, filter_status="closed") == []
    assert len(call("find_related_containers", value_list="10.0.0.5", container=case.pk, filter_status="1")) == 1
    assert call("find_related_containers", value_list="10.0.0.5", container=case.pk, filter_in_case="True") == []
    with pytest.raises(ValueError, match="not both"):
        call("find_related_containers", value_list="x", field_list="y", container=case.pk)


def test_collect_by_cef_type_groups_the_keys_of_one_value_and_honours_scope_and_tags(
        call: Call, case: Container, step: StepContext) -> None:
    old = Artifact.objects.create(container=case, hash="o", cef={"sourceAddress": "1.1.1.1"}, tags=["vip"])
    PlaybookRun.objects.filter(pk=step.run.pk).update(new_after=old.pk)
    step.run.refresh_from_db()
    new = Artifact.objects.create(container=case, hash="n", tags=["vip", "mail"],
                                  cef={"sourceAddress": "2.2.2.2", "deviceAddress": "2.2.2.2", "fileName": "a.exe"})
    rows = call("collect_by_cef_type", data_types="ip")
    assert rows == [{"artifact_id": new.pk, "artifact_tags": ["vip", "mail"], "cef_keys": ["deviceAddress", "sourceAddress"],
                     "cef_types": ["ip"], "cef_value": "2.2.2.2", "artifact_value": "2.2.2.2"}]
    assert [r["cef_value"] for r in call("collect_by_cef_type", data_types="ip", scope="all")] == ["1.1.1.1", "2.2.2.2"]
    assert [r["cef_value"] for r in call("collect_by_cef_type", data_types="all", scope="all", tags="mail")] == \
        ["2.2.2.2", "a.exe"]


def test_artifact_create_sets_one_field_and_returns_the_existing_artifact_when_repeated(
        call: Call, case: Container, analyst_user: User) -> None:
    first = call("artifact_create", container=case.pk, name="ioc", label="threat", severity="High",
                 cef_field="destinationAddress", cef_value="10.9.9.9", cef_data_type="ip", tags="a,b",
                 input_json='{"description": "from intel", "cef": {"port": 443}}')
    artifact = Artifact.objects.get(pk=first["artifact_id"])
    assert (artifact.name, artifact.label, artifact.severity, artifact.description) == ("ioc", "threat", "high", "from intel")
    assert artifact.cef == {"port": 443, "destinationAddress": "10.9.9.9"}
    assert artifact.cef_types == {"destinationAddress": ["ip"]} and artifact.tags == ["a", "b"]
    assert artifact.owner == analyst_user
    again = call("artifact_create", container=case.pk, name="ioc", label="threat", severity="High",
                 cef_field="destinationAddress", cef_value="10.9.9.9", cef_data_type="ip", tags="a,b",
                 input_json='{"description": "from intel", "cef": {"port": 443}}')
    assert again == first and Artifact.objects.filter(container=case).count() == 1
    with pytest.raises(ValueError, match="go together"):
        call("artifact_create", container=case.pk, cef_field="x")


def test_artifact_update_merges_cef_and_tags_and_refuses_unknown_fields(call: Call, case: Container) -> None:
    artifact = Artifact.objects.create(container=case, hash="u", cef={"a": 1}, tags=["x"])
    call("artifact_update", artifact_id=artifact.pk, name="renamed", cef_field="b", cef_value="2", tags="y",
         input_json={"cef": {"c": 3}, "description": "d"})
    artifact.refresh_from_db()
    assert (artifact.name, artifact.description, artifact.cef, artifact.tags, artifact.version) == \
        ("renamed", "d", {"a": 1, "b": "2", "c": 3}, ["x", "y"], 2)
    call("artifact_update", artifact_id=artifact.pk, tags="z", overwrite_tags="true")
    artifact.refresh_from_db()
    assert artifact.tags == ["z"]
    with pytest.raises(ValueError, match="cannot be updated"):
        call("artifact_update", artifact_id=artifact.pk, input_json={"hash": "forged"})


def test_container_update_changes_several_fields_and_validates_them(call: Call, case: Container,
                                                                    analyst_user: User) -> None:
    call("container_update", container_input={"id": case.pk}, name="Phish: payroll", severity="High", status="open",
         owner="current", tags="phish, payroll", input_json={"custom_fields": {"ticket": "T-1"}})
    case.refresh_from_db()
    assert (case.name, case.severity, case.status, case.owner, case.tags, case.custom_fields) == \
        ("Phish: payroll", "high", "open", analyst_user, ["phish", "payroll"], {"ticket": "T-1"})
    with pytest.raises(ValueError, match="severity must be"):
        call("container_update", container_input=case.pk, severity="urgent")
    with pytest.raises(ValueError, match="cannot be updated"):
        call("container_update", container_input=case.pk, input_json={"id": 5})


def test_mark_evidence_links_each_kind_once(call: Call, case: Container, step: StepContext, tmp_path: Path) -> None:
    artifact = Artifact.objects.create(container=case, hash="e")
    note = Note.objects.create(container=case, title="n")
    (tmp_path / "f.txt").write_text("evidence")
    vault_id = add_to_vault(tmp_path / "f.txt", "f.txt", case)
    first = call("mark_evidence", container=case.pk, input_object=artifact.pk, content_type="artifact_id")
    assert call("mark_evidence", container=case.pk, input_object=str(artifact.pk), content_type="artifact_id") == first
    call("mark_evidence", container=case.pk, input_object=note.pk, content_type="note_id")
    vault = call("mark_evidence", container=case.pk, input_object=vault_id, content_type="vault_id")
    assert Evidence.objects.get(pk=vault[0]["id"]).vault_item.vault_id == vault_id
    run = ActionRun.objects.create(playbook_run=step.run, container=case, action="lookup", name="lookup_1")
    results = [{"action_run_id": run.pk, "app_run_id": 1}, {"action_run_id": run.pk, "app_run_id": 2}]
    marked = call("mark_evidence", container=case.pk, input_object=results, content_type="action_run_id")
    assert len(marked) == 1 and Evidence.objects.get(pk=marked[0]["id"]).action_run == run
    assert Evidence.objects.filter(container=case).count() == 4
    with pytest.raises(ValueError, match="content_type must be"):
        call("mark_evidence", container=case.pk, input_object=1, content_type="email")
    with pytest.raises(ValueError, match="no artifact"):
        call("mark_evidence", container=case.pk, input_object=99999, content_type="artifact_id")


def test_mark_evidence_of_nothing_marks_nothing(call: Call, case: Container) -> None:
    # The note_id of an upstream workbook_task_update that added no note is None.
    assert call("mark_evidence", container=case.pk, input_object=None, content_type="note_id") == []
    assert not Evidence.objects.filter(container=case).exists()


def test_comment_list_lists_comments_but_not_other_notes(call: Call, case: Container) -> None:
    import phantom.rules as phantom

    phantom.comment(container=case.pk, comment="first look")
    Note.objects.create(container=case, title="report", content="long")
    rows = call("comment_list")
    assert [(r["comment"], r["container"], r["mentions"]) for r in rows] == [("first look", case.pk, [])]
