"""`rows.new` builds the instance `Model(**values)` would (defaults, related objects by
name or id) for the engine's inserts, and refuses what `Model.__init__` refuses; `rows.insert`
stores what `save()` stores; `rows.stamp` and the datetime converter agree with the ORM."""
from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.utils import timezone

from engine.execution import rows
from engine.models import ActionRun, Container, Note, PlaybookRun, RunStep
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db

CODE = '''
def on_start(container):
    pass
'''


def _run() -> PlaybookRun:
    container = Container.objects.create(name="c")
    playbook = python_playbook("new_rows", CODE)
    return PlaybookRun.objects.create(playbook=playbook, playbook_version=playbook.versions.first(), container=container)


def _fields(obj: object) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}  # type: ignore[attr-defined]


def test_it_builds_what_the_model_constructor_builds() -> None:
    run = _run()
    fast = rows.new(RunStep, run=run, kind="callback", function="done", handle="h", payload={"x": 1})
    slow = RunStep(run=run, kind="callback", function="done", handle="h", payload={"x": 1})
    made_at = {"create_time"}  # default=timezone.now: each constructor asks the clock
    assert {k: v for k, v in _fields(fast).items() if k not in made_at} == {
        k: v for k, v in _fields(slow).items() if k not in made_at}
    assert abs(fast.create_time - slow.create_time) < datetime.timedelta(seconds=5)
    assert fast._state.adding and fast._state.db is None
    assert fast.run is run  # the related object is cached, as the constructor caches it


def test_each_instance_gets_its_own_mutable_defaults() -> None:
    run = _run()
    first, second = rows.new(RunStep, run=run, kind="start"), rows.new(RunStep, run=run, kind="start")
    first.payload["changed"] = True
    assert second.payload == {}


def test_a_related_id_may_be_given_by_its_attname_or_as_none() -> None:
    run = _run()
    action = rows.insert(rows.new(ActionRun, playbook_run=run, container_id=run.container_id, action="geolocate ip",
                                  name="geo", type="action", status="pending", owner_id=None))
    assert ActionRun.objects.get(pk=action.pk).container_id == run.container_id
    note = rows.insert(rows.new(Note, container_id=run.container_id, artifact=None, title="t", content="c"))
    stored = Note.objects.get(pk=note.pk)
    assert stored.artifact_id is None and stored.title == "t"


def test_it_refuses_unknown_fields_and_non_instances_for_relations() -> None:
    run = _run()
    with pytest.raises(TypeError, match="unexpected keyword arguments: colour"):
        rows.new(RunStep, run=run, kind="start", colour="red")
    with pytest.raises(TypeError, match="must be a model instance"):
        rows.new(RunStep, run=run.pk, kind="start")


def test_a_model_with_init_receivers_takes_the_constructor() -> None:
    seen: list[object] = []

    def receiver(sender: type, instance: object, **kwargs: object) -> None:
        seen.append(instance)

    post_init.connect(receiver, sender=RunStep)
    try:
        step = rows.new(RunStep, run=_run(), kind="start")
    finally:
        post_init.disconnect(receiver, sender=RunStep)
    assert seen == [step]


def test_a_stamped_datetime_reads_back_as_the_same_aware_value() -> None:
    run = _run()
    moment = timezone.now().replace(microsecond=123456)
    step = rows.insert(rows.new(RunStep, run=run, kind="start", not_before=moment))
    with rows.raw() as cursor:
        cursor.execute('SELECT "not_before" FROM "engine_runstep" WHERE "id" = %s', [step.pk])
        (stored,) = cursor.fetchone()
    assert RunStep.objects.get(pk=step.pk).not_before == moment
    if connection.vendor == "sqlite":
        assert str(stored) == str(moment.replace(tzinfo=None))  # naive UTC, as the ORM writes it
        assert rows._datetime(stored, None, rows.db()) == moment
    assert rows.stamp(moment) == rows.stamp(moment.astimezone(datetime.timezone(datetime.timedelta(hours=2))))


def _stored(model: type, pk: int, skip: tuple[str, ...]) -> dict[str, object]:
    columns = [f.column for f in model._meta.concrete_fields if f.column not in skip]  # type: ignore[attr-defined]
    quoted = ", ".join(f'"{c}"' for c in columns)
    with rows.raw() as cursor:
        cursor.execute(f'SELECT {quoted} FROM "{model._meta.db_table}" WHERE "id" = %s', [pk])  # type: ignore[attr-defined]
        return dict(zip(columns, cursor.fetchone(), strict=True))


@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime")
def test_insert_stores_what_save_stores() -> None:
    run = _run()
    moment = timezone.now().replace(microsecond=654321)
    values = {"playbook_run": run, "container_id": run.container_id, "action": "geolocate ip", "name": "é “x”",
              "type": "action", "status": "pending", "targets": [{"assets": ["a"], "parameters": [{"ip": 1.5}]}],
              "handle": '{"k": [1, null]}', "callback": "", "exec_order": 3, "owner_id": None}
    ours = rows.insert(rows.new(ActionRun, **values))
    theirs = ActionRun(**values)
    theirs.save()
    skip = ("id", "create_time", "update_time")
    assert _stored(ActionRun, ours.pk, skip) == _stored(ActionRun, theirs.pk, skip)
    step_values = {"run": run, "kind": "callback", "function": "done", "action_run": ours, "payload": {"loop_state": "x"},
                   "not_before": moment, "attempts": 0, "start_time": moment.replace(tzinfo=None)}
    ours_step = rows.insert(rows.new(RunStep, **step_values))
    theirs_step = RunStep(**step_values)
    theirs_step.save()
    skip = ("id", "create_time")
    assert _stored(RunStep, ours_step.pk, skip) == _stored(RunStep, theirs_step.pk, skip)


@pytest.mark.parametrize("moment", [
    datetime.datetime(2026, 11, 25, 3, 4, 5, 0, tzinfo=datetime.UTC),
    datetime.datetime(2026, 11, 25, 3, 4, 5, 1, tzinfo=datetime.UTC),
    datetime.datetime(2026, 11, 25, 3, 4, 5, 999999, tzinfo=datetime.UTC),
    datetime.datetime(2026, 11, 25, 3, 4, 6, 120000, tzinfo=datetime.UTC),
    datetime.datetime(1, 1, 1, 0, 0, 0, 5, tzinfo=datetime.UTC),
    datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC),
], ids=str)
def test_a_stamp_is_the_text_django_writes_for_sqlite(moment: datetime.datetime) -> None:
    for _ in range(2):  # the second time from the remembered second
        assert rows._naive_text(moment) == str(moment.replace(tzinfo=None))


def test_relate_caches_the_related_row_as_assigning_it_would() -> None:
    run = _run()
    step = rows.insert(rows.new(RunStep, run_id=run.pk, kind="start"))
    fetched = RunStep.objects.get(pk=step.pk)
    rows.relate(fetched, "run", run)
    assert RunStep.run.is_cached(fetched) and fetched.run is run
    other = PlaybookRun.objects.create(playbook=run.playbook, playbook_version=run.playbook_version,
                                       container=run.container)
    with pytest.raises(ValueError, match="is not the related row"):
        rows.relate(fetched, "run", other)
