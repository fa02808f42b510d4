"""The sample size: its stated assumptions are complete and valid, and the planned
enrolment agrees with the number they imply.

Each `sample_size METHOD { … }` block of the statistics section is checked
against its method (`protocol_dsl.semantics.sample_size`): E1024 an unknown
method, E1025 an unknown or repeated parameter, E1026 a missing one, E1027 a
value out of range, E1028 assumptions with no effect to detect.  A second
statistics section is E1029.

The number is then recomputed (the largest total of the blocks: the study
is sized for every calculation it states) and compared with the trial
header's `enrolment`: W1043 when the enrolment is smaller, W1044 when it is
more than `MARGIN` larger (the assumptions would justify a smaller study,
or the statement is out of date), W1045 when there is no enrolment to
compare with.  Each message shows both numbers and the formula's name.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label, did_you_mean
from protocol_dsl.semantics.sample_size import (
    ALLOWED,
    METHODS,
    Method,
    SampleSizeResult,
    compute,
    valid,
)
from protocol_dsl.spec import Spec

#: Enrolment above the recomputed total by more than this fraction is W1044.  Protocols
#: round the number up ("approximately 100 per arm") and add a little for screening
#: errors; a margin beyond a tenth is a different study from the one calculated.
MARGIN = Decimal("0.1")


def check(spec: Spec) -> Iterator[Diagnostic]:
    sections = spec.module.of_type(m.Statistics)
    for extra in sections[1:]:
        yield Diagnostic(
            "E1029",
            "error",
            "a spec has one statistics section; this is a second one",
            extra.span,
            labels=(Label(sections[0].span, "the first statistics section is here"),),
            help="put every sample-size calculation and analysis in the first one",
        )
    if not sections:
        return
    results: list[tuple[m.SampleSize, SampleSizeResult]] = []
    for sample_size in sections[0].sample_sizes:
        problems = list(_assumptions(sample_size))
        yield from problems
        if problems:
            continue
        result = recompute(spec, sample_size)
        if result is not None:
            results.append((sample_size, result))
    if results:
        yield from _enrolment(spec, results)


def recompute(spec: Spec, sample_size: m.SampleSize) -> SampleSizeResult | None:
    """The sample size a valid block implies (None when its assumptions are not valid)."""
    values = parameter_values(sample_size)
    if values is None:
        return None
    try:
        return compute(sample_size.method, values, default_groups=len(spec.arms))
    except ValueError:
        return None


def parameter_values(sample_size: m.SampleSize) -> dict[str, Decimal | bool] | None:
    """The block's parameters as values (None if one is not of its kind)."""
    method = METHODS.get(sample_size.method)
    if method is None:
        return None
    values: dict[str, Decimal | bool] = {}
    for f in sample_size.parameters:
        parameter = method.parameter(f.key)
        if parameter is None:
            return None
        value = _value(f, parameter.kind == "yes_no")
        if value is None:
            return None
        values[f.key] = value
    return values


def _value(f: m.Field, yes_no: bool) -> Decimal | bool | None:
    if len(f.values) != 1:
        return None
    v = f.value
    if yes_no:
        return {"yes": True, "no": False}.get(str(v.value)) if v.kind == "name" else None
    if v.kind == "number" and isinstance(v.value, Decimal):
        return v.value
    return None


def _assumptions(sample_size: m.SampleSize) -> Iterator[Diagnostic]:
    method = METHODS.get(sample_size.method)
    if method is None:
        yield Diagnostic(
            "E1024",
            "error",
            f"there is no sample-size method '{sample_size.method}'",
            sample_size.span,
            suggestion=did_you_mean(sample_size.method, METHODS),
            help="the methods are " + ", ".join(METHODS),
        )
        return
    seen: dict[str, m.Field] = {}
    for f in sample_size.parameters:
        parameter = method.parameter(f.key)
        if parameter is None:
            yield Diagnostic(
                "E1025",
                "error",
                f"'{f.key}' is not a parameter of {method.name}",
                f.span,
                suggestion=did_you_mean(f.key, [p.name for p in method.parameters]),
                help=f"{method.name} takes " + ", ".join(p.name for p in method.parameters),
            )
            continue
        if f.key in seen:
            yield Diagnostic(
                "E1025",
                "error",
                f"'{f.key}' is given twice",
                f.span,
                labels=(Label(seen[f.key].span, "first given here"),),
                help="state each assumption once",
            )
            continue
        seen[f.key] = f
        value = _value(f, parameter.kind == "yes_no")
        if value is None or not valid(parameter.kind, value):
            yield Diagnostic(
                "E1027",
                "error",
                f"{f.key} ({parameter.meaning}) must be {ALLOWED[parameter.kind]}, "
                f"not {', '.join(v.text for v in f.values)}",
                f.span,
                help=_unit_help(f),
            )
    missing = [name for name in method.required if name not in seen]
    if missing:
        yield Diagnostic(
            "E1026",
            "error",
            f"the {method.name} calculation does not state "
            + ", ".join(f"{name} ({_meaning(method, name)})" for name in missing),
            sample_size.span,
            help="a sample size can be recomputed only from all of its assumptions",
        )
        return
    yield from _effect(method, sample_size, seen)


def _unit_help(f: m.Field) -> str | None:
    v = f.value
    if v.kind == "quantity" and isinstance(v.value, m.Quantity):
        return f"write the number without a unit ('{v.value.unit}')"
    return None


def _meaning(method: Method, name: str) -> str:
    parameter = method.parameter(name)
    return parameter.meaning if parameter is not None else name


def _effect(
    method: Method, sample_size: m.SampleSize, seen: dict[str, m.Field]
) -> Iterator[Diagnostic]:
    if method.name == "two_proportions":
        p1, p2 = seen["p1"].value.value, seen["p2"].value.value
        if p1 == p2:
            yield Diagnostic(
                "E1028",
                "error",
                f"p1 and p2 are both {seen['p1'].value.text}: there is no difference to detect",
                seen["p2"].span,
                help="p1 is the proportion expected under control, p2 under the experimental "
                "treatment",
            )


def _enrolment(
    spec: Spec, results: list[tuple[m.SampleSize, SampleSizeResult]]
) -> Iterator[Diagnostic]:
    sample_size, result = max(results, key=lambda pair: pair[1].total)
    f = spec.trial_field("enrolment")
    enrolment = f.value.value if f is not None else None
    if f is None or not isinstance(enrolment, Decimal):
        yield Diagnostic(
            "W1045",
            "warning",
            f"the sample size is {result.total}, but the trial header states no planned "
            f"enrolment to compare it with: {result.describe()}",
            sample_size.span,
            help=f"add `enrolment {result.total}` (or the planned number) to the trial header",
        )
        return
    labels = (Label(f.span, f"planned enrolment {f.value.text}"),)
    if enrolment < result.total:
        yield Diagnostic(
            "W1043",
            "warning",
            f"the planned enrolment is {f.value.text}, but the sample-size assumptions need "
            f"{result.total}: {result.describe()}",
            sample_size.span,
            labels=labels,
            help="enrol more participants, or revise the assumptions (effect, power, dropout)",
        )
    elif enrolment > result.total * (1 + MARGIN):
        yield Diagnostic(
            "W1044",
            "warning",
            f"the planned enrolment is {f.value.text}, more than {int(MARGIN * 100)}% above "
            f"the {result.total} the sample-size assumptions need: {result.describe()}",
            sample_size.span,
            labels=labels,
            help="state the assumptions the planned enrolment was sized for (a smaller "
            "effect, a higher power or dropout), or plan the smaller number",
        )
