"""`protocol screen` and `protocol schema` from the command line: outputs, exit codes, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from protocol_dsl.cli import cli

from .conftest import CDISC_DATA, SPECS, SUBJECTS, load_subject

QLS = str(SPECS / "qls4131_sle_phase1b.trial")
CDISC = str(SPECS / "cdiscpilot01.trial")


def _invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def cases_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("screen") / "cases.jsonl"
    lines = [json.dumps(load_subject(p.name)["subject"]) for p in sorted(SUBJECTS.glob("*.json"))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_one_subject_as_text(tmp_path: Path) -> None:
    path = tmp_path / "subject.json"
    path.write_text(json.dumps(load_subject("steroid_methylprednisolone_40.json")["subject"]))
    code, out, _ = _invoke("screen", QLS, str(path))
    assert code == 0
    assert "1 subject — 0 eligible, 1 ineligible, 0 indeterminate" in out
    assert "QLS-MP40" in out and "I5" in out
    assert "Screen-failure funnel" not in out  # a batch of one has no funnel


def test_a_batch_as_text_has_findings_and_the_funnel(cases_jsonl: Path) -> None:
    code, out, _ = _invoke("screen", QLS, str(cases_jsonl), "--no-color")
    assert code == 0
    assert "13 subjects — 7 eligible, 4 ineligible, 2 indeterminate" in out
    assert "Screen-failure funnel (13 subjects)" in out
    assert "\x1b[" not in out


def test_json_output(cases_jsonl: Path) -> None:
    code, out, _ = _invoke("screen", QLS, str(cases_jsonl), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["format_version"] == 1
    assert data["summary"]["subjects"] == 13
    by_id = {s["subject_id"]: s for s in data["subjects"]}
    mp40 = by_id["QLS-MP40"]["criteria"]["I5"]
    assert mp40["status"] == "not_met"
    assert any("40 mg/d × 1.25 = 50 mg/d" in e["text"] for e in mp40["evidence"])
    assert by_id["QLS-NO-D1"]["data_needed"] == ["visits.D1"]
    assert [step["criterion"] for step in data["funnel"]][:2] == ["I1", "I2"]
    assert sum(step["excluded"] for step in data["funnel"]) == 4


def test_json_output_is_deterministic(cases_jsonl: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for target in (first, second):
        code, _, _ = _invoke("screen", QLS, str(cases_jsonl), "--format", "json", "-o", str(target))
        assert code == 0
    assert first.read_bytes() == second.read_bytes()


def test_csv_output_neutralises_formulas(tmp_path: Path) -> None:
    subject = load_subject("qls_eligible.json")["subject"]
    subject["subject_id"] = '=HYPERLINK("http://x")'
    path = tmp_path / "s.json"
    path.write_text(json.dumps(subject))
    code, out, _ = _invoke("screen", QLS, str(path), "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["subject_id", "status", "failed"]
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    assert rows[1][1] == "eligible"


def test_funnel_chart_is_a_deterministic_png(cases_jsonl: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    charts = []
    for name in ("one.png", "two.png"):
        target = tmp_path / name
        code, _, err = _invoke(
            "screen",
            QLS,
            str(cases_jsonl),
            "--funnel",
            str(target),
            "-o",
            str(tmp_path / "out.txt"),
        )
        assert code == 0 and "funnel chart written" in err
        charts.append(target.read_bytes())
    assert charts[0].startswith(b"\x89PNG") and charts[0] == charts[1]


def test_standard_input(tmp_path: Path) -> None:
    subject = json.dumps(load_subject("stable_dose_27_days.json")["subject"])
    code, out, _ = _invoke("screen", QLS, "-", "--format", "json", input=subject)
    assert code == 0
    assert json.loads(out)["subjects"][0]["status"] == "ineligible"


def test_sdtm_datasets_through_the_mapping() -> None:
    code, out, _ = _invoke("screen", CDISC, str(CDISC_DATA), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["summary"]["subjects"] == 306
    assert data["summary"]["ineligible"] == 2


def test_user_errors_exit_1_without_a_traceback(tmp_path: Path) -> None:
    code, _, err = _invoke("screen", QLS, str(tmp_path / "nothing.json"))
    assert code == 1 and "does not exist" in err and "Traceback" not in err
    broken = tmp_path / "broken.trial"
    broken.write_text('trial X { title "x" }\ninclusion I1 "x" = nothing.here > 1\n')
    subject = tmp_path / "s.json"
    subject.write_text('{"subject_id": "A"}')
    code, _, err = _invoke("screen", str(broken), str(subject))
    assert code == 1 and "E0101" in err and "nothing screened" in err
    not_json = tmp_path / "bad.json"
    not_json.write_text("{")
    code, _, err = _invoke("screen", QLS, str(not_json))
    assert code == 1 and "not valid JSON" in err


@pytest.mark.parametrize("report", ["full", "statuses"])
@pytest.mark.parametrize("output_format", ["csv", "jsonl"])
def test_a_line_that_is_not_json_is_said_in_every_streamed_report(
    cases_jsonl: Path, tmp_path: Path, report: str, output_format: str
) -> None:
    """A CSV or JSON Lines report has one row per subject: the line that is no subject
    is said on standard error with its place, never dropped without a word."""
    lines = cases_jsonl.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([lines[0], "{not json", *lines[1:]]) + "\n", encoding="utf-8")
    code, out, err = _invoke(
        "screen", QLS, str(broken), "--report", report, "--format", output_format
    )
    assert code == 0, err
    assert "warning: broken.jsonl line 2: not valid JSON" in err
    rows = out.splitlines()[1:] if output_format == "csv" else out.splitlines()
    assert len(rows) == len(lines)  # every subject line is screened


def test_duckdb_engine_agrees_with_the_interpreter(cases_jsonl: Path) -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("sqlglot")
    code, out, err = _invoke(
        "screen", QLS, str(cases_jsonl), "--engine", "duckdb", "--format", "json"
    )
    if code == 1 and "not available" in err:
        pytest.skip("the SQL back end is not installed")
    assert code == 0, err
    sql = {s["subject_id"]: (s["status"], s["criteria"]) for s in json.loads(out)["subjects"]}
    code, out, _ = _invoke("screen", QLS, str(cases_jsonl), "--format", "json")
    python = {
        s["subject_id"]: (s["status"], {k: c["status"] for k, c in s["criteria"].items()})
        for s in json.loads(out)["subjects"]
    }
    assert sql == python


def test_schema_command_prints_deterministic_json() -> None:
    code, out, _ = _invoke("schema", QLS)
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert out == json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    code, _, err = _invoke("schema", str(SPECS / "missing.trial"))
    assert code == 1 and "does not exist" in err


NO_WITNESS_SPEC = """
trial NO_WITNESS {
  title "An exclusion that never decides alone"
  eligibility_visit SCR
}

