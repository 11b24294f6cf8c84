"""soarsdk (PyPI: soarsdk, "API Wrapper and Objects for Splunk SOAR"): PhantomClient's public methods.

Each method is called once, in an order where later calls reuse what earlier ones made
(the container soarsdk creates is the one it comments on, pins, exports and deletes).
Methods that poll (run_playbooks) run under a time limit.
"""
from __future__ import annotations

import tempfile

from harness import Recorder, run_driver


def main(rec: Recorder) -> None:
    from soarsdk.client import PhantomClient
    from soarsdk.objects import Artifact, Container, Note, Playbook

    seed = rec.seed
    url = rec.base_url
    import requests

    # connect() assigns the return value of token_authenticate()/password_authenticate() (None)
    # to self.session, so these two constructors fail on any server.
    bug = "connect() replaces the session with None (token_authenticate/password_authenticate return nothing)"
    rec.call("PhantomClient(url, splunkToken=...)", PhantomClient, url, splunkToken=rec.token,
             family="conventions", defect=bug)
    rec.call("PhantomClient(url, username=..., password=...)", PhantomClient, url, username=rec.username,
             password=rec.password, family="conventions", defect=bug)
    # The constructor that works: an authenticated session (the library's third documented way).
    session = requests.Session()
    session.headers["ph-auth-token"] = rec.token
    client = rec.call("PhantomClient(url, session=...)", PhantomClient, url, session=session,
                      family="conventions")
    if client is None:  # every other call needs a connected client
        return

    rec.call("get_containers(_filter_label)", client.get_containers, {"_filter_label": "events"},
             check=lambda v: None if v else "no container with label events")
    container = Container(name="soarsdk container", label="events", description="made by soarsdk",
                          artifacts=[Artifact(name="soarsdk artifact", label="event",
                                              cef={"sourceAddress": "192.0.2.10"})])
    rec.call("create_container(with artifacts)", client.create_container, container,
             check=lambda _: None if container.id else "no id set")
    if not container.id:
        container = Container(id=seed["container_id"], name=seed["container_name"], label="events")
    extra = Artifact(name="soarsdk second artifact", label="event", cef={"destinationAddress": "198.51.100.7"})
    rec.call("create_artifacts", client.create_artifacts, container, extra,
             check=lambda _: None if extra.id else "no artifact id")
    rec.call("get_artifacts(_filter_container)", client.get_artifacts, {"_filter_container": container.id},
             check=lambda v: None if v else "no artifacts listed")
    record = rec.lookup(f"container/{container.id}") or {}
    # The container's own hash when the record carries one (else the call shows the server has none).
    rec.call("find_by_hash(container)", client.find_by_hash, record.get("hash") or "0" * 40, "container",
             check=lambda v: None if v == container.id else f"found container {v!r}, not {container.id}")
    rec.call("modify_container_values", client.modify_container_values, container)
    rec.call("add_comment", client.add_comment, container, "commented by soarsdk")
    rec.call("get_comments", client.get_comments, container)
    rec.call("create_note", client.create_note, container, Note(title="soarsdk note", content="noted"))
    rec.call("get_notes", client.get_notes, container)
    rec.call("get_pins", client.get_pins, container)
    rec.call("get_container_attachments_ids", client.get_container_attachments_ids, container)
    rec.call("update_container_values", client.update_container_values, container)
    rec.call("get_enriched_containers", client.get_enriched_containers, {"_filter_id": container.id})
    rec.call("export_container_as_tar", client.export_container_as_tar, container,
             download_path=tempfile.mkdtemp(prefix="soarsdk-export-"))

    rec.call("get_playbooks", client.get_playbooks, {},
             check=lambda v: None if v else "no playbooks listed")
    name = seed["playbook_name"]
    rec.call("get_playbook_id_from_name", client.get_playbook_id_from_name, name,
             check=lambda v: None if v == seed["playbook_id"] else f"got {v!r}")
    rec.call("get_playbook_name_from_id", client.get_playbook_name_from_id, seed["playbook_id"],
             check=lambda v: None if v == name else f"got {v!r}")
    rec.call("get_playbook_notes", client.get_playbook_notes, Playbook(name=name))
    rec.call("set_playbook_active", client.set_playbook_active, True, seed["playbook_id"])
    rec.call("run_playbooks", client.run_playbooks, container, Playbook(name=name, playbook=seed["playbook_id"]),
             timeout=60)
    rec.call("is_playbook_running", client.is_playbook_running, container)
    rec.call("check_approvals", client.check_approvals, container)
    rec.call("get_playbook_runs(_filter_container)", client.get_playbook_runs, {"_filter_container": container.id})
    rec.call("get_playbook_logs", client.get_playbook_logs, Playbook(id=seed["playbook_run_id"]))
    rec.call("find_containers_from_playbook", client.find_containers_from_playbook,
             Playbook(name=name, id=seed["playbook_id"]))
    rec.call("get_app_runs", client.get_app_runs, {})
    rec.call("get_action_runs", client.get_action_runs, {})

    rec.call("get_apps (build_action)", client.get_apps, family="actions",
             check=lambda v: None if v else "no apps")
    rec.call("get_app", client.get_app, seed["app_name"], check=lambda v: None if v else "app not found")
    rec.call("get_actions", client.get_actions, family="actions",
             check=lambda v: None if v else "no actions")
    rec.call("get_assets", client.get_assets, check=lambda v: None if v else "no assets")
    rec.call("get_asset_ids", client.get_asset_ids)
    rec.call("get_asset", client.get_asset, seed["asset_name"])

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("uploaded by soarsdk\n")
    rec.call("upload_file (UI route /upload_chunked)", client.upload_file, file_path=handle.name,
             family="outside /rest/")

    artifact = Artifact(id=extra.id) if extra.id else None
    if artifact is not None:
        rec.call("delete_artifact", client.delete_artifact, artifact)
    rec.call("delete_container", client.delete_container, container)


if __name__ == "__main__":
    run_driver(main, "soarsdk", "soarsdk")
