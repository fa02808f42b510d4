"""Column widths of a document table from its content, for the Word writer.

Word left to itself gives every column the same width (or, autofitting, a
width LibreOffice does not reproduce).  Here each column gets at least its
longest word, so no word is broken inside itself, and the rest of the line
is shared in proportion to what each column needs to keep its longest
paragraph on one line: a short code column stays narrow, a column of
sentences gets the room.  The widths fill the width between the margins.
"""

from __future__ import annotations

from generators.documents.document import Table
from generators.documents.soa_layout import (
    CELL_PADDING_PT,
    cell_line_width,
    cell_longest_word,
)

TABLE_FONT_PT = 9.0  # the "Table Text" and "Table Heading" styles of the Word writer


def content_widths(
    table: Table, available_pt: float, *, size_pt: float = TABLE_FONT_PT
) -> tuple[float, ...]:
    """A width in points for each column of `table`, adding up to `available_pt`."""
    columns = len(table.header)
    if not columns:
        return ()
    least: list[float] = []
    wanted: list[float] = []
    for index in range(columns):
        cells = [(table.header[index], True)] + [
            (row[index], False) for row in table.rows if index < len(row)
        ]
        word = max(cell_longest_word(c, size_pt, bold=bold) for c, bold in cells)
        line = max(cell_line_width(c, size_pt) * (1.08 if bold else 1.0) for c, bold in cells)
        least.append(word + CELL_PADDING_PT)
        wanted.append(max(word, line) + CELL_PADDING_PT)
    if sum(least) >= available_pt:
        # even the longest words do not fit: shrink in proportion (Word then wraps inside)
        scale = available_pt / sum(least)
        return _rounded([w * scale for w in least], available_pt)
    if sum(wanted) <= available_pt:
        scale = available_pt / sum(wanted)
        return _rounded([w * scale for w in wanted], available_pt)
    spare = available_pt - sum(least)
    extra = [want - low for want, low in zip(wanted, least, strict=True)]
    total = sum(extra)
    widths = [low + spare * e / total for low, e in zip(least, extra, strict=True)]
    return _rounded(widths, available_pt)


def _rounded(widths: list[float], available_pt: float) -> tuple[float, ...]:
    """Widths to the half point, the last column taking what rounding left."""
    out = [int(w * 2) / 2 for w in widths]
    out[-1] = round(available_pt - sum(out[:-1]), 1)
    return tuple(out)