visit SCR "Screening" day -28 .. -1

anchor screening = visit SCR

form demographics "Demographics" at SCR {
  birth_date date "Date of birth"
}

inclusion I1 "Adult" = years_between(demographics.birth_date, screening) >= 18
exclusion E1 "Under 16" = years_between(demographics.birth_date, screening) < 16
"""


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_witness_output_screens_as_it_is(tmp_path: Path, engine: str) -> None:
    """Its note "no witness for E1" is a row not read, not an empty indeterminate subject."""
    pytest.importorskip("z3")
    if engine == "duckdb":
        pytest.importorskip("duckdb")
    spec = tmp_path / "no_witness.trial"
    spec.write_text(NO_WITNESS_SPEC, encoding="utf-8")
    code, out, err = _invoke("witness", str(spec))
    assert code == 0 and "no witness for E1" in err
    witnesses = tmp_path / "witnesses.json"
    witnesses.write_text(out, encoding="utf-8")
    assert [w["witness"]["kind"] for w in json.loads(out)] == ["eligible", "fails", "unavailable"]
    code, out, err = _invoke(
        "screen", str(spec), str(witnesses), "--format", "json", "--engine", engine
    )
    assert code == 0, err
    report = json.loads(out)
    statuses = {s["subject_id"]: s["status"] for s in report["subjects"]}
    assert statuses == {"W-ELIGIBLE": "eligible", "W001-I1": "ineligible"}
    if engine == "python":
        (note,) = report["input_problems"]
        assert note["source"] == "witnesses.json[3]"
        assert "no witness for E1" in note["reason"]


def _statuses(out: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Subject id -> (status, criterion statuses), from either engine's JSON report."""
    return {
        s["subject_id"]: (
            s["status"],
            {k: c if isinstance(c, str) else c["status"] for k, c in s["criteria"].items()},
        )
        for s in json.loads(out)["subjects"]
    }


def test_a_witness_folder_screens_the_same_with_both_engines(tmp_path: Path) -> None:
    """`protocol witness -o DIR` writes one JSON file per subject: both engines read them all."""
    pytest.importorskip("z3")
    pytest.importorskip("duckdb")
    folder = tmp_path / "witnesses"
    code, _, err = _invoke("witness", QLS, "-o", str(folder))
    assert code == 0, err
    code, out, err = _invoke("screen", QLS, str(folder), "--format", "json")
    assert code == 0, err
    python = _statuses(out)
    code, out, err = _invoke("screen", QLS, str(folder), "--format", "json", "--engine", "duckdb")
    assert code == 0, err
    assert _statuses(out) == python
    assert len(python) == len(list(folder.glob("W*.json"))) > 1


@pytest.mark.parametrize(
    ("files", "said"),
    [
        ({"notes.txt": "hello"}, "holds no subject data"),
        ({"dm.xpt": ""}, "use --engine python"),
    ],
)
def test_the_duckdb_engine_refuses_a_folder_it_cannot_read(
    tmp_path: Path, files: dict[str, str], said: str
) -> None:
    """Never zero subjects without a word: a folder it cannot read is an error naming it."""
    pytest.importorskip("duckdb")
    folder = tmp_path / "data"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    code, _, err = _invoke("screen", QLS, str(folder), "--engine", "duckdb")
    assert code == 1 and said in err and str(folder) in err and "Traceback" not in err


def test_screening_json_as_text_imports_no_heavy_library(tmp_path: Path) -> None:
    """One subject from JSON to a text report: no SQL, data-frame, chart, solver or rich import."""
    import subprocess
    import sys

    subject = tmp_path / "subject.json"
    subject.write_text(json.dumps(load_subject("steroid_methylprednisolone_40.json")["subject"]))
    script = (
        "import sys\n"
        "from protocol_dsl.cli import main\n"
        "try:\n"
        f"    main(['screen', {QLS!r}, {str(subject)!r}, '-o', {str(tmp_path / 'out.txt')!r}])\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        "heavy = {'rich', 'duckdb', 'sqlglot', 'pyarrow', 'pandas', 'numpy', 'matplotlib', 'z3'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert "QLS-MP40" in (tmp_path / "out.txt").read_text(encoding="utf-8")
