"""`protocol escalate`, `protocol simulate` and the escalation artefact on the real spec."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generators.escalation.build import build
from generators.escalation.from_spec import spec_design
from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec

ROOT = Path(__file__).resolve().parents[2]
QLS = str(ROOT / "specs" / "qls4131_sle_phase1b.trial")


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def cohorts(tmp_path: Path, rows: str) -> str:
    path = tmp_path / "cohorts.csv"
    path.write_text("dose_level,patients,dlts\n" + rows, encoding="utf-8")
    return str(path)


def test_spec_design_reads_the_declared_boin() -> None:
    design = spec_design(compile_spec(QLS).spec)
    assert design.design.name == "BOIN"
    assert design.design.target == pytest.approx(0.30)
    assert design.design.cohort_size == 3
    assert design.level_names == ("DL1", "DL2", "DL3", "DL4", "DL5", "DL6")
    assert design.step_up("DL5") is not None and design.step_up("DL4") is None


def test_no_dlts_escalates(tmp_path: Path) -> None:
    result = run("escalate", QLS, "--data", cohorts(tmp_path, "DL1,3,0\n"))
    assert result.exit_code == 0, result.output
    assert "decision: escalate" in result.output
    assert "next cohort: DL2" in result.output


def test_two_of_six_stays_with_the_rule_that_fired(tmp_path: Path) -> None:
    data = cohorts(tmp_path, "DL1,3,0\nDL2,3,0\nDL3,3,1\nDL3,3,1\n")
    result = run("escalate", QLS, "--data", data, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["action"] == "stay"
    assert payload["next_level"] == "DL3"
    assert "2/6" in payload["rule"] and "λe" in payload["rule"]


def test_step_up_is_announced_at_a_step_up_level(tmp_path: Path) -> None:
    data = cohorts(tmp_path, "DL1,3,0\nDL2,3,0\nDL3,3,0\nDL4,3,0\n")
    result = run("escalate", QLS, "--data", data)
    assert "next cohort: DL5" in result.output
    assert "step-up dosing applies at DL5: day 1: 10 %, day 4: 30 %, day 8: 100 %" in result.output


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("DL9,3,0\n", "DL9"),
        ("DL1,3,4\n", "4 DLTs among 3 patients"),
        ("DL1,3,0\nDL2,3,3\nDL2,3,0\n", "eliminated"),
        ("DL1,3,3\nDL1,3,0\n", "already ended"),
        ("DL1,three,0\n", "cohorts.csv:2:5"),
    ],
)
def test_bad_cohorts_are_clear_errors(tmp_path: Path, rows: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["escalate", QLS, "--data", cohorts(tmp_path, rows)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_simulation_is_reproducible_by_seed() -> None:
    args = ("simulate", QLS, "--trials", "2000", "--seed", "7", "--format", "json")
    first, second = run(*args), run(*args)
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    scenarios = {s["scenario"]: s for s in json.loads(first.output)["scenarios"]}
    assert set(scenarios) == {"safe_profile", "toxic_early"}
    levels = scenarios["safe_profile"]["levels"]
    assert sum(level["selected_percent"] for level in levels) + scenarios["safe_profile"][
        "stop_percent"
    ] == pytest.approx(100.0, abs=0.05)


def test_simulate_true_rates_must_match_the_levels() -> None:
    result = CliRunner().invoke(cli, ["simulate", QLS, "--true-rates", "0.1,0.2"])
    assert result.exit_code == 2
    assert "2 rates for 6 dose levels" in result.output


def test_simulate_writes_a_plot(tmp_path: Path) -> None:
    target = tmp_path / "oc.png"
    result = run(
        "simulate", QLS, "--trials", "500", "--scenario", "toxic_early", "--plot", str(target)
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"\x89PNG")


def test_escalation_artefact_is_deterministic(tmp_path: Path) -> None:
    spec = compile_spec(QLS).spec
    first = {p.name: p.read_bytes() for p in build(spec, tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in build(spec, tmp_path / "b")}
    assert first == second
    assert "decision_table.txt" in first
    table = first["decision_table.txt"].decode()
    assert "λe 0.236" in table


def test_help_points_to_the_cohorts_file_format() -> None:
    result = run("escalate", "--help")
    assert "docs/escalate.md" in " ".join(result.output.split())
    assert "dose_level,patients,dlts" in result.output


def test_the_documented_example_gives_the_documented_decision(tmp_path: Path) -> None:
    """docs/escalate.md: its example file, run as shown, prints what the page says."""
    page = (ROOT / "docs" / "escalate.md").read_text(encoding="utf-8")
    blocks = page.split("```text\n")
    example = next(b.split("```")[0] for b in blocks[1:] if b.startswith("dose_level,"))
    shown = next(b.split("```")[0] for b in blocks[1:] if b.startswith("$ protocol escalate"))
    path = tmp_path / "cohorts.csv"
    path.write_text(example, encoding="utf-8")
    result = run("escalate", QLS, "--data", str(path))
    assert result.exit_code == 0, result.output
    assert result.output == shown.split("\n", 1)[1]
