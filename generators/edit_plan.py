"""What the protocol fixes for the window and dosing edit checks, as constant rows.

The generated SQL writes these rows into its query (VALUES) and the generated
Python module into its source (literals), so that both run the interpreter's
rules (`protocol_dsl.evaluate.calendar`, `protocol_dsl.evaluate.dosing`) on
the same plan: the planned visits as the subject's calendar reads them, each
cycle's length, the anchors, the planned doses of each arm and dose level
(their day, cycle, host visit, window, amount per unit of weight or BSA in
the exposure form's unit), and the visits of the dosing.
"""

from __future__ import annotations

from typing import Any

from protocol_dsl import model as m
from protocol_dsl.checks.study_days import duration_days, event_offset
from protocol_dsl.evaluate.edit_checks import DosingPlan, Planned
from protocol_dsl.schedule import amounts, regimens
from protocol_dsl.spec import Spec


def days_from_day1(day: int) -> int:
    """Days from day 1 to a study day (there is no day 0)."""
    return day - 1 if day > 0 else day


CAL = (
    ("visit", "STRING"),
    ("kind", "STRING"),
    ("day_offset", "INT"),
    ("length_days", "INT"),
    ("before_days", "INT"),
    ("after_days", "INT"),
    ("series", "STRING"),
    ("cycle_no", "INT"),
    ("offset_days", "INT"),
    ("is_first", "BOOLEAN"),
    ("anchor", "STRING"),
    ("rel_days", "INT"),
)

CYCLES = (("series", "STRING"), ("length_days", "INT"))

ANCHORS = (("anchor", "STRING"), ("visit", "STRING"), ("last_dose", "BOOLEAN"))

DOSES = (
    ("kind", "STRING"),
    ("assignment", "STRING"),
    ("seq", "INT"),
    ("regimen", "STRING"),
    ("dose_no", "INT"),
    ("day_offset", "INT"),
    ("series", "STRING"),
    ("cycle_no", "INT"),
    ("cycle_day", "INT"),
    ("host", "STRING"),
    ("before_days", "INT"),
    ("after_days", "INT"),
    ("factor", "DOUBLE"),
    ("weighted", "BOOLEAN"),
    ("baseline", "BOOLEAN"),
    ("maximum", "INT"),
    ("label", "STRING"),
)

DOSING_VISITS = (("kind", "STRING"), ("assignment", "STRING"), ("visit", "STRING"))


def calendar_rows(spec: Spec) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The planned visits as the calendar reads them, and each cycle's length."""
    rows: list[tuple[Any, ...]] = []
    cycles: list[tuple[Any, ...]] = []
    placed: set[str] = set()
    for series in spec.timeline.series:
        decl = series.decl
        if not isinstance(decl, m.Cycle):
            continue
        length = duration_days(decl.length)
        templates = {t.name: t for t in decl.visits}
        members: dict[int, list[tuple[int, m.Visit]]] = {}
        for visit in series.visits:
            template = templates.get(visit.template or "")
            if visit.cycle is None or visit.day is None or template is None or template.day is None:
                continue
            members.setdefault(visit.cycle, []).append((template.day - 1, visit))
        if length is None or not members:
            continue
        cycles.append((decl.name, length))
        for number, found in members.items():
            found.sort(key=lambda pair: pair[0])
            first = found[0][1]
            for offset, visit in found:
                assert visit.day is not None
                rows.append(
                    (
                        visit.name,
                        "cycle",
                        days_from_day1(visit.day),
                        0,
                        visit.window_before,
                        visit.window_after,
                        decl.name,
                        number,
                        offset,
                        visit is first,
                        None,
                        None,
                    )
                )
                placed.add(visit.name)
    for visit in spec.visit_order:
        if visit.name in placed or visit.unscheduled or visit.early_termination:
            continue
        if visit.day is not None and visit.cycle is None:
            end = visit.day_end if visit.day_end is not None else visit.day
            rows.append(
                (
                    visit.name,
                    "calendar",
                    days_from_day1(visit.day),
                    days_from_day1(end) - days_from_day1(visit.day),
                    visit.window_before,
                    visit.window_after,
                    visit.series,
                    None,
                    None,
                    False,
                    None,
                    None,
                )
            )
            continue
        event = event_offset(visit)
        if event is None:
            continue
        anchor, offset = event
        rows.append(
            (
                visit.name,
                "event",
                None,
                0,
                visit.window_before,
                visit.window_after,
                visit.series,
                None,
                None,
                False,
                anchor,
                offset,
            )
        )
    return rows, cycles


def dose_rows(
    spec: Spec, checker: DosingPlan, unit: str
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    rows: list[tuple[Any, ...]] = []
    visits: list[tuple[Any, ...]] = []
    plans: list[tuple[str, str, list[Planned]]] = [
        ("arm", name, plan) for name, plan in checker.arm_plans.items() if plan
    ]
    plans += [("level", name, plan) for name, plan in checker.level_plans.items() if plan]
    for kind, assignment, plan in plans:
        caps = [r.at_most for r in dict.fromkeys(r for r, _d in plan)]
        maximum = sum(c for c in caps if c is not None) if None not in caps else None
        cycles: set[str] = set()
        hosts: set[str] = set()
        for seq, (regimen, dose) in enumerate(plan):
            series = regimen.days.cycle if regimen.days is not None else None
            if series is not None and dose.cycle is not None:
                cycles.add(series)
            elif dose.visit is not None:
                hosts.add(dose.visit)
            factor: float | None = None
            weighted = False
            rule = amounts.weight_rule(regimen)
            if dose.amount is not None:
                weighted = regimens.dose_basis(dose.amount) != "absolute"
                unit_of_measure = measure_unit(checker, regimen)
                per_one = amounts.expected_amount(
                    dose.amount, 1.0 if weighted else None, unit_of_measure, unit
                )
                if per_one is not None and not (weighted and rule.kind == "change"):
                    factor = float(per_one.value)
            where = (
                f"cycle {dose.cycle} day {dose.cycle_day}"
                if dose.cycle is not None
                else f"study day {dose.day}"
            )
            rows.append(
                (
                    kind,
                    assignment,
                    seq,
                    regimen.name,
                    dose.number,
                    days_from_day1(dose.day),
                    series if dose.cycle is not None else None,
                    dose.cycle,
                    dose.cycle_day,
                    dose.visit,
                    dose.window[0],
                    dose.window[1],
                    factor,
                    weighted,
                    rule.kind == "baseline",
                    maximum,
                    f"dose {dose.number} of regimen {regimen.name} ({where})",
                )
            )
        for name, visit in spec.visits.items():
            if name in hosts or (visit.series in cycles and visit.cycle is not None):
                visits.append((kind, assignment, name))
    return rows, visits


def measure_unit(checker: DosingPlan, regimen: m.Regimen) -> str | None:
    if regimen.per is None or len(regimen.per.parts) < 2:
        return None
    form = ".".join(regimen.per.parts[:-1])
    info = next((i for i in checker.dictionary.forms.values() if i.key == form), None)
    item = info.items.get(regimen.per.parts[-1]) if info is not None else None
    return item.unit if item is not None else None
