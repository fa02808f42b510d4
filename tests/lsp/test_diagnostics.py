"""Diagnostics as the editor gets them: the same findings as `protocol check`, re-checked
as the text changes, for the edited file and the open specs that use it."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from protocol_dsl.compiler import compile_spec
from tests.lsp.conftest import (
    CDISCPILOT01,
    QLS4131,
    close_spec,
    diagnostics_until,
    open_spec,
    position,
    replace_text,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


def _expected(path: Path, text: str | None = None) -> list[tuple]:
    """What `protocol check` reports on the file itself, as editor ranges."""
    result = compile_spec(str(path.resolve()), text)
    source = result.sources[str(path.resolve())]
    return sorted(
        (
            d.code,
            position(source, d.span.start),
            position(source, d.span.end),
            len(d.labels),
            d.suggestion,
        )
        for d in result.diagnostics
        if d.span.file == str(path.resolve())
    )


def _published(found: list[types.Diagnostic]) -> list[tuple]:
    shown = []
    for d in found:
        data = d.data if isinstance(d.data, dict) else {}
        shown.append(
            (
                d.code,
                d.range.start,
                d.range.end,
                len(d.related_information or ()),
                data.get("suggestion"),
            )
        )
    return sorted(shown, key=lambda t: (t[0], t[1].line, t[1].character))


def _sorted(expected: list[tuple]) -> list[tuple]:
    return sorted(expected, key=lambda t: (t[0], t[1].line, t[1].character))


@pytest.mark.parametrize("path", [QLS4131, CDISCPILOT01], ids=lambda p: p.stem)
async def test_the_findings_of_protocol_check_on_a_real_spec(
    client: LanguageClient, path: Path
) -> None:
    expected = _sorted(_expected(path))
    uri = open_spec(client, path)
    found = await diagnostics_until(client, uri, lambda ds: _published(ds) == expected)
    assert _published(found) == expected
    for d in found:
        assert d.source == "protocol"
        assert d.code_description is not None
        assert d.code_description.href == f"https://docs.example/d/{d.code}.md"
    close_spec(client, uri)


async def test_the_tutorial_spec_is_clean_in_the_editor(
    client: LanguageClient, tutorial_spec: Path
) -> None:
    expected = _sorted(_expected(tutorial_spec))
    assert not [e for e in expected if e[0].startswith("E")]
    uri = open_spec(client, tutorial_spec)
    found = await diagnostics_until(client, uri, lambda ds: _published(ds) == expected)
    assert _published(found) == expected
    close_spec(client, uri)


async def test_an_edit_is_checked_as_typed_and_the_fix_clears_it(
    client: LanguageClient, tutorial_spec: Path
) -> None:
    text = tutorial_spec.read_text(encoding="utf-8")
    uri = open_spec(client, tutorial_spec)
    await diagnostics_until(client, uri, lambda ds: not any(d.code.startswith("E") for d in ds))
    broken = text.replace("enrolment   24", "enrolmnt    24", 1)
    assert broken != text
    replace_text(client, uri, 2, broken)
    expected = _sorted(_expected(tutorial_spec, broken))
    assert any(e[0] == "E0112" or e[4] == "enrolment" for e in expected)
    found = await diagnostics_until(client, uri, lambda ds: _published(ds) == expected)
    (misspelt,) = [d for d in found if isinstance(d.data, dict) and d.data.get("suggestion")]
    assert "did you mean 'enrolment'?" in misspelt.message
    replace_text(client, uri, 3, text)
    await diagnostics_until(client, uri, lambda ds: not any(d.code.startswith("E") for d in ds))
    close_spec(client, uri)


async def test_a_library_edit_rechecks_the_open_spec_that_uses_it(
    client: LanguageClient, workspace: Path
) -> None:
    spec = workspace / QLS4131.name
    library = workspace / "lib" / "sle.trial"
    spec_uri = open_spec(client, spec)
    await diagnostics_until(client, spec_uri, lambda ds: not any(d.code == "E0101" for d in ds))
    library_uri = open_spec(client, library)
    text = library.read_text(encoding="utf-8")
    # the define the spec reads as `sle.eular_acr_2019_classified`, renamed in the library only
    renamed = text.replace("define eular_acr_2019_classified", "define eular_classified", 1)
    assert renamed != text
    replace_text(client, library_uri, 2, renamed)
    found = await diagnostics_until(client, spec_uri, lambda ds: any(d.code == "E0101" for d in ds))
    (undefined,) = [d for d in found if d.code == "E0101"]
    assert "eular_acr_2019_classified" in undefined.message
    # unsaved: the file on disk is unchanged, the editor's text is what counts
    assert library.read_text(encoding="utf-8") == text
    replace_text(client, library_uri, 3, text)
    await diagnostics_until(client, spec_uri, lambda ds: not any(d.code == "E0101" for d in ds))
    close_spec(client, library_uri)
    close_spec(client, spec_uri)


async def test_related_locations_point_into_the_spec(
    client: LanguageClient, workspace: Path
) -> None:
    spec = workspace / QLS4131.name
    text = spec.read_text(encoding="utf-8")
    # a second visit SCR: E0102 names the first declaration as a related location
    doubled = text.replace('visit D2  "Day 2"', 'visit SCR "Day 2"', 1)
    assert doubled != text
    uri = open_spec(client, spec, doubled)
    found = await diagnostics_until(client, uri, lambda ds: any(d.code == "E0102" for d in ds))
    twice = [d for d in found if d.code == "E0102"]
    assert twice and twice[0].related_information
    related = twice[0].related_information[0]
    assert related.location.uri == uri
    line = doubled.split("\n")[related.location.range.start.line]
    assert line.startswith("visit SCR")
    close_spec(client, uri)
