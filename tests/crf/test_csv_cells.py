"""CSV cells: nothing a spreadsheet would execute, numbers stay numbers, text round-trips."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_dsl.csv_cells import FORMULA_STARTS, cell, csv_bytes, neutralise
from protocol_dsl.inert_text import printable


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_no_text_cell_starts_like_a_formula(text: str) -> None:
    written = neutralise(text)
    assert not written.startswith(FORMULA_STARTS)
    assert written in (text, "'" + text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(), min_size=1, max_size=4), min_size=1, max_size=5))
def test_rows_read_back_as_written(rows: list[list[str]]) -> None:
    data = csv_bytes(["a", "b", "c", "d"][: len(rows[0])], [r[: len(rows[0])] for r in rows])
    read = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    for written, back in zip((r[: len(rows[0])] for r in rows), read[1:], strict=True):
        assert back == [neutralise(printable(v)) for v in written]


def test_numbers_are_written_as_numbers() -> None:
    assert cell(-7) == "-7"
    assert cell(-7.0) == "-7"
    assert cell(3.5) == "3.5"
    assert cell(Decimal("8.10")) == "8.1"
    assert cell(float("nan")) == ""
    assert cell(None) == ""
    assert cell("-7") == "'-7"  # text is text, even when it looks like a number


def test_files_use_crlf_and_no_byte_order_mark() -> None:
    data = csv_bytes(["x"], [["a\nb"], ["c\rd"], ["e"]])
    assert not data.startswith(b"\xef\xbb\xbf")
    # a lone carriage return would overwrite the line on a terminal: it is dropped
    assert data == b'x\r\n"a\nb"\r\ncd\r\ne\r\n'
