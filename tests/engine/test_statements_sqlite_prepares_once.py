"""SQLite prepares a statement again every time it runs when a parameter it binds is
compared with a column that a partial index's WHERE clause also compares with a
constant: the parameter's value could decide whether the index applies. On the
statements a run makes for every step that was a large share of their cost, so the
engine writes those comparisons with literals. This checks every statement of a run."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pytest
from django.db import connection

from engine.execution import rows, worker
from engine.execution.runs import start_run
from engine.models import Asset, Container
from tests.engine.conftest import python_playbook
from tests.engine.test_actions_and_callbacks import geo_assets  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "sqlite", reason="re-preparation is SQLite's")]

JOINED = '''
import phantom.rules as phantom

def on_start(container):
    phantom.act("geolocate ip", parameters=[{"ip": "1.1.1.1"}], assets=["maxmind"], callback=join, name="first")
    phantom.act("geolocate ip", parameters=[{"ip": "8.8.8.8"}], assets=["maxmind"], callback=join, name="second")

def join(action=None, success=None, container=None, results=None, handle=None, **kwargs):
    if phantom.completed(action_names=["first", "second"]):
        phantom.save_run_data(key="joined", value="1")

def on_finish(container, summary):
    pass
'''


def partial_index_columns() -> set[tuple[str, str]]:
    """(table, column) pairs that a partial index's WHERE compares with a constant."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql LIKE '%WHERE%'")
        found = cursor.fetchall()
    pairs = set()
    for table, sql in found:
        where = sql.split(" WHERE ", 1)[1]
        pairs.update((table, column) for column in re.findall(r'"(\w+)"\s*=\s*\'', where))
    return pairs


def bound_comparisons(sql: str, column: str) -> list[str]:
    where = sql.split(" WHERE ", 1)[1] if " WHERE " in sql else ""
    return re.findall(rf'"{column}"\s*(?:=|<>|!=|IN\s*\()\s*(?:%s|\?)', where)


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    execute, executemany = rows.RawCursor.execute, rows.RawCursor.executemany

    def recording(self: rows.RawCursor, sql: str, params: Sequence[Any] = ()) -> None:
        seen.append(sql)
        execute(self, sql, params)

    def recording_many(self: rows.RawCursor, sql: str, params: Sequence[Sequence[Any]]) -> None:
        seen.append(sql)
        executemany(self, sql, params)

    monkeypatch.setattr(rows.RawCursor, "execute", recording)
    monkeypatch.setattr(rows.RawCursor, "executemany", recording_many)
    return seen


def test_no_statement_of_a_run_binds_a_value_a_partial_index_compares(
        geo_assets: list[Asset], container: Container, statements: list[str]) -> None:  # noqa: F811
    pairs = partial_index_columns()
    assert ("engine_runstep", "status") in pairs
    orm: list[str] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        orm.append(sql)
        return execute(sql, params, many, context)

    run = start_run(python_playbook("joined", JOINED), container)
    with connection.execute_wrapper(wrapper):
        worker.drain()
    run.refresh_from_db()
    assert run.status == "success", run.message
    checked = 0
    offending = []
    for sql in statements + orm:
        for table, column in pairs:
            if f'"{table}"' in sql:
                checked += 1
                if bound_comparisons(sql, column):
                    offending.append(sql)
    assert checked > 10  # the run's step and task statements were looked at
    assert offending == []


def test_it_recognises_a_bound_comparison() -> None:
    assert bound_comparisons('UPDATE "t" SET "status" = %s WHERE "id" = %s AND "status" = %s', "status")
    assert bound_comparisons('SELECT 1 FROM "t" WHERE "status" IN (%s, %s)', "status")
    assert not bound_comparisons('UPDATE "t" SET "status" = %s WHERE "id" = %s AND "status" = \'pending\'', "status")
