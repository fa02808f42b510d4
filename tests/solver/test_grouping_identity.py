"""The fast term walk of `groups` finds exactly the groups a plain walk through z3's API finds.

`groups.Linker` calls z3's C functions directly; the reference here collects
each formula's variables (uninterpreted constants) with z3's Python API and
joins criteria and domain constraints that share one.  Both must give the same
criteria in the same groups with the same domain constraints, on the case
specs, the real specs and a synthetic spec with hundreds of criteria.  A term
without variables shared by two formulas (a unit factor such as
``ToReal(1000)``) must not join them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import z3

from protocol_dsl.compiler import compile_spec
from protocol_dsl.solver.encode import Encoder, formal_criteria
from protocol_dsl.solver.groups import connected_groups
from protocol_dsl.solver.terms import as_formula
from protocol_dsl.spec import Spec
from protocol_dsl.syntax.loader import load
from tests.solver.support import CASES, ROOT, SPECS, synthetic_text


def _reference(
    ids: list[str], rules: dict[str, list[z3.BoolRef]], constraints: list[z3.BoolRef]
) -> list[tuple[list[str], list[int]]]:
    parent: dict[object, object] = {}

    def find(key: object) -> object:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    def join(a: object, b: object) -> None:
        parent[find(a)] = find(b)

    def variables(formula: z3.ExprRef) -> list[int]:
        seen: set[int] = set()
        found: list[int] = []
        stack = [formula]
        while stack:
            term = stack.pop()
            if term.get_id() in seen:
                continue
            seen.add(term.get_id())
            if z3.is_const(term) and term.decl().kind() == z3.Z3_OP_UNINTERPRETED:
                found.append(term.get_id())
            stack.extend(term.children())
        return found

    for criterion in ids:
        for rule in rules[criterion]:
            for variable in variables(rule):
                join(("criterion", criterion), variable)
    keys = []
    for constraint in constraints:
        found = variables(constraint)
        for variable in found[1:]:
            join(found[0], variable)
        keys.append(found[0] if found else None)
    members: dict[object, list[str]] = {}
    for criterion in ids:
        members.setdefault(find(("criterion", criterion)), []).append(criterion)
    needed: dict[object, list[int]] = {root: [] for root in members}
    for constraint, key in zip(constraints, keys, strict=True):
        if key is not None and find(key) in needed:
            needed[find(key)].append(constraint.get_id())
    return [(group, needed[root]) for root, group in members.items()]


def _both(spec: Spec) -> tuple[list, list]:
    criteria = formal_criteria(spec)
    encoder = Encoder(spec, "check")
    conds = {c.id: encoder.criterion(c) for c in criteria}
    encoder.finalize()
    ctx = encoder.ctx
    rules = {
        c.id: [
            z3.Implies(z3.Bool(f"on:{c.id}", ctx), as_formula(Encoder.passes(c, conds[c.id]), ctx))
        ]
        for c in criteria
    }
    ids = [c.id for c in criteria]
    fast = [
        (group, [c.get_id() for c in needed])
        for group, needed in connected_groups(ctx, ids, rules, encoder.constraints)
    ]
    return fast, _reference(ids, rules, encoder.constraints)


SPEC_FILES = sorted(CASES.glob("*.trial")) + sorted(SPECS.glob("*.trial"))


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.name)
def test_groups_match_a_plain_walk_on_case_and_real_specs(path: Path) -> None:
    result = compile_spec(str(path))
    assert result.spec is not None
    if not formal_criteria(result.spec):
        pytest.skip("no formal criteria")
    fast, reference = _both(result.spec)
    assert fast == reference


def test_groups_match_a_plain_walk_on_a_synthetic_spec() -> None:
    spec, _problems, _ = load(str(ROOT / "synthetic.trial"), synthetic_text(1500))
    assert spec is not None
    fast, reference = _both(spec)
    assert fast == reference
    # every inclusion reads only its own laboratory value: alone in its group (they
    # share a unit conversion factor, a term without variables); the exclusions
    # all read the first dose's date: one group
    criteria = [c.id for c in formal_criteria(spec)]
    inclusions = [i for i in criteria if i.startswith("I")]
    exclusions = [i for i in criteria if i.startswith("E")]
    assert sorted(group for group, _ in fast) == sorted([[i] for i in inclusions] + [exclusions])
