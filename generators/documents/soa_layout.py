"""The schedule of activities on a printed page: paper, column widths, and parts.

A schedule with many visits is wider than any page.  Protocols print it the
way this module lays it out for the renderers that print (Word and HTML):

- on a landscape page of the chosen paper (A4 unless the trial says
  `paper letter`), in type no smaller than 8 pt;
- with column widths from their content: the activity column wide enough for
  its longest word (and for most labels on two lines), each visit column as
  wide as the longest word of its header, so that headers wrap only at
  spaces, hyphens and dashes and no word is ever broken inside itself;
- when the columns still do not fit, as the table continued: several parts,
  each repeating the activity column with the next visits, the footnotes
  after the last part.

Widths are estimated from the advance widths of a Helvetica-like sans serif
(Arial and Calibri are narrower, DejaVu Sans a little wider, hence the
renderer's factor), rounded up: a column a little too wide costs nothing, one
too narrow breaks a word.  The Markdown rendering keeps the one table: a
Markdown reader scrolls.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import attrs

from generators.documents.document import (
    Badge,
    Block,
    Cell,
    Document,
    LineBreak,
    Paragraph,
    Section,
    Table,
)


@attrs.frozen
class Paper:
    """A paper size; `name` is the CSS page size keyword."""

    name: str
    width_mm: float
    height_mm: float


A4 = Paper("A4", 210.0, 297.0)
LETTER = Paper("letter", 215.9, 279.4)
PAPERS = {"a4": A4, "letter": LETTER}

SOA_MARGIN_MM = 12.7  # left and right (and top and bottom) margins of the landscape SoA page
SOA_FONT_PT = 8.0  # the smallest type a printed SoA keeps legible
MM_PER_PT = 25.4 / 72

# Cell padding, left plus right, in points: Word's default cell margins (0.08 in
# each side); the HTML stylesheet sets the same in print.
CELL_PADDING_PT = 11.5
MIN_VISIT_COLUMN_PT = 24.0
# The activity column holds most labels on two lines, and never less than this.
ACTIVITY_COLUMN_PT = (96.0, 168.0)
# A visit column is widened to share the page's spare width, up to this.
MAX_VISIT_COLUMN_PT = 64.0

# Advance widths in thousandths of an em (Helvetica's AFM); other characters 600,
# wide scripts 1000.
_WIDTHS: dict[str, int] = {
    " ": 278, "!": 278, '"': 355, "#": 556, "$": 556, "%": 889, "&": 667, "'": 191,
    "(": 333, ")": 333, "*": 389, "+": 584, ",": 278, "-": 333, ".": 278, "/": 278,
    ":": 278, ";": 278, "<": 584, "=": 584, ">": 584, "?": 556, "@": 1015, "[": 278,
    "\\": 278, "]": 278, "^": 469, "_": 556, "`": 333, "{": 334, "|": 260, "}": 334,
    "~": 584, "A": 667, "B": 667, "C": 722, "D": 722, "E": 667, "F": 611, "G": 778,
    "H": 722, "I": 278, "J": 500, "K": 667, "L": 556, "M": 833, "N": 722, "O": 778,
    "P": 667, "Q": 778, "R": 722, "S": 667, "T": 611, "U": 722, "V": 667, "W": 944,
    "X": 667, "Y": 667, "Z": 611, "a": 556, "b": 556, "c": 500, "d": 556, "e": 556,
    "f": 278, "g": 556, "h": 556, "i": 222, "j": 222, "k": 500, "l": 222, "m": 833,
    "n": 556, "o": 556, "p": 556, "q": 556, "r": 333, "s": 500, "t": 278, "u": 556,
    "v": 500, "w": 722, "x": 500, "y": 500, "z": 500, "\u00b1": 584, "\u2212": 584,
    "\u00b7": 278, "\u2013": 556, "\u2014": 1000, "\u2264": 584, "\u2265": 584,
    "\u00d7": 584, "\u00b5": 556, "\u2019": 222, "\u2018": 222,
}  # fmt: skip
_BOLD = 1.08  # bold sans is about this much wider
# Words break at spaces and after hyphens and en dashes (as browsers and Word break
# them: "C5D1–C17D1" may wrap after its dash); nowhere else.
_BREAKS = re.compile(r"\s+|(?<=[-\u2013])")


def text_width(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The estimated printed width of `text` on one line, in points."""
    units = sum(_char_width(c) for c in text)
    return units * size_pt / 1000 * (_BOLD if bold else 1.0)


