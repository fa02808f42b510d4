"""Comments anywhere the grammar allows them: `fmt` keeps each once, in a stable place.

A comment may stand at the end of any line and on a line of its own between
any two tokens where a line break is allowed: inside rules, between clauses,
at the ends of the lines of a wrapped expression, inside blocks, between a
definition's name and its `=`.  Wherever it is, formatting keeps it exactly
once, the model does not change, and formatting the output changes nothing
(`fmt(fmt(x)) == fmt(x)`): a comment may move once, to the place the layout
has for it, and never again.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.syntax.formatter import format_source
from tests.language.test_formatter import _real_sources, assert_faithful
from tests.spellings import noncanonical_specs
from tests.strategies import specs

# The pieces of a spec: strings, quoted units, comments, line breaks, blanks, other tokens
# (as in tests.spellings, which writes the specs these tests add comments to).
_PIECE = re.compile(
    r'"(?:[^"\\]|\\.)*"|(?<=[ \t])\'[^\'\n]*\'|#[^\n]*|\n|[ \t]+|[^\s"#]+', re.DOTALL
)
_COMMENT_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=10
)


def _may_break_after(previous: str) -> bool:
    """Not after a number (its unit stays on its line) nor inside `at least`."""
    return bool(previous) and not previous[-1].isdigit() and previous not in ("at", "'")


@st.composite
def commented(draw: st.DrawFn, text: str, most: int | None = None) -> str:
    """`text` with comments between tokens where a line break is allowed, and at line ends.

    Each gap takes a comment with a chance of one in four, or (`most`) at most
    that many gaps, chosen at random, take one: for long texts.  Each comment
    is numbered, so that a comment lost, duplicated or swapped is seen.
    """
    pieces = _PIECE.findall(text)
    assert "".join(pieces) == text
    gaps: list[int] = []
    previous = ""
    for k, piece in enumerate(pieces):
        if piece.isspace():
            if _may_break_after(previous) and not previous.startswith("#"):
                gaps.append(k)
        else:
            previous = piece
    if most is None:
        chosen = {k for k in gaps if draw(st.integers(0, 3)) == 0}
    else:
        chosen = set(draw(st.lists(st.sampled_from(gaps), max_size=most))) if gaps else set()
    out: list[str] = []
    number = 0
    for k, piece in enumerate(pieces):
        if k not in chosen:
            out.append(piece)
            continue
        number += 1
        comment = f"# c{number} " + draw(_COMMENT_TEXT)
        if piece == "\n" or draw(st.booleans()):
            out.append("  " + comment + "\n")  # at the end of a line
            if piece != "\n":
                out.append(" " * draw(st.integers(0, 6)))
        else:  # on a line of its own, between two tokens
            out.append("\n" + " " * draw(st.integers(0, 6)) + comment + "\n")
            out.append(" " * draw(st.integers(0, 6)))
    return "".join(out)


@st.composite
def commented_specs(draw: st.DrawFn) -> str:
    base = draw(st.one_of(specs(), noncanonical_specs()))
    return draw(commented(base))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commented_specs())
def test_comments_anywhere_are_kept_once_and_formatting_is_idempotent(source: str) -> None:
    assert_faithful(source, format_source(source))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_real_sources()).flatmap(lambda text: commented(text, most=12)))
def test_comments_anywhere_in_the_real_specs_are_kept_in_a_stable_place(source: str) -> None:
    assert_faithful(source, format_source(source))


def test_a_comment_inside_a_wrapped_comparison_does_not_move_twice() -> None:
    once = format_source("define c = s.c  # a\n  > 0\n")
    assert once == "define c = s.c > 0  # a\n"
    assert format_source(once) == once


CASES = {
    "a comment inside a comparison of a definition": "define c = s.c  # a\n  > 0\n",
    "a comment between a definition's name and its =": "define c  # a\n  = s.c > 0\n",
    "a comment on its own line between a name and its =": "define c\n  # a\n  = s.c > 0\n",
    "a comment inside the last operand of a chain": ("define c = s.a > 1 and s.b  # a\n  > 2\n"),
    "a comment on its own line inside the last operand": (
        "define c = s.a > 1 and s.b\n  # a\n  > 2\n"
    ),
    "a comment inside a criterion's rule": ('inclusion I1 "Adult" = s.age  # years\n  >= 18\n'),
    "a comment between a criterion's text and its rule": (
        'inclusion I1 "Adult"  # why\n  = s.age >= 18\n'
    ),
    "a comment inside a clause of a one-line declaration": (
        'visit V "V" day 1\n  # a\n  window -1 +1\n'
    ),
    "a comment between a block keyword and its name": 'form\n# a\nf "F" {\n  x yes_no\n}\n',
    "a comment between `levels {` and the first level": (
        "dose_finding D {\n  levels {\n    # a\n    DL1 1 mg\n  }\n}\n"
    ),
    "a comment between an operator and its operand": (
        "define c = s.a > 1 or\n  # a\n  (s.b > 2 and s.c > 3)\n"
    ),
    "a comment inside a quantifier's filter": (
        'exclusion E1 "X" = any f where  # a\n  f.x = yes and f.y = yes\n'
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_comment_inside_a_rule_finds_a_stable_place(case: str) -> None:
    source = CASES[case]
    once = format_source(source)
    assert format_source(once) == once
    assert_faithful(source, once)
