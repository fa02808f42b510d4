"""Edit checks: recorded data that break the protocol, beyond eligibility.

Each finding names the subject, a rule id, the form / item / visit it is
about, the value found, the value expected and a message in plain words.
The rules, all derived from the spec:

ITEM_OUT_OF_RANGE         a value outside the item's declared range
REQUIRED_ITEM_MISSING     a required item left empty in a record that exists
                          (for an item with `when`: while its condition holds)
CONDITIONAL_ITEM_MISSING  an item asked only `when …` left empty while the condition holds
ITEM_NOT_APPLICABLE       an item filled in while its `when …` condition does not hold
VISIT_OUT_OF_WINDOW       a visit's actual date outside its window on the subject's
                          calendar (`evaluate.calendar`): counted from day 1 = the date
                          of the `first_dose` anchor's visit (like SDTM SV), cycle visits
                          from the date their cycle started (a delayed cycle moves the
                          cycles after it), event-relative visits from the event's date
                          (not checked before the event is recorded)
CYCLE_DELAYED             the first visit of cycle 2 or later recorded after its window,
                          one cycle length after the previous cycle started: a delay,
                          which protocols allow for toxicity, reported for review rather
                          than as a window deviation (the cycles after it move with it)
DOSE_NOT_AS_PLANNED       a dose that differs from the one the subject's arm or dose
                          level plans for that study day (like SDTM EX)
DOSE_ON_UNPLANNED_DAY     a dose given on a day the dose level's schedule has no dose
PLANNED_DOSE_MISSING      a dose of the schedule with no administration record although
                          the subject was seen after that day
DOSE_ASSIGNMENT_UNKNOWN   doses recorded for a subject with no arm or dose level
DOSE_OUT_OF_WINDOW        under a regimen: a dose recorded outside the window of the
                          planned dose it stands for (late or early)
DOSES_BEYOND_MAXIMUM      under a regimen with `at_most N administrations`: a dose
                          recorded after the N-th, matching no planned dose

Under a regimen (an arm's or an element's `dosing`, or a dose finding's
`regimen` for a dose level) the doses are checked against its planned
administrations (`schedule.regimens`) on the subject's calendar, as
`evaluate.dosing` matches them: PLANNED_DOSE_MISSING, DOSE_ON_UNPLANNED_DAY
(an extra dose), DOSE_OUT_OF_WINDOW, DOSES_BEYOND_MAXIMUM, and
DOSE_NOT_AS_PLANNED for an amount that differs from the planned one
(`schedule.amounts.administration_amount`: a per-kg or per-m² dose times the
weight or BSA the regimen's `dose_weight` rule picks) by more than
`WEIGHT_BASED_TOLERANCE` (10 %) for a per-kg or per-m² dose, at all for an
absolute one.  With no weight or BSA recorded before the dose, the amount
cannot be checked and nothing is reported.
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
from decimal import Decimal
from typing import Any

import attrs

from protocol_dsl import model as m
from protocol_dsl.checks.study_days import day_range, duration_days, earliest, latest
from protocol_dsl.evaluate import calendar as cal
from protocol_dsl.evaluate import dosing, log_checks
from protocol_dsl.evaluate import values as v
from protocol_dsl.evaluate.interpreter import Context, Screener, compile_spec_rules
from protocol_dsl.evaluate.subject import POSITION, DataDictionary, FormInfo, ItemInfo, Subject
from protocol_dsl.schedule import amounts, regimens
from protocol_dsl.semantics import units
from protocol_dsl.spec import Scope, Spec

#: How far a per-kg or per-m² dose may be from the planned amount (weight or BSA times the
#: dose) before it is reported: pharmacies round the calculated amount to vials and
#: protocols commonly allow ±10 %.  An absolute dose must be the planned amount.
WEIGHT_BASED_TOLERANCE = 0.10

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
    "CYCLE_DELAYED": "cycle started after its window",
    "DOSE_OUT_OF_WINDOW": "dose given outside its planned day's window",
    "DOSES_BEYOND_MAXIMUM": "more administrations than the regimen's maximum",
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


class DosingPlan:
    """What the dosing checks read of a spec: the exposure form and the planned doses of
    each arm and dose level under a regimen (their rules are not compiled)."""

    def __init__(self, spec: Spec, dictionary: DataDictionary | None = None) -> None:
        self.spec = spec
        self.dictionary = dictionary if dictionary is not None else DataDictionary(spec)
        self.exposure = _exposure_form(self.dictionary.forms.values())
        self.arm_plans = {name: _arm_plan(spec, arm) for name, arm in spec.arms.items()}
        self.level_plans = _level_plans(spec)


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
        # per form, the items a missing or superfluous value can be reported on, prepared
        # once: a batch runs these checks for every item of every record
        self._field_rules = {
            info.storage: _field_rules(info, self.conditions)
            for info in self.dictionary.forms.values()
        }
        self._field_forms = [
            (info, self._field_rules[info.storage])
            for info in self.dictionary.forms.values()
            if self._field_rules[info.storage]
        ]
        # the forms planned at visits, in the dictionary's order, with their labels
        self._planned_forms = [
            (info, info.use.form.label or info.use.form.name)
            for info in self.dictionary.forms.values()
            if not info.repeating and info.visits
        ]
        self._calendar = cal.CalendarPlan(spec)
        self.day1_visit = self._calendar.day1_visit
        dosing = DosingPlan(spec, self.dictionary)
        self.exposure = dosing.exposure
        self.arm_periods = {
            name: _arm_periods(spec, arm, self.exposure.dose_unit if self.exposure else None)
            for name, arm in spec.arms.items()
        }
        self.level_schedules = _level_schedules(
            spec, self.exposure.dose_unit if self.exposure else None
        )
        self.arm_plans = dosing.arm_plans
        self.level_plans = dosing.level_plans

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
        calendar = self.calendar(data)
        findings += self._windows(data, calendar)
        findings += self._doses(data, calendar)
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
        for info, rules in self._field_forms:
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
                for rule in rules:
                    name = rule.item.name
                    if coverage is not None and (info.storage, name) not in coverage:
                        continue
                    if visit is not None and visit not in rule.visits:
                        continue
                    if rejected and (info.storage, position, name) in rejected:
                        continue  # reported as an invalid value
                    present = name in record
                    if rule.condition is None:  # a required item asked always
                        if not present:
                            yield _field_finding(
                                data, info, rule, visit, position, "REQUIRED_ITEM_MISSING"
                            )
                        continue
                    holds = rule.condition(Context(data, False), record)
                    if holds is True and not present:
                        kind = (
                            "REQUIRED_ITEM_MISSING" if rule.required else "CONDITIONAL_ITEM_MISSING"
                        )
                        yield _field_finding(data, info, rule, visit, position, kind)
                    elif holds is False and present:
                        yield _field_finding(
                            data, info, rule, visit, position, "ITEM_NOT_APPLICABLE"
                        )

    # ------------------------------------------------------------ visits

    def _day1(self, data: Subject) -> _dt.date | None:
        return data.visits.get(self.day1_visit) if self.day1_visit else None

    def _dose_dates(self, data: Subject) -> list[_dt.date]:
        exposure = self.exposure
        if exposure is None:
            return []
        dates = []
        for record in data.records.get(exposure.info.storage) or ():
            date = record.get(exposure.date_item)
            if date is not None and record.get(exposure.dose_item) is not None:
                dates.append(date.date() if isinstance(date, _dt.datetime) else date)
        return dates

    def calendar(self, data: Subject) -> cal.Calendar:
        """The subject's calendar: when each visit is due, from the dates recorded."""
        return self._calendar.build(data.visits, self._dose_dates(data))

    def _windows(self, data: Subject, calendar: cal.Calendar) -> Iterable[Finding]:
        day1 = calendar.day1
        for visit in self.spec.visit_order:
            date = data.visits.get(visit.name)
            if date is None:
                continue  # not attended: its due date is not needed
            due = calendar.due.get(visit.name)
            if due is None or due.earliest <= date <= due.latest:
                continue
            finding = functools.partial(
                Finding, data.subject_id, form=None, item=None, visit=visit.name, record=None
            )
            late = date > due.latest
            off = (date - due.latest).days if late else (date - due.earliest).days
            how = f"{abs(off)} day{'s' if abs(off) != 1 else ''} {'late' if late else 'early'}"
            if due.starts_cycle and late and (due.cycle or 0) > 1:
                cycle = self.spec.cycles.get(due.series or "")
                length = cycle.length if cycle is not None else None
                yield finding(
                    rule="CYCLE_DELAYED",
                    value=date.isoformat(),
                    expected=_date_range(due.earliest, due.latest),
                    message=f"cycle {due.cycle} of {due.series} started with {visit.name} on "
                    f"{date.isoformat()}, {how}: planned {due.date.isoformat()}, "
                    f"{length} after cycle {(due.cycle or 0) - 1} started"
                    f"{_window_words(due)}; the cycles after it are planned from this date",
                )
                continue
            if due.shift == 0 and visit.day is not None and day1 is not None:
                yield finding(
                    rule="VISIT_OUT_OF_WINDOW",
                    value=date.isoformat(),
                    expected=day_range(
                        visit.day - visit.window_before,
                        (visit.day_end or visit.day) + visit.window_after,
                    ),
                    message=_study_day_words(visit, date, day1, how),
                )
                continue
            yield finding(
                rule="VISIT_OUT_OF_WINDOW",
                value=date.isoformat(),
                expected=_date_range(due.earliest, due.latest),
                message=f"visit {visit.name} on {date.isoformat()} is {how}: planned "
                f"{due.date.isoformat()}{_window_words(due)}{_why_words(visit, due)}",
            )

    # ------------------------------------------------------------ doses

    def _doses(self, data: Subject, calendar: cal.Calendar) -> Iterable[Finding]:
        exposure = self.exposure
        if exposure is None:
            return
        records = data.records.get(exposure.info.storage) or []
        plan = self.arm_plans.get(data.arm) if data.arm else None
        if not plan and data.dose_level:
            plan = self.level_plans.get(data.dose_level)
        if plan:
            yield from self._regimen_doses(data, calendar, exposure, records, plan)
            return
        if not records:
            return
        periods = self.arm_periods.get(data.arm) if data.arm else None
        schedule = self.level_schedules.get(data.dose_level) if data.dose_level else None
        if not periods and schedule is None:
            planned_anywhere = any(self.arm_plans.values()) or any(self.level_plans.values())
            if (
                any(p for p in self.arm_periods.values())
                or self.level_schedules
                or planned_anywhere
            ):
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

    def _regimen_doses(
        self,
        data: Subject,
        calendar: cal.Calendar,
        exposure: _Exposure,
        records: list[dict[str, Any]],
        plan: list[Planned],
    ) -> Iterable[Finding]:
        day1 = calendar.day1
        if day1 is None:
            return  # no first dose yet: nothing is due
        unit = exposure.dose_unit
        slots = dosing.slots([_dose_due(calendar, regimen, dose) for regimen, dose in plan])
        kept: list[tuple[int, _dt.date, Any]] = []
        for record in records:
            amount = record.get(exposure.dose_item)
            date = record.get(exposure.date_item)
            if amount is None or date is None:
                continue  # an empty dose or date is reported as a missing item
            if isinstance(date, _dt.datetime):
                date = date.date()
            kept.append((record[POSITION], date, amount))
        dates = [date for _index, date, _amount in kept]
        # treatment went on past a planned dose when a later dose was recorded, or a visit
        # of the dosing was attended later (a visit of the cycle a regimen doses by, a visit
        # hosting a dose); follow-up visits and calendar assessments do not count
        dosing_visits = _dosing_visits(plan, calendar)
        continued = [*dates, *(d for name, d in data.visits.items() if name in dosing_visits)]
        outcome = dosing.match(slots, dates, max(continued, default=None))
        caps = [regimen.at_most for regimen in dict.fromkeys(r for r, _d in plan)]
        maximum = sum(c for c in caps if c is not None) if None not in caps else None
        order = {
            k: rank for rank, k in enumerate(sorted(range(len(kept)), key=lambda k: (dates[k], k)))
        }
        measures: dict[str, tuple[list[tuple[int, float]], str | None]] = {}
        whose = _whose(data)
        for k, (index, date, amount) in enumerate(kept):
            where = _where(exposure.info.key, exposure.dose_item, None, index)
            shown = v.describe(amount, unit)
            day = v.study_day(date, day1)
            finding = functools.partial(
                Finding,
                data.subject_id,
                form=exposure.info.key,
                item=exposure.dose_item,
                visit=None,
                record=index,
                value=amount,
            )
            if k not in outcome.given:
                if maximum is not None and order[k] >= maximum:
                    yield finding(
                        rule="DOSES_BEYOND_MAXIMUM",
                        expected=f"at most {maximum} administrations",
                        message=f"{where}: {shown} on {date.isoformat()} (study day {day}) is "
                        f"administration {order[k] + 1}; {whose} plans at most {maximum}",
                    )
                    continue
                yield finding(
                    rule="DOSE_ON_UNPLANNED_DAY",
                    expected="no dose",
                    message=f"{where}: {shown} on {date.isoformat()} (study day {day}) "
                    f"matches no dose {whose} plans: an extra dose",
                )
                continue
            planned_index, on_time = outcome.given[k]
            regimen, dose = plan[planned_index]
            due, before, after = _dose_due(calendar, regimen, dose)
            label = _dose_words(regimen, dose)
            if not on_time:
                slot = dosing.Slot(due, before, after, ())
                late = date > slot.latest
                off = (date - slot.latest).days if late else (date - slot.earliest).days
                yield finding(
                    rule="DOSE_OUT_OF_WINDOW",
                    expected=_date_range(slot.earliest, slot.latest),
                    message=f"{where}: {shown} on {date.isoformat()} for {label}, planned "
                    f"{due.isoformat()}{_dose_window_words(slot)}: {abs(off)} "
                    f"day{'s' if abs(off) != 1 else ''} {'late' if late else 'early'}",
                )
            if regimen.name not in measures:
                measures[regimen.name] = self._measures(data, regimen, day1)
            recorded, measure_unit = measures[regimen.name]
            expected = amounts.administration_amount(
                regimen, attrs.evolve(dose, day=day), recorded, measure_unit, unit
            )
            if expected is None or not _is_number(amount):
                continue  # no weight or BSA before the dose: the amount cannot be checked
            target = float(expected.value)
            assert dose.amount is not None
            weighted = regimens.dose_basis(dose.amount) != "absolute"
            if _within(float(amount), target, WEIGHT_BASED_TOLERANCE if weighted else 0.0):
                continue
            basis = f"{dose.amount}" + (
                f" at {v.describe(_measure_on(regimen, recorded, day), measure_unit)}"
                if weighted
                else ""
            )
            tolerance = f", ± {round(WEIGHT_BASED_TOLERANCE * 100)} %" if weighted else ""
            yield finding(
                rule="DOSE_NOT_AS_PLANNED",
                expected=target,
                message=f"{where}: {shown} on {date.isoformat()} for {label}; planned "
                f"{v.describe(target, unit)} ({basis}{tolerance})",
            )
        for planned_index in outcome.missing:
            regimen, dose = plan[planned_index]
            due, before, after = _dose_due(calendar, regimen, dose)
            slot = dosing.Slot(due, before, after, ())
            yield Finding(
                data.subject_id,
                "PLANNED_DOSE_MISSING",
                exposure.info.key,
                exposure.dose_item,
                dose.visit,
                None,
                None,
                str(dose.amount) if dose.amount is not None else None,
                f"{_dose_words(regimen, dose)} was due {due.isoformat()}"
                f"{_dose_window_words(slot)} but no dose is recorded, although treatment "
                "went on after it",
            )

    def _measures(
        self, data: Subject, regimen: m.Regimen, day1: _dt.date
    ) -> tuple[list[tuple[int, float]], str | None]:
        """The subject's (study day, value) records of the item the regimen doses per."""
        if regimen.per is None or len(regimen.per.parts) < 2:
            return [], None
        form, name = ".".join(regimen.per.parts[:-1]), regimen.per.parts[-1]
        info = next((i for i in self.dictionary.forms.values() if i.key == form), None)
        item = info.items.get(name) if info is not None else None
        if info is None or item is None:
            return [], None
        found: list[tuple[int, float]] = []
        if info.repeating:
            when = next((n for n, i in info.items.items() if i.kind in ("date", "datetime")), None)
            for record in data.records.get(info.storage) or ():
                value, date = record.get(name), record.get(when) if when else None
                if isinstance(date, _dt.datetime):
                    date = date.date()
                if isinstance(value, (int, float, Decimal)) and date is not None:
                    found.append((v.study_day(date, day1), float(value)))
        else:
            for visit in info.visits:
                values = data.values.get((info.storage, visit))
                date = data.visits.get(visit)
                value = values.get(name) if values is not None else None
                if isinstance(value, (int, float, Decimal)) and date is not None:
                    found.append((v.study_day(date, day1), float(value)))
        return found, item.unit

    # ------------------------------------------------------------ assessments

    def _assessments(self, data: Subject, forms_supplied: set[str] | None) -> Iterable[Finding]:
        dates = data.visits
        if not dates:
            return
        for info, label in self._planned_forms:
            if forms_supplied is not None and info.storage not in forms_supplied:
                continue
            for visit in info.visits:
                date = dates.get(visit)
                if date is None:
                    continue
                record = data.values.get((info.storage, visit))
                if record is not None and len(record) > 1:
                    continue
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


