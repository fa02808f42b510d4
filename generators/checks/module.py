"""`protocol build` artefact ``checks``: the standalone screening module ``screening_checks.py``.

The module is rendered from a Jinja2 template (the fixed runtime) and the
screening plan (the data dictionary as literals, one function per
criterion).  Nothing from the spec is pasted as code: strings, numbers and
dates enter through ``repr`` literals, function names are generated.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import jinja2

from generators import templates
from generators.checks import ucum
from generators.checks.python import Code, PythonCompiler, literal
from protocol_dsl.plan import nodes as n
from protocol_dsl.plan.dictionary import Column, Dictionary
from protocol_dsl.plan.lower import Plan, build_plan
from protocol_dsl.spec import Spec

FILE_NAME = "screening_checks.py"
WIDTH = 92


def build(spec: Spec, out_dir: Path) -> list[Path]:
    """Write ``screening_checks.py`` into `out_dir`."""
    path = Path(out_dir) / FILE_NAME
    path.write_text(render_module(spec), encoding="utf-8")
    return [path]


def render_module(spec: Spec) -> str:
    """The source of the standalone screening module of `spec`."""
    names = {use.storage_name: use.key for use in spec.form_uses}
    return render_plan(build_plan(spec), tuple(spec.visits), names, _edit_checks(spec))


def _edit_checks(spec: Spec) -> str:
    """The plan of the window and dosing edit checks as literals, for a spec with cycles,
    event-relative visits or regimens to dose by; empty otherwise (the module then screens
    only, as before the time structure existed)."""
    from generators import edit_plan
    from protocol_dsl.evaluate import calendar as cal
    from protocol_dsl.evaluate.edit_checks import WEIGHT_BASED_TOLERANCE, DosingPlan

    checker = DosingPlan(spec)
    cal_rows, cycle_rows = edit_plan.calendar_rows(spec)
    exposure = checker.exposure
    dose_rows, dosing_visits = (
        edit_plan.dose_rows(spec, checker, exposure.dose_unit) if exposure else ([], [])
    )
    if not dose_rows and not cycle_rows and not any(row[1] == "event" for row in cal_rows):
        return ""
    doses: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for row in dose_rows:
        doses.setdefault((row[0], row[1]), []).append(tuple(row[2:]))
    visits: dict[tuple[str, str], list[str]] = {}
    for kind, assignment, visit in dosing_visits:
        visits.setdefault((kind, assignment), []).append(visit)
    measures = {}
    for regimen in spec.regimens.values():
        if regimen.per is None or len(regimen.per.parts) < 2:
            continue
        form = ".".join(regimen.per.parts[:-1])
        info = next((i for i in checker.dictionary.forms.values() if i.key == form), None)
        item = info.items.get(regimen.per.parts[-1]) if info is not None else None
        if info is None or item is None:
            continue
        when = next((n for n, i in info.items.items() if i.kind in ("date", "datetime")), None)
        measures[regimen.name] = (info.key, item.name, item.unit, info.repeating, when)
    entries = {
        "EDIT_DAY1": cal.day1_visit(spec),
        "EDIT_CAL": tuple(cal_rows),
        "EDIT_CYCLES": tuple(cycle_rows),
        "EDIT_ANCHORS": tuple(
            (name, anchor.visit, name == cal.LAST_DOSE) for name, anchor in spec.anchors.items()
        ),
        "EDIT_EXPOSURE": (
            (exposure.info.key, exposure.date_item, exposure.dose_item, exposure.dose_unit)
            if exposure is not None
            else None
        ),
        "EDIT_DOSES": {key: tuple(rows) for key, rows in doses.items()},
        "EDIT_DOSING_VISITS": {key: tuple(sorted(v)) for key, v in visits.items()},
        "EDIT_MEASURES": measures,
        "EDIT_TOLERANCE": WEIGHT_BASED_TOLERANCE,
    }
    return "\n".join(_assign(name, literal(value)) for name, value in entries.items())


def render_plan(
    plan: Plan,
    visits: tuple[str, ...],
    names: dict[str, str] | None = None,
    edit_checks: str = "",
) -> str:
    """The module's source; `names` are the forms' names in the spec by table name, for the
    data still needed (a library's form is ``sle.sledai_2k_form``, its table ``sle__…``)."""
    compiler = PythonCompiler()
    functions = []
    table = []
    for number, criterion in enumerate(plan.criteria, start=1):
        function = f"_criterion_{number}"
        body = attrs.evolve(compiler.scalar(criterion.condition), prefix="return ")
        functions.append({"name": function, "body": body.render("    ", WIDTH), "arg": "s"})
        entry = (
            literal(criterion.id),
            literal(criterion.kind),
            Code(function),
            literal(_reads(criterion.condition)),
        )
        table.append(Code("", entry))
    asked = []
    for number, question in enumerate(plan.asked, start=1):
        function = f"_asked_{number}"
        body = attrs.evolve(compiler.scalar(question.condition, True), prefix="return ")
        functions.append({"name": function, "body": body.render("    ", WIDTH), "arg": "s, r"})
        where = literal((question.table, question.item)).flat()
        asked.append(attrs.evolve(Code(function), prefix=f"{where}: "))
    # the strata's rules, by factor in the order declared: an eligible subject's stratum is
    # decided from them as every engine decides it (`allocation.decide_stratum`)
    factors: dict[str, list[Code]] = {}
    for number, stratum in enumerate(plan.strata, start=1):
        function = f"_stratum_{number}"
        body = attrs.evolve(compiler.scalar(stratum.rule), prefix="return ")
        functions.append({"name": function, "body": body.render("    ", WIDTH), "arg": "s"})
        member = (literal(stratum.stratum), Code(function), literal(_reads(stratum.rule)))
        factors.setdefault(stratum.factor, []).append(Code("", member))
    strata = tuple(
        Code("", (literal(factor), Code("", tuple(entries), tuple_of_one=len(entries) == 1)))
        for factor, entries in factors.items()
    )
    attested = tuple(c.id for c in plan.criteria if c.attested)
    used = _used(plan)
    source = _template().render(
        # the runtime of functions of numbers, averages and partial dates only when used,
        # so that a module stays the same when a spec does not use them
        math=n.Math in used,
        averages=n.Average in used,
        partial_dates=bool(used & {"partial_date"}),
        trial=_assign("TRIAL", literal(plan.trial)),
        visits=_assign("VISITS", literal(visits)),
        forms=_assign("FORMS", literal(_forms(plan.dictionary))),
        attested=_assign("ATTESTED", literal(attested)),
        asked=_assign("ASKED", Code("", tuple(asked), brackets="{}")),
        names=_assign("NAMES", literal({t: k for t, k in sorted((names or {}).items()) if t != k})),
        ucum="\n".join(_assign(name, literal(value)) for name, value in ucum.tables().items()),
        functions=functions,
        criteria=_assign("CRITERIA", Code("", tuple(table), tuple_of_one=len(table) == 1)),
        strata=_assign("STRATA", Code("", strata, tuple_of_one=len(strata) == 1)) if strata else "",
        edit_checks=edit_checks,
    )
    return source.rstrip("\n") + "\n"


def _used(plan: Plan) -> set[Any]:
    """The node classes of the plan's conditions, and "partial_date" when a partial date
    is read (an item of that kind, or a read that imputes one)."""
    used: set[Any] = set()
    roots = [c.condition for c in plan.criteria] + [q.condition for q in plan.asked]
    roots += [s.rule for s in plan.strata]
    for root in roots:
        for node in n.walk(root):
            used.add(type(node))
            if isinstance(node, (n.Item, n.Field)) and node.impute is not None:
                used.add("partial_date")
    if any(c.item_kind == "partial_date" for t in plan.dictionary.tables for c in t.columns):
        used.add("partial_date")
    return used


def _assign(name: str, value: Code) -> str:
    return attrs.evolve(value, prefix=f"{name} = ").render("", WIDTH)


def _template() -> jinja2.Template:
    environment = templates.environment(
        Path(__file__).parent / "templates",
        autoescape=False,  # Python source, not HTML: every value is a repr() literal
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("screening_checks.py.jinja")


def _forms(dictionary: Dictionary) -> dict[str, Any]:
    return {
        table.name: (
            table.repeating,
            tuple(table.visits),
            {column.name: _column(column) for column in table.columns},
        )
        for table in dictionary.tables
    }


def _column(column: Column) -> tuple[Any, ...]:
    return (
        column.item_kind,
        column.unit,
        column.codes,
        _exact_bound(column.low),
        _exact_bound(column.high),
        column.visits,
        tuple(
            (unit, _ratio(slope), _ratio(intercept)) for unit, slope, intercept in column.declared
        ),
    )


def _ratio(value: Fraction) -> tuple[int, int]:
    return (value.numerator, value.denominator)


def _exact_bound(bound: float | None) -> Fraction | None:
    """A range bound as the exact decimal it prints as (a value on the bound is in range)."""
    return None if bound is None else Fraction(repr(bound))


def _reads(node: n.Node) -> tuple[tuple[str, ...], ...]:
    """What a rule reads, for the list of data still needed when it is unknown.

    The answer to a log's "any records?" question is read only to tell whether the
    log is recorded: it is part of the log's read, needed only while the log is empty.
    """
    reads: dict[tuple[str, ...], None] = {}
    for leaf in _without_log_tests(node):
        if isinstance(leaf, n.Item):
            reads[("item", leaf.table, leaf.visit, leaf.item)] = None
        elif isinstance(leaf, n.Field):
            reads[("field", leaf.table, leaf.item)] = None
        elif isinstance(leaf, n.VisitDate):
            reads[("visit", leaf.visit)] = None
        elif isinstance(leaf, n.Attested):
            reads[("attested", leaf.criterion)] = None
        elif isinstance(leaf, n.If):
            log = _log_read(leaf.cond)
            if log is not None:
                reads[log] = None
    return tuple(reads)


def _without_log_tests(node: n.Node) -> Iterator[n.Node]:
    """Every node of `node`, without the conditions that test whether a log is recorded."""
    yield node
    if isinstance(node, n.If) and _log_read(node.cond) is not None:
        yield node.cond
        children: tuple[n.Node, ...] = (node.then, node.otherwise)
    else:
        children = tuple(n.children(node))
    for child in children:
        yield from _without_log_tests(child)


def _log_read(condition: n.Node) -> tuple[str, ...] | None:
    """("log", table[, question table, visit, item]) when `condition` is the test that a
    subject's log is recorded (see `plan.lower`): a log not recorded is data needed."""
    question: tuple[str, ...] = ()
    if isinstance(condition, n.Logic) and condition.op == "or" and len(condition.args) == 2:
        condition, answered = condition.args
        items = {(x.table, x.visit, x.item) for x in n.walk(answered) if isinstance(x, n.Item)}
        if len(items) != 1:
            return None
        (question,) = items
    if isinstance(condition, n.AnyRecord) and condition.condition == n.TRUE:
        return ("log", condition.table, *question)
    return None