def _char_width(char: str) -> int:
    if char in _WIDTHS:
        return _WIDTHS[char]
    if char.isdigit():
        return 556
    return 1000 if ord(char) >= 0x2E80 else 600


def words(text: str) -> list[str]:
    """The pieces a line of text may wrap between (a dash stays with its first part)."""
    return [w for w in _BREAKS.split(text) if w]


def paragraph_text(paragraph: Paragraph) -> str:
    """The text of a paragraph as printed: a footnote mark sticks to the word before it."""
    out: list[str] = []
    for inline in paragraph.inlines:
        if isinstance(inline, LineBreak):
            out.append("\n")
        elif isinstance(inline, Badge):
            out.append(f" [{inline.label}]")
        else:
            out.append(inline.text)
    return "".join(out)


def cell_longest_word(content: Cell, size_pt: float, *, bold: bool) -> float:
    """The width of the widest word of a cell; a small-print paragraph is never bold."""
    widest = 0.0
    for p in content:
        for word in words(paragraph_text(p)):
            widest = max(widest, text_width(word, size_pt, bold=bold and p.style != "small"))
    return widest


def cell_line_width(content: Cell, size_pt: float) -> float:
    """The width of the cell's longest paragraph kept on one line."""
    return max((text_width(paragraph_text(p), size_pt) for p in content), default=0.0)


def landscape_text_width(paper: Paper) -> float:
    """The width between the margins of a landscape page, in points."""
    return (paper.height_mm - 2 * SOA_MARGIN_MM) / MM_PER_PT


# ---------------------------------------------------------------- widths and parts


@attrs.frozen
class SoaPart:
    """One printed part of the SoA: a table and the width of each of its columns (points)."""

    table: Table
    widths: tuple[float, ...]


def column_widths(table: Table, *, size_pt: float = SOA_FONT_PT, scale: float = 1.0) -> list[float]:
    """The width each column of an SoA table needs, in points (`scale` for wider fonts)."""
    rows = (table.header, *table.rows)
    activity_word = max(
        (cell_longest_word(row[0], size_pt, bold=row is table.header) for row in rows),
        default=0.0,
    )
    activity_line = max((cell_line_width(row[0], size_pt) for row in table.rows), default=0.0)
    low, high = ACTIVITY_COLUMN_PT
    activity = max(activity_word * scale, min(max(activity_line * scale / 2, low), high))
    widths = [activity + CELL_PADDING_PT]
    for index in range(1, len(table.header)):
        need = max(
            cell_longest_word(table.header[index], size_pt, bold=True),
            max(
                (cell_longest_word(row[index], size_pt, bold=False) for row in table.rows),
                default=0.0,
            ),
        )
        widths.append(max(need * scale + CELL_PADDING_PT, MIN_VISIT_COLUMN_PT))
    return [math.ceil(w * 2) / 2 for w in widths]


def soa_parts(
    table: Table, available_pt: float, *, size_pt: float = SOA_FONT_PT, scale: float = 1.0
) -> list[SoaPart]:
    """The SoA as parts that each fit `available_pt`, their columns widened to fill it."""
    widths = column_widths(table, size_pt=size_pt, scale=scale)
    activity, visits = widths[0], widths[1:]
    runs = _balanced_runs(visits, available_pt - activity)
    parts: list[SoaPart] = []
    start = 0
    for number, length in enumerate(runs):
        columns = list(range(start + 1, start + 1 + length))
        start += length
        last = number == len(runs) - 1
        part_widths = _fill([activity, *(widths[c] for c in columns)], available_pt)
        parts.append(
            SoaPart(_part_table(table, columns, first=number == 0, last=last), part_widths)
        )
    return parts


