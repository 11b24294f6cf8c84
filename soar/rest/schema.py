"""OpenAPI schema details for SOAR-style resources."""
from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class SoarAutoSchema(AutoSchema):
    def get_operation_id(self) -> str:
        # /rest/x and /rest/x/{id} share verbs (POST creates vs updates), so say which.
        base = super().get_operation_id()
        return base if "{" in self.path else f"{base}_collection"


class PhAuthTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "soar.rest.auth.PhAuthTokenAuthentication"
    name = "phAuthToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "ph-auth-token"}
