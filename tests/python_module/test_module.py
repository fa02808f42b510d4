"""The generated standalone screening module: golden file, lint, determinism, independence, safety.

Regenerate the golden file with ``UPDATE_GOLDEN=1 pytest tests/python_module`` and
read the difference before committing it.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generators.checks.module import build, render_module
from protocol_dsl.compiler import compile_spec
from protocol_dsl.syntax.printer import quote
from tests.sql.cases import CDISCPILOT01, QLS4131, QLS4131_ELIGIBLE

GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).resolve().parents[2]

#: The standard-library modules the generated code may import, and nothing else.
STANDARD = {"__future__", "calendar", "contextlib", "datetime", "decimal", "fractions", "json", "math", "re", "sys"}  # fmt: skip


@pytest.fixture(scope="module")
def qls4131_module() -> str:
    return render_module(compile_spec(str(QLS4131)).spec)


def test_module_matches_golden(qls4131_module: str) -> None:
    path = GOLDEN / "qls4131.screening_checks.py"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(qls4131_module, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1"
    assert qls4131_module == path.read_text(encoding="utf-8")


def test_module_is_deterministic(tmp_path: Path) -> None:
    spec = compile_spec(str(CDISCPILOT01)).spec
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = build(spec, tmp_path / "a")[0], build(spec, tmp_path / "b")[0]
    assert first.name == "screening_checks.py"
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("config", ["defaults", "project"])
def test_module_passes_ruff(qls4131_module: str, tmp_path: Path, config: str) -> None:
    """ruff check with its default rules and with this project's rules (and its layout)."""
    path = tmp_path / "screening_checks.py"
    path.write_text(qls4131_module, encoding="utf-8")
    options = ["--isolated"] if config == "defaults" else ["--config", str(ROOT / "pyproject.toml")]
    commands = [["check"]] + ([["format", "--check"]] if config == "project" else [])
    for command in commands:
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *command, *options, str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_module_imports_only_the_standard_library(qls4131_module: str) -> None:
    tree = ast.parse(qls4131_module)
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= STANDARD


