"""`phantom.rules`: the playbook API, as compiled and hand-written SOAR playbooks call it.

This module only re-exports; each function lives (with its docstring) in a private module
by concept. A name SOAR has but Playbook Studio does not implement raises a clear error
naming it instead of an AttributeError deep in a callback.
"""

from __future__ import annotations

from typing import Any, NoReturn

from engine.runtime.phantom._artifacts import artifact_values, attacker_ips, get_artifacts, victim_ips
from engine.runtime.phantom._cases import create_container, deescalate, get_notes, merge, promote
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
    collect_from_contains,
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
from engine.runtime.phantom._lists import add_list, check_list, delete_from_list, get_list, remove_list, set_list
from engine.runtime.phantom._loop import LoopState
from engine.runtime.phantom._misc import (
    build_phantom_rest_url,
    debug,
    error,
    get_action_results,
    get_assets,
    get_base_url,
    get_effective_user,
    get_playbook_info,
    get_rest_base_url,
    get_summary,
)
from engine.runtime.phantom._persistent import (
    clear_object,
    datastore_add,
    datastore_get,
    datastore_present,
    datastore_set,
    get_data,
    get_object,
    get_raw_data,
    save_data,
    save_object,
)
from engine.runtime.phantom._prompts import prompt, prompt2, task
from engine.runtime.phantom._pure import (
    address_in_network,
    concatenate,
    get_successful_action_results_v2,
    is_ip,
    parse_errors,
    parse_success,
    valid_ip,
    valid_net,
)
from engine.runtime.phantom._rundata import get_run_data, save_playbook_output_data, save_run_data
from engine.runtime.phantom._vault import get_vault_file, get_vault_item_info, vault_add, vault_delete, vault_info
from engine.runtime.phantom._workbook import add_workbook, delete_pin, get_phase, get_tasks, pin, set_phase, update_pin

__all__ = [
    "LoopState",
    "PlaybookAPIError",
    "act",
    "actions_done",
    "add_artifact",
    "add_comment",
    "add_list",
    "add_note",
    "add_tag",
    "add_tags",
    "add_workbook",
    "address_in_network",
    "artifact_values",
    "attacker_ips",
    "build_phantom_rest_url",
    "check_list",
    "clear_object",
    "close",
    "collect",
    "collect2",
    "collect_from_contains",
    "collect_from_run_data",
    "comment",
    "completed",
    "concatenate",
    "condition",
    "create_container",
    "custom_function",
    "datastore_add",
    "datastore_get",
    "datastore_present",
    "datastore_set",
    "debug",
    "decision",
    "deescalate",
    "delete_from_list",
    "delete_pin",
    "discontinue",
    "error",
    "format",
    "get_action_results",
    "get_artifacts",
    "get_assets",
    "get_base_url",
    "get_container",
    "get_current_container_id_",
    "get_data",
    "get_effective_user",
    "get_format_data",
    "get_list",
    "get_notes",
    "get_object",
    "get_phase",
    "get_playbook_info",
    "get_raw_data",
    "get_rest_base_url",
    "get_run_data",
    "get_successful_action_results_v2",
    "get_summary",
    "get_tasks",
    "get_vault_file",
    "get_vault_item_info",
    "is_ip",
    "merge",
    "parse_errors",
    "parse_success",
    "pin",
    "playbook",
    "playbook_block",
    "promote",
    "prompt",
    "prompt2",
    "remove_list",
    "remove_tag",
    "remove_tags",
    "requests",
    "save_data",
    "save_object",
    "save_playbook_output_data",
    "save_run_data",
    "set_action_limit",
    "set_label",
    "set_list",
    "set_owner",
    "set_phase",
    "set_sensitivity",
    "set_severity",
    "set_status",
    "task",
    "update",
    "update_pin",
    "valid_ip",
    "valid_net",
    "vault_add",
    "vault_delete",
    "vault_info",
    "victim_ips",
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
