"""`set_list`, the vault's delete and legacy lookups, and the data access of classic
playbooks (`collect_from_contains`, `get_artifacts`, `attacker_ips`, `victim_ips`,
`artifact_values`)."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from engine.apps.catalogue import parse_app
from engine.catalogue import sync_app
from engine.models import Artifact, Asset, Container, CustomList, Note, PlaybookRun, VaultItem
from tests.engine.conftest import python_playbook, run_code

Run = Callable[..., PlaybookRun]



def test_set_list_replaces_the_rows_and_creates_a_missing_list(container: Container, run_to_end: Run) -> None:
    CustomList.objects.create(name="vips", content=[["old"], ["older"]])
    out = run_code(container, run_to_end, """
out = [phantom.set_list(list_name="vips", values=[["alice", 1], ["bob", None]]),
       phantom.set_list(list_name="fresh", values=["a", "b"]),
       phantom.get_list(list_name="vips")[2]]
""")
    assert out == [[True, "2 row(s) set"], [True, "2 row(s) set"], [["alice", "1"], ["bob", None]]]
    assert CustomList.objects.get(name="fresh").content == [["a"], ["b"]]


def test_vault_files_are_deleted_one_at_a_time_unless_remove_all(container: Container, run_to_end: Run) -> None:
    out = run_code(container, run_to_end, """
from phantom.vault import Vault
first = Vault.create_attachment(b"same bytes", container['id'], file_name="a.txt")
Vault.create_attachment("same bytes", container['id'], file_name="b.txt")
one = Vault.create_attachment(b"other", container['id'], file_name="c.txt")
path = Vault.get_file_path(one['vault_id'])
paths = [Vault.get_file_path(first['vault_id']), path]
out = [first['succeeded'], first['vault_id'] == first['hash'], open(path).read(),
       phantom.get_vault_file(one['vault_id']) == path,
       [i['name'] for i in phantom.get_vault_item_info(vault_id=first['vault_id'])],
       phantom.vault_delete(vault_id=first['vault_id']),
       phantom.vault_delete(vault_id=first['vault_id'], remove_all=True),
       phantom.vault_delete(file_name="c.txt"),
       phantom.vault_delete(file_name="c.txt"),
       phantom.get_vault_file(one['vault_id']), paths]
""")
    assert out[:5] == [True, True, "other", True, ["a.txt", "b.txt"]]
    assert out[5] == [False, "2 files match: pass remove_all=True to remove them all", []]
    assert out[6] == [True, "2 file(s) removed", ["a.txt", "b.txt"]]
    assert out[7] == [True, "1 file(s) removed", ["c.txt"]]
    assert out[8] == [False, "no matching vault file", []] and out[9] is None
    assert not VaultItem.objects.exists()
    assert all(p.startswith(str(settings.SOAR_VAULT_DIR)) and not Path(p).exists() for p in out[10])


def test_a_file_another_container_holds_stays_on_disk(container: Container, run_to_end: Run) -> None:
    other = Container.objects.create(name="other")
    out = run_code(container, run_to_end, f"""
from phantom.vault import Vault
mine = Vault.create_attachment(b"shared", container['id'], file_name="s.txt")
Vault.create_attachment(b"shared", {other.pk}, file_name="s.txt")
out = [phantom.vault_delete(vault_id=mine['vault_id']), phantom.get_vault_file(mine['vault_id'])]
""")
    assert out[0][0] is True and Path(out[1]).read_bytes() == b"shared"
    assert list(VaultItem.objects.values_list("container_id", flat=True)) == [other.pk]


def test_classic_artifact_lookups_read_the_containers_artifacts(container: Container, run_to_end: Run) -> None:
    Artifact.objects.create(container=container, label="event", hash="1",
                            cef={"sourceAddress": "10.0.0.1", "destinationAddress": "192.168.1.5"})
    Artifact.objects.create(container=container, label="alert", hash="2",
                            cef={"sourceAddress": "10.0.0.1", "sourceTranslatedAddress": "203.0.113.9",
                                 "destinationAddress": ["192.168.1.6", ""]})
    out = run_code(container, run_to_end, """
out = [[a['label'] for a in phantom.get_artifacts(container)],
       [a['label'] for a in phantom.get_artifacts(container, artifact_label="alert")],
       phantom.attacker_ips(container), phantom.victim_ips(container),
       phantom.artifact_values(phantom.get_artifacts(container), "sourceAddress"),
       phantom.artifact_values(container, "destinationAddress")]
