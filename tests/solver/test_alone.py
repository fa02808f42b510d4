"""The shortcut of `solver.alone`: a criterion shown to fail on its own by changing its own variables.

A "yes" from the shortcut stands for a satisfiable full query ("can this
criterion fail while every other one of its group passes?"), so it must never
be given when the full query says no; and since findings come only from full
queries that say no, the findings with and without the shortcut must be the
same criteria with the same codes.  Checked with every group on a solver of its
own (so every group gets a shortcut) on the real specs, a synthetic spec and
stored generated specs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
import z3

from protocol_dsl.checks import logic as logic_check
from protocol_dsl.compiler import compile_spec
from protocol_dsl.diagnostics import has_errors
from protocol_dsl.solver import alone, logic
from protocol_dsl.solver.encode import Encoder, formal_criteria
from protocol_dsl.syntax.loader import load
from tests.solver.support import REAL_SPECS, ROOT, synthetic_text
from tests.solver.test_findings_identity import _generated

HEADER = """trial T {
  title "Alone"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1 "Day 1" day 1
anchor first_dose = visit D1

form labs "Laboratory" at SCR {
  a integer "A" range 0 .. 100
  d date "D"
  e date "E"
}

form events "Medical events" repeating at SCR {
  onset date "Onset"
  kind choice kinds "Kind"
}

codelist kinds "Kinds" {
  x "X"
  y "Y"
}
"""


def _specs() -> Iterator[tuple[str, str, str]]:
    """Specs with formal criteria: the real ones, a synthetic one, stored generated ones."""
    for path in REAL_SPECS:
        yield path.name, str(path), path.read_text(encoding="utf-8")
    yield "synthetic:1000", str(ROOT / "synthetic.trial"), synthetic_text(1000)
    for name, path, text in itertools.islice(_generated(), 150):
        spec, problems, _ = load(path, text)
        if spec is not None and not has_errors(problems) and formal_criteria(spec):
            yield name, path, text


def _findings(spec, monkeypatch, *, shortcut: bool) -> list[tuple[str, int, int]]:
    with monkeypatch.context() as patch:
        patch.setattr(logic, "BATCH", 1)  # every group on a solver of its own
        if not shortcut:
            patch.setattr(alone.Shortcut, "fails_alone", lambda self, c, fails: False)
        return [(d.code, d.span.start, d.span.end) for d in logic_check.check(spec)]


SPECS = list(_specs())


@pytest.mark.parametrize("name,path,text", SPECS, ids=[name for name, _, _ in SPECS])
def test_a_yes_is_never_wrong_and_findings_stay_the_same(
    name: str, path: str, text: str, monkeypatch
) -> None:
    spec, _problems, _ = load(path, text)
    assert spec is not None
    confirmed: list[str] = []
    original = logic._Findings._criterion_findings

    def checked(self, c):
        shortcut = self.shortcuts.get(id(self.group_of[c.id]))
        if shortcut is not None and shortcut.fails_alone(c.id, self.formulas[c.id][1]):
            # the full query, asked of the group's own solver, must agree
            assert self._check(self.group_of[c.id], self._query(c)) == z3.sat, c.id
            confirmed.append(c.id)
        return original(self, c)

    monkeypatch.setattr(logic._Findings, "_criterion_findings", checked)
    with_shortcut = _findings(spec, monkeypatch, shortcut=True)
    monkeypatch.undo()
    assert with_shortcut == _findings(spec, monkeypatch, shortcut=False)
    if name == "synthetic:1000":  # each criterion stands alone (the exclusions once the
        # first dose's date is held fixed)
        assert sorted(confirmed) == sorted(c.id for c in formal_criteria(spec))


def _shortcut(tmp_path: Path, criteria: str, monkeypatch) -> tuple[logic._Findings, object]:
    """The analysis of a spec whose criteria form one group, and that group's shortcut."""
    path = tmp_path / "t.trial"
    path.write_text(HEADER + criteria, encoding="utf-8")
    result = compile_spec(str(path))
    assert result.spec is not None, [d.message for d in result.diagnostics]
    spec = result.spec
    formal = formal_criteria(spec)
    encoder = Encoder(spec, "check")
    conds = {c.id: encoder.criterion(c) for c in formal}
    encoder.finalize()
    monkeypatch.setattr(logic, "BATCH", 1)
    findings = logic._Findings(spec, formal, [(encoder, formal, conds)], None)
    assert list(findings.run()) == []
    [group] = findings.groups
    return findings, findings.shortcuts[id(group)]


def test_exclusions_relative_to_one_date_each_fail_alone(tmp_path: Path, monkeypatch) -> None:
    findings, shortcut = _shortcut(
        tmp_path,
        """
exclusion E1 "Recent event" = any events where onset within 4 weeks before first_dose
exclusion E2 "Recent test" = labs.d within 2 weeks before first_dose
exclusion E3 "Old test" = labs.e at least 52 weeks before first_dose
""",
        monkeypatch,
    )
    for c in ("E1", "E2", "E3"):
        assert c in shortcut.parts.parts
        assert shortcut.fails_alone(c, findings.formulas[c][1])


def test_a_no_from_the_shortcut_leaves_the_question_to_the_full_query(
    tmp_path: Path, monkeypatch
) -> None:
    # the three read the same records: changing what one reads changes what the
    # others read, so none can fail with the others' variables held; each can fail
    # alone all the same (a recent event of its own kind), which the full query finds
    findings, shortcut = _shortcut(
        tmp_path,
        """
exclusion E1 "Recent X" = any events where kind = x and onset within 4 weeks before first_dose
exclusion E2 "Recent Y" = any events where kind = y and onset within 2 weeks before first_dose
exclusion E3 "A high" = labs.a > 90 and (any events where onset within 8 weeks before first_dose)
""",
        monkeypatch,
    )
    [group] = findings.groups
    for criterion in formal_criteria(findings.spec):
        assert not shortcut.fails_alone(criterion.id, findings.formulas[criterion.id][1])
        assert findings._check(group, findings._query(criterion)) == z3.sat
