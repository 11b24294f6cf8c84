from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class PayloadTooLarge(ParseError):
    status_code = 413


class StrictJSONParser(parsers.BaseParser):
    """JSON bodies with a size limit and errors that say where the JSON is broken."""

    media_type = "application/json"

    def parse(self, stream: IO[bytes] | None, media_type: str | None = None,
              parser_context: Mapping[str, Any] | None = None) -> Any:
        return parse_json(stream)


def parse_json(stream: IO[bytes] | None, not_json: str = "malformed JSON") -> Any:
    """A JSON body, within the size limit; `not_json` starts the message of a broken one."""
    limit = settings.SOAR_MAX_BODY_BYTES
    if stream is None:
        return {}
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise PayloadTooLarge(f"request body is larger than the limit of {limit} bytes")
    if not raw.strip():
        return {}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(f"request body is not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ParseError(f"{not_json} at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"{not_json}: {exc}") from None


class UndeclaredJSONParser(parsers.BaseParser):
    """A JSON body sent without saying so: SOAR's own examples use `curl -d '{...}'`, which
    sends `application/x-www-form-urlencoded`, and SOAR reads the body as JSON whatever the
    Content-Type. A body that is not JSON (a real form) gets a 400 saying what to send.
    SoarContentNegotiation picks it only when no parser of the view claims the body, so it
    is not in the views' parser lists (nor in the OpenAPI schema, which documents JSON)."""

    media_type = "*/*"

    def parse(self, stream: IO[bytes] | None, media_type: str | None = None,
              parser_context: Mapping[str, Any] | None = None) -> Any:
        return parse_json(stream, "the request body must be JSON (a JSON object, whatever the Content-Type); "
                                  "it is not")


class SoarContentNegotiation(DefaultContentNegotiation):
    """A body no parser of the view claims is read as JSON (UndeclaredJSONParser), except a
    multipart one: that is files, which only upload views (their own parsers) take."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        parser = super().select_parser(request, parsers)
        if parser is None and not (request.content_type or "").lower().startswith("multipart/"):
            return UndeclaredJSONParser()
        return parser
