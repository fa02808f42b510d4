"""Runtime values of the three-valued interpreter.

This module owns what an expression evaluates to and the arithmetic of those
values, independent of any spec:

* truth: Kleene logic over ``True`` / ``False`` / ``None`` (unknown), and the
  public `Truth` enum (met / not met / unknown) results are reported in;
* numbers are exact decimals (`decimal.Decimal`, or `int` for counts): data
  and literals are read as the decimal they are written as, so that
  20 + 20 mg/d is exactly 40 and 2 - 1.1 is exactly 0.9; a quotient is rounded
  to 28 significant digits (the default decimal context).  A ratio a table
  states (20/3) is a `fractions.Fraction`: arithmetic with it is exact, and
  its result is the decimal it equals (6 × 20/3 is exactly 40), or the
  quotient rounded as every quotient is when it has no exact decimal.  A quantity is a
  number in a unit the compiler knows statically (so no unit travels at run
  time), `Quantity` is its public form (a float, the nearest to the exact value);
* `Interval` is a partly known number ``[lo, hi]`` (a score, count or sum with
  unknown parts); a comparison with an interval is met if it holds for the
  whole interval, not met if for none, else unknown;
* dates are `datetime.date`; `Duration` is a span of days, weeks (exact days),
  months or years (calendar arithmetic, clamped to the month's end);
* titers are their denominator (1:160 is 160); choices are code-list entry
  names; yes/no values are ``True`` / ``False``.

Missing is ``None`` everywhere: arithmetic on it is ``None`` and comparisons
with it are unknown.  The functions here are on the hot path of screening, so
they are plain functions over plain Python values.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import decimal
import enum
import math
import operator
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, cast

import attrs

# ---------------------------------------------------------------- truth


class Truth(enum.Enum):
    """The status of a condition: met, not met or unknown (Kleene logic)."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, value: bool | None) -> Truth:
        if value is True:
            return cls.MET
        if value is False:
            return cls.NOT_MET
        return cls.UNKNOWN

    def as_bool(self) -> bool | None:
        return True if self is Truth.MET else False if self is Truth.NOT_MET else None

    def __and__(self, other: Truth) -> Truth:
        return Truth.of(k_and(self.as_bool(), other.as_bool()))

    def __or__(self, other: Truth) -> Truth:
        return Truth.of(k_or(self.as_bool(), other.as_bool()))

    def __invert__(self) -> Truth:
        return Truth.of(k_not(self.as_bool()))

    def implies(self, other: Truth) -> Truth:
        return Truth.of(k_implies(self.as_bool(), other.as_bool()))


MET = Truth.MET
NOT_MET = Truth.NOT_MET
UNKNOWN = Truth.UNKNOWN


def _kleene(a: bool | None, b: bool | None, dominant: bool) -> bool | None:
    """`dominant` if either side is it (false for `and`, true for `or`), else unknown if
    either side is unknown, else the other value."""
    if a is dominant or b is dominant:
        return dominant
    if a is None or b is None:
        return None
    return not dominant


def k_and(a: bool | None, b: bool | None) -> bool | None:
    """Kleene conjunction: false wins, then unknown."""
    return _kleene(a, b, False)


def k_or(a: bool | None, b: bool | None) -> bool | None:
    """Kleene disjunction: true wins, then unknown."""
    return _kleene(a, b, True)


def k_not(a: bool | None) -> bool | None:
    return None if a is None else not a


def k_implies(a: bool | None, b: bool | None) -> bool | None:
    """``a implies b`` is ``not a or b``."""
    return k_or(k_not(a), b)


# ---------------------------------------------------------------- numbers and intervals

ZERO = Decimal(0)

#: Numbers a subject's data may hold are less than 10^18 in magnitude, the range
#: every engine holds exactly (SQL sums in DECIMAL(38, 12), whole numbers in
#: BIGINT): a larger value, such as the largest 64-bit integer, is out of range.
LARGEST = Decimal(10) ** 18


def exact(value: Any) -> Any:
    """A number as an exact decimal: a float as the decimal it prints as (0.1 is 0.1).

    Floats reach the interpreter from static bounds (±∞), score weights and
    callers that hand in Python floats; the decimal a float prints as is the
    one that was written.  Other values are returned as they are.
    """
    cls = value.__class__
    if cls is float:
        return Decimal(repr(value)) if math.isfinite(value) else Decimal(value)
    if cls is Fraction:
        return settle(value)
    if cls is Interval:
        return Interval(exact(value.lo), exact(value.hi))
    return value


