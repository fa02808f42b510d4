"""Plan nodes to Python source: calls of the generated module's runtime functions.

Each node becomes a call of a runtime function (``_and``, ``_compare``,
``_any`` …) whose arguments are literals (through ``repr``) or other calls, so
the generated code has one shape whatever the spec says.  `Code` keeps the
call tree so that long expressions are laid out over several lines.
"""

from __future__ import annotations

import abc
import datetime as _dt
import math
from fractions import Fraction

import attrs

from protocol_dsl.decimals import expansion
from protocol_dsl.plan import nodes as n
from protocol_dsl.plan.visitor import IntervalVisitor, PlanVisitor

INDENT = "    "
WIDTH = 92


@attrs.frozen
class Code:
    """A Python expression: a literal or name (``args`` None), or a call of ``head``.

    ``prefix`` is written before it (``lambda r: ``).
    """

    head: str
    args: tuple[Code, ...] | None = None
    prefix: str = ""
    #: the opening and the closing bracket, one character each
    brackets: str = "()"
    tuple_of_one: bool = False

    def render(self, indent: str = "", width: int = WIDTH, room: int = 0) -> str:
        """The code starting at column len(indent); `room` is taken by what follows it."""
        flat = self.flat()
        if self.args is None or not self.args or len(indent) + len(flat) + room <= width:
            return flat
        inner = indent + INDENT
        lines = [f"{inner}{arg.render(inner, width, 1)}," for arg in self.args]
        opening, closing = self.brackets[0], self.brackets[1]
        return f"{self.prefix}{self.head}{opening}\n" + "\n".join(lines) + f"\n{indent}{closing}"

    def flat(self) -> str:
        if self.args is None:
            return self.prefix + self.head
        opening, closing = self.brackets[0], self.brackets[1]
        inside = ", ".join(a.flat() for a in self.args) + ("," if self.tuple_of_one else "")
        return f"{self.prefix}{self.head}{opening}{inside}{closing}"


def literal(value: object) -> Code:
    """A constant as a Python literal (strings, numbers through repr), laid out like ruff."""
    if isinstance(value, Fraction):
        return exact_number(value)
    if isinstance(value, _dt.date):
        return call("_date", literal(value.isoformat()))
    if isinstance(value, tuple):
        items = tuple(literal(v) for v in value)
        return Code("", items, tuple_of_one=len(items) == 1)
    if isinstance(value, dict):
        pairs = tuple(
            attrs.evolve(literal(v), prefix=f"{literal(k).flat()}: ") for k, v in value.items()
        )
        return Code("", pairs, brackets="{}")
    if isinstance(value, str):
        return Code(string(value))
    if value is None or isinstance(value, (bool, int, float)):
        return Code(repr(value))
    raise TypeError(f"no Python literal for {type(value).__name__}")


def exact_number(value: Fraction) -> Code:
    """A number as an exact decimal of the runtime: ``_D("0.9")``, or a rounded quotient."""
    if value.denominator == 1:
        return call("_D", Code(repr(value.numerator)))
    places, rest = expansion(value)
    if rest == 1:  # a finite decimal: written as one
        digits = abs(value.numerator) * 10**places // value.denominator
        text = f"{'-' if value < 0 else ''}{digits // 10**places}.{digits % 10**places:0{places}d}"
        return call("_D", Code(string(text)))
    # a repeating decimal (1/3): the quotient rounded as the runtime rounds every quotient
    return call("_quotient", Code(repr(value.numerator)), Code(repr(value.denominator)))


def string(text: str) -> str:
    """A string literal in double quotes (the house style), exactly as repr() escapes it."""
    body = repr(text)
    if body.startswith("'") and '"' not in text:
        body = '"' + body[1:-1].replace("\\'", "'") + '"'
    return body


def call(function: str, *args: Code) -> Code:
    return Code(function, tuple(args))


RECORD = Code("r")
SUBJECT = Code("s")


#: What `scalar` says of an interval: the interval classes have methods in `bounds` only.
_INTERVAL_AS_VALUE = "an interval where a single value is needed"


class _Operations(abc.ABC):
    """The operations with a single-value and an interval form, shared by both compilers.

    The interval form is the same runtime function with the prefix ``_interval`` over
    (lo, hi) operands (`operand`); a branch's condition is a single value either way.
    """

    prefix = ""

    @abc.abstractmethod
    def operand(self, node: n.Node, record: bool) -> Code:
        """An operand: a single value, or (lo, hi) in the interval form."""

    @abc.abstractmethod
    def condition(self, node: n.Node, record: bool) -> Code:
        """A condition: a single value in both forms."""

    def visit_arith(self, node: n.Arith, record: bool) -> Code:
        return call(
            f"{self.prefix}_arithmetic",
            literal(node.op),
            self.operand(node.left, record),
            self.operand(node.right, record),
        )

    def visit_negate(self, node: n.Negate, record: bool) -> Code:
        return call(f"{self.prefix}_negate", self.operand(node.arg, record))

    def visit_scale(self, node: n.Scale, record: bool) -> Code:
        return call(f"{self.prefix}_scale", self.operand(node.arg, record), *_scale_args(node))

    def visit_if(self, node: n.If, record: bool) -> Code:
        return call(
            f"{self.prefix}_if",
            self.condition(node.cond, record),
            self.operand(node.then, record),
            self.operand(node.otherwise, record),
        )


