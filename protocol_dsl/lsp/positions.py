"""Offsets in a source text and the editor's positions (line, UTF-16 column).

The Language Server Protocol counts columns in UTF-16 code units; the model's
spans count characters.  A spec full of ≥, µ and κ makes the difference real,
so every conversion goes through this module.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

from lsprotocol import types

from protocol_dsl import model as m


class LineIndex:
    """The start offset of every line of one text, for conversions both ways."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *accumulate(len(line) + 1 for line in text.split("\n")[:-1])]

    def position(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        prefix = self.text[self.starts[line] : offset]
        return types.Position(line=line, character=_utf16_length(prefix))

    def offset(self, position: types.Position) -> int:
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[max(position.line, 0)]
        end = (
            self.starts[position.line + 1] - 1
            if position.line + 1 < len(self.starts)
            else len(self.text)
        )
        units = 0
        index = start
        while index < end and units < position.character:
            units += 2 if ord(self.text[index]) > 0xFFFF else 1
            index += 1
        return index

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))


@lru_cache(maxsize=8)
def line_index(text: str) -> LineIndex:
    """The line index of a text, kept for the few texts requests keep asking about."""
    return LineIndex(text)


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def span_offsets(span: m.Span, index: LineIndex) -> tuple[int, int]:
    """A span's start and end offsets, from its lines and columns when it has no offsets.

    Spans made for a whole file or a file that cannot be read carry lines only.
    """
    if span.end > span.start or (span.start and span.end == span.start):
        return span.start, span.end
    line = min(max(span.line - 1, 0), len(index.starts) - 1)
    end_line = min(max(span.end_line - 1, 0), len(index.starts) - 1)
    start = index.starts[line] + max(span.column - 1, 0)
    end = index.starts[end_line] + max(span.end_column - 1, 0)
    return min(start, len(index.text)), min(max(end, start), len(index.text))


def span_range(span: m.Span, index: LineIndex) -> types.Range:
    return index.range(*span_offsets(span, index))
