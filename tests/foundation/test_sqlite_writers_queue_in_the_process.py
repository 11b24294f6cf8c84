"""On SQLite, a process's transactions queue on a lock of the process (soar/sqlite3/base.py)
before taking SQLite's write lock. The lock is held exactly while a transaction is open:
released on commit, on rollback and when the connection closes, so no path leaves it held
(a leak would stall every later writer of the process)."""
from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from engine.models import Container

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the lock is SQLite's backend's"),
]


def _lock() -> threading.Lock:
    from soar.sqlite3.base import _writer_lock

    return _writer_lock(str(connection.settings_dict["NAME"]))


def test_it_holds_the_lock_while_a_transaction_is_open_and_releases_it_on_commit() -> None:
    assert not _lock().locked()
    with transaction.atomic():
        Container.objects.create(name="c")
        assert _lock().locked()
    assert not _lock().locked()


def test_it_releases_the_lock_when_the_transaction_rolls_back() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        Container.objects.create(name="c")
        raise RuntimeError("undo")
    assert not _lock().locked()
    assert not Container.objects.exists()


def test_it_releases_the_lock_when_the_connection_closes_mid_transaction() -> None:
    def abandon() -> None:  # a thread whose connection goes away inside its transaction
        transaction.atomic().__enter__()
        Container.objects.create(name="c")
        connection.close()

    thread = threading.Thread(target=abandon)
    thread.start()
    thread.join()
    assert not _lock().locked()
    assert not Container.objects.exists()


def test_a_second_thread_waits_for_the_first_ones_transaction_then_writes() -> None:
    wrote: list[str] = []
    started = threading.Event()

    def second() -> None:
        started.set()
        with transaction.atomic():
            Container.objects.create(name="second")
            wrote.append("second")
        connection.close()

    with transaction.atomic():
        Container.objects.create(name="first")
        thread = threading.Thread(target=second)
        thread.start()
        started.wait()
        thread.join(0.2)
        assert thread.is_alive() and wrote == []  # queued on the process's lock
        wrote.append("first")
    thread.join()
    assert wrote == ["first", "second"]
    assert sorted(Container.objects.values_list("name", flat=True)) == ["first", "second"]
