"""Reading and writing SOAR's files: .json, the .json + .py pair, the .tgz bundle."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from pbkit import simple

from editor.compiler import compile_playbook
from editor.graph import SoarFormatError
from editor.soarfile import (
    PlaybookPair,
    detect_kind,
    dump_playbook,
    load_custom_function,
    load_playbook,
    read_bundle,
    read_pair,
    write_bundle,
    write_pair,
)


def test_it_keeps_fields_it_does_not_interpret() -> None:
    pb = simple()
    pb["future_key"] = {"a": 1}
    pb["coa"]["data"]["nodes"]["2"]["data"]["newField"] = [1, 2]
    pb["coa"]["data"]["nodes"]["2"]["warnings"] = {"config": ["x"]}
    pb["coa"]["data"]["edges"][0]["vertices"] = [{"x": 1}]
    assert json.loads(dump_playbook(load_playbook(json.dumps(pb)))) == pb


def test_it_writes_and_reads_the_json_and_py_pair(tmp_path: Path) -> None:
    pb = load_playbook(json.dumps(simple()), name="demo")
    source = compile_playbook(pb).source
    json_path, py_path = write_pair(PlaybookPair("demo", pb, source), tmp_path)
    pair = read_pair(json_path)
    assert pair.name == "demo" and pair.source == source and py_path is not None
    assert pair.playbook.to_json() == simple()


def test_it_round_trips_the_tgz_bundle() -> None:
    pb = load_playbook(json.dumps(simple()))
    data = write_bundle([PlaybookPair("demo", pb, "x = 1\n")])
    assert write_bundle([PlaybookPair("demo", pb, "x = 1\n")]) == data  # deterministic
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        assert sorted(tar.getnames()) == ["demo.json", "demo.py"]
    [pair] = read_bundle(data)
    assert pair.name == "demo" and pair.source == "x = 1\n" and pair.playbook.to_json() == simple()


def test_it_refuses_bundle_members_that_are_links() -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        info = tarfile.TarInfo("evil.json")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tar.addfile(info)
    with pytest.raises(SoarFormatError, match="no modern playbook"):
        read_bundle(buf.getvalue())


def test_it_refuses_names_that_would_escape_the_directory(tmp_path: Path) -> None:
    pb = load_playbook(json.dumps(simple()))
    with pytest.raises(SoarFormatError):
        write_pair(PlaybookPair("..", pb), tmp_path)
    json_path, _ = write_pair(PlaybookPair("../../etc/x", pb), tmp_path)
    assert json_path.parent == tmp_path


def test_malformed_json_names_the_file() -> None:
    with pytest.raises(SoarFormatError) as exc:
        load_playbook(b"{not json", file="broken.json")
    assert exc.value.file == "broken.json" and "broken.json" in str(exc.value)


def test_a_wrong_shape_names_the_key_path() -> None:
    pb = simple()
    pb["coa"]["data"]["nodes"]["2"]["data"] = "oops"
    with pytest.raises(SoarFormatError) as exc:
        load_playbook(json.dumps(pb), file="x.json")
    assert exc.value.path == 'coa.data.nodes["2"].data' and exc.value.file == "x.json"


def test_a_bad_edge_names_its_index() -> None:
    pb = simple()
    pb["coa"]["data"]["edges"][1]["targetNode"] = 7
    with pytest.raises(SoarFormatError) as exc:
        load_playbook(json.dumps(pb))
    assert exc.value.path == "coa.data.edges[1].targetNode"


def test_classic_playbooks_are_recognised_and_refused_clearly() -> None:
    classic = {"coa": {"data": {"joint": {"cells": []}}}}
    assert detect_kind(classic) == "classic"
    with pytest.raises(SoarFormatError, match="classic"):
        load_playbook(json.dumps(classic))


def test_custom_functions_are_modelled_losslessly() -> None:
    raw = {
        "custom_function_id": "ab",
        "description": "d",
        "inputs": [{"name": "x", "input_type": "item"}],
        "outputs": [],
        "outputs_type": "list",
        "platform_version": "6.3",
        "python_version": "3",
    }
    cf = load_custom_function(json.dumps(raw))
    assert cf.input_names == ["x"] and cf.outputs_type == "list" and cf.to_json() == raw
    assert detect_kind(raw) == "custom_function"
    with pytest.raises(SoarFormatError) as exc:
        load_custom_function(json.dumps({**raw, "inputs": [1]}), file="cf.json")
    assert exc.value.path == "inputs[0]"
