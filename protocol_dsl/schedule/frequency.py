"""Dosing frequencies: the CDISC controlled terminology FREQ codelist (C71113).

A regimen's `frequency` is the abbreviation protocols write (QD, BID, Q3W …).
Each carries the FREQ submission value and NCI code SDTM expects in TS DOSFRQ
and EX EXDOSFRQ, from SDTM CT 2025-03-28: the abbreviations of daily dosing
are themselves submission values ("QD", as the CDISC pilot's TS gives it), the
weekly ones are not (Q3W is "EVERY 3 WEEKS", C64535).
Each term here carries what the spec's dosing days can be compared with: the
interval in days between administrations, or the number of administrations a
day, or neither for terms that fix no schedule (PRN, ONCE is a single
administration).  Only the terms a dosing regimen can use are listed; the
codelist itself is extensible and larger.
"""

from __future__ import annotations

from typing import NamedTuple


class Frequency(NamedTuple):
    #: the abbreviation a spec writes (`frequency Q3W`)
    term: str
    #: its meaning in words
    meaning: str
    #: the FREQ submission value (TS DOSFRQ, EX EXDOSFRQ) and its NCI code
    submission: str
    code: str
    #: days between administrations (1 for daily, 21 for every 3 weeks); None when not fixed
    interval_days: int | None = None
    #: administrations on each dosing day (2 for BID)
    per_day: int = 1
    #: a single administration in all
    once: bool = False


FREQUENCIES: dict[str, Frequency] = {
    f.term: f
    for f in (
        Frequency("ONCE", "one time", "ONCE", "C64576", once=True),
        Frequency("QD", "daily", "QD", "C25473", 1),
        Frequency("BID", "twice per day", "BID", "C64496", 1, per_day=2),
        Frequency("TID", "three times per day", "TID", "C64527", 1, per_day=3),
        Frequency("QID", "four times per day", "QID", "C64530", 1, per_day=4),
        Frequency("QOD", "every other day", "QOD", "C64525", 2),
        Frequency("QW", "every week", "EVERY WEEK", "C67069", 7),
        Frequency("Q2W", "every 2 weeks", "EVERY 2 WEEKS", "C71127", 14),
        Frequency("Q3W", "every 3 weeks", "EVERY 3 WEEKS", "C64535", 21),
        Frequency("Q4W", "every 4 weeks", "EVERY 4 WEEKS", "C64529", 28),
        Frequency("Q6W", "every 6 weeks", "EVERY 6 WEEKS", "C89788", 42),
        Frequency("Q8W", "every 8 weeks", "EVERY 8 WEEKS", "C103389", 56),
        Frequency("Q12W", "every 12 weeks", "EVERY 12 WEEKS", "C161332", 84),
        Frequency("QM", "every month", "QM", "C64498", None),
        Frequency("PRN", "as needed", "PRN", "C64499", None),
        Frequency("CONTINUOUS", "continuous", "CONTINUOUS", "C53279", None),
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