class PythonCompiler(_Operations, PlanVisitor[Code, [bool]]):
    """Compiles plan nodes to `Code`; `record` is the current record's variable, if any."""

    def __init__(self) -> None:
        self._intervals = _IntervalCompiler(self)

    def scalar(self, node: n.Node, record: bool = False) -> Code:
        if node.kind == "interval":
            raise TypeError(_INTERVAL_AS_VALUE)
        return self.visit(node, record)

    def bounds(self, node: n.Node, record: bool = False) -> Code:
        """A number or interval as a (lo, hi) tuple expression."""
        if node.kind != "interval":
            return call("_point", self.scalar(node, record))
        return self._intervals.visit(node, record)

    def operand(self, node: n.Node, record: bool) -> Code:
        return self.scalar(node, record)

    def condition(self, node: n.Node, record: bool) -> Code:
        return self.scalar(node, record)

    # ------------------------------------------------------------ leaves

    def visit_const(self, node: n.Const, record: bool) -> Code:
        return literal(node.value)

    def visit_item(self, node: n.Item, record: bool) -> Code:
        value = call("s.item", literal(node.table), literal(node.visit), literal(node.item))
        return _imputed(value, node.impute)

    def visit_field(self, node: n.Field, record: bool) -> Code:
        if not record:
            raise TypeError(f"an item of '{node.table}' is read outside its records")
        return _imputed(call("r.get", literal(node.item)), node.impute)

    def visit_visit_date(self, node: n.VisitDate, record: bool) -> Code:
        return call("s.visit", literal(node.visit))

    def visit_attested(self, node: n.Attested, record: bool) -> Code:
        return call("s.attested", literal(node.criterion))

    # ------------------------------------------------------------ logic and comparisons

    def visit_not(self, node: n.Not, record: bool) -> Code:
        return call("_not", self.scalar(node.arg, record))

    def visit_logic(self, node: n.Logic, record: bool) -> Code:
        function = "_and" if node.op == "and" else "_or"
        return call(function, *(self.scalar(a, record) for a in node.args))

    def visit_compare(self, node: n.Compare, record: bool) -> Code:
        if node.left.kind == "bool" and isinstance(node.right, n.Const):
            if node.right.value is None:
                return literal(None)
            value = self.scalar(node.left, record)
            return value if bool(node.right.value) == (node.op == "=") else call("_not", value)
        if node.left.kind == "interval" or node.right.kind == "interval":
            return call(
                "_compare_intervals",
                literal(node.op),
                self.bounds(node.left, record),
                self.bounds(node.right, record),
            )
        return call(
            "_compare",
            literal(node.op),
            self.scalar(node.left, record),
            self.scalar(node.right, record),
        )

    def visit_in_set(self, node: n.InSet, record: bool) -> Code:
        return call("_in", self.scalar(node.arg, record), literal(tuple(node.values)))

    def visit_contains(self, node: n.Contains, record: bool) -> Code:
        # inline rather than a runtime helper: modules of specs without it stay as they were
        function = "(lambda t, p: None if t is None or p is None else p.upper() in t.upper())"
        return call(function, self.scalar(node.text, record), self.scalar(node.part, record))

    def visit_known(self, node: n.Known, record: bool) -> Code:
        if node.arg.kind == "interval":
            value = call("_known_interval", self.bounds(node.arg, record))
        else:
            value = call("_known", self.scalar(node.arg, record))
        return call("_not", value) if node.missing else value

    # ------------------------------------------------------------ numbers and dates

    def visit_extremum(self, node: n.Extremum, record: bool) -> Code:
        function = "_least" if node.op == "least" else "_greatest"
        return call(function, self.scalar(node.left, record), self.scalar(node.right, record))

    def visit_abs(self, node: n.Abs, record: bool) -> Code:
        return call("_abs", self.scalar(node.arg, record))

    def visit_collapse(self, node: n.Collapse, record: bool) -> Code:
        return call("_collapse", self.bounds(node.arg, record))

    def visit_math(self, node: n.Math, record: bool) -> Code:
        return call("_math", literal(node.op), *(self.scalar(a, record) for a in node.args))

    def visit_shift_date(self, node: n.ShiftDate, record: bool) -> Code:
        return call(
            "_shift",
            self.scalar(node.date, record),
            literal(node.days),
            literal(node.months),
            *((exact_number(node.seconds),) if node.seconds is not None else ()),
        )

    def visit_day_of(self, node: n.DayOf, record: bool) -> Code:
        return call("_day", self.scalar(node.arg, record))

    def visit_elapsed(self, node: n.Elapsed, record: bool) -> Code:
        function = {"year": "_years_between", "month": "_months_between"}.get(
            node.unit, "_days_between"
        )
        return call(function, self.scalar(node.start, record), self.scalar(node.end, record))

    def visit_lookup(self, node: n.Lookup, record: bool) -> Code:
        table = literal({key: value.value for key, value in node.entries})
        return call("_lookup", self.scalar(node.key, record), table)

    # ------------------------------------------------------------ records

    def records(self, node: n.Node, function: str, *parts: n.Node) -> Code:
        table = node.table  # type: ignore[union-attr]
        lambdas = [attrs.evolve(self.scalar(part, True), prefix="lambda r: ") for part in parts]
        return call(function, call("s.records", literal(table)), *lambdas)

    def visit_any_record(self, node: n.AnyRecord, record: bool) -> Code:
        return self.records(node, "_any", node.condition)

    def visit_all_records(self, node: n.AllRecords, record: bool) -> Code:
        return self.records(node, "_all", node.condition)

    def visit_extreme(self, node: n.Extreme, record: bool) -> Code:
        function = "_min_of" if node.op == "min" else "_max_of"
        return self.records(node, function, node.condition, node.value)

    def visit_average(self, node: n.Average, record: bool) -> Code:
        code = self.records(node, "_average", node.condition, node.value)
        return attrs.evolve(code, args=(literal(node.op), *(code.args or ())))

    # ------------------------------------------------------------ intervals: see `bounds`

    def visit_count(self, node: n.Count, record: bool) -> Code:
        raise TypeError(_INTERVAL_AS_VALUE)

    def visit_total(self, node: n.Total, record: bool) -> Code:
        raise TypeError(_INTERVAL_AS_VALUE)

    def visit_weighted(self, node: n.Weighted, record: bool) -> Code:
        raise TypeError(_INTERVAL_AS_VALUE)

    def visit_interval_sum(self, node: n.IntervalSum, record: bool) -> Code:
        raise TypeError(_INTERVAL_AS_VALUE)

    def visit_interval_max(self, node: n.IntervalMax, record: bool) -> Code:
        raise TypeError(_INTERVAL_AS_VALUE)

    def visit_bounds(self, node: n.Bounds, record: bool) -> Code:
        raise TypeError(_INTERVAL_AS_VALUE)


