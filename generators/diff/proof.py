"""Two versions of a criterion's rule proved to mean the same, or to move one way, by the solver.

The tree comparison (`conditions`) reads a threshold moved or a term added;
it cannot see that `a or b or c` is `c or a or b`, that `not (x > 5)` is
`x <= 5`, or which way a rule rewritten from scratch moved.  The SMT solver
can: both rules are encoded over the same subject (the new version's data
dictionary) in the solver's check mode, whose formulas admit every real
subject, and a question is answered only when the answer is *unsatisfiable*
— "no subject meets one and not the other" — which then holds for every real
subject.  Anything else (a satisfiable answer, a time-out, an encoding the
solver approximates with free variables) proves nothing and gives no answer.

The old rule is read in the new version's dictionary, so the caller asks
only when nothing the criterion depends on changed (no dependency change was
reported for it): otherwise the same words could mean two things.

Without the solver extra installed there is no proof, and the diff falls back
on the tree comparison's cautious verdict.
"""

from __future__ import annotations

from typing import Literal

import attrs

from protocol_dsl import model as m
from protocol_dsl.spec import Spec

#: the same budget the contradiction checks give one question
_RLIMIT = 5_000_000

Outcome = Literal["equivalent", "wider", "narrower"]

#: how the evidence is named in a change's summary
PROVED_BY = "proved by the SMT solver"


def compare(old_rule: m.Expr, new: m.Criterion, new_spec: Spec) -> Outcome | None:
    """Whether the new rule is met by exactly the same subjects as `old_rule`, by more (every
    subject meeting the old one meets the new one), or by fewer; None when not proved."""
    try:
        import z3

        from protocol_dsl.solver.encode import Encoder
        from protocol_dsl.solver.terms import as_formula
    except ModuleNotFoundError:  # the solver extra is not installed: no proof
        return None
    encoder = Encoder(new_spec, "check")
    previous = attrs.evolve(new, id=f"{new.id}@previous", rule=old_rule)  # type: ignore[misc]
    try:
        before = encoder.criterion(previous)
        after = encoder.criterion(new)
        encoder.finalize()
    except (LookupError, ValueError, TypeError, AttributeError, z3.Z3Exception):
        # the old rule names something the new dictionary no longer has: no common ground
        return None
    ctx = encoder.ctx

    def never(*formulas: z3.BoolRef) -> bool:
        solver = z3.Solver(ctx=ctx)
        solver.set("rlimit", _RLIMIT)
        solver.add(*encoder.constraints)
        solver.add(*formulas)
        return bool(solver.check() == z3.unsat)

    old_t, old_f = as_formula(before.t, ctx), as_formula(before.f, ctx)
    new_t, new_f = as_formula(after.t, ctx), as_formula(after.f, ctx)
    # met for more subjects and not met for fewer, in three-valued logic
    gains_nobody = never(new_t, z3.Not(old_t)) and never(old_f, z3.Not(new_f))
    loses_nobody = never(old_t, z3.Not(new_t)) and never(new_f, z3.Not(old_f))
    if gains_nobody and loses_nobody:
        return "equivalent"
    if loses_nobody:
        return "wider"
    if gains_nobody:
        return "narrower"
    return None
