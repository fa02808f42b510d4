"""The box-drawn text tables are byte for byte the tables rich draws (without colour)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_dsl.screening import boxes
from protocol_dsl.screening.report import _rich_report

rich_console = pytest.importorskip("rich.console")

#: words of every length (folded when longer than a column), spaces, line
#: breaks, markup-like brackets, punctuation and signs from messages
_WORDS = st.one_of(
    st.text(st.sampled_from("abcXYZ019-_./:()[]"), min_size=1, max_size=40),
    st.sampled_from(["…", "×", "≥", "µmol/L", "—", "é", "  ", " ", "\n", "1:160", "[b]x[/b]"]),
)
_TEXT = st.lists(_WORDS, max_size=16).map(" ".join)
#: characters rich measures as two cells or none: `boxes` leaves them to rich
_UNMEASURED = st.sampled_from(["漢字", "a\u0301", "\t", "\x07"])


@st.composite
def tables(draw: st.DrawFn) -> boxes.Table:
    count = draw(st.integers(1, 7))
    columns = tuple(
        boxes.Column(
            draw(st.text(st.sampled_from("ABCabc "), min_size=1, max_size=14)),
            draw(st.sampled_from(["left", "right"])),
            draw(st.sampled_from(["fold", "ellipsis"])),
        )
        for _ in range(count)
    )
    rows = draw(st.lists(st.tuples(*[_TEXT] * count), max_size=5))
    return boxes.Table(draw(_TEXT), columns, tuple(rows))


def _by_rich(parts: list[boxes.Part], width: int) -> str:
    buffer = io.StringIO()
    console = rich_console.Console(
        file=buffer,
        width=width,
        color_system=None,
        force_terminal=False,
        no_color=True,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    _rich_report(console, parts)
    return buffer.getvalue()


@settings(max_examples=300, deadline=None)
@given(
    table=tables(),
    text=_TEXT,
    summary=_TEXT,
    width=st.sampled_from([120, 60, 30]),
)
def test_tables_are_drawn_as_rich_draws_them(
    table: boxes.Table, text: str, summary: str, width: int
) -> None:
    parts: list[boxes.Part] = [boxes.Line(summary, soft_wrap=True), None, table, None]
    parts.append(boxes.Line(text))
    assert boxes.supported(parts)
    try:
        drawn = boxes.render(parts, width)
    except boxes.TooNarrow:  # more columns than the width holds
        assert width < 60
        return
    assert drawn == _by_rich(parts, width)


@given(table=tables(), odd=_UNMEASURED, row=st.integers(0, 4), column=st.integers(0, 6))
def test_text_measured_otherwise_is_left_to_rich(
    table: boxes.Table, odd: str, row: int, column: int
) -> None:
    rows = [list(r) for r in table.rows] or [[""] * len(table.columns)]
    cells = rows[row % len(rows)]
    cells[column % len(cells)] += odd
    changed = boxes.Table(table.title, table.columns, tuple(tuple(r) for r in rows))
    assert not boxes.supported([changed])


def test_characters_taken_as_one_cell_are_one_cell_for_rich() -> None:
    from rich.cells import cell_len

    characters = [chr(c) for a, b in boxes.ONE_CELL_RANGES for c in range(a, b + 1)]
    assert boxes.supported([boxes.Line("".join(characters))])
    assert [ch for ch in characters if cell_len(ch) != 1] == []
