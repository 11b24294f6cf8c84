"""Every built-in custom function keeps its contract: parameters, output data paths, corpus names."""
from __future__ import annotations

import inspect
import io
import json
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from engine.apps.catalogue import parse_app
from engine.assets import store_configuration
from engine.catalogue import sync_app
from engine.custom_functions import BUILTIN_CUSTOM_FUNCTIONS, HERE, contract, source
from engine.execution import loader
from engine.models import Artifact, Asset, Container, CustomList, Indicator, Note
from tests.custom_functions.conftest import Call, add_to_vault, covers
from tests.engine.conftest import python_playbook

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "custom_functions"


def load(name: str) -> Any:
    return loader.function(loader.load_module(source(name), name), name)


def test_the_registry_lists_exactly_the_modules_and_contracts_in_the_package() -> None:
    modules = sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))
    contracts = sorted(p.stem for p in HERE.glob("*.json"))
    assert sorted(BUILTIN_CUSTOM_FUNCTIONS) == modules == contracts
    assert len(BUILTIN_CUSTOM_FUNCTIONS) == 41


@pytest.mark.parametrize("name", BUILTIN_CUSTOM_FUNCTIONS)
def test_its_parameters_are_the_contract_inputs_in_order_each_defaulting_to_none(name: str) -> None:
    params = list(inspect.signature(load(name)).parameters.values())
    assert params[-1].kind is inspect.Parameter.VAR_KEYWORD
    assert [p.name for p in params[:-1]] == [i["name"] for i in contract(name)["inputs"]]
    assert all(p.default is None for p in params[:-1])


@pytest.mark.parametrize("name", BUILTIN_CUSTOM_FUNCTIONS)
def test_its_docstring_documents_every_input_and_output(name: str) -> None:
    doc = inspect.getdoc(load(name)) or ""
    spec = contract(name)
    assert spec["description"] and spec["description"].split()[0] in doc
    for item in spec["inputs"]:
        assert f"{item['name']}: " in doc
    for item in spec["outputs"]:
        assert f"{item['data_path']}: " in doc


@pytest.fixture
def world(case: Container, tmp_path: Path) -> SimpleNamespace:
    """A small estate with one of everything the custom functions read."""
    a1 = Artifact.objects.create(container=case, name="email", hash="h1", tags=["suspicious"], cef={
        "destinationAddress": "10.0.0.5", "destinationDnsDomain": "evil.example", "fileName": "invoice.pdf"})
    a2 = Artifact.objects.create(container=case, name="proxy", hash="h2",
                                 cef={"requestURL": "https://evil.example/login", "sourceAddress": "10.0.0.9"})
    other = Container.objects.create(name="older alert")
    Artifact.objects.create(container=other, name="fw", hash="h3", cef={"destinationAddress": "10.0.0.5"})
    comment = Note.objects.create(container=case, note_type="container", title="comment", content="looking")
    CustomList.objects.create(name="allowlist", content=[[f"c{i}" for i in range(9)], ["evil.example"]])
    app, _ = sync_app(parse_app({
        "appid": "6a0bc6a2-0000-4000-8000-0000000cf001", "name": "Splunk", "app_version": "1.2.0",
        "product_vendor": "Splunk", "product_name": "Splunk Enterprise", "description": "SIEM", "type": "siem",
        "configuration": {"host": {"data_type": "string"}, "password": {"data_type": "password"}}, "actions": []}))
    asset = Asset(name="splunk", app=app, tags=["prod"], product_version="9.1")
    store_configuration(asset, {"host": "splunk.local", "password": "hunter2"})
    asset.save()
    python_playbook("enrich_ip", "def on_start(container):\n    pass\n", playbook_type="data")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("docs/readme.txt", "hello")
    (tmp_path / "sample.zip").write_bytes(buffer.getvalue())
    zip_id = add_to_vault(tmp_path / "sample.zip", "sample.zip", case)
    Indicator.for_value("10.0.0.5", cef_key="destinationAddress", data_types=["ip"])
    Indicator.objects.filter(value="10.0.0.5").update(tags=["malicious"])
    return SimpleNamespace(case=case, a1=a1, a2=a2, other=other, comment=comment, asset=asset, zip_id=zip_id)


