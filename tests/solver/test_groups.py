"""Criteria are analysed in groups that share no variable; the per-criterion search has a limit.

The brute-force comparison in `test_against_interpreter.py` proves the findings
right; these tests pin down the grouping itself (who goes with whom), that
independent contradictions are each reported, and the effort limit (N0904):
deterministic, lifted by `--thorough`, and never changing what is found
before it is reached.
"""

from __future__ import annotations

from pathlib import Path

import z3
from click.testing import CliRunner

from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec
from protocol_dsl.solver import logic
from protocol_dsl.solver.encode import Encoder, formal_criteria
from protocol_dsl.solver.groups import connected_groups
from protocol_dsl.solver.terms import as_formula

HEADER = """trial T {
  title "Groups"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1 "Day 1" day 1
anchor first_dose = visit D1

form labs "Laboratory" at SCR {
  a integer "A" range 0 .. 100
  b integer "B" range 0 .. 100
  c integer "C" range 0 .. 100
  d date "D"
  e date "E"
}
"""


def _spec(tmp_path: Path, criteria: str):
    path = tmp_path / "t.trial"
    path.write_text(HEADER + criteria, encoding="utf-8")
    result = compile_spec(str(path))
    assert result.spec is not None, [d.message for d in result.diagnostics]
    return path, result


def _groups(spec) -> list[list[str]]:
    criteria = formal_criteria(spec)
    encoder = Encoder(spec, "check")
    conds = {c.id: encoder.criterion(c) for c in criteria}
    encoder.finalize()
    rules = {c.id: [as_formula(Encoder.passes(c, conds[c.id]), encoder.ctx)] for c in criteria}
    return [
        ids for ids, _ in connected_groups(encoder.ctx, list(rules), rules, encoder.constraints)
    ]


def test_criteria_group_by_the_items_and_dates_they_share(tmp_path: Path) -> None:
    _, result = _spec(
        tmp_path,
        """
inclusion I1 "A" = labs.a >= 10
inclusion I2 "B" = labs.b >= 10
exclusion E1 "A and C" = labs.a > 90 and labs.c > 50
exclusion E2 "D recent" = labs.d within 4 weeks before first_dose
exclusion E3 "E recent" = labs.e within 2 weeks before first_dose
""",
    )
    assert _groups(result.spec) == [["I1", "E1"], ["I2"], ["E2", "E3"]]


def test_each_independent_contradiction_is_reported(tmp_path: Path) -> None:
    _, result = _spec(
        tmp_path,
        """
inclusion I1 "A high" = labs.a >= 60
exclusion E1 "A not low" = labs.a > 50
inclusion I2 "B high" = labs.b >= 60
exclusion E2 "B not low" = labs.b > 50
inclusion I3 "C" = labs.c >= 10
""",
    )
    conflicts = [d for d in result.diagnostics if d.code == "E0401"]
    named = sorted(sorted([d.message.split(": ", 1)[1]]) for d in conflicts)
    assert len(conflicts) == 2, [d.message for d in result.diagnostics]
    assert "I1 and E1" in named[0][0] and "I2 and E2" in named[1][0]


CONNECTED = "".join(
    f'inclusion I{k} "A above {k}" = labs.a >= {k} or labs.b >= {k}\n' for k in range(1, 9)
)


def test_the_effort_limit_stops_the_search_with_a_note(tmp_path: Path, monkeypatch) -> None:
    _, unlimited = _spec(tmp_path, CONNECTED)
    monkeypatch.setattr(logic, "WORK_LIMIT", 20)
    _, limited = _spec(tmp_path, CONNECTED)
    notes = [d for d in limited.diagnostics if d.code == "N0904"]
    assert len(notes) == 1
    assert "stopped after 1 of 8 criteria: I2 and 6 more were not analysed" in notes[0].message
    assert "8 criteria are connected" in notes[0].notes[0]
    assert notes[0].span.line == HEADER.count("\n") + 2  # the rule of I2
    # what was found before the limit is what the full search finds for those criteria
    before = {d.message for d in limited.diagnostics if d.code != "N0904"}
    assert before <= {d.message for d in unlimited.diagnostics}
    # and the same spec stops at the same place every time
    _, again = _spec(tmp_path, CONNECTED)
    assert [d.message for d in again.diagnostics] == [d.message for d in limited.diagnostics]


def test_thorough_lifts_the_limit(tmp_path: Path, monkeypatch) -> None:
    path, unlimited = _spec(tmp_path, CONNECTED)
    assert any(d.code == "W0404" for d in unlimited.diagnostics)
    monkeypatch.setattr(logic, "WORK_LIMIT", 20)
    thorough = compile_spec(str(path), thorough=True)
    assert [d.message for d in thorough.diagnostics] == [d.message for d in unlimited.diagnostics]
    runner = CliRunner()
    limited_run = runner.invoke(cli, ["check", "--no-color", str(path)])
    thorough_run = runner.invoke(cli, ["check", "--no-color", "--thorough", str(path)])
    assert "N0904" in limited_run.output and "--thorough" in limited_run.output
    assert "N0904" not in thorough_run.output


def test_raw_assumption_checks_agree_with_z3s_own(tmp_path: Path) -> None:
    _, result = _spec(tmp_path, CONNECTED)
    spec = result.spec
    criteria = formal_criteria(spec)
    encoder = Encoder(spec, "check")
    conds = {c.id: encoder.criterion(c) for c in criteria}
    encoder.finalize()
    findings = logic._Findings(spec, criteria, [(encoder, criteria, conds)], None)
    group = findings.groups[0]
    for c in criteria:
        query = [findings.passes[i] for i in group.ids if i != c.id] + [findings.fails[c.id]]
        guard = [group.guard] if group.guard is not None else []  # a shared solver's switch
        assert findings._check(group, query) == group.solver.check(*guard, *query)
    assert isinstance(findings._check(group, []), z3.CheckSatResult)
