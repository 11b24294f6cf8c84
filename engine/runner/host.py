"""The engine's side of a runner's platform calls: executes them with the real runtime
(engine.runtime.phantom) bound to the step's context.

    outcome = runner.execute(job, host.serve_with(ctx), host.events_into(ctx))

Only the engine imports this module (it imports Django through the runtime). A runner
may name only what the runtime offers playbook code: `phantom.rules`'s public names, the
Vault class's methods, and the two calls the runner's own phantom.requests and LoopState
make; anything else is refused, since the runner's messages are untrusted.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.execution import faults
from engine.runner.pool import Events, Serve
from engine.runner.shim import VAULT_METHODS
from engine.runtime.context import StepContext, bind, unbind


def _requests_local(method: str, url: str, body: bytes, headers: dict[str, str]) -> tuple[Any, ...]:
    """A request to this server, served in-process as the run's user (phantom._http)."""
    from engine.runtime.phantom import _http

    if not isinstance(body, bytes) or not isinstance(headers, dict) or not _http._is_local(str(url)):
        raise PermissionError("phantom.requests: only this server's URLs are served by the engine")
    response = _http._local(str(method), str(url), body, {str(k): str(v) for k, v in headers.items()})
    return (response.status_code, bytes(response.content), {str(k): str(v) for k, v in response.headers.items()},
            response.url, response.request_method)


def _loop_exit_conditions_met(state: Any, results: Any = None) -> bool:
    from engine.runtime.phantom._loop import LoopState

    return LoopState(state).exit_conditions_met(results)


def _resolve(module: str, name: str) -> Callable[..., Any]:
    from engine.runtime.phantom import rules, vault

    if module == "rules" and name in rules.__all__:
        return getattr(rules, name)  # type: ignore[no-any-return]
    if module == "vault" and name.startswith("Vault.") and name[6:] in VAULT_METHODS:
        return getattr(vault.Vault, name[6:])  # type: ignore[no-any-return]
    if module == "runner" and name in _RUNNER_CALLS:
        return _RUNNER_CALLS[name]
    return _refuse(module, name)


def _refuse(module: str, name: str) -> Callable[..., Any]:
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AttributeError(f"phantom.{module}.{name} is not available to playbook code")

    return refused


# Calls that leave the run's container and its artifacts as they were: after any other
# (a container update, an added artifact, a request to this server's REST API...) what
# the holder's batch read of them is read again (engine.execution.batch `reads`).
KEEP_READS = frozenset({
    "act", "actions_done", "artifact_values", "attacker_ips", "check_list", "clear_object", "collect", "collect2",
    "collect_from_contains", "collect_from_run_data", "completed", "condition", "custom_function", "datastore_add",
    "datastore_get", "datastore_present", "datastore_set", "debug", "decision", "discontinue", "error", "format",
    "get_action_results", "get_artifacts", "get_assets", "get_container", "get_current_container_id_", "get_data",
    "get_effective_user", "get_format_data", "get_list", "get_notes", "get_object", "get_phase", "get_playbook_info",
    "get_raw_data", "get_run_data", "get_summary", "get_tasks", "get_vault_file", "get_vault_item_info", "playbook",
    "prompt", "prompt2", "save_data", "save_object", "save_playbook_output_data", "save_run_data", "set_action_limit",
    "task", "vault_info", "victim_ips", "loop_exit_conditions_met",
})

_RUNNER_CALLS: dict[str, Callable[..., Any]] = {
    "requests_local": _requests_local, "loop_exit_conditions_met": _loop_exit_conditions_met,
}
_TARGETS: dict[tuple[str, str], Callable[..., Any]] = {}


def serve_with(ctx: StepContext) -> Serve:
    """A `serve` for runner.execute: each call runs with `ctx` bound and ctx.block set to
    the runner's current block (so debug events name the right block)."""

    def serve(module: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], block: str) -> Any:
        key = (module, name)
        target = _TARGETS.get(key)
        if target is None:
            target = _resolve(str(module), str(name))
            if len(_TARGETS) < 1024:
                _TARGETS[key] = target
        if not isinstance(args, tuple) or not isinstance(kwargs, dict) or not all(isinstance(k, str) for k in kwargs):
            raise TypeError(f"phantom.{name}: malformed call")
        token = bind(ctx)
        try:
            ctx.block = str(block)
            value = target(*args, **kwargs)
            faults.point("code_call")  # the durability tests: a worker dying while code runs
            return value
        finally:
            unbind(token)
            if ctx.batch is not None and name not in KEEP_READS:
                ctx.batch.forget_reads()

    return serve


def events_into(ctx: StepContext) -> Events:
    """An `events` for runner.execute: the runner's events join the step's, in order."""
    return ctx.events.extend
