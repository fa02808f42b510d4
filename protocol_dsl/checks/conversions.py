"""Conversion declarations: each is a change of scale for named analytes, and one per scale.

E0301 a unit of the declaration that does not parse;
E0307 a formula that is not ``a * value + b`` with a non-zero ``a``;
E0308 a conversion that cannot be used: between units of one scale (UCUM's
      factor already converts them, and a formula would contradict it), or
      without a code naming the analytes it is for;
E0309 two conversions between the same two scales for one analyte, or for
      one item through two of its codes.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.semantics import scales, units
from protocol_dsl.semantics.conversions import NotAffine, affine, declared, item_conversions
from protocol_dsl.semantics.types import UNIT_HELP
from protocol_dsl.spec import Spec

_FORM = "write the formula as `a * value + b`, e.g. `0.09148 * value + 2.152`"


def check(spec: Spec) -> Iterator[Diagnostic]:
    usable: list[m.Conversion] = []
    for _owner, decl in declared(spec):
        problems = list(_declaration(decl))
        yield from problems
        if not problems:
            usable.append(decl)
    yield from _overlaps(usable)
    yield from _items(spec)


def _declaration(decl: m.Conversion) -> Iterator[Diagnostic]:
    bad_unit = False
    for unit in (decl.source, decl.target):
        try:
            units.parse_unit(unit)
        except units.UnitError as error:
            bad_unit = True
            yield Diagnostic("E0301", "error", error.message, decl.span, help=UNIT_HELP)
    try:
        affine(decl.expr)
    except NotAffine as problem:
        yield Diagnostic(
            "E0307",
            "error",
            f"the formula of the conversion '{decl.name}' is not a change of scale: "
            f"{problem.message}",
            problem.node.span,
            labels=(Label(decl.span, f"conversion from {decl.source} to {decl.target}"),),
            help=_FORM,
        )
    if bad_unit:
        return
    if scales.same_scale(decl.source, decl.target):
        yield Diagnostic(
            "E0308",
            "error",
            f"the conversion '{decl.name}' is between {scales.describe_scale(decl.source)} and "
            f"{scales.describe_scale(decl.target)}, which are one scale: their UCUM factor "
            "already converts them, and a formula would contradict it",
            decl.span,
            help="remove the conversion; values recorded in either unit are converted already",
        )
    elif not decl.codes:
        yield Diagnostic(
            "E0308",
            "error",
            f"the conversion '{decl.name}' names no analyte: a formula between scales holds "
            "for one measurement, so it applies only to items that carry one of its codes",
            decl.span,
            help="add the analyte's code after the formula, e.g. `[LOINC 4548-4]`, and the same "
            "code to the item",
        )


def _overlaps(decls: list[m.Conversion]) -> Iterator[Diagnostic]:
    seen: list[tuple[m.Conversion, frozenset[scales.Scale], frozenset[tuple[str, str]]]] = []
    for decl in decls:
        ends = frozenset((scales.scale_of(decl.source), scales.scale_of(decl.target)))
        codes = frozenset((code.system.upper(), code.value) for code in decl.codes)
        for other, other_ends, other_codes in seen:
            shared = codes & other_codes
            if ends == other_ends and shared:
                system, value = sorted(shared)[0]
                yield Diagnostic(
                    "E0309",
                    "error",
                    f"the conversions '{other.name}' and '{decl.name}' both convert between "
                    f"{decl.source} and {decl.target} for [{system} {value}]: a value would read "
                    "differently depending on which one is used",
                    decl.span,
                    labels=(Label(other.span, f"'{other.name}' is declared here"),),
                    help="keep one conversion per analyte and pair of scales; it is read in both "
                    "directions",
                )
                break
        seen.append((decl, ends, codes))


def _items(spec: Spec) -> Iterator[Diagnostic]:
    """An item whose codes bring in two conversions that read the same scale."""
    for owner in spec.all_specs():
        for decl in owner.module.declarations:
            if not isinstance(decl, m.Form):
                continue
            for item in decl.items:
                by_scale: dict[scales.Scale, str] = {}
                for conversion in item_conversions(spec, item):
                    scale = scales.scale_of(conversion.unit)
                    first = by_scale.setdefault(scale, conversion.name)
                    if first != conversion.name:
                        yield Diagnostic(
                            "E0309",
                            "error",
                            f"'{decl.name}.{item.name}' reads values in {conversion.unit} "
                            f"through two conversions, '{first}' and '{conversion.name}' (one "
                            "for each of its codes): which one applies is not defined",
                            item.span,
                            help="give the item the code of one analyte, or keep one of the "
                            "conversions",
                        )
                        break
