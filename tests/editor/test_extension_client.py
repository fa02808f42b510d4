"""The extension's client: which `protocol` it runs, and what it says when it cannot.

The logic lives in `editors/vscode/src/locate.js`, free of the editor's API, and
is tested with node's test runner (`editors/vscode/test/locate.test.js`); this
runs those tests, with this checkout's own `protocol` among the commands tried.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editor.helpers import EXTENSION, NODE, ROOT, needs_node


@needs_node
@pytest.mark.skipif(os.name == "nt", reason="the command is wrapped in a shell script")
def test_the_client_finds_protocol_as_documented(tmp_path: Path) -> None:
    """The extension's own tests (node's test runner): where `protocol` is looked for,
    the messages when none or a mismatched one is found, and this checkout's own
    `protocol` accepted by the extension of the same version."""
    assert NODE is not None
    command = tmp_path / "protocol"
    command.write_text(
        f'#!/bin/sh\nPYTHONPATH={shlex.quote(str(ROOT))} exec {shlex.quote(sys.executable)} -m protocol_dsl "$@"\n',
        encoding="utf-8",
    )
    command.chmod(0o755)
    result = subprocess.run(
        [NODE, "--test", str(EXTENSION / "test" / "locate.test.js")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PROTOCOL_COMMAND": str(command)},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"^# pass [1-9]\d*$", result.stdout, re.M)
    assert re.search(r"^# fail 0$", result.stdout, re.M)
    assert re.search(r"^# skipped 0$", result.stdout, re.M)


def test_every_command_the_extension_declares_is_registered() -> None:
    """A command in the palette that no code registers fails only when a writer runs it."""
    import json

    package = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    declared = {command["command"] for command in package["contributes"]["commands"]}
    source = (EXTENSION / "src" / "extension.js").read_text(encoding="utf-8")
    registered = set(re.findall(r'registerCommand\("([\w.]+)"', source))
    assert (
        declared
        == registered
        == {
            "protocol.preview",
            "protocol.previewInBrowser",
            "protocol.restartServer",
        }
    )
    settings = set(package["contributes"]["configuration"]["properties"])
    read = set(re.findall(r'getConfiguration\("protocol"\)\.get\("([\w.]+)"', source))
    preview = (EXTENSION / "src" / "preview.js").read_text(encoding="utf-8")
    read |= set(re.findall(r'getConfiguration\("protocol"\)\.get\("([\w.]+)"', preview))
    # protocol.trace.server is read by the language client itself (its client id is "protocol")
    assert {f"protocol.{name}" for name in read} | {"protocol.trace.server"} == settings
    assert 'new LanguageClient("protocol"' in source
