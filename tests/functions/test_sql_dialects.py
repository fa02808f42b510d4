"""The SQL of functions of numbers and averages in every dialect: valid, and exact.

Every dialect's query parses back in that dialect; the median is computed from
window ranks (ROW_NUMBER), never from an approximate percentile nor from an
aggregate some dialects lack (Trino and BigQuery have no exact MEDIAN); and
round works on exact decimals.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot

from generators.sql import DIALECTS
from generators.sql.compile import render, screening_query
from protocol_dsl.compiler import compile_spec
from tests.functions.test_differential import SPEC


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path: Path = tmp_path_factory.mktemp("sql") / "functions.trial"
    path.write_text(SPEC, encoding="utf-8")
    return compile_spec(str(path)).spec


@pytest.mark.parametrize("dialect", DIALECTS)
def test_query_parses_back_and_is_exact(spec, dialect: str) -> None:  # type: ignore[no-untyped-def]
    sql = render(screening_query(spec), dialect)
    sqlglot.parse_one(sql, read=dialect)
    upper = sql.upper()
    assert "ROW_NUMBER()" in upper
    for approximate in ("PERCENTILE_APPROX", "APPROX_PERCENTILE", "MEDIAN(", "PERCENTILE_CONT"):
        assert approximate not in upper, approximate
    for function in ("SQRT(", "EXP(", "LN(", "FLOOR(", "CEIL", "ROUND("):
        assert function in upper, function
