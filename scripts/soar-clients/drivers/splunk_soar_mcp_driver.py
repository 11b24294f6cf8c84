"""splunk-soar-mcp (PyPI): every tool that talks to SOAR, called through the MCP server itself.

The server is built as its entry point builds it (`build_server()` from the environment:
SPLUNK_SOAR_URL, SPLUNK_SOAR_API, SOAR_MCP_MODE=full so the write and run tools are
registered), and each tool is invoked with `MCPServer.call_tool(name, arguments)` — the
same code path an MCP client's tools/call reaches. The VPE block builders make no REST
call and are left out. The `soar://instance/summary` resource is read too.
"""
from __future__ import annotations

import asyncio
import os
import re
from typing import Any

from harness import Recorder, run_driver


def text_of(result: Any) -> str:
    content = getattr(result, "content", None) or []
    return "\n".join(getattr(part, "text", "") for part in content)


async def drive(rec: Recorder) -> None:
    os.environ.update({
        "SPLUNK_SOAR_URL": rec.base_url, "SPLUNK_SOAR_API": rec.token, "SOAR_MCP_MODE": "full",
        "SOAR_MCP_ENV_FILE": os.devnull, "SOAR_MCP_VERIFY_SSL": "false",
    })
    from splunk_soar_mcp.server import build_server

    server = build_server()
    seed = rec.seed

    async def tool(tool_name: str, family: str = "", /, **arguments: Any) -> str:
        result = await rec.acall(tool_name, server.call_tool, tool_name, arguments, family=family,
                                 check=lambda r: text_of(r)[:200] if getattr(r, "is_error", False) else None)
        return text_of(result) if result is not None else ""

    cid, aid = seed["container_id"], seed["artifact_id"]
    # platform and admin
    await tool("soar_system_info")
    await tool("soar_get_system_settings")
    await tool("soar_get_license")
    await tool("soar_get_system_health")
    await tool("soar_list_cluster_nodes")
    await tool("soar_list_feature_flags")
    await tool("soar_list_ingestion_status")
    await tool("soar_list_repos")
    # apps, assets, functions
    await tool("soar_list_apps")
    await tool("soar_list_app_actions", app_ref=str(seed["app_id"]))
    action_name = seed["action_name"]
    await tool("soar_get_app_action", app_ref=seed["app_name"], action_name=action_name)
    await tool("soar_list_assets")
    await tool("soar_get_asset", asset_ref=seed["asset_name"])
    await tool("soar_list_custom_functions")
    await tool("soar_get_custom_function", function_ref="1")
    # metadata
    await tool("soar_list_container_statuses")
    await tool("soar_list_severities")
    await tool("soar_list_custom_fields")
    await tool("soar_list_cef_fields", query="address")
    await tool("soar_list_workbooks")
    await tool("soar_get_workbook", workbook_ref="1")
    # users and roles
    await tool("soar_list_users")
    await tool("soar_get_user", user_ref=str(seed["user_id"]))
    await tool("soar_list_roles")
    await tool("soar_create_role", name="mcp analysts", description="made by splunk-soar-mcp",
               permissions={"containers": {"view": "allow", "edit": "allow"}})
    await tool("soar_get_role", role_ref="mcp analysts")
    await tool("soar_update_role", role_ref="mcp analysts", description="changed by splunk-soar-mcp")
    await tool("soar_delete_role", role_ref="mcp analysts", confirm_name="mcp analysts")
    # playbooks and runs
    await tool("soar_list_playbooks")
    await tool("soar_get_playbook", playbook_ref=seed["playbook_name"])
    await tool("soar_list_playbook_blocks", playbook_ref=seed["playbook_name"])
    await tool("soar_get_playbook_source", playbook_ref=seed["playbook_name"])
    await tool("soar_list_playbook_runs")
    if seed.get("playbook_run_id"):
        await tool("soar_get_playbook_run", run_id=seed["playbook_run_id"])
        await tool("soar_get_playbook_run_log", run_id=seed["playbook_run_id"])
    await tool("soar_list_action_runs")
    # containers and case work
    await tool("soar_list_containers", label="events", status="new")
    await tool("soar_get_container", container_id=cid)
    await tool("soar_list_artifacts", container_id=cid)
    if aid:
        await tool("soar_get_artifact", artifact_id=aid)
    await tool("soar_add_comment", container_id=cid, comment="commented by splunk-soar-mcp")
    await tool("soar_list_comments", container_id=cid)
    await tool("soar_add_note", container_id=cid, title="mcp note", content="noted by splunk-soar-mcp")
    await tool("soar_list_notes", container_id=cid)
    await tool("soar_update_container", container_id=cid, status="open", severity="high",
               owner=os.environ["SOAR_CLIENTS_USERNAME"], description="updated by splunk-soar-mcp")
    created = await tool("soar_create_container", name="mcp container", label="events", description="made by mcp")
    match = re.search(r'"id":\s*(\d+)', created)
    new_id = int(match.group(1)) if match else None
    if new_id:
        made = await tool("soar_add_artifact", container_id=new_id, name="mcp artifact",
                          cef={"sourceAddress": "192.0.2.20"}, source_data_identifier="mcp-1")
        art = re.search(r'"id":\s*(\d+)', made)
        if art:
            await tool("soar_delete_artifact", artifact_id=int(art.group(1)))
    # custom lists
    await tool("soar_list_custom_lists")
    if seed.get("list_name"):
        await tool("soar_get_custom_list", list_ref=seed["list_name"])
    await tool("soar_create_custom_list", name="mcp list", rows=[["192.0.2.1", "seen"]])
    await tool("soar_append_to_custom_list", list_ref="mcp list", row=["192.0.2.2", "seen"])
    await tool("soar_update_custom_list_row", list_ref="mcp list", row_index=0, row=["192.0.2.3", "changed"])
    await tool("soar_replace_custom_list", list_ref="mcp list", rows=[["198.51.100.1", "new"]])
    await tool("soar_delete_custom_list", list_ref="mcp list", confirm_name="mcp list")
    # execution
    await tool("soar_run_playbook", playbook_ref=seed["playbook_name"], container_id=cid, scope="all")
    await tool("soar_run_action", action=action_name, asset=seed["asset_name"], container_id=cid,
               parameters=seed["action_parameters"])
    # raw REST tools
    await tool("soar_rest_get", path="container", params={"page_size": 2})
    await tool("soar_rest_post", path=f"container/{cid}", payload={"sensitivity": "amber"})
    if new_id:
        await tool("soar_delete_container", container_id=new_id, confirm_name="mcp container")
    list_made = await tool("soar_rest_post", path="decided_list", payload={"name": "mcp raw list", "content": [["x"]]})
    raw_id = re.search(r'"id":\s*(\d+)', list_made)
    if raw_id:
        await tool("soar_rest_delete", path=f"decided_list/{raw_id.group(1)}")
    # the one resource that calls the instance
    await rec.acall("resource soar://instance/summary", server.read_resource, "soar://instance/summary",
                    check=lambda r: "unavailable" in str(r) and str(r)[:200] or None)


def main(rec: Recorder) -> None:
    asyncio.run(drive(rec))


if __name__ == "__main__":
    run_driver(main, "splunk-soar-mcp", "splunk-soar-mcp")
