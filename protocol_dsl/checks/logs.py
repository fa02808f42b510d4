"""How a repeating form (a log) records "none": its `none_recorded_by` question.

A subject with no records in a log has either none (the investigator ticked
"no" to "Any medical history?") or no data (the log was not filled in, or
not sent).  The two differ in every rule that reads the log: `any medical_history
where …` is not met in the first case and unknown in the second.

E0505 the question is not a yes/no item; E0506 `none_recorded_by` on a form
that is not repeating; E0507 the question's form is repeating or never
collected, so a subject does not have one answer to it; E0508 a mapping's
`complete FORM for DATASET` names no repeating form; W0509 an eligibility
criterion reads a log that has no way to record "none", so it can never be
decided in the subject's favour by an empty log.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator

import attrs

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.spec import FormUse, Scope, Spec

_HELP_QUESTION = (
    "name a yes/no item of a non-repeating form, asked once per subject, such as "
    '`any_medical_history yes_no "Any medical history?"` on a screening form'
)


#: The logs one criterion reads that cannot record "none", as positions in the trial's
#: `form_uses` (see `criterion_logs`).
LogsQuestion = Callable[[Spec, Spec, m.Criterion], Iterable[int]]


def check(spec: Spec) -> Iterator[Diagnostic]:
    return findings(spec, criterion_logs)


def findings(spec: Spec, logs_of: LogsQuestion) -> Iterator[Diagnostic]:
    """The check, with the logs each criterion reads asked of `logs_of`."""
    for owner in spec.all_specs():
        for form in owner.module.of_type(m.Form):
            if form.none_recorded_by is not None:
                yield from _question(spec, owner, form, form.none_recorded_by)
    for mapping in spec.mappings:
        for complete in mapping.complete:
            yield from _complete(spec, complete)
    yield from _unrecordable(spec, logs_of)


def _complete(spec: Spec, complete: m.MapComplete) -> Iterator[Diagnostic]:
    symbol = spec.resolve(complete.form.parts, Scope(spec))
    if symbol is not None and symbol.kind == "form" and symbol.form and symbol.form.repeating:
        return
    yield Diagnostic(
        "E0508",
        "error",
        f"'{complete.form.dotted}' is not a repeating form: only a log can be declared "
        f"complete for the subjects of {complete.domain}",
        complete.form.span,
        help="name a repeating form the mapping fills, e.g. `complete medical_history for DM`",
    )


def _question(spec: Spec, owner: Spec, form: m.Form, question: m.Ref) -> Iterator[Diagnostic]:
    if not form.repeating:
        yield Diagnostic(
            "E0506",
            "error",
            f"the form '{form.name}' is not repeating: it has no log whose absence of "
            "records `none_recorded_by` could record",
            question.span,
            (Label(form.span, f"the form '{form.name}' is declared here"),),
            help="remove `none_recorded_by`, or make the form `repeating`",
        )
        return
    symbol = owner.resolve(question.parts, Scope(owner))
    if symbol is None or symbol.kind != "item" or symbol.form is None:
        what = "names nothing" if symbol is None else f"is a {symbol.kind.replace('_', ' ')}"
        yield Diagnostic(
            "E0505",
            "error",
            f"'{question.dotted}' {what}: `none_recorded_by` needs the yes/no item that "
            f"records whether the subject has any {form.name} records",
            question.span,
            help=_HELP_QUESTION,
        )
        return
    item: m.Item = symbol.decl  # type: ignore[assignment]
    if item.type.kind != "yes_no":
        yield Diagnostic(
            "E0505",
            "error",
            f"'{question.dotted}' is a {item.type.kind.replace('_', '/')} item, not a yes/no "
            f"item: it cannot record that the subject has no {form.name} records",
            question.span,
            (Label(item.span, f"the item '{item.name}' is declared here"),),
            help=_HELP_QUESTION,
        )
        return
    use = spec.form_use(symbol.owner, symbol.form)
    if symbol.form.repeating or use is None or not use.visits:
        why = (
            f"is an item of the repeating form '{symbol.form.name}', answered once per record"
            if symbol.form.repeating
            else f"is an item of the form '{symbol.form.name}', which the trial never collects"
        )
        yield Diagnostic(
            "E0507",
            "error",
            f"'{question.dotted}' {why}: the question must have one answer per subject",
            question.span,
            (Label(symbol.form.span, f"the form '{symbol.form.name}' is declared here"),),
            help=_HELP_QUESTION,
        )


# ---------------------------------------------------------------- W0509


def _unrecordable(spec: Spec, logs_of: LogsQuestion) -> Iterator[Diagnostic]:
    """Logs read by eligibility criteria that cannot record "none"."""
    readers: dict[tuple[int, int], tuple[FormUse, list[str]]] = {}
    for criterion in spec.criteria:
        for position in logs_of(spec, spec, criterion):
            use = spec.form_uses[position]
            entry = readers.setdefault((id(use.owner), id(use.form)), (use, []))
            if criterion.id not in entry[1]:
                entry[1].append(criterion.id)
    declared = {
        complete.form.dotted.replace(".", "__")
        for mapping in spec.mappings
        for complete in mapping.complete
    }
    for use, criteria in readers.values():
        if use.storage_name in declared:
            continue  # the source data say which subjects have none (`complete … for DM`)
        listed = ", ".join(criteria)
        yield Diagnostic(
            "W0509",
            "warning",
            f"{listed} read{'s' if len(criteria) == 1 else ''} the log '{use.key}', which has "
            "no way to record that a subject has none: a subject without records is unknown "
            "for it, never cleared",
            use.form.span,
            help="add the form's 'any records?' question: `none_recorded_by FORM.ITEM` naming a "
            "yes/no item of a screening form (see docs/screening.md)",
        )


def criterion_logs(spec: Spec, owner: Spec, criterion: m.Criterion) -> Iterator[int]:
    """The logs one criterion's rule reads that cannot record "none", as positions in
    `spec.form_uses`: they rest on the rule and on the forms, collections and definitions
    it reads, never on another criterion (a language server keeps them for a criterion an
    edit did not touch, and the positions hold for the next text's spec)."""
    if criterion.rule is None:
        return
    positions = _positions(spec)
    for use in _logs_read(spec, owner, criterion.rule, set()):
        if use.form.none_recorded_by is None:
            yield positions[id(use)]


_POSITIONS: weakref.WeakKeyDictionary[Spec, dict[int, int]] = weakref.WeakKeyDictionary()


def _positions(spec: Spec) -> dict[int, int]:
    """The position of each of the trial's form uses, by the use's id, once per spec."""
    found = _POSITIONS.get(spec)
    if found is None:
        found = {id(use): i for i, use in enumerate(spec.form_uses)}
        _POSITIONS[spec] = found
    return found


def _logs_read(spec: Spec, owner: Spec, expr: object, seen: set[int]) -> Iterator[FormUse]:
    """The repeating forms `expr` ranges over, through the definitions it reads."""
    if isinstance(expr, m.Quantifier):
        form = owner.forms.get(expr.form)
        use = spec.form_use(owner, form) if form is not None else None
        if use is not None:
            yield use
    elif isinstance(expr, m.Aggregate):
        symbol = owner.resolve(expr.target.parts, Scope(owner))
        if symbol is not None and symbol.form is not None and symbol.form.repeating:
            use = spec.form_use(symbol.owner, symbol.form)
            if use is not None:
                yield use
    elif isinstance(expr, m.Ref):
        symbol = owner.resolve(expr.parts, Scope(owner))
        if symbol is not None and symbol.kind == "define" and id(symbol.decl) not in seen:
            seen.add(id(symbol.decl))
            define: m.Define = symbol.decl  # type: ignore[assignment]
            yield from _logs_read(spec, symbol.owner, define.expr, seen)
        return
    cls = type(expr)
    if not attrs.has(cls):
        return
    for field in attrs.fields(cls):
        value = getattr(expr, field.name)
        if isinstance(value, tuple):
            for element in value:
                if attrs.has(type(element)):
                    yield from _logs_read(spec, owner, element, seen)
        elif attrs.has(type(value)) and not isinstance(value, m.Span):
            yield from _logs_read(spec, owner, value, seen)
