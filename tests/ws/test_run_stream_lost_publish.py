"""Nothing depends on the channel layer being lossless: an event whose publish was lost
still reaches a connected socket, from the database, after a quiet second."""
from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone

from engine.models import PlaybookRun, RunEvent
from tests.ws.test_run_stream import communicator, emit, make_run, receive_all, token_for

pytestmark = [pytest.mark.django_db(transaction=True)]


@database_sync_to_async
def store_without_publishing(run: PlaybookRun, message: str) -> None:
    PlaybookRun.objects.filter(pk=run.pk).update(event_seq=F("event_seq") + 1)
    seq = PlaybookRun.objects.get(pk=run.pk).event_seq
    RunEvent.objects.create(run=run, seq=seq, kind="debug", payload={"message": message}, created=timezone.now())


async def test_an_event_whose_publish_was_lost_arrives_from_the_database(viewer: User) -> None:
    run = await make_run()
    comm = communicator(f"/ws/runs/{run.pk}/?token={await token_for(viewer)}")
    connected, _ = await comm.connect()
    assert connected
    await emit(run, 2)
    assert [e["seq"] for e in await receive_all(comm, 2)] == [1, 2]
    await store_without_publishing(run, "the last line")
    (late,) = await receive_all(comm, 1)
    assert (late["seq"], late["payload"]["message"]) == (3, "the last line")
    await comm.disconnect()
