"""Plain-text tables drawn with box characters, laid out exactly as rich lays them out.

The screening report is a few tables.  Drawing them with rich costs a tenth
of a one-subject `protocol screen` run (importing rich alone is most of it),
so without colour the report is drawn here instead: the same heavy-headed
boxes, column widths, word wrapping and folding as rich's `Table` with its
defaults (cells padded by one space, titles on the left), byte for byte.
Text is measured one character per cell, so `supported` says which text this
holds for; anything else (wide or zero-width characters, tabs, control
characters) is left to rich.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

from protocol_dsl.errors import ControlFlow

Justify = Literal["left", "right"]
Overflow = Literal["fold", "ellipsis"]

#: Characters one terminal cell wide: printable Latin, Greek, Cyrillic, box
#: drawing (the ranges rich measures without its Unicode tables), and the
#: general punctuation, arrows and mathematical signs used in messages.
ONE_CELL_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0xAC),
    (0xAE, 0x2FF),
    (0x370, 0x482),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x2500, 0x25FC),
)
_MEASURED = re.compile("[\n" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ONE_CELL_RANGES) + "]*")
_TRAILING_SPACE = re.compile(r"\s+$")
_WORD = re.compile(r"\s*\S+\s*")


class TooNarrow(ControlFlow, ValueError):
    """The table does not fit: a column would be too narrow to draw."""


class Column(NamedTuple):
    header: str
    justify: Justify = "left"
    overflow: Overflow = "ellipsis"
    #: the colour of a cell by its text, on a terminal (drawn by rich)
    colours: tuple[tuple[str, str], ...] = ()


class Table(NamedTuple):
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]


class Line(NamedTuple):
    """A line of text; `soft_wrap`: printed as it is, however long."""

    text: str
    soft_wrap: bool = False


Part = Table | Line | None  # None: an empty line


def supported(parts: Iterable[Part]) -> bool:
    """Whether every text of `parts` is drawn here exactly as rich draws it."""
    for part in parts:
        if isinstance(part, Table):
            texts: Iterable[str] = (
                part.title,
                *(c.header for c in part.columns),
                *(cell for row in part.rows for cell in row),
            )
        elif isinstance(part, Line):
            texts = (part.text,)
        else:
            continue
        if not all(_MEASURED.fullmatch(text) for text in texts):
            return False
    return True


def render(parts: Sequence[Part], width: int) -> str:
    """The parts one after the other, at most `width` characters wide."""
    out: list[str] = []
    for part in parts:
        if part is None:
            out.append("")
        elif isinstance(part, Line):
            out.extend([part.text] if part.soft_wrap else _wrap(part.text, width, "fold", None))
        else:
            out.extend(_table(part, width))
    return "".join(line + "\n" for line in out)


# ---------------------------------------------------------------- layout


def _table(table: Table, width: int) -> list[str]:
    count = len(table.columns)
    borders = count + 1
    widths = _column_widths(table, width - borders)
    if min(widths) < 3:
        raise TooNarrow(f"a column of {min(widths)} characters")
    lines = _wrap(table.title, sum(widths) + borders, "fold", "left") if table.title else []
    lines.append("┏" + "┳".join("━" * w for w in widths) + "┓")
    header = tuple(c.header for c in table.columns)
    lines.extend(_row(table.columns, widths, header, "┃", bottom=True))
    lines.append("┡" + "╇".join("━" * w for w in widths) + "┩")
    for row in table.rows:
        lines.extend(_row(table.columns, widths, row, "│", bottom=False))
    lines.append("└" + "┴".join("─" * w for w in widths) + "┘")
    return lines


def _row(
    columns: Sequence[Column], widths: Sequence[int], cells: Sequence[str], bar: str, bottom: bool
) -> list[str]:
    rendered = []
    for column, w, cell in zip(columns, widths, cells, strict=True):
        inner = _wrap(cell, w - 2, column.overflow, column.justify)
        rendered.append([f" {piece} " for piece in inner])
    height = max(len(lines) for lines in rendered)
    for w, lines in zip(widths, rendered, strict=True):
        blank = [" " * w] * (height - len(lines))
        lines[:] = blank + lines if bottom else lines + blank
    return [bar + bar.join(lines[i] for lines in rendered) + bar for i in range(height)]


def _column_widths(table: Table, available: int) -> list[int]:
    """Each column's width with its padding, shrunk to fit as rich shrinks them."""
    widths = []
    for index, column in enumerate(table.columns):
        cells = [column.header, *(row[index] for row in table.rows)]
        natural = max(min(_longest_line(cell), available - 2) + 2 for cell in cells)
        widths.append(min(natural, available) or 1)
    if sum(widths) <= available:
        return widths
    widths = _collapse(widths, available)
    if sum(widths) > available:
        widths = _reduce(sum(widths) - available, [1] * len(widths), widths, widths)
    return widths


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def _collapse(widths: list[int], available: int) -> list[int]:
    """Shrink the widest columns towards the next widest until the table fits."""
    excess = sum(widths) - available
    while excess > 0 and sum(widths) != 0:
        widest = max(widths)
        second = max((w for w in widths if w != widest), default=0)
        ratios = [1 if w == widest else 0 for w in widths]
        most = [min(excess, widest - second)] * len(widths)
        widths = _reduce(excess, ratios, most, widths)
        excess = sum(widths) - available
    return widths


def _reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """Take `total` off `values` in proportion to `ratios`, at most `maximums` each."""
    ratios = [ratio if most else 0 for ratio, most in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, most, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            taken = min(most, round(ratio * remaining / total_ratio))
            result.append(value - taken)
            remaining -= taken
            total_ratio -= ratio
        else:
            result.append(value)
    return result


# ---------------------------------------------------------------- wrapping


def _wrap(text: str, width: int, overflow: Overflow, justify: Justify | None) -> list[str]:
    """Lines of at most `width` characters, broken between words, long words folded."""
    out = []
    for line in text.split("\n"):
        pieces = _divide(line, _breaks(line, width, fold=overflow == "fold"))
        for piece in pieces:
            if len(piece) > width:  # drop the spaces that only overhang the width
                trailing = _TRAILING_SPACE.search(piece)
                if trailing is not None:
                    piece = piece[: len(piece) - min(len(trailing[0]), len(piece) - width)]
            if justify == "right":
                piece = _truncate(piece.rstrip(), width, overflow)
                piece = " " * (width - len(piece)) + piece
            else:
                piece = _truncate(piece, width, overflow)
                if justify == "left":
                    piece += " " * (width - len(piece))
            out.append(piece)
    return out


def _truncate(text: str, width: int, overflow: Overflow) -> str:
    if len(text) <= width:
        return text
    if overflow == "ellipsis":
        return text[: max(width - 1, 0)] + "…"
    return text[:width]


def _breaks(text: str, width: int, fold: bool) -> list[int]:
    """Where to break `text` so that each piece fits in `width`."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match[0]
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            if fold:
                chunks = [word[i : i + width] for i in range(0, len(word), width)]
                for number, chunk in enumerate(chunks, start=1):
                    if start:
                        breaks.append(start)
                    if number == len(chunks):
                        offset = len(chunk)
                    else:
                        start += len(chunk)
            else:
                if start:
                    breaks.append(start)
                offset = len(word)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def _divide(text: str, breaks: list[int]) -> list[str]:
    if not breaks:
        return [text]
    bounds = [0, *breaks, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]
