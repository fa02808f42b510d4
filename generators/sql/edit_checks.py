"""The visit-window and dosing edit checks as one query over the tabular layout.

The query returns one row per finding, with the columns of the interpreter's
`Finding` (subject_id, rule, form, item, visit, record, value, expected) and
the dates a message needs; `findings` turns the rows into messages.  It
follows the interpreter's rules (`protocol_dsl.evaluate.calendar`,
`protocol_dsl.evaluate.dosing`, `protocol_dsl.evaluate.edit_checks`):

- the subject's calendar: day 1 from the `first_dose` visit, cycle n starting
  on its first visit's date, else one cycle after the latest cycle before it
  that was recorded (else on its planned day); calendar visits on their study
  day; event-relative visits from the anchor's date (`last_dose`: the latest
  dose record);
- VISIT_OUT_OF_WINDOW and CYCLE_DELAYED against it;
- under a regimen, each dose record assigned to the nearest planned date (the
  earliest whose window holds it first), each planned date taking its
  in-window records first, then the nearest its due date, then PLANNED_DOSE_MISSING,
  DOSE_ON_UNPLANNED_DAY, DOSE_OUT_OF_WINDOW, DOSES_BEYOND_MAXIMUM and
  DOSE_NOT_AS_PLANNED (the planned amount per kg or m² times the weight or
  BSA recorded on or before the dose, ±10 %; exact for an absolute dose).

What the protocol fixes (the planned visits, cycles, doses, their windows and
amounts per unit of weight) is written into the query as VALUES; what the
subject did comes from the tables.  The tabular layout numbers no records, so
`record` is a dose record's place among the subject's records in date order
(the interpreter's record index when the log is in date order).  Amounts
need the weight (or BSA) in the item's own unit, and a regimen whose weight
rule is a percentage change (`dose_weight 10 %`) has its amounts left
unchecked here: an amount not checked is never reported.

The text is written in Spark SQL, parsed by SQLGlot and rendered in the
dialect asked for.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import Any

import sqlglot
from sqlglot import exp

from generators import edit_plan
from protocol_dsl.evaluate import calendar as cal
from protocol_dsl.evaluate.edit_checks import (
    WEIGHT_BASED_TOLERANCE,
    DosingPlan,
)
from protocol_dsl.plan.dictionary import build_dictionary
from protocol_dsl.spec import Spec

#: The rules the query reports.
SQL_RULES = (
    "VISIT_OUT_OF_WINDOW",
    "CYCLE_DELAYED",
    "PLANNED_DOSE_MISSING",
    "DOSE_ON_UNPLANNED_DAY",
    "DOSE_OUT_OF_WINDOW",
    "DOSES_BEYOND_MAXIMUM",
    "DOSE_NOT_AS_PLANNED",
)

COLUMNS = (
    "subject_id",
    "rule",
    "form",
    "item",
    "visit",
    "record",
    "value",
    "expected",
    "due",
    "earliest",
    "latest",
    "detail",
    "on_date",
)


def _lit(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _values(name: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]) -> str:
    """A CTE of constant rows, typed (an empty one selects a typed row that is filtered out)."""
    typed = [
        ", ".join(f"CAST({_lit(v)} AS {t}) AS {c}" for v, (c, t) in zip(row, columns, strict=True))
        for row in rows
    ]
    if not typed:
        nulls = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in columns)
        return f"{name} AS (SELECT {nulls} WHERE 1 = 0)"
    return f"{name} AS (" + " UNION ALL ".join(f"SELECT {row}" for row in typed) + ")"


def _assignment_sql(checker: DosingPlan) -> str:
    """`assignment(subject_id, arm, dose_level)`: one row per subject of the subjects table.

    An arm or dose level the spec does not declare is read as none (the interpreter
    reports it); the rows of one subject that give different ones leave it unknown,
    as in the interpreter (`protocol_dsl.data.tables`).
    """
    columns = []
    for column, names in (
        ("arm", checker.dictionary.arms),
        ("dose_level", checker.dictionary.dose_levels),
    ):
        valid = (
            f"CASE WHEN TRIM({column}) IN ({', '.join(_lit(name) for name in names)}) "
            f"THEN TRIM({column}) END"
            if names
            else "CAST(NULL AS STRING)"
        )
        columns.append(f"{valid} AS {column}")
    agreed = ", ".join(
        f"CASE WHEN MIN({column}) = MAX({column}) THEN MIN({column}) END AS {column}"
        for column in ("arm", "dose_level")
    )
    return (
        f"assignment AS (SELECT subject_id, {agreed} FROM (SELECT subject_id, "
        f"{', '.join(columns)} FROM subjects WHERE subject_id IS NOT NULL) AS s "
        "GROUP BY subject_id)"
    )


def _measures_sql(spec: Spec, checker: DosingPlan) -> str:
    """`measures(subject_id, regimen, date, value)`: each dosing regimen's weight or BSA."""
    selects = []
    dictionary = build_dictionary(spec)
    for regimen in spec.regimens.values():
        if regimen.per is None or len(regimen.per.parts) < 2:
            continue
        form = ".".join(regimen.per.parts[:-1])
        name = regimen.per.parts[-1]
        info = next((i for i in checker.dictionary.forms.values() if i.key == form), None)
        item = info.items.get(name) if info is not None else None
        table = dictionary.table(info.storage) if info is not None else None
        column = table.column(name) if table is not None else None
        if info is None or item is None or table is None or column is None:
            continue
        unit_ok = "TRUE"
        if column.unit_column is not None:
            unit_ok = f"(t.`{column.unit_column}` IS NULL OR t.`{column.unit_column}` = {_lit(item.unit)})"
        if table.repeating:
            when = next((n for n, i in info.items.items() if i.kind in ("date", "datetime")), None)
            if when is None:
                continue
            selects.append(
                f"SELECT t.subject_id, {_lit(regimen.name)} AS regimen, CAST(t.`{when}` AS DATE) "
                f"AS date, CAST(t.`{name}` AS DOUBLE) AS value FROM `{table.name}` AS t "
                f"WHERE t.`{name}` IS NOT NULL AND t.`{when}` IS NOT NULL AND {unit_ok}"
            )
        else:
            # several rows of one visit: the value they agree on, none when they differ
            value = f"CAST(t.`{name}` AS DOUBLE)"
            selects.append(
                f"SELECT t.subject_id, {_lit(regimen.name)} AS regimen, v.date AS date, "
                f"MIN({value}) AS value FROM `{table.name}` AS t JOIN recorded AS v "
                f"ON v.subject_id = t.subject_id AND v.visit = t.visit "
                f"WHERE t.`{name}` IS NOT NULL AND {unit_ok} "
                f"GROUP BY t.subject_id, t.visit, v.date HAVING MIN({value}) = MAX({value})"
            )
    if not selects:
        return (
            "measures AS (SELECT CAST(NULL AS STRING) AS subject_id, CAST(NULL AS STRING) AS "
            "regimen, CAST(NULL AS DATE) AS date, CAST(NULL AS DOUBLE) AS value WHERE 1 = 0)"
        )
    return "measures AS (" + " UNION ALL ".join(selects) + ")"


