"""Study days and durations in days: the arithmetic the time line is built from.

Study days count from day 1, the first day of treatment; day -1 is the day
before, and there is no day 0.  `ordinal` turns a study day into a continuous
count (day 1 → 0, day -1 → -1), `from_ordinal` turns it back, and `shift`
moves a day by a number of days.  `days` turns a duration written in a spec
("21 days", "6 weeks", "3 years") into days.

These sit in the bottom layer, beside the model, because the expansion of
cycles and repeats into visits (`protocol_dsl.timeline`) happens when a spec
is resolved, below the semantics layer; the UCUM unit system of
`protocol_dsl.semantics.units` reads its time units from here, so the two
never disagree on how long a month is.
"""

from __future__ import annotations

from fractions import Fraction

from protocol_dsl import model as m

#: Seconds in each UCUM unit of time the language accepts for a duration: mo and a
#: are UCUM's mean Julian month (30.4375 d) and year (365.25 d).
SECONDS: dict[str, Fraction] = {
    "s": Fraction(1),
    "min": Fraction(60),
    "h": Fraction(3600),
    "d": Fraction(86400),
    "wk": Fraction(604800),
    "mo": Fraction(2629800),
    "a": Fraction(31557600),
}

#: The words of the language for units of time, and the UCUM code each stands for.
TIME_WORDS: dict[str, str] = {
    "second": "s",
    "seconds": "s",
    "minute": "min",
    "minutes": "min",
    "hour": "h",
    "hours": "h",
    "day": "d",
    "days": "d",
    "week": "wk",
    "weeks": "wk",
    "month": "mo",
    "months": "mo",
    "year": "a",
    "years": "a",
}

_DAY = SECONDS["d"]


def time_code(unit: str) -> str | None:
    """The UCUM code of a unit of time written as a word or a code; None if it is not one."""
    word = unit.strip()
    code = TIME_WORDS.get(word.lower(), word)
    return code if code in SECONDS else None


def exact_days(quantity: m.Quantity) -> Fraction | None:
    """A duration in days, exactly (1 h is 1/24 day); None if it is not a duration."""
    code = time_code(quantity.unit)
    if code is None:
        return None
    return Fraction(quantity.value) * SECONDS[code] / _DAY


def days(quantity: m.Quantity) -> int | None:
    """A duration in whole days (months and years at their mean length, rounded)."""
    exact = exact_days(quantity)
    return None if exact is None else round(exact)


def ordinal(day: int) -> int:
    """Days since day 1 (day 1 → 0, day 2 → 1, day -1 → -1)."""
    return day - 1 if day > 0 else day


def from_ordinal(count: int) -> int:
    """The study day `count` days after day 1 (the inverse of `ordinal`)."""
    return count + 1 if count >= 0 else count


def shift(day: int, by: int) -> int:
    """The study day `by` days after `day` (before it when negative), skipping day 0."""
    return from_ordinal(ordinal(day) + by)


def week_day(week: int) -> int:
    """The study day of week `week`: week 0 is day 1, week 1 is day 8, week -1 is day -7."""
    return shift(1, 7 * week)
