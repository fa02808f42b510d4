"""The interpreter, the DuckDB SQL and the generated module agree on the window and dosing
edit checks.

Generated exposure logs (missed, extra, late and wrongly measured doses, delayed
cycles, missing weights) on the oncology-shaped and the loading-dose specs,
and the QLS4131 screening cases: the findings of the rules the SQL reports,
as sets of (subject, rule, visit or record), are the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate.edit_checks import EditChecker
from protocol_dsl.spec import Spec

from .dosing import loading_logs, logs

pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")

from generators.checks.module import render_module
from generators.sql import edit_checks as sql_checks
from generators.sql.run import screen_with_duckdb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _load(path: Path) -> Spec:
    result = compile_spec(str(path), path.read_text())
    assert result.spec is not None
    return result.spec


ONCOLOGY = _load(HERE / "dosing" / "oncology.trial")
LOADING = _load(HERE / "dosing" / "loading.trial")
CHECKERS = {id(ONCOLOGY): EditChecker(ONCOLOGY), id(LOADING): EditChecker(LOADING)}
RULES = frozenset(sql_checks.SQL_RULES)

Key = tuple[str, str, Any]


def _interpreter(spec: Spec, subjects: list[dict[str, Any]]) -> set[Key]:
    checker = CHECKERS.get(id(spec)) or EditChecker(spec)
    return {
        (f.subject_id, f.rule, f.record if f.record is not None else f.visit)
        for subject in subjects
        for f in checker.check(subject)
        if f.rule in RULES
    }


_MODULES: dict[int, Any] = {}


def _module(spec: Spec) -> Any:
    """The generated module of `spec`, imported from its source."""
    if id(spec) not in _MODULES:
        import importlib.util
        import tempfile

        folder = Path(tempfile.mkdtemp())
        path = folder / "screening_checks.py"
        path.write_text(render_module(spec), encoding="utf-8")
        found = importlib.util.spec_from_file_location(f"generated_{id(spec)}", path)
        assert found is not None and found.loader is not None
        module = importlib.util.module_from_spec(found)
        found.loader.exec_module(module)
        _MODULES[id(spec)] = module
    return _MODULES[id(spec)]


def _generated(spec: Spec, subjects: list[dict[str, Any]]) -> set[Key]:
    module = _module(spec)
    return {
        (f["subject_id"], f["rule"], f["record"] if f["record"] is not None else f["visit"])
        for subject in subjects
        for f in module.screen(subject)["findings"]
    }


def _duckdb(spec: Spec, subjects: list[dict[str, Any]]) -> set[Key]:
    findings: list[dict[str, Any]] = []
    screen_with_duckdb(spec, subjects, [], findings)
    return {
        (f["subject_id"], f["rule"], f["record"] if f["record"] is not None else f["visit"])
        for f in findings
    }


@given(st.lists(logs.courses(), min_size=1, max_size=6))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_oncology_logs(courses: list[logs.Course]) -> None:
    subjects = [
        logs.subject(logs.Course(f"S{k}", *attrs_of(c))) for k, c in enumerate(courses, start=1)
    ]
    expected = {
        (s["subject_id"], *f) for s, c in zip(subjects, courses, strict=True) for f in _exp(s, c)
    }
    found = _interpreter(ONCOLOGY, subjects)
    assert found == expected
    assert _duckdb(ONCOLOGY, subjects) == found
    assert _generated(ONCOLOGY, subjects) == found


def attrs_of(course: logs.Course) -> tuple[Any, ...]:
    return (
        course.delays,
        course.weight,
        course.missed,
        course.late,
        course.wrong,
        course.extra,
        course.assessments,
    )


def _exp(subject: dict[str, Any], course: logs.Course) -> set[tuple[str, Any]]:
    return logs.expected(logs.Course(subject["subject_id"], *attrs_of(course)))


@st.composite
def _loading_batches(draw: st.DrawFn) -> list[dict[str, Any]]:
    size = draw(st.integers(1, 6))
    return [draw(loading_logs.subjects(f"L{k}")) for k in range(1, size + 1)]


@given(_loading_batches())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_loading_dose_logs(subjects: list[dict[str, Any]]) -> None:
    found = _interpreter(LOADING, subjects)
    assert _duckdb(LOADING, subjects) == found
    assert _generated(LOADING, subjects) == found


def test_the_qls4131_cases_have_the_same_window_findings() -> None:
    spec = _load(ROOT / "specs" / "qls4131_sle_phase1b.trial")
    folder = ROOT / "tests" / "evaluate" / "subjects"
    subjects = [json.loads(p.read_text()).get("subject") for p in sorted(folder.glob("*.json"))]
    subjects = [s for s in subjects if isinstance(s, dict) and "subject_id" in s]
    assert len(subjects) > 5
    # move some visits out of their windows so that there is something to agree on
    for k, subject in enumerate(subjects):
        visits = subject.setdefault("visits", {})
        if "D1" in visits and k % 2 == 0:
            visits["D8"] = "2025-02-20"
    found = _interpreter(spec, subjects)
    assert found == _duckdb(spec, subjects)
    assert {rule for _s, rule, _where in found} == {"VISIT_OUT_OF_WINDOW"}


def test_the_sql_renders_for_spark_and_reads_back() -> None:
    import sqlglot

    for spec in (ONCOLOGY, LOADING):
        text = sql_checks.render(spec, "spark")
        assert sqlglot.parse_one(text, read="spark") is not None
        assert sql_checks.render(spec, "spark") == text  # deterministic


@pytest.mark.parametrize("spec", [ONCOLOGY, LOADING], ids=["oncology", "loading"])
def test_the_generated_module_with_edit_checks_passes_ruff(spec: Spec, tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "screening_checks.py"
    path.write_text(render_module(spec), encoding="utf-8")
    for command in (["check"], ["format", "--check"]):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "ruff",
                *command,
                "--config",
                str(ROOT / "pyproject.toml"),
                str(path),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_screen_with_duckdb_reports_the_findings(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from protocol_dsl.cli import cli

    course = logs.Course(
        "S1", (0, 0, 5, 0), 72.0, frozenset({(2, 1)}), (((3, 8), 3),), (((1, 8), 1.5),)
    )
    data = tmp_path / "subjects.jsonl"
    subjects = [logs.subject(course), logs.subject(logs.Course("S2", (0, 0), 80.0))]
    data.write_text("\n".join(json.dumps(s) for s in subjects) + "\n", encoding="utf-8")
    spec = str(HERE / "dosing" / "oncology.trial")
    runner = CliRunner()
    done = runner.invoke(cli, ["screen", spec, str(data), "--engine", "duckdb", "--format", "json"])
    assert done.exit_code == 0, done.stderr
    report = {s["subject_id"]: s for s in json.loads(done.stdout)["subjects"]}
    assert report["S2"]["findings"] == []
    rules = {f["rule"]: f for f in report["S1"]["findings"]}
    assert set(rules) == {
        "CYCLE_DELAYED",
        "PLANNED_DOSE_MISSING",
        "DOSE_OUT_OF_WINDOW",
        "DOSE_NOT_AS_PLANNED",
    }
    assert "2 days late" in rules["DOSE_OUT_OF_WINDOW"]["message"]
    assert rules["DOSE_NOT_AS_PLANNED"]["expected"] == 720
    assert "planned 720 mg" in rules["DOSE_NOT_AS_PLANNED"]["message"]
    done = runner.invoke(cli, ["screen", spec, str(data), "--engine", "duckdb", "--format", "csv"])
    lines = done.stdout.splitlines()
    assert lines[0].endswith(",findings")
    assert lines[1].endswith(
        ",CYCLE_DELAYED DOSE_NOT_AS_PLANNED DOSE_OUT_OF_WINDOW PLANNED_DOSE_MISSING"
    )
    done = runner.invoke(cli, ["screen", spec, str(data), "--engine", "duckdb"])
    assert "Edit checks (4 findings)" in done.stdout
