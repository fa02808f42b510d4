"""The lexer skips a terminal only where no match of it can start.

`FastContextualLexer` tries, at each position, only the terminals whose
matches can begin with the character there (`_first_characters`).  That is
sound only if every real match begins with a character the reading allows:
checked here on the grammar's own terminals and on patterns of other shapes
(alternatives, optional parts, look-arounds, categories, flags).
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_dsl.syntax.lexer import _can_start, _first_characters
from protocol_dsl.syntax.parser import lark_parser

GRAMMAR_PATTERNS = [
    terminal.pattern.to_regexp()
    for terminal in lark_parser().terminals
    if terminal.pattern.type == "re"
]
OTHER_PATTERNS = [
    r"a*b",
    r"(?:x|y?)z",
    r"(?=a)\w+",
    r"(?!b)[^q]",
    r"\bfoo",
    r"(?i:abc)",
    r"(?s:.)",
    r"[\d\s%]+",
    r"\W+|\D",
    r"(ab)+|c{0,2}d",
    r"é+",
]
ALPHABET = list("abcdxyzqABQ09 \t\n_%[{'\"#.:-+é")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(GRAMMAR_PATTERNS + OTHER_PATTERNS), st.text(ALPHABET, min_size=1))
def test_every_match_starts_with_an_allowed_character(pattern: str, text: str) -> None:
    if re.match(pattern, text):
        assert _can_start(_first_characters(pattern, 0), text[0]), (pattern, text)


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_generated_matches_start_with_an_allowed_character(data: st.DataObject) -> None:
    pattern = data.draw(st.sampled_from(GRAMMAR_PATTERNS + OTHER_PATTERNS))
    text = data.draw(st.from_regex(re.compile(pattern), fullmatch=True))
    if text:
        assert _can_start(_first_characters(pattern, 0), text[0]), (pattern, text)


def test_the_reading_narrows_the_grammar_terminals() -> None:
    # the point of the reading: blanks and words do not try every terminal
    starts = {p: _first_characters(p, 0) for p in GRAMMAR_PATTERNS}
    assert all(start is not None for start in starts.values())
    blank = next(p for p in GRAMMAR_PATTERNS if re.fullmatch(p, " \n"))
    assert [p for p in GRAMMAR_PATTERNS if _can_start(starts[p], " ")] == [blank]


def test_patterns_that_can_match_nothing_allow_any_start() -> None:
    assert _first_characters(r"a*", 0) is None
    assert _first_characters(r"abc", re.IGNORECASE) is None
