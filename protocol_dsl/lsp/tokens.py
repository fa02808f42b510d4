"""The words, strings, numbers and comments of a source text, with their offsets.

A scanner, not the parser: it works on a file with syntax errors (the editor
shows one half-typed most of the time), and it is what rename, references,
completion and highlighting need: where each word is.  It follows the
grammar's terminals for strings (`"…"` with escapes, over several lines),
comments (`# …` to the end of the line) and names; a terminology code in
brackets (`[LOINC 4485-9]`) is one token, so that its code is never taken for
a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

import attrs

TokenKind = Literal["word", "string", "comment", "number", "code", "punctuation"]

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>"(?:[^"\\]|\\.)*"?)
      | (?P<code>\[[A-Za-z][A-Za-z0-9_-]*\s+[^\]\s]+\])
      | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<punctuation>[^\sA-Za-z0-9_"\#])
    """,
    re.VERBOSE | re.DOTALL,
)

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@attrs.frozen
class Token:
    kind: TokenKind
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def scan(text: str, start: int = 0, end: int | None = None) -> Iterator[Token]:
    """The tokens of `text[start:end]`, offsets relative to the whole text."""
    stop = len(text) if end is None else end
    for match in _TOKEN.finditer(text, start, stop):
        kind = match.lastgroup
        assert kind is not None
        yield Token(kind, match.group(), match.start())  # type: ignore[arg-type]


def word_at(text: str, offset: int) -> tuple[int, int] | None:
    """The word (a name) under or just before `offset`, as (start, end)."""
    start = offset
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    end = offset
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    if start == end or not WORD.fullmatch(text[start:end]):
        return None
    return start, end


_OPENERS = re.compile(r'"(?:[^"\\]|\\.)*"?|#[^\n]*', re.DOTALL)


def in_string_or_comment(text: str, offset: int) -> bool:
    """Whether `offset` falls inside a string or a comment (no names there)."""
    for match in _OPENERS.finditer(text, 0, offset):
        if match.end() == offset and match.group().startswith("#"):
            return True
        if match.end() == offset and match.group().startswith('"'):
            closed = len(match.group()) > 1 and match.group().endswith('"')
            return not closed
    return False
