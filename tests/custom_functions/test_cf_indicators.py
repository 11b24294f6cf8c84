"""Indicators: tagging distinct CEF values, finding them by tag, collecting them by type."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from engine.models import Artifact, Container, Indicator, Tag
from tests.custom_functions.conftest import Call

pytestmark = pytest.mark.django_db


@pytest.fixture
def artifacts(case: Container) -> list[Artifact]:
    return [
        Artifact.objects.create(container=case, hash="a", cef={"destinationAddress": "10.0.0.5",
                                                              "destinationDnsDomain": "evil.example"}),
        Artifact.objects.create(container=case, hash="b", cef={"fileName": "invoice.pdf", "sourceAddress": "10.0.0.9"},
                                cef_types={"fileName": ["file name"]}),
        Artifact.objects.create(container=case, hash="c", cef={"customHost": "db01"}, cef_types={"customHost": ["host name"]}),
    ]


def test_tagging_round_trip_tag_find_remove(call: Call, artifacts: list[Artifact]) -> None:
    tagged = call("indicator_tag", indicator="10.0.0.5", tags="malicious, blocked")
    assert tagged["indicator_tags"] == ["malicious", "blocked"]
    found = call("indicator_get_by_tag", tags_or="malicious")
    assert [(f["indicator_id"], f["indicator_value"]) for f in found] == [(tagged["indicator_id"], "10.0.0.5")]
    assert found[0]["indicator_cef_type"] == ["ip"]  # learnt from the run's container
    left = call("indicator_remove_tag", indicator=tagged["indicator_id"], tags="malicious")
    assert left == {"indicator_id": tagged["indicator_id"], "indicator_tags": ["blocked"]}
    assert call("indicator_get_by_tag", tags_or="malicious") == []
    assert {"malicious", "blocked"} <= set(Tag.objects.values_list("name", flat=True))


def test_an_empty_indicator_from_a_filter_that_matched_nothing_tags_nothing(call: Call) -> None:
    assert call("indicator_tag", indicator=None, tags="contained") == {"indicator_id": None, "indicator_tags": []}
    assert call("indicator_remove_tag", indicator="", tags="contained") == {"indicator_id": None, "indicator_tags": []}
    assert not Indicator.objects.exists()
    with pytest.raises(ValueError, match="not an indicator"):
        call("indicator_tag", indicator={"id": 1}, tags="x")


def test_tags_append_by_default_and_overwrite_replaces_them(call: Call, artifacts: list[Artifact]) -> None:
    call("indicator_tag", indicator="evil.example", tags="a")
    assert call("indicator_tag", indicator="evil.example", tags="b,a")["indicator_tags"] == ["a", "b"]
    assert call("indicator_tag", indicator="evil.example", tags="c", overwrite="True")["indicator_tags"] == ["c"]


def test_whitespace_inside_tags_is_removed(call: Call, artifacts: list[Artifact]) -> None:
    assert call("indicator_tag", indicator="10.0.0.9", tags="needs review")["indicator_tags"] == ["needsreview"]


def test_an_int_is_an_id_and_a_numeric_text_is_a_value_once_it_is_one(call: Call, artifacts: list[Artifact]) -> None:
    port = Indicator.for_value("443")
    assert call("indicator_tag", indicator="443", tags="port")["indicator_id"] == port.pk
    with pytest.raises(ValueError, match="no indicator with id"):
        call("indicator_tag", indicator=987654, tags="x")


def test_and_or_and_exclude_combine(call: Call, artifacts: list[Artifact]) -> None:
    call("indicator_tag", indicator="10.0.0.5", tags="malicious,contained")
    call("indicator_tag", indicator="10.0.0.9", tags="malicious")
    call("indicator_tag", indicator="evil.example", tags="benign")
    values = lambda rows: sorted(r["indicator_value"] for r in rows)  # noqa: E731
    assert values(call("indicator_get_by_tag", tags_or="malicious,benign")) == ["10.0.0.5", "10.0.0.9", "evil.example"]
    assert values(call("indicator_get_by_tag", tags_and="malicious,contained")) == ["10.0.0.5"]
    assert values(call("indicator_get_by_tag", tags_or="malicious", tags_exclude="contained")) == ["10.0.0.9"]
    with pytest.raises(ValueError, match="tags_or or tags_and"):
        call("indicator_get_by_tag", tags_exclude="x")


def test_get_by_tag_can_require_the_value_in_a_container(call: Call, artifacts: list[Artifact]) -> None:
    elsewhere = Container.objects.create(name="other")
    Artifact.objects.create(container=elsewhere, hash="z", cef={"destinationAddress": "172.16.0.1"})
    call("indicator_tag", indicator="172.16.0.1", tags="malicious")
    call("indicator_tag", indicator="10.0.0.5", tags="malicious")
    rows = call("indicator_get_by_tag", tags_or="malicious", container=elsewhere.pk)
    assert [r["indicator_value"] for r in rows] == ["172.16.0.1"]


def test_get_by_tag_honours_the_time_range(call: Call, artifacts: list[Artifact]) -> None:
    call("indicator_tag", indicator="10.0.0.5", tags="old")
    Indicator.objects.filter(value="10.0.0.5").update(update_time=timezone.now() - timedelta(days=40))
    assert call("indicator_get_by_tag", tags_or="old") == []
    assert call("indicator_get_by_tag", tags_or="old", indicator_timerange="last_7_days") == []
    with pytest.raises(ValueError, match="indicator_timerange"):
        call("indicator_get_by_tag", tags_or="old", indicator_timerange="forever")


def test_collect_groups_values_by_type_under_underscored_keys(call: Call, case: Container,
                                                              artifacts: list[Artifact]) -> None:
    out = call("indicator_collect", container=case.pk)
    assert [(i["cef_key"], i["cef_value"]) for i in out["all_indicators"]] == [
        ("destinationAddress", "10.0.0.5"), ("destinationDnsDomain", "evil.example"), ("fileName", "invoice.pdf"),
        ("sourceAddress", "10.0.0.9"), ("customHost", "db01")]
    assert [i["cef_value"] for i in out["ip"]] == ["10.0.0.5", "10.0.0.9"]
    assert out["file_name"] == [{"cef_key": "fileName", "cef_value": "invoice.pdf", "artifact_id": artifacts[1].pk}]
    assert out["host_name"][0]["cef_value"] == "db01"


def test_collect_filters_by_artifact_type_and_tag(call: Call, case: Container, artifacts: list[Artifact]) -> None:
    only_b = call("indicator_collect", container=case.pk, artifact_ids_include=str(artifacts[1].pk))
    assert [i["cef_value"] for i in only_b["all_indicators"]] == ["invoice.pdf", "10.0.0.9"]
    ips = call("indicator_collect", container=case.pk, indicator_types_include="ip")
    assert [i["cef_value"] for i in ips["all_indicators"]] == ["10.0.0.5", "10.0.0.9"]
    no_ips = call("indicator_collect", container=case.pk, indicator_types_exclude=["ip"])
    assert "ip" not in no_ips and len(no_ips["all_indicators"]) == 3
    call("indicator_tag", indicator="10.0.0.9", tags="contained")
    tagged = call("indicator_collect", container=case.pk, indicator_tags_include="contained")
    assert [(i["cef_value"], i["tags"]) for i in tagged["all_indicators"]] == [("10.0.0.9", ["contained"])]
    untagged = call("indicator_collect", container=case.pk, indicator_tags_exclude="contained")
    assert "10.0.0.9" not in [i["cef_value"] for i in untagged["all_indicators"]]