SAMPLES: dict[str, Any] = {
    "artifact_create": lambda w: {"container": w.case.pk, "cef_field": "sourceAddress", "cef_value": "1.2.3.4",
                                  "cef_data_type": "ip", "tags": "new"},
    "artifact_update": lambda w: {"artifact_id": w.a1.pk, "severity": "high"},
    "asset_get_attributes": lambda w: {"asset": "splunk"},
    "base64_decode": lambda w: {"input_string": "Y2FsYy5leGU="},
    "collect_by_cef_type": lambda w: {"data_types": "ip", "scope": "all"},
    "comment_list": lambda w: {},
    "container_merge": lambda w: {"target_container": w.case.pk, "container_list": [w.other.pk]},
    "container_update": lambda w: {"container_input": w.case.pk, "status": "open"},
    "custom_list_enumerate": lambda w: {"custom_list": "allowlist"},
    "custom_list_value_in_strings": lambda w: {"custom_list": "allowlist", "comparison_strings": ["www.evil.example"]},
    "datetime_modify": lambda w: {"input_datetime": "2024-06-27T14:53:08.219016Z", "amount_to_modify": "5"},
    "debug": lambda w: {"input_1": ["a"], "input_2": 3},
    "find_related_containers": lambda w: {"value_list": ["10.0.0.5"], "container": w.case.pk},
    "indicator_collect": lambda w: {"container": w.case.pk},
    "indicator_get_by_tag": lambda w: {"tags_or": "malicious"},
    "indicator_remove_tag": lambda w: {"indicator": "10.0.0.5", "tags": "malicious"},
    "indicator_tag": lambda w: {"indicator": "10.0.0.5", "tags": "blocked"},
    "json_safe_format": lambda w: {"json_input": '{"a": "line\nbreak"}'},
    "list_deduplicate": lambda w: {"input_list": [1, 1, 2]},
    "list_demux": lambda w: {"input_list": ["a", "b"]},
    "list_drop_none": lambda w: {"input_list": [None, "x"]},
    "list_merge": lambda w: {"input_1": ["a"], "input_2": ["b"]},
    "list_zip": lambda w: {f"input_{i}": [f"{i}a", f"{i}b"] for i in range(1, 9)},
    "mark_evidence": lambda w: {"container": w.case.pk, "input_object": w.a1.pk, "content_type": "artifact_id"},
    "noop": lambda w: {},
    "passthrough": lambda w: {"input_1": "x"},
    "playbooks_list": lambda w: {"playbook_type": "input"},
    "regex_extract_email": lambda w: {"input_string": "Bob <bob@example.com>"},
    "regex_extract_ipv4": lambda w: {"input_string": "from 10.1.2.3"},
    "regex_extract_url": lambda w: {"input_string": "see https://example.com/a."},
    "regex_filter_list": lambda w: {"input_list": ["a1", "b2"], "regex": r"^a"},
    "regex_split": lambda w: {"input_string": "a;b", "regex": ";"},
    "string_split": lambda w: {"input_string": "a, b"},
    "string_to_lowercase": lambda w: {"input_string": "ABC"},
    "string_to_uppercase": lambda w: {"input_string": "abc"},
    "url_parse": lambda w: {"input_url": "https://user@example.com:8443/a;p?q=1#f"},
    "vault_list": lambda w: {},
    "workbook_add": lambda w: {"container": w.case.pk, "workbook": "Risk Investigation"},
    "workbook_list": lambda w: {},
    "workbook_task_update": lambda w: {"task_name": "Investigate", "note_title": "t", "note_content": "c",
                                       "container": w.case.pk},
    "zip_extract": lambda w: {"container": w.case.pk, "vault_id": w.zip_id},
}


def test_there_is_a_representative_call_for_every_function() -> None:
    assert sorted(SAMPLES) == sorted(BUILTIN_CUSTOM_FUNCTIONS)


@pytest.mark.parametrize("name", BUILTIN_CUSTOM_FUNCTIONS)
def test_it_returns_every_contract_output_for_representative_inputs(name: str, call: Call, world: Any) -> None:
    spec = contract(name)
    result = call(name, **SAMPLES[name](world))
    json.dumps(result)  # what the engine stores must be JSON
    rows = result if spec.get("outputs_type") == "list" else [result]
    assert isinstance(result, list) if spec.get("outputs_type") == "list" else isinstance(result, (dict, list))
    assert rows, f"{name} returned no rows"
    for output in spec["outputs"]:
        for row in rows:
            assert covers(row, output["data_path"].split(".")), f"{name}: {output['data_path']} missing in {row}"


@pytest.mark.corpus
def test_our_contracts_bind_like_the_corpus_contracts(capsys: Any) -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not here")
    same = 0
    for name in BUILTIN_CUSTOM_FUNCTIONS:
        ours, theirs = contract(name), json.loads((CORPUS / f"{name}.json").read_text())
        assert [(i["name"], i["input_type"]) for i in ours["inputs"]] == \
            [(i["name"], i["input_type"]) for i in theirs["inputs"]], name
        assert [(o["data_path"], o.get("contains_type")) for o in ours["outputs"]] == \
            [(o["data_path"], o.get("contains_type")) for o in theirs["outputs"]], name
        assert ours.get("outputs_type") == theirs.get("outputs_type"), name
        assert ours["description"] != theirs["description"], f"{name}: the description is the corpus text"
        same += 1
    with capsys.disabled():
        print(f"\ncustom function contracts {same}/{len(BUILTIN_CUSTOM_FUNCTIONS)}")
    assert same == len(list(CORPUS.glob("*.json"))) == 41
