"""Which way a criterion moved when something it reads changed: the solver decides.

A changed lookup value (dexamethasone's prednisone factor), a threshold inside
a definition, a code list a rule tests as a whole: the criterion's own words
are the same, what they mean is not.  The tree comparison cannot say which
way such a change moves eligibility; the solver can.  The criterion is
encoded twice, each time with the definitions of its own version (the old
version's tables, definitions and code lists for the old criterion, the new
version's for the new one), and both encodings are put over the same subject,
in one z3 context: the data items of the two versions share their solver
names, what each encoding invents for itself (its `!`-numbered helper
variables) is kept apart.

A lookup value reaches a criterion through sums and counts over a log's
records, which the solver's check mode leaves free; so the encoding used is
the exact one (the solver's witness mode, which computes aggregates over the
records, over as many record slots as the criterion needs, at most
`RECORDS`; when that is more than the solver's budget allows, again over at
most `FEWER_RECORDS`), and an answer holds for every subject with up to that
many records in each log the criterion reads: the summary says how many.  An
encoding that is not exact somewhere (`Encoder.approximations`) gives no
answer.

As in `proof`, a question is answered only when it is *unsatisfiable* — no
subject meets one version and not the other — which holds for every real
subject; a satisfiable answer, a time-out or an approximated encoding gives no
answer, and the cautious verdict stands.  Without the solver extra there is no
answer either.

The comparison is of the whole criterion under each version: when several
things it reads changed in one amendment, the direction is their joint effect.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from generators.diff.proof import Outcome
from protocol_dsl import model as m
from protocol_dsl.spec import Spec

#: the same budget the contradiction checks give one question
_RLIMIT = 5_000_000

#: the most record slots of one log the exact encoding lays out, then the fewer it falls
#: back on when the first question is beyond the budget
RECORDS = 12
FEWER_RECORDS = 4

#: what the old version's helper variables are numbered after (`sum:medications!previous5`)
PREVIOUS_HELPERS = "previous"


def decided_by(records: int | None) -> str:
    """How the evidence is named in a change's summary."""
    bound = f", for subjects with up to {records} records in each log" if records else ""
    return f"decided by the SMT solver on the criteria read with each version's definitions{bound}"


@attrs.frozen
class Moved:
    """A criterion met by the same subjects, more or fewer; `records` the bound it holds
    within (None: no log read)."""

    outcome: Outcome
    records: int | None


def criterion_moved(
    old: m.Criterion, new: m.Criterion, old_spec: Spec, new_spec: Spec
) -> Moved | None:
    """Whether the new criterion is met by the same subjects as the old one, by more, or by
    fewer, each read with its own version's definitions; None when not proved."""
    for records in (RECORDS, FEWER_RECORDS):
        moved = _moved(old, new, old_spec, new_spec, records)
        if moved is not None:
            return moved
    return None


def _moved(
    old: m.Criterion, new: m.Criterion, old_spec: Spec, new_spec: Spec, records: int
) -> Moved | None:
    if old.rule is None or new.rule is None:  # an attested criterion: nothing to prove
        return None
    try:
        import z3

        from protocol_dsl.solver.encode import Encoder
        from protocol_dsl.solver.terms import as_formula
    except ModuleNotFoundError:  # the solver extra is not installed: no answer
        return None
    # both versions in one context: the subject's variables (items, record slots, visit
    # dates) are the same variables by name; what each encoding invents for itself is kept
    # apart by its helpers' names.  The new version is encoded first: what z3 finds within
    # its budget can depend on the order its terms were made in, and the directions the
    # tests expect were found in this order.
    ctx = z3.Context()
    try:
        after_enc = Encoder(new_spec, "witness", max_records=records, ctx=ctx)
        after = after_enc.criterion(new)
        after_enc.finalize()
        before_enc = Encoder(
            old_spec, "witness", max_records=records, ctx=ctx, helpers=PREVIOUS_HELPERS
        )
        before = before_enc.criterion(old)
        before_enc.finalize()
    except (LookupError, ValueError, TypeError, AttributeError, z3.Z3Exception):
        return None
    if before_enc.approximations or after_enc.approximations:
        return None  # not exact: what is proved of the encoding may not hold of subjects
    old_t, old_f = as_formula(before.t, ctx), as_formula(before.f, ctx)
    new_t, new_f = as_formula(after.t, ctx), as_formula(after.f, ctx)
    # one solver holds what every question shares; a question's own formulas are
    # assumptions of its check, not assertions: they hold for that check alone, and what
    # the solver learns of the shared part carries over to the next question (which
    # push and pop would discard)
    solver = z3.Solver(ctx=ctx)
    solver.set("rlimit", _RLIMIT)
    solver.add(*after_enc.constraints, *before_enc.constraints)

    def never(*formulas: Any) -> bool:
        return bool(solver.check(*formulas) == z3.unsat)

    gains_nobody = never(new_t, z3.Not(old_t)) and never(old_f, z3.Not(new_f))
    loses_nobody = never(old_t, z3.Not(new_t)) and never(new_f, z3.Not(old_f))
    # asked last, when the solver has already taken the shared part in (after a question
    # with an answer it is immediate): whatever the questions found is void if the two
    # versions' constraints on one subject contradict, as there is then no common ground
    if never():
        return None
    laid_out = [len(slots) for enc in (before_enc, after_enc) for slots in enc.slots.values()]
    bound = min(laid_out) if laid_out else None
    if gains_nobody and loses_nobody:
        return Moved("equivalent", bound)
    if loses_nobody:
        return Moved("wider", bound)
    if gains_nobody:
        return Moved("narrower", bound)
    return None


def eligibility_moved(
    criteria: Sequence[str], old_spec: Spec, new_spec: Spec
) -> tuple[str, int | None] | None:
    """("widened" or "narrowed", the bound on records it holds within) when the solver
    decides every criterion in `criteria` moved the same way (or not at all) and at least
    one moved; None otherwise."""
    olds = {c.id: c for c in old_spec.criteria}
    news = {c.id: c for c in new_spec.criteria}
    effects: set[int] = set()
    bounds: list[int] = []
    for cid in criteria:
        o, n = olds.get(cid), news.get(cid)
        if o is None or n is None or o.kind != n.kind:
            return None
        moved = criterion_moved(o, n, old_spec, new_spec)
        if moved is None:
            return None
        if moved.records is not None:
            bounds.append(moved.records)
        met = {"equivalent": 0, "wider": 1, "narrower": -1}[moved.outcome]
        # met by more subjects widens an inclusion and narrows an exclusion
        effects.add(met if n.kind == "inclusion" else -met)
    ways = effects - {0}
    if len(ways) != 1:
        return None
    return ("widened" if ways == {1} else "narrowed"), min(bounds) if bounds else None