def test_module_runs_alone_from_the_command_line(qls4131_module: str, tmp_path: Path) -> None:
    """In an isolated interpreter, in a folder without this package: JSON Lines in and out."""
    script = tmp_path / "screening_checks.py"
    script.write_text(qls4131_module, encoding="utf-8")
    subjects = tmp_path / "subjects.jsonl"
    lines = [QLS4131_ELIGIBLE, {"subject_id": "EMPTY"}, "not a record"]
    subjects.write_text("\n".join(json.dumps(s) for s in lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-I", str(script), str(subjects)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": os.environ.get("PATH", "")},
    )
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["subject_id"] for r in results] == [
        "QLS-ELIGIBLE",
        "EMPTY",
        "<no subject_id: record 3>",
    ]
    assert [r["status"] for r in results] == ["eligible", "indeterminate", "indeterminate"]
    assert "attestations.I6" in results[1]["needed"]
    bad = subprocess.run(
        [sys.executable, "-I", str(script), str(tmp_path / "absent.jsonl")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1 and "cannot read subjects" in bad.stderr


#: Text that would be code if it were pasted into the module instead of quoted.
HOSTILE = '"); __import__("os").system("echo owned")  # \n\'\'\' """ \\'

HOSTILE_SPEC = f"""
trial HOSTILE {{
  title "Strings that would be code if pasted"
}}

visit SCR "Screening" day -7 .. -1

codelist answer "Answer" {{
  yes_please {quote("Yes " + HOSTILE)}
  no_thanks  "No"
}}

form notes "Notes" at SCR {{
  remark text {quote("Remark " + HOSTILE)}
  answer choice answer "Answer"
}}

inclusion I1 {quote("Text " + HOSTILE)} = notes.remark = {quote(HOSTILE)}
inclusion I2 "Answer" = notes.answer in {{yes_please}}
"""


def test_strings_from_the_spec_are_only_ever_literals() -> None:
    result = compile_spec("hostile.trial", HOSTILE_SPEC)
    assert result.spec is not None, [d.message for d in result.diagnostics]
    source = render_module(result.spec)
    tree = ast.parse(source)  # valid Python whatever the strings
    calls = {
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }
    assert "system" not in calls and "__import__" not in calls
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
    assert HOSTILE in strings
    namespace: dict = {}
    exec(compile(source, "screening_checks.py", "exec"), namespace)  # the code under test
    subject = {"subject_id": "X", "forms": {"notes": {"SCR": {"remark": HOSTILE}}}}
    assert namespace["screen"](subject)["criteria"]["I1"] == "met"


UNITS_SPEC = """
trial UNITS {
  title "Thresholds in units outside the common list"
  eligibility_visit SCR
}

visit SCR "Screening" day -7 .. -1

form labs "Laboratory" at SCR {
  creatinine quantity umol/L "Creatinine" range 0 .. 2000
  weight     quantity kg "Body weight" range 20 .. 300
  protein    quantity mg/L "Urine protein" range 0 .. 50000
}

inclusion I1 "Creatinine at most 0.015 mmol/dL" = labs.creatinine <= 0.015 mmol/dL
inclusion I2 "At least 110 pounds" = labs.weight >= 110 [lb_av]
exclusion E1 "Proteinuria" = labs.protein > 0.05 g/dL
"""


def test_units_the_spec_writes_convert_in_the_module() -> None:
    """Values recorded in a unit the spec uses (not a common one) read as in the interpreter."""
    from protocol_dsl.evaluate import evaluate_subject

    result = compile_spec("units.trial", UNITS_SPEC)
    assert result.ok, [d.message for d in result.diagnostics]
    namespace: dict = {}
    exec(compile(render_module(result.spec), "screening_checks.py", "exec"), namespace)
    recorded = [
        # creatinine: 0.015 mmol/dL is exactly 150 umol/L, the threshold
        ({"creatinine": {"value": 0.015, "unit": "mmol/dL"}}, "I1", "met"),
        ({"creatinine": {"value": 0.0151, "unit": "mmol/dL"}}, "I1", "not_met"),
        ({"creatinine": {"value": 150, "unit": "umol/L"}}, "I1", "met"),
        # 110 [lb_av] is exactly 49.8951607 kg
        ({"weight": {"value": 110, "unit": "[lb_av]"}}, "I2", "met"),
        ({"weight": {"value": 109.99, "unit": "[lb_av]"}}, "I2", "not_met"),
        ({"weight": {"value": 49.895, "unit": "kg"}}, "I2", "not_met"),
        ({"weight": {"value": 800, "unit": "[lb_av]"}}, "I2", "unknown"),  # above 300 kg
        # g/dL and mg/L are both common: 0.05 g/dL is 500 mg/L
        ({"protein": {"value": 0.05, "unit": "g/dL"}}, "E1", "not_met"),
        ({"protein": {"value": 501, "unit": "mg/L"}}, "E1", "met"),
    ]
    for values, criterion, expected in recorded:
        subject = {"subject_id": "S", "visits": {"SCR": "2025-01-06"}}
        subject["forms"] = {"labs": {"SCR": values}}
        interpreted = evaluate_subject(result.spec, subject).criteria[criterion].status
        assert interpreted == expected, values
        assert namespace["screen"](subject)["criteria"][criterion] == expected, values


def test_the_command_line_skips_notes_of_protocol_witness(
    qls4131_module: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`protocol witness` output screens as it is: its "unavailable" note is no subject."""
    namespace: dict = {}
    exec(compile(qls4131_module, "screening_checks.py", "exec"), namespace)
    note = {"witness": {"kind": "unavailable", "of": "fails", "criterion": "E9", "reason": "…"}}
    subjects = tmp_path / "witnesses.json"
    subjects.write_text(json.dumps([QLS4131_ELIGIBLE, note, {"subject_id": "EMPTY"}]))
    assert namespace["main"]([str(subjects)]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["subject_id"] for line in out.splitlines()] == [
        "QLS-ELIGIBLE",
        "EMPTY",
    ]
    assert "record 2 is a note of protocol witness" in err
