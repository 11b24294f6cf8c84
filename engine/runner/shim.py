"""The `phantom` package as playbook code sees it inside a runner process.

Every name of engine/runtime/phantom/rules.py is classified here: LOCAL names only
compute, or work on objects of the user's own code, and run in the runner; every other
name needs the platform and is PROXIED: the call (with the runner's current block) goes
to the engine, which runs the real runtime function and sends back its value or its
exception. tests/runner/test_every_runtime_name_is_classified.py fails when rules.py
gains a name this module does not know.

Local, and why:
- playbook_block: a decorator around user functions; records block.started/finished
  events (buffered, sent ahead of the next call or the outcome, so their order with the
  engine's events holds) and the innermost failed block.
- requests: remote URLs are plain HTTP from here; the server's own URLs go to the engine
  (engine/runtime/phantom/_http_client.py, shared with the runtime), which serves them
  in-process as the run's user.
- LoopState: a value object over a dict; only `exit_conditions_met` with conditions
  evaluates datapaths over the run's data, and that one call goes to the engine.
- concatenate, is_ip, valid_ip, valid_net, address_in_network: pure functions of their
  arguments.
- parse_errors, parse_success, get_successful_action_results_v2: pure functions of the
  callback's `results` the code already holds.
- get_base_url, get_rest_base_url, build_phantom_rest_url: string building over the job's
  base_url (asked from the engine once per job when the job does not carry it).
- PlaybookAPIError, NotImplementedInPlaybookStudio, LoopStateError, requests.HTTPError:
  exception classes, so user `except` clauses catch what proxied calls raise.
Also local: `phantom.utils` (engine/runtime/phantom/utils.py imports only the standard
library and is imported as it is) and the `phantom.vault.Vault` class, whose methods are
proxied.

Proxied (each reads or writes the platform's data, emits run events, or schedules work):
act, actions_done, add_artifact, add_comment, add_list, add_note, add_tag, add_tags,
add_workbook, artifact_values (reads a container's artifacts when given one), attacker_ips,
check_list, clear_object, close, collect, collect2, collect_from_contains,
collect_from_run_data, comment, completed, condition, create_container, custom_function,
datastore_add, datastore_get, datastore_present, datastore_set, debug, decision, deescalate,
delete_from_list, delete_pin, discontinue, error (debug and error emit events the engine
redacts and names the block for), format, get_action_results, get_artifacts, get_assets,
get_container, get_current_container_id_, get_data, get_effective_user, get_format_data,
get_list, get_notes, get_object, get_phase, get_playbook_info, get_raw_data, get_run_data,
get_summary, get_tasks, get_vault_file, get_vault_item_info, merge, pin, playbook, promote,
prompt, prompt2, remove_list, remove_tag, remove_tags, save_data, save_object,
save_playbook_output_data, save_run_data, set_action_limit, set_label, set_list, set_owner,
set_phase, set_sensitivity, set_severity, set_status, task, update, update_pin, vault_add,
vault_delete, vault_info, victim_ips. Of these, debug and error (DEFERRED) return None and
only emit an event: they are queued with the buffered events, pickled at the call, and the
engine executes them in their order, without a round trip each.

An unknown name gives NotImplementedInPlaybookStudio, as rules.py's `__getattr__` does.
This module imports nothing from Django.
"""
from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any, NoReturn
from urllib.parse import quote

from engine.runner.protocol import dumps_from_runner
from engine.runtime.phantom import _pure
from engine.runtime.phantom._http_client import HTTPError, Requests
from engine.runtime.phantom._pure import (
    LoopStateError,
    address_in_network,
    concatenate,
    get_successful_action_results_v2,
    is_ip,
    parse_errors,
    parse_success,
    valid_net,
)

