"""Source-data mappings: every rule must land on something the trial collects.

E0113 a mapping target that is not ``visits.date``, ``subject.arm``,
      ``subject.dose_level`` or an item of a form the trial collects;
E0114 a mapping rule that cannot be read row by row: a source that is not
      DATASET.VARIABLE, a ``visit``, ``date`` or ``unit`` variable of another
      dataset, ``visits.date`` without the visit variable, both ``visit`` and
      ``date``, a ``unit`` on an item that is not a quantity, or a visit
      variable on a repeating form or on a spec whose visits have no numbers;
E0515 `impute first|last` on an item that is not a date (only a partial date
      has a day to complete).
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, did_you_mean
from protocol_dsl.spec import Spec

SUBJECT_TARGETS = ("arm", "dose_level")


def check(spec: Spec) -> Iterator[Diagnostic]:
    uses = {use.key: use for use in spec.form_uses}
    for mapping in spec.mappings:
        for rule in mapping.rules:
            yield from _rule(spec, uses, rule)


def _rule(spec: Spec, uses: dict, rule: m.MapRule) -> Iterator[Diagnostic]:
    target = rule.target.parts
    source = rule.source.parts
    if len(source) != 2:
        yield _malformed(
            rule.source.span,
            f"the source '{rule.source.dotted}' is not DATASET.VARIABLE",
            "write the dataset and the variable, e.g. `from DM.AGE`",
        )
        return
    domain = source[0].upper()
    for key in ("visit", "date", "unit"):
        ref: m.Ref | None = getattr(rule, key)
        if ref is not None and (len(ref.parts) != 2 or ref.parts[0].upper() != domain):
            yield _malformed(
                ref.span,
                f"the {key} variable '{ref.dotted}' is not a variable of {domain}",
                f"a rule reads one row at a time: write `{key} {domain}.VARIABLE`",
            )
    if rule.visit is not None and rule.date is not None:
        yield _malformed(
            rule.span,
            "a rule places a value by its visit or by its date, not both",
            "keep `visit …` when the dataset has visit numbers",
        )
    if target == ("visits", "date"):
        if rule.visit is None:
            yield _malformed(
                rule.span,
                "visits.date needs the variable holding the visit number",
                f"add `visit {domain}.VISITNUM`",
            )
        yield from _numbered_visits(spec, rule)
        return
    if len(target) == 2 and target[0] == "subject":
        if target[1] not in SUBJECT_TARGETS:
            yield _unknown(
                rule,
                f"'{rule.target.dotted}' is not something a subject has",
                "a subject-level target is subject.arm or subject.dose_level",
                did_you_mean(target[1], SUBJECT_TARGETS),
            )
        return
    form_key = ".".join(target[:-1])
    use = uses.get(form_key)
    if use is None or len(target) < 2:
        candidates = [f"{key}.{item.name}" for key, u in uses.items() for item in u.form.items]
        yield _unknown(
            rule,
            f"'{rule.target.dotted}' is not an item of a form the trial collects",
            "map onto form.item (library forms as alias.form.item), visits.date, "
            "subject.arm or subject.dose_level",
            did_you_mean(rule.target.dotted, candidates),
        )
        return
    item = use.form.item(target[-1])
    if item is None:
        yield _unknown(
            rule,
            f"the form {form_key} has no item '{target[-1]}'",
            f"the items of {form_key} are: {', '.join(i.name for i in use.form.items)}",
            did_you_mean(target[-1], [i.name for i in use.form.items]),
        )
        return
    if rule.unit is not None and item.type.kind != "quantity":
        yield _malformed(
            rule.unit.span,
            f"{rule.target.dotted} is a {item.type.kind} item, not a quantity: it has no unit",
            "remove the `unit …` option",
        )
    if rule.impute is not None and item.type.kind != "date":
        yield Diagnostic(
            "E0515",
            "error",
            f"{rule.target.dotted} is a {item.type.kind} item, not a date: "
            f"`impute {rule.impute}` completes partial dates only",
            rule.span,
            help="remove the `impute …` option, or map a date item",
        )
    if use.repeating and rule.visit is not None:
        yield _malformed(
            rule.visit.span,
            f"{form_key} is a repeating form: its records are not placed at visits",
            "remove the `visit …` option",
        )
    if rule.visit is not None:
        yield from _numbered_visits(spec, rule)


def _numbered_visits(spec: Spec, rule: m.MapRule) -> Iterator[Diagnostic]:
    if rule.visit is not None and not any(v.number is not None for v in spec.visits.values()):
        yield _malformed(
            rule.visit.span,
            "visit numbers are matched to the visits' `number`, and no visit has one",
            'give each visit its number, e.g. `visit SCR "Screening" day -7 number 1`',
        )


def _unknown(rule: m.MapRule, message: str, help: str, suggestion: str | None) -> Diagnostic:
    return Diagnostic(
        "E0113",
        "error",
        message,
        rule.target.span,
        help=help,
        suggestion=suggestion,
    )


def _malformed(span: m.Span, message: str, help: str) -> Diagnostic:
    return Diagnostic("E0114", "error", message, span, help=help)
