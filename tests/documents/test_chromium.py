"""The HTML documents render in headless Chromium: a screenshot, and no console messages.

Our pages need no script, so any console message (an error, a failed load of
something the page should not fetch) is a fault.  Chromium prints console
messages on stderr with `--enable-logging=stderr`; a page with a deliberate
error checks that they are seen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chromium import needs_chromium, screenshot
from tests.documents.helpers import REAL_SPECS, build_documents, compile_clean

pytestmark = needs_chromium


def _is_png(path: Path) -> bool:
    return path.exists() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_console_error_is_noticed(tmp_path: Path) -> None:
    page = tmp_path / "faulty.html"
    page.write_text(
        "<!DOCTYPE html><html><body><p>x</p>"
        "<script>console.error('boom'); throw new Error('kaput');</script></body></html>",
        encoding="utf-8",
    )
    messages = screenshot(page, tmp_path / "faulty.png", tmp_path / "profile")
    assert any("boom" in m for m in messages) and any("kaput" in m for m in messages)


@pytest.fixture(scope="module", params=REAL_SPECS, ids=lambda p: p.stem)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(request.param.stem)
    build_documents(compile_clean(request.param), out)
    return out


@pytest.mark.parametrize("name", ["protocol.html", "soa.html"])
def test_renders_without_console_messages(built: Path, tmp_path: Path, name: str) -> None:
    png = tmp_path / f"{name}.png"
    messages = screenshot(built / name, png, tmp_path / "profile")
    assert messages == []
    assert _is_png(png) and png.stat().st_size > 20_000