def settle(value: Fraction) -> Decimal:
    """A ratio as a decimal: exact when it has one (5/4 is 1.25), else the
    quotient rounded to 28 significant digits, as every quotient is."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def public_number(value: Any) -> Any:
    """An exact number as results report it: an int when whole, else the nearest float."""
    if value.__class__ is Decimal:
        if value.is_finite() and value == value.to_integral_value() and abs(value) < 10**15:
            return float(int(value))
        return float(value)
    if value.__class__ is Interval:
        return Interval(public_number(value.lo), public_number(value.hi))
    return value


class Interval:
    """A partly known number: certainly at least ``lo`` and at most ``hi`` (``lo < hi``).

    A fully known number is a plain number, never an interval with ``lo == hi``:
    `interval` makes that choice.  The ends are exact decimals, or floats for an
    unbounded end (±∞) and in the public form `public_number` gives.
    """

    __slots__ = ("hi", "lo")

    def __init__(self, lo: Decimal | float, hi: Decimal | float) -> None:
        self.lo = lo
        self.hi = hi

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Interval) and (self.lo, self.hi) == (other.lo, other.hi)

    def __hash__(self) -> int:
        return hash((self.lo, self.hi))

    def __repr__(self) -> str:
        return f"Interval({self.lo!r}, {self.hi!r})"


#: An exact unit conversion: ``value * num / den + offset``.
Transform = tuple[int, int, Decimal]


def unit_transform(from_unit: str, to_unit: str) -> Transform:
    """The exact conversion from ``from_unit`` to ``to_unit`` (`units.UnitError` if none)."""
    from protocol_dsl.semantics import units

    factor, offset = units.exact_transform(from_unit, to_unit)
    shift = Decimal(offset.numerator) / offset.denominator if offset else ZERO
    return factor.numerator, factor.denominator, shift


def convert(value: Any, transform: Transform) -> Any:
    """A number (or interval) converted exactly; a quotient rounded to 28 digits."""
    if value.__class__ is Interval:
        return interval(convert(value.lo, transform), convert(value.hi, transform))
    num, den, offset = transform
    x = exact(value)
    if num != 1:
        x = x * num
    if den != 1:
        x = x / den
    return x + offset if offset else x


def interval(lo: Any, hi: Any) -> Any:
    """``[lo, hi]`` as a value: a plain number when both ends meet."""
    return lo if lo == hi else Interval(lo, hi)


def bounds(value: Decimal | float | Interval) -> tuple[Decimal | float, Decimal | float]:
    if value.__class__ is Interval:
        return value.lo, value.hi
    # mypy narrows the positive branch of an exact class test but not this one
    return value, value  # type: ignore[return-value]


def is_known(value: Any) -> bool:
    """``x is known``: present and, for an interval, fully decided."""
    return value is not None and value.__class__ is not Interval


#: The comparison operators of the language on plain (known) values.
COMPARATORS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "=": operator.eq,
    "!=": operator.ne,
}


def compare(op: str, a: Any, b: Any) -> bool | None:
    """``a op b`` in three-valued logic; intervals hold for all, none or some values."""
    if a is None or b is None:
        return None
    if a.__class__ is Interval or b.__class__ is Interval:
        return compare_intervals(op, bounds(a), bounds(b))
    try:
        return COMPARATORS[op](a, b)
    except TypeError:  # values of different kinds never compare (the checker reports it)
        return None


def compare_intervals(
    op: str, a: tuple[Decimal | float, Decimal | float], b: tuple[Decimal | float, Decimal | float]
) -> bool | None:
    """Compare ``[a0, a1]`` with ``[b0, b1]``: True if for every pair, False if for none."""
    (a0, a1), (b0, b1) = a, b
    if op == "<":
        return True if a1 < b0 else False if a0 >= b1 else None
    if op == "<=":
        return True if a1 <= b0 else False if a0 > b1 else None
    if op == ">":
        return True if a0 > b1 else False if a1 <= b0 else None
    if op == ">=":
        return True if a0 >= b1 else False if a1 < b0 else None
    if op == "=":
        if a0 == a1 == b0 == b1:
            return True
        return False if a1 < b0 or b1 < a0 else None
    if op == "!=":
        equal = compare_intervals("=", a, b)
        return None if equal is None else not equal
    raise ValueError(f"unknown comparison {op!r}")


def arithmetic(op: str, a: Any, b: Any) -> Any:
    """``a op b`` for numbers and intervals; unknown if either side is unknown."""
    if a is None or b is None:
        return None
    if a.__class__ is Fraction or b.__class__ is Fraction:
        a, b = _rational(a), _rational(b)
        if a.__class__ is not Interval and b.__class__ is not Interval:
            # exact: a dose times 20/3 that equals a threshold is that threshold
            if op == "/" and b == 0:
                return None
            return settle(_RATIONAL_OPS[op](a, b))
        a, b = exact(a), exact(b)
    if a.__class__ is not Interval and b.__class__ is not Interval:
        try:
            return _plain_arithmetic(op, a, b)
        except TypeError:  # a float among exact numbers (a score weight): made exact
            return _plain_arithmetic(op, exact(a), exact(b))
    try:
        return _interval_arithmetic(op, exact(a), exact(b))
    except InvalidOperation:  # ∞ / ∞: the quotient of unbounded parts is unknown
        return None


_RATIONAL_OPS: dict[str, Callable[[Fraction, Fraction], Fraction]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


def _rational(value: Any) -> Any:
    """A number as an exact fraction for arithmetic with a ratio (intervals as they are)."""
    if value.__class__ is Interval or value.__class__ is Fraction:
        return value
    return Fraction(exact(value))


def _plain_arithmetic(op: str, a: Any, b: Any) -> Any:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        return None  # division by zero is undefined: unknown, not an error
    if a.__class__ is int and b.__class__ is int:
        a = Decimal(a)  # a quotient of counts is a decimal, never a float
    return a / b


def _interval_arithmetic(op: str, a: Any, b: Any) -> Any:
    # the operands were made exact (see `arithmetic`): every bound is a Decimal
    a0, a1 = cast("tuple[Decimal, Decimal]", bounds(a))
    b0, b1 = cast("tuple[Decimal, Decimal]", bounds(b))
    if op == "+":
        return interval(a0 + b0, a1 + b1)
    if op == "-":
        return interval(a0 - b1, a1 - b0)
    if op == "*":
        products = [_mul(x, y) for x in (a0, a1) for y in (b0, b1)]
        return interval(min(products), max(products))
    if b0 <= 0 <= b1:
        return None
    quotients = [x / y for x in (a0, a1) for y in (b0, b1)]
    return interval(min(quotients), max(quotients))


def _mul(x: Decimal, y: Decimal) -> Decimal:
    # 0 × ∞ is 0 here: a bound of zero times an unbounded part stays zero
    if x == 0 or y == 0:
        return ZERO
    return x * y


def negate(a: Any) -> Any:
    if a is None:
        return None
    if a.__class__ is Interval:
        return Interval(-a.hi, -a.lo)
    return -a


# ---------------------------------------------------------------- functions of numbers

#: The context of square roots, powers, exponentials and logarithms: 28
#: significant digits, as a quotient; every engine that uses decimals uses it.
MATH_CONTEXT = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN)


def math_function(name: str, x: Any, y: Any = None) -> Any:
    """sqrt, power, exp, ln, round, floor or ceiling of known numbers.

    Unknown (None) for an unknown argument, a partly known one (an interval),
    and outside the function's domain: the root of a negative number, the
    logarithm of zero or less, zero to a negative power, a negative number to
    a power that is not whole, and a result of 10^18 or more in magnitude (the
    largest value a subject's data may hold).  ``round`` rounds halves away
    from zero (24.45 to one decimal is 24.5), the rule of most protocols
    ("rounded half up") and of SAS and SQL's ROUND on decimals.
    """
    if x is None or x.__class__ is Interval or (y is not None and y.__class__ is Interval):
        return None
    a = Decimal(x) if x.__class__ is not Decimal else x
    if not a.is_finite():
        return None
    try:
        result = _math(name, a, y)
    except ArithmeticError:  # decimal overflow or an operation without a value
        return None
    if result is None or not result.is_finite() or abs(result) >= LARGEST:
        return None
    return result


def _math(name: str, a: Decimal, y: Any) -> Decimal | None:
    ctx = MATH_CONTEXT
    if name == "sqrt":
        return ctx.sqrt(a) if a >= 0 else None
    if name == "exp":
        return ctx.exp(a) if a < _EXP_LIMIT else None
    if name == "ln":
        return ctx.ln(a) if a > 0 else None
    if name == "floor":
        return a.to_integral_value(rounding=decimal.ROUND_FLOOR)
    if name == "ceiling":
        return a.to_integral_value(rounding=decimal.ROUND_CEILING)
    if y is None:
        return None
    b = Decimal(y) if y.__class__ is not Decimal else y
    if name == "round":
        rounded = a.quantize(Decimal(1).scaleb(-int(b)), decimal.ROUND_HALF_UP, _WIDE)
        return rounded.quantize(Decimal(1)) if b < 0 else rounded  # 1200, not 1.2E+3
    # power
    whole = b == b.to_integral_value()
    if a == 0:
        return Decimal(1) if b == 0 else (ZERO if b > 0 else None)
    if a < 0 and not whole:
        return None
    if ctx.multiply(b, ctx.ln(abs(a))) >= _EXP_LIMIT:
        return None  # 10^18 or more
    return ctx.power(a, int(b)) if whole else ctx.power(a, b)


#: Rounding keeps every digit of a value below 10^18 to 12 decimals.
_WIDE = decimal.Context(prec=60)

#: exp(x) for x at or above ln(10^18) is beyond the largest value.
_EXP_LIMIT = Decimal("41.44653167389282")


def mean_of(values: list[Any]) -> Any:
    """The mean of known numbers, to 28 significant digits; unknown when there are none."""
    if not values:
        return None
    total = sum((exact(x) for x in values), ZERO)
    return total / len(values)


def median_of(values: list[Any]) -> Any:
    """The median of known numbers: the middle value, or the mean of the two middle values."""
    if not values:
        return None
    ordered = sorted(exact(x) for x in values)
    half = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[half]
    return (ordered[half - 1] + ordered[half]) / 2


@attrs.frozen
class Quantity:
    """A number with its UCUM unit, as results and evidence report it."""

    value: float
    unit: str

    def __str__(self) -> str:
        return f"{format_number(self.value)} {self.unit}"


def format_number(value: float | Decimal) -> str:
    """A number as people write it: 20 not 20.0, at most 6 significant decimals."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction):
        value = settle(value)
    number: float = public_number(value) if isinstance(value, Decimal) else value
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.6g}"


