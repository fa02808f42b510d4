"""Dosing frequencies: the CDISC controlled terminology FREQ codelist (C71113).

A regimen's `frequency` is a FREQ submission value, the form SDTM expects in
TS DOSFRQ and EX EXDOSFRQ (the CDISC pilot's TS, for one, gives DOSFRQ "QD").
Each term here carries what the spec's dosing days can be compared with: the
interval in days between administrations, or the number of administrations a
day, or neither for terms that fix no schedule (PRN, ONCE is a single
administration).  Only the terms a dosing regimen can use are listed; the
codelist itself is extensible and larger.
"""

from __future__ import annotations

from typing import NamedTuple


class Frequency(NamedTuple):
    #: the CDISC submission value (TS DOSFRQ, EX EXDOSFRQ)
    term: str
    #: its meaning in words, as the codelist's preferred term says it
    meaning: str
    #: days between administrations (1 for daily, 21 for every 3 weeks); None when not fixed
    interval_days: int | None = None
    #: administrations on each dosing day (2 for BID)
    per_day: int = 1
    #: a single administration in all
    once: bool = False


FREQUENCIES: dict[str, Frequency] = {
    f.term: f
    for f in (
        Frequency("ONCE", "one time", once=True),
        Frequency("QD", "daily", 1),
        Frequency("BID", "twice per day", 1, per_day=2),
        Frequency("TID", "three times per day", 1, per_day=3),
        Frequency("QID", "four times per day", 1, per_day=4),
        Frequency("QOD", "every other day", 2),
        Frequency("QW", "every week", 7),
        Frequency("Q2W", "every 2 weeks", 14),
        Frequency("Q3W", "every 3 weeks", 21),
        Frequency("Q4W", "every 4 weeks", 28),
        Frequency("Q6W", "every 6 weeks", 42),
        Frequency("Q8W", "every 8 weeks", 56),
        Frequency("Q12W", "every 12 weeks", 84),
        Frequency("QM", "every month", None),
        Frequency("PRN", "as needed", None),
        Frequency("CONTINUOUS", "continuous", None),
    )
}


def frequency(term: str) -> Frequency | None:
    """The FREQ term written `term` (case as in the codelist: upper), None if not one."""
    return FREQUENCIES.get(term)


def term_for_interval(days: int) -> Frequency | None:
    """The FREQ term for an administration every `days` days (21 → Q3W), None if none."""
    for f in FREQUENCIES.values():
        if f.interval_days == days and f.per_day == 1:
            return f
    return None
