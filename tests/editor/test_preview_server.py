"""`protocol preview`: the page, its refresh on save, the cursor's section, bad specs."""

from __future__ import annotations

import re
from pathlib import Path

from protocol_dsl.commands.preview_server import CONTENT_POLICY
from tests.editor.helpers import (
    CRITERION,
    EventStream,
    copy_spec,
    goto,
    preview_command,
    replace_in,
    request,
    serving,
)


def _line_of(spec: Path, text: str) -> int:
    lines = spec.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(text))


def test_the_page_is_the_protocol_document_with_the_live_script(tmp_path: Path) -> None:
    spec = copy_spec(tmp_path)
    built = tmp_path / "built"
    built.mkdir()
    from generators.documents import protocol
    from tests.documents.helpers import compile_clean

    protocol.build(compile_clean(spec), built)
    with serving(spec) as (server, _live):
        status, headers, page = request(server.url)
    assert status == 200
    assert headers["Content-Security-Policy"] == CONTENT_POLICY
    script = '<script src="/preview.js" data-version="1"></script>\n'
    # the page `protocol build` writes, with one script tag before </body>
    assert page.replace(script, "") == (built / "protocol.html").read_text(encoding="utf-8")


def test_line_n_scrolls_to_the_section_of_its_declaration(tmp_path: Path) -> None:
    spec = copy_spec(tmp_path)
    line = _line_of(spec, "inclusion I2 ")
    with serving(spec) as (server, _live):
        _, _, page = request(f"{server.url}?line={line}")
        _, _, script = request(f"{server.url}preview.js")
    assert 'data-target="criterion-I2"' in page
    assert 'id="criterion-I2"' in page
    assert "scrollIntoView" in script


def test_a_save_reloads_every_open_page(tmp_path: Path) -> None:
    spec = copy_spec(tmp_path)
    with serving(spec) as (server, _live):
        events = EventStream(server.url)
        try:
            assert events.next() == ("version", "1")
            replace_in(spec, CRITERION, CRITERION.replace("of ≤2", "of 0 or 1"))
            assert events.next() == ("reload", "2")
        finally:
            events.close()
        _, _, page = request(server.url)
    assert 'data-version="2"' in page
    assert "performance status of 0 or 1" in page
    assert "performance status of ≤2" not in page


def test_the_editor_moves_the_open_pages_to_its_cursor(tmp_path: Path) -> None:
    spec = copy_spec(tmp_path)
    line = _line_of(spec, "inclusion I3 ")
    with serving(spec) as (server, _live):
        events = EventStream(server.url)
        try:
            assert events.next()[0] == "version"
            assert goto(server.url, line) == {"line": line, "anchor": "criterion-I3"}
            assert events.next() == ("goto", "criterion-I3")
        finally:
            events.close()
        # before the first declaration (the header comment) no section shows the line
        assert goto(server.url, 1) == {"line": 1, "anchor": None}
        status, _, body = request(f"{server.url}goto?line=x", method="POST")
        assert status == 400 and "line=N" in body


def test_a_spec_that_does_not_check_shows_its_errors_then_recovers(tmp_path: Path) -> None:
    spec = copy_spec(tmp_path)
    with serving(spec) as (server, _live):
        events = EventStream(server.url)
        try:
            assert events.next()[0] == "version"
            replace_in(spec, ".ecog <= 2", ".no_such_item <= 2")
            assert events.next()[0] == "reload"
            _, _, broken = request(server.url)
            replace_in(spec, ".no_such_item <= 2", ".ecog <= 2")
            assert events.next()[0] == "reload"
            _, _, fixed = request(server.url)
        finally:
            events.close()
    assert "does not check yet" in broken
    assert re.search(r"error\[E\d{4}\]", broken), broken
    assert "no_such_item" in broken and '<pre class="diagnostics">' in broken
    assert 'id="criterion-I2"' in fixed


def test_spec_text_stays_inert_in_the_page_and_in_the_errors(tmp_path: Path) -> None:
    spec = copy_spec(tmp_path)
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    replace_in(spec, "performance status of ≤2", hostile)
    with serving(spec) as (server, _live):
        _, _, page = request(server.url)
        replace_in(spec, hostile + '"', hostile + '" = <script>')
        server.live.refresh_if_changed()
        _, _, errors = request(server.url)
    for shown in (page, errors):
        assert "<script>alert" not in shown and "<img src=x" not in shown
        # the only script is the preview's own
        assert [tag[:28] for tag in re.findall(r"<script[^>]*>", shown)] == [
            '<script src="/preview.js" da'
        ]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "does not check yet" in errors and "&lt;script&gt;" in errors


def test_a_spec_not_there_yet_is_shown_when_it_appears(tmp_path: Path) -> None:
    spec = tmp_path / "new.trial"
    with serving(spec) as (server, _live):
        events = EventStream(server.url)
        try:
            assert events.next()[0] == "version"
            _, _, missing = request(server.url)
            copy_spec(tmp_path / "later")
            (tmp_path / "later" / "mgc018_first_in_human.trial").rename(spec)
            assert events.next()[0] == "reload"
            _, _, shown = request(server.url)
        finally:
            events.close()
    assert "does not exist" in missing
    assert 'id="criterion-I1"' in shown


def test_only_this_machine_s_names_are_served(tmp_path: Path) -> None:
    spec = copy_spec(tmp_path)
    with serving(spec) as (server, _live):
        assert request(server.url, host="attacker.example:80")[0] == 403
        assert request(server.url, host="localhost")[0] == 200
        assert request(f"{server.url}nothing")[0] == 404


def test_the_command_prints_the_url_and_serves_the_page(tmp_path: Path) -> None:
    spec = copy_spec(tmp_path)
    with preview_command(spec, tmp_path) as url:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url)
        status, _, page = request(url)
    assert status == 200 and 'id="criterion-I1"' in page


def test_a_port_in_use_is_said_in_plain_words(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys

    spec = copy_spec(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "protocol_dsl", "preview", str(spec), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr == (
        f"error: cannot serve the preview on port {port}: Address already in use\n"
    )
    assert "Traceback" not in result.stderr


def test_a_library_the_spec_uses_is_watched_too(tmp_path: Path) -> None:
    from tests.editor.helpers import SPECS

    spec = copy_spec(tmp_path, SPECS / "bliss52_belimumab_sle.trial")
    library = tmp_path / "lib" / "glucocorticoids.trial"
    with serving(spec) as (server, live):
        assert str(library) in {str(Path(f)) for f in live.preview.files}
        events = EventStream(server.url)
        try:
            assert events.next()[0] == "version"
            replace_in(library, '"Prednisolone"', '"Prednisolone (edited)"')
            assert events.next() == ("reload", "2")
        finally:
            events.close()
        _, _, page = request(server.url)
    assert "Prednisolone (edited)" in page