# ---------------------------------------------------------------- dates and durations

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def parse_partial_date(text: str) -> tuple[_dt.date, _dt.date] | None:
    """The first and last day of a date known to the month ("2019-06") or year ("2019")."""
    match = _PARTIAL_DATE.match(text)
    if match is None:
        return None
    year = int(match[1])
    if year < 1:
        return None
    if match[2] is None:
        return _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    month = int(match[2])
    if not 1 <= month <= 12:
        return None
    return _dt.date(year, month, 1), _dt.date(year, month, calendar.monthrange(year, month)[1])


def impute_date(first: _dt.date, last: _dt.date, rule: str) -> _dt.date:
    """The day a partial date stands for: the first or last day of its period, or the
    middle as ADaM conventions take it (the 15th of a month, 1 July of a year)."""
    if rule == "first":
        return first
    if rule == "last":
        return last
    if first.month == last.month:
        return first.replace(day=15)
    return first.replace(month=7, day=1)


def date_interval(first: _dt.date, last: _dt.date) -> Interval:
    """A date known to its month or year: the interval of its days (dates at both ends)."""
    return Interval(cast(Any, first), cast(Any, last))


def period(value: Any) -> tuple[Any, Any] | None:
    """The first and last day of a date value (a partial date is an interval of dates)."""
    if value is None:
        return None
    if value.__class__ is Interval:
        return value.lo, value.hi
    return value, value


