"""Subject records for differential tests, generated around every threshold of a spec's rules.

The thresholds come from the spec's screening plan: every number, titer and
date a rule compares an item with, every time window and every age limit.
Values land on, just below and just above each of them, in the item's unit
or in another unit of its kind, and sometimes missing or invalid (a wrong
type, an unknown code, an impossible date, a unit the item cannot have, a
value outside its range) — so that met, not met and unknown all occur.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from fractions import Fraction
from typing import Any

import attrs
from hypothesis import strategies as st

from protocol_dsl.plan import nodes as n
from protocol_dsl.plan.dictionary import Column, Table
from protocol_dsl.plan.lower import Plan, build_plan
from protocol_dsl.spec import Spec


@attrs.frozen
class Hints:
    """What the rules compare with: numbers per item, date offsets from visits."""

    numbers: dict[tuple[str, str], tuple[Fraction, ...]]
    dates: tuple[tuple[str, int, int], ...]  # (visit, days, months) from the visit
    fixed_dates: tuple[dt.date, ...]
    visits: tuple[str, ...]


def hints(plan: Plan) -> Hints:
    numbers: dict[tuple[str, str], set[Fraction]] = defaultdict(set)
    dates: set[tuple[str, int, int]] = set()
    fixed: set[dt.date] = set()
    visits: set[str] = set()
    for criterion in plan.criteria:
        for node in n.walk(criterion.condition):
            if isinstance(node, n.VisitDate):
                visits.add(node.visit)
            if isinstance(node, n.ShiftDate) and isinstance(node.date, n.VisitDate):
                dates.add((node.date.visit, node.days, node.months))
            if isinstance(node, n.Const) and node.kind == "date" and node.value is not None:
                fixed.add(node.value)  # type: ignore[arg-type]
            if not isinstance(node, n.Compare):
                continue
            for side, other in ((node.left, node.right), (node.right, node.left)):
                if not isinstance(other, n.Const) or other.value is None:
                    continue
                leaf = side.arg if isinstance(side, n.Scale) else side
                if isinstance(leaf, (n.Item, n.Field)) and other.kind in ("number", "titer"):
                    numbers[(leaf.table, leaf.item)].add(Fraction(other.value))  # type: ignore[arg-type]
                if isinstance(leaf, n.Elapsed) and isinstance(leaf.end, n.VisitDate):
                    k = int(Fraction(other.value))  # type: ignore[arg-type]
                    if leaf.unit == "year":
                        dates.update((leaf.end.visit, 0, -12 * (k + d)) for d in (0, 1))
                    elif leaf.unit == "month":
                        dates.update((leaf.end.visit, 0, -(k + d)) for d in (0, 1))
                    else:
                        dates.add((leaf.end.visit, -k, 0))
    return Hints(
        {key: tuple(sorted(values)) for key, values in numbers.items()},
        tuple(sorted(dates)),
        tuple(sorted(fixed)),
        tuple(sorted(visits)),
    )


# ---------------------------------------------------------------- values of one item


def _short(value: Fraction | float) -> float:
    """A number with few decimals, as data managers record them."""
    return float(round(Fraction(value), 3))


def _numbers(column: Column, thresholds: tuple[Fraction, ...]) -> list[float]:
    candidates: set[float] = set()
    steps = (0, 1) if column.item_kind == "integer" else (0, Fraction(1, 10), 1)
    for t in thresholds:
        for step in steps:
            candidates.update({_short(t - step), _short(t + step)})
    for bound in (column.low, column.high):
        if bound is not None:
            candidates.update({_short(bound), _short(Fraction(repr(bound)) + 1)})
    candidates.update({0.0, 1.0, 5.0, 10.0, 20.0, 30.0, 40.0, 7.5})
    if column.item_kind == "integer":
        candidates = {float(int(c)) for c in candidates}
    return sorted(candidates)


def _quantity(draw: st.DrawFn, column: Column, number: float, clean: bool) -> Any:
    """The number in the item's unit, as recorded: plain, with its unit, or in another unit."""
    tidy = [c for c in column.conversions if c.offset == 0 and _power_of_ten(c.num, c.den)]
    form = draw(st.integers(0, 9))
    if form <= 4 or not tidy:
        return number
    if form == 5:
        return {"value": number, "unit": column.unit}
    if form == 6 and not clean:
        return {"value": number, "unit": "mmol/L" if column.unit != "mmol/L" else "kg"}
    conversion = draw(st.sampled_from(tidy))
    # a value in that unit which reads back as `number` in the item's unit
    recorded = Fraction(repr(number)) * conversion.den / conversion.num
    return {"value": float(recorded), "unit": conversion.unit}


