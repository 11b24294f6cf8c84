"""The shape of one custom function invocation's result (SOAR's), shared by the code that
runs it (engine.execution.code) and the runner's outcome."""
from __future__ import annotations

from typing import Any


def invocation_result(params: dict[str, Any], value: Any = None, error: str = "", trace: str = "") -> dict[str, Any]:
    if error:
        found: dict[str, Any] = {"status": "failed", "success": False, "message": error, "data": None,
                                 "parameter": params}
        if trace:
            found["traceback"] = trace
        return found
    return {"status": "success", "success": True, "message": "", "data": value, "parameter": params}
