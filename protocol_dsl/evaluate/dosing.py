"""Dose records matched to the doses a regimen plans, on the subject's calendar.

Each planned administration is due on a date of the subject's calendar
(`evaluate.calendar`): at its host visit's due date, a cycle's first visit
counting from the date the cycle really started (a dose given at a delayed
C3D1 is on time), a dose of `of each CYCLE` with no host visit at its day of
its cycle, any other on its study day.  Its window is the host visit's.

Dose records are assigned to planned doses by date, and each planned date
(with every dose planned on it: two regimens, or BID) takes its records:

1. a record inside a planned date's window belongs to it (the earliest such
   date when windows overlap);
2. a record outside every window belongs to the planned date whose due date
   is nearest (the earlier on a tie);
3. a planned date takes its in-window records first, then the out-of-window
   ones, each nearest its due date first (then the earlier), one per dose
   planned that day: an in-window
   record is on time, an out-of-window one is DOSE_OUT_OF_WINDOW (late or
   early), a record beyond the doses planned that day is an extra dose,
   DOSE_ON_UNPLANNED_DAY (DOSES_BEYOND_MAXIMUM when the regimen's `at_most`
   count was already reached);
4. a planned dose with no record is PLANNED_DOSE_MISSING once the subject
   was seen (a visit or a dose record) after its window closed; before that
   it may still come, and nothing is reported.

The matching reads dates only, so that the same rules can be written as
queries over a table of records.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import attrs


@attrs.frozen
class Slot:
    """Doses planned for one date: their indexes into the plan, and the window."""

    due: _dt.date
    window_before: int
    window_after: int
    doses: tuple[int, ...]

    @property
    def earliest(self) -> _dt.date:
        return self.due - _dt.timedelta(days=self.window_before)

    @property
    def latest(self) -> _dt.date:
        return self.due + _dt.timedelta(days=self.window_after)


@attrs.frozen
class Outcome:
    """What became of each planned dose and each record."""

    #: record index → (planned dose index, on time)
    given: dict[int, tuple[int, bool]]
    #: records that match no planned dose, in date order
    extra: tuple[int, ...]
    #: planned doses with no record, whose window closed before the subject was last seen
    missing: tuple[int, ...]


def slots(due: Sequence[tuple[_dt.date, int, int]]) -> list[Slot]:
    """Planned doses (due date, window before, window after) grouped by due date."""
    grouped: dict[_dt.date, list[int]] = {}
    windows: dict[_dt.date, tuple[int, int]] = {}
    for index, (date, before, after) in enumerate(due):
        grouped.setdefault(date, []).append(index)
        low, high = windows.get(date, (before, after))
        windows[date] = (max(low, before), max(high, after))
    return [
        Slot(date, windows[date][0], windows[date][1], tuple(grouped[date]))
        for date in sorted(grouped)
    ]


def match(
    planned: Sequence[Slot], records: Sequence[_dt.date], last_seen: _dt.date | None
) -> Outcome:
    """Assign dose records (their dates, by index) to planned slots; see the module doc."""
    taken: dict[int, list[tuple[bool, int, _dt.date, int]]] = {}
    for index, date in enumerate(records):
        slot = _slot_of(planned, date)
        if slot is None:
            continue
        inside = planned[slot].earliest <= date <= planned[slot].latest
        # in-window records first, then the nearest the due date, then by date, as recorded
        distance = abs((date - planned[slot].due).days)
        taken.setdefault(slot, []).append((not inside, distance, date, index))
    given: dict[int, tuple[int, bool]] = {}
    assigned: set[int] = set()
    for slot, found in taken.items():
        doses = planned[slot].doses
        for (outside, _distance, _date, record), dose in zip(sorted(found), doses, strict=False):
            given[record] = (dose, not outside)
            assigned.add(dose)
    extra = tuple(
        sorted(
            (i for i in range(len(records)) if i not in given),
            key=lambda i: (records[i], i),
        )
    )
    missing = tuple(
        dose
        for slot in planned
        if last_seen is not None and last_seen > slot.latest
        for dose in slot.doses
        if dose not in assigned
    )
    return Outcome(given, extra, missing)


def _slot_of(planned: Sequence[Slot], date: _dt.date) -> int | None:
    for index, slot in enumerate(planned):
        if slot.earliest <= date <= slot.latest:
            return index
    best: int | None = None
    distance = 0
    for index, slot in enumerate(planned):
        gap = abs((date - slot.due).days)
        if best is None or gap < distance:
            best, distance = index, gap
    return best