@attrs.frozen
class _FieldRule:
    """An item whose value can be missing or superfluous: what the check needs of it."""

    item: ItemInfo
    visits: frozenset[str]
    required: bool
    condition: Any  # the compiled `when` condition; None for a required item asked always
    condition_text: str | None


def _field_rules(info: FormInfo, conditions: dict[tuple[str, str], Any]) -> list[_FieldRule]:
    """The items of a form with a `when` condition or `required`, in the form's order."""
    rules = []
    for name, item in info.items.items():
        when = item.item.when
        if when is None and not item.item.required:
            continue  # optional and asked always: never missing, never superfluous
        text = None
        if when is not None:
            from protocol_dsl.syntax import printer

            text = printer.expr(when)
        rules.append(
            _FieldRule(
                item,
                frozenset(info.item_visits(item)),
                bool(item.item.required),
                conditions.get((info.storage, name)) if when is not None else None,
                text,
            )
        )
    return rules


def _field_finding(
    data: Subject,
    info: FormInfo,
    rule: _FieldRule,
    visit: str | None,
    position: Any,
    kind: str,
) -> Finding:
    """A missing or superfluous value, in the words of its rule."""
    item = rule.item
    record = position if isinstance(position, int) else None
    where = f"{_where(info.key, item.name, visit, record)} ({item.label})"
    if kind == "ITEM_NOT_APPLICABLE":
        expected = "no value"
        message = (
            f"{where} is filled in although it is asked only when {rule.condition_text}, "
            "which does not hold"
        )
    elif rule.condition_text is None:
        expected, message = "a value", f"{where} is required but missing"
    else:
        expected = "a value"
        message = f"{where} is asked when {rule.condition_text}, which holds, but is missing"
    return Finding(
        data.subject_id,
        kind,
        info.key,
        item.name,
        visit,
        record,
        None,
        expected,
        message,
    )


