"""What the solver proves about analysis sets and subgroups (W1041, W1042).

Each population rule is encoded like an inclusion criterion, in the
over-approximating check mode of `encode`, so a finding rests on an
unsatisfiable query and holds for real subjects (a satisfiable answer, or a
query that runs out of effort, finds nothing):

* W1041 no subject can belong to the population: its rule cannot be met;
* W1042 two populations have the same members: no subject meets one rule
  and fails the other (for subjects whose data decide both; with missing
  data either may be unknown).

The check mode reasons about subjects with complete data, modelling a
missing value only for items a rule tests with `is known`/`is missing`.  A
rule that tests whether something else is known (an anchor's date, a
definition) is a question about missing data the encoding does not ask, so
such a population takes part in no finding.  The queries are one per
population and one per pair, a few dozen for a real protocol.
"""

from __future__ import annotations

from collections.abc import Iterator

import z3

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.solver.encode import Encoder
from protocol_dsl.solver.terms import B, Cond, all_of, any_of, as_formula
from protocol_dsl.spec import Scope, Spec, walk_scoped

#: Solver effort per query (deterministic): running out means no finding.
RLIMIT = 2_000_000


def analyse(spec: Spec) -> Iterator[Diagnostic]:
    populations = [
        p for p in spec.populations.values() if not _tests_unmodelled_missing(spec, p.rule)
    ]
    if not populations:
        return
    encoder = Encoder(spec, "check")
    conds: dict[str, Cond] = {}
    for population in populations:
        as_criterion = m.Criterion(
            "inclusion",
            f"population:{population.name}",
            population.label or population.name,
            population.rule,
            span=population.span,
        )
        conds[population.name] = encoder.criterion(as_criterion)
    encoder.finalize()
    solver = z3.Solver(ctx=encoder.ctx)
    solver.set("rlimit", RLIMIT)
    for constraint in encoder.constraints:
        solver.add(as_formula(constraint, encoder.ctx))
    if solver.check() != z3.sat:
        return  # the data dictionary itself admits no subject: other checks say why
    empty: set[str] = set()
    for population in populations:
        if _never(solver, conds[population.name].t, encoder.ctx):
            empty.add(population.name)
            yield Diagnostic(
                "W1041",
                "warning",
                f"no subject can belong to the {population.kind} '{population.name}': "
                "its rule can never be met",
                population.rule.span,
                help="check the rule's thresholds and the items' allowed ranges",
            )
    for k, first in enumerate(populations):
        for second in populations[k + 1 :]:
            if first.name in empty or second.name in empty:
                continue
            a, b = conds[first.name], conds[second.name]
            differ = any_of(all_of(a.t, b.f), all_of(a.f, b.t))
            if _never(solver, differ, encoder.ctx):
                yield Diagnostic(
                    "W1042",
                    "warning",
                    f"the {second.kind} '{second.name}' has the same members as the "
                    f"{first.kind} '{first.name}': no subject meets one rule and not the other",
                    second.rule.span,
                    labels=(Label(first.rule.span, f"the rule of '{first.name}'"),),
                    help="two names for one set of subjects: remove one, or make the rules "
                    "say what distinguishes them",
                )


def _never(solver: z3.Solver, condition: B, ctx: z3.Context) -> bool:
    """Whether `condition` is unsatisfiable with the domain constraints (unknown: no)."""
    solver.push()
    try:
        solver.add(as_formula(condition, ctx))
        return solver.check() == z3.unsat
    finally:
        solver.pop()


def _tests_unmodelled_missing(spec: Spec, rule: m.Expr) -> bool:
    """Whether `rule`, or a definition it reads, tests whether a value other than an item
    is known (see the module docstring)."""
    seen: set[int] = set()
    stack: list[tuple[m.Expr, Scope]] = [(rule, Scope(spec))]
    while stack:
        expr, scope = stack.pop()
        for node, inner in walk_scoped(expr, scope):
            if isinstance(node, m.IsKnown):
                target = node.expr.expr if isinstance(node.expr, m.AtVisit) else node.expr
                symbol = (
                    inner.owner.resolve(target.parts, inner) if isinstance(target, m.Ref) else None
                )
                if symbol is None or symbol.kind != "item":
                    return True
            if isinstance(node, m.Ref):
                symbol = inner.owner.resolve(node.parts, inner)
                if symbol is not None and symbol.kind == "define" and id(symbol.decl) not in seen:
                    seen.add(id(symbol.decl))
                    define = symbol.decl
                    assert isinstance(define, m.Define)
                    stack.append((define.expr, Scope(symbol.owner)))
    return False
