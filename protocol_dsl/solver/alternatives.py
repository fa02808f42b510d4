"""Dead alternatives: a part of an `or` that never admits (or excludes) anyone on its own.

A rule `A or B` whose `B` implies `A` says the same as `A`: `B` is dead, and
usually a slip made elsewhere (`SLEDAI-2K >= 8 or (SLEDAI-2K >= 6 and low
complement)` with the 8 typed as 6 makes the second alternative unreachable).
For each alternative of a rule's top-level `or`, the query "this alternative is
met and none of the others is" over the over-approximating check encoding
(`encode`, complete data) being *unsatisfiable* proves it for every real
subject, so a finding is never a false alarm of the abstraction.  An alternative
found dead is left out of the others' queries, so two equal alternatives give
one finding (on the later one), not two.
"""

from __future__ import annotations

from collections.abc import Iterator

import z3

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.solver.collection import shared_encoder
from protocol_dsl.solver.encode import Ctx, Encoder
from protocol_dsl.solver.terms import all_of, any_of, as_formula, negation
from protocol_dsl.spec import Spec
from protocol_dsl.syntax import printer

#: Solver effort per query (deterministic, like `logic.RLIMIT`).
RLIMIT = 2_000_000


def alternatives(expr: m.Expr) -> list[m.Expr]:
    """The operands of a top-level `or` chain, in source order."""
    if isinstance(expr, m.Logic) and expr.op == "or":
        return alternatives(expr.left) + alternatives(expr.right)
    return [expr]


def analyse(spec: Spec, criteria: list[m.Criterion]) -> list[Diagnostic]:
    encoder = shared_encoder(spec)
    # with the collection switch off: every item known (complete data)
    complete = negation(encoder.collected)
    parts: list[tuple[m.Criterion, list[m.Expr], list[z3.BoolRef]]] = []
    for criterion in criteria:
        assert criterion.rule is not None
        alts = alternatives(criterion.rule)
        conds = [_cond(encoder, a) for a in alts]
        parts.append((criterion, alts, conds))
    encoder.finalize()
    solver = z3.Solver(ctx=encoder.ctx)
    solver.set("rlimit", RLIMIT)
    solver.add(*[as_formula(constraint, encoder.ctx) for constraint in encoder.constraints])
    found: list[Diagnostic] = []
    for criterion, alts, conds in parts:
        found.extend(_dead(solver, criterion, alts, [all_of(complete, c) for c in conds]))
    return found


def _cond(encoder: Encoder, expr: m.Expr) -> z3.BoolRef:
    cond = encoder._cond(encoder.encode(expr, Ctx(encoder.spec)))
    return as_formula(cond.t, encoder.ctx)


def _dead(
    solver: z3.Solver, criterion: m.Criterion, alts: list[m.Expr], conds: list[z3.BoolRef]
) -> Iterator[Diagnostic]:
    dead: set[int] = set()
    found: list[tuple[int, Diagnostic]] = []
    # the later alternatives first: of two equal ones, the later is the one reported
    for i in reversed(range(len(alts))):
        alt = alts[i]
        others = [j for j in range(len(alts)) if j != i and j not in dead]
        if not others:
            continue
        query = as_formula(
            all_of(conds[i], negation(any_of([conds[j] for j in others]))), solver.ctx
        )
        if solver.check(query) != z3.unsat:
            continue
        dead.add(i)
        # the alternatives that cover it: a minimal set, for the labels
        covering = [j for j in others]
        for j in list(covering):
            trial = [k for k in covering if k != j]
            if not trial:
                break
            query = as_formula(
                all_of(conds[i], negation(any_of([conds[k] for k in trial]))), solver.ctx
            )
            if solver.check(query) == z3.unsat:
                covering = trial
        found.append((i, _finding(criterion, alt, [alts[j] for j in covering])))
    for _i, diagnostic in sorted(found, key=lambda pair: pair[0]):
        yield diagnostic


def _finding(criterion: m.Criterion, alt: m.Expr, covering: list[m.Expr]) -> Diagnostic:
    effect = "admits nobody" if criterion.kind == "inclusion" else "excludes nobody"
    shown = " or ".join(f"`{_short(printer.expr(c))}`" for c in covering)
    return Diagnostic(
        "W0415",
        "warning",
        f"an alternative of {criterion.kind} {criterion.id} {effect} on its own: every "
        f"subject who meets `{_short(printer.expr(alt))}` meets {shown} already",
        alt.span,
        labels=tuple(Label(c.span, "already covers it") for c in covering),
        notes=(
            "with complete data; a dead alternative is usually a threshold mistyped in another one",
        ),
        help="check the thresholds of the alternatives: one of them was probably meant to "
        "be narrower or wider",
    )


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
