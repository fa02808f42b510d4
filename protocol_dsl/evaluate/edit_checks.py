"""Edit checks: recorded data that break the protocol, beyond eligibility.

Each finding names the subject, a rule id, the form / item / visit it is
about, the value found, the value expected and a message in plain words.
The rules, all derived from the spec:

ITEM_OUT_OF_RANGE         a value outside the item's declared range
REQUIRED_ITEM_MISSING     a required item left empty in a record that exists
                          (for an item with `when`: while its condition holds)
CONDITIONAL_ITEM_MISSING  an item asked only `when …` left empty while the condition holds
ITEM_NOT_APPLICABLE       an item filled in while its `when …` condition does not hold
VISIT_OUT_OF_WINDOW       a visit's actual date outside its planned day ± window,
                          counted from day 1 = the date of the `first_dose` anchor's
                          visit (like SDTM SV; visits without a planned day are not checked)
DOSE_NOT_AS_PLANNED       a dose that differs from the one the subject's arm or dose
                          level plans for that study day (like SDTM EX)
DOSE_ON_UNPLANNED_DAY     a dose given on a day the dose level's schedule has no dose
PLANNED_DOSE_MISSING      a dose of the schedule with no administration record although
                          the subject was seen after that day
DOSE_ASSIGNMENT_UNKNOWN   doses recorded for a subject with no arm or dose level
MISSING_ASSESSMENT        a form planned at a visit the subject attended, with no data
LOG_ANSWER_CONTRADICTED, LOG_RECORDS_MISSING, DUPLICATE_SUBJECT_ID: see `log_checks`

The exposure form is the repeating form with a quantity item named ``dose``;
its first date item is the day the dose was given (for a record covering a
period: the day it started).  An arm's planned dose on a study day comes from
its elements that have a ``dose``, taken in order from day 1, each for its
``lasts`` duration; a dose level's from its step-up schedule (a percentage of
the target, or an amount, per day), else the target dose on day 1.

When the data come through a mapping, only the items and forms the mapping
supplies are checked for missing data: the rest were never part of the input.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from protocol_dsl import model as m
from protocol_dsl.checks.study_days import day_range, duration_days, earliest, latest
from protocol_dsl.evaluate import log_checks
from protocol_dsl.evaluate import values as v
from protocol_dsl.evaluate.interpreter import Context, Screener, compile_spec_rules
from protocol_dsl.evaluate.subject import POSITION, FormInfo, ItemInfo, Subject
from protocol_dsl.semantics import units
from protocol_dsl.spec import Scope, Spec

RULES: dict[str, str] = {
    "ITEM_OUT_OF_RANGE": "value outside the item's range",
    "REQUIRED_ITEM_MISSING": "required item missing",
    "CONDITIONAL_ITEM_MISSING": "conditional item missing while its condition holds",
    "ITEM_NOT_APPLICABLE": "item filled in although its condition does not hold",
    "VISIT_OUT_OF_WINDOW": "visit date outside its window",
    "DOSE_NOT_AS_PLANNED": "dose differs from the planned dose",
    "DOSE_ON_UNPLANNED_DAY": "dose on a day with no planned dose",
    "PLANNED_DOSE_MISSING": "planned dose not recorded",
    "DOSE_ASSIGNMENT_UNKNOWN": "doses recorded without an arm or dose level",
    "MISSING_ASSESSMENT": "scheduled assessment missing",
    **log_checks.RULES,
}


@attrs.define(eq=True)
class Finding:
    subject_id: str
    rule: str
    form: str | None
    item: str | None
    visit: str | None
    record: int | None
    value: Any
    expected: Any
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "subject_id": self.subject_id,
            "rule": self.rule,
            "form": self.form,
            "item": self.item,
            "visit": self.visit,
            "record": self.record,
            "value": v.to_json(self.value),
            "expected": v.to_json(self.expected),
            "message": self.message,
        }


@attrs.frozen
class _Exposure:
    info: FormInfo
    dose_item: str
    dose_unit: str
    date_item: str


@attrs.frozen
class _Period:
    first: int  # study days, inclusive
    last: int | None  # None: open-ended
    dose: float
    element: str


class EditChecker:
    """The spec's edit checks, prepared once; `check` runs them on one subject."""

    def __init__(self, spec: Spec, screener: Screener | None = None) -> None:
        self.spec = spec
        self.screener = screener or compile_spec_rules(spec)
        self.dictionary = self.screener.dictionary
        self._log_answers = log_checks.log_answers(self.dictionary)
        compiler = self.screener._compiler
        self.conditions: dict[tuple[str, str], Any] = {}
        for info in self.dictionary.forms.values():
            for name, item in info.items.items():
                if item.item.when is not None:
                    scope = Scope(info.use.owner, info.use.form)
                    self.conditions[(info.storage, name)] = compiler.truth(
                        item.item.when, scope, None
                    )
        self.day1_visit = _day1_visit(spec)
        self.exposure = _exposure_form(self.dictionary.forms.values())
        self.arm_periods = {
            name: _arm_periods(spec, arm, self.exposure.dose_unit if self.exposure else None)
            for name, arm in spec.arms.items()
        }
        self.level_schedules = _level_schedules(
            spec, self.exposure.dose_unit if self.exposure else None
        )

    def check(
        self,
        subject: Subject | Mapping[str, Any],
        *,
        coverage: set[tuple[str, str]] | None = None,
        forms_supplied: set[str] | None = None,
    ) -> list[Finding]:
        data = self.screener.normalise(subject)
        findings: list[Finding] = []
        findings += self._ranges(data)
        findings += self._fields(data, coverage)
        findings += self._windows(data)
        findings += self._doses(data)
        findings += self._assessments(data, forms_supplied)
        findings += log_checks.check_logs(
            data,
            self._log_answers,
            lambda *fields: Finding(data.subject_id, *fields),
        )
        return findings

    # ------------------------------------------------------------ item values

    def _ranges(self, data: Subject) -> Iterable[Finding]:
        for problem in data.problems:
            if problem.check != "ITEM_OUT_OF_RANGE":
                continue
            position = problem.visit_or_record_index
            info = self.dictionary.forms.get(problem.form or "")
            item = info.items.get(problem.item or "") if info else None
            expected = None
            if item is not None and item.range is not None:
                low, high = item.range
                unit = f" {item.unit}" if item.unit else ""
                expected = f"{v.format_number(low)} to {v.format_number(high)}{unit}"
            yield Finding(
                data.subject_id,
                "ITEM_OUT_OF_RANGE",
                _key(info, problem.form),
                problem.item,
                position if isinstance(position, str) else None,
                position if isinstance(position, int) else None,
                problem.value,
                expected,
                problem.reason,
            )

    def _fields(self, data: Subject, coverage: set[tuple[str, str]] | None) -> Iterable[Finding]:
        rejected = {
            (p.form, p.visit_or_record_index, p.item) for p in data.problems if p.item is not None
        }
        for info in self.dictionary.forms.values():
            records: list[tuple[str | None, dict[str, Any]]]
            if info.repeating:
                records = [(None, r) for r in data.records.get(info.storage, ())]
            else:
                records = [
                    (visit, data.values[(info.storage, visit)])
                    for visit in info.visits
                    if (info.storage, visit) in data.values
                ]
            for visit, record in records:
                if len(record) <= 1:  # only its position: nothing recorded
                    continue
                position = record[POSITION]
                for name, item in info.items.items():
                    if coverage is not None and (info.storage, name) not in coverage:
                        continue
                    if visit is not None and visit not in info.item_visits(item):
                        continue
                    if (info.storage, position, name) in rejected:
                        continue  # reported as an invalid value
                    present = name in record
                    condition = self.conditions.get((info.storage, name))
                    holds: bool | None = True
                    if condition is not None:
                        ctx = Context(data, False)
                        holds = condition(ctx, record)
                    yield from self._field(data, info, item, visit, position, present, holds)

    def _field(
        self,
        data: Subject,
        info: FormInfo,
        item: ItemInfo,
        visit: str | None,
        position: Any,
        present: bool,
        holds: bool | None,
    ) -> Iterable[Finding]:
        record = position if isinstance(position, int) else None
        where = f"{_where(info.key, item.name, visit, record)} ({item.label})"
        # the findings on one field differ only in their rule, what was expected and why
        finding = functools.partial(
            Finding,
            data.subject_id,
            form=info.key,
            item=item.name,
            visit=visit,
            record=record,
            value=None,
        )
        when = item.item.when
        if when is None:
            if item.item.required and not present:
                yield finding(
                    rule="REQUIRED_ITEM_MISSING",
                    expected="a value",
                    message=f"{where} is required but missing",
                )
            return
        from protocol_dsl.syntax import printer

        condition = printer.expr(when)
        if holds is True and not present:
            rule = "REQUIRED_ITEM_MISSING" if item.item.required else "CONDITIONAL_ITEM_MISSING"
            yield finding(
                rule=rule,
                expected="a value",
                message=f"{where} is asked when {condition}, which holds, but is missing",
            )
        elif holds is False and present:
            yield finding(
                rule="ITEM_NOT_APPLICABLE",
                expected="no value",
                message=f"{where} is filled in although it is asked only when {condition}, "
                "which does not hold",
            )

    # ------------------------------------------------------------ visits

    def _day1(self, data: Subject) -> _dt.date | None:
        return data.visits.get(self.day1_visit) if self.day1_visit else None

    def _windows(self, data: Subject) -> Iterable[Finding]:
        day1 = self._day1(data)
        if day1 is None:
            return
        for visit in self.spec.visit_order:
            date = data.visits.get(visit.name)
            if date is None or visit.day is None:
                continue
            first, last = earliest(visit), latest(visit)
            assert first is not None and last is not None
            day = v.study_day(date, day1)
            if first <= day <= last:
                continue
            last_planned = visit.day_end or visit.day
            planned = day_range(visit.day, last_planned)
            window = (
                f" (window {day_range(first, last)})"
                if (first, last) != (visit.day, last_planned)
                else ""
            )
            off = day - last if day > last else day - first
            yield Finding(
                data.subject_id,
                "VISIT_OUT_OF_WINDOW",
                None,
                None,
                visit.name,
                None,
                date.isoformat(),
                day_range(first, last),
                f"visit {visit.name} on {date.isoformat()} is study day {day}; planned "
                f"{planned}{window}: {abs(off)} day{'s' if abs(off) != 1 else ''} "
                f"{'late' if off > 0 else 'early'}",
            )

    # ------------------------------------------------------------ doses

    def _doses(self, data: Subject) -> Iterable[Finding]:
        exposure = self.exposure
        if exposure is None:
            return
        records = data.records.get(exposure.info.storage) or []
        if not records:
            return
        periods = self.arm_periods.get(data.arm) if data.arm else None
        schedule = self.level_schedules.get(data.dose_level) if data.dose_level else None
        if not periods and schedule is None:
            if any(p for p in self.arm_periods.values()) or self.level_schedules:
                yield Finding(
                    data.subject_id,
                    "DOSE_ASSIGNMENT_UNKNOWN",
                    exposure.info.key,
                    exposure.dose_item,
                    None,
                    None,
                    len(records),
                    "an arm or dose level",
                    f"{len(records)} dose record{'s' if len(records) != 1 else ''} but the "
                    "subject's arm or dose level is not known, so the doses cannot be checked",
                )
            return
        day1 = self._day1(data)
        if day1 is None:
            return
        unit = exposure.dose_unit
        given_days: set[int] = set()
        administered: list[tuple[int, _dt.date]] = []
        for record in records:
            dose = record.get(exposure.dose_item)
            date = record.get(exposure.date_item)
            if dose is None or date is None or date.__class__ is v.Interval:
                continue  # a date known to the month or year only has no study day
            if isinstance(date, _dt.datetime):
                date = date.date()
            day = v.study_day(date, day1)
            given_days.add(day)
            administered.append((day, date))
            index = record[POSITION]
            where = _where(exposure.info.key, exposure.dose_item, None, index)
            shown = v.describe(dose, unit)
            # every finding on this record differs only in its rule, what was expected and why
            finding = functools.partial(
                Finding,
                data.subject_id,
                form=exposure.info.key,
                item=exposure.dose_item,
                visit=None,
                record=index,
                value=dose,
            )
            if periods:
                period = _period_on(periods, day)
                if period is None:
                    yield finding(
                        rule="DOSE_NOT_AS_PLANNED",
                        expected=None,
                        message=f"{where}: {shown} from study day {day} ({date.isoformat()}), "
                        f"when arm {data.arm} plans no dose",
                    )
                elif not _same(dose, period.dose):
                    yield finding(
                        rule="DOSE_NOT_AS_PLANNED",
                        expected=period.dose,
                        message=f"{where}: {shown} from study day {day} ({date.isoformat()}); "
                        f"arm {data.arm} plans {v.describe(period.dose, unit)} on that day "
                        f"(element {period.element})",
                    )
                continue
            assert schedule is not None
            planned = schedule.get(day)
            if planned is None:
                days = ", ".join(str(d) for d in sorted(schedule))
                yield finding(
                    rule="DOSE_ON_UNPLANNED_DAY",
                    expected=f"a dose on day {days}",
                    message=f"{where}: {shown} on study day {day} ({date.isoformat()}); "
                    f"dose level {data.dose_level} plans doses on day {days} only",
                )
            elif not _same(dose, planned):
                yield finding(
                    rule="DOSE_NOT_AS_PLANNED",
                    expected=planned,
                    message=f"{where}: {shown} on study day {day} ({date.isoformat()}); "
                    f"dose level {data.dose_level} plans {v.describe(planned, unit)} on that day",
                )
        if schedule is None or periods:
            return
        seen = [*data.visits.values(), *(date for _day, date in administered)]
        last_seen = max(seen, default=None)
        for day, planned in sorted(schedule.items()):
            if day in given_days or last_seen is None:
                continue
            if v.study_day(last_seen, day1) > day:
                yield Finding(
                    data.subject_id,
                    "PLANNED_DOSE_MISSING",
                    exposure.info.key,
                    exposure.dose_item,
                    None,
                    None,
                    None,
                    planned,
                    f"dose level {data.dose_level} plans {v.describe(planned, unit)} on study "
                    f"day {day}, but no dose is recorded that day although the subject was seen "
                    f"later, on {last_seen.isoformat()}",
                )

    # ------------------------------------------------------------ assessments

    def _assessments(self, data: Subject, forms_supplied: set[str] | None) -> Iterable[Finding]:
        for info in self.dictionary.forms.values():
            if info.repeating:
                continue
            if forms_supplied is not None and info.storage not in forms_supplied:
                continue
            for visit in info.visits:
                date = data.visits.get(visit)
                if date is None:
                    continue
                record = data.values.get((info.storage, visit))
                if record is not None and len(record) > 1:
                    continue
                label = info.use.form.label or info.use.form.name
                yield Finding(
                    data.subject_id,
                    "MISSING_ASSESSMENT",
                    info.key,
                    None,
                    visit,
                    None,
                    None,
                    "the form's data",
                    f"{info.key} ({label}) is planned at visit {visit}, which the subject "
                    f"attended on {date.isoformat()}, but has no data",
                )


