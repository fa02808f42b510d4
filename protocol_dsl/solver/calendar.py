"""Calendar arithmetic for the solver: day numbers, exact month shifts and their bounds.

Dates are whole day numbers counted from 1970-01-01.  Days and weeks are exact;
months and years are calendar arithmetic clamped to the month's end (31 January
plus one month is 28 or 29 February), and `years_between` / `months_between`
count completed years or months (the largest n with a + n ≤ b; minus the
completed count from b to a when b is before a).

A solver cannot do calendar arithmetic on an unknown date, so the encoder
bounds it: n calendar months always last n × 30.436875 days (the Gregorian mean
month, 146097 days / 4800 months) within `MONTH_SLACK` days, in either
direction, for every start date and every n (checked over a whole 400-year
cycle, see tests/solver/test_calendar.py).  Where a date is known the exact
functions here give the exact answer.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as _dt
from fractions import Fraction

EPOCH = _dt.date(1970, 1, 1)
_EPOCH_ORDINAL = EPOCH.toordinal()

#: The mean Gregorian month in days, exactly.
MEAN_MONTH = Fraction(146097, 4800)

#: How far n calendar months can be from n mean months, in days (the true worst case is 4.39).
MONTH_SLACK = 5

#: UCUM's mean month (30.4375 days), used for a fractional number of months.
UCUM_MONTH = Fraction(304375, 10000)


def day_number(date: _dt.date) -> int:
    return date.toordinal() - _EPOCH_ORDINAL


def date_of(number: int) -> _dt.date:
    return _dt.date.fromordinal(number + _EPOCH_ORDINAL)


def add_months(date: _dt.date, months: int) -> _dt.date:
    """The same day `months` later (or earlier), clamped to the month's end."""
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return _dt.date(year, month + 1, min(date.day, last))


def shift_days(day: int, months: Fraction) -> int:
    """Day number `day` shifted by a (signed) number of calendar months."""
    if months.denominator != 1:
        return day + round(months * UCUM_MONTH)
    return day_number(add_months(date_of(day), int(months)))


def completed_months(a: int, b: int) -> int:
    """Completed calendar months from day a to day b (negative when b is before a)."""
    if b < a:
        return -completed_months(b, a)
    first, last = date_of(a), date_of(b)
    n = (last.year - first.year) * 12 + (last.month - first.month)
    while n > 0 and add_months(first, n) > last:
        n -= 1
    return n


def completed(a: int, b: int, unit_months: int) -> int:
    """Completed years (unit_months 12) or months (1) from day a to day b."""
    if b < a:
        return -(completed_months(b, a) // unit_months)
    return completed_months(a, b) // unit_months


def first_dates_for(b: int, count: int, unit_months: int) -> tuple[int, int] | None:
    """The days a with completed(a, b) == count, as an inclusive interval (None if none).

    `completed(a, b)` never increases as a moves later, so the days form one interval;
    it is found near b − count units by a short walk in each direction.
    """
    guess = shift_days(b, Fraction(-count * unit_months))
    return _interval(lambda a: completed(a, b, unit_months), guess, count, increasing=False)


def second_dates_for(a: int, count: int, unit_months: int) -> tuple[int, int] | None:
    """The days b with completed(a, b) == count, as an inclusive interval (None if none)."""
    guess = shift_days(a, Fraction(count * unit_months))
    return _interval(lambda b: completed(a, b, unit_months), guess, count, increasing=True)


def _interval(f, guess: int, count: int, *, increasing: bool) -> tuple[int, int] | None:
    # Walk to any day where f == count (it is within a few days of the guess), then
    # to both ends of the run of such days.  A unit is at most 366 days long.
    day = guess
    for _ in range(400):
        value = f(day)
        if value == count:
            break
        before = value < count
        day += 1 if before == increasing else -1
    else:
        return None
    low = high = day
    while f(low - 1) == count:
        low -= 1
    while f(high + 1) == count:
        high += 1
    return low, high
