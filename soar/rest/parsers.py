from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class PayloadTooLarge(ParseError):
    status_code = 413


class StrictJSONParser(parsers.BaseParser):
    """JSON bodies with a size limit and errors that say where the JSON is broken."""

    media_type = "application/json"

    def parse(self, stream: IO[bytes] | None, media_type: str | None = None,
              parser_context: Mapping[str, Any] | None = None) -> Any:
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
            raise ParseError(f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"malformed JSON: {exc}") from None
