"""Running the real community playbooks of ../shared/corpus on simulated apps.

Each playbook gets a container whose artifacts carry every CEF field it reads, with
values of the right kind; input playbooks get inputs matching their input_spec; every
asset a playbook names exists (served by the simulator).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from engine.artifacts import create_artifact
from engine.models import Container

SHARED = Path(__file__).resolve().parents[3] / "shared"
MODERN = SHARED / "corpus" / "modern"
APPS = SHARED / "apps"

_VALUES: list[tuple[str, Any]] = [
    (r"(?i)hash|md5", "44d88612fea8a8f36de82e1278abb02f"),
    (r"(?i)sha256", "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"),
    (r"(?i)sha1", "3395856ce81f2b7382dee72602f798b642f14140"),
    (r"(?i)url|internet$", "https://invoices-paypal.example.net/login"),
    (r"(?i)domain|dns", "invoices-paypal.example.net"),
    (r"(?i)address|_ip$|^ip|src$|dest$|^dest_ip|^src_ip", "203.0.113.66"),
    (r"(?i)email|^user$|user_?name|risk_object$", "j.doe@corp.example.com"),
    (r"(?i)host|device", "ws-0231.corp.example.com"),
    (r"(?i)vault", "3395856ce81f2b7382dee72602f798b642f14140"),
    (r"(?i)path", "C:\\Users\\j.doe\\AppData\\Local\\Temp\\upd.exe"),
    (r"(?i)file_?name", "upd.exe"),
    (r"(?i)messageid|message_id", "<CAF=abc123@mail.example.com>"),
    (r"(?i)score|count|urgency", 60),
    (r"(?i)time", "2026-11-24T08:00:00Z"),
    (r"(?i)type$", "user"),
    (r"(?i)family", "Windows"),
    (r"(?i)mitre_technique_id", "T1566"),
    (r"(?i)event_id", "F1A2B3C4-1111-4222-8333-444455556666"),
]

_CONTAINS: dict[str, Any] = {
    "ip": "203.0.113.66", "domain": "invoices-paypal.example.net", "url": "https://invoices-paypal.example.net/login",
    "host name": "ws-0231.corp.example.com", "user name": "j.doe", "email": "j.doe@corp.example.com",
    "hash": "44d88612fea8a8f36de82e1278abb02f", "md5": "44d88612fea8a8f36de82e1278abb02f",
    "sha1": "3395856ce81f2b7382dee72602f798b642f14140",
    "sha256": "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
    "file path": "C:\\Temp\\upd.exe", "vault id": "3395856ce81f2b7382dee72602f798b642f14140",
    "internet message id": "<CAF=abc123@mail.example.com>",
}


def value_for(field: str) -> Any:
    for pattern, value in _VALUES:
        if re.search(pattern, field):
            return value
    return f"{field}-value"


def cef_fields(doc_text: str) -> list[str]:
    return sorted(set(re.findall(r"artifact:\*\.cef\.([A-Za-z0-9_]+)", doc_text)))


def container_for(name: str, doc_text: str, label: str = "events", *, threat_objects: bool = False) -> Container:
    """A container whose artifacts carry the CEF fields the playbook reads. With
    `threat_objects` (Splunk ES risk notables) it also holds the URL and domain threat
    objects such a notable carries, which the risk_notable_* dispatchers route on."""
    container = Container.objects.create(name=f"corpus {name}", label=label, severity="high")
    if threat_objects:
        create_artifact(container, {"name": "threat object", "label": label, "source_data_identifier": f"{name}-3",
                                    "cef": {"requestURL": _CONTAINS["url"], "destinationDnsDomain": _CONTAINS["domain"]},
                                    "cef_types": {"requestURL": ["url"], "destinationDnsDomain": ["domain"]}})
        # An analyst's review marked the domain for blocking (risk_notable_block_indicators
        # acts on indicators tagged so).
        from engine.models import Indicator

        indicator = Indicator.for_value(_CONTAINS["domain"], cef_key="destinationDnsDomain", data_types=["domain"])
        indicator.tags = ["marked_for_block"]
        indicator.save(update_fields=["tags"])
    fields = cef_fields(doc_text) or ["sourceAddress"]
    cef = {f: value_for(f) for f in fields}
    create_artifact(container, {"name": "evidence", "label": label, "cef": cef, "source_data_identifier": f"{name}-1",
                                "severity": "high"})
    create_artifact(container, {"name": "more evidence", "label": label,
                                "cef": {**cef, **{f: value_for(f) for f in fields if "ip" in f.lower()}},
                                "source_data_identifier": f"{name}-2"})
    return container


def inputs_for(doc: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in (doc.get("coa") or {}).get("input_spec") or []:
        kinds = spec.get("contains") or []
        value = next((_CONTAINS[k] for k in kinds if k in _CONTAINS), value_for(spec.get("name", "")))
        out[spec["name"]] = [value]
    return out


def asset_names(doc: dict[str, Any]) -> set[tuple[str, str, str]]:
    """(asset name, app id, app name) for every action block."""
    found = set()
    for node in doc["coa"]["data"]["nodes"].values():
        if node.get("type") not in ("action",):
            continue
        data = node["data"]
        for asset in data.get("connectorConfigs") or []:
            found.add((str(asset), str(data.get("connectorId", "")), str(data.get("connector", ""))))
    return found


def load(name: str) -> tuple[str, dict[str, Any]]:
    text = (MODERN / f"{name}.json").read_text(encoding="utf-8")
    return text, json.loads(text)
