"""The run socket's `?after=<seq>` goes through the same parser as every HTTP query
parameter (soar.ids.int_param): a value that is not a sequence number, is negative or is
beyond what the database stores closes the socket with 4400 instead of being read as 0."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from engine.consumers import CLOSE_BAD_REQUEST
from tests.ws.test_run_stream import communicator, emit, make_run, receive_all, token_for

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("after", ["abc", "-1", "1.5", "0x10", str(2**63), str(2**70)])
async def test_a_bad_after_closes_the_socket_with_4400(viewer: User, after: str) -> None:
    run = await make_run()
    await emit(run, 3)
    comm = communicator(f"/ws/runs/{run.pk}/?after={after}&token={await token_for(viewer)}")
    connected, code = await comm.connect()
    assert (connected, code) == (False, CLOSE_BAD_REQUEST)


async def test_a_good_after_replays_what_follows_it(viewer: User) -> None:
    run = await make_run()
    await emit(run, 3)
    comm = communicator(f"/ws/runs/{run.pk}/?after=1&token={await token_for(viewer)}")
    connected, _ = await comm.connect()
    assert connected
    assert [e["seq"] for e in await receive_all(comm, 2)] == [2, 3]
    await comm.disconnect()
