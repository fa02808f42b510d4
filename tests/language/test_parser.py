"""Syntax errors in plain words, every one reported, verbatim text kept exactly.

A protocol writer reads these messages: no Lark terminal names (RBRACE,
__ANON_3, $END), always file:line:column with the source line and a caret,
one diagnostic per broken declaration.  Criterion texts with quotes,
backslashes and any unicode come back unchanged.  The grammar builds in
Lark's strict mode (no conflicts, no terminal collisions).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings

from protocol_dsl.diagnostics import render_text
from protocol_dsl.syntax import printer
from protocol_dsl.syntax.formatter import format_source
from protocol_dsl.syntax.parser import lark_parser, parse_module, strict_parser
from tests.strategies import texts

BROKEN = {
    "missing closing brace": 'codelist sex "Sex" {\n  female "Female"\n',
    "missing quote": 'trial T {\n  title "Unclosed\n}\n',
    "keyword misspelt": 'trial T {\n  title "T"\n}\n\ninclusoin I1 "Adults" = a.age >= 18\n',
    "typographic quotes": "trial T {\n  title \u201cT\u201d\n}\n",
    "unicode comparison": 'inclusion I1 "Adults" = a.age \u2265 18\n',
    "word after a unit": 'inclusion I1 "Adults" = a.age >= 18 years old\n',
    "stray brace": "}\n",
    "operator without operand": 'inclusion I1 "x" = a.b = yes and\n',
    "name in quotes": 'visit "SCR" day 1\n',
    "missing rule": 'inclusion I1 "x" =\n',
}


def _terminal_names() -> set[str]:
    names = {t.name for t in lark_parser().terminals}
    return {n for n in names if n.isupper() or n.startswith("__")} | {"$END"}


def _unquoted(text: str) -> str:
    """The message without what it quotes from the source."""
    return re.sub(r"'[^']*'|\"[^\"]*\"", "", text)


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_syntax_errors_are_plain_words_with_a_location(case: str) -> None:
    source = BROKEN[case]
    module, diagnostics = parse_module(source, "broken.trial")
    assert module is None and diagnostics
    terminals = _terminal_names()
    for d in diagnostics:
        assert d.code in {"E0001", "E0002"}, d
        words = set(re.findall(r"[A-Z_$][A-Z0-9_]+", _unquoted(f"{d.message} {d.help or ''}")))
        assert not words & terminals, f"{case}: terminal names {words & terminals} in {d}"
        rendered = render_text([d], {"broken.trial": source})
        assert f"broken.trial:{d.span.line}:{d.span.column}" in rendered
        assert re.search(r"^\s*\|\s*\^+", rendered, re.MULTILINE), rendered


def test_every_broken_declaration_is_reported() -> None:
    source = (
        'trial T {\n  title "T"\n}\n\n'
        "visit SCR day -14 .. -1 in\n\n"
        'form f "F" at SCR {\n  age integer\n}\n\n'
        'inclusion I1 "Adults" = f.age >=\n\n'
        'exclusion E1 "Children" = f.age < 18 18\n'
    )
    _module, diagnostics = parse_module(source, "several.trial")
    # an unfinished declaration is reported where the next one starts, as in the whole file
    assert [(d.span.line, d.span.column) for d in diagnostics] == [(7, 1), (13, 1), (13, 38)]
    assert "not finished" in (diagnostics[0].help or "")
    assert "not finished" in (diagnostics[1].help or "")


def test_a_typographic_quote_gets_its_own_help() -> None:
    _module, diagnostics = parse_module(BROKEN["typographic quotes"], "q.trial")
    assert "straight quotes" in (diagnostics[0].help or "")


@settings(max_examples=200, deadline=None)
@given(texts(200))
def test_criterion_text_round_trips_exactly(text: str) -> None:
    source = f"inclusion I1 {printer.quote(text)}\n  = attested\n"
    module, diagnostics = parse_module(source, "verbatim.trial")
    assert module is not None, diagnostics
    assert module.declarations[0].text == text
    assert format_source(source) == source


def test_escapes_are_kept_as_written() -> None:
    source = 'inclusion I1 "Tab:\\t, quote: \\", backslash: \\\\, café ≥ 1:80 ✓"\n  = attested\n'
    module, _diagnostics = parse_module(source, "escapes.trial")
    assert module is not None
    assert module.declarations[0].text == 'Tab:\t, quote: ", backslash: \\, café ≥ 1:80 ✓'
    assert format_source(source) == source


def test_field_keys_that_are_keywords_elsewhere_parse_after_a_mark() -> None:
    source = (
        'trial T {\n  title "T" provisional\n  summary "S" note "n"\n  version "1"\n}\n\n'
        'intervention X "X" {\n  route oral provisional\n  type drug\n  dose 5 mg\n'
        '  description "D"\n}\n'
    )
    module, diagnostics = parse_module(source, "keys.trial")
    assert module is not None, [d.message for d in diagnostics]
    keys = [f.key for f in module.declarations[0].fields + module.declarations[1].fields]
    assert keys == ["title", "summary", "version", "route", "type", "dose", "description"]


def test_spacing_inside_a_field_quantity_is_not_meaning() -> None:
    wide = parse_module("trial T {\n  minimum_age 18    years\n}\n", "a.trial")[0]
    narrow = parse_module("trial T {\n  minimum_age 18 years\n}\n", "b.trial")[0]
    assert wide is not None and narrow is not None
    assert wide.declarations == narrow.declarations


def test_grammar_builds_in_strict_mode() -> None:
    strict_parser()


@pytest.mark.parametrize(("week", "day"), [(0, 1), (1, 8), (52, 365), (-1, -7)])
def test_a_visit_at_week_n_is_day_7n_plus_1_and_prints_back_as_written(week: int, day: int) -> None:
    source = f'trial X {{\n  title "x"\n}}\nvisit W "Week" week {week} window ± 7\n'
    module, diagnostics = parse_module(source, "week.trial")
    assert module is not None and not diagnostics
    (visit,) = [d for d in module.declarations if hasattr(d, "as_week")]
    assert (visit.day, visit.day_end, visit.as_week, visit.week) == (day, None, True, week)
    assert f"week {week} window -7 +7" in format_source(source, "week.trial")


def test_a_visit_at_a_fractional_week_is_refused() -> None:
    module, diagnostics = parse_module('trial X {\n  title "x"\n}\nvisit W week 1.5\n', "w.trial")
    assert module is None
    assert [(d.code, d.message) for d in diagnostics] == [
        ("E0007", "a week must be a whole number, not 1.5")
    ]


def test_a_visit_on_a_day_and_at_a_week_is_refused() -> None:
    """Never one of the two chosen silently: the writer keeps one."""
    module, diagnostics = parse_module(
        'trial X {\n  title "x"\n}\nvisit W day 3 week 52\n', "w.trial"
    )
    assert module is None
    assert [(d.code, d.message) for d in diagnostics] == [
        ("E0616", "visit W is planned twice: on a day and at a week")
    ]


def test_a_visit_at_a_week_and_after_an_anchor_names_the_week() -> None:
    from protocol_dsl.compiler import compile_spec

    source = (
        'trial X {\n  title "x"\n}\nvisit D1 day 1\nanchor first_dose = visit D1\n'
        "visit W52 week 52 30 days after first_dose\n"
    )
    result = compile_spec("week.trial", source)
    messages = [d.message for d in result.diagnostics if d.code == "E0616"]
    assert messages == ["visit W52 is at week 52 and also 30 days after first_dose"]
