"""One row per rule id: a pair of small specs, the change expected and its classification."""

from __future__ import annotations

import pytest

from generators.diff import rules
from generators.diff.compare import diff
from tests.diff.cases import ROWS, Row
from tests.diff.util import compile_text


@pytest.mark.parametrize("case", ROWS, ids=lambda r: r.id)
def test_rule_row(case: Row) -> None:
    old_text, new_text = case.texts()
    changes = diff(compile_text(old_text), compile_text(new_text))
    found = [(c.rule_id, c.direction) for c in changes]
    matching = [c for c in changes if (c.rule_id, c.direction) == (case.rule, case.direction)]
    assert matching, f"expected {case.rule} ({case.direction}), got {found}"
    change = matching[0]
    assert (change.category, change.substantial_eu, change.substantial_fda) == (
        case.category,
        case.eu,
        case.fda,
    ), change.reason_eu + " / " + change.reason_fda
    unexpected = {c.rule_id for c in changes} - {case.rule} - case.also
    assert not unexpected, f"unexpected changes {sorted(unexpected)} in {found}"
    assert change.summary and change.target
    assert change.reason_eu and change.reason_fda


def test_every_rule_has_a_row() -> None:
    covered = {r.rule for r in ROWS}
    missing = sorted(set(rules.RULES) - covered)
    assert not missing, f"rules without a table row: {missing}"


def test_row_rules_exist() -> None:
    for case in ROWS:
        assert case.rule in rules.RULES, case.rule
        assert case.direction in rules.RULES[case.rule].verdicts, case.id


def test_inverse_rules_accept_the_inverse_directions() -> None:
    """Reading a change backwards gives a rule and direction the catalogue knows."""
    for rule in rules.RULES.values():
        inverse = rules.RULES[rule.inverse]
        assert inverse.inverse == rule.id, rule.id
        for direction in rule.directions:
            assert rules.INVERSE_DIRECTION[direction] in inverse.verdicts, (rule.id, direction)


def test_phase_test() -> None:
    assert rules.fda_phase("1") == "1"
    assert rules.fda_phase("1b") == "1"
    assert rules.fda_phase("Ia") == "1"
    assert rules.fda_phase("1/2") == "2/3"
    assert rules.fda_phase("2") == "2/3"
    assert rules.fda_phase(None) == "2/3"
