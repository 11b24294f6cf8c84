"""The run websocket throttles instead of debouncing: the first event after a quiet spell
is sent at once, later ones wait for the next frame slot (at most one frame per FLUSH_S)."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from engine import consumers
from tests.ws.test_run_stream import communicator, emit, make_run, receive_all, token_for

pytestmark = [pytest.mark.django_db(transaction=True)]


async def test_a_lone_event_goes_out_at_once_and_the_next_waits_for_its_slot(viewer: User, monkeypatch: pytest.MonkeyPatch) -> None:
    # A window long enough that "at once" and "waited for the window" cannot be confused.
    monkeypatch.setattr(consumers, "FLUSH_S", 1.0)
    run = await make_run()
    comm = communicator(f"/ws/runs/{run.pk}/?token={await token_for(viewer)}")
    assert (await comm.connect())[0]
    await emit(run, 1)
    first = await comm.receive_json_from(timeout=0.5)
    assert [e["seq"] for e in first["events"]] == [1]
    await emit(run, 2, start=1)
    assert await comm.receive_nothing(timeout=0.3)
    later = await receive_all(comm, 2)
    assert [e["seq"] for e in later] == [2, 3]
    await comm.disconnect()
