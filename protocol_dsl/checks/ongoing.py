"""A condition still ongoing that a rule counts only by its onset date (W0414).

"Infections within 12 weeks before the first dose" means infections the
subject had in those 12 weeks: one that began 13 weeks ago and is still going
on counts.  A rule written `any history where onset within 12 weeks before
first_dose` reads only the onset date, so that subject is not excluded.  When
the records' form has a yes/no item `ongoing` and a quantifier over it tests a
start date against a recent window without ever reading `ongoing`, this check
reports the window, with the `ongoing` item labelled.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.checks.criterion_question import CriterionQuestion
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.spec import Scope, Spec, inner_scope, walk_scoped
from protocol_dsl.syntax import printer

#: Date items that record when a condition or treatment began.
_START_NAMES = ("onset", "start", "start_date", "onset_date", "started")


def check(spec: Spec) -> Iterator[Diagnostic]:
    return findings(spec, criterion_findings)


def findings(spec: Spec, about_criterion: CriterionQuestion) -> Iterator[Diagnostic]:
    """The check, with the findings about each criterion asked of `about_criterion`."""
    for criterion in spec.criteria:
        yield from about_criterion(spec, spec, criterion)


def criterion_findings(spec: Spec, owner: Spec, criterion: m.Criterion) -> Iterator[Diagnostic]:
    """The counts of one criterion's rule: they read its forms, never another criterion."""
    if criterion.rule is None:
        return
    for node, scope in walk_scoped(criterion.rule, Scope(spec)):
        if isinstance(node, m.Quantifier) and node.kind in ("any", "none"):
            yield from _quantifier(spec, criterion, node, scope)


def _quantifier(
    spec: Spec, criterion: m.Criterion, node: m.Quantifier, scope: Scope
) -> Iterator[Diagnostic]:
    inner = inner_scope(node, scope)
    if inner is None or inner.record is None:
        return
    form = inner.record
    ongoing = next((i for i in form.items if i.name == "ongoing" and i.type.kind == "yes_no"), None)
    if ongoing is None:
        return
    parts = [p for p in (node.where, node.satisfy) if p is not None]
    windows: list[m.Within] = []
    reads_ongoing = False
    for part in parts:
        for child, _here in walk_scoped(part, inner):
            if isinstance(child, m.Ref) and child.parts == ("ongoing",):
                reads_ongoing = True
            if (
                isinstance(child, m.Within)
                and child.direction == "before"
                and isinstance(child.expr, m.Ref)
                and len(child.expr.parts) == 1
                and _is_start(form, child.expr.parts[0])
            ):
                windows.append(child)
    if reads_ongoing:
        return
    for window in windows:
        yield Diagnostic(
            "W0414",
            "warning",
            f"{criterion.kind} {criterion.id} counts a {form.name} record only by when it "
            f"began ({printer.expr(window)}): a condition that began earlier and is still "
            "ongoing is not counted",
            window.span,
            labels=(Label(ongoing.span, f"'{form.name}' records whether it is ongoing"),),
            help=f"count ongoing records too: `({printer.expr(window)} or ongoing = yes)`",
        )


def _is_start(form: m.Form, name: str) -> bool:
    for item in form.items:
        if item.name == name and item.type.kind == "date":
            label = (item.label or "").lower()
            return name in _START_NAMES or "onset" in label or "start" in label
    return False
