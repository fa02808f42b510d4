"""Syntax errors of a broken spec are found declaration by declaration: each is parsed
alone, and a broken one again at its place in the file (after blank text built in one
step), which gives exactly the diagnostics of parsing every declaration after the text
before it blanked character by character, as before."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from lark.exceptions import UnexpectedInput

from benchmarks.synthetic import synthetic_spec
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.syntax import parser as protocol_parser
from tests.language.test_fuzz import mutated, truncated


def _blanked(source: str, path: str) -> list[Diagnostic]:
    """The syntax errors as they were found before: every declaration parsed after the
    text before it, blanked character by character (line breaks kept)."""
    parser = protocol_parser.lark_parser()
    diagnostics = []
    for begin, end in protocol_parser._declaration_bounds(source):
        chunk = re.sub(r"[^\n]", " ", source[:begin]) + source[begin:end]
        try:
            parser.parse(chunk, on_error=protocol_parser._keyword_as_name)
        except UnexpectedInput as error:
            diagnostics.append(
                protocol_parser.syntax_diagnostic(error, source, path, begin, len(chunk))
            )
    if not diagnostics:
        try:
            parser.parse(source, on_error=protocol_parser._keyword_as_name)
        except UnexpectedInput as error:
            diagnostics.append(protocol_parser.syntax_diagnostic(error, source, path, 0))
    return diagnostics


def _shown(diagnostics: list[Diagnostic]) -> list[tuple]:
    return [(d.code, d.message, d.span, d.labels, d.notes, d.help) for d in diagnostics]


def _same_as_blanked(source: str) -> list[tuple]:
    found = protocol_parser._all_syntax_errors(
        protocol_parser.lark_parser(), source, "broken.trial"
    )
    assert _shown(found) == _shown(_blanked(source, "broken.trial"))
    return _shown(found)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=mutated() | truncated())
def test_broken_specs_get_the_diagnostics_of_the_blanked_text(source: str) -> None:
    _same_as_blanked(source)


def test_a_large_spec_with_one_error_reports_it_at_its_place() -> None:
    text = synthetic_spec(3_000)
    # one rule broken in the middle of the spec: a comparison without its right side
    at = text.index(">= 1:80", len(text) // 2)
    broken = text[:at] + ">= " + text[at + len(">= 1:80") :]
    found = _same_as_blanked(broken)
    assert [shown[0] for shown in found] == ["E0001"]
    assert found[0][2].line == broken.count("\n", 0, at) + 2
    _module, diagnostics = protocol_parser.parse_module(broken, "broken.trial")
    assert _shown(diagnostics) == _shown(
        protocol_parser._all_syntax_errors(protocol_parser.lark_parser(), broken, "broken.trial")
    )