def parse_date(text: str) -> _dt.date | None:
    """An ISO ``YYYY-MM-DD`` date; None if it is not one or not a calendar date."""
    match = _ISO_DATE.match(text)
    if match is None:
        return None
    try:
        return _dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def add_months(date: _dt.date, months: int) -> _dt.date:
    """Calendar arithmetic: the same day ``months`` later, clamped to the month's end."""
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    last = calendar.monthrange(year, month + 1)[1]
    # replace(): a date and time keeps its time of day
    return date.replace(year=year, month=month + 1, day=min(date.day, last))


def add_years(date: _dt.date, years: int) -> _dt.date:
    return add_months(date, 12 * years)


def years_between(a: _dt.date, b: _dt.date) -> int:
    """Completed years from ``a`` to ``b`` (an age): the largest n with a + n years ≤ b.

    Negative when ``b`` is before ``a``.  A 29 February anniversary falls on
    28 February in other years (calendar arithmetic clamps to the month's end).
    """
    if b < a:
        return -years_between(b, a)
    n = b.year - a.year
    if (b.month, b.day) < (a.month, a.day) and not (
        a.month == 2 and a.day == 29 and b.month == 2 and b.day == 28 and not _leap(b.year)
    ):
        n -= 1
    return n


def _leap(year: int) -> bool:
    return calendar.isleap(year)


