"""Endpoint values of a run, whatever engine computed them, and their analysis tables.

Both engines (the interpreter, `protocol_dsl.analysis.derive`, and the SQL
back end, `generators/endpoints`) fill the same `SubjectValues`, so the tables
they write are compared cell by cell in the tests.  Values are three-valued:
`None` is unknown, never no.

The tables, one CSV file each (docs/endpoints.md):

* ``adsl.csv`` — one row per subject, a column per `flag` endpoint (ADSL);
* ``bds.csv`` — one row per subject and `responder` or `value` endpoint
  (BDS: USUBJID, PARAMCD, PARAM, AVISIT, AVAL, AVALC);
* ``<log>.csv`` — one row per record of a log with a column per `flag per`
  endpoint on it, the rows in the order of the input (e.g. ADAE's TRTEMFL);
* ``adtte.csv`` — one row per subject and time-to-event endpoint (ADTTE:
  STARTDT, ADT, AVAL, CNSR, EVNTDESC);
* ``evidence.csv`` — why each value is what it is, and for an unknown one the
  data it needs (the interpreter only, as for `protocol screen`).

A flag is ``Y``, ``N`` or empty when unknown; AVAL of a response is 1 or 0.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from protocol_dsl.analysis.plan import EndpointPlan, EventCount
from protocol_dsl.csv_cells import Cell, write_csv


@attrs.frozen
class Value:
    """One endpoint value with why it is what it is (empty from the SQL engine)."""

    value: Any  # True / False / None, a number, a date
    why: str = ""
    missing: tuple[str, ...] = ()


@attrs.frozen
class Event:
    """A subject's time to event: origin, analysis date, days, censoring (None: unknown)."""

    start: _dt.date | None
    date: _dt.date | None
    days: int | None
    censored: bool | None
    why: str = ""
    missing: tuple[str, ...] = ()


@attrs.frozen
class Count:
    """A subject's count of records, or rate: the count, the time at risk, the rate
    (None: unknown)."""

    events: int | None
    start: _dt.date | None = None
    end: _dt.date | None = None
    days: int | None = None
    rate: Fraction | None = None
    why: str = ""
    missing: tuple[str, ...] = ()


@attrs.define
class SubjectValues:
    subject_id: str
    values: dict[str, Value] = attrs.field(factory=dict)
    #: log storage name -> one dict per record (in input order): flag name -> value
    records: dict[str, list[dict[str, Value]]] = attrs.field(factory=dict)
    events: dict[str, Event] = attrs.field(factory=dict)
    counts: dict[str, Count] = attrs.field(factory=dict)


def time_to_event(
    origin: _dt.date | None,
    happened: bool | None,
    first: _dt.date | None,
    censor: _dt.date | None,
) -> tuple[_dt.date | None, int | None, bool | None]:
    """(analysis date, days, censored) from the four parts of a time to event.

    An event is the first qualifying record's date; one after the censoring
    date is not observed (censored at that date).  No qualifying record:
    censored at the censoring date.  Whether one happened unknown, or its date
    unknown: unknown.  Days count the origin as day 1 (ADaM: ADT − STARTDT + 1).
    """
    date: _dt.date | None
    if happened is True and first is not None:
        if censor is not None and first > censor:
            date, censored = censor, True
        else:
            date, censored = first, False
    elif happened is False:
        date, censored = censor, True
    else:
        return None, None, None
    if date is None or origin is None:
        return date, None, censored
    return date, (date - origin).days + 1, censored


def event_count(
    counted: EventCount,
    events: Any,
    start: _dt.date | None,
    end: _dt.date | None,
    why: str = "",
    missing: tuple[str, ...] = (),
) -> Count:
    """A count, or a rate from its count and time at risk, as both engines report it.

    The time at risk counts both its first and its last day (end − start + 1
    days, as ADTTE's AVAL); the rate is the count over it, in the rate's unit
    of time (a year of 365.25 days).  Unknown when the count or either end is
    unknown, or when the time at risk ends before it starts.
    """
    count = events if isinstance(events, int) and not isinstance(events, bool) else None
    if counted.kind == "count":
        return Count(count, why=why, missing=missing if count is None else ())
    days = None if start is None or end is None else (end - start).days + 1
    per = counted.per_days
    rate = None
    if count is not None and days is not None and days > 0 and per is not None:
        rate = Fraction(count) / days * per
    if days is not None and days <= 0:
        why = "; ".join(
            filter(None, [why, f"the time at risk ends on {end} before it starts on {start}"])
        )
    return Count(count, start, end, days, rate, why, missing if rate is None else ())


def duration(counted: EventCount, days: int | None) -> Fraction | None:
    """ADURN: the time at risk in the rate's unit of time (days / days per unit)."""
    per = counted.per_days
    if days is None or per is None or counted.per is None:
        return None
    return Fraction(days) / (per / Fraction(counted.per.value))


# ---------------------------------------------------------------- tables


