"""Numbers, units and strings lex without surprises; chains and marks read as written.

The rules are those of docs/reference.md ("Numbers, units and strings"):
`1e3` is the number 1000; a unit never takes a closing brace, bracket,
parenthesis or comma; `1 day` and `5 min` are quantities wherever `7 days`
is; a string literal round-trips through `printer.quote` and `unquote` for
any text; a comparison chain `a <= x < b` prints back as a chain; a mark
written before a clause gets a hint that marks come last.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_dsl import model as m
from protocol_dsl.syntax import printer
from protocol_dsl.syntax.builder import unquote
from protocol_dsl.syntax.formatter import format_source
from protocol_dsl.syntax.parser import parse_module
from tests.helpers import SPAN


def only_declaration(source: str) -> object:
    module, diagnostics = parse_module(source, "rules.trial")
    assert module is not None, [(d.code, d.message, d.help) for d in diagnostics]
    return module.declarations[-1]


def rule_of(source: str) -> m.Expr:
    decl = only_declaration(source)
    assert isinstance(decl, m.Define)
    return decl.expr


def syntax_help(source: str) -> str:
    module, diagnostics = parse_module(source, "broken.trial")
    assert module is None and diagnostics
    return diagnostics[0].help or ""


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("written", "value"),
    [("1e3", "1000"), ("1E3", "1000"), ("2.5e-2", "0.025"), ("1e+2", "100"), ("15e-1", "1.5")],
)
def test_scientific_notation_is_a_number(written: str, value: str) -> None:
    expr = rule_of(f"define x = a.b > {written}\n")
    assert isinstance(expr, m.Compare)
    assert expr.right == m.NumberLit(Decimal(value), span=SPAN)
    assert format_source(f"define x = a.b > {written}\n") == f"define x = a.b > {value}\n"


def test_scientific_notation_with_a_unit() -> None:
    expr = rule_of("define x = a.b > 1e3 mg\n")
    assert isinstance(expr, m.Compare)
    assert expr.right == m.QuantityLit(m.Quantity(Decimal(1000), "mg"), span=SPAN)
    glued = rule_of("define x = a.b > 2e1cells\n")
    assert isinstance(glued, m.Compare)
    assert glued.right == m.QuantityLit(m.Quantity(Decimal(20), "cells"), span=SPAN)


def test_a_number_in_scientific_notation_keeps_its_bounds() -> None:
    module, diagnostics = parse_module("define x = 1e40\n", "big.trial")
    assert module is None
    assert [d.code for d in diagnostics] == ["E0004"]


def test_an_exponent_becomes_a_plain_number_in_the_model() -> None:
    visit = only_declaration("visit V day 1e1\n")
    assert isinstance(visit, m.Visit)
    assert str(visit.day) == "10"


# ---------------------------------------------------------------- units


def test_a_unit_never_takes_the_closing_brace() -> None:
    form = only_declaration('form f "F" { a quantity kg}\n')
    assert isinstance(form, m.Form)
    assert form.items[0].type.unit == "kg"


@pytest.mark.parametrize(
    ("source", "unit"),
    [
        ("define x = (a.b > 1 kg)\n", "kg"),
        ("define x = f(a.b, 1 kg)\n", "kg"),
        ("define x = f(1 kg, a.b)\n", "kg"),
        ("define x = a.b in {x} or a.c > 1 {cells}/uL\n", "{cells}/uL"),
        ("define x = a.b > 1 [IU]/L\n", "[IU]/L"),
    ],
)
def test_a_unit_ends_before_the_punctuation_around_it(source: str, unit: str) -> None:
    units = {
        node.quantity.unit for node in _walk(rule_of(source)) if isinstance(node, m.QuantityLit)
    }
    assert units == {unit}
    assert format_source(format_source(source)) == format_source(source)


def test_a_unit_with_an_unclosed_brace_is_written_quoted() -> None:
    assert printer.unit("kg}") == "'kg}'"
    assert printer.unit("{cells}/uL") == "{cells}/uL"
    assert printer.unit("day") == "day"


def _walk(node: object) -> list[object]:
    found = [node]
    for value in getattr(node, "__dict__", {}).values():
        if isinstance(value, tuple):
            for element in value:
                found += _walk(element)
        elif hasattr(value, "__attrs_attrs__") and not isinstance(value, m.Span):
            found += _walk(value)
    return found


@pytest.mark.parametrize(
    "position",
    [
        'objective O primary "o" {{\n  endpoint E "e" until {q} after first_dose\n}}\n',
        'element E "e" lasts {q}\n',
        "dose_finding X {{\n  dlt_window {q} from first_dose\n}}\n",
        'score S "s" {{\n  lookback {q}\n}}\n',
        "define x = a.b within {q} before c.d\n",
        "define x = a.b at least {q} after c.d\n",
        "define x = a.b > {q}\n",
    ],
)
@pytest.mark.parametrize(
    ("written", "unit"),
    [("1 day", "day"), ("5 min", "min"), ("1 hour", "hour"), ("1 month", "month")],
)
def test_a_singular_unit_works_wherever_a_plural_does(
    position: str, written: str, unit: str
) -> None:
    source = position.format(q=written)
    quantities = [n for n in _walk(only_declaration(source)) if isinstance(n, m.Quantity)]
    assert [q.unit for q in quantities] == [unit]
    formatted = format_source(source)
    assert written in formatted
    assert format_source(formatted) == formatted


def test_day_on_the_next_line_is_not_the_unit_of_the_number_before_it() -> None:
    form = only_declaration(
        'form f "F" {\n  a number range 0 .. 300\n  day quantity mg range 0 .. 5 day\n}\n'
    )
    assert isinstance(form, m.Form)
    assert [item.name for item in form.items] == ["a", "day"]
    assert form.items[0].range is not None and form.items[0].range.high == Decimal(300)
    high = form.items[1].range.high if form.items[1].range is not None else None
    assert high == m.Quantity(Decimal(5), "day")


# ---------------------------------------------------------------- strings


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_every_text_round_trips_through_the_string_printer(text: str) -> None:
    assert unquote(printer.quote(text)) == text


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30))
def test_every_text_round_trips_through_fmt(text: str) -> None:
    source = f"inclusion I1 {printer.quote(text)}\n  = attested\n"
    decl = only_declaration(source)
    assert isinstance(decl, m.Criterion)
    assert decl.text == text
    assert format_source(source) == source


@pytest.mark.parametrize(
    ("written", "text"),
    [
        (r'"a\nb"', "a\nb"),
        (r'"tab\there"', "tab\there"),
        (r'"cr\r"', "cr\r"),
        (r'"\u{e9}\u{1F600}"', "é\U0001f600"),
        (r'"\q\u"', "qu"),
        (r'"\"\\"', '"\\'),
    ],
)
def test_escapes(written: str, text: str) -> None:
    assert unquote(written) == text


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("line\nbreak", '"line\nbreak"'),
        ("space \nbreak", '"space \\nbreak"'),
        ("bell\x07", '"bell\\u{7}"'),
        ("tab\t", '"tab\\t"'),
        ("sep\u2028", '"sep\\u{2028}"'),
        ("café ✓", '"café ✓"'),
    ],
)
def test_the_printer_escapes_what_a_reader_cannot_see(text: str, printed: str) -> None:
    assert printer.quote(text) == printed


def test_the_same_text_is_printed_the_same_way_everywhere() -> None:
    source = (
        'form f "F" {\n  a date "a\\qb" note "aqb" when a = "a\\u{71}b"\n}\n'
        'trial T {\n  title "\\u{61}qb"\n}\n'
    )
    formatted = format_source(source)
    assert formatted.count('"aqb"') == 4
    assert format_source(formatted) == formatted


# ---------------------------------------------------------------- chains


@pytest.mark.parametrize(
    "rule",
    [
        "18 <= a.age < 65",
        "not 1 < a.b <= 3",
        "a.b = yes or (1 < a.c < 2 and a.d > 3)",
        "1 kg < a.w + 2 kg < 5 kg and a.x = yes",
        "(1 < a.b) < 3",
    ],
)
def test_a_comparison_chain_is_printed_as_written(rule: str) -> None:
    source = f"define x = {rule}\n"
    assert format_source(source) == source


def test_a_chain_is_two_comparisons_sharing_their_middle_operand() -> None:
    expr = rule_of("define x = 18 <= a.age < 65\n")
    assert isinstance(expr, m.Logic) and expr.chained and expr.op == "and"
    assert isinstance(expr.left, m.Compare) and isinstance(expr.right, m.Compare)
    assert expr.left.right == expr.right.left == m.Ref(("a", "age"), span=SPAN)
    spelled_out = rule_of("define x = 18 <= a.age and a.age < 65\n")
    assert isinstance(spelled_out, m.Logic) and not spelled_out.chained


def test_a_long_criterion_breaks_around_a_chain_not_inside_it() -> None:
    source = 'inclusion I1 "x" = 18 <= a.age < 65 and a.b = yes\n'
    assert format_source(source) == 'inclusion I1 "x"\n  = 18 <= a.age < 65\n    and a.b = yes\n'


# ---------------------------------------------------------------- marks come last


@pytest.mark.parametrize(
    ("source", "hint"),
    [
        (
            'activity A "a" at V provisional when "on treatment"\n',
            "marks come last: write `when …` before `provisional`",
        ),
        ('visit V "v" note "n" day 1\n', "marks come last: write `day …` before `note`"),
        (
            'inclusion I1 "x" question "why?" = a.b = 1\n',
            "marks come last: write `= …` before `question`",
        ),
    ],
)
def test_a_clause_after_a_mark_gets_a_hint(source: str, hint: str) -> None:
    assert syntax_help(source) == hint


def test_the_hint_is_only_for_clauses() -> None:
    assert "marks come last" not in syntax_help("define x = 1 provisional\nfoo\n")