def _balanced_runs(widths: Sequence[float], available: float) -> list[int]:
    """Consecutive runs of visit columns, as few as fit, of about equal width."""
    if not widths:
        return [0]
    greedy = _greedy_runs(widths, available)
    total = sum(widths)
    target = total / len(greedy)
    runs: list[int] = []
    used = 0.0
    length = 0
    for width in widths:
        # start a new run when this one reached its share, or the column would not fit
        if length and (
            used + width > available or (used >= target and len(runs) + 1 < len(greedy))
        ):
            runs.append(length)
            used, length = 0.0, 0
        used += width
        length += 1
    runs.append(length)
    return runs if len(runs) == len(greedy) else greedy


def _greedy_runs(widths: Sequence[float], available: float) -> list[int]:
    runs: list[int] = []
    used = 0.0
    length = 0
    for width in widths:
        if length and used + width > available:
            runs.append(length)
            used, length = 0.0, 0
        used += width
        length += 1
    runs.append(length)
    return runs


def _fill(widths: list[float], available: float) -> tuple[float, ...]:
    """Share the spare width among the visit columns, each up to a readable maximum."""
    spare = available - sum(widths)
    visits = len(widths) - 1
    if spare > 0 and visits:
        grown = [min(max(w, MAX_VISIT_COLUMN_PT), w + spare / visits) for w in widths[1:]]
        widths = [widths[0], *grown]
    return tuple(math.floor(w * 2) / 2 if i else w for i, w in enumerate(widths))


def _part_table(table: Table, columns: list[int], *, first: bool, last: bool) -> Table:
    keep = [0, *columns]
    caption = table.caption if first or not table.caption else f"{table.caption} (continued)"
    return attrs.evolve(
        table,
        header=tuple(table.header[c] for c in keep),
        rows=tuple(tuple(row[c] for c in keep) for row in table.rows),
        caption=caption,
        footnotes=table.footnotes if last else (),
        groups=_part_groups(table.groups, keep),
        subgroups=_part_groups(table.subgroups, keep),
    )


def _part_groups(
    groups: tuple[tuple[str, int], ...], keep: list[int]
) -> tuple[tuple[str, int], ...]:
    """The group row over the kept columns: a group cut by a part boundary shows in both."""
    if not groups:
        return ()
    labels = [label for label, span in groups for _ in range(span)]
    starts = {sum(span for _label, span in groups[:i]) for i in range(len(groups))}
    out: list[tuple[str, int]] = []
    for position, column in enumerate(keep):
        # the first visit column of a part starts a group, as does each group's first column
        if position > 1 and column not in starts:
            out[-1] = (labels[column], out[-1][1] + 1)
        else:
            out.append((labels[column], 1))
    return tuple(out)


def split_soa_tables(document: Document, available_pt: float, *, scale: float) -> Document:
    """The document with each SoA table replaced by its printed parts."""

    def blocks(items: tuple[Block, ...]) -> tuple[Block, ...]:
        out: list[Block] = []
        for b in items:
            if isinstance(b, Table) and b.kind == "soa":
                out.extend(p.table for p in soa_parts(b, available_pt, scale=scale))
            else:
                out.append(b)
        return tuple(out)

    def section(s: Section) -> Section:
        return attrs.evolve(
            s, blocks=blocks(s.blocks), subsections=tuple(section(x) for x in s.subsections)
        )

    return attrs.evolve(
        document,
        title_blocks=blocks(document.title_blocks),
        sections=tuple(section(s) for s in document.sections),
    )
