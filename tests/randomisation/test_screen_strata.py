"""`protocol screen` reports each eligible subject's stratum, the same in both engines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate.interpreter import evaluate_subject

duckdb = pytest.importorskip("duckdb")
from generators.sql.run import screen_with_duckdb  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "tests" / "checks" / "cases" / "randomisation_ok.trial"
SPEC = compile_spec(str(SPEC_PATH)).spec
assert SPEC is not None


def _subject(subject_id: str, age: int | None, sex: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if age is not None:
        values["age"] = age
    if sex is not None:
        values["sex"] = sex
    return {
        "subject_id": subject_id,
        "visits": {"SCR": "2025-01-06"},
        "forms": {"screening": {"SCR": values}},
    }


def test_an_eligible_subject_has_a_stratum_of_each_factor() -> None:
    result = evaluate_subject(SPEC, _subject("S1", 70, "female"))
    assert result.status == "eligible"
    assert result.strata == {"age_group": "older", "sex": "female"}
    assert result.stratum == "age_group=older;sex=female"
    assert result.to_json()["stratum"] == "age_group=older;sex=female"


def test_an_unknown_factor_is_the_unknown_stratum_with_the_data_it_needs() -> None:
    result = evaluate_subject(SPEC, _subject("S2", 40, None))
    assert result.status == "eligible"  # sex decides no criterion
    assert result.strata == {"age_group": "younger", "sex": "unknown"}
    assert result.stratum == "unknown"
    assert result.strata_data_needed == ["screening.sex at SCR"]


def test_a_subject_who_is_not_eligible_has_no_stratum() -> None:
    result = evaluate_subject(SPEC, _subject("S3", 12, "male"))
    assert result.status == "ineligible"
    assert result.strata == {} and result.stratum is None


def test_a_spec_without_strata_reports_none() -> None:
    spec = compile_spec(str(ROOT / "specs" / "qls4131_sle_phase1b.trial")).spec
    assert spec is not None
    assert "strata" not in evaluate_subject(spec, {"subject_id": "X"}).to_json()


subjects = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(min_value=0, max_value=120)),
        st.one_of(st.none(), st.sampled_from(["female", "male", "other"])),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subjects)
def test_both_engines_report_the_same_strata(batch: list[tuple[int | None, str | None]]) -> None:
    records = [_subject(f"S{k:03d}", age, sex) for k, (age, sex) in enumerate(batch)]
    by_sql = {row["subject_id"]: row for row in screen_with_duckdb(SPEC, records)}
    for record in records:
        interpreted = evaluate_subject(SPEC, record)
        row = by_sql[record["subject_id"]]
        assert row["status"] == interpreted.status, record
        assert row["strata"] == interpreted.strata, record
        assert row["stratum"] == interpreted.stratum, record


def test_the_screen_outputs_carry_the_strata(tmp_path: Path) -> None:
    data = tmp_path / "subjects.jsonl"
    data.write_text(
        "".join(
            json.dumps(r) + "\n"
            for r in (
                _subject("S1", 70, "female"),
                _subject("S2", 40, None),
                _subject("S3", 12, "male"),
            )
        )
    )
    runner = CliRunner()
    for engine in ("python", "duckdb"):
        csv_out = runner.invoke(
            cli, ["screen", str(SPEC_PATH), str(data), "--engine", engine, "--format", "csv"]
        )
        assert csv_out.exit_code == 0, csv_out.output
        lines = csv_out.stdout.splitlines()
        assert "stratum_age_group,stratum_sex,stratum" in lines[0]
        assert "older,female,age_group=older;sex=female" in lines[1]
        assert "younger,unknown,unknown" in lines[2]
        jsonl = runner.invoke(
            cli, ["screen", str(SPEC_PATH), str(data), "--engine", engine, "--format", "jsonl"]
        )
        assert jsonl.exit_code == 0, jsonl.output
        rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
        assert [r["stratum"] for r in rows] == ["age_group=older;sex=female", "unknown", None]
    text = runner.invoke(cli, ["screen", str(SPEC_PATH), str(data)])
    assert "Strata of eligible subjects (2)" in text.stdout


def test_screen_output_feeds_minimisation(tmp_path: Path) -> None:
    data = tmp_path / "subjects.jsonl"
    data.write_text(
        "".join(
            json.dumps(_subject(f"S{k}", 20 + 5 * k, ("female", "male")[k % 2])) + "\n"
            for k in range(10)
        )
    )
    screened = tmp_path / "screened.jsonl"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["screen", str(SPEC_PATH), str(data), "--format", "jsonl", "-o", str(screened)]
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "allocation.csv"
    result = runner.invoke(
        cli,
        [
            "randomise",
            str(SPEC_PATH),
            "--seed",
            "9",
            "--out",
            str(out),
            "--minimise",
            str(screened),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert len(out.read_text().splitlines()) == 11
