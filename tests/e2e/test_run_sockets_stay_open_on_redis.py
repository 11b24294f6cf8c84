"""Run and container websockets stay open however long they are idle, with the Redis channel
layer as with the in-memory one, and still deliver what comes after the quiet spell.

A real daphne server and Chromium's WebSocket: the channel layer's blocking Redis read runs
in the server process, as in production. Runs whenever REDIS_URL
is set (the PostgreSQL + Redis leg of `make test`); the in-memory layer has no Redis read
to time out.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from engine import events
from engine.models import ApiToken, Container, PlaybookRun
from tests.e2e.conftest import serve
from tests.engine.conftest import python_playbook

ROOT = Path(__file__).resolve().parents[2]

# channels-redis waits for a message with BZPOPMIN for 5 s at a time; the sockets died about
# 6 s into a quiet spell, so 30 s covers several of those waits.
IDLE_S = 30


def redis_read_timeouts(tmp_path: Path, redis_url: str) -> dict[str, float]:
    """The socket timeout of the connections the configured layer opens, and its blocking wait
    (built in a fresh process with REDIS_URL set; nothing connects)."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "from channels_redis.core import RedisChannelLayer; from channels_redis.utils import create_pool; "
        "layer = RedisChannelLayer(**settings.CHANNEL_LAYERS['default']['CONFIG']); "
        "connection = create_pool(layer.hosts[0]).make_connection(); "
        "print(json.dumps({'socket': connection.socket_timeout, 'wait': layer.brpop_timeout}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "soar.settings", "SOAR_VAR_DIR": str(tmp_path), "REDIS_URL": redis_url}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_redis_layer_reads_longer_than_it_waits_for_a_message(tmp_path: Path) -> None:
    timeouts = redis_read_timeouts(tmp_path, "redis://127.0.0.1:6379/0")
    assert timeouts["socket"] >= timeouts["wait"] + 5


def test_a_socket_timeout_in_redis_url_takes_precedence(tmp_path: Path) -> None:
    assert redis_read_timeouts(tmp_path, "redis://127.0.0.1:6379/0?socket_timeout=42")["socket"] == 42


@pytest.fixture
def redis_server_url(transactional_db: Any) -> Iterator[str]:
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (the PostgreSQL + Redis leg of make test)")
    with serve() as url:
        yield url


OPEN_SOCKETS = """([runUrl, containerUrl]) => new Promise((resolve, reject) => {
    window.sockets = {};
    let opened = 0;
    for (const [name, url] of [["run", runUrl], ["container", containerUrl]]) {
        const socket = {frames: [], closed: null};
        window.sockets[name] = socket;
        const ws = new WebSocket(url);
        ws.onmessage = (e) => socket.frames.push(JSON.parse(e.data));
        ws.onclose = (e) => { socket.closed = e.code; reject(new Error(name + " closed: " + e.code)); };
        ws.onopen = () => { opened += 1; if (opened === 2) resolve(true); };
    }
})"""


@pytest.mark.django_db(transaction=True)
def test_idle_run_and_container_sockets_stay_open_and_get_the_next_event(
        redis_server_url: str, page: Any, owner: User) -> None:
    container = Container.objects.create(name="case", label="events")
    playbook = python_playbook("quiet", "def on_start(container):\n    pass\n\ndef on_finish(container, summary):\n    pass\n")
    run = PlaybookRun.objects.create(playbook=playbook, container=container, playbook_version=playbook.current())
    token = ApiToken.issue(owner)[1]
    ws = redis_server_url.replace("http://", "ws://")
    page.goto(redis_server_url + "/healthz")  # the sockets' origin is the server's own

    page.evaluate(OPEN_SOCKETS, [f"{ws}/ws/runs/{run.pk}/?token={token}", f"{ws}/ws/containers/{container.pk}/?token={token}"])
    time.sleep(IDLE_S)
    assert page.evaluate("window.sockets.run.closed") is None, "the run socket closed while idle"
    assert page.evaluate("window.sockets.container.closed") is None, "the container socket closed while idle"

    # run.started goes to the run's group and to its container's group.
    events.store(run.pk, [("run.started", {"after": "the quiet spell"})])
    page.wait_for_function("window.sockets.run.frames.length > 0 && window.sockets.container.frames.length > 0",
                           timeout=10_000)
    run_frames, container_frames = page.evaluate("[window.sockets.run.frames, window.sockets.container.frames]")
    assert [e["payload"] for f in run_frames for e in f["events"]] == [{"after": "the quiet spell"}]
    assert [(f["run_id"], f["kind"]) for f in container_frames] == [(run.pk, "run.started")]
