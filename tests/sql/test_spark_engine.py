"""`--engine spark`: the same answers as the interpreter and DuckDB, on a real local Spark.

One fixed batch of QLS4131 subjects built from the eligible one: values changed so
that every kind of status occurs, a log absent, a log null, a null record inside a
log, a subject without any data, and inputs that cannot all be read (a line of
JSON Lines that is not JSON, a CSV row with too many cells).  The batch is screened
from JSON Lines (read here, handed to Spark as Arrow) and from a folder of CSV
tables (read by Spark itself); every subject in comes out, with the interpreter's
statuses, and the unreadable input is reported row by row as the other engines
report it.  Without Spark, the settings and the errors a user can meet.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generators.sql.run import screen_with_duckdb
from generators.sql.spark_session import (
    DEFAULT_MASTER,
    SparkSettings,
    SparkUnavailable,
    master_url,
    parse_conf,
    spark_session,
)
from protocol_dsl.compiler import compile_spec
from protocol_dsl.data import read_inputs
from protocol_dsl.data.tables import subjects_to_tables, write_csv_folder
from protocol_dsl.evaluate import compile_spec_rules
from protocol_dsl.screening.run import screen_batch
from tests.sql.cases import QLS4131, QLS4131_ELIGIBLE
from tests.sql.test_spark import spark  # noqa: F401 - the shared Spark session fixture


def _batch() -> list[dict]:
    base = QLS4131_ELIGIBLE
    changes = {
        "young": (("forms", "demographics", "SCR", "birth_date"), "2012-01-07"),
        "no_c3": (("forms", "serology", "SCR", "c3"), None),
        "bad_c3": (("forms", "serology", "SCR", "c3"), "low"),
        "high_dose": (("forms", "medications", 0, "daily_dose"), {"value": 0.05, "unit": "g/d"}),
        "medications_absent": (("forms", "medications"), "DROP"),
        "medications_null": (("forms", "medications"), None),
        "history_null_record": (("forms", "medical_history"), [None]),
        "bad_date": (("visits", "SCR"), "2025-02-30"),
        "not_attested": (("attestations", "I6"), False),
    }
    subjects = [copy.deepcopy(base)]
    for name, (path, value) in changes.items():
        subject = copy.deepcopy(base)
        subject["subject_id"] = f"S-{name}"
        target = subject
        for key in path[:-1]:
            target = target[key]
        if value == "DROP":
            del target[path[-1]]
        else:
            target[path[-1]] = value
        subjects.append(subject)
    subjects.append({"subject_id": "S-nothing"})
    return subjects


@pytest.fixture(scope="module")
def qls():
    return compile_spec(str(QLS4131)).spec


def _interpreted(spec, source: Path) -> dict[str, tuple[str, dict[str, str]]]:
    screener = compile_spec_rules(spec)
    batch = read_inputs(spec, screener.dictionary, (str(source),))
    run = screen_batch(spec, batch, explain=False, screener=screener)
    return {
        o.subject_id: (o.result.status, {c: r.status for c, r in o.result.criteria.items()})
        for o in run.outcomes
    }


def _by_subject(rows: list[dict]) -> dict[str, tuple[str, dict[str, str]]]:
    return {r["subject_id"]: (r["status"], r["criteria"]) for r in rows}


@pytest.mark.spark
def test_spark_screens_json_lines_like_the_interpreter_and_duckdb(spark, qls, tmp_path) -> None:  # noqa: F811
    from generators.sql.spark_run import screen_with_spark

    subjects = _batch()
    path = tmp_path / "subjects.jsonl"
    lines = [json.dumps(s) for s in subjects]
    lines.insert(3, '{"subject_id": "S-cut", "forms": {')  # not JSON: reported, skipped
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    problems: list[str] = []
    findings: list[dict] = []
    rows = screen_with_spark(qls, path, problems, findings, session=spark)
    duck_problems: list[str] = []
    duck_findings: list[dict] = []
    assert rows == screen_with_duckdb(qls, path, duck_problems, duck_findings)
    assert problems == duck_problems and findings == duck_findings
    assert problems and problems[0].startswith("subjects.jsonl line 4: not valid JSON")
    assert len(rows) == len(subjects)  # rows in = rows out
    assert _by_subject(rows) == _interpreted(qls, path)
    statuses = {r["status"] for r in rows}
    assert statuses == {"eligible", "ineligible", "indeterminate"}


@pytest.mark.spark
def test_spark_reads_csv_tables_itself_like_the_interpreter(spark, qls, tmp_path) -> None:  # noqa: F811
    from generators.sql.spark_run import screen_with_spark

    subjects = _batch()
    folder = tmp_path / "tables"
    write_csv_folder(subjects_to_tables(compile_spec_rules(qls).dictionary, subjects), folder)
    medications = folder / "medications.csv"
    width = len(medications.read_text(encoding="utf-8").splitlines()[0].split(","))
    with medications.open("a", encoding="utf-8") as handle:
        handle.write("S-no_c3,Prednisone,too,many,cells,in,this,row,for,the,header,x\n")
    line = len(medications.read_text(encoding="utf-8").splitlines())

    problems: list[str] = []
    rows = screen_with_spark(qls, folder, problems, session=spark)
    # rows in = rows out: a subject without data has no row in any table, hence no subject
    assert {r["subject_id"] for r in rows} == {s["subject_id"] for s in subjects} - {"S-nothing"}
    assert _by_subject(rows) == _interpreted(qls, folder)
    assert problems == [
        f"medications.csv line {line}: the row has 12 cells and the header {width}; it is skipped"
    ]


@pytest.mark.spark
def test_the_command_writes_only_the_report_on_standard_output(qls, tmp_path) -> None:
    """A whole `protocol screen --engine spark` run: CSV on standard output, Spark's
    start-up messages nowhere in it (nor on standard error)."""
    pytest.importorskip("pyspark", reason="pyspark is not installed")
    path = tmp_path / "subjects.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in _batch()[:3]), encoding="utf-8")
    command = [sys.executable, "-m", "protocol_dsl", "screen", str(QLS4131), str(path)]
    command += ["--engine", "spark", "--master", "local[1]", "--format", "csv"]
    command += ["--conf", "spark.sql.shuffle.partitions=1", "--conf", "spark.ui.enabled=false"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("subject_id,status,I1,")
    assert [line.split(",")[0] for line in lines[1:]] == sorted(
        s["subject_id"] for s in _batch()[:3]
    )
    assert "log4j" not in done.stderr and "WARN" not in done.stderr


def test_conf_options_are_key_value_pairs() -> None:
    assert parse_conf(["spark.driver.memory=4g", "a.b=x=y"]) == (
        ("spark.driver.memory", "4g"),
        ("a.b", "x=y"),
    )
    with pytest.raises(SparkUnavailable, match="key=value"):
        parse_conf(["spark.driver.memory"])


def test_the_master_comes_from_the_user_or_the_spark_configuration(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("PYSPARK_SUBMIT_ARGS", raising=False)
    monkeypatch.delenv("SPARK_CONF_DIR", raising=False)
    monkeypatch.delenv("SPARK_HOME", raising=False)
    assert master_url(SparkSettings()) == DEFAULT_MASTER
    assert master_url(SparkSettings("spark://head:7077")) == "spark://head:7077"
    assert master_url(SparkSettings(conf=(("spark.master", "yarn"),))) is None
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "spark-defaults.conf").write_text("spark.master   yarn\n")
    monkeypatch.setenv("SPARK_HOME", str(tmp_path))
    assert master_url(SparkSettings()) is None  # spark-submit reads it from there
    monkeypatch.setenv("PYSPARK_SUBMIT_ARGS", "--master local[2] pyspark-shell")
    monkeypatch.delenv("SPARK_HOME")
    assert master_url(SparkSettings()) is None


def test_without_java_the_user_is_told_what_to_install(monkeypatch) -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed")
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(SparkUnavailable, match="Java runtime"), spark_session(SparkSettings()):
        pass


def test_the_command_refuses_spark_settings_for_another_engine(tmp_path) -> None:
    from click.testing import CliRunner

    from protocol_dsl.cli import cli

    path = tmp_path / "subjects.jsonl"
    path.write_text(json.dumps(QLS4131_ELIGIBLE) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["screen", str(QLS4131), str(path), "--master", "local[1]"])
    assert result.exit_code == 1
    assert "--master and --conf are settings of --engine spark" in result.output
    result = CliRunner().invoke(
        cli, ["screen", str(QLS4131), str(path), "--engine", "spark", "--conf", "nonsense"]
    )
    assert result.exit_code == 1
    assert "write a Spark setting as key=value" in result.output


@pytest.mark.spark
def test_the_statuses_report_from_spark_is_duckdbs(qls, tmp_path) -> None:
    """`--report statuses`: the same rows from Spark as from DuckDB, the engine column aside."""
    pytest.importorskip("pyspark", reason="pyspark is not installed")
    path = tmp_path / "subjects.jsonl"
    lines = [json.dumps(s) for s in _batch()]
    lines.insert(2, '{"subject_id": "S-cut", "forms": {')  # not JSON: reported, skipped
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reports = {}
    for engine in ("duckdb", "spark"):
        command = [sys.executable, "-m", "protocol_dsl", "screen", str(QLS4131), str(path)]
        command += ["--engine", engine, "--report", "statuses", "--format", "csv"]
        if engine == "spark":
            command += ["--master", "local[1]", "--conf", "spark.sql.shuffle.partitions=1"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
        assert done.returncode == 0, done.stderr
        assert "line 3: not valid JSON" in done.stderr
        reports[engine] = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r.pop("engine") for r in reports["spark"]] == ["spark"] * len(reports["spark"])
    assert {r.pop("engine") for r in reports["duckdb"]} == {"duckdb"}
    assert reports["spark"] == reports["duckdb"]
    assert len(reports["spark"]) == len(_batch())  # rows in = rows out
