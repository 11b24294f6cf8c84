"""The server the client libraries talk to: as `make run` serves it, on a throwaway SQLite.

`Server` migrates a fresh SOAR_VAR_DIR, loads the demo data (`manage.py load_demo`),
makes an admin user with a known password and a `ph-auth-token`, starts one playbook run
(so run, log and app-run routes have rows), then serves `daphne soar.asgi:application`
on a free loopback port with the embedded worker, as the Makefile's `run` target does.

`TlsProxy` fronts it with HTTPS on another loopback port, for libraries that only
speak https:// (splunkctl builds `https://host:port/rest`): a self-signed certificate
made with openssl, and bytes piped to the plain server.
"""
from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import IO, Any

# Runs in `manage.py shell`; prints one JSON line of ids the drivers use.
SETUP = '''
import json, os, sys
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from editor.models import Playbook
from engine.models import ApiToken, App, Artifact, Asset, Container, CustomList

username, password = os.environ["SOAR_CLIENTS_SETUP_USER"], os.environ["SOAR_CLIENTS_SETUP_PASSWORD"]
user = get_user_model().objects.create_superuser(username, "clients@example.com", password)
user.groups.add(Group.objects.get_or_create(name="admin")[0])
_, key = ApiToken.issue(user, "soar-clients")
container = Container.objects.filter(label="events").order_by("id").first()
artifact = Artifact.objects.filter(container=container).order_by("id").first()
playbook = Playbook.objects.order_by("id").first()
# The Utilities app's "encode base64" runs offline: the action the drivers run.
asset = Asset.objects.filter(name="utilities").first() or Asset.objects.order_by("id").first()
app = asset.app if asset else App.objects.order_by("id").first()
custom_list = CustomList.objects.order_by("id").first()
run_id = None
try:
    from engine.execution.runs import start_run
    run = start_run(playbook, container, scope="all")
    run_id = getattr(run, "pk", run)
except Exception as exc:  # the seed still serves the other calls
    print("no playbook run:", exc, file=sys.stderr)
print(json.dumps({
    "token": key, "user_id": user.pk,
    "container_id": container.pk, "container_name": container.name,
    "artifact_id": artifact.pk if artifact else None,
    "playbook_id": playbook.pk, "playbook_name": playbook.name,
    "playbook_run_id": run_id,
    "app_id": app.pk if app else None, "app_name": app.name if app else "",
    "app_vendor": app.product_vendor if app else "", "app_product": app.product_name if app else "",
    "asset_id": asset.pk if asset else None, "asset_name": asset.name if asset else "",
    "action_name": "encode base64", "action_parameters": {"text": "soar clients"},
    "list_name": custom_list.name if custom_list else "",
}))
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, tree: Path, var_dir: Path, python: str) -> None:
        self.tree = tree
        self.var_dir = var_dir
        self.python = python
        self.username = "soar-clients"
        self.password = secrets.token_urlsafe(16)
        self.seed: dict[str, Any] = {}
        self.base_url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "REDIS_URL", "SOAR_TASK_BACKEND", "SOAR_RQ_URL")}
        env.update({"SOAR_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "soar.settings",
                    "SOAR_EMBEDDED_WORKER": "1", "DEBUG": "0", "SOAR_STATIC_FROM_SOURCE": "1",
                    "LOG_LEVEL": "WARNING", "ALLOWED_HOSTS": "127.0.0.1,localhost"})
        self.env = env

    def _manage(self, *args: str, timeout: int = 300, env: dict[str, str] | None = None) -> str:
        done = subprocess.run([self.python, "manage.py", *args], cwd=self.tree, env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stdout[-1500:]}\n{done.stderr[-3000:]}")
        return done.stdout

    def start(self) -> None:
        shutil.rmtree(self.var_dir, ignore_errors=True)
        self.var_dir.mkdir(parents=True)
        self._manage("migrate", "--noinput", "-v", "0")
        self._manage("load_demo")
        out = self._manage("shell", "-c", SETUP, env={"SOAR_CLIENTS_SETUP_USER": self.username,
                                                       "SOAR_CLIENTS_SETUP_PASSWORD": self.password})
        self.seed = json.loads(out.strip().splitlines()[-1])
        port = free_port()
        self._log = open(self.var_dir / "server.log", "wb")  # noqa: SIM115 - kept open while it serves
        self._process = subprocess.Popen(
            [self.python, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "soar.asgi:application"],
            cwd=self.tree, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        self.base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.base_url + "/healthz", timeout=2).read()
                return
            except OSError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not answer; see " + str(self.var_dir / "server.log")) from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
            self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None


class TlsProxy:
    def __init__(self, target_port: int, workdir: Path) -> None:
        self.target_port = target_port
        self.port = free_port()
        cert, key = workdir / "proxy-cert.pem", workdir / "proxy-key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True, timeout=60)
        self._context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._context.load_cert_chain(cert, key)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", self.port, ssl=self._context))
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            server.close()

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(10)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


if __name__ == "__main__":  # a manual check: serve until Ctrl-C
    root = Path(__file__).resolve().parents[2]
    s = Server(root, root / "var" / "soar-clients" / "server", sys.executable)
    s.start()
    print(s.base_url, json.dumps(s.seed))
    try:
        while True:
            time.sleep(1)
    finally:
        s.stop()
