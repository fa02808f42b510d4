"""The annotated CRF renders in headless Chromium: a screenshot, and no console messages.

The page has no script and loads nothing, so any console message is a fault.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.crf import acrf
from tests.chromium import needs_chromium, screenshot
from tests.crf.support import REAL_SPECS, hostile_spec, load_spec

pytestmark = needs_chromium


@pytest.mark.parametrize("stem", [*REAL_SPECS, "hostile"])
def test_renders_without_console_messages(stem: str, tmp_path: Path) -> None:
    spec = hostile_spec() if stem == "hostile" else load_spec(stem)
    (page,) = acrf.build(spec, tmp_path / "out")
    png = tmp_path / "acrf.png"
    assert screenshot(page, png, tmp_path / "profile") == []
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000