def _where(form: str, item: str, visit: str | None, record: int | None) -> str:
    if record is not None:
        return f"{form}[{record}].{item}"
    if visit is not None:
        return f"{form}.{item} at {visit}"
    return f"{form}.{item}"


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


# ---------------------------------------------------------------- words and regimen plans


def _study_day_words(visit: m.Visit, date: _dt.date, day1: _dt.date, how: str) -> str:
    assert visit.day is not None
    last_planned = visit.day_end or visit.day
    low, high = earliest(visit), latest(visit)
    assert low is not None and high is not None
    window = f" (window {day_range(low, high)})" if (low, high) != (visit.day, last_planned) else ""
    return (
        f"visit {visit.name} on {date.isoformat()} is study day {v.study_day(date, day1)}; "
        f"planned {day_range(visit.day, last_planned)}{window}: {how}"
    )


def _date_range(first: _dt.date, last: _dt.date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"


def _window_words(due: cal.Due) -> str:
    if due.earliest == due.date and due.latest == due.date:
        return ""
    return f" (window {_date_range(due.earliest, due.latest)})"


def _why_words(visit: m.Visit, due: cal.Due) -> str:
    """Why a visit is due on its date, when that is not its study day from day 1."""
    if due.shift and due.shifted_by:
        delays = ", ".join(due.shifted_by)
        moved = "delayed" if due.shift > 0 else "brought forward"
        return (
            f" after {delays} {'was' if len(due.shifted_by) == 1 else 'were'} {moved} "
            f"{abs(due.shift)} day{'s' if abs(due.shift) != 1 else ''}"
        )
    position = visit.relative_to
    if position is not None and position.anchor is not None:
        return f", {position.offset} {position.direction} {position.anchor}"
    return ""


#: One planned administration of a subject's plan, with the regimen it belongs to.
Planned = tuple[m.Regimen, regimens.PlannedDose]


def _arm_plan(spec: Spec, arm: m.Arm) -> list[Planned]:
    plan = [
        (regimen, dose)
        for regimen in regimens.arm_regimens(spec, arm)
        for dose in regimens.planned_administrations(spec, regimen)
    ]
    return _per_day(plan)


def _level_plans(spec: Spec) -> dict[str, list[Planned]]:
    finding = spec.dose_finding
    if finding is None or finding.regimen is None:
        return {}
    regimen = spec.regimens.get(finding.regimen)
    if regimen is None:
        return {}
    return {
        level.name: _per_day(
            [(regimen, d) for d in regimens.level_administrations(spec, finding, level)]
        )
        for level in finding.levels
    }


def _per_day(plan: list[Planned]) -> list[Planned]:
    """Each administration of a day (BID: two) as its own planned dose, in day order."""
    spread = [(r, d) for r, d in plan for _ in range(max(1, d.per_day))]
    return sorted(spread, key=lambda pair: pair[1].day)


def _dose_due(
    calendar: cal.Calendar, regimen: m.Regimen, dose: regimens.PlannedDose
) -> tuple[_dt.date, int, int]:
    """The date a planned dose is due on the subject's calendar, and its window."""
    before, after = dose.window
    # a dose by cycle is due on its day of the cycle as the cycle really started, whatever
    # visit (a calendar repeat on the same study day) the plan hosts it at
    series = regimen.days.cycle if regimen.days is not None else None
    if series is not None and dose.cycle is not None and dose.cycle_day is not None:
        start = calendar.cycles.get((series, dose.cycle))
        if start is not None:
            return start.start + _dt.timedelta(days=dose.cycle_day - 1), before, after
    host = calendar.due.get(dose.visit) if dose.visit is not None else None
    if host is not None:
        return host.doses_on, before, after
    date = calendar.date_of_day(dose.day)
    assert date is not None  # only asked once day 1 is known
    return date, before, after


def _dose_words(regimen: m.Regimen, dose: regimens.PlannedDose) -> str:
    where = (
        f"cycle {dose.cycle} day {dose.cycle_day}"
        if dose.cycle is not None
        else f"study day {dose.day}"
    )
    return f"dose {dose.number} of regimen {regimen.name} ({where})"


def _dose_window_words(slot: dosing.Slot) -> str:
    if slot.earliest == slot.latest:
        return ""
    return f" (window {_date_range(slot.earliest, slot.latest)})"


def _whose(data: Subject) -> str:
    if data.arm:
        return f"arm {data.arm}"
    return f"dose level {data.dose_level}"


def _within(amount: float, target: float, tolerance: float) -> bool:
    if tolerance == 0.0:
        return _same(amount, target)
    return abs(amount - target) <= tolerance * abs(target) + 1e-9


def _measure_on(regimen: m.Regimen, records: list[tuple[int, float]], day: int) -> float | None:
    return amounts.measure_for_dose(records, day, 1, amounts.weight_rule(regimen))


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _dosing_visits(plan: list[Planned], calendar: cal.Calendar) -> set[str]:
    """The visits of the dosing: those of a cycle the plan doses by, and the hosts of its
    doses not given by cycle."""
    cycles: set[str] = set()
    visits: set[str] = set()
    for regimen, dose in plan:
        series = regimen.days.cycle if regimen.days is not None else None
        if series is not None and dose.cycle is not None:
            cycles.add(series)
        elif dose.visit is not None:
            visits.add(dose.visit)
    visits.update(name for name, due in calendar.due.items() if due.series in cycles)
    return visits