def edit_check_query(spec: Spec) -> exp.Expression:
    """The query of the window and dosing edit checks (see the module doc)."""
    tree = sqlglot.parse_one(_text(spec), read="spark")

    def dated(node: exp.Expression) -> exp.Expression:
        # a day added to a date is a date in every dialect (DuckDB's date + interval is not)
        if isinstance(node, (exp.DateAdd, exp.TsOrDsAdd)) and not isinstance(node.parent, exp.Cast):
            return exp.cast(node.copy(), "DATE")
        return node

    return tree.transform(dated)


def render(spec: Spec, dialect: str = "duckdb") -> str:
    """The edit-check query as text in `dialect`."""
    return edit_check_query(spec).sql(dialect=dialect, pretty=True)


def _text(spec: Spec) -> str:
    checker = DosingPlan(spec)
    first = cal.day1_visit(spec)
    cal_rows, cycle_rows = edit_plan.calendar_rows(spec)
    anchor_rows = [
        (name, anchor.visit, name == cal.LAST_DOSE) for name, anchor in spec.anchors.items()
    ]
    exposure = checker.exposure
    parts = [
        _values("cal_plan", edit_plan.CAL, cal_rows),
        _values("cycle_plan", edit_plan.CYCLES, cycle_rows),
        _values("anchor_plan", edit_plan.ANCHORS, anchor_rows),
        # a visit's date; rows that give it differently leave it unknown, as no date
        "recorded AS (SELECT subject_id, visit, MIN(CAST(date AS DATE)) AS date FROM visits "
        "WHERE date IS NOT NULL AND subject_id IS NOT NULL AND visit IS NOT NULL "
        "GROUP BY subject_id, visit HAVING MIN(CAST(date AS DATE)) = MAX(CAST(date AS DATE)))",
        _assignment_sql(checker),
        f"day1 AS (SELECT subject_id, date AS day1 FROM recorded WHERE visit = {_lit(first)})",
    ]
    if exposure is not None:
        storage, date_item = exposure.info.storage, exposure.date_item
        dose_rows, dosing_visit_rows = edit_plan.dose_rows(spec, checker, exposure.dose_unit)
        unit_column = f"{exposure.dose_item}__unit"
        table = build_dictionary(spec).table(storage)
        has_unit = table is not None and any(c.unit_column == unit_column for c in table.columns)
        unit_ok = (
            f"(`{unit_column}` IS NULL OR `{unit_column}` = {_lit(exposure.dose_unit)})"
            if has_unit
            else "TRUE"
        )
        parts += [
            "numbered AS (SELECT subject_id, CAST(`"
            + date_item
            + "` AS DATE) AS date, CAST(`dose` AS DOUBLE) AS amount, "
            + f"CASE WHEN {unit_ok} THEN CAST(`dose` AS DOUBLE) END AS checked, "
            + "ROW_NUMBER() OVER (PARTITION BY subject_id ORDER BY CAST(`"
            + date_item
            + "` AS DATE) ASC NULLS LAST, CAST(`dose` AS DOUBLE) ASC NULLS LAST) - 1 AS record "
            + f"FROM `{storage}` WHERE subject_id IS NOT NULL)",
            "doses AS (SELECT * FROM numbered WHERE date IS NOT NULL AND amount IS NOT NULL)",
            "last_dose AS (SELECT subject_id, MAX(date) AS date FROM doses GROUP BY subject_id)",
        ]
    else:
        dose_rows, dosing_visit_rows = [], []
        parts += [
            "doses AS (SELECT CAST(NULL AS STRING) AS subject_id, CAST(NULL AS DATE) AS date, "
            "CAST(NULL AS DOUBLE) AS amount, CAST(NULL AS DOUBLE) AS checked, CAST(NULL AS INT) "
            "AS record WHERE 1 = 0)",
            "last_dose AS (SELECT subject_id, MAX(date) AS date FROM doses GROUP BY subject_id)",
        ]
    parts += [
        _values("dose_plan", edit_plan.DOSES, dose_rows),
        _values("dosing_visit_plan", edit_plan.DOSING_VISITS, dosing_visit_rows),
        _measures_sql(spec, checker),
        # each cycle's first visit and the cycle's planned start (days from day 1)
        "cycle_first AS (SELECT c.series, c.cycle_no, c.visit AS first_visit, c.offset_days "
        "AS first_offset, c.day_offset - c.offset_days AS start_offset, p.length_days FROM "
        "cal_plan AS c JOIN cycle_plan AS p ON p.series = c.series WHERE c.kind = 'cycle' "
        "AND c.is_first)",
        "started AS (SELECT f.series, f.cycle_no, r.subject_id, DATE_ADD(r.date, -f.first_offset) "
        "AS start FROM cycle_first AS f JOIN recorded AS r ON r.visit = f.first_visit)",
        "subject_cycles AS (SELECT d.subject_id, d.day1, f.* FROM day1 AS d CROSS JOIN "
        "cycle_first AS f)",
        "latest_started AS (SELECT c.subject_id, c.series, c.cycle_no, MAX(CASE WHEN s.cycle_no "
        "<= c.cycle_no THEN s.cycle_no END) AS upto, MAX(CASE WHEN s.cycle_no < c.cycle_no THEN "
        "s.cycle_no END) AS before_it FROM subject_cycles AS c LEFT JOIN started AS s ON "
        "s.subject_id = c.subject_id AND s.series = c.series GROUP BY c.subject_id, c.series, "
        "c.cycle_no)",
        "cycle_starts AS (SELECT c.subject_id, c.series, c.cycle_no, c.first_visit, "
        "COALESCE(DATE_ADD(a.start, (c.cycle_no - a.cycle_no) * c.length_days), "
        "DATE_ADD(c.day1, c.start_offset)) AS start, "
        "COALESCE(DATE_ADD(b.start, (c.cycle_no - b.cycle_no) * c.length_days), "
        "DATE_ADD(c.day1, c.start_offset)) AS expected "
        "FROM subject_cycles AS c JOIN latest_started AS l ON l.subject_id = c.subject_id AND "
        "l.series = c.series AND l.cycle_no = c.cycle_no LEFT JOIN started AS a ON "
        "a.subject_id = c.subject_id AND a.series = c.series AND a.cycle_no = l.upto "
        "LEFT JOIN started AS b ON b.subject_id = c.subject_id AND b.series = c.series AND "
        "b.cycle_no = l.before_it)",
        "anchor_dates AS (SELECT r.subject_id, p.anchor, COALESCE(CASE WHEN p.last_dose THEN "
        "l.date END, r.date) AS date FROM anchor_plan AS p JOIN recorded AS r ON r.visit = "
        "p.visit LEFT JOIN last_dose AS l ON l.subject_id = r.subject_id "
        "UNION ALL SELECT l.subject_id, p.anchor, l.date FROM anchor_plan AS p JOIN last_dose "
        "AS l ON p.last_dose WHERE p.visit IS NULL OR NOT EXISTS (SELECT 1 FROM recorded AS r "
        "WHERE r.subject_id = l.subject_id AND r.visit = p.visit))",
        "due AS ("
        "SELECT d.subject_id, c.visit, DATE_ADD(d.day1, c.day_offset) AS due, c.length_days, "
        "c.before_days, c.after_days, FALSE AS is_first, CAST(NULL AS INT) AS cycle_no, "
        "DATE_ADD(d.day1, c.day_offset) AS doses_on FROM day1 AS d JOIN cal_plan AS c "
        "ON c.kind = 'calendar' "
        "UNION ALL SELECT s.subject_id, c.visit, DATE_ADD(CASE WHEN c.is_first THEN s.expected "
        "ELSE s.start END, c.offset_days) AS due, 0 AS length_days, c.before_days, c.after_days, "
        "c.is_first, c.cycle_no, DATE_ADD(s.start, c.offset_days) AS doses_on FROM cycle_starts "
        "AS s JOIN cal_plan AS c ON c.kind = 'cycle' AND c.series = s.series AND c.cycle_no = "
        "s.cycle_no "
        "UNION ALL SELECT a.subject_id, c.visit, DATE_ADD(a.date, c.rel_days) AS due, 0 AS "
        "length_days, c.before_days, c.after_days, FALSE AS is_first, CAST(NULL AS INT) AS "
        "cycle_no, DATE_ADD(a.date, c.rel_days) AS doses_on FROM anchor_dates AS a JOIN "
        "cal_plan AS c ON c.kind = 'event' AND c.anchor = a.anchor)",
        "windows AS (SELECT u.*, DATE_ADD(u.due, -u.before_days) AS earliest, "
        "DATE_ADD(u.due, u.length_days + u.after_days) AS latest FROM due AS u)",
        # the planned doses of each subject: its arm's, else its dose level's
        "subject_doses AS (SELECT s.subject_id, p.* FROM assignment AS s JOIN dose_plan AS p ON "
        "(p.kind = 'arm' AND p.assignment = s.arm) OR (p.kind = 'level' AND p.assignment = "
        "s.dose_level AND NOT EXISTS (SELECT 1 FROM dose_plan AS q WHERE q.kind = 'arm' AND "
        "q.assignment = s.arm)))",
        "planned AS (SELECT p.*, d.day1, CASE WHEN p.series IS NOT NULL AND c.start IS NOT NULL "
        "THEN DATE_ADD(c.start, p.cycle_day - 1) WHEN h.doses_on IS NOT NULL THEN h.doses_on "
        "ELSE DATE_ADD(d.day1, p.day_offset) END AS due FROM subject_doses AS p JOIN day1 AS d "
        "ON d.subject_id = p.subject_id LEFT JOIN cycle_starts AS c ON c.subject_id = "
        "p.subject_id AND c.series = p.series AND c.cycle_no = p.cycle_no LEFT JOIN due AS h "
        "ON h.subject_id = p.subject_id AND h.visit = p.host)",
        "slots AS (SELECT subject_id, due, DATE_ADD(due, -MAX(before_days)) AS earliest, "
        "DATE_ADD(due, MAX(after_days)) AS latest FROM planned GROUP BY subject_id, due)",
        "slot_doses AS (SELECT p.*, s.earliest, s.latest, ROW_NUMBER() OVER (PARTITION BY "
        "p.subject_id, p.due ORDER BY p.seq) AS k FROM planned AS p JOIN slots AS s ON "
        "s.subject_id = p.subject_id AND s.due = p.due)",
        "planned_subjects AS (SELECT DISTINCT subject_id FROM planned)",
        "candidates AS (SELECT r.subject_id, r.record, r.date, r.amount, r.checked, s.due, "
        "s.earliest, s.latest, r.date >= s.earliest AND r.date <= s.latest AS inside, "
        "ROW_NUMBER() OVER (PARTITION BY r.subject_id, r.record ORDER BY CASE WHEN r.date >= "
        "s.earliest AND r.date <= s.latest THEN 0 ELSE 1 END, CASE WHEN r.date >= s.earliest AND "
        "r.date <= s.latest THEN 0 ELSE ABS(DATEDIFF(r.date, s.due)) END, s.due) AS choice "
        "FROM doses AS r JOIN slots AS s ON s.subject_id = r.subject_id)",
        "assigned AS (SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.subject_id, c.due ORDER BY "
        "CASE WHEN c.inside THEN 0 ELSE 1 END, ABS(DATEDIFF(c.date, c.due)), c.date, c.record) "
        "AS k FROM candidates AS c "
        "WHERE c.choice = 1)",
        "given AS (SELECT a.subject_id, a.record, a.date, a.amount, a.checked, a.inside, a.k, "
        "d.regimen, d.label, d.due, DATE_ADD(d.due, -d.before_days) AS earliest, "
        "DATE_ADD(d.due, d.after_days) AS latest, d.factor, d.weighted, d.baseline, d.day1 "
        "FROM assigned AS a JOIN slot_doses AS d ON d.subject_id = a.subject_id AND d.due = "
        "a.due AND d.k = a.k)",
        "in_order AS (SELECT r.*, ROW_NUMBER() OVER (PARTITION BY r.subject_id ORDER BY r.date, "
        "r.record) - 1 AS place FROM doses AS r JOIN planned_subjects AS p ON p.subject_id = "
        "r.subject_id)",
        "extra AS (SELECT o.*, m.maximum FROM in_order AS o LEFT JOIN (SELECT DISTINCT "
        "subject_id, maximum FROM planned) AS m ON m.subject_id = o.subject_id WHERE NOT EXISTS "
        "(SELECT 1 FROM given AS g WHERE g.subject_id = o.subject_id AND g.record = o.record))",
        "continued AS (SELECT subject_id, MAX(date) AS date FROM (SELECT subject_id, date FROM "
        "doses UNION ALL SELECT r.subject_id, r.date FROM recorded AS r JOIN assignment AS s ON "
        "s.subject_id = r.subject_id JOIN dosing_visit_plan AS v ON v.visit = r.visit AND "
        "((v.kind = 'arm' AND v.assignment = s.arm) OR (v.kind = 'level' AND v.assignment = "
        "s.dose_level AND NOT EXISTS (SELECT 1 FROM dose_plan AS q WHERE q.kind = 'arm' AND "
        "q.assignment = s.arm)))) AS seen GROUP BY subject_id)",
        "measured AS (SELECT g.subject_id, g.record, MAX_BY(m.value, m.date) AS value FROM "
        "given AS g JOIN measures AS m ON m.subject_id = g.subject_id AND m.regimen = g.regimen "
        "AND m.date <= CASE WHEN g.baseline THEN g.day1 ELSE g.date END GROUP BY g.subject_id, "
        "g.record)",
        "amounts AS (SELECT g.*, CASE WHEN g.weighted THEN ROUND(g.factor * m.value, 6) ELSE "
        "g.factor END AS target, m.value AS measure FROM given AS g LEFT JOIN measured AS m ON "
        "m.subject_id = g.subject_id AND m.record = g.record)",
    ]
    exposure_form = _lit(exposure.info.key) if exposure is not None else "NULL"
    exposure_item = _lit(exposure.dose_item) if exposure is not None else "NULL"
    tolerance = repr(WEIGHT_BASED_TOLERANCE)
    selects = [
        "SELECT r.subject_id, CASE WHEN w.is_first AND w.cycle_no > 1 AND r.date > w.latest "
        "THEN 'CYCLE_DELAYED' ELSE 'VISIT_OUT_OF_WINDOW' END AS rule, CAST(NULL AS STRING) AS "
        "form, CAST(NULL AS STRING) AS item, r.visit, CAST(NULL AS INT) AS record, "
        "CAST(r.date AS STRING) AS value, CAST(NULL AS DOUBLE) AS expected, w.due, w.earliest, "
        "w.latest, CAST(NULL AS STRING) AS detail, r.date AS on_date FROM recorded AS r "
        "JOIN windows AS w ON "
        "w.subject_id = r.subject_id AND w.visit = r.visit WHERE r.date < w.earliest OR r.date "
        "> w.latest",
        f"SELECT g.subject_id, 'DOSE_OUT_OF_WINDOW', {exposure_form}, {exposure_item}, "
        "CAST(NULL AS STRING), CAST(g.record AS INT), CAST(g.amount AS STRING), "
        "CAST(NULL AS DOUBLE), g.due, g.earliest, g.latest, g.label, g.date FROM given AS g "
        "WHERE NOT g.inside",
        f"SELECT a.subject_id, 'DOSE_NOT_AS_PLANNED', {exposure_form}, {exposure_item}, "
        "CAST(NULL AS STRING), CAST(a.record AS INT), CAST(a.amount AS STRING), a.target, a.due, "
        "a.earliest, a.latest, a.label, a.date FROM amounts AS a WHERE a.target IS NOT NULL AND "
        "a.checked IS NOT NULL AND CASE WHEN a.weighted THEN ABS(a.checked - a.target) > "
        f"{tolerance} * ABS(a.target) + 1e-9 ELSE ABS(a.checked - a.target) > GREATEST(1e-9 * "
        "GREATEST(ABS(a.checked), ABS(a.target)), 1e-12) END",
        "SELECT e.subject_id, CASE WHEN e.maximum IS NOT NULL AND e.place >= e.maximum THEN "
        f"'DOSES_BEYOND_MAXIMUM' ELSE 'DOSE_ON_UNPLANNED_DAY' END, {exposure_form}, "
        f"{exposure_item}, CAST(NULL AS STRING), CAST(e.record AS INT), CAST(e.amount AS "
        "STRING), CAST(e.maximum AS DOUBLE), CAST(NULL AS DATE), CAST(NULL AS DATE), "
        "CAST(NULL AS DATE), CAST(e.place + 1 AS STRING), e.date FROM extra AS e",
        f"SELECT d.subject_id, 'PLANNED_DOSE_MISSING', {exposure_form}, {exposure_item}, "
        "d.host, CAST(NULL AS INT), CAST(NULL AS STRING), CAST(NULL AS DOUBLE), d.due, "
        "DATE_ADD(d.due, -d.before_days), DATE_ADD(d.due, d.after_days), d.label, "
        "CAST(NULL AS DATE) FROM "
        "slot_doses AS d JOIN continued AS c ON c.subject_id = d.subject_id WHERE c.date > "
        "d.latest AND NOT EXISTS (SELECT 1 FROM given AS g WHERE g.subject_id = d.subject_id "
        "AND g.due = d.due AND g.k = d.k)",
    ]
    return "WITH " + ", ".join(parts) + " " + " UNION ALL ".join(selects)


