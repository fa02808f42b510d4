"""Durations every back end can compute (E0211, E0212).

The screening engines (the interpreter, the generated SQL and the generated
module) shift dates by durations written as constants: `12 weeks`, `28 days`.
Two uses of time go beyond that, and no back end gives them one meaning:

* E0211: the length of a time window (`within`, `at least`) or of a date shift
  (`date - D`) that is not one constant duration, such as
  `within 5 * half_life before first_dose` or `consent - 5 * 1 d`.  SQL needs
  the length when the query is written; a length computed per subject (from an
  item or a product) has no single plan, so the spec is refused here rather
  than by one engine.
* E0212: a duration constant used as a number: multiplied, divided, added to a
  quantity, or compared through `least` / `greatest` / `abs`
  (`rate / 1 h`, `least(2 weeks, washout)`).  A duration constant is a span of
  calendar time (a month is a calendar month), not a quantity, and arithmetic
  on it has no defined result.

Both come with the way to write the same rule in a form every engine runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.checks.criterion_question import CriterionQuestion
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.semantics import types as t
from protocol_dsl.semantics import units
from protocol_dsl.spec import Scope, Spec, declaration_expressions, walk_scoped
from protocol_dsl.syntax import printer


def check(spec: Spec) -> Iterator[Diagnostic]:
    typer = t.Typer(spec)  # one for the whole spec: the definitions are typed once

    def about_criterion(spec: Spec, owner: Spec, criterion: m.Criterion) -> Iterator[Diagnostic]:
        return _criterion(typer, owner, criterion)

    return findings(spec, about_criterion, typer)


def findings(
    spec: Spec, about_criterion: CriterionQuestion, typer: t.Typer | None = None
) -> Iterator[Diagnostic]:
    """The check, with the findings about each criterion asked of `about_criterion`."""
    typer = typer if typer is not None else t.Typer(spec)
    for owner in spec.all_specs():
        for decl in owner.module.declarations:
            if isinstance(decl, m.Criterion):
                yield from about_criterion(spec, owner, decl)
            else:
                for scope, top in declaration_expressions(owner, decl):
                    yield from _expression(typer, top, scope)


def criterion_findings(spec: Spec, owner: Spec, criterion: m.Criterion) -> Iterator[Diagnostic]:
    """E0211 and E0212 in one criterion's rule: they rest on the types of what its names
    resolve to, never on another criterion."""
    return _criterion(t.Typer(spec), owner, criterion)


def _criterion(typer: t.Typer, owner: Spec, criterion: m.Criterion) -> Iterator[Diagnostic]:
    for scope, top in declaration_expressions(owner, criterion):
        yield from _expression(typer, top, scope)


def _expression(typer: t.Typer, top: m.Expr, scope: Scope) -> Iterator[Diagnostic]:
    seen: set[int] = set()
    for node, here in walk_scoped(top, scope):
        if id(node) in seen:  # inside a length already refused
            continue
        for diagnostic in _node(typer, node, here):
            yield diagnostic
            if diagnostic.code == "E0211":
                # what is inside a refused length is not reported again
                seen.update(id(inner) for inner in _inside(top, diagnostic.span))


def _node(typer: t.Typer, node: m.Expr, scope: Scope) -> Iterator[Diagnostic]:
    # types are inferred only where the shape of the expression leaves a doubt: the
    # checker has no cache of them, and most nodes of a spec are no date arithmetic
    if isinstance(node, m.Within | m.AtLeast):
        # a length that is not a duration at all is the type checks' E0207
        length = node.duration
        if not _constant_duration(length) and _is_duration(typer.infer(length, scope)):
            yield _not_constant(length, node, "the length of this time window")
        return
    if isinstance(node, m.Arith):
        if node.op in "+-":
            shifted = _date_shift(typer, node, scope)
            if shifted is not None:
                if not _constant_duration(shifted):
                    yield _not_constant(shifted, node, "the shift of this date")
                return
        for side in (node.left, node.right):
            if _constant_duration(side):
                yield _duration_as_number(side, node, f"`{node.op}`")
        return
    if isinstance(node, m.Call) and node.function in ("least", "greatest", "abs"):
        for arg in node.args:
            if _constant_duration(arg):
                yield _duration_as_number(arg, node, f"{node.function}(…)")


def _date_shift(typer: t.Typer, node: m.Arith, scope: Scope) -> m.Expr | None:
    """The duration of `date ± duration` (or `duration + date`), or None."""
    if isinstance(node.left, m.NumberLit) or isinstance(node.right, m.NumberLit):
        return None  # plain arithmetic: a date is never added to a bare number
    left = typer.infer(node.left, scope)
    if isinstance(left, t.Date):
        return node.right if _is_duration(typer.infer(node.right, scope)) else None
    if node.op == "+" and _is_duration(left) and isinstance(typer.infer(node.right, scope), t.Date):
        return node.left
    return None


def _inside(top: m.Expr, span: m.Span) -> Iterator[m.Expr]:
    for node in m.walk(top):
        if span.start <= node.span.start and node.span.end <= span.end:
            yield node


def _is_duration(type_: t.Type) -> bool:
    return isinstance(type_, t.Quantity) and type_.is_duration


def _constant_duration(expr: m.Expr) -> bool:
    """A number with a unit of time, as written: `12 weeks`, `28 d`."""
    if not isinstance(expr, m.QuantityLit):
        return False
    try:
        units.time_unit(expr.quantity.unit)
    except units.UnitError:
        return False
    return True


def _not_constant(duration: m.Expr, where: m.Expr, what: str) -> Diagnostic:
    return Diagnostic(
        "E0211",
        "error",
        f"{what} is `{_short(duration)}`, which is not a constant duration",
        duration.span,
        labels=(Label(where.span, "here"),),
        notes=(
            "the screening engines (interpreter, SQL, generated module) shift dates only "
            "by durations written as a number with a unit of time",
        ),
        help="write the length as one constant (e.g. `within 10 days before first_dose`), "
        "or compare the days between the dates: `days_between(x, first_dose) <= 5 * half_life`",
    )


def _duration_as_number(duration: m.Expr, where: m.Expr, operation: str) -> Diagnostic:
    return Diagnostic(
        "E0212",
        "error",
        f"the duration `{_short(duration)}` is used as a number in {operation}",
        duration.span,
        labels=(Label(where.span, "in this calculation"),),
        notes=(
            "a duration written as a constant is a span of calendar time for date "
            "arithmetic and time windows, not a quantity to calculate with",
        ),
        help="write the result as one constant (`5 days`, not `5 * 1 d`), or compare the "
        "quantity in its own unit (`rate >= 5 mL/h`, not `rate / 1 h >= 5 mL/h/h`)",
    )


def _short(expr: m.Expr) -> str:
    text = printer.expr(expr)
    return text if len(text) <= 60 else text[:57] + "…"
