"""The solver against brute force: random criteria over a small finite domain.

Subjects have an integer item `x` (range 0 .. 12) and a yes/no item `flag`,
so every complete subject can be screened by the interpreter.  The solver's
findings must be exactly what brute force finds (the encoding is exact on this
domain, and every finding must be true), and every witness must be judged by
the interpreter as it says.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import compile_spec_rules
from protocol_dsl.solver.logic import analyse
from protocol_dsl.solver.witness import build_witnesses
from tests.solver.support import criteria_over

HEADER = """trial RANDOM {
  title "Random criteria"
  eligibility_visit SCR
}

visit SCR "Screening" day -7 .. -1

form lab "Laboratory" at SCR {
  x    integer "A measurement" range 0 .. 12 required
  flag yes_no "A finding" required
}
"""

VALUES = range(0, 13)
numbers = st.integers(min_value=-2, max_value=14)


def _atom() -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(
            lambda op, k: f"lab.x {op} {k}",
            st.sampled_from([">=", "<=", "<", ">", "=", "!="]),
            numbers,
        ),
        st.builds(lambda a, b: f"lab.x between {a} and {b}", numbers, numbers),
        st.sampled_from(["lab.flag = yes", "lab.flag = no"]),
    )


criteria_lists = criteria_over(_atom)


def _spec_text(criteria: list[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    lines = [HEADER]
    ids: dict[str, str] = {}
    counters = {"inclusion": 0, "exclusion": 0}
    for kind, rule in criteria:
        counters[kind] += 1
        cid = f"{kind[0].upper()}{counters[kind]}"
        ids[cid] = kind
        lines.append(f'{kind} {cid} "Criterion {cid}" = {rule}')
    return "\n".join(lines) + "\n", ids


def _expected(statuses: list[dict[str, str]], ids: dict[str, str]) -> set[tuple[str, str]]:
    """The findings brute force proves, as (code, criterion) pairs."""

    def passes(status: dict[str, str], cid: str) -> bool:
        wanted = "met" if ids[cid] == "inclusion" else "not_met"
        return status[cid] == wanted

    def meets(status: dict[str, str], cid: str) -> bool:
        return status[cid] == "met"

    everyone = list(ids)
    inclusions = [c for c in everyone if ids[c] == "inclusion"]
    found: set[tuple[str, str]] = set()
    if not any(all(passes(s, c) for c in everyone) for s in statuses):
        found.add(("E0401", "*"))
        for c in everyone:
            if ids[c] == "inclusion" and all(meets(s, c) for s in statuses):
                found.add(("W0402", c))
            if ids[c] == "exclusion" and not any(meets(s, c) for s in statuses):
                found.add(("W0403", c))
        return found
    for c in everyone:
        others = [o for o in everyone if o != c]
        if any(all(passes(s, o) for o in others) and not passes(s, c) for s in statuses):
            continue
        if ids[c] == "inclusion":
            always = all(meets(s, c) for s in statuses)
            found.add(("W0402" if always else "W0404", c))
        else:
            ever = any(meets(s, c) and all(passes(s, i) for i in inclusions) for s in statuses)
            found.add(("W0404" if ever else "W0403", c))
    return found


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(criteria_lists)
def test_findings_and_witnesses_agree_with_brute_force(
    tmp_path: Path, criteria: list[tuple[str, str]]
) -> None:
    text, ids = _spec_text(criteria)
    path = tmp_path / "random.trial"
    path.write_text(text, encoding="utf-8")
    spec = compile_spec(str(path)).spec
    assert spec is not None
    screener = compile_spec_rules(spec)
    statuses = []
    for x, flag in itertools.product(VALUES, (True, False)):
        subject = {"subject_id": "S", "forms": {"lab": {"SCR": {"x": x, "flag": flag}}}}
        result = screener.screen(subject)
        statuses.append({cid: r.status for cid, r in result.criteria.items()})

    line_to_id = {
        number: line.split()[1]
        for number, line in enumerate(text.splitlines(), start=1)
        if line.startswith(("inclusion", "exclusion"))
    }
    found = set()
    for d in analyse(spec):
        if d.code == "E0401":
            found.add(("E0401", "*"))
            named = [line_to_id[d.span.line]] + [line_to_id[lb.span.line] for lb in d.labels]
            _assert_minimal_conflict(named, statuses, ids)
        else:
            found.add((d.code, line_to_id[d.span.line]))
    assert found == _expected(statuses, ids), text
    for code, _criterion in sorted(found):
        event(code)

    for witness in build_witnesses(spec):
        meta = witness.pop("witness")
        if meta["kind"] == "unavailable":
            continue
        result = screener.screen(witness)
        assert not result.invalid
        if meta["kind"] == "eligible":
            assert result.status == "eligible", (text, witness)
        else:
            assert result.status == "ineligible", (text, witness)
            assert result.failed == [meta["criterion"]], (text, witness)


def _assert_minimal_conflict(
    named: list[str], statuses: list[dict[str, str]], ids: dict[str, str]
) -> None:
    def admits(criteria: list[str]) -> bool:
        wanted = {c: "met" if ids[c] == "inclusion" else "not_met" for c in criteria}
        return any(all(s[c] == wanted[c] for c in criteria) for s in statuses)

    assert not admits(named)
    for left_out in named:
        assert admits([c for c in named if c != left_out])
