"""Decimals that are a simple fraction rounded (W0419).

Protocols state conversion factors as ratios (5 mg prednisone = 0.75 mg
dexamethasone: a factor of 20/3).  Written rounded (6.67), the factor moves
the result off the threshold it should meet exactly: 6 mg dexamethasone is
40 mg prednisone, but 6 × 6.67 is 40.02, above "at most 40 mg".

A table value or a number in a rule is reported when it is a repeating
fraction with a small denominator, rounded, and its digits show the
repetition: 0.33 (1/3), 6.67 (20/3), 0.833 (5/6), 0.556 (5/9), 0.1818
(2/11).  Never reported: an exact decimal of a simple fraction (0.25, 2.5,
1.25), one with fewer than two decimals, and one whose digits do not yet
repeat (0.83, 0.56 and 0.45 are as likely meant as written as 5/6, 5/9 and
5/11).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from protocol_dsl import model as m
from protocol_dsl.checks.criterion_question import CriterionQuestion
from protocol_dsl.decimals import expansion, period
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec, declaration_expressions

#: The denominators of the simple fractions a protocol states (thirds, sixths,
#: sevenths, ninths, elevenths, twelfths); the others a decimal writes exactly
#: or are too far from "simple" to be recognised without false alarms.
DENOMINATORS = (3, 6, 7, 9, 11, 12)

#: A fraction whose numerator is larger is not "simple" (2469/3 is 823).
_LARGEST_NUMERATOR = 1000

#: A long period (sevenths: 142857) is recognised after this many of its digits.
_LONGEST_SHOWN = 4


def check(spec: Spec) -> Iterator[Diagnostic]:
    return findings(spec, criterion_findings)


def findings(spec: Spec, about_criterion: CriterionQuestion) -> Iterator[Diagnostic]:
    """The check, with the findings about each criterion asked of `about_criterion`."""
    for owner in spec.all_specs():
        for table in owner.tables.values():
            for row in table.rows:
                number = _written_decimal(row.value)
                if number is not None:
                    where = f"row '{row.key}' of table '{table.name}'"
                    yield from _finding(number, where, row.value.span)
    for owner in spec.all_specs():
        for decl in owner.module.declarations:
            if isinstance(decl, m.Criterion):
                yield from about_criterion(spec, owner, decl)
            else:
                yield from _numbers(owner, decl)


def criterion_findings(spec: Spec, owner: Spec, criterion: m.Criterion) -> Iterator[Diagnostic]:
    """The rounded fractions written in one criterion's rule: its own numbers only."""
    return _numbers(owner, criterion)


def _numbers(owner: Spec, decl: m.Declaration) -> Iterator[Diagnostic]:
    for _scope, expr in declaration_expressions(owner, decl):
        for node in m.walk(expr):
            if isinstance(node, m.NumberLit):
                yield from _finding(node.value, None, node.span)
            elif isinstance(node, m.QuantityLit):
                yield from _finding(node.quantity.value, None, node.span)


def _written_decimal(value: m.Value) -> Decimal | None:
    if isinstance(value.value, m.Quantity):
        return value.value.value
    if isinstance(value.value, Decimal):
        return value.value
    return None  # a ratio (20/3) is exact already; text is not a number


def _finding(number: Decimal, where: str | None, span: m.Span) -> Iterator[Diagnostic]:
    ratio = rounded_fraction(number)
    if ratio is None:
        return
    shown = m.format_decimal(number)
    exact = f"{ratio.numerator}/{ratio.denominator}"
    subject = f"{where} is {shown}" if where is not None else f"the number {shown}"
    yield Diagnostic(
        "W0419",
        "warning",
        f"{subject}, which looks like {exact} rounded",
        span,
        notes=(
            f"{shown} is not {exact}: a value computed with it can land just past a "
            "threshold the exact ratio meets (6 mg × 6.67 is 40.02 mg, 6 mg × 20/3 is 40 mg)",
        ),
        help=f"write the ratio as the source states it, {exact}, if that is what is meant",
    )


def rounded_fraction(number: Decimal) -> Fraction | None:
    """The simple repeating fraction `number` is a rounding of, if its digits show it.

    Trailing zeros say nothing (2.330 is 2.33, however it is spelled), so the digits
    are counted without them: the finding does not depend on the spelling `fmt` keeps.
    """
    number = number.normalize()
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int) or exponent > -2:
        return None  # fewer than two decimals: 6.7 says too little
    places = -exponent
    for denominator in DENOMINATORS:
        numerator = round(abs(number) * denominator)
        ratio = Fraction(int(numerator), denominator)
        if not 0 < ratio.numerator <= _LARGEST_NUMERATOR or _terminates(ratio):
            continue
        if _rounded(ratio, places) != abs(number):
            continue
        if places < _digits_to_show(ratio):
            continue
        return ratio if number > 0 else -ratio
    return None


def _terminates(ratio: Fraction) -> bool:
    """Whether the ratio is an exact decimal (its denominator has only factors 2 and 5)."""
    return expansion(ratio)[1] == 1


def _rounded(ratio: Fraction, places: int) -> Decimal:
    quotient = Decimal(ratio.numerator) / Decimal(ratio.denominator)
    return quotient.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _digits_to_show(ratio: Fraction) -> int:
    """Decimals a rounded fraction needs before its digits show the repetition.

    Thirds (and sixths, twelfths: thirds with halves) are rounded to two
    digits of their period: 0.33, 6.67, 0.833, 0.0833.  Other periods must
    show twice (0.556 for 5/9, 0.1818 for 2/11; 0.56 and 0.18 may be meant as
    written), at least three digits, and at most four of a long period
    (0.1429 for 1/7).
    """
    before, rest = expansion(ratio)  # the digits before the period, and the period's source
    if rest == 3:
        return before + 2
    return before + min(max(2 * period(rest), 3), _LONGEST_SHOWN)
