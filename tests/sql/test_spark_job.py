"""The spark-submit job `protocol build` writes: its golden file, its safety, and a run.

The run (marked `spark`) executes the generated job as a user would, with
``spark-submit`` when one is installed beside Python or on PATH, else with
``python`` (pyspark's own local Spark), over CSV tables written from subject
records, and compares its result with the interpreter's statuses.
"""

from __future__ import annotations

import ast
import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generators.registry import ARTEFACTS
from generators.sql.spark_job import FILE_NAME, build, render_job
from protocol_dsl.compiler import compile_spec
from protocol_dsl.data.tables import subjects_to_tables, write_csv_folder
from protocol_dsl.evaluate import compile_spec_rules, evaluate_subject
from tests.sql.cases import CDISCPILOT01, QLS4131
from tests.sql.test_golden import SUBJECTS, _check_golden


def test_the_job_is_an_artefact_of_build() -> None:
    assert ARTEFACTS["spark_job"].module == "generators.sql.spark_job"


def test_the_job_matches_its_golden_file(tmp_path: Path) -> None:
    spec = compile_spec(str(CDISCPILOT01)).spec
    (path,) = build(spec, tmp_path)
    assert path.name == FILE_NAME
    text = path.read_text(encoding="utf-8")
    _check_golden("cdiscpilot01.spark_job.py.golden", text)
    assert render_job(spec) == text  # byte-identical rebuilds


def test_the_job_is_plain_python_importing_only_pyspark() -> None:
    tree = ast.parse(render_job(compile_spec(str(QLS4131)).spec))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported == {"argparse", "sys", "pyspark"}


def test_what_comes_from_the_spec_is_literal_data() -> None:
    """The tables, their reading rules and the query are assignments of literals (read
    back by `ast.literal_eval`); the rest of the module is the same for every spec."""
    texts = [render_job(compile_spec(str(path)).spec) for path in (QLS4131, CDISCPILOT01)]
    shapes = []
    for text in texts:
        tree = ast.parse(text)
        data = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                data[node.targets[0].id] = ast.literal_eval(node.value)
        assert set(data) == {"TABLES", "QUERY", "CORRUPT"}
        assert "visits" in data["TABLES"] and data["QUERY"].lstrip().startswith("WITH")
        shapes.append([ast.dump(n) for n in tree.body if not isinstance(n, (ast.Assign, ast.Expr))])
    assert shapes[0] == shapes[1]


def _spark_submit() -> list[str]:
    beside = Path(sys.executable).parent / "spark-submit"
    found = str(beside) if beside.exists() else shutil.which("spark-submit")
    if found:
        return [found, "--master", "local[1]", "--conf", "spark.ui.enabled=false"]
    return [sys.executable]


@pytest.mark.spark
def test_the_job_runs_and_screens_like_the_interpreter(tmp_path: Path) -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime on this machine (Spark needs one)")
    spec = compile_spec(str(QLS4131)).spec
    subjects = SUBJECTS["qls4131"]
    (job,) = build(spec, tmp_path)
    tables = subjects_to_tables(compile_spec_rules(spec).dictionary, subjects)
    write_csv_folder(tables, tmp_path / "data")
    arguments = [f"{p.stem}={p}" for p in sorted((tmp_path / "data").glob("*.csv"))]
    out = tmp_path / "out"
    command = [*_spark_submit(), str(job), "--output", str(out), "--format", "csv", *arguments]
    # spark-submit finds its Spark and runs the job with this Python (and its pyspark)
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {**os.environ, "PATH": path, "PYSPARK_PYTHON": sys.executable}
    subprocess.run(command, check=True, capture_output=True, cwd=tmp_path, env=env, timeout=1800)
    rows = []
    for part in sorted(out.glob("part-*.csv")):
        with part.open(encoding="utf-8", newline="") as handle:
            rows += list(csv.DictReader(handle))
    assert len(rows) == len(subjects)  # rows in = rows out
    words = {"1": "met", "0": "not_met", "": "unknown"}
    for subject in subjects:
        expected = evaluate_subject(spec, subject)
        (row,) = [r for r in rows if r["subject_id"] == subject["subject_id"]]
        assert row["status"] == expected.status
        assert {c: words[row[c]] for c in expected.criteria} == {
            c: s.status for c, s in expected.criteria.items()
        }
