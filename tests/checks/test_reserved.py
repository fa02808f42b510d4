"""The names the check reserves are the ones the back ends' layout uses."""

from __future__ import annotations

from generators.sql.compile import STATUS, SUBJECT_ID
from protocol_dsl.checks.reserved import RESERVED_COLUMNS, RESERVED_TABLES
from protocol_dsl.plan.dictionary import LAYOUT_TABLES


def test_reserved_tables_are_the_layout_tables() -> None:
    assert set(RESERVED_TABLES) == set(LAYOUT_TABLES)


def test_reserved_columns_are_the_result_columns() -> None:
    assert set(RESERVED_COLUMNS) == {SUBJECT_ID, STATUS}
