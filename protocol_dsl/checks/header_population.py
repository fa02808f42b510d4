"""The header's age limits and sex against the eligibility rules (W0805).

The trial header states the planned population (`minimum_age`, `maximum_age`,
`sex`) for registries and documents; the inclusion and exclusion rules decide
who may enter.  When an amendment edits one and not the other, the registry
record and the screening disagree.  Only bounds a rule states plainly are read:
a comparison of an age (a name `age`, or ending in `_age`) with a number, or a
sex item compared with a value, as a conjunct of a rule (never under `or` or
`not`).  Ages are compared in years.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.semantics.stated import in_base
from protocol_dsl.spec import Spec

_YEAR = in_base(Fraction(1), "a")


def check(spec: Spec) -> Iterator[Diagnostic]:
    if spec.trial is None:
        return
    low: list[tuple[Fraction, m.Expr, m.Criterion]] = []
    high: list[tuple[Fraction, m.Expr, m.Criterion]] = []
    sexes: list[tuple[str, m.Expr, m.Criterion]] = []
    for criterion in spec.criteria:
        if criterion.rule is None:
            continue
        for part in _conjuncts(criterion.rule):
            _age_bounds(part, criterion, low, high)
            _sex(spec, part, criterion, sexes)
    yield from _ages(spec, "minimum_age", low)
    yield from _ages(spec, "maximum_age", high)
    yield from _sex_field(spec, sexes)


def _conjuncts(expr: m.Expr) -> Iterator[m.Expr]:
    if isinstance(expr, m.Logic) and expr.op == "and":
        yield from _conjuncts(expr.left)
        yield from _conjuncts(expr.right)
    else:
        yield expr


def _is_age(expr: m.Expr) -> bool:
    if not isinstance(expr, m.Ref):
        return False
    name = expr.parts[-1]
    return name == "age" or name.endswith("_age")


def _number(expr: m.Expr) -> Fraction | None:
    return Fraction(expr.value) if isinstance(expr, m.NumberLit) else None


def _age_bounds(part: m.Expr, criterion: m.Criterion, low: list, high: list) -> None:
    inclusion = criterion.kind == "inclusion"
    if isinstance(part, m.Between) and _is_age(part.expr) and inclusion:
        lo, hi = _number(part.low), _number(part.high)
        if lo is not None:
            low.append((lo, part, criterion))
        if hi is not None:
            high.append((hi, part, criterion))
        return
    if not isinstance(part, m.Compare):
        return
    op: str
    if _is_age(part.left) and _number(part.right) is not None:
        op, value = part.op, _number(part.right)
    elif _is_age(part.right) and _number(part.left) is not None:
        flipped = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}
        op, value = flipped.get(part.op, part.op), _number(part.left)
    else:
        return
    assert value is not None
    # an inclusion `age >= 18` and an exclusion `age < 18` both set a minimum of 18
    if (inclusion and op == ">=") or (not inclusion and op == "<"):
        low.append((value, part, criterion))
    elif (inclusion and op == ">") or (not inclusion and op == "<="):
        low.append((value + 1, part, criterion))  # completed years: > 17 is 18
    elif (inclusion and op == "<=") or (not inclusion and op == ">"):
        high.append((value, part, criterion))
    elif (inclusion and op == "<") or (not inclusion and op == ">="):
        high.append((value - 1, part, criterion))


def _ages(spec: Spec, key: str, bounds: list) -> Iterator[Diagnostic]:
    field = spec.trial_field(key)
    if field is None or not bounds or field.value.kind != "quantity":
        return
    quantity = field.value.value
    assert isinstance(quantity, m.Quantity)
    base = in_base(Fraction(quantity.value), quantity.unit)
    if base is None or _YEAR is None or base[0] != _YEAR[0]:
        return
    years = base[1] / _YEAR[1]
    if any(value == years for value, _part, _c in bounds):
        return
    value, part, criterion = bounds[0]
    which = "minimum" if key == "minimum_age" else "maximum"
    yield Diagnostic(
        "W0805",
        "warning",
        f"the header's {key} is {quantity}, but {criterion.kind} {criterion.id} sets a "
        f"{which} age of {m.format_decimal(Decimal(value.numerator) / value.denominator)} years",
        field.span,
        labels=(Label(part.span, f"the {which} age the rule applies"),),
        help="make the header and the rule state the same age limit (the registry record "
        "is built from the header; screening applies the rule)",
    )


def _sex(spec: Spec, part: m.Expr, criterion: m.Criterion, sexes: list) -> None:
    if not isinstance(part, m.Compare) or part.op != "=":
        return
    if criterion.kind == "exclusion" and part is not criterion.rule:
        return  # an exclusion restricts sex only when sex is its whole rule
    if not isinstance(part.left, m.Ref) or not isinstance(part.right, m.Ref):
        return
    if part.left.parts[-1] not in ("sex", "gender") or len(part.right.parts) != 1:
        return
    word = part.right.parts[0].lower()
    sex = "female" if word in ("f", "female", "women", "woman") else None
    sex = "male" if word in ("m", "male", "men", "man") else sex
    if sex is not None and criterion.kind == "exclusion":
        sex = {"female": "male", "male": "female"}[sex]  # excluding men admits only women
    if sex is not None:
        sexes.append((sex, part, criterion))


def _sex_field(spec: Spec, sexes: list) -> Iterator[Diagnostic]:
    field = spec.trial_field("sex")
    if field is None:
        return
    stated = str(field.value.value).lower()
    if not sexes:
        if stated in ("female", "male") and any(c.rule is not None for c in spec.criteria):
            yield Diagnostic(
                "W0805",
                "warning",
                f"the header's sex is {stated}, but no eligibility rule admits only "
                f"{stated} participants",
                field.span,
                help=f"add the restriction to the rules (an inclusion `… sex = {stated}`), "
                "or correct the header",
            )
        return
    required, part, criterion = sexes[0]
    if stated == required:
        return
    yield Diagnostic(
        "W0805",
        "warning",
        f"the header's sex is {stated}, but {criterion.kind} {criterion.id} admits only "
        f"{required} participants",
        field.span,
        labels=(Label(part.span, f"admits only {required} participants"),),
        help="make the header's sex and the rule agree (the registry record is built from "
        "the header; screening applies the rule)",
    )
