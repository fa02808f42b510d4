"""Failures of the contract found by its property test, one reproducer each.

Each is marked `xfail(strict=True)` and has an entry in `known.py` that lets the
property test tolerate it: when the fix lands, the test passes, strict xfail fails
the run, and the mark and the entry are removed together.  The tests state the
contract itself (it works, or refuses with a documented code), not today's behaviour.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from protocol_dsl.codes import CODES
from protocol_dsl.syntax.formatter import format_source
from tests.contract.known import KNOWN
from tests.contract.runner import _run_module, invoke, prepare

HEADER = """\
trial T {
  title "t"
}
visit SCR "Screening" day -7
visit D1 "Day 1" day 1
anchor screening = visit SCR
anchor first_dose = visit D1
"""
NUMBER_SPEC = HEADER + 'form f "F" at SCR {\n  x number "X" range 0 .. 100\n}\n'
NUMBER_SPEC += 'inclusion I1 "x" = f.x > 5\n'
TITER_SPEC = HEADER + 'form f "F" at SCR {\n  x titer "X"\n}\ninclusion I1 "x" = f.x >= 1:80\n'
TEXT_SPEC = HEADER + 'form f "F" at SCR {\n  x text "X"\n}\ninclusion I1 "x" = f.x = "a"\n'
DOSE_SPEC = (
    HEADER
    + """\
visit D8 "Day 8" day 8
intervention DRUG "Drug" {
  type drug
}
dose_finding DRUG {
  levels {
    DL1 1 mg
    DL2 2 mg
  }
  design boin {
    target 0.3
    cohort_size 3
    cohorts 4
    max_per_dose 6
  }
  dlt_window 5 days from first_dose
  dlt "A DLT"
  start_level DL1
}
"""
)


def _record(value: str) -> str:
    return (
        '{"subject_id": "S1", "visits": {"SCR": "2025-01-01"}, '
        f'"forms": {{"f": {{"SCR": {{"x": {value}}}}}}}}}'
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return prepare(tmp_path / "work")


def _screened(folder: Path, spec: str, data: str, name: str, engine: str) -> list[str]:
    """Subject ids screened by an engine ("python", "duckdb" or "module")."""
    (folder / "spec.trial").write_text(spec, encoding="utf-8")
    (folder / name).write_text(data, encoding="utf-8")
    if engine == "module":
        built = invoke(
            ["build", "-o", str(folder / "built"), "--only", "checks", str(folder / "spec.trial")]
        )
        assert built.exit_code == 0, built.output
        outcome = _run_module(
            folder / "built" / "screening_checks.py", folder / name, "module", ["S1"]
        )
        assert outcome.kind == "ok", outcome.detail
        return ["S1"]
    result = invoke(
        [
            "screen",
            "--engine",
            engine,
            "--format",
            "json",
            str(folder / "spec.trial"),
            str(folder / name),
        ]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    return [row["subject_id"] for row in json.loads(result.stdout)["subjects"]]


@pytest.mark.parametrize("engine", ["python", "duckdb", "module"])
def test_a_400_digit_number_is_screened(folder: Path, engine: str) -> None:
    data = "[" + _record(str(10**400)) + "]\n"
    assert _screened(folder, NUMBER_SPEC, data, "subjects.json", engine) == ["S1"]


@pytest.mark.parametrize("engine", ["python", "duckdb", "module"])
def test_1e400_in_a_text_item_is_screened(folder: Path, engine: str) -> None:
    data = "[" + _record("1e400") + "]\n"
    assert _screened(folder, TEXT_SPEC, data, "subjects.json", engine) == ["S1"]


@pytest.mark.parametrize("value", [str(10**400), '"1:' + "9" * 40 + '"', "1e300", "1e400"])
@pytest.mark.parametrize("engine", ["python", "duckdb", "module"])
def test_a_titer_beyond_any_engine_is_screened(folder: Path, engine: str, value: str) -> None:
    data = "[" + _record(value) + "]\n"
    assert _screened(folder, TITER_SPEC, data, "subjects.json", engine) == ["S1"]


def test_the_engines_agree_that_a_titer_beyond_range_is_unknown() -> None:
    from generators.sql.run import screen_with_duckdb
    from protocol_dsl.compiler import compile_spec
    from protocol_dsl.evaluate import evaluate_subject
    from tests.sql.test_differential import generated_module

    spec = compile_spec("titer.trial", TITER_SPEC).spec
    assert spec is not None
    for denominator, status in ((2**31 - 1, "met"), (2**31, "unknown"), (10**400, "unknown")):
        record = json.loads(_record(str(denominator)))
        interpreted = evaluate_subject(spec, record)
        assert interpreted.criteria["I1"].status == status
        assert generated_module(spec).screen(record)["criteria"]["I1"] == status
        (from_sql,) = screen_with_duckdb(spec, [record])
        assert from_sql["criteria"]["I1"] == status
        if status == "unknown":
            assert "out of range" in interpreted.invalid[0].reason


@pytest.mark.parametrize("engine", ["duckdb", "module"])
def test_a_malformed_json_line_is_skipped_like_the_interpreter_does(
    folder: Path, engine: str
) -> None:
    data = "{not json\n" + _record("10") + "\n"
    assert _screened(folder, NUMBER_SPEC, data, "subjects.jsonl", engine) == ["S1"]


def test_the_interpreter_skips_a_malformed_json_line(folder: Path) -> None:
    # the behaviour the other engines are held to above
    data = "{not json\n" + _record("10") + "\n"
    assert _screened(folder, NUMBER_SPEC, data, "subjects.jsonl", "python") == ["S1"]


def test_fmt_is_idempotent_with_a_comment_inside_a_rule() -> None:
    once = format_source("define c = s.c  # a\n  > 0\n")
    assert format_source(once) == once


def test_escalate_refuses_an_unknown_level_with_a_code(folder: Path) -> None:
    (folder / "spec.trial").write_text(DOSE_SPEC, encoding="utf-8")
    (folder / "cohorts.csv").write_text("dose_level,patients,dlts\nDL9,3,0\n", encoding="utf-8")
    spec = str(folder / "spec.trial")
    assert invoke(["check", spec]).exit_code == 0
    result = invoke(["escalate", "--data", str(folder / "cohorts.csv"), spec])
    assert result.exit_code == 1 and "DL9" in result.output
    codes = re.findall(r"error\[([A-Z]\d{4})\]", result.output)
    assert codes and all(c in CODES for c in codes), result.output


def test_every_known_failure_has_a_regression_test() -> None:
    text = Path(__file__).read_text(encoding="utf-8")
    for entry in KNOWN:
        assert f'reason="known: {entry.name}"' in text, entry.name