""")
    assert out == [["event", "alert"], ["alert"], ["10.0.0.1", "203.0.113.9"], ["192.168.1.5", "192.168.1.6"],
                   ["10.0.0.1", "10.0.0.1"], ["192.168.1.5", ["192.168.1.6", ""]]]


TYPED_APP = {
    "appid": "6a0bc6a2-0000-4000-8000-0000000000c1", "name": "DnsTest", "app_version": "1.0.0",
    "product_vendor": "Test", "product_name": "Dns", "description": "test reverse lookup", "configuration": {},
    "actions": [{
        "action": "reverse ip", "identifier": "reverse_ip", "description": "Names of an IP", "type": "investigate",
        "read_only": True, "versions": "EQ(*)",
        "parameters": {"ip": {"data_type": "string", "required": True, "contains": ["ip"], "description": "IP"}},
        "output": [
            {"data_path": "action_result.data.*.hostname", "data_type": "string", "contains": ["domain"],
             "example_values": ["example.com"]},
            {"data_path": "action_result.parameter.ip", "data_type": "string", "contains": ["ip"],
             "example_values": ["1.1.1.1"]},
            {"data_path": "action_result.status", "data_type": "string", "example_values": ["success"]},
        ],
    }],
}


def test_collect_from_contains_gathers_typed_cef_values_and_typed_results(container: Container,
                                                                          run_to_end: Run) -> None:
    app, _ = sync_app(parse_app(TYPED_APP))
    Asset.objects.create(name="dns", app=app)
    Artifact.objects.create(container=container, hash="1", cef={"sourceAddress": "10.0.0.1", "requestURL": "http://x"})
    Artifact.objects.create(container=container, hash="2", cef={"custom": "example.org"},
                            cef_types={"custom": ["domain"]})
    pb = python_playbook("typed", """
        import json
        import phantom.rules as phantom

        def on_start(container):
            phantom.act("reverse ip", parameters=[{"ip": "10.0.0.1"}], assets=["dns"], callback=done,
                        name="reverse_ip_1")

        def done(action=None, success=None, container=None, results=None, handle=None, **kwargs):
            out = [phantom.collect_from_contains(container=container, contains=["ip"], scope="all"),
                   phantom.collect_from_contains(container=container, action_results=results, contains="domain",
                                                 scope="all"),
                   phantom.collect_from_contains(container=container, contains=["url"], scope="all")]
            phantom.add_note(container=container, title="out", content=json.dumps(out))

        def on_finish(container, summary):
            pass
    """)
    run = run_to_end(pb, container)
    assert run.status == "success", run.message
    ips, domains, urls = json.loads(Note.objects.get(title="out").content)
    assert ips == ["10.0.0.1", "10.0.0.1"]  # the artifact's sourceAddress, then the action's ip parameter
    assert domains == ["example.org", "example.com"]
    assert urls == ["http://x"]


def test_vault_info_describes_files_as_playbooks_read_them(container: Container, run_to_end: Run) -> None:
    # A corpus playbook picks a sandbox from vault_info[0]['mime_type'] and ['contains'].
    out = run_code(container, run_to_end, """
from phantom.vault import Vault
exe = Vault.create_attachment(b"MZ\\x90\\x00rest", container['id'], file_name="tool.exe")
doc = Vault.create_attachment(b"plain words", container['id'], file_name="notes.txt",
                              metadata={"contains": ["text file"]})
ok, message, (info,) = phantom.vault_info(vault_id=exe['vault_id'])
out = [ok, info, phantom.vault_info(vault_id=doc['vault_id'])[2][0]]
""")
    ok, exe, doc = out
    assert ok is True
    assert (exe["name"], exe["aka"], exe["mime_type"], exe["contains"]) == ("tool.exe", ["tool.exe"],
                                                                            "application/x-dosexec", ["vault id", "pe file"])
    assert (exe["container"], exe["container_id"], exe["metadata"]["sha1"]) == (container.name, container.pk, exe["vault_id"])
    assert exe["create_time"].endswith("Z") and exe["size"] == 8
    assert (doc["mime_type"], doc["contains"]) == ("text/plain", ["text file"])
