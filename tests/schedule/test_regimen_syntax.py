"""Regimen syntax: the words it adds still name items elsewhere, and every regimen the
grammar accepts prints back to itself (parse ∘ format is the identity)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_dsl.syntax.formatter import format_source
from protocol_dsl.syntax.parser import parse_module

_FORM = """trial X {{
  title "x"
}}

visit SCR "Screening" day -7 .. -1

form vitals "Vitals" at SCR {{
  weight quantity kg "Weight" {before}
  {name} quantity mg "Item named like a keyword" range 0 .. 100
}}
"""


@pytest.mark.parametrize(
    "name",
    ["per", "on", "at_most", "reduce", "dosing", "frequency", "route", "every", "each", "of"],
)
@pytest.mark.parametrize("before", ["range 30 .. 300", "range 30 kg .. 300 kg", "provisional"])
def test_regimen_words_still_name_items(name: str, before: str) -> None:
    module, diagnostics = parse_module(_FORM.format(name=name, before=before), "x.trial")
    assert module is not None, [d.message for d in diagnostics]
    assert [item.name for item in module.declarations[2].items] == ["weight", name]  # type: ignore[attr-defined]


_NAMES = st.sampled_from(["q4w", "daily", "loading", "r1"])
_DAYS = st.lists(st.integers(1, 400), min_size=1, max_size=4, unique=True).map(sorted)


@st.composite
def _regimens(draw: st.DrawFn) -> str:
    lines = []
    if draw(st.booleans()):
        unit = draw(st.sampled_from(["mg", "mg/kg", "mg/m2", "ug"]))
        per = " per vitals.weight" if draw(st.booleans()) else ""
        lines.append(f"dose {draw(st.integers(1, 500))} {unit}{per}")
    elif draw(st.booleans()):
        lines.append("dose per vitals.bsa")
    if draw(st.booleans()):
        word = draw(st.sampled_from(["day", "week"]))
        days = draw(_DAYS)
        text = f"on {word}{'s' if len(days) > 1 else ''} {', '.join(map(str, days))}"
        if draw(st.booleans()):
            text += f" of each {draw(_NAMES)}"
        elif draw(st.booleans()):
            text += f" then every {draw(st.integers(1, 12))} weeks"
            if draw(st.booleans()):
                text += f" to {draw(st.sampled_from(['day', 'week']))} {draw(st.integers(1, 99))}"
        lines.append(text)
    if draw(st.booleans()):
        lines.append(f"at_most {draw(st.integers(1, 40))} administrations")
    if draw(st.booleans()):
        levels = [f'minus{k} {k} mg "Level {k}"' for k in range(1, draw(st.integers(1, 3)) + 1)]
        lines.append("reduce { " + " ".join(levels) + " }")
    settings_ = draw(
        st.lists(
            st.sampled_from(
                [
                    "frequency Q4W",
                    "route intravenous",
                    "infusion 30 min",
                    'hold "Grade 3"',
                    'resume "One level lower"',
                    "dose_weight 10 %",
                    "given at_home",
                ]
            ),
            unique=True,
        )
    )
    lines += settings_
    label = ' "A regimen"' if draw(st.booleans()) else ""
    mark = " provisional" if draw(st.booleans()) else ""
    body = "\n".join(f"  {line}" for line in lines)
    return f"regimen {draw(_NAMES)}{label} of DRUG{mark} {{\n{body}\n}}\n"  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(_regimens())
def test_a_regimen_formats_to_a_fixed_point_with_the_same_model(source: str) -> None:
    formatted = format_source(source)
    assert format_source(formatted) == formatted
    before, _ = parse_module(source, "a.trial")
    after, _ = parse_module(formatted, "a.trial")
    assert before is not None and after is not None
    assert before.declarations == after.declarations
