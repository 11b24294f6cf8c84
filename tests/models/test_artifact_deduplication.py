"""Artifact deduplication, one test per clause of SOAR's rules (product seed 004)."""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from engine.artifacts import add_artifact_sdi, artifact_created, artifact_hash, clone_artifact, create_artifact
from engine.models import Artifact, Container

pytestmark = pytest.mark.django_db

BODY = {"name": "ip", "label": "event", "source_data_identifier": "sdi-1", "cef": {"sourceAddress": "1.1.1.1"}}


@pytest.fixture
def container() -> Container:
    return Container.objects.create(name="case")


def test_the_hash_is_taken_over_the_posted_body(container: Container) -> None:
    outcome = create_artifact(container, BODY)
    assert outcome.artifact is not None
    assert outcome.artifact.hash == artifact_hash(BODY, None)
    assert artifact_hash({**BODY, "cef": {"sourceAddress": "2.2.2.2"}}, None) != outcome.artifact.hash


def test_the_hash_never_changes_after_the_artifact_is_edited(container: Container) -> None:
    artifact = create_artifact(container, BODY).artifact
    assert artifact is not None
    before = artifact.hash
    artifact.cef = {"sourceAddress": "9.9.9.9"}
    artifact.name = "renamed"
    artifact.save()
    artifact.refresh_from_db()
    assert artifact.hash == before


def test_a_clone_gets_an_altered_hash_and_is_kept(container: Container) -> None:
    artifact = create_artifact(container, BODY).artifact
    assert artifact is not None
    clone = clone_artifact(artifact)
    assert clone.hash != artifact.hash
    assert clone.cef == artifact.cef and clone.source_data_identifier == artifact.source_data_identifier
    assert Artifact.objects.filter(container=container).count() == 2


def test_an_artifact_without_a_source_data_identifier_is_never_deduplicated(container: Container) -> None:
    body = {k: v for k, v in BODY.items() if k != "source_data_identifier"}
    first = create_artifact(container, body)
    second = create_artifact(container, body)
    assert first.created and second.created
    assert first.artifact is not None and second.artifact is not None
    assert first.artifact.hash == second.artifact.hash
    assert Artifact.objects.filter(container=container).count() == 2


def test_the_same_sdi_and_body_in_the_same_container_is_rejected_naming_the_existing_id(container: Container) -> None:
    first = create_artifact(container, BODY)
    second = create_artifact(container, BODY)
    assert first.artifact is not None
    assert not second.created
    assert second.existing_id == first.artifact.pk
    assert Artifact.objects.filter(container=container).count() == 1


def test_the_same_artifact_in_another_container_is_kept(container: Container) -> None:
    other = Container.objects.create(name="other case")
    assert create_artifact(container, BODY).created
    assert create_artifact(other, BODY).created


def test_the_same_sdi_with_a_different_body_is_kept(container: Container) -> None:
    assert create_artifact(container, BODY).created
    assert create_artifact(container, {**BODY, "cef": {"sourceAddress": "8.8.8.8"}}).created


def test_one_user_cannot_add_the_same_artifact_twice_but_two_users_can(container: Container) -> None:
    alice = User.objects.create_user("alice")
    bob = User.objects.create_user("bob")
    assert create_artifact(container, BODY, creator=alice).created
    assert not create_artifact(container, BODY, creator=alice).created
    assert create_artifact(container, BODY, creator=bob).created
    assert Artifact.objects.filter(container=container).count() == 2


def test_an_app_created_artifact_and_the_same_one_from_add_artifact_are_both_kept(container: Container) -> None:
    cef = {"sourceAddress": "1.1.1.1"}
    # An app's "create container" action carries the data source's own identifier.
    from_app = {"name": "ip", "label": "event", "cef": cef, "source_data_identifier": "splunk-event-42"}
    sdi = add_artifact_sdi(container.pk, "event", "ip", cef)
    from_playbook = {"name": "ip", "label": "event", "cef": cef, "source_data_identifier": sdi}
    assert create_artifact(container, from_app).created
    assert create_artifact(container, from_playbook).created
    # ... while repeating phantom.add_artifact with the same artifact is rejected.
    again = {"name": "ip", "label": "event", "cef": cef, "source_data_identifier": add_artifact_sdi(container.pk, "event", "ip", cef)}
    assert not create_artifact(container, again).created
    assert Artifact.objects.filter(container=container).count() == 2


def test_a_rejected_duplicate_never_triggers_automation(container: Container, django_capture_on_commit_callbacks: Any) -> None:
    seen: list[int] = []

    def listener(sender: Any, artifact: Artifact, **kwargs: Any) -> None:
        seen.append(artifact.pk)

    artifact_created.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = create_artifact(container, BODY, run_automation=True)
        with django_capture_on_commit_callbacks(execute=True):
            second = create_artifact(container, BODY, run_automation=True)
    finally:
        artifact_created.disconnect(listener)
    assert first.artifact is not None and not second.created
    assert seen == [first.artifact.pk]


def test_automation_is_not_triggered_when_run_automation_is_false(container: Container, django_capture_on_commit_callbacks: Any) -> None:
    seen: list[int] = []
    artifact_created.connect(lambda sender, artifact, **kw: seen.append(artifact.pk), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            create_artifact(container, BODY, run_automation=False)
    finally:
        artifact_created.disconnect(dispatch_uid="t")
    assert seen == []


def test_the_database_refuses_a_duplicate_that_slips_past_the_check(container: Container) -> None:
    artifact = create_artifact(container, BODY).artifact
    assert artifact is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Artifact.objects.create(container=container, hash=artifact.hash, source_data_identifier="sdi-1")


def test_creating_an_artifact_counts_it_on_the_container(container: Container) -> None:
    create_artifact(container, BODY)
    create_artifact(container, BODY)
    create_artifact(container, {**BODY, "source_data_identifier": "sdi-2"})
    container.refresh_from_db()
    assert container.artifact_count == 2
