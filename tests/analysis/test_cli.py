"""`protocol endpoints`: tables written, rows in = rows out, byte-identical reruns, errors."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from protocol_dsl.cli import cli
from tests.analysis.test_differential import SPEC

ROOT = Path(__file__).resolve().parents[2]
PILOT = ROOT / "specs" / "cdiscpilot01.trial"
PILOT_DATA = ROOT / "tests" / "data" / "cdiscpilot01"

SUBJECTS = [
    {
        "subject_id": "S1",
        "visits": {"SCR": "2024-02-23", "D1": "2024-03-01", "W8": "2024-04-26"},
        "forms": {
            "status": {"SCR": {"any_events": True, "end_date": "2024-05-30"}},
            "scores": {"D1": {"total": 30}, "W8": {"total": 24}},
            "events": [
                {"term": "HEADACHE", "start": "2024-02-27", "serious": False},
                {"term": "Rash papular", "start": "2024-03-11", "serious": True},
            ],
        },
    },
    {
        "subject_id": "S2",
        "visits": {"SCR": "2024-02-23", "D1": "2024-03-01"},
        "forms": {"status": {"SCR": {"any_events": False, "end_date": "2024-03-20"}}},
    },
]


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    spec = tmp_path / "endpoints.trial"
    spec.write_text(SPEC, encoding="utf-8")
    data = tmp_path / "subjects.json"
    data.write_text(json.dumps(SUBJECTS), encoding="utf-8")
    return spec, data


def _run(*args: str) -> object:
    return CliRunner().invoke(cli, ["endpoints", *args])


def test_writes_one_table_per_structure(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    spec, data = inputs
    out = tmp_path / "out"
    result = _run(str(spec), str(data), "-o", str(out))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["adrate.csv", "adsl.csv", "adtte.csv", "bds.csv", "events.csv", "evidence.csv"]
    events = (out / "events.csv").read_text(encoding="utf-8").splitlines()
    assert events == ["USUBJID,RECORD,TRTEM,RASHTE", "S1,1,N,N", "S1,2,Y,Y"]  # rows in = rows out
    adtte = (out / "adtte.csv").read_text(encoding="utf-8").splitlines()
    assert adtte[1].startswith("S1,TTR,Time to first rash,2024-03-01,2024-03-11,11,0,")
    # S2 answered "no adverse events": no rash, censored at the end of participation
    assert adtte[2].startswith("S2,TTR,Time to first rash,2024-03-01,2024-03-20,20,1,")
    bds = (out / "bds.csv").read_text(encoding="utf-8").splitlines()
    assert "S1,RESP,Improved by 4 points at week 8,,1,Y" in bds
    assert "S2,RESP,Improved by 4 points at week 8,,," in bds  # unknown, never no


def test_reruns_are_byte_identical(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    spec, data = inputs
    for out in ("a", "b"):
        assert _run(str(spec), str(data), "-o", str(tmp_path / out)).exit_code == 0
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_both_engines_write_the_same_tables(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    spec, data = inputs
    assert _run(str(spec), str(data), "-o", str(tmp_path / "i")).exit_code == 0
    result = _run(str(spec), str(data), "-o", str(tmp_path / "d"), "--engine", "duckdb")
    assert result.exit_code == 0, result.output
    by_sql = sorted(p.name for p in (tmp_path / "d").iterdir())
    assert "evidence.csv" not in by_sql  # the SQL engine gives values only
    for name in by_sql:
        assert (tmp_path / "d" / name).read_bytes() == (tmp_path / "i" / name).read_bytes()


def test_the_pilot_from_its_sdtm_datasets(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    result = _run(str(PILOT), str(PILOT_DATA), "-o", str(tmp_path / "i"))
    assert result.exit_code == 0, result.output
    assert "not computed (no rule): ADASCOG" in result.output
    lines = (tmp_path / "i" / "adverse_events.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 1191  # every adverse event of AE, one row each
    result = _run(str(PILOT), str(PILOT_DATA), "-o", str(tmp_path / "d"), "--engine", "duckdb")
    assert result.exit_code == 0, result.output
    for name in ("adsl.csv", "adtte.csv", "adverse_events.csv"):
        assert (tmp_path / "d" / name).read_bytes() == (tmp_path / "i" / name).read_bytes()


def test_a_spec_with_errors_computes_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "bad.trial"
    spec.write_text(SPEC.replace("flag per events", "flag per status"), encoding="utf-8")
    result = _run(str(spec), str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "E1051" in result.output
    assert not (tmp_path / "out").exists()


def test_unreadable_data_is_a_user_error(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    spec, _data = inputs
    result = _run(str(spec), str(tmp_path / "absent.json"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "does not exist" in result.output


def test_the_output_folder_is_required(inputs: tuple[Path, Path]) -> None:
    spec, data = inputs
    result = _run(str(spec), str(data))
    assert result.exit_code == 2
    assert "--output" in result.output


@pytest.mark.parametrize("dialect", ["duckdb", "spark"])
def test_the_endpoint_queries_are_printed_for_a_dialect(dialect: str) -> None:
    result = CliRunner().invoke(cli, ["sql", str(PILOT), "--endpoints", "--dialect", dialect])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("-- one row per subject: value_1 = DSRAEFL")
    assert "COMP8FL" in result.stdout.splitlines()[0]  # the completers population
    assert "-- one row per record of adverse_events, in input order (__row)" in result.stdout
    quote = "`" if dialect == "spark" else '"'
    assert f"{quote}adverse_events{quote}" in result.stdout


def test_counts_and_rates_with_their_time_at_risk(
    inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    spec, data = inputs
    result = _run(str(spec), str(data), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    rows = (tmp_path / "out" / "adrate.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "USUBJID,PARAMCD,PARAM,AVAL,EVCOUNT,ASTDT,AENDT,ADURN,ADURU"
    # one serious event in 91 days (1 to 30 May, both included): 1 / 91 × 36,525 days
    assert (
        "S1,SERRATE,Serious adverse events per 100 subject-years,401.373626374,1,"
        "2024-03-01,2024-05-30,0.249144421629,YEARS"
    ) in rows
    # S2 answered "no adverse events": 0, never unknown
    assert "S2,NAE,Number of adverse events,0,0,,,," in rows
    assert len(rows) == 1 + 2 * 4  # every subject has a row per count and rate


def test_spark_settings_need_the_spark_engine(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    spec, data = inputs
    result = _run(str(spec), str(data), "-o", str(tmp_path / "out"), "--master", "local[1]")
    assert result.exit_code == 1
    assert "--master and --conf are settings of --engine spark" in result.output
    assert not (tmp_path / "out").exists()


def test_endpoints_and_screen_take_the_same_engine_names() -> None:
    """`--engine python|duckdb` on both commands, `interpreter` read as `python`; screen
    also chooses one for the data (`auto`, its default) and runs on Spark."""
    from protocol_dsl.commands import endpoints, screen

    for command in (endpoints.command, screen.command):
        (engine,) = [p for p in command.params if p.name == "engine"]
        assert {"python", "duckdb", "interpreter"} <= set(engine.type.choices)
        assert engine.process_value(click.Context(command), "interpreter") == "python"
    (engine,) = [p for p in endpoints.command.params if p.name == "engine"]
    assert engine.default == "python"
    assert list(engine.type.choices) == ["python", "duckdb", "spark", "interpreter"]
    (engine,) = [p for p in screen.command.params if p.name == "engine"]
    assert engine.default == "auto"
    assert list(engine.type.choices) == ["auto", "python", "duckdb", "spark", "interpreter"]