def months_between(a: _dt.date, b: _dt.date) -> int:
    """Completed calendar months from ``a`` to ``b``: the largest n with a + n months ≤ b.

    Negative when ``b`` is before ``a`` (minus the completed months from b to a).
    """
    if b < a:
        return -months_between(b, a)
    n = (b.year - a.year) * 12 + (b.month - a.month)
    while n > 0 and add_months(a, n) > b:
        n -= 1
    return n


def days_between(a: _dt.date, b: _dt.date) -> int:
    return (b - a).days


#: Units of durations in seconds, the one base unit durations are compared in.
#: A month is UCUM's mean month (30.4375 days) and a year its mean Julian year
#: (365.25 days) when compared; added to a date they are calendar units.
_SECONDS: dict[str, int] = {
    "s": 1,
    "min": 60,
    "h": 3600,
    "d": 86400,
    "wk": 7 * 86400,
    "mo": 2629800,  # 30.4375 d
    "a": 31557600,  # 365.25 d
}
_MONTH_UNITS = {"mo": 1, "a": 12}
_MEAN_MONTH_DAYS = Decimal("30.4375")


@attrs.frozen
class Duration:
    """A span of time: ``amount`` of ``unit`` (d, wk, h, min, s exact; mo, a calendar)."""

    amount: Any  # an exact number (Decimal or int)
    unit: str

    def shift(self, date: _dt.date, sign: int) -> _dt.date:
        """``date + self`` (sign 1) or ``date - self`` (sign -1).

        A date (without a time) moves by whole days only: ``date + 5 hours`` is
        the same date, as in CQL; a date and time moves by the exact span.
        """
        amount = exact(self.amount)
        if self.unit in _MONTH_UNITS:
            months = amount * _MONTH_UNITS[self.unit]
            if months == int(months):
                return add_months(date, sign * int(months))
            # a fractional month has no calendar meaning: UCUM's mean month of 30.4375 days
            days = int((months * _MEAN_MONTH_DAYS).to_integral_value())
            return date + _dt.timedelta(days=sign * days)
        seconds = sign * amount * _SECONDS[self.unit]
        if date.__class__ is _dt.date:
            # whole days only (toward zero), so the result is again a date
            return date + _dt.timedelta(days=int(seconds / 86400))
        return date + _dt.timedelta(seconds=float(seconds) if seconds % 1 else int(seconds))

    def seconds(self) -> Any:
        """The exact length in seconds (calendar units at their UCUM mean length)."""
        return exact(self.amount) * _SECONDS[self.unit]

    def days(self) -> Any:
        """The length in days (calendar units at their UCUM mean length), exact."""
        return self.seconds() / Decimal(86400)

    def __str__(self) -> str:
        words = {"d": "days", "wk": "weeks", "mo": "months", "a": "years", "h": "hours"}
        return f"{format_number(self.amount)} {words.get(self.unit, self.unit)}"


def seconds_per(code: str) -> int:
    """Seconds in one duration unit (d, wk, mo, a, h, min, s)."""
    return _SECONDS[code]


def in_seconds(value: Any, scale: int) -> Any:
    """A duration, or a number of ``scale`` seconds each, as an exact number of seconds."""
    if value.__class__ is Duration:
        return value.seconds()
    if value.__class__ is Interval:
        return Interval(exact(value.lo) * scale, exact(value.hi) * scale)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return exact(value) * scale
    return value


