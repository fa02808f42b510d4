"""The live preview's web server: the page, its script, and the events that move it.

Standard library only (`http.server`), bound to the loopback interface.  The
spec and the libraries it uses are polled for changes (modification time and
size: no extra dependency, and it works on every file system, network shares
included); a change re-generates the page and tells every open page to reload,
through Server-Sent Events.  An editor moves the pages to the section of the
declaration under its cursor with `POST /goto?line=N`.

Routes:

- `GET /` (or `/?line=N`): the page, scrolled to the section showing line N;
- `GET /preview.js`: the page's script;
- `GET /events`: the event stream (`version` once, then `reload` and `goto`);
- `POST /goto?line=N`: show line N's section in every open page; answers
  `{"line": N, "anchor": …}` (the anchor is null when no section shows it).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from protocol_dsl.commands.preview_page import SCRIPT, Preview, build_preview, with_live_script

#: What the page may load: its own styles, its script and events from this server.
#: Nothing a spec contains can run, even if it ever reached the page unescaped.
CONTENT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'"
)

#: Seconds between two keep-alive comments on an idle event stream: a page that went
#: away is noticed (and its thread ends) within this time.
KEEP_ALIVE = 10.0

Signature = tuple[tuple[str, int, int], ...]


class LivePreview:
    """The current page of one spec, re-generated when its files change."""

    def __init__(self, path: str, build: Callable[[str], Preview] = build_preview) -> None:
        self.path = path
        self._build = build
        self._changed = threading.Condition()
        self._events: list[tuple[str, str]] = []
        self.stopping = False
        self.version = 1
        self.preview = build(path)
        self._signature = _signature(self.preview.files)

    def refresh_if_changed(self) -> bool:
        """Re-generate the page if a file it was made from changed; whether it did."""
        signature = _signature(self.preview.files)
        if signature == self._signature:
            return False
        preview = self._build(self.path)
        with self._changed:
            # the files read this time (a `use` added or removed changes what to watch)
            self._signature = _signature(preview.files)
            self.preview = preview
            self.version += 1
            self._publish("reload", str(self.version))
        return True

    def current(self) -> tuple[int, Preview]:
        """The page's version and the page, read together (never a new page under an
        old version, which would leave a browser showing it without a reload)."""
        with self._changed:
            return self.version, self.preview

    def anchor_for(self, line: int) -> str | None:
        from generators.documents.locate import anchor_for_line

        preview = self.preview
        if preview.spec is None:
            return None
        return anchor_for_line(preview.spec, line, preview.anchors)

    def go_to(self, line: int) -> str | None:
        """Show the section of `line` in every open page; the anchor shown."""
        anchor = self.anchor_for(line)
        if anchor is not None:
            with self._changed:
                self._publish("goto", anchor)
        return anchor

    def events_after(self, seen: int, timeout: float) -> list[tuple[str, str]]:
        """The events published after the first `seen` (waiting up to `timeout` for one)."""
        with self._changed:
            if len(self._events) <= seen and not self.stopping:
                self._changed.wait(timeout)
            return self._events[seen:]

    def event_count(self) -> int:
        with self._changed:
            return len(self._events)

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()

    def watch(self, interval: float) -> None:
        """Poll the files every `interval` seconds until stopped (a thread's body)."""
        while not self.stopping:
            try:
                self.refresh_if_changed()
            except Exception as error:  # a bug: said so, and the preview goes on watching
                from protocol_dsl.commands.internal import report_internal

                report_internal("while making the preview again", error, "the page was kept")
                self._signature = _signature(self.preview.files)
            with self._changed:
                if not self.stopping:
                    self._changed.wait(interval)

    def _publish(self, kind: str, data: str) -> None:
        self._events.append((kind, data))
        self._changed.notify_all()


def _signature(files: tuple[str, ...]) -> Signature:
    found = []
    for file in files:
        try:
            status = os.stat(file)
        except OSError:  # removed or being replaced: seen as a change until it is back
            found.append((file, -1, -1))
        else:
            found.append((file, status.st_mtime_ns, status.st_size))
    return tuple(found)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, live: LivePreview, host: str, port: int) -> None:
        super().__init__((host, port), _Handler)
        self.live = live

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if not self._from_this_machine():
            return
        url = urlsplit(self.path)
        if url.path == "/":
            self._page(_line(url.query))
        elif url.path == "/preview.js":
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", SCRIPT.read_bytes())
        elif url.path == "/events":
            self._events()
        elif url.path == "/favicon.ico":  # asked for by every browser: none, and no error
            self._send(HTTPStatus.NO_CONTENT, "image/x-icon", b"")
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n")

    def do_POST(self) -> None:
        if not self._from_this_machine():
            return
        url = urlsplit(self.path)
        line = _line(url.query)
        if url.path != "/goto" or line is None:
            self._send(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"POST /goto?line=N\n")
            return
        anchor = self.server.live.go_to(line)
        body = json.dumps({"line": line, "anchor": anchor}).encode()
        self._send(HTTPStatus.OK, "application/json", body)

    def _from_this_machine(self) -> bool:
        """Refuse a request addressed to another host name: a web page elsewhere must not
        read the spec through this server by pointing a name of its own at 127.0.0.1."""
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        if host in {"127.0.0.1", "localhost", "[::1]"}:
            return True
        self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", b"forbidden\n")
        return False

    def _page(self, line: int | None) -> None:
        live = self.server.live
        version, preview = live.current()
        target = live.anchor_for(line) if line is not None else None
        page = with_live_script(preview.page, version, target)
        self._send(HTTPStatus.OK, "text/html; charset=utf-8", page.encode("utf-8"))

    def _events(self) -> None:
        live = self.server.live
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        seen = live.event_count()
        try:
            self._write_event("version", str(live.version))
            while not live.stopping:
                events = live.events_after(seen, KEEP_ALIVE)
                seen += len(events)
                for kind, data in events:
                    self._write_event(kind, data)
                if not events:
                    self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the page was closed
            return

    def _write_event(self, kind: str, data: str) -> None:
        self.wfile.write(f"event: {kind}\ndata: {data}\n\n".encode())
        self.wfile.flush()

    def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if content_type.startswith("text/html"):
            self.send_header("Content-Security-Policy", CONTENT_POLICY)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not logged: the terminal shows the URL and the rebuilds only."""


def _line(query: str) -> int | None:
    values = parse_qs(query).get("line")
    if not values:
        return None
    try:
        line = int(values[0])
    except ValueError:
        return None
    return line if line >= 1 else None
