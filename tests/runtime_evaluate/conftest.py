"""A small SOAR run in memory: a container, three artifacts, one geolocate action that ran
on two of them (seed 000 shape), a custom function, a format block, inputs and outputs."""

from __future__ import annotations

from typing import Any

import pytest

from engine.runtime.evaluate import FormatData, InMemoryDataSource


def app_run(
    name: str, results: list[dict[str, Any]], *, app_run_id: int = 51, asset: str = "maxmind"
) -> dict[str, Any]:
    """One element of a callback's `results` list, shaped like the seed's geolocate example."""
    return {
        "app_run_id": app_run_id,
        "action_run_id": 11,
        "name": name,
        "app": "MaxMind",
        "asset": asset,
        "action": "geolocate ip",
        "status": "success",
        "message": f"'{name}' on asset '{asset}'",
        "summary": {"total_objects": len(results), "total_objects_successful": len(results)},
        "action_results": results,
    }


def action_result(
    ip: str,
    artifact_id: int | None,
    data: list[dict[str, Any]],
    *,
    status: str = "success",
    summary: dict[str, Any] | None = None,
) -> dict[str, Any]:
    context = {"guid": f"guid-{ip}", "parent_action_run": []}
    if artifact_id is not None:
        context["artifact_id"] = artifact_id
    return {
        "status": status,
        "message": f"Country: {data[0]['country_name']}" if data else "No data",
        "parameter": {"ip": ip, "context": context},
        "data": data,
        "summary": summary if summary is not None else {"country": data[0]["country_name"] if data else None},
    }


@pytest.fixture
def source() -> InMemoryDataSource:
    geolocate = app_run(
        "geolocate_ip_1",
        [
            action_result("1.1.1.1", 101, [{"country_name": "Australia", "city_name": "Research"}]),
            action_result(
                "8.8.8.8",
                102,
                [
                    {"country_name": "United States", "city_name": "Mountain View"},
                    {"country_name": "United States", "city_name": "Ashburn"},
                ],
            ),
            action_result("10.0.0.1", None, [], status="failed"),
        ],
    )
    return InMemoryDataSource(
        container_data={
            "id": 7,
            "name": "Phishing report",
            "label": "incident",
            "severity": "medium",
            "status": "open",
            "url": "https://soar.example/mission/7",
            "data": {"summary": {"user": "alice"}},
        },
        artifact_list=[
            {
                "id": 102,
                "name": "dns event",
                "label": "event",
                "severity": "low",
                "tags": ["dns"],
                "cef": {"destinationAddress": "8.8.8.8", "risk": "12"},
                "cef_types": {"destinationAddress": ["ip"]},
                "data": {"raw": "b"},
            },
            {
                "id": 101,
                "name": "proxy event",
                "label": "event",
                "severity": "high",
                "tags": ["high_threat"],
                "cef": {"destinationAddress": "1.1.1.1", "risk": 90, "emailHeaders": {"Message-ID": "<m1@x>"}},
                "cef_types": {"destinationAddress": ["ip"]},
                "data": {"raw": "a"},
            },
            {
                "id": 103,
                "name": "user report",
                "label": "report",
                "severity": "medium",
                "tags": [],
                "cef": {"suser": "bob@example.com"},
                "cef_types": {},
            },
        ],
        new_artifact_ids={102, 103},
        results_by_block={"geolocate_ip_1": [geolocate]},
        cf_results_by_block={
            "list_demux": [
                {"success": True, "message": "ok", "data": {"output": {"value": "a", "type": "ip"}}},
                {"success": False, "message": "Timed out while waiting for the result", "data": {}},
            ],
            "dedup_users": [{"success": True, "message": "", "data": [{"item": "alice"}, {"item": "bob"}]}],
        },
        code_outputs={"merge_groups:list": ["g1", "g2"], "sum_score:total_score": 260},
        formats={"note": FormatData("IPs: 1.1.1.1, 8.8.8.8", ("1.1.1.1", "8.8.8.8"))},
        inputs={"user": ["alice", "", "bob"], "device": "laptop-1"},
        child_outputs={
            "dispatch": [
                {
                    "observable": [
                        {
                            "value": "1.1.1.1",
                            "reputation": {"score_id": 7},
                            "related_observables": [{"reputation": {"score_id": 2}}],
                        }
                    ]
                },
                {"observable": [{"value": "evil.example", "reputation": {"score_id": 1}}]},
            ],
        },
        child_inputs={"purge": {"email": ["a@example.com"], "message_id": ["<m1@x>"]}},
        custom_lists={"allowlist": [["alice", "admin"], ["carol", None]]},
    )
