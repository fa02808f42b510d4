"""The solver never claims a proof the interpreter refutes: decimals, durations, dates.

For random criteria over decimal numbers (sums and differences such as
``a + b = 0.3``), items recorded in weeks, months and hours compared with
durations in other units, and dates moved by hours and minutes, every proof
`protocol check` reports — no subject can be eligible (E0401), an inclusion
every subject meets (W0402), an exclusion that excludes nobody (W0403), a
redundant criterion (W0404) — must hold for every subject the interpreter
screens: the solver's own witnesses and subjects drawn around the thresholds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import compile_spec_rules
from protocol_dsl.solver.logic import analyse
from protocol_dsl.solver.witness import build_witnesses
from tests.solver.support import criteria_over

HEADER = """trial PROOFS {
  title "Random criteria over decimals, durations and dates"
  eligibility_visit SCR
}

visit SCR "Screening" day -7 .. -1

form lab "Laboratory" at SCR {
  a       number "A" range 0 .. 5 required
  b       number "B" range 0 .. 5 required
  washout quantity wk "Washout" range 0 .. 100 required
  stable  quantity mo "Stable for" range 0 .. 100 required
  fasting quantity h "Fasting" range 0 .. 48 required
  seen    date "Seen" required
}
"""

DECIMALS = [0, 0.1, 0.2, 0.3, 0.6, 0.7, 0.9, 1.1, 1.2, 2]
DAYS = [dt.date(2025, 1, d) for d in range(1, 6)]

ops = st.sampled_from([">=", "<=", "<", ">", "=", "!="])


def _atom() -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(
            lambda sign, op, k: f"lab.a {sign} lab.b {op} {k}",
            st.sampled_from(["+", "-"]),
            ops,
            st.sampled_from(["0.3", "0.9", "1.2", "0.4", "2", "-0.2"]),
        ),
        st.builds(
            lambda op, n, unit: f"lab.washout {op} {n} {unit}",
            ops,
            st.sampled_from([12, 13, 84, 91]),
            st.sampled_from(["weeks", "days"]),
        ),
        st.builds(
            lambda op, n, unit: f"lab.stable {op} {n} {unit}",
            ops,
            st.sampled_from([1, 6, 12]),
            st.sampled_from(["months", "years", "weeks"]),
        ),
        st.builds(
            lambda op, n, unit: f"lab.fasting {op} {n} {unit}",
            ops,
            st.sampled_from([1, 8, 480, 24]),
            st.sampled_from(["hours", "minutes", "days"]),
        ),
        st.builds(
            lambda sign, n, unit, op: f"lab.seen {sign} {n} {unit} {op} lab.seen",
            st.sampled_from(["+", "-"]),
            st.sampled_from([5, 23, 25, 48, 1440]),
            st.sampled_from(["hours", "minutes"]),
            ops,
        ),
        st.builds(
            lambda n, op, day: f"lab.seen + {n} hours {op} {day.isoformat()}",
            st.sampled_from([5, 25, 49]),
            ops,
            st.sampled_from(DAYS),
        ),
    )


criteria_lists = criteria_over(_atom)

subjects = st.fixed_dictionaries(
    {
        "a": st.sampled_from(DECIMALS),
        "b": st.sampled_from(DECIMALS),
        "washout": st.sampled_from([0, 11, 12, 13, 100]),
        "stable": st.sampled_from([0, 0.5, 5, 6, 12, 100]),
        "fasting": st.sampled_from([0, 0.5, 7, 8, 24, 48]),
        "seen": st.sampled_from([d.isoformat() for d in DAYS]),
    }
)


def _spec_text(criteria: list[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    lines = [HEADER]
    kinds: dict[str, str] = {}
    counters = {"inclusion": 0, "exclusion": 0}
    for kind, rule in criteria:
        counters[kind] += 1
        cid = f"{kind[0].upper()}{counters[kind]}"
        kinds[cid] = kind
        lines.append(f'{kind} {cid} "Criterion {cid}" = {rule}')
    return "\n".join(lines) + "\n", kinds


def _refuted(code: str, cid: str, statuses: list[dict[str, str]], kinds: dict[str, str]) -> bool:
    """Whether a screened subject contradicts the claim `code` about criterion `cid`."""

    def passes(status: dict[str, str], c: str) -> bool:
        return status[c] == ("met" if kinds[c] == "inclusion" else "not_met")

    everyone = list(kinds)
    if code == "E0401":
        return any(all(passes(s, c) for c in everyone) for s in statuses)
    if code == "W0402":
        return any(s[cid] != "met" for s in statuses)
    if code == "W0403":
        inclusions = [c for c in everyone if kinds[c] == "inclusion"]
        return any(s[cid] == "met" and all(passes(s, i) for i in inclusions) for s in statuses)
    if code == "W0404":
        others = [c for c in everyone if c != cid]
        return any(all(passes(s, o) for o in others) and not passes(s, cid) for s in statuses)
    return False


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(criteria_lists, st.lists(subjects, min_size=20, max_size=40))
def test_no_proof_is_refuted_by_the_interpreter(
    tmp_path: Path, criteria: list[tuple[str, str]], drawn: list[dict[str, Any]]
) -> None:
    text, kinds = _spec_text(criteria)
    path = tmp_path / "proofs.trial"
    path.write_text(text, encoding="utf-8")
    compiled = compile_spec(str(path))
    spec = compiled.spec
    assert spec is not None, [d.message for d in compiled.diagnostics if d.is_error]
    screener = compile_spec_rules(spec)
    records: list[dict[str, Any]] = [
        {"subject_id": f"S{i}", "forms": {"lab": {"SCR": values}}} for i, values in enumerate(drawn)
    ]
    for witness in build_witnesses(spec):
        if witness.pop("witness")["kind"] != "unavailable":
            records.append(witness)
    statuses = []
    for record in records:
        result = screener.screen(record)
        assert not result.invalid, (text, record)
        statuses.append({cid: r.status for cid, r in result.criteria.items()})

    line_to_id = {
        number: line.split()[1]
        for number, line in enumerate(text.splitlines(), start=1)
        if line.startswith(("inclusion", "exclusion"))
    }
    for d in analyse(spec):
        if d.code not in ("E0401", "W0402", "W0403", "W0404"):
            continue
        cid = line_to_id.get(d.span.line, "*")
        event(d.code)
        assert not _refuted(d.code, cid, statuses, kinds), (d.code, d.message, text)


def test_a_date_plus_hours_is_the_same_date_for_the_solver_too(tmp_path: Path) -> None:
    """Regression: E0401 'can never be met' for `date + 5 hours = date`, which holds."""
    text, _kinds = _spec_text([("inclusion", "lab.seen + 5 hours = lab.seen")])
    path = tmp_path / "hours.trial"
    path.write_text(text, encoding="utf-8")
    spec = compile_spec(str(path)).spec
    assert spec is not None
    codes = {d.code for d in analyse(spec)}
    assert "E0401" not in codes
    record = {"subject_id": "S", "forms": {"lab": {"SCR": {"seen": "2025-01-03"}}}}
    assert compile_spec_rules(spec).screen(record).criteria["I1"].status == "met"


def test_one_hour_is_sixty_minutes_in_the_solver_and_the_interpreter(tmp_path: Path) -> None:
    """Regression: `check` said `1 hour = 60 minutes` always holds; the interpreter said no."""
    text, _kinds = _spec_text([("inclusion", "lab.fasting >= 60 minutes")])
    path = tmp_path / "minutes.trial"
    path.write_text(text, encoding="utf-8")
    spec = compile_spec(str(path)).spec
    assert spec is not None
    screener = compile_spec_rules(spec)
    for hours, status in ((1, "met"), (0.5, "not_met"), (2, "met")):
        record = {"subject_id": "S", "forms": {"lab": {"SCR": {"fasting": hours}}}}
        assert screener.screen(record).criteria["I1"].status == status, hours
