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
  (http_client), which serves them in-process as the run's user.
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

import ipaddress
import json
import sys
import time
import types
from collections.abc import Callable
from typing import Any, NoReturn
from urllib.parse import quote

from engine.runner.http_client import HTTPError, Requests
from engine.runner.protocol import dumps_from_runner

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


class LoopStateError(ValueError):
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
    def number(values: dict[str, Any], key: str, default: float) -> float:
        value = values.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            try:
                return float(value)
            except (TypeError, ValueError):
                raise LoopStateError(f"phantom.LoopState: {key} must be a number, not {value!r}") from None
        return float(value)

    class LoopState:
        """`current_iteration` (from 1), `max_iterations`, `conditions` (exit conditions as
        `[datapath, operator, value]` triples), `max_ttl` and `delay_time` (seconds)."""

        def __init__(self, state: Any = None) -> None:
            loop = state  # the runtime's name for it (engine.runtime.phantom._loop): callers pass state=
            if isinstance(loop, str):
                try:
                    loop = json.loads(loop)
                except ValueError as exc:
                    raise LoopStateError(f"phantom.LoopState: state is not JSON ({exc})") from None
            if not isinstance(loop, dict):
                raise LoopStateError("phantom.LoopState: state must be a dict or its JSON text")
            self.state: dict[str, Any] = dict(loop)
            self.state.setdefault("current_iteration", 1)
            self.state.setdefault("max_iterations", 1)
            self.state.setdefault("conditions", [])
            self.state.setdefault("start_time", time.time())

        @property
        def current_iteration(self) -> int:
            return int(number(self.state, "current_iteration", 1))

        @property
        def delay_time(self) -> float:
            return number(self.state, "delay_time", 0)

        def exit_conditions_met(self, results: Any = None) -> bool:
            conditions = [c for c in self.state.get("conditions") or [] if isinstance(c, (list, tuple)) and len(c) == 3]
            if not conditions:
                return False
            # Datapaths over the run's data: evaluated by the engine's LoopState.
            return bool(state.call("runner", "loop_exit_conditions_met", (self.state, results), {}))

        def should_continue(self, container: Any = None, results: Any = None, **kwargs: Any) -> bool:
            if self.exit_conditions_met(results):
                return False
            if self.current_iteration >= number(self.state, "max_iterations", 1):
                return False
            ttl = number(self.state, "max_ttl", 0)
            return not (ttl and time.time() - number(self.state, "start_time", time.time()) >= ttl)

        def increment(self) -> int:
            self.state["current_iteration"] = self.current_iteration + 1
            return self.current_iteration

        def to_json(self) -> str:
            return json.dumps(self.state, sort_keys=True, default=str)

        def __repr__(self) -> str:
            return f"LoopState({self.to_json()})"

    return LoopState


def concatenate(*values: Any, dedup: bool = False, **kwargs: Any) -> list[Any]:
    """Merge scalars and lists into one flat list (one level), optionally de-duplicated."""
    flat: list[Any] = []
    for value in values:
        if isinstance(value, (list, tuple)):
            flat.extend(value)
        elif value is not None:
            flat.append(value)
    if dedup:
        seen: list[Any] = []
        for item in flat:
            if item not in seen:
                seen.append(item)
        return seen
    return flat


def parse_success(results: Any) -> list[Any]:
    """The `data` items of every successful action result in a callback's `results`."""
    items: list[Any] = []
    for app_run in results or []:
        for result in app_run.get("action_results") or []:
            if result.get("status") == "success":
                items.extend(result.get("data") or [])
    return items


def parse_errors(results: Any) -> list[str]:
    """The messages of every failed action result in a callback's `results`."""
    return [str(r.get("message") or "") for app_run in results or [] for r in app_run.get("action_results") or []
            if r.get("status") != "success"]


def get_successful_action_results_v2(results: Any) -> list[dict[str, Any]]:
    """The successful action results (one per parameter set) of a callback's `results`."""
    return [r for app_run in results or [] for r in app_run.get("action_results") or [] if r.get("status") == "success"]


def is_ip(value: Any) -> bool:
    """Whether the value is an IPv4 or IPv6 address (`valid_ip` is the same check)."""
    try:
        ipaddress.ip_address(str(value).strip())
    except ValueError:
        return False
    return True


def valid_net(value: Any) -> bool:
    """Whether the value is a network in CIDR notation (host bits allowed) or an address."""
    try:
        ipaddress.ip_network(str(value).strip(), strict=False)
    except ValueError:
        return False
    return True


def address_in_network(ip: Any, net: Any) -> bool:
    """Whether the address `ip` lies in the network `net` (False when either is malformed)."""
    try:
        return ipaddress.ip_address(str(ip).strip()) in ipaddress.ip_network(str(net).strip(), strict=False)
    except ValueError:
        return False


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