def write_tables(
    plan: EndpointPlan, subjects: Sequence[SubjectValues], out_dir: Path, *, evidence: bool
) -> list[Path]:
    """Every table the plan calls for, in `out_dir`; the files written, in order."""
    subjects = sorted(subjects, key=lambda s: s.subject_id)
    written: list[Path] = []
    flags = [e for e in plan.subject if e.kind == "flag"]
    if flags:
        header = ["USUBJID", *(e.name for e in flags)]
        rows: list[list[Cell]] = [
            [s.subject_id, *(_flag(s.values[e.name].value) for e in flags)] for s in subjects
        ]
        written.append(write_csv(out_dir / "adsl.csv", header, rows))
    bds = [e for e in plan.subject if e.kind != "flag"]
    if bds:
        rows = []  # one per subject and endpoint
        for s in subjects:
            for endpoint in bds:
                for key, avisit in zip(endpoint.keys, endpoint.labels, strict=True):
                    value = s.values[key].value
                    if endpoint.kind == "responder":
                        aval: Cell = None if value is None else (1 if value else 0)
                        avalc: Cell = _flag(value)
                    else:
                        aval, avalc = _number(value), None
                    rows.append([s.subject_id, endpoint.name, endpoint.text, avisit, aval, avalc])
        header = ["USUBJID", "PARAMCD", "PARAM", "AVISIT", "AVAL", "AVALC"]
        written.append(write_csv(out_dir / "bds.csv", header, rows))
    for log in plan.logs:
        on_log = [f for f in plan.records if f.log is log]
        storage = _storage(subjects, log.name)
        rows = []
        for s in subjects:
            for number, record in enumerate(s.records.get(storage, ()), start=1):
                rows.append([s.subject_id, number, *(_flag(record[f.name].value) for f in on_log)])
        header = ["USUBJID", "RECORD", *(f.name for f in on_log)]
        written.append(write_csv(out_dir / f"{storage}.csv", header, rows))
    if plan.events:
        rows = []
        for s in subjects:
            for tte in plan.events:
                event = s.events[tte.name]
                description = (
                    None
                    if event.censored is None
                    else tte.censor_description
                    if event.censored
                    else tte.event_description
                )
                rows.append(
                    [
                        s.subject_id,
                        tte.name,
                        tte.text,
                        _date(event.start),
                        _date(event.date),
                        event.days,
                        None if event.censored is None else int(event.censored),
                        description,
                    ]
                )
        header = ["USUBJID", "PARAMCD", "PARAM", "STARTDT", "ADT", "AVAL", "CNSR", "EVNTDESC"]
        written.append(write_csv(out_dir / "adtte.csv", header, rows))
    if plan.counts:
        rows = []
        for s in subjects:
            for counted in plan.counts:
                got = s.counts[counted.name]
                count_or_rate: int | Fraction | None = (
                    got.events if counted.kind == "count" else got.rate
                )
                rows.append(
                    [
                        s.subject_id,
                        counted.name,
                        counted.text,
                        _number(count_or_rate),
                        got.events,
                        _date(got.start),
                        _date(got.end),
                        _number(duration(counted, got.days)),
                        counted.duration_unit,
                    ]
                )
        header = ["USUBJID", "PARAMCD", "PARAM", "AVAL", "EVCOUNT", "ASTDT", "AENDT", "ADURN",
                  "ADURU"]  # fmt: skip
        written.append(write_csv(out_dir / "adrate.csv", header, rows))
    if evidence:
        written.append(
            write_csv(
                out_dir / "evidence.csv",
                ["USUBJID", "PARAMCD", "RECORD", "RESULT", "WHY", "MISSING"],
                _evidence_rows(plan, subjects),
            )
        )
    return written


def _evidence_rows(plan: EndpointPlan, subjects: Iterable[SubjectValues]) -> Iterable[list[Cell]]:
    for s in subjects:
        for endpoint in plan.subject:
            for key in endpoint.keys:
                value = s.values[key]
                yield [s.subject_id, key, None, _shown(value.value), value.why,
                       "; ".join(value.missing)]  # fmt: skip
        for flag in plan.records:
            for number, record in enumerate(s.records.get(_storage([s], flag.log.name), ()), 1):
                value = record[flag.name]
                yield [s.subject_id, flag.name, number, _shown(value.value), value.why,
                       "; ".join(value.missing)]  # fmt: skip
        for counted in plan.counts:
            got = s.counts[counted.name]
            result = got.events if counted.kind == "count" else got.rate
            yield [s.subject_id, counted.name, None, _shown(result), got.why,
                   "; ".join(got.missing)]  # fmt: skip
        for tte in plan.events:
            event = s.events[tte.name]
            shown = (
                "unknown"
                if event.censored is None
                else f"censored at {_date(event.date) or 'an unknown date'}"
                if event.censored
                else f"event on {_date(event.date)}"
            )
            yield [s.subject_id, tte.name, None, shown, event.why, "; ".join(event.missing)]


def _storage(subjects: Iterable[SubjectValues], name: str) -> str:
    """The storage key of a log (its name, or `library__form` for a library's form)."""
    for s in subjects:
        for key in s.records:
            if key == name or key.endswith(f"__{name}"):
                return key
    return name


def _flag(value: Any) -> str | None:
    if value is True:
        return "Y"
    if value is False:
        return "N"
    return None


def _shown(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return "unknown"
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(_number(value))


def _number(value: Any) -> Cell:
    """A number as written in a table: 12 significant digits.

    The interpreter computes in exact decimals and SQL in binary floating
    point; they differ in the 16th digit of a quotient (12.962962962962962 and
    …964), never in the 12th, so both engines write the same cell.
    """
    if value is None or isinstance(value, bool):
        return None
    magnitude = getattr(value, "value", value)  # a quantity: its number
    if isinstance(magnitude, int):
        return magnitude
    if isinstance(magnitude, Fraction):
        magnitude = Decimal(magnitude.numerator) / Decimal(magnitude.denominator)
    if isinstance(magnitude, (float, Decimal)):
        if magnitude != magnitude or magnitude in (float("inf"), float("-inf")):
            return None
        return Decimal(format(float(magnitude), ".12g"))
    return str(value)


def _date(value: _dt.date | None) -> str | None:
    return None if value is None else value.isoformat()