LOCAL = frozenset({
    "playbook_block", "requests", "LoopState", "concatenate", "is_ip", "valid_ip", "valid_net", "address_in_network",
    "parse_errors", "parse_success", "get_successful_action_results_v2", "get_base_url", "get_rest_base_url",
    "build_phantom_rest_url", "PlaybookAPIError",
})
PROXIED = frozenset("""
act actions_done add_artifact add_comment add_list add_note add_tag add_tags add_workbook artifact_values attacker_ips
check_list clear_object close collect collect2 collect_from_contains collect_from_run_data comment completed condition
create_container custom_function datastore_add datastore_get datastore_present datastore_set debug decision deescalate
delete_from_list delete_pin discontinue error format get_action_results get_artifacts get_assets get_container
get_current_container_id_ get_data get_effective_user get_format_data get_list get_notes get_object get_phase
get_playbook_info get_raw_data get_run_data get_summary get_tasks get_vault_file get_vault_item_info merge pin playbook
promote prompt prompt2 remove_list remove_tag remove_tags save_data save_object save_playbook_output_data save_run_data
set_action_limit set_label set_list set_owner set_phase set_sensitivity set_severity set_status task update update_pin
vault_add vault_delete vault_info victim_ips
""".split())
# Proxied calls that only emit an event and return None: sent with the next message instead
# of a round trip each (compiled playbooks call phantom.debug in every block).
DEFERRED = frozenset({"debug", "error"})
VAULT_METHODS = ("add_attachment", "get_file_info", "create_attachment", "get_file_path", "get_vault_tmp_dir")


class PlaybookAPIError(ValueError):
    """A phantom.* call with arguments the engine cannot act on; the message says which."""


class NotImplementedInPlaybookStudio(NotImplementedError):
    pass


class OutsideRunError(RuntimeError):
    pass


# Exception classes a proxied call's exception is raised as, by name (protocol.rebuild_exception).
EXCEPTIONS: dict[str, type[BaseException]] = {
    "PlaybookAPIError": PlaybookAPIError, "NotImplementedInPlaybookStudio": NotImplementedInPlaybookStudio,
    "LoopStateError": LoopStateError, "HTTPError": HTTPError, "OutsideRunError": OutsideRunError,
}