# ---------------------------------------------------------------- preparing the plan


def _key(info: FormInfo | None, fallback: str | None) -> str | None:
    return info.key if info is not None else fallback


def _where(form: str, item: str, visit: str | None, record: int | None) -> str:
    if record is not None:
        return f"{form}[{record}].{item}"
    if visit is not None:
        return f"{form}.{item} at {visit}"
    return f"{form}.{item}"


def _day1_visit(spec: Spec) -> str | None:
    anchor = spec.anchors.get("first_dose")
    if anchor is not None and anchor.visit is not None:
        return anchor.visit
    for visit in spec.visit_order:
        if visit.day == 1:
            return visit.name
    return None


def _exposure_form(forms: Iterable[FormInfo]) -> _Exposure | None:
    for info in forms:
        dose = info.items.get("dose")
        if not info.repeating or dose is None or dose.kind != "quantity" or not dose.unit:
            continue
        date = next(
            (name for name, i in info.items.items() if i.kind in ("date", "datetime")), None
        )
        if date is not None:
            return _Exposure(info, "dose", dose.unit, date)
    return None


def _convert(quantity: m.Quantity, unit: str | None) -> float | None:
    if unit is None or quantity.unit == unit:
        return float(quantity.value)
    try:
        return units.convert(float(quantity.value), quantity.unit, unit)
    except units.UnitError:
        return None


