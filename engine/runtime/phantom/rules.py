"""`phantom.rules`: the playbook API, as compiled and hand-written SOAR playbooks call it.

This module only re-exports; each function lives (with its docstring) in a private module
by concept. A name SOAR has but Playbook Studio does not implement raises a clear error
naming it instead of an AttributeError deep in a callback.
"""

from __future__ import annotations

from typing import Any, NoReturn

from engine.runtime.phantom._container import (
    add_artifact,
    add_comment,
    add_note,
    add_tag,
    add_tags,
    close,
    comment,
    get_container,
    get_current_container_id_,
    remove_tag,
    remove_tags,
    set_label,
    set_owner,
    set_sensitivity,
    set_severity,
    set_status,
    update,
)
from engine.runtime.phantom._data import (
    collect,
    collect2,
    collect_from_run_data,
    condition,
    decision,
    format,
    get_format_data,
)
from engine.runtime.phantom._flow import (
    PlaybookAPIError,
    act,
    actions_done,
    completed,
    custom_function,
    discontinue,
    playbook,
    playbook_block,
    set_action_limit,
)
from engine.runtime.phantom._http import requests
from engine.runtime.phantom._lists import add_list, check_list, delete_from_list, get_list, remove_list
from engine.runtime.phantom._loop import LoopState
from engine.runtime.phantom._misc import (
    build_phantom_rest_url,
    concatenate,
    debug,
    error,
    get_action_results,
    get_assets,
    get_base_url,
    get_effective_user,
    get_playbook_info,
    get_successful_action_results_v2,
    get_summary,
    parse_errors,
    parse_success,
)
from engine.runtime.phantom._persistent import (
    address_in_network,
    clear_object,
    datastore_add,
    datastore_get,
    datastore_present,
    datastore_set,
    get_data,
    get_object,
    get_raw_data,
    is_ip,
    save_data,
    save_object,
    valid_ip,
    valid_net,
)
from engine.runtime.phantom._prompts import prompt, prompt2, task
from engine.runtime.phantom._rundata import get_run_data, save_playbook_output_data, save_run_data
from engine.runtime.phantom._vault import vault_add, vault_info
from engine.runtime.phantom._workbook import delete_pin, get_phase, get_tasks, pin, set_phase, update_pin

__all__ = [
    "LoopState",
    "PlaybookAPIError",
    "act",
    "address_in_network",
    "clear_object",
    "datastore_add",
    "datastore_get",
    "datastore_present",
    "datastore_set",
    "get_data",
    "get_object",
    "get_raw_data",
    "is_ip",
    "save_data",
    "save_object",
    "valid_ip",
    "valid_net",
    "delete_pin",
    "get_phase",
    "get_tasks",
    "pin",
    "requests",
    "set_phase",
    "update_pin",
    "actions_done",
    "add_artifact",
    "add_comment",
    "add_list",
    "add_note",
    "add_tag",
    "add_tags",
    "build_phantom_rest_url",
    "check_list",
    "close",
    "collect",
    "collect2",
    "collect_from_run_data",
    "comment",
    "completed",
    "concatenate",
    "condition",
    "custom_function",
    "debug",
    "decision",
    "delete_from_list",
    "discontinue",
    "error",
    "format",
    "get_action_results",
    "get_assets",
    "get_base_url",
    "get_container",
    "get_current_container_id_",
    "get_effective_user",
    "get_format_data",
    "get_list",
    "get_playbook_info",
    "get_run_data",
    "get_successful_action_results_v2",
    "get_summary",
    "parse_errors",
    "parse_success",
    "playbook",
    "playbook_block",
    "prompt",
    "prompt2",
    "remove_list",
    "remove_tag",
    "remove_tags",
    "save_playbook_output_data",
    "save_run_data",
    "set_action_limit",
    "set_label",
    "set_owner",
    "set_sensitivity",
    "set_severity",
    "set_status",
    "task",
    "update",
    "vault_add",
    "vault_info",
]


class NotImplementedInPlaybookStudio(NotImplementedError):
    pass


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)

    def missing(*args: Any, **kwargs: Any) -> NoReturn:
        raise NotImplementedInPlaybookStudio(f"phantom.{name}() is not implemented by Playbook Studio")

    missing.__name__ = name
    return missing