class State:
    """The job in progress, as the shim sees it (one job at a time per process)."""

    def __init__(self, call: Callable[[str, str, tuple[Any, ...], dict[str, Any]], Any]) -> None:
        self.call = call  # (module, name, args, kwargs) -> value, through the engine
        self.active = False
        self.block = ""
        self.failed_block = ""
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.base_url = ""

    def begin(self, block: str, base_url: str) -> None:
        self.active, self.block, self.failed_block, self.events, self.base_url = True, block, "", [], base_url

    def defer(self, module: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """A call whose only effect is an event (debug, error): queued with the events, as
        an entry ("", its pickled call), and executed by the engine in that order. Pickled
        now, so the engine formats the values as they are at the call."""
        self.events.append(("", dumps_from_runner((module, name, args, kwargs, self.block))))  # type: ignore[arg-type]

    def take_events(self) -> list[tuple[str, dict[str, Any]]]:
        events, self.events = self.events, []
        return events

    def get_base_url(self) -> str:
        if not self.base_url:
            self.base_url = str(self.call("rules", "get_base_url", (), {})).rstrip("/")
        return self.base_url.rstrip("/")


def _deferred(state: State, module: str, name: str) -> Callable[..., Any]:
    def deferred(*args: Any, **kwargs: Any) -> None:
        state.defer(module, name, args, kwargs)

    deferred.__name__ = deferred.__qualname__ = name
    return deferred


def _proxy(state: State, module: str, name: str) -> Callable[..., Any]:
    def proxied(*args: Any, **kwargs: Any) -> Any:
        return state.call(module, name, args, kwargs)

    proxied.__name__ = proxied.__qualname__ = name.rpartition(".")[2]
    return proxied


def _playbook_block(state: State) -> Callable[[], Callable[[Callable[..., Any]], Callable[..., Any]]]:
    def playbook_block() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator factory SOAR 5.4+ puts on every block: records the block for run events."""

        def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
            name = fn.__name__

            def block(*args: Any, **kwargs: Any) -> Any:
                if not state.active:
                    return fn(*args, **kwargs)
                outer, state.block = state.block, name
                state.events.append(("block.started", {"block": name}))
                try:
                    result = fn(*args, **kwargs)
                except BaseException as exc:
                    state.failed_block = state.failed_block or name
                    state.events.append(("block.finished", {"block": name, "status": "failed",
                                                            "error": f"{type(exc).__name__}: {exc}"}))
                    raise
                finally:
                    state.block = outer
                state.events.append(("block.finished", {"block": name, "status": "success"}))
                return result

            block.__module__, block.__name__, block.__qualname__ = fn.__module__, fn.__name__, fn.__qualname__
            block.__doc__, block.__wrapped__ = fn.__doc__, fn  # type: ignore[attr-defined]
            block.__annotations__ = fn.__annotations__
            if fn.__dict__:
                block.__dict__.update(fn.__dict__)
            return block

        return decorate

    return playbook_block


def _loop_state(state: State) -> type:
    class LoopState(_pure.LoopState):
        __doc__ = _pure.LoopState.__doc__

        def _conditions_hold(self, conditions: list[list[Any]], results: Any) -> bool:
            # Datapaths over the run's data: evaluated by the engine's LoopState.
            return bool(state.call("runner", "loop_exit_conditions_met", (self.state, results), {}))

    return LoopState


_URL_SAFE = "/?&=%:,;+@$!*'()\""


def _missing(name: str) -> Callable[..., NoReturn]:
    def missing(*args: Any, **kwargs: Any) -> NoReturn:
        raise NotImplementedInPlaybookStudio(f"phantom.{name}() is not implemented by Playbook Studio")

    missing.__name__ = name
    return missing


def install(state: State) -> None:
    """Put `phantom`, `phantom.rules`, `phantom.utils` and `phantom.vault` in sys.modules."""
    from engine.runtime.phantom import utils  # standard library only

    rules = types.ModuleType("phantom.rules", "The playbook API (runner side; see engine.runner.shim).")
    namespace = rules.__dict__
    for name in PROXIED:
        namespace[name] = (_deferred if name in DEFERRED else _proxy)(state, "rules", name)

    def get_base_url() -> str:
        """The installation's base URL, without a trailing slash."""
        return state.get_base_url()

    def get_rest_base_url() -> str:
        """`<base>/rest/`: where this installation's REST API starts."""
        return f"{state.get_base_url()}/rest/"

    def build_phantom_rest_url(*parts: Any) -> str:
        """`<base>/rest/<part>/<part>…`, each part URL-quoted on its own."""
        cleaned = (str(p).strip("/") for p in parts)
        return get_rest_base_url() + "/".join(quote(p, safe=_URL_SAFE) for p in cleaned if p)

    def local_request(method: str, url: str, body: bytes, headers: dict[str, str]) -> Any:
        return state.call("runner", "requests_local", (method, url, body, headers), {})

    namespace.update({
        "playbook_block": _playbook_block(state), "requests": Requests(state.get_base_url, local_request),
        "LoopState": _loop_state(state), "concatenate": concatenate, "is_ip": is_ip, "valid_ip": is_ip,
        "valid_net": valid_net, "address_in_network": address_in_network, "parse_errors": parse_errors,
        "parse_success": parse_success, "get_successful_action_results_v2": get_successful_action_results_v2,
        "get_base_url": get_base_url, "get_rest_base_url": get_rest_base_url,
        "build_phantom_rest_url": build_phantom_rest_url, "PlaybookAPIError": PlaybookAPIError,
        "NotImplementedInPlaybookStudio": NotImplementedInPlaybookStudio,
    })
    namespace["__all__"] = sorted(LOCAL | PROXIED)

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _missing(name)

    namespace["__getattr__"] = __getattr__

    vault = types.ModuleType("phantom.vault", "The Vault class (its methods run in the engine).")
    vault.Vault = type("Vault", (), {m: staticmethod(_proxy(state, "vault", f"Vault.{m}"))  # type: ignore[attr-defined]
                                     for m in VAULT_METHODS})

    package = types.ModuleType("phantom", "Playbook Studio's phantom package (runner side).")
    package.__path__ = []
    package.rules, package.utils, package.vault = rules, utils, vault  # type: ignore[attr-defined]
    sys.modules.update({"phantom": package, "phantom.rules": rules, "phantom.utils": utils, "phantom.vault": vault})
