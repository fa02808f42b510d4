"""`protocol preview` in headless Chromium: the page follows the spec as it is edited.

The command runs as a user runs it; Chromium loads its page, and the test edits
the spec (a criterion's text), then sees the page reload with the new text, a
screenshot before and after.  The cursor's section, a spec that stops checking,
and the page's quiet console (its content policy lets only its own script run)
are seen the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chromium import needs_chromium
from tests.editor.devtools import Browser
from tests.editor.helpers import CRITERION, copy_spec, goto, preview_command, replace_in

pytestmark = needs_chromium

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    opened = Browser(tmp_path / "profile")
    try:
        yield opened
    finally:
        opened.close()


def _line_of(spec: Path, start: str) -> int:
    lines = spec.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


def _text_of(anchor: str) -> str:
    return f"((document.getElementById({json.dumps(anchor)}) || {{}}).textContent || '')"


def _at_top(anchor: str) -> str:
    """Whether the element is the one at the top of the window (scrolled to)."""
    return (
        f"(() => {{ const e = document.getElementById({json.dumps(anchor)});"
        " if (!e) return false; const top = e.getBoundingClientRect().top;"
        " return window.scrollY > 0 && top >= 0 && top < 40"
        " && e.classList.contains('preview-current'); })()"
    )


def _problems(browser: Browser) -> list[str]:
    """Console messages and errors the page reported (a refused script, a failed load)."""
    found = []
    for event in browser.events():
        if event.get("method") == "Log.entryAdded":
            entry = event["params"]["entry"]
            if entry["level"] in {"error", "warning"}:
                found.append(entry["text"])
        elif event.get("method") == "Runtime.exceptionThrown":
            found.append(event["params"]["exceptionDetails"]["text"])
        elif event.get("method") == "Runtime.consoleAPICalled":
            found.append(json.dumps(event["params"]["args"]))
    return found


def test_an_edited_criterion_changes_the_page(tmp_path: Path, browser: Browser) -> None:
    spec = copy_spec(tmp_path)
    with preview_command(spec, tmp_path) as url:
        browser.open(f"{url}?line={_line_of(spec, 'inclusion I2 ')}")
        browser.wait_for(_at_top("criterion-I2"))
        before = browser.screenshot(tmp_path / "before.png")
        assert "performance status of ≤2" in browser.evaluate(_text_of("criterion-I2"))

        replace_in(spec, CRITERION, CRITERION.replace("of ≤2", "of 0 or 1 (edited)"))
        browser.wait_for(f"{_text_of('criterion-I2')}.includes('of 0 or 1 (edited)')")
        # the reloaded page is where the reader was: the criterion is still on screen
        top = browser.evaluate(
            "document.getElementById('criterion-I2').getBoundingClientRect().top"
        )
        after = browser.screenshot(tmp_path / "after.png")
        problems = _problems(browser)
    assert before.startswith(PNG) and after.startswith(PNG)
    assert len(before) > 20_000
    assert 0 <= top < 40
    assert before != after
    assert problems == []


def test_the_page_opens_at_the_cursor_s_section_and_follows_it(
    tmp_path: Path, browser: Browser
) -> None:
    spec = copy_spec(tmp_path)
    with preview_command(spec, tmp_path) as url:
        browser.open(f"{url}?line={_line_of(spec, 'inclusion I3 ')}")
        browser.wait_for(_at_top("criterion-I3"))
        first = browser.screenshot(tmp_path / "i3.png")

        assert goto(url, _line_of(spec, "exclusion E1 "))["anchor"] == "criterion-E1"
        browser.wait_for(_at_top("criterion-E1"))
        assert (
            browser.evaluate(
                "document.getElementById('criterion-I3').classList.contains('preview-current')"
            )
            is False
        )
        moved = browser.screenshot(tmp_path / "e1.png")

        # a save keeps the reader where they were
        place = browser.evaluate("window.scrollY")
        replace_in(spec, CRITERION, CRITERION.replace("of ≤2", "of 0 or 1"))
        browser.wait_for(f"{_text_of('criterion-I2')}.includes('of 0 or 1')")
        browser.wait_for(f"Math.abs(window.scrollY - {place}) < 2")
        problems = _problems(browser)
    assert first != moved
    assert problems == []


def test_a_spec_that_stops_checking_shows_its_errors(tmp_path: Path, browser: Browser) -> None:
    spec = copy_spec(tmp_path)
    with preview_command(spec, tmp_path) as url:
        browser.open(url)
        browser.wait_for(_text_of("criterion-I2"))
        replace_in(spec, ".ecog <= 2", ".no_such_item <= 2")
        shown = browser.wait_for(
            "(document.querySelector('pre.diagnostics') || {}).textContent || ''"
        )
        browser.screenshot(tmp_path / "errors.png")
        replace_in(spec, ".no_such_item <= 2", ".ecog <= 2")
        browser.wait_for(_text_of("criterion-I2"))
    assert "no_such_item" in shown and "error[E" in shown


def test_spec_text_never_runs_in_the_page(tmp_path: Path, browser: Browser) -> None:
    spec = copy_spec(tmp_path)
    hostile = '<img src=x onerror="document.title=1">'
    replace_in(spec, "performance status of ≤2", hostile.replace('"', "'"))
    with preview_command(spec, tmp_path) as url:
        browser.open(url)
        text = browser.wait_for(_text_of("criterion-I2"))
        images = browser.evaluate("document.querySelectorAll('main img').length")
        title = browser.evaluate("document.title")
    assert "<img src=x onerror='document.title=1'>" in text
    assert images == 0 and title != "1"
