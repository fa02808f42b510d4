"""The annotated CRF renders in headless Chromium: a screenshot, and no console messages.

The page has no script and loads nothing, so any console message is a fault.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from generators.crf import acrf
from tests.crf.support import REAL_SPECS, hostile_spec, load_spec

CHROMIUM = Path("/usr/bin/chromium")
_CONSOLE = re.compile(r":CONSOLE[:(]")

pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="headless Chromium is not installed (/usr/bin/chromium; apt-get install chromium)",
    ),
]


def _render(page: Path, screenshot: Path, profile: Path) -> list[str]:
    result = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={screenshot}",
            "--window-size=1280,2400",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return [line for line in result.stderr.splitlines() if _CONSOLE.search(line)]


@pytest.mark.parametrize("stem", [*REAL_SPECS, "hostile"])
def test_renders_without_console_messages(stem: str, tmp_path: Path) -> None:
    spec = hostile_spec() if stem == "hostile" else load_spec(stem)
    (page,) = acrf.build(spec, tmp_path / "out")
    screenshot = tmp_path / "acrf.png"
    assert _render(page, screenshot, tmp_path / "profile") == []
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000
