"""Conditional collection: a rule that reads an item outside the condition it is collected under.

W0411 (a criterion that stays unknown for a subgroup whose collected data are
complete) and W0412 (a criterion that can never be met, or never fail, with the
data the protocol collects) come from the solver
(`protocol_dsl.solver.collection`).  Only the criteria that read an item
collected `when` a condition holds (directly or through definitions, derived
values, anchors and scores) are handed to it, so a spec without such items
costs nothing and one with a few costs a few small queries.
"""

from __future__ import annotations

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Scope, Spec, Symbol, walk_scoped


def check(spec: Spec) -> list[Diagnostic]:
    criteria = selected(spec)
    if not criteria:
        return []
    from protocol_dsl.solver.collection import analyse

    return analyse(spec, criteria)


def selected(spec: Spec) -> list[m.Criterion]:
    """The criteria the solver is asked about: those that read a conditional item."""
    memo: dict[int, bool] = {}
    return [c for c in spec.criteria if reads_conditional(spec, c, memo)]


def reads_conditional(spec: Spec, criterion: m.Criterion, memo: dict[int, bool]) -> bool:
    """Whether the solver is asked about `criterion`: its rule reads a conditional item.
    `memo` keeps the answer per declaration read, shared by the criteria of one spec."""
    return criterion.rule is not None and _reads_conditional(spec, criterion.rule, memo)


def _reads_conditional(spec: Spec, rule: m.Expr, memo: dict[int, bool]) -> bool:
    """Does `rule` read a conditional item?  `memo` keeps the answer per declaration,
    shared by the criteria of one spec."""
    return _reads_in(rule, Scope(spec), memo)


def _reads_in(expr: m.Expr, scope: Scope, memo: dict[int, bool]) -> bool:
    for node, here in walk_scoped(expr, scope):
        if not isinstance(node, m.Ref):
            continue
        symbol = here.owner.resolve(node.parts, here)
        if symbol is None:
            continue
        key = id(symbol.decl)
        if key not in memo:
            memo[key] = False  # a definition that reads itself is reported elsewhere
            memo[key] = _symbol_reads(symbol, memo)
        if memo[key]:
            return True
    return False


def _symbol_reads(symbol: Symbol, memo: dict[int, bool]) -> bool:
    if symbol.kind == "item":
        return getattr(symbol.decl, "when", None) is not None
    if symbol.kind in ("score", "score_part"):
        form = symbol.form
        if form is None and isinstance(symbol.decl, m.Score):
            form = symbol.owner.score_form(symbol.decl)
        # a score whose form has a conditional item may read it: let the solver look
        return form is None or any(i.when is not None for i in form.items)
    inner = getattr(symbol.decl, "expr", None)
    if symbol.kind in ("define", "derive", "anchor") and inner is not None:
        return _reads_in(inner, Scope(symbol.owner, symbol.form), memo)
    return False