def findings(rows: Iterable[Sequence[Any]], spec: Spec) -> list[dict[str, Any]]:
    """Finding dicts (as `Finding.to_json`) from the query's rows, with their messages."""
    exposure = DosingPlan(spec).exposure
    unit = exposure.dose_unit if exposure is not None else ""
    found = []
    for row in rows:
        values = {
            name: cell.date() if isinstance(cell, _dt.datetime) else cell
            for name, cell in zip(COLUMNS, row, strict=True)
        }
        found.append(
            {
                "subject_id": values["subject_id"],
                "rule": values["rule"],
                "form": values["form"],
                "item": values["item"],
                "visit": values["visit"],
                "record": values["record"],
                "value": _value(values["value"]),
                "expected": _expected(values),
                "message": _message(values, unit),
            }
        )
    found.sort(key=lambda f: (str(f["subject_id"]), f["rule"], str(f["visit"]), f["record"] or 0))
    return found


def _value(text: Any) -> Any:
    if text is None:
        return None
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def _range(first: Any, last: Any) -> str | None:
    if first is None or last is None:
        return None
    return first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"


def _expected(values: dict[str, Any]) -> Any:
    rule = values["rule"]
    if rule == "DOSES_BEYOND_MAXIMUM":
        return f"at most {_value(values['expected'])} administrations"
    if rule == "DOSE_ON_UNPLANNED_DAY":
        return "no dose"
    if rule == "DOSE_NOT_AS_PLANNED":
        return values["expected"]
    if rule == "PLANNED_DOSE_MISSING":
        return None
    return _range(values["earliest"], values["latest"])