def _arm_periods(spec: Spec, arm: m.Arm, unit: str | None) -> list[_Period]:
    periods: list[_Period] = []
    day = 1
    for step in arm.steps:
        element = spec.elements.get(step.element)
        if element is None or element.dose is None:
            continue
        dose = _convert(element.dose, unit)
        if dose is None:
            continue
        length = duration_days(element.duration) if element.duration is not None else None
        last = day + length - 1 if length is not None else None
        periods.append(_Period(day, last, dose, element.name))
        if last is None:
            break
        day = last + 1
    return periods


def _period_on(periods: list[_Period], day: int) -> _Period | None:
    for period in periods:
        if period.first <= day and (period.last is None or day <= period.last):
            return period
    return None


def _level_schedules(spec: Spec, unit: str | None) -> dict[str, dict[int, float]]:
    finding = spec.dose_finding
    if finding is None:
        return {}
    schedules: dict[str, dict[int, float]] = {}
    for level in finding.levels:
        target = _convert(level.dose, unit)
        if target is None:
            continue
        schedule: dict[int, float] = {1: target}
        for step_up in finding.step_ups:
            if level.name not in step_up.levels:
                continue
            schedule = {}
            for step in step_up.steps:
                if step.amount.unit == "%":
                    schedule[step.day] = target * float(step.amount.value) / 100
                else:
                    amount = _convert(step.amount, unit)
                    if amount is not None:
                        schedule[step.day] = amount
        schedules[level.name] = schedule
    return schedules


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def edit_checks(
    spec: Spec,
    subject: Subject | Mapping[str, Any],
    *,
    coverage: set[tuple[str, str]] | None = None,
    forms_supplied: set[str] | None = None,
) -> list[Finding]:
    """The edit-check findings of one subject."""
    checker = EditChecker(spec)
    return checker.check(subject, coverage=coverage, forms_supplied=forms_supplied)
