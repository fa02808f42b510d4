"""Partial dates: `partial` only on a date item (E0215), a known imputation rule (E0216),
and a partial date without a rule read where a period is unknown (W0409).

A date recorded to the month or the year ("2019-06", "2019") is a period of
days; `impute first|middle|last` says which day it stands for.  The engines
read partial values only for items declared so, and impute with the rule
declared, so both must be sound before any rule is evaluated.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.checks.criterion_question import CriterionQuestion
from protocol_dsl.diagnostics import Diagnostic, did_you_mean
from protocol_dsl.spec import Scope, Spec, declaration_expressions, walk_scoped


def check(spec: Spec) -> Iterator[Diagnostic]:
    return findings(spec, criterion_findings)


def findings(spec: Spec, about_criterion: CriterionQuestion) -> Iterator[Diagnostic]:
    """The check, with the findings about each criterion asked of `about_criterion`."""
    for owner in spec.all_specs():
        for form in owner.forms.values():
            for item in form.items:
                if item.partial:
                    yield from _item(form, item)
    for owner in spec.all_specs():
        for decl in owner.module.declarations:
            if isinstance(decl, m.Criterion):
                yield from about_criterion(spec, owner, decl)
            else:
                for scope, expr in declaration_expressions(owner, decl):
                    yield from _unknown_periods(expr, scope)


def criterion_findings(spec: Spec, owner: Spec, criterion: m.Criterion) -> Iterator[Diagnostic]:
    """W0409 in one criterion's rule: it reads the items its names resolve to, never
    another criterion."""
    for scope, expr in declaration_expressions(owner, criterion):
        yield from _unknown_periods(expr, scope)


def _unknown_periods(expr: m.Expr, scope: Scope) -> Iterator[Diagnostic]:
    """W0409: a partial date without an imputation rule read where its period is unknown.

    Only a comparison or time window that names the item decides over the period
    (every day of it agreeing); date arithmetic, functions, `is known`, min/max
    over records and any other use read such a value as unknown.
    """
    compared: set[int] = set()
    for node, _here in walk_scoped(expr, scope):
        operands: tuple[m.Expr | None, ...] = ()
        if isinstance(node, m.Compare):
            operands = (node.left, node.right)
        elif isinstance(node, m.Between):
            operands = (node.expr, node.low, node.high)
        elif isinstance(node, (m.Within, m.AtLeast)):
            operands = (node.expr,)
        for operand in operands:
            if isinstance(operand, m.AtVisit):
                operand = operand.expr
            if operand is not None:
                compared.add(id(operand))
    for node, here in walk_scoped(expr, scope):
        ref: m.Ref | None = None
        if isinstance(node, m.Ref) and id(node) not in compared:
            ref = node
        elif isinstance(node, m.Aggregate) and node.kind in ("min", "max"):
            ref = node.target
        if ref is None:
            continue
        symbol = here.owner.resolve(ref.parts, Scope(here.owner) if ref is not node else here)
        item = symbol.decl if symbol is not None and symbol.kind == "item" else None
        if isinstance(item, m.Item) and item.partial and item.impute is None:
            yield Diagnostic(
                "W0409",
                "warning",
                f"'{ref.dotted}' may be known to the month or year only, and here such a "
                "value is unknown: only a comparison or time window that names the item "
                "decides over its whole period",
                ref.span,
                help="declare the protocol's imputation rule (`partial impute first`, "
                "`middle` or `last`), or compare the item itself "
                "(`diagnosis < 2020-03-01`, `diagnosis within 1 year before screening`)",
            )


def _item(form: m.Form, item: m.Item) -> Iterator[Diagnostic]:
    if item.type.kind != "date":
        yield Diagnostic(
            "E0215",
            "error",
            f"'{form.name}.{item.name}' is {item.type.kind}, but only a date can be partial",
            item.span,
            help="declare the item `date … partial` (a date and time recorded without its "
            "day has no time either: record such values as a date)",
        )
        return
    if item.impute is not None and item.impute not in m.IMPUTE_RULES:
        yield Diagnostic(
            "E0216",
            "error",
            f"'{item.impute}' is not an imputation rule of a partial date",
            item.span,
            help="`impute first` (the first day of the month or year), `impute middle` "
            "(the 15th of the month, 1 July of the year) or `impute last` (its last day); "
            "without `impute`, a comparison is decided when every day of the period agrees",
            suggestion=did_you_mean(item.impute, list(m.IMPUTE_RULES)),
        )
