"""The HTTP app checks TLS certificates unless the asset or the call turns it off."""

from __future__ import annotations

from engine.apps.http.connector import HttpConnector
from tests.apps.servers import LocalServer


def test_it_fails_with_a_clear_message_on_a_self_signed_certificate(
        https_server: LocalServer) -> None:
    result = HttpConnector({"base_url": https_server.base_url, "timeout": 5}).handle_action(
        "http_get", {"location": "/json"})
    assert result.is_fail()
    message = result.get_message()
    assert message.startswith(f"TLS certificate verification failed for {https_server.base_url}/json")
    assert "self-signed certificate" in message
    assert "verify_server_cert" in message
    assert result.get_data() == []


def test_it_succeeds_when_the_asset_turns_verification_off(https_server: LocalServer) -> None:
    result = HttpConnector({"base_url": https_server.base_url, "timeout": 5,
                            "verify_server_cert": False}).handle_action(
        "http_get", {"location": "/json"})
    assert result.is_success(), result.get_message()
    assert result.get_data()[0]["parsed_response_body"]["method"] == "GET"


def test_the_call_can_turn_verification_off_for_itself(https_server: LocalServer) -> None:
    connector = HttpConnector({"base_url": https_server.base_url, "timeout": 5,
                               "verify_server_cert": True})
    relaxed = connector.handle_action("http_get", {"location": "/", "verify_certificate": False})
    strict = connector.handle_action("http_get", {"location": "/", "verify_certificate": "true"})
    assert relaxed.is_success() and strict.is_fail()
