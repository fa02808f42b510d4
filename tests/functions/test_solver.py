"""The solver treats functions of numbers and averages as opaque: no crash, no false finding.

Each criterion below can be met and can fail (the interpreter shows both on
subject records), so the solver, which cannot reason about square roots,
rounding or means, must claim neither a contradiction nor a criterion that
always or never holds; the witness search must not fail on them either.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import evaluate_subject

SPEC = """trial T {
  title "Functions"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1 "Day 1" day 1

anchor first_dose = visit D1

form labs "Laboratory" at SCR {
  a integer "A" range 0 .. 100
  b quantity mg/dL "B" range 0 .. 50
}

form ecg "ECG" repeating at SCR {
  qtcf quantity ms "QTcF" range 300 .. 600
}

inclusion I1 "Root" = sqrt(labs.a) > 5 and labs.a <= 49
inclusion I2 "Rounded" = round(labs.b, 0) >= 10 mg/dL and labs.b < 11 mg/dL
exclusion E1 "Powers" = power(labs.a, 2) > 2000 or exp(labs.b / 1 mg/dL) < 2
exclusion E2 "Mean" = mean(ecg.qtcf) > 450 ms or median(ecg.qtcf) > 470 ms
inclusion I3 "Whole" = floor(labs.a / 3) = ceiling(labs.a / 3) or ln(labs.a) > 3
"""


def _subject(a: int, b: float, qtcf: list[int]) -> dict[str, object]:
    return {
        "subject_id": "S",
        "visits": {"SCR": "2025-01-06", "D1": "2025-01-20"},
        "forms": {"labs": {"SCR": {"a": a, "b": b}}, "ecg": [{"qtcf": q} for q in qtcf]},
    }


def test_no_finding_and_both_outcomes(tmp_path: Path) -> None:
    path = tmp_path / "t.trial"
    path.write_text(SPEC, encoding="utf-8")
    result = compile_spec(str(path))
    assert result.spec is not None
    findings = {d.code for d in result.diagnostics if d.code.startswith(("E04", "W04"))}
    assert not findings, [d.message for d in result.diagnostics]
    outcomes: dict[str, set[str]] = {}
    for subject in (_subject(36, 10.2, [440, 450]), _subject(10, 0.5, [460, 480, 500])):
        for cid, criterion in evaluate_subject(result.spec, subject).criteria.items():
            outcomes.setdefault(cid, set()).add(criterion.status)
    assert all(found == {"met", "not_met"} for found in outcomes.values()), outcomes


def test_witness_does_not_fail(tmp_path: Path) -> None:
    path = tmp_path / "t.trial"
    path.write_text(SPEC, encoding="utf-8")
    done = CliRunner().invoke(cli, ["witness", str(path)])
    assert done.exit_code in (0, 1), done.output
    assert "E0999" not in done.output
