"""The words of the language, read from the grammar: the one list of them.

The grammar (`grammar.lark`) is where a keyword is defined; everything that
needs a list of keywords (error recovery in the parser, the printer's quoting
of units, the contract tests' minimiser) reads it from here rather than keep a
copy that could drift when a declaration is added.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

GRAMMAR_PATH = Path(__file__).with_name("grammar.lark")

#: Units that are also keywords, read as units all the same right after a number on
#: its line ("1 day" as "7 days", "5 min"); a keyword on the next line is a keyword.
KEYWORD_UNITS = frozenset({"day", "days", "week", "weeks", "min"})


@lru_cache(maxsize=1)
def grammar_source() -> str:
    """The grammar as written (read once: the parser and every list here read it)."""
    return GRAMMAR_PATH.read_text(encoding="utf-8")


_RULE = re.compile(r"^\??(\w+):(.*?)(?=^\??\w+:|^//|\Z)", re.MULTILINE | re.DOTALL)


@lru_cache(maxsize=1)
def _rules() -> dict[str, list[str]]:
    """Each grammar rule's alternatives, as written (aliases `-> name` removed)."""
    rules: dict[str, list[str]] = {}
    for name, body in _RULE.findall(grammar_source()):
        lines = [line.split("//")[0] for line in body.splitlines()]
        alternatives = " ".join(lines).split("|")
        rules[name] = [alt.split("->")[0].strip() for alt in alternatives if alt.strip()]
    return rules


def _leading_words(rule: str) -> list[str]:
    """The keywords that can start `rule`, in grammar order."""
    words: list[str] = []
    for alternative in _rules()[rule]:
        first = alternative.split()[0]
        if first.startswith('"'):
            found = [first.strip('"')]
        elif first in _rules():
            found = _leading_words(first)
        else:
            found = []
        words += [word for word in found if word not in words]
    return words


@lru_cache(maxsize=1)
def keywords() -> frozenset[str]:
    """Every keyword of the grammar (read once: the printer asks for every unit it writes)."""
    # comments are left out: a quoted word in a comment's example is not a keyword
    return frozenset(re.findall(r'"([a-z_]+)"', _without_comments(grammar_source())))


def _without_comments(source: str) -> str:
    """The grammar without its `//` comments (every comment has a line of its own)."""
    return re.sub(r"(?m)^\s*//.*$", "", source)


@lru_cache(maxsize=1)
def declaration_keywords() -> tuple[str, ...]:
    """The words that begin a top-level declaration (`trial`, `form`, `visit` …)."""
    return tuple(_leading_words("declaration"))


@lru_cache(maxsize=1)
def unit_word() -> re.Pattern[str]:
    """The grammar's pattern of a unit written without quotes (its UNIT_WORD terminal)."""
    found = re.search(r"^UNIT_WORD: /(.*)/$", grammar_source(), re.M)
    assert found, "the grammar defines UNIT_WORD"
    return re.compile(found[1])