def duration_unit(unit: str) -> str | None:
    """The duration unit code (d, wk, mo, a, h, min, s) for a time unit, else None."""
    from protocol_dsl.semantics import units

    try:
        parsed = units.time_unit(unit)
    except units.UnitError:
        return None
    code = units.format_unit(parsed)
    return code if code in _SECONDS else None


def within(
    date: _dt.date | Interval | None, span: Duration | None, direction: str, anchor: _dt.date | None
) -> bool | None:
    """``date within span before|after anchor``: inclusive window between anchor∓span and anchor."""
    if date is None or span is None or anchor is None:
        return None
    if direction == "before":
        low, high = span.shift(anchor, -1), anchor
    else:
        low, high = anchor, span.shift(anchor, 1)
    if isinstance(date, Interval):
        return k_and(compare(">=", date, low), compare("<=", date, high))
    return low <= date <= high


def at_least(
    date: _dt.date | Interval | None, span: Duration | None, direction: str, anchor: _dt.date | None
) -> bool | None:
    """``date at least span before anchor`` ⟺ date ≤ anchor − span; ``after``: ≥ anchor + span."""
    if date is None or span is None or anchor is None:
        return None
    if direction == "before":
        return compare("<=", date, span.shift(anchor, -1))
    return compare(">=", date, span.shift(anchor, 1))


def study_day(date: _dt.date, day1: _dt.date) -> int:
    """The study day of ``date`` when day 1 is ``day1`` (SDTM: there is no day 0)."""
    delta = (date - day1).days
    return delta + 1 if delta >= 0 else delta


def date_of_study_day(day: int, day1: _dt.date) -> _dt.date:
    return day1 + _dt.timedelta(days=day - 1 if day > 0 else day)


# ---------------------------------------------------------------- titers

_TITER = re.compile(r"^\s*1\s*:\s*(\d+)\s*$")


#: The largest titer denominator any engine holds (a 32-bit integer in SQL); real
#: titers stop near 1:10^6, so a larger one is a data error, out of range.
TITER_LARGEST = 2**31 - 1


def parse_titer(value: Any) -> int | None:
    """A titer as its denominator: "1:160" or 160; None if it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value > 0:
        return value
    if isinstance(value, float) and math.isfinite(value) and value > 0 and value == int(value):
        return int(value)
    if isinstance(value, str):
        match = _TITER.match(value)
        if match is not None and int(match[1]) > 0:
            return int(match[1])
        if value.strip().isdigit() and int(value) > 0:
            return int(value)
    return None


def format_titer(denominator: int) -> str:
    return f"1:{denominator}"


# ---------------------------------------------------------------- plain JSON of values


def to_json(value: Any) -> Any:
    """A runtime value as plain JSON (dates as ISO text, intervals as [lo, hi])."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if value.__class__ is Fraction:
        value = settle(value)
    if value.__class__ is Decimal:
        value = public_number(value)
    if isinstance(value, float):
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return int(value) if value == int(value) and abs(value) < 1e15 else value
    if isinstance(value, Interval):
        return [to_json(value.lo), to_json(value.hi)]
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Truth):
        return value.value
    if isinstance(value, Quantity):
        return {"value": to_json(value.value), "unit": value.unit}
    if isinstance(value, Duration):
        return str(value)
    return str(value)


def describe(value: Any, unit: str | None = None) -> str:
    """A value in plain words for evidence: 0.8 g/L, 1:160, 2024-10-01, [6, 10], yes."""
    if value is None:
        return "missing"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, Interval) and isinstance(value.lo, _dt.date):
        return f"between {value.lo.isoformat()} and {value.hi.isoformat()}"
    if isinstance(value, Interval):
        text = f"between {format_number(value.lo)} and {format_number(value.hi)}"
    elif isinstance(value, Fraction):
        text = f"{value.numerator}/{value.denominator}"  # a ratio as exact as it is: 20/3
    elif isinstance(value, (float, Decimal)):
        text = format_number(value)
    elif isinstance(value, _dt.date):
        return value.isoformat()
    else:
        text = str(value)
    return f"{text} {unit}" if unit else text
