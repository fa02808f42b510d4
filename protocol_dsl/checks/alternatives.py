"""Dead alternatives of a rule's `or` (W0415), from the solver (`solver.alternatives`).

Only criteria whose rule is a top-level `or` with two alternatives that read
something in common are encoded (the solver's queries cost more than the rest
of the checks together).  An alternative that shares no item, date or
definition with the others implies them only if it can never be met at all or
they always are: the second makes the whole rule constant (W0402, W0403); the
first is reported by the range check when it is one comparison outside its
item's range (E0405), and otherwise not by this check.
"""

from __future__ import annotations

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Scope, Spec, walk_scoped


def check(spec: Spec) -> list[Diagnostic]:
    criteria = selected(spec)
    if not criteria:
        return []
    from protocol_dsl.solver.alternatives import analyse

    return analyse(spec, criteria)


def selected(spec: Spec) -> list[m.Criterion]:
    """The criteria the solver is asked about: an `or` whose alternatives read something
    in common."""
    return [c for c in spec.criteria if alternatives_overlap(spec, c)]


def alternatives_overlap(spec: Spec, criterion: m.Criterion) -> bool:
    """Whether the solver is asked about `criterion`: its rule is an `or` whose
    alternatives read something in common."""
    rule = criterion.rule
    return (
        rule is not None
        and isinstance(rule, m.Logic)
        and rule.op == "or"
        and _alternatives_overlap(spec, rule)
    )


def _alternatives_overlap(spec: Spec, rule: m.Expr) -> bool:
    from protocol_dsl.solver.alternatives import alternatives

    seen: set[int] = set()
    for alternative in alternatives(rule):
        reads = _reads(spec, alternative)
        if reads & seen:
            return True
        seen |= reads
    return False


def _reads(spec: Spec, expr: m.Expr) -> set[int]:
    """What an expression reads, through definitions, derived values and anchors: each
    declaration (by identity), the forms it quantifies over, and a score's form (a
    score and its parts read the same items)."""
    found: set[int] = set()
    stack: list[tuple[m.Expr, Scope]] = [(expr, Scope(spec))]
    while stack:
        node_expr, scope = stack.pop()
        for node, here in walk_scoped(node_expr, scope):
            if isinstance(node, m.Quantifier):
                found.add(hash(("form", node.form)))
            if not isinstance(node, m.Ref):
                continue
            symbol = here.owner.resolve(node.parts, here)
            if symbol is None or symbol.kind in ("value", "codelist", "table"):
                continue  # a code-list value or a table links no two subjects' data
            if symbol.kind in ("score", "score_part") and symbol.form is not None:
                found.add(id(symbol.form))  # a score and its parts read the same items
            if id(symbol.decl) in found:
                continue
            found.add(id(symbol.decl))
            inner = getattr(symbol.decl, "expr", None)
            if symbol.kind in ("define", "derive", "anchor") and inner is not None:
                stack.append((inner, Scope(symbol.owner, symbol.form)))
    return found
