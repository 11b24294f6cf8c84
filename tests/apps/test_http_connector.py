"""The HTTP app talks to a real local server: JSON, text, errors and timeouts."""

from __future__ import annotations

import json
from typing import Any

from engine.apps.http.connector import HttpConnector
from tests.apps.servers import LocalServer


def connector(server: LocalServer, **config: Any) -> HttpConnector:
    return HttpConnector({"base_url": server.base_url, "timeout": 5, **config})


def test_it_returns_parsed_json_with_status_and_headers(http_server: LocalServer) -> None:
    result = connector(http_server).handle_action("http_get", {"location": "/json?x=1"})
    assert result.is_success(), result.get_message()
    item = result.get_data()[0]
    assert item["status_code"] == 200 and item["method"] == "GET"
    assert item["location"] == f"{http_server.base_url}/json?x=1"
    assert item["parsed_response_body"]["path"] == "/json?x=1"
    assert item["response_headers"]["X-Test-Server"] == "yes"
    assert json.loads(item["response_body"]) == item["parsed_response_body"]
    assert result.get_summary() == {"status_code": 200, "reason": "OK"}
    assert result.get_message() == "Status code: 200, Reason: OK"


def test_it_returns_text_when_the_body_is_not_json(http_server: LocalServer) -> None:
    result = connector(http_server).handle_action("http_get", {"location": "text"})
    assert result.is_success()
    assert result.get_data()[0]["parsed_response_body"] == "plain words"


def test_it_fails_on_a_non_2xx_status_but_keeps_the_response(http_server: LocalServer) -> None:
    result = connector(http_server).handle_action("http_get", {"location": "/missing"})
    assert result.is_fail()
    assert result.get_message().startswith("Can't process response from server. Status Code: 404")
    assert result.get_summary()["status_code"] == 404
    assert result.get_data()[0]["parsed_response_body"]["failed"] is True


def test_it_fails_the_action_when_the_server_times_out(http_server: LocalServer) -> None:
    result = connector(http_server, timeout=0.3).handle_action("http_get", {"location": "/slow"})
    assert result.is_fail()
    assert result.get_message() == f"Request to {http_server.base_url}/slow timed out after 0.3 seconds"


def test_it_sends_the_body_and_headers_given_as_json_text(http_server: LocalServer) -> None:
    result = connector(http_server).handle_action("http_post", {
        "location": "/things", "body": '{"name": "Bad IP"}',
        "headers": '{"Content-Type": "application/json", "X-Trace": "abc"}'})
    assert result.is_success()
    echo = result.get_data()[0]["parsed_response_body"]
    assert echo["method"] == "POST" and echo["body"] == '{"name": "Bad IP"}'
    assert echo["headers"]["x-trace"] == "abc"


def test_it_accepts_headers_and_body_as_objects(http_server: LocalServer) -> None:
    result = connector(http_server).handle_action("http_put", {
        "location": "/things/1", "body": {"name": "x"}, "headers": {"X-Trace": "d"}})
    echo = result.get_data()[0]["parsed_response_body"]
    assert echo["method"] == "PUT" and json.loads(echo["body"]) == {"name": "x"}
    assert echo["headers"]["content-type"] == "application/json"


def test_it_uses_each_http_method_of_the_app(http_server: LocalServer) -> None:
    methods = {"http_patch": "PATCH", "http_delete": "DELETE", "http_options": "OPTIONS"}
    for identifier, method in methods.items():
        result = connector(http_server).handle_action(identifier, {"location": "/m"})
        assert result.get_data()[0]["parsed_response_body"]["method"] == method
    head = connector(http_server).handle_action("http_head", {"location": "/m"})
    assert head.is_success() and head.get_data()[0]["response_body"] == ""


def test_it_sends_the_assets_token_and_basic_auth(http_server: LocalServer) -> None:
    result = connector(http_server, auth_token="s3cret", username="u", password="p").handle_action(
        "http_get", {"location": "/"})
    headers = result.get_data()[0]["parsed_response_body"]["headers"]
    assert headers["ph-auth-token"] == "s3cret"
    assert headers["authorization"] == "Basic dTpw"


def test_it_refuses_malformed_headers(http_server: LocalServer) -> None:
    result = connector(http_server).handle_action("http_get", {"location": "/", "headers": "{x"})
    assert result.is_fail() and result.get_message().startswith("headers is not valid JSON")
    result = connector(http_server).handle_action("http_get", {"location": "/", "headers": "[1]"})
    assert result.get_message() == "headers must be a JSON object of header names to values"


def test_it_refuses_a_location_that_leaves_the_assets_base_url(http_server: LocalServer) -> None:
    result = connector(http_server).handle_action("http_get", {"location": "http://evil.test/"})
    assert result.is_fail() and "must be a path relative to base_url" in result.get_message()


def test_it_reports_a_refused_connection() -> None:
    result = HttpConnector({"base_url": "http://127.0.0.1:9", "timeout": 2}).handle_action(
        "http_get", {"location": "/"})
    assert result.is_fail() and "connection refused" in result.get_message()


def test_it_reports_a_base_url_that_is_not_http() -> None:
    result = HttpConnector({"base_url": "ftp://x"}).handle_action("http_get", {"location": "/"})
    assert result.get_message() == "Asset base_url 'ftp://x' is not an http(s) URL"


def test_test_connectivity_requests_the_configured_test_path(http_server: LocalServer) -> None:
    ok = connector(http_server, test_path="/json").handle_action("test_connectivity", {})
    assert ok.is_success() and ok.get_message() == "Test Connectivity Passed (status 200)"
    bad = connector(http_server, test_path="/missing").handle_action("test_connectivity", {})
    assert bad.is_fail() and bad.get_message().startswith("Test Connectivity Failed: ")


def test_it_refuses_a_header_value_with_a_line_break(http_server: LocalServer) -> None:
    result = connector(http_server).handle_action(
        "http_get", {"location": "/", "headers": {"X-Evil": "a\r\nInjected: yes"}})
    assert result.is_fail() and "ValueError" in result.get_message()
