"""`protocol sql`: the query or the schema for a dialect on standard output, errors as exit 1."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from generators.sql import DIALECTS
from generators.sql.compile import render, screening_query
from generators.sql.schema import render_schema
from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec
from tests.sql.cases import CDISCPILOT01


@pytest.fixture(scope="module")
def spec():
    return compile_spec(str(CDISCPILOT01)).spec


@pytest.mark.parametrize("dialect", ["duckdb", "spark", "bigquery"])
def test_prints_the_query_of_a_dialect(spec, dialect: str) -> None:
    result = CliRunner().invoke(cli, ["sql", str(CDISCPILOT01), "--dialect", dialect])
    assert result.exit_code == 0, result.output
    assert result.stdout == render(screening_query(spec, dialect), dialect)


def test_prints_the_schema(spec) -> None:
    result = CliRunner().invoke(
        cli, ["sql", str(CDISCPILOT01), "--schema", "--dialect", "postgres"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == render_schema(spec, "postgres")
    assert 'CREATE TABLE "visits"' in result.stdout


def test_every_dialect_is_offered() -> None:
    result = CliRunner().invoke(cli, ["sql", "--help"])
    assert result.exit_code == 0
    for dialect in DIALECTS:
        assert dialect in result.stdout


def test_a_spec_with_errors_is_exit_1_without_a_traceback(tmp_path) -> None:
    bad = tmp_path / "bad.trial"
    bad.write_text('trial X {\n  title "X"\n}\ninclusion I1 "x" = nothing.here > 1\n')
    result = CliRunner().invoke(cli, ["sql", str(bad)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "no SQL written" in result.stderr


def test_a_form_named_like_a_layout_table_is_a_user_error(tmp_path) -> None:
    spec = tmp_path / "visits.trial"
    spec.write_text(
        'trial X {\n  title "X"\n}\nvisit SCR "Screening" day -7 .. -1\n'
        'form visits "Visits" at SCR {\n  seen yes_no "Seen"\n}\n'
        'inclusion I1 "Seen" = visits.seen = yes\n'
    )
    result = CliRunner().invoke(cli, ["sql", str(spec)])
    assert result.exit_code == 1
    assert "cannot be named 'visits'" in result.stderr
