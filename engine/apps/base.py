"""Connector interface modelled on SOAR's ``phantom.action_result`` / ``BaseConnector``.

A connector is one class per app. It receives the asset's configuration and serves one
handler per action identifier; the engine calls :meth:`Connector.handle_action` once
per parameter dict and gets an :class:`ActionResult` back.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Protocol, TypeVar

__all__ = [
    "APP_ERROR",
    "APP_SUCCESS",
    "ActionHandler",
    "ActionResult",
    "Connector",
    "UnknownActionError",
    "copy_json",
    "handler",
]

APP_SUCCESS = True
APP_ERROR = False
STATUS_SUCCESS = "success"
STATUS_FAILED = "failed"

# Types of JSON values that need no copy.
JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def copy_json(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, scalars); anything else is copied
    with ``copy.deepcopy``. Several times faster than deepcopy for the results every
    action and callback hands around."""
    kind = type(value)
    if kind is dict:
        # Scalars are taken as they are without a call each: most values are leaves.
        return {k: v if type(v) in JSON_SCALARS else copy_json(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in JSON_SCALARS else copy_json(v) for v in value]
    if kind in JSON_SCALARS:
        return value
    return copy.deepcopy(value)


class ActionResult:
    """The outcome of one action on one parameter dict.

    Serialises (:meth:`to_dict`) to SOAR's ``action_results[i]`` shape:
    ``{status, message, data, summary, parameter}``.
    """

    def __init__(self, param: Mapping[str, Any] | None = None) -> None:
        self._param: dict[str, Any] = dict(param or {})
        self._data: list[Any] = []
        self._summary: dict[str, Any] = {}
        # SOAR starts every result as failed, so a handler that forgets to say
        # otherwise never reports a false success.
        self._status: bool = APP_ERROR
        self._message: str = ""
        self.simulated: bool = False

    # -- data and summary --------------------------------------------------------
    def add_data(self, item: Any) -> Any:
        """Append ``item`` to ``data`` and return it (connectors keep filling it in)."""
        self._data.append(item)
        return item

    def get_data(self) -> list[Any]:
        return self._data

    def get_data_size(self) -> int:
        return len(self._data)

    def update_summary(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Merge ``values`` into the summary and return the summary."""
        self._summary.update(values)
        return self._summary

    def set_summary(self, values: Mapping[str, Any]) -> dict[str, Any]:
        self._summary = dict(values)
        return self._summary

    def get_summary(self) -> dict[str, Any]:
        return self._summary

    # -- parameter ---------------------------------------------------------------
    def update_param(self, values: Mapping[str, Any]) -> dict[str, Any]:
        self._param.update(values)
        return self._param

    def set_param(self, values: Mapping[str, Any]) -> dict[str, Any]:
        self._param = dict(values)
        return self._param

    def get_param(self) -> dict[str, Any]:
        return self._param

    # -- status ------------------------------------------------------------------
    def set_status(self, status: bool | str, message: str = "",
                   exception: BaseException | None = None) -> bool:
        """Set success/failure and the message; returns the status like SOAR does.

        ``status`` is ``APP_SUCCESS``/``APP_ERROR`` or ``"success"``/``"failed"``.
        An ``exception`` is appended to the message so the reason is not lost.
        """
        if isinstance(status, str):
            if status not in (STATUS_SUCCESS, STATUS_FAILED):
                raise ValueError(f"status must be 'success' or 'failed', not {status!r}")
            status = status == STATUS_SUCCESS
        self._status = bool(status)
        self._message = message
        if exception is not None:
            detail = f"{type(exception).__name__}: {exception}"
            self._message = f"{message}. {detail}" if message else detail
        return self._status

    def append_to_message(self, text: str) -> None:
        self._message = f"{self._message} {text}".strip()

    def get_status(self) -> bool:
        return self._status

    def get_message(self) -> str:
        return self._message

    def is_success(self) -> bool:
        return self._status is APP_SUCCESS

    def is_fail(self) -> bool:
        return not self._status

    # -- serialisation -----------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """SOAR's ``action_results[i]``; adds ``simulated: true`` only when simulated."""
        result: dict[str, Any] = {
            "status": STATUS_SUCCESS if self._status else STATUS_FAILED,
            "message": self._message,
            "data": copy_json(self._data),
            "summary": copy_json(self._summary),
            "parameter": copy_json(self._param),
        }
        if self.simulated:
            result["simulated"] = True
        return result

    @classmethod
    def from_dict(cls, value: Mapping[str, Any],
                  param: Mapping[str, Any] | None = None) -> ActionResult:
        """Rebuild a result from :meth:`to_dict` output (or a pinned/recorded one).

        ``param`` replaces the stored ``parameter`` when given, so a replayed result
        echoes the parameters of the call it answers.
        """
        result = cls(param if param is not None else value.get("parameter") or {})
        data = value.get("data") or []
        for item in data if isinstance(data, list) else [data]:
            result.add_data(copy.deepcopy(item))
        result.set_summary(copy.deepcopy(dict(value.get("summary") or {})))
        status = value.get("status", STATUS_SUCCESS)
        result.set_status(status if isinstance(status, (bool, str)) else bool(status),
                          str(value.get("message") or ""))
        result.simulated = bool(value.get("simulated", False))
        return result

    def __repr__(self) -> str:
        status = STATUS_SUCCESS if self._status else STATUS_FAILED
        return f"<ActionResult {status} {self._message!r} data={len(self._data)}>"


class ActionHandler(Protocol):
    """Anything the engine can dispatch to: a :class:`Connector` or the simulator."""

    def handle_action(self, action_identifier: str, param: Mapping[str, Any]) -> ActionResult:
        ...


class UnknownActionError(LookupError):
    """The connector has no handler for the requested action identifier."""


_F = TypeVar("_F", bound=Callable[..., Any])


def handler(*identifiers: str) -> Callable[[_F], _F]:
    """Mark a connector method as the handler for one or more action identifiers.

    The method is called as ``method(self, param, action_result)`` and fills in the
    result; it may return the result, the status, or nothing.
    """

    def mark(method: _F) -> _F:
        # setattr: mypy cannot type attributes set on a function object.
        setattr(method, "_action_identifiers", identifiers)  # noqa: B010
        return method

    return mark


class Connector:
    """Base class for built-in app connectors.

    Subclasses decorate methods with :func:`handler`. ``config`` is the asset's
    configuration (secrets already decrypted by the caller). ``test_connectivity`` is
    served under both identifiers SOAR apps use for it.
    """

    _handlers: ClassVar[dict[str, str]] = {}

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.config: dict[str, Any] = dict(config or {})
        # Progress lines for the run log, like SOAR's save_progress.
        self.progress: list[str] = []

    def get_config(self) -> dict[str, Any]:
        """The asset configuration (SOAR's ``BaseConnector.get_config``)."""
        return self.config

    def save_progress(self, message: str) -> None:
        """Note a progress line; the engine copies :attr:`progress` into the run log."""
        self.progress.append(message)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[str, str] = {}
        for klass in reversed(cls.__mro__):
            for attr, value in vars(klass).items():
                for identifier in getattr(value, "_action_identifiers", ()):
                    handlers[identifier] = attr
        cls._handlers = handlers

    @classmethod
    def identifiers(cls) -> frozenset[str]:
        """The action identifiers this connector serves."""
        return frozenset(cls._handlers)

    def handle_action(self, action_identifier: str, param: Mapping[str, Any]) -> ActionResult:
        """Run one action on one parameter dict.

        Raises :class:`UnknownActionError` for an identifier without a handler; a
        handler's own exceptions propagate (``dispatch.run_action`` turns them into a
        failed result).
        """
        attr = self._handlers.get(action_identifier)
        if attr is None:
            raise UnknownActionError(
                f"{type(self).__name__} has no handler for action {action_identifier!r}")
        result = ActionResult(param)
        returned = getattr(self, attr)(param, result)
        if isinstance(returned, ActionResult):
            return returned
        return result

    @handler("test_connectivity", "test_asset_connectivity")
    def test_connectivity(self, param: Mapping[str, Any], result: ActionResult) -> bool:
        """Default check for apps with nothing to reach; connectors override it."""
        return result.set_status(APP_SUCCESS, "Test Connectivity Passed")
