"""On SQLite the project's backend (soar.sqlite3) sends SAVEPOINT and RELEASE straight to
the driver; what `transaction.atomic()` promises must not change: a rolled-back savepoint
undoes its writes and drops its on_commit hooks, a released one keeps both, and query
logging still lists every savepoint."""
from __future__ import annotations

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper as DjangoSQLite
from django.test.utils import CaptureQueriesContext

from engine.execution import readcache
from engine.models import Container

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the savepoint shortcut is SQLite's"),
]


class Undone(Exception):
    pass


def test_it_is_djangos_sqlite_backend_underneath() -> None:
    wrapper = connections[DEFAULT_DB_ALIAS]
    assert isinstance(wrapper, DjangoSQLite)
    assert type(wrapper).__module__ == "soar.sqlite3.base"


def test_it_undoes_a_rolled_back_savepoint_and_keeps_a_released_one() -> None:
    with transaction.atomic():
        Container.objects.create(name="kept")
        with pytest.raises(Undone), transaction.atomic():
            Container.objects.create(name="undone")
            raise Undone
        with transaction.atomic():
            Container.objects.create(name="released")
    assert sorted(Container.objects.values_list("name", flat=True)) == ["kept", "released"]


def test_it_runs_the_on_commit_hooks_of_released_savepoints_only() -> None:
    ran: list[str] = []
    with transaction.atomic():
        with pytest.raises(Undone), transaction.atomic():
            transaction.on_commit(lambda: ran.append("undone"))
            raise Undone
        with transaction.atomic():
            transaction.on_commit(lambda: ran.append("released"))
        assert ran == []
    assert ran == ["released"]


def test_it_still_lists_savepoints_where_queries_are_logged() -> None:
    with CaptureQueriesContext(connection) as captured, transaction.atomic(), transaction.atomic():
        Container.objects.create(name="logged")
    statements = [q["sql"].split()[0].upper() for q in captured.captured_queries]
    assert "SAVEPOINT" in statements and "RELEASE" in statements


def test_a_rollback_still_clears_the_batch_read_cache() -> None:
    # The rollback stays on Django's cursor path, where the batch's execute wrapper sees it.
    with transaction.atomic(), readcache.batch_reads(connection) as reads:
        assert reads is not None
        readcache.container(1, lambda: {"id": 1, "severity": "high"})
        with transaction.atomic():
            pass  # a released savepoint changes nothing it read
        assert 1 in reads.containers
        with pytest.raises(Undone), transaction.atomic():
            raise Undone
        assert reads.containers == {}


def test_an_error_in_a_savepoint_statement_is_djangos_error() -> None:
    from django.db import OperationalError

    with transaction.atomic(), pytest.raises(OperationalError):
        connection._savepoint_commit("no_such_savepoint")  # type: ignore[attr-defined]