def _off(values: dict[str, Any]) -> str:
    """'3 days late', '1 day early': how far a date is outside its window."""
    on, earliest, latest = values["on_date"], values["earliest"], values["latest"]
    if on is None or earliest is None or latest is None:
        return "outside its window"
    late = on > latest
    days = abs((on - latest).days if late else (on - earliest).days)
    return f"{days} day{'s' if days != 1 else ''} {'late' if late else 'early'}"


def _message(values: dict[str, Any], unit: str) -> str:
    rule = values["rule"]
    due: _dt.date | None = values["due"]
    window = _range(values["earliest"], values["latest"])
    planned = f"planned {due.isoformat()}" if due is not None else "planned"
    if window is not None and window != (due.isoformat() if due is not None else None):
        planned += f" (window {window})"
    on = values["on_date"].isoformat() if values["on_date"] is not None else None
    if rule == "CYCLE_DELAYED":
        return (
            f"the cycle that starts with {values['visit']} started on {on}, {_off(values)}: "
            f"{planned}; the cycles after it are planned from this date"
        )
    if rule == "VISIT_OUT_OF_WINDOW":
        return f"visit {values['visit']} on {on} is {_off(values)}: {planned}"
    where = f"{values['form']}[{values['record']}].{values['item']}"
    amount = f"{_number(values['value'])} {unit}"
    if rule == "DOSE_OUT_OF_WINDOW":
        return f"{where}: {amount} on {on} for {values['detail']}, {planned}: {_off(values)}"
    if rule == "DOSE_NOT_AS_PLANNED":
        return (
            f"{where}: {amount} on {on} for {values['detail']}; planned "
            f"{_number(values['expected'])} {unit}"
        )
    if rule == "DOSES_BEYOND_MAXIMUM":
        return (
            f"{where}: {amount} on {on} is administration {values['detail']}; the regimen plans "
            f"at most {_number(values['expected'])}"
        )
    if rule == "DOSE_ON_UNPLANNED_DAY":
        return f"{where}: {amount} on {on} matches no planned dose: an extra dose"
    return (
        f"{values['detail']} was {planned.replace('planned', 'due', 1)} but no dose is "
        "recorded, although treatment went on after it"
    )


def _number(value: Any) -> str:
    number = _value(value)
    if isinstance(number, float):
        return f"{number:.6f}".rstrip("0").rstrip(".")
    return str(number)
