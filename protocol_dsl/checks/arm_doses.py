"""Arms against their interventions: placebo in an experimental arm (E0730), an element's
dose that is not a dose of the intervention its arm receives (E0731).

An arm of type `experimental` that receives only placebo tests nothing: usually
the `receives` list of two arms was swapped.  An element's `dose` (the SDTM TE
dose of a treatment period) must be one of the `dose` values its arm's
intervention declares: "81 mg" in the element and "54 mg, 80 mg" in the
intervention means one of the two was mistyped.  An intervention is placebo when
its name or label says so; doses are compared in base units, and an element
dose of 0 (a placebo period) is never a mistake.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.semantics.stated import in_base
from protocol_dsl.spec import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for arm in spec.arms.values():
        received = [spec.interventions[n] for n in arm.receives if n in spec.interventions]
        if not received:
            continue
        if arm.type == "experimental" and all(_is_placebo(i) for i in received):
            yield Diagnostic(
                "E0730",
                "error",
                f"the experimental arm '{arm.name}' receives only placebo "
                f"({', '.join(i.name for i in received)})",
                arm.span,
                labels=tuple(Label(i.span, "a placebo") for i in received),
                help="give the arm the investigational product it tests, or make its type "
                "`placebo`",
            )
        yield from _element_doses(spec, arm, received)


def _is_placebo(intervention: m.Intervention) -> bool:
    words = f"{intervention.name} {intervention.label or ''}".lower()
    return "placebo" in words


def _doses(intervention: m.Intervention) -> list[tuple[m.Quantity, tuple]]:
    field = intervention.field("dose")
    if field is None:
        return []
    found = []
    for value in field.values:
        if isinstance(value.value, m.Quantity):
            base = in_base(Fraction(value.value.value), value.value.unit)
            if base is not None:
                found.append((value.value, base))
    return found


def _element_doses(spec: Spec, arm: m.Arm, received: list[m.Intervention]) -> Iterator[Diagnostic]:
    active = [i for i in received if not _is_placebo(i)]
    levels = [(i, q, base) for i in active for q, base in _doses(i)]
    if not levels:
        return
    for step in arm.steps:
        element = spec.elements.get(step.element)
        if element is None or element.dose is None or element.dose.value == 0:
            continue
        dose = in_base(Fraction(element.dose.value), element.dose.unit)
        if dose is None or any(base == dose for _i, _q, base in levels):
            continue
        if not any(base[0] == dose[0] for _i, _q, base in levels):
            continue  # doses of another kind (mg/kg against mg): not comparable here
        shown = ", ".join(str(q) for _i, q, _b in levels)
        intervention = levels[0][0]
        yield Diagnostic(
            "E0731",
            "error",
            f"element '{element.name}' of arm '{arm.name}' gives {element.dose}, which is not "
            f"a dose of {intervention.name} ({shown})",
            element.span,
            labels=(
                Label(step.span, f"'{arm.name}' runs this element"),
                Label(intervention.span, f"the doses of {intervention.name}"),
            ),
            help="correct the element's dose, or add the dose to the intervention",
        )
