"""The values a plan node can take, as far as known before reading any data.

The same static reasoning as the interpreter's: an item's declared range,
constants, table values, and interval arithmetic over them.  The lowering uses
it to bound a sum or an extreme over records that are not all known.
"""

from __future__ import annotations

import math
from fractions import Fraction

from protocol_dsl.plan import nodes as n
from protocol_dsl.plan.dictionary import Dictionary
from protocol_dsl.plan.visitor import PlanVisitor

Bounds = tuple[float, float]

#: Nothing known: what a node says of its bounds when it does not bound its values.
UNBOUNDED: Bounds = (-math.inf, math.inf)


class StaticBounds(PlanVisitor[Bounds, []]):
    """(low, high) of a node's values; `UNBOUNDED` where no static bound is known."""

    def __init__(self, dictionary: Dictionary) -> None:
        self.dictionary = dictionary

    # ------------------------------------------------------------ what bounds its values

    def visit_const(self, node: n.Const) -> Bounds:
        if isinstance(node.value, (Fraction, int)) and not isinstance(node.value, bool):
            return float(node.value), float(node.value)
        return UNBOUNDED

    def visit_item(self, node: n.Item) -> Bounds:
        return self._declared(node.table, node.item)

    def visit_field(self, node: n.Field) -> Bounds:
        return self._declared(node.table, node.item)

    def _declared(self, table_name: str, item: str) -> Bounds:
        """An item's declared range, in the unit the dictionary reads it in."""
        table = self.dictionary.table(table_name)
        column = table.column(item) if table is not None else None
        if column is not None and column.low is not None and column.high is not None:
            return column.low, column.high
        return UNBOUNDED

    def visit_arith(self, node: n.Arith) -> Bounds:
        return bounds_arith(node.op, self.visit(node.left), self.visit(node.right))

    def visit_negate(self, node: n.Negate) -> Bounds:
        low, high = self.visit(node.arg)
        return -high, -low

    def visit_scale(self, node: n.Scale) -> Bounds:
        return self.visit(node.arg)

    def visit_lookup(self, node: n.Lookup) -> Bounds:
        numbers = [float(v.value) for _k, v in node.entries if isinstance(v.value, Fraction)]
        return min(numbers, default=-math.inf), max(numbers, default=math.inf)

    def visit_abs(self, node: n.Abs) -> Bounds:
        low, high = self.visit(node.arg)
        return 0.0, max(abs(low), abs(high))

    def visit_extremum(self, node: n.Extremum) -> Bounds:
        a, b = self.visit(node.left), self.visit(node.right)
        pick = min if node.op == "least" else max
        return pick(a[0], b[0]), pick(a[1], b[1])

    def visit_if(self, node: n.If) -> Bounds:
        a, b = self.visit(node.then), self.visit(node.otherwise)
        return min(a[0], b[0]), max(a[1], b[1])

    # ------------------------------------------------------------ no static bound

    # Conditions, dates, codes and the record and interval nodes: the lowering
    # bounds number-valued nodes only, and these are not bounded statically.

    def visit_visit_date(self, node: n.VisitDate) -> Bounds:
        return UNBOUNDED

    def visit_attested(self, node: n.Attested) -> Bounds:
        return UNBOUNDED

    def visit_not(self, node: n.Not) -> Bounds:
        return UNBOUNDED

    def visit_logic(self, node: n.Logic) -> Bounds:
        return UNBOUNDED

    def visit_compare(self, node: n.Compare) -> Bounds:
        return UNBOUNDED

    def visit_in_set(self, node: n.InSet) -> Bounds:
        return UNBOUNDED

    def visit_contains(self, node: n.Contains) -> Bounds:
        return UNBOUNDED

    def visit_known(self, node: n.Known) -> Bounds:
        return UNBOUNDED

    def visit_collapse(self, node: n.Collapse) -> Bounds:
        return UNBOUNDED

    # functions of numbers and averages: unbounded, as in the interpreter (a
    # bound matters only to a sum or an extreme over records, where every engine
    # must use the same one)

    def visit_math(self, node: n.Math) -> Bounds:
        return UNBOUNDED

    def visit_average(self, node: n.Average) -> Bounds:
        return UNBOUNDED

    def visit_shift_date(self, node: n.ShiftDate) -> Bounds:
        return UNBOUNDED

    def visit_day_of(self, node: n.DayOf) -> Bounds:
        return UNBOUNDED

    def visit_elapsed(self, node: n.Elapsed) -> Bounds:
        return UNBOUNDED

    def visit_any_record(self, node: n.AnyRecord) -> Bounds:
        return UNBOUNDED

    def visit_all_records(self, node: n.AllRecords) -> Bounds:
        return UNBOUNDED

    def visit_count(self, node: n.Count) -> Bounds:
        return UNBOUNDED

    def visit_total(self, node: n.Total) -> Bounds:
        return UNBOUNDED

    def visit_extreme(self, node: n.Extreme) -> Bounds:
        return UNBOUNDED

    def visit_weighted(self, node: n.Weighted) -> Bounds:
        return UNBOUNDED

    def visit_interval_sum(self, node: n.IntervalSum) -> Bounds:
        return UNBOUNDED

    def visit_interval_max(self, node: n.IntervalMax) -> Bounds:
        return UNBOUNDED

    def visit_bounds(self, node: n.Bounds) -> Bounds:
        return UNBOUNDED


def bounds_arith(op: str, a: Bounds, b: Bounds) -> Bounds:
    """Interval arithmetic on static bounds (0 × ∞ is 0; a divisor range across 0 is unbounded)."""
    (a0, a1), (b0, b1) = a, b
    if op == "+":
        result = (a0 + b0, a1 + b1)
    elif op == "-":
        result = (a0 - b1, a1 - b0)
    elif op == "*":
        products = [0.0 if x == 0 or y == 0 else x * y for x in (a0, a1) for y in (b0, b1)]
        result = (min(products), max(products))
    elif b0 <= 0 <= b1:
        return UNBOUNDED
    else:
        quotients = [x / y for x in (a0, a1) for y in (b0, b1)]
        result = (min(quotients), max(quotients))
    if math.isnan(result[0]) or math.isnan(result[1]):
        return UNBOUNDED
    return result
