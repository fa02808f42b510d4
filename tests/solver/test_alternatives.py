"""Dead alternatives (W0415) against brute force over a small finite domain.

A rule `A1 or A2 or …` over an integer `x` (0 .. 12) and a yes/no `flag`; each
alternative is also written as a criterion of its own, so the interpreter
screens every complete subject on each.  Going from the last alternative to the
first, one is dead exactly when no subject meets it without meeting one of the
other alternatives not already found dead.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import compile_spec_rules
from protocol_dsl.solver.alternatives import analyse

HEADER = """trial RANDOM {
  title "Random alternatives"
  eligibility_visit SCR
}

visit SCR "Screening" day -7 .. -1

form lab "Laboratory" at SCR {
  x    integer "A measurement" range 0 .. 12 required
  flag yes_no "A finding" required
}
"""

_atom = st.one_of(
    st.builds(
        lambda op, k: f"lab.x {op} {k}",
        st.sampled_from([">=", "<=", "<", ">", "=", "!="]),
        st.integers(min_value=-1, max_value=13),
    ),
    st.sampled_from(["lab.flag = yes", "lab.flag = no"]),
)
_alternative = st.one_of(_atom, st.builds(lambda a, b: f"({a} and {b})", _atom, _atom))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(_alternative, min_size=2, max_size=4), st.sampled_from(["inclusion", "exclusion"]))
def test_dead_alternatives_agree_with_brute_force(
    tmp_path: Path, alts: list[str], kind: str
) -> None:
    lines = [HEADER, f'{kind} R "Rule" = ' + " or ".join(alts)]
    lines += [f'inclusion A{i} "Alternative {i}" = {a}' for i, a in enumerate(alts)]
    path = tmp_path / "random.trial"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = compile_spec(str(path)).spec
    assert spec is not None
    screener = compile_spec_rules(spec)
    met = []
    for x, flag in itertools.product(range(13), (True, False)):
        result = screener.screen(
            {"subject_id": "S", "forms": {"lab": {"SCR": {"x": x, "flag": flag}}}}
        )
        met.append([result.criteria[f"A{i}"].status == "met" for i in range(len(alts))])
    dead: set[int] = set()
    for i in reversed(range(len(alts))):
        others = [j for j in range(len(alts)) if j != i and j not in dead]
        if others and not any(row[i] and not any(row[j] for j in others) for row in met):
            dead.add(i)
    rule = next(c for c in spec.criteria if c.id == "R")
    found = analyse(spec, [rule])
    assert len(found) == len(dead), lines[1]
    for diagnostic in found:
        event("W0415")
        assert diagnostic.code == "W0415"
