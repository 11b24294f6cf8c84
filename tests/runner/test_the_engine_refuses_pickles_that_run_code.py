"""The engine reads a runner's messages with a restricted unpickler: a pickle naming
os.system (or anything outside plain data) is refused, never called, and a runner that
sends one, or forges events the engine makes (run.finished...), is not trusted again."""
from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from engine.runner.protocol import RefusedPickle, loads_from_runner
from tests.runner.helpers import run


class _Exploit:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_it_refuses_a_pickle_that_would_call_os_system(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    data = pickle.dumps(("call", "rules", "debug", (_Exploit(str(marker)),), {}, "b", []))
    with pytest.raises(RefusedPickle, match="may not cross"):
        loads_from_runner(data)
    assert not marker.exists()


def test_it_still_reads_plain_data_and_dates() -> None:
    import datetime
    from collections import OrderedDict
    from decimal import Decimal

    value = {"a": [1, 2.5, "x", b"y", None, True], "t": datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
             "o": OrderedDict(k=1), "d": Decimal("1.5"), "s": {1, 2}}
    assert loads_from_runner(pickle.dumps(value, 5)) == value


def test_it_distrusts_a_runner_that_writes_such_a_pickle_to_its_pipe(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payload = pickle.dumps(("call", "rules", "debug", (_Exploit(str(marker)),), {}, "b", []))
    outcome = run(f"""
        import struct
        import sys
        import time

        def fn():
            payload = {payload!r}
            import os
            os.write(int(sys.argv[2]), struct.pack("!i", len(payload)) + payload)
            time.sleep(60)
        """, block="forger", time_limit_s=30)
    assert outcome.status == "crashed"
    assert "the runner sent an invalid message" in outcome.error
    assert not marker.exists()


def test_it_distrusts_a_runner_that_forges_run_events() -> None:
    from tests.runner.helpers import Engine

    engine = Engine()
    outcome = run("""
        import phantom.rules as phantom

        def fn():
            import sys
            state = sys.modules["phantom.rules"].playbook_block.__closure__[0].cell_contents
            state.events.append(("run.finished", {"status": "success"}))
            phantom.get_run_data(key="k")
        """, engine=engine, block="forger")
    assert outcome.status == "crashed"
    assert "may not emit 'run.finished' events" in outcome.error
    assert not any(entry[0] == "event" and entry[1] == "run.finished" for entry in engine.log)
    assert engine.calls == []
