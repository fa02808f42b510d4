"""One mistake, one message: a first dose planned on day 0 is E0601's, and the step-up
check does not tell the writer to give the first step on day 0 (there is no day 0)."""

from __future__ import annotations

from pathlib import Path

from protocol_dsl.compiler import compile_spec

SPEC = """\
trial T { title "t" }
visit D0 "Day 0" day 0
anchor first_dose "First dose" = visit D0
intervention X "X" { type drug }
dose_finding X {
  levels { DL1 1 mg DL2 2 mg }
  step_up at DL2 { day 1: 50 % day 4: 100 % }
}
"""


def test_day_zero_is_reported_once_with_help_that_agrees(tmp_path: Path) -> None:
    path = tmp_path / "spec.trial"
    path.write_text(SPEC, encoding="utf-8")
    codes = [d.code for d in compile_spec(str(path)).diagnostics if d.is_error]
    assert codes == ["E0601"]
    helps = [d.help or "" for d in compile_spec(str(path)).diagnostics]
    assert not any("day 0" in h and "give it" in h for h in helps)
