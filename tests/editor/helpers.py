"""Helpers of the editor tests: a spec to edit, the preview server around it, node."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from protocol_dsl.commands.preview_server import LivePreview, PreviewServer

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
EXTENSION = ROOT / "editors" / "vscode"

NODE = shutil.which("node")
#: The tests that run the extension's JavaScript: CI installs its npm packages first.
needs_node = pytest.mark.skipif(
    NODE is None or not (EXTENSION / "node_modules" / "vscode-textmate").is_dir(),
    reason="node and the extension's npm packages are needed: run `npm ci` in editors/vscode",
)

#: A real spec that uses no library and checks quickly: edited by the tests.
EDITED = SPECS / "mgc018_first_in_human.trial"
CRITERION = 'inclusion I2 "Eastern Cooperative Oncology Group performance status of ≤2"'


def copy_spec(folder: Path, spec: Path = EDITED) -> Path:
    """A copy of a real spec (and the libraries it may use) that a test may edit."""
    shutil.copytree(SPECS / "lib", folder / "lib")
    copy = folder / spec.name
    shutil.copyfile(spec, copy)
    return copy


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit a spec as an editor saves it: the whole file rewritten at once."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    partial = path.with_name(path.name + ".saving")
    partial.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.replace(partial, path)


@contextmanager
def serving(spec: Path, interval: float = 0.05) -> Iterator[tuple[PreviewServer, LivePreview]]:
    """The preview server of `spec` in this process, its files watched."""
    live = LivePreview(str(spec))
    server = PreviewServer(live, "127.0.0.1", 0)
    threads = [
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}),
        threading.Thread(target=live.watch, args=(interval,)),
    ]
    for thread in threads:
        thread.start()
    try:
        yield server, live
    finally:
        live.stop()
        server.shutdown()
        server.server_close()
        for thread in threads:
            thread.join(timeout=30)


def request(
    url: str, method: str = "GET", host: str | None = None
) -> tuple[int, dict[str, str], str]:
    """Status, headers and body of one request to the preview server."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {"Host": host} if host else {}
        connection.request(method, target, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8")
    finally:
        connection.close()


class EventStream:
    """The server's event stream, read one event at a time (a socket, no browser)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self._socket = socket.create_connection((parts.hostname, parts.port), timeout=60)
        self._socket.sendall(
            f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{parts.port}\r\n\r\n".encode()
        )
        self._buffer = b""
        head = self._until(b"\r\n\r\n")
        assert b" 200 " in head.split(b"\r\n")[0] and b"text/event-stream" in head

    def _until(self, end: bytes) -> bytes:
        while end not in self._buffer:
            chunk = self._socket.recv(4096)
            if not chunk:
                raise EOFError("the server closed the event stream")
            self._buffer += chunk
        found, self._buffer = self._buffer.split(end, 1)
        return found

    def next(self) -> tuple[str, str]:
        """The next event (kind, data); keep-alive comments are skipped."""
        while True:
            block = self._until(b"\n\n").decode("utf-8")
            fields = dict(line.split(": ", 1) for line in block.split("\n") if line[:1] != ":")
            if fields:
                return fields["event"], fields["data"]

    def close(self) -> None:
        self._socket.close()


def goto(url: str, line: int) -> dict[str, object]:
    status, _, body = request(f"{url}goto?line={line}", method="POST")
    assert status == 200, body
    return json.loads(body)


@contextmanager
def preview_command(spec: Path, cwd: Path) -> Iterator[str]:
    """`protocol preview SPEC` run as a user runs it; yields the URL it prints."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "protocol_dsl", "preview", str(spec), "--interval", "0.1"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Previewing "), first + (
            process.stderr.read() if process.stderr else ""
        )
        yield first.rsplit(" at ", 1)[1].strip()
    finally:
        process.terminate()
        process.wait(timeout=30)
