"""Task ids are version-7 UUIDs (time first) in canonical text, and each names its stored row on
either database, whichever of the texts the engine meets it in."""
from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from engine.execution import queue

pytestmark = pytest.mark.django_db


def test_new_ids_are_canonical_version_7_uuids_in_time_order() -> None:
    ids = [queue.new_task_id() for _ in range(1000)]
    assert len(set(ids)) == len(ids)
    for task_id in ids:
        parsed = uuid.UUID(task_id)
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
        assert str(parsed) == task_id
    # Time first: later ids sort after earlier ones (to the millisecond).
    assert [i[:13] for i in ids] == sorted(i[:13] for i in ids)


@pytest.mark.parametrize("form", [str, lambda u: u.hex, lambda u: u, lambda u: "{" + str(u) + "}",
                                  lambda u: str(u).upper()], ids=["canonical", "hex", "object", "braces", "upper"])
def test_every_form_of_an_id_is_the_parameter_uuid_would_make(form: object) -> None:
    value = uuid.uuid4()
    expected = value if connection.features.has_native_uuid_field else value.hex
    assert queue._uuid(connection, form(value)) == expected  # type: ignore[operator]


def test_an_inserted_task_is_found_by_the_id_it_was_given() -> None:
    (task_id,) = queue.insert([(1, None)])
    row = DBTaskResult.objects.get(id=task_id)
    assert str(row.id) == task_id and row.status == "READY"


def test_a_forked_child_makes_ids_its_parent_does_not() -> None:
    import os

    queue.new_task_id()  # the parent's pool is filled
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.write(write, queue.new_task_id().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child_id = os.read(read, 64).decode()
    assert child_id != queue.new_task_id()