def _power_of_ten(num: int, den: int) -> bool:
    ratio = Fraction(num, den)
    while ratio.numerator % 10 == 0:
        ratio /= 10
    while ratio.denominator % 10 == 0:
        ratio *= 10
    return ratio == 1


_YES_NO = [True, False, True, False, "yes", "no", "Y", "false", 1, 0, "maybe"]


def _value(
    draw: st.DrawFn,
    table: Table,
    column: Column,
    h: Hints,
    visit_dates: dict[str, dt.date],
    clean: bool = False,
) -> Any:
    """A value for the item: near its thresholds; unless `clean`, sometimes missing or invalid."""
    kind = column.item_kind
    roll = draw(st.integers(2 if clean else 0, 19))
    if roll == 0:
        return None
    if roll == 1:  # a wrong type
        return draw(st.sampled_from(["abc", [1], {"x": 1}, True if kind != "yes_no" else 7]))
    if kind in ("number", "integer", "quantity"):
        thresholds = h.numbers.get((table.name, column.name), ())
        number = draw(st.sampled_from(_numbers(column, thresholds)))
        if clean and column.low is not None and not column.low <= number <= column.high:  # type: ignore[operator]
            number = float(column.low)
        if kind == "quantity":
            return _quantity(draw, column, number, clean)
        if kind == "integer" and roll == 2 and not clean:
            return number + 0.5  # not a whole number
        return str(number) if roll == 3 else number
    if kind == "yes_no":
        return draw(st.sampled_from(_YES_NO[:-1] if clean else _YES_NO))
    if kind == "choice":
        codes = list(column.codes or ())
        if clean:
            return draw(st.sampled_from(codes)) if codes else None
        return draw(st.sampled_from([*codes, *codes, "not_a_code"])) if codes else "x"
    if kind == "titer":
        thresholds = [int(t) for t in h.numbers.get((table.name, column.name), ()) if t > 0]
        base = draw(st.sampled_from([*thresholds, 40, 80, 160])) if thresholds else 80
        value = draw(st.sampled_from([base, base // 2 or 1, base * 2]))
        forms = [value, f"1:{value}", f"1 : {value}"] + ([] if clean else [0, "1:x"])
        return draw(st.sampled_from(forms))
    if kind in ("date", "datetime", "partial_date"):
        return _date_text(draw, h, visit_dates, kind, clean)
    return draw(st.sampled_from(["", "note", "Prednisone 10 mg", "é\"'\\"]))


def _date_text(
    draw: st.DrawFn, h: Hints, visit_dates: dict[str, dt.date], kind: str, clean: bool
) -> Any:
    options: list[dt.date] = list(h.fixed_dates)
    for visit, days, months in h.dates:
        anchor = visit_dates.get(visit)
        if anchor is not None:
            shifted = _shift(anchor, days, months)
            options += [shifted + dt.timedelta(days=d) for d in (-1, 0, 1)]
    options += list(visit_dates.values())
    if not options:
        options = [dt.date(2024, 1, 15)]
    date = draw(st.sampled_from(options)) + dt.timedelta(
        days=draw(st.sampled_from([0, 0, 0, -40, 40]))
    )
    text = date.isoformat()
    roll = draw(st.integers(1 if clean else 0, 9))
    if roll == 0:
        return text[:8] + "31"  # often not a calendar date
    if roll == 1 or kind == "datetime":
        return text + "T08:30:00"
    if kind == "partial_date" and roll >= 6:  # known to the month or the year only
        return text[:7] if roll < 8 else text[:4]
    return text


def _shift(date: dt.date, days: int, months: int) -> dt.date:
    if months:
        index = date.year * 12 + date.month - 1 + months
        year, month = divmod(index, 12)
        month += 1
        last = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return dt.date(year, month, min(date.day, last))
    return date + dt.timedelta(days=days)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# ---------------------------------------------------------------- whole subjects

_BASE_DATES = [
    dt.date(2024, 2, 29),
    dt.date(2025, 1, 31),
    dt.date(2025, 3, 31),
    dt.date(2024, 12, 31),
    dt.date(2025, 6, 15),
    dt.date(2023, 3, 1),
]


def _visit_dates(record: dict) -> dict[str, dt.date]:
    dates = {}
    for visit, text in (record.get("visits") or {}).items():
        try:
            dates[visit] = dt.date.fromisoformat(text)
        except (TypeError, ValueError):
            continue
    return dates


@st.composite
def _clean_baseline(draw: st.DrawFn, spec: Spec, plan: Plan, h: Hints) -> dict:
    """A subject with every item recorded and valid (for specs without a hand-written one)."""
    start = draw(st.sampled_from(_BASE_DATES))
    visits = {
        v.name: (start + dt.timedelta(days=v.day)).isoformat()
        for v in spec.visit_order
        if v.day is not None
    }
    record: dict[str, Any] = {"visits": visits, "forms": {}}
    dates = _visit_dates(record)
    for table in plan.dictionary.tables:
        if table.repeating:
            record["forms"][table.name] = [
                _record(draw, table, h, dates, clean=True) for _ in range(draw(st.integers(0, 2)))
            ]
        else:
            record["forms"][table.name] = {
                visit: _record(draw, table, h, dates, clean=True) for visit in table.visits[:2]
            }
    attested = [c.id for c in plan.criteria if c.attested]
    record["attestations"] = {cid: True for cid in attested}
    return record


@st.composite
def subject_records(
    draw: st.DrawFn, spec: Spec, plan: Plan, h: Hints, subject_id: str, base: dict | None
) -> dict:
    """One subject record: `base` (or a clean random subject) with some values changed.

    How much changes is drawn per subject, from nothing to nearly everything.
    """
    record = copy.deepcopy(base) if base is not None else draw(_clean_baseline(spec, plan, h))
    record["subject_id"] = subject_id
    noise = draw(st.sampled_from([0.0, 0.03, 0.1, 0.3, 0.8]))

    def change() -> bool:
        return draw(st.floats(0, 1)) < noise

    visits = record.setdefault("visits", {})
    for visit in list(visits):
        if change():
            shifted = dt.date.fromisoformat(visits[visit]) + dt.timedelta(
                days=draw(st.sampled_from([-1, 1, -30, 30, 400]))
            )
            visits[visit] = draw(st.sampled_from([shifted.isoformat(), None, "2025-02-30"]))
    dates = _visit_dates(record)
    forms = record.setdefault("forms", {})
    for table in plan.dictionary.tables:
        content = forms.get(table.name)
        if table.repeating:
            records = list(content or [])
            for r in records:
                _mutate(draw, r, table, h, dates, change)
            if change():
                records.append(_record(draw, table, h, dates))
            if records and change():
                records.pop(draw(st.integers(0, len(records) - 1)))
            forms[table.name] = records
            continue
        content = dict(content or {})
        for visit in table.visits[:2]:
            if visit in content:
                _mutate(draw, content[visit], table, h, dates, change)
            elif change():
                content[visit] = _record(draw, table, h, dates)
        forms[table.name] = content
    attestations = record.setdefault("attestations", {})
    for criterion in plan.criteria:
        if criterion.attested and change():
            attestations[criterion.id] = draw(st.sampled_from([True, False, "no", None, "perhaps"]))
    return record


def _mutate(
    draw: st.DrawFn,
    record: dict,
    table: Table,
    h: Hints,
    dates: dict[str, dt.date],
    change: Any,
) -> None:
    for column in table.columns:
        if change():
            record[column.name] = _value(draw, table, column, h, dates)


def _record(
    draw: st.DrawFn,
    table: Table,
    h: Hints,
    visit_dates: dict[str, dt.date],
    clean: bool = False,
) -> dict:
    values = {}
    for column in table.columns:
        if not clean and draw(st.integers(0, 5)) == 0:
            continue  # not recorded
        values[column.name] = _value(draw, table, column, h, visit_dates, clean)
    return values


def subject_batches(
    spec: Spec, base: dict | None = None, max_size: int = 6
) -> st.SearchStrategy[list[dict]]:
    """A batch of subjects with distinct ids, each `base` with some values changed."""
    plan = build_plan(spec)
    h = hints(plan)

    @st.composite
    def batch(draw: st.DrawFn) -> list[dict]:
        size = draw(st.integers(1, max_size))
        return [
            draw(subject_records(spec, plan, h, f"S{index + 1:03d}", base)) for index in range(size)
        ]

    return batch()
