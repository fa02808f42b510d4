"""Headless Chromium for the tests that look at generated pages: where it is, the
flags every run of it takes, the mark that skips a test without it, and a page's
screenshot with the console messages it caused.

Every run is offline and leaves nothing behind: no sandbox (test containers run
as root), no GPU, nothing fetched in the background (updates, sync, QUIC), a
profile folder of the test's own.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

#: Skips a test module (`pytestmark = needs_chromium`) where Chromium is not installed.
needs_chromium = [
    pytest.mark.chromium,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="headless Chromium is not installed (/usr/bin/chromium; apt-get install chromium)",
    ),
]

# Chromium's console lines on stderr: "…:CONSOLE(12)] …" or "…:CONSOLE:…"
_CONSOLE = re.compile(r":CONSOLE[:(]")


def flags(profile: Path) -> list[str]:
    """The flags of every headless run, with its own profile folder `profile`."""
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ]


def run(
    page: Path, profile: Path, *arguments: str, timeout: float
) -> subprocess.CompletedProcess[str]:
    """One headless run of Chromium on `page`, with the flags of every run and `arguments`."""
    return subprocess.run(
        [str(CHROMIUM), *flags(profile), *arguments, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def screenshot(page: Path, png: Path, profile: Path, height: int = 2400) -> list[str]:
    """Take a screenshot of `page` 1280 pixels wide; the console messages it caused.

    Chromium prints console messages on stderr with `--enable-logging=stderr`.
    """
    result = run(
        page,
        profile,
        "--enable-logging=stderr",
        "--v=0",
        f"--screenshot={png}",
        f"--window-size=1280,{height}",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return [line for line in result.stderr.splitlines() if _CONSOLE.search(line)]
