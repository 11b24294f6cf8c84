"""Every real SOAR app definition in the shared corpus parses."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.apps.catalogue import AppDef, load_app

pytestmark = pytest.mark.corpus


def test_it_parses_every_app_in_the_corpus(corpus_dir: Path, corpus: list[AppDef],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(corpus_dir.glob("*.json"))
    parsed = [load_app(f) for f in files]
    actions = sum(len(a.actions) for a in parsed)
    with capsys.disabled():
        print(f"\napps {len(parsed)}/{len(files)}, actions {actions}")
    assert len(parsed) == len(files) == len(corpus)
    assert actions >= 2000


def test_it_matches_the_manifest_for_every_app(corpus_dir: Path, corpus: list[AppDef]) -> None:
    rows = (corpus_dir / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    by_appid = {a.appid: a for a in corpus}
    for row in rows:
        slug, name, appid, version, _source, num_actions, *_ = row.split("\t")
        app = by_appid[appid]
        assert (app.name, app.version, len(app.actions)) == (name, version, int(num_actions)), slug


def test_it_reads_the_maxmind_geolocate_action_like_the_seed_example(corpus: list[AppDef]) -> None:
    maxmind = next(a for a in corpus if a.name == "MaxMind")
    action = maxmind.action("geolocate ip")
    assert action is not None
    assert action.read_only and not action.is_write
    ip = action.param("ip")
    assert ip is not None and ip.required and ip.primary and "ip" in ip.contains
    paths = {o.data_path for o in action.outputs}
    assert "action_result.data.*.city_name" in paths
    assert "summary.total_objects_successful" in paths


def test_it_keeps_the_raw_json_verbatim(corpus_dir: Path) -> None:
    import json

    path = corpus_dir / "http.json"
    app = load_app(path)
    assert app.raw == json.loads(path.read_text(encoding="utf-8"))
    assert app.actions[0].raw == app.raw["actions"][0]


def test_it_marks_password_fields_in_real_configurations(corpus: list[AppDef]) -> None:
    http = next(a for a in corpus if a.name == "HTTP")
    assert http.configuration["auth_token"].is_secret
    assert not http.configuration["base_url"].is_secret
    assert http.configuration["base_url"].required
    assert http.configuration["test_http_method"].default == "GET"
