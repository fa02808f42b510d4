"""Conditional collection (W0411, W0412) against brute force and on the real spec.

Subjects have an integer `x` (0 .. 4) and a yes/no `flag`, always collected, an
integer `y` collected only when `flag = yes`, and a yes/no `z` collected only when
`x >= 2`.  Every subject whose collected data are complete is screened by the
interpreter: a criterion gets W0412 exactly when it can be met (or not met) with
every item known but never with the data collected, and W0411 otherwise exactly
when some such subject leaves it unknown.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import compile_spec_rules
from protocol_dsl.solver.collection import analyse
from tests.solver.support import criteria_over

ROOT = Path(__file__).resolve().parents[2]
QLS = ROOT / "specs" / "qls4131_sle_phase1b.trial"

HEADER = """trial RANDOM {
  title "Random criteria over conditional items"
  eligibility_visit SCR
}

visit SCR "Screening" day -7 .. -1

form lab "Laboratory" at SCR {
  x    integer "A measurement" range 0 .. 4 required
  flag yes_no "A finding" required
  y    integer "A follow-up measurement" range 0 .. 4 when flag = yes
  z    yes_no "A follow-up finding" when x >= 2
}
"""

numbers = st.integers(min_value=-1, max_value=5)


def _atom() -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(
            lambda item, op, k: f"lab.{item} {op} {k}",
            st.sampled_from(["x", "y"]),
            st.sampled_from([">=", "<=", "<", ">", "=", "!="]),
            numbers,
        ),
        st.sampled_from(["lab.flag = yes", "lab.flag = no", "lab.z = yes", "lab.z = no"]),
    )


def _spec_text(criteria: list[tuple[str, str]]) -> str:
    lines = [HEADER]
    for number, (kind, rule) in enumerate(criteria, start=1):
        lines.append(f'{kind} C{number} "Criterion {number}" = {rule}')
    return "\n".join(lines) + "\n"


def _subjects(collected: bool) -> list[dict]:
    subjects = []
    for x, flag, y, z in itertools.product(range(5), (True, False), range(5), (True, False)):
        values: dict[str, object] = {"x": x, "flag": flag}
        if flag or not collected:
            values["y"] = y
        if x >= 2 or not collected:
            values["z"] = z
        subjects.append({"subject_id": "S", "forms": {"lab": {"SCR": values}}})
    return subjects


def _statuses(spec, collected: bool) -> list[dict[str, str]]:
    screener = compile_spec_rules(spec)
    return [
        {cid: r.status for cid, r in screener.screen(s).criteria.items()}
        for s in _subjects(collected)
    ]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(criteria_over(_atom))
def test_findings_agree_with_brute_force(tmp_path: Path, criteria: list[tuple[str, str]]) -> None:
    text = _spec_text(criteria)
    path = tmp_path / "random.trial"
    path.write_text(text, encoding="utf-8")
    spec = compile_spec(str(path)).spec
    assert spec is not None
    collected, complete = _statuses(spec, True), _statuses(spec, False)
    expected = set()
    for number in range(1, len(criteria) + 1):
        cid = f"C{number}"
        seen = {s[cid] for s in collected}
        possible = {s[cid] for s in complete}
        if any(o in possible and o not in seen for o in ("met", "not_met")):
            expected.add(("W0412", cid))
        elif "unknown" in seen:
            expected.add(("W0411", cid))
    found = {(d.code, f"C{d.span.line - HEADER.count(chr(10)) - 1}") for d in analyse(spec)}
    assert found == expected, text
    for code, _criterion in sorted(found):
        event(code)


def _planted(tmp_path: Path, old: str, new: str) -> Path:
    text = QLS.read_text(encoding="utf-8")
    assert old in text
    folder = tmp_path / "specs"
    (folder / "lib").mkdir(parents=True)
    for lib in (ROOT / "specs" / "lib").glob("*.trial"):
        (folder / "lib" / lib.name).write_text(lib.read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / QLS.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


FIXED = """    and ((demographics.childbearing_potential = yes and screening_labs.pregnancy_test = positive)
         or screening_assessments.lactating = yes)"""


def test_real_spec_has_no_finding() -> None:
    spec = compile_spec(str(QLS)).spec
    assert spec is not None
    assert analyse(spec) == []


def test_original_e10_names_women_not_of_childbearing_potential(tmp_path: Path) -> None:
    original = (
        "    and (screening_labs.pregnancy_test = positive or "
        "screening_assessments.lactating = yes)"
    )
    path = _planted(tmp_path, FIXED, original)
    result = compile_spec(str(path))
    [finding] = [d for d in result.diagnostics if d.code == "W0411"]
    assert finding.message.startswith("exclusion E10 stays unknown for subjects with ")
    assert "demographics.childbearing_potential = no" in finding.message
    assert "screening_labs.pregnancy_test is not collected" in finding.message
    # on the rule, which starts the line before the edited one (0-based index = 1-based line)
    assert finding.span.line == path.read_text().splitlines().index(original)
    [label] = finding.labels
    assert "collected only when demographics.childbearing_potential = yes" in label.message


def test_male_guard_never_excludes(tmp_path: Path) -> None:
    path = _planted(
        tmp_path,
        "  = demographics.sex = female\n" + FIXED,
        "  = demographics.sex = male and screening_labs.pregnancy_test = positive",
    )
    result = compile_spec(str(path))
    [finding] = [d for d in result.diagnostics if d.code == "W0412"]
    assert "exclusion E10 can never be met" in finding.message
    assert "it can never exclude anyone" in finding.message
    # the chain of conditions: the test needs childbearing potential, asked only of women
    assert len(finding.labels) == 2
