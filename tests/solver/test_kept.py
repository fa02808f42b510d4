"""A part analysed in a context kept between edits (`solver.kept`) gives, after every edit
of the numbers in its rules, what a fresh analysis of the edited spec gives: the same
findings (code, message, spans, labels, notes), groups and effort counts.

The edits are made to the text and the spec is loaded again, as the language server
does; each is compared with `analyse_criteria(only=…)` on the edited spec, itself
pinned to the whole spec's findings by `test_links`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import z3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl import model as m
from protocol_dsl.diagnostics import has_errors
from protocol_dsl.solver import links
from protocol_dsl.solver.encode import formal_criteria, items_tested_for_missing
from protocol_dsl.solver.kept import KeptPart, same_but_numbers
from protocol_dsl.solver.logic import WORK_LIMIT, Analysis, analyse_criteria
from protocol_dsl.spec import Scope, Spec, walk_scoped
from protocol_dsl.syntax.loader import load
from tests.solver.support import CASES, SPECS
from tests.solver.test_findings_identity import _finding

_NUMBER = re.compile(r"\d+(\.\d+)?")


def _load(path: str, text: str) -> Spec | None:
    spec, problems, _ = load(path, text)
    return None if spec is None or has_errors(problems) else spec


def _parts(spec: Spec) -> list[list[m.Criterion]]:
    reads = links.Reads(spec)
    criteria = formal_criteria(spec)
    part = links.parts({c.id: reads.criterion(c) for c in criteria})
    members: dict[int, list[m.Criterion]] = {}
    for c in criteria:
        members.setdefault(part[c.id], []).append(c)
    return [one for one in members.values() if KeptPart.fits(one)]


def _numbers(spec: Spec, ids: set[str], text: str) -> list[tuple[int, int]]:
    """The places (start, end) of the numbers written in these criteria's rules."""
    found = []
    for c in formal_criteria(spec):
        if c.id not in ids or c.span.file != spec.path:
            continue
        assert c.rule is not None
        for node, _ in walk_scoped(c.rule, Scope(spec)):
            if isinstance(node, m.NumberLit | m.QuantityLit):
                number = _NUMBER.search(text, node.span.start, node.span.end)
                if number is not None:
                    found.append(number.span())
    return sorted(set(found))


def _report(analysis: Analysis) -> tuple:
    return (
        [(c, _finding(d)) for c, d in analysis.findings],
        analysis.groups,
        analysis.work,
        analysis.work_of,
        analysis.gave_up,
    )


def _fresh(spec: Spec, ids: set[str]) -> Analysis:
    return analyse_criteria(spec, ids, knowable=items_tested_for_missing(spec))


def _specs() -> Iterator[tuple[str, str]]:
    for folder in (SPECS, CASES):
        for path in sorted(folder.rglob("*.trial")):
            yield str(path), path.read_text(encoding="utf-8")


SPEC_TEXTS = [
    (path, text) for path, text in _specs() if (spec := _load(path, text)) and _parts(spec)
]


@settings(
    max_examples=int(os.environ.get("KEPT_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    which=st.integers(0, 10_000),
    edits=st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.sampled_from(["0", "1", "2", "5", "18", "75", "100", "999", "0.5", "12.25"]),
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_a_kept_part_after_number_edits_is_analysed_as_from_scratch(
    which: int, edits: list[tuple[int, str]]
) -> None:
    path, text = SPEC_TEXTS[which % len(SPEC_TEXTS)]
    spec = _load(path, text)
    assert spec is not None
    parts = _parts(spec)
    criteria = parts[which % len(parts)]
    ids = {c.id for c in criteria}
    knowable = items_tested_for_missing(spec)
    kept = KeptPart(spec, criteria, knowable, z3.Context())
    assert _report(kept.analyse(spec, criteria, WORK_LIMIT)) == _report(_fresh(spec, ids))
    for place, value in edits:
        numbers = _numbers(spec, ids, text)
        if not numbers:
            return
        start, end = numbers[place % len(numbers)]
        edited = text[:start] + value + text[end:]
        now = _load(path, edited)
        if now is None or items_tested_for_missing(now) != knowable:
            continue  # an edit the server analyses whole (see `lsp.whole_set`)
        text, spec = edited, now
        criteria = [c for c in formal_criteria(spec) if c.id in ids]
        assert kept.follows(criteria)
        assert _report(kept.analyse(spec, criteria, WORK_LIMIT)) == _report(_fresh(spec, ids))


def test_digit_edits_in_every_rule_of_the_real_specs_are_analysed_as_from_scratch() -> None:
    checked = 0
    for path, text in _specs():
        if Path(path).parent != SPECS:
            continue
        spec = _load(path, text)
        assert spec is not None
        for criteria in _parts(spec):
            ids = {c.id for c in criteria}
            kept = KeptPart(spec, criteria, items_tested_for_missing(spec), z3.Context())
            kept.analyse(spec, criteria, WORK_LIMIT)
            for start, end in _numbers(spec, ids, text):
                digit = end - 1
                edited = text[:digit] + str((int(text[digit]) + 1) % 10) + text[digit + 1 :]
                now = _load(path, edited)
                if now is None:
                    continue
                text, spec = edited, now
                criteria = [c for c in formal_criteria(spec) if c.id in ids]
                assert kept.follows(criteria)
                assert _report(kept.analyse(spec, criteria, WORK_LIMIT)) == _report(
                    _fresh(spec, ids)
                ), (path, start)
                checked += 1
    assert checked > 30


def test_only_numbers_may_differ() -> None:
    spec = _load("a.trial", _TWO)
    other = _load("a.trial", _TWO.replace(">= 18", ">= 21").replace("< 2 mg", "< 3.5 mg"))
    changed = _load("a.trial", _TWO.replace(">= 18", "> 18"))
    unit = _load("a.trial", _TWO.replace("< 2 mg", "< 2 g"))
    assert spec is not None and other is not None and changed is not None and unit is not None
    assert same_but_numbers(spec.criteria, other.criteria)
    assert not same_but_numbers(spec.criteria, changed.criteria)
    assert not same_but_numbers(spec.criteria, unit.criteria)


_TWO = """\
trial TWO {
  title "Two criteria"
  eligibility_visit SCR
}

visit SCR "Screening" day -28 .. -1

form screening "Screening" at SCR {
  age  integer "Age" range 0 .. 120
  dose quantity mg "Dose" range 0 .. 100
}

inclusion I1 "Adult" = screening.age >= 18
exclusion E1 "Low dose" = screening.dose < 2 mg
"""


def test_a_part_is_encoded_afresh_after_many_versions() -> None:
    from protocol_dsl.solver import kept as kept_module

    spec = _load("a.trial", _TWO)
    assert spec is not None
    criteria = list(spec.criteria)
    part = KeptPart(spec, criteria, items_tested_for_missing(spec), z3.Context())
    part.analyse(spec, criteria, WORK_LIMIT)
    for value in range(19, 19 + kept_module.VERSIONS):
        now = _load("a.trial", _TWO.replace(">= 18", f">= {value}"))
        assert now is not None
        assert part.follows(list(now.criteria))
        part.analyse(now, list(now.criteria), WORK_LIMIT)
    assert not part.follows(list(now.criteria))
