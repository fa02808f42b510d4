"""Dead alternatives of a rule's `or` (W0415), from the solver (`solver.alternatives`).

Only criteria whose rule is a top-level `or` are encoded, so a spec without
one costs nothing.
"""

from __future__ import annotations

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec


def check(spec: Spec) -> list[Diagnostic]:
    criteria = [
        c
        for c in spec.criteria
        if c.rule is not None and isinstance(c.rule, m.Logic) and c.rule.op == "or"
    ]
    if not criteria:
        return []
    from protocol_dsl.solver.alternatives import analyse

    return analyse(spec, criteria)
