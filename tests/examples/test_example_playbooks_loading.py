"""load_examples: what load_demo calls to store the example playbooks."""

from __future__ import annotations

from pathlib import Path

import pytest

import editor.examples as examples
from editor.examples import example_paths, load_examples
from editor.models import Playbook

pytestmark = pytest.mark.django_db


def test_loading_stores_every_example_once_and_loading_again_changes_nothing() -> None:
    names = [p.stem for p in example_paths()]
    first = load_examples()
    assert first == [f"created   playbook {n} (version 1)" for n in names]
    assert load_examples() == [f"unchanged playbook {n} (version 1)" for n in names]
    stored = {p.name: p for p in Playbook.objects.filter(repo="local")}
    assert set(stored) == set(names)
    assert stored["user_lookup"].playbook_type == "data"
    assert [s["name"] for s in stored["user_lookup"].input_spec or []] == ["user", "ip"]


def test_input_playbooks_are_loaded_before_the_playbooks_that_call_them() -> None:
    names = [p.stem for p in example_paths()]
    assert names.index("user_lookup") < names.index("impossible_travel_review")


def test_a_stored_example_exports_byte_for_byte_as_shipped() -> None:
    from editor.files import export_json

    load_examples()
    for path in example_paths():
        assert export_json(Playbook.objects.get(repo="local", name=path.stem)) == path.read_text(encoding="utf-8")


def test_a_broken_example_file_is_reported_and_the_others_still_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = example_paths()[0]
    (tmp_path / good.name).write_text(good.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"coa": {"data": {"nodes": ', encoding="utf-8")
    monkeypatch.setattr(examples, "EXAMPLES_DIR", tmp_path)
    lines = load_examples()
    (failed,) = [line for line in lines if line.startswith("failed")]
    assert failed.startswith("failed    playbook broken: ") and "invalid JSON" in failed
    assert f"created   playbook {good.stem} (version 1)" in lines and len(lines) == 2