class _IntervalCompiler(_Operations, IntervalVisitor[Code, [bool]]):
    """Compiles nodes of kind ``interval`` to (lo, hi) tuple expressions."""

    prefix = "_interval"

    def __init__(self, values: PythonCompiler) -> None:
        self.values = values

    def operand(self, node: n.Node, record: bool) -> Code:
        return self.values.bounds(node, record)

    def condition(self, node: n.Node, record: bool) -> Code:
        return self.values.scalar(node, record)

    def visit_extreme(self, node: n.Extreme, record: bool) -> Code:
        code = self.values.visit_extreme(node, record)
        assert code.args is not None
        return attrs.evolve(code, args=(*code.args, _float(node.low), _float(node.high)))

    def visit_count(self, node: n.Count, record: bool) -> Code:
        return self.values.records(node, "_count", node.condition)

    def visit_total(self, node: n.Total, record: bool) -> Code:
        code = self.values.records(node, "_total", node.condition, node.value)
        assert code.args is not None
        return attrs.evolve(code, args=(*code.args, _float(node.low), _float(node.high)))

    def visit_weighted(self, node: n.Weighted, record: bool) -> Code:
        return call("_weighted", literal(node.weight), self.values.scalar(node.condition, record))

    def visit_interval_sum(self, node: n.IntervalSum, record: bool) -> Code:
        return call("_interval_sum", *(self.values.bounds(p, record) for p in node.parts))

    def visit_interval_max(self, node: n.IntervalMax, record: bool) -> Code:
        return call("_interval_max", *(self.values.bounds(p, record) for p in node.parts))

    def visit_bounds(self, node: n.Bounds, record: bool) -> Code:
        return Code("", (_float(node.lo), _float(node.hi)))


def _imputed(value: Code, impute: str | None) -> Code:
    """A partial date read as its rule says (see `nodes.Impute`); other values as they are."""
    return value if impute is None else call("_impute", value, literal(impute))


def _float(value: float) -> Code:
    """A bound: the exact decimal the float prints as, or an infinity of the runtime."""
    if math.isinf(value):
        return Code("_INF" if value > 0 else "-_INF")
    return exact_number(Fraction(repr(float(value))))


def _scale_args(node: n.Scale) -> tuple[Code, ...]:
    offset = node.offset
    return (
        literal(node.num),
        literal(node.den),
        literal(offset.numerator),
        literal(offset.denominator),
        literal(node.digits),
    )
