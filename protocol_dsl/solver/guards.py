"""The fix of W0411: guard the reading of a conditional item with its `when` condition.

A rule that reads `labs.pregnancy_test` outside the condition the item is
collected under (`when demographics.childbearing_potential = yes`) stays
unknown for the subjects it is never asked of.  The fix puts the condition in
front of the comparison that reads the item,

    labs.pregnancy_test = positive
    →  (demographics.childbearing_potential = yes and labs.pregnancy_test = positive)

so that Kleene logic decides the rule for the others.  The condition is written
in the form's own scope (`when sex = female` inside `demographics`); in the rule
its names are qualified with the form, as the rule names the item.

A fix is offered only when it is certain to mean what it says: the item read
directly by the rule (not through a definition, a quantifier, an aggregate or
another visit, whose scopes the condition does not share), and every name of the
condition resolving in the rule to what it names in the form.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import attrs

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Fix
from protocol_dsl.spec import Scope, Spec
from protocol_dsl.syntax import printer

#: The smallest conditions a guard is put in front of: each reads its operands once.
_CONDITIONS = (m.Compare, m.Between, m.MemberOf, m.Contains, m.IsKnown, m.Within, m.AtLeast)
#: Nodes whose operands are read in another scope or at another time than the rule's.
_OTHER_SCOPE = (m.Quantifier, m.VisitQuantifier, m.Aggregate, m.AtVisit, m.AtPrevious, m.Call)


def guard_fix(spec: Spec, criterion: m.Criterion, form: m.Form, item: m.Item) -> Fix | None:
    """The edit that guards the first reading of `form.item` in the criterion's rule."""
    if criterion.rule is None or item.when is None:
        return None
    found = _reading(spec, criterion.rule, item)
    if found is None:
        return None
    reading, ref = found
    condition = _in_rule(spec, item.when, form, ref.parts[:-1])
    if condition is None:
        return None
    written = printer.expr(reading)
    replacement = f"({printer.expr(condition)} and {written})"
    return Fix(
        reading.span,
        replacement,
        f"guard `{written}` with the condition {ref.dotted} is collected under",
    )


def _reading(spec: Spec, rule: m.Expr, item: m.Item) -> tuple[m.Expr, m.Ref] | None:
    """The smallest condition of the rule that reads `item` directly, and the reference."""
    for path in _paths(rule, ()):
        node = path[-1]
        if not isinstance(node, m.Ref):
            continue
        symbol = spec.resolve(node.parts, Scope(spec))
        if symbol is None or symbol.kind != "item" or symbol.decl is not item:
            continue
        if any(isinstance(above, _OTHER_SCOPE) for above in path):
            return None
        conditions = [above for above in path if isinstance(above, _CONDITIONS)]
        if conditions:
            return conditions[-1], node
        if item.type.kind == "yes_no":  # a yes/no item is itself a condition
            return node, node
        return None
    return None


def _paths(node: m.Expr, above: tuple[m.Expr, ...]) -> Iterator[tuple[m.Expr, ...]]:
    """Every node with the nodes above it, in source order."""
    here = (*above, node)
    yield here
    for child in m.children(node):
        yield from _paths(child, here)


def _in_rule(
    spec: Spec, condition: m.Expr, form: m.Form, qualifier: tuple[str, ...]
) -> m.Expr | None:
    """The item's condition as the rule must write it, or None when a name would change."""
    form_scope, rule_scope = Scope(spec, form), Scope(spec)
    written = _qualified(spec, condition, form, form_scope, qualifier)
    before = [n for n in m.walk(condition) if isinstance(n, m.Ref)]
    after = [n for n in m.walk(written) if isinstance(n, m.Ref)]
    for old, new in zip(before, after, strict=True):
        meant = spec.resolve(old.parts, form_scope)
        read = spec.resolve(new.parts, rule_scope)
        if (meant is None) != (read is None):
            return None
        if meant is not None and read is not None and meant.decl is not read.decl:
            return None
    if any(isinstance(n, _OTHER_SCOPE) for n in m.walk(condition)):
        return None
    return written


def _qualified(
    spec: Spec, node: m.Expr, form: m.Form, scope: Scope, qualifier: tuple[str, ...]
) -> m.Expr:
    """`node` with each bare name of an item of `form` prefixed by the rule's qualifier."""
    if isinstance(node, m.Ref):
        symbol = spec.resolve(node.parts, scope)
        if (
            len(node.parts) == 1
            and symbol is not None
            and symbol.kind == "item"
            and symbol.form is form
        ):
            return m.Ref((*qualifier, *node.parts), span=node.span)
        return node
    changes: dict[str, object] = {}
    for field in attrs.fields(cast(Any, type(node))):
        value = getattr(node, field.name)
        if isinstance(value, m.EXPR_TYPES):
            changes[field.name] = _qualified(spec, cast(m.Expr, value), form, scope, qualifier)
        elif isinstance(value, tuple) and any(isinstance(v, m.EXPR_TYPES) for v in value):
            changes[field.name] = tuple(
                _qualified(spec, cast(m.Expr, v), form, scope, qualifier)
                if isinstance(v, m.EXPR_TYPES)
                else v
                for v in value
            )
    return attrs.evolve(node, **changes) if changes else node  # type: ignore[misc]
