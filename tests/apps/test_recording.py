"""A real connector's answers can be recorded to a file and replayed by the simulator."""

from __future__ import annotations

import json
from pathlib import Path

from engine.apps import builtin_apps
from engine.apps.recording import REDACTED, Recorder, Recording, params_key
from engine.apps.simulator import Simulator
from tests.apps.servers import LocalServer


def test_params_key_ignores_context_and_order_and_hides_secrets() -> None:
    a = params_key({"ip": "1.1.1.1", "port": 443, "context": {"artifact_id": 1}})
    b = params_key({"port": 443, "ip": "1.1.1.1"})
    assert a == b == '{"ip":"1.1.1.1","port":443}'
    assert params_key({"api_key": "abc"}) == params_key({"api_key": "xyz"}) == \
        json.dumps({"api_key": REDACTED}, separators=(",", ":"))


def test_it_records_a_real_call_and_the_simulator_replays_it(
        http_server: LocalServer, tmp_path: Path) -> None:
    http = next(a for a in builtin_apps() if a.slug == "http")
    path = tmp_path / "http.recording.json"
    recorder = Recorder(http.connector({"base_url": http_server.base_url, "timeout": 5}),
                        http.appdef.appid, http.appdef.name, path=path)
    real = recorder.handle_action("http_get", {"location": "/json"})
    assert real.is_success()

    stored = json.loads(path.read_text())
    assert stored["version"] == 1
    assert list(stored["apps"][http.appdef.appid]["actions"]["http_get"]) == [
        '{"location":"/json"}']

    sim = Simulator(http.appdef, recording=Recording.load(path))
    replayed = sim.handle_action("get data", {"location": "/json", "context": {"guid": "g"}})
    assert replayed.simulated
    assert replayed.get_data() == real.get_data()
    assert replayed.get_message() == real.get_message()
    assert replayed.get_param() == {"location": "/json", "context": {"guid": "g"}}


def test_a_replay_miss_falls_back_to_synthetic_data_unless_strict() -> None:
    http = next(a for a in builtin_apps() if a.slug == "http")
    recording = Recording()
    lenient = Simulator(http.appdef, recording=recording)
    assert lenient.handle_action("http_get", {"location": "/x"}).is_success()
    strict = Simulator(http.appdef, recording=recording, strict_replay=True)
    miss = strict.handle_action("http_get", {"location": "/x"})
    assert miss.is_fail()
    assert miss.get_message() == 'No recording for HTTP \'get data\' with parameters {"location":"/x"}'


def test_recorded_parameters_never_keep_a_secret(tmp_path: Path) -> None:
    recording = Recording()
    recording.add("app", "App", "login", {"user": "u", "password": "hunter2"},
                  {"status": "success", "message": "ok",
                   "parameter": {"user": "u", "password": "hunter2"}})
    recording.save(tmp_path / "r.json")
    text = (tmp_path / "r.json").read_text()
    assert "hunter2" not in text
    assert len(Recording.load(tmp_path / "r.json")) == 1
    found = Recording.load(tmp_path / "r.json").lookup("app", "login",
                                                      {"user": "u", "password": "other"})
    assert found is not None and found["parameter"]["password"] == REDACTED
