"""The nodes of a screening plan, each with one meaning that every back end implements.

Values are three-valued: a condition is true, false or unknown (``None`` /
SQL NULL), and any other value may be unknown.  Every node has a ``kind``:

``bool``      a condition (Kleene logic)
``number``    a number, already in the unit the rule compares it in
``interval``  a partly known number ``[lo, hi]`` (a score, count or sum with
              unknown parts); an unknown bound means unbounded
``date``      a calendar date
``titer``     a titer's denominator
``code``      a code-list entry name
``text``      free text

Nodes are frozen and compare by value, so that equal sub-trees (a definition
used by two criteria) are recognised and computed once by the SQL back end.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterator
from fractions import Fraction
from typing import ClassVar, Literal, TypeAlias, get_args

import attrs

from protocol_dsl.model import preorder

Kind = Literal["bool", "number", "interval", "date", "titer", "code", "text"]
ConstValue: TypeAlias = bool | Fraction | int | _dt.date | str | None


@attrs.frozen
class Const:
    """A constant; ``value`` None is the unknown value of its kind."""

    kind: Kind
    value: ConstValue


#: How a partial date (one recorded to the month or year) is read: the day of its
#: period a rule names ("first", "middle", "last"), or "exact": the date when it is
#: complete, else unknown.  None for an item that is not a partial date.
Impute = Literal["first", "middle", "last", "exact"]


@attrs.frozen
class Item:
    """The value of a non-repeating form's item recorded at a visit."""

    table: str
    item: str
    visit: str
    kind: Kind
    impute: Impute | None = None


@attrs.frozen
class Field:
    """An item of the current record, inside a condition over a repeating form's records."""

    table: str
    item: str
    kind: Kind
    impute: Impute | None = None


@attrs.frozen
class VisitDate:
    """The subject's actual date of a visit (an anchor such as first dose)."""

    visit: str
    kind: ClassVar[Kind] = "date"


@attrs.frozen
class Attested:
    """The investigator's attestation of a criterion (consent, judgement)."""

    criterion: str
    kind: ClassVar[Kind] = "bool"


@attrs.frozen
class Not:
    arg: Node
    kind: ClassVar[Kind] = "bool"


@attrs.frozen
class Logic:
    """Kleene conjunction or disjunction of two or more conditions."""

    op: Literal["and", "or"]
    args: tuple[Node, ...]
    kind: ClassVar[Kind] = "bool"


CompareOp = Literal["<", "<=", ">", ">=", "=", "!="]


@attrs.frozen
class Compare:
    """``left op right``; with an interval on either side it holds if for all values,
    fails if for none, else is unknown."""

    op: CompareOp
    left: Node
    right: Node
    kind: ClassVar[Kind] = "bool"


@attrs.frozen
class InSet:
    """A code (or text) is one of the values."""

    arg: Node
    values: tuple[str, ...]
    kind: ClassVar[Kind] = "bool"


@attrs.frozen
class Contains:
    """A text holds another, ignoring case (both upper-cased): coded terms such as MedDRA's."""

    text: Node
    part: Node
    kind: ClassVar[Kind] = "bool"


@attrs.frozen
class Known:
    """``x is known`` / ``x is missing``: two-valued; an interval is known when lo = hi."""

    arg: Node
    missing: bool
    kind: ClassVar[Kind] = "bool"


@attrs.frozen
class Arith:
    """``left op right`` on numbers; on intervals for + and -, and * or / by a constant."""

    op: Literal["+", "-", "*", "/"]
    left: Node
    right: Node
    kind: Kind


@attrs.frozen
class Negate:
    arg: Node
    kind: Kind


@attrs.frozen
class Scale:
    """A value converted between units at run time: ``x * num / den + offset``.

    ``digits`` rounds the result to that many decimals, so that a value such as
    1.1 g/L read in mg/dL is 110 and not 110.00000000000001 (the exact,
    decimal arithmetic of unit conversion).
    """

    arg: Node
    num: int
    den: int
    offset: Fraction
    digits: int
    kind: Kind


@attrs.frozen
class Extremum:
    """``least(a, b)`` / ``greatest(a, b)``; unknown if either is unknown."""

    op: Literal["least", "greatest"]
    left: Node
    right: Node
    kind: Kind


@attrs.frozen
class Abs:
    arg: Node
    kind: Kind


MathOp = Literal["sqrt", "power", "exp", "ln", "round", "floor", "ceiling"]


@attrs.frozen
class Math:
    """A function of numbers (`values.math_function`): unknown if an argument is, and
    outside the function's domain (the root of a negative number, ...)."""

    op: MathOp
    args: tuple[Node, ...]
    kind: ClassVar[Kind] = "number"


@attrs.frozen
class Collapse:
    """An interval used as a plain number: its value when lo = hi, else unknown."""

    arg: Node
    kind: ClassVar[Kind] = "number"


@attrs.frozen
class ShiftDate:
    """``date`` moved by whole days, or by calendar months (clamped to the month's end).

    ``seconds`` is set when ``date`` is a date and time moved by a span of
    days, weeks, hours, minutes or seconds: it moves by exactly that span (a
    date alone moves by the span's whole days, toward zero).  ``datetime``
    says the moved value keeps its time of day.
    """

    date: Node
    days: int = 0
    months: int = 0
    seconds: Fraction | None = None
    datetime: bool = False
    kind: ClassVar[Kind] = "date"


@attrs.frozen
class DayOf:
    """The date of a date and time (a time window that involves a date compares days)."""

    arg: Node
    kind: ClassVar[Kind] = "date"


@attrs.frozen
class Elapsed:
    """Completed years / months, or days, from ``start`` to ``end`` (negative if before)."""

    unit: Literal["year", "month", "day"]
    start: Node
    end: Node
    kind: ClassVar[Kind] = "number"


@attrs.frozen
class Lookup:
    """The value of a lookup table for a key; unknown for an unknown or absent key."""

    key: Node
    entries: tuple[tuple[str, Const], ...]
    kind: Kind


@attrs.frozen
class If:
    """``if cond then a else b``; unknown when the condition is unknown."""

    cond: Node
    then: Node
    otherwise: Node
    kind: Kind


@attrs.frozen
class AnyRecord:
    """Kleene OR of ``condition`` over a repeating form's records (false when none)."""

    table: str
    condition: Node
    kind: ClassVar[Kind] = "bool"


@attrs.frozen
class AllRecords:
    """Kleene AND of ``condition`` over a repeating form's records (true when none)."""

    table: str
    condition: Node
    kind: ClassVar[Kind] = "bool"


@attrs.frozen
class Count:
    """Records where ``condition`` holds: [certainly, possibly]."""

    table: str
    condition: Node
    kind: ClassVar[Kind] = "interval"


@attrs.frozen
class Total:
    """Sum of ``value`` over records where ``condition`` holds, as [lo, hi].

    A record whose value is unknown counts as anything within ``low`` ..
    ``high`` (the value's possible range, infinite when it has none); a
    record whose condition is unknown adds between min(0, value) and
    max(0, value).
    """

    table: str
    value: Node
    condition: Node
    low: float = -math.inf
    high: float = math.inf
    kind: ClassVar[Kind] = "interval"


@attrs.frozen
class Extreme:
    """Smallest / largest ``value`` of the records where ``condition`` holds.

    Unknown when no record certainly counts.  A number is an interval: for
    the smallest, from the lowest value any record that might count can
    have, to the lowest a record that certainly counts can have (an unknown
    value can be anything within ``low`` .. ``high``); the largest likewise.
    Dates and titers are known only when no record is in doubt.
    """

    op: Literal["min", "max"]
    table: str
    value: Node
    condition: Node
    kind: Kind
    low: float = -math.inf
    high: float = math.inf


@attrs.frozen
class Average:
    """The mean or median of ``value`` over the records where ``condition`` holds.

    Known only when no record is in doubt (its condition unknown, or it counts
    and its value is unknown) and at least one record counts.
    """

    op: Literal["mean", "median"]
    table: str
    value: Node
    condition: Node
    kind: ClassVar[Kind] = "number"


@attrs.frozen
class Weighted:
    """A score descriptor: ``weight`` if its condition holds, as [lo, hi]."""

    weight: Fraction
    condition: Node
    kind: ClassVar[Kind] = "interval"


@attrs.frozen
class IntervalSum:
    """The sum of intervals, bound by bound (a score); ``name`` labels it in generated code."""

    parts: tuple[Node, ...]
    name: str = attrs.field(default="", eq=False)
    kind: ClassVar[Kind] = "interval"


@attrs.frozen
class Bounds:
    """A constant interval [lo, hi] (infinite bounds allowed): what a count or sum
    over a log that is not recorded can be."""

    lo: float
    hi: float
    kind: ClassVar[Kind] = "interval"


@attrs.frozen
class IntervalMax:
    """The largest of intervals, bound by bound (a score domain's highest weight)."""

    parts: tuple[Node, ...]
    kind: ClassVar[Kind] = "interval"


Node: TypeAlias = (
    Const
    | Item
    | Field
    | VisitDate
    | Attested
    | Not
    | Logic
    | Compare
    | InSet
    | Contains
    | Known
    | Arith
    | Negate
    | Scale
    | Extremum
    | Abs
    | Math
    | Collapse
    | ShiftDate
    | DayOf
    | Elapsed
    | Lookup
    | If
    | AnyRecord
    | AllRecords
    | Count
    | Total
    | Extreme
    | Average
    | Weighted
    | IntervalSum
    | IntervalMax
    | Bounds
)

#: Every node class, in the order of `Node`: the one list of node kinds.
NODE_TYPES: tuple[type, ...] = get_args(Node)

#: The node classes that make intervals: those always of kind ``interval`` and
#: those that carry an interval operand through (arithmetic, a branch, an extreme
#: with unknown records).  Lowering makes no interval of any other class.
INTERVAL_TYPES: tuple[type, ...] = (
    Arith,
    Negate,
    Scale,
    If,
    Extreme,
    Count,
    Total,
    Weighted,
    IntervalSum,
    IntervalMax,
    Bounds,
)

#: Nodes that range over a repeating form's records.
RECORD_NODES = (AnyRecord, AllRecords, Count, Total, Extreme, Average)

TRUE = Const("bool", True)
FALSE = Const("bool", False)


def children(node: Node) -> Iterator[Node]:
    """The direct sub-nodes of a node, in field order."""
    for field in attrs.fields(type(node)):
        value = getattr(node, field.name)
        if isinstance(value, tuple):
            for element in value:
                if isinstance(element, tuple):  # lookup entries: (key, Const)
                    continue
                if _is_node(element):
                    yield element
        elif _is_node(value):
            yield value


def walk(node: Node) -> Iterator[Node]:
    """Every node of a tree, parents before children."""
    return preorder(node, children)


def subject_level(node: Node) -> Iterator[Node]:
    """The nodes evaluated per subject: a record node's inner conditions are skipped."""
    yield node
    if isinstance(node, RECORD_NODES):
        return
    for child in children(node):
        yield from subject_level(child)


def record_level(node: Node) -> Iterator[Node]:
    """The nodes of a record node's conditions and values, without nested record nodes."""
    for child in children(node):
        yield from subject_level(child)


def _is_node(value: object) -> bool:
    return type(value) in _NODE_TYPES


_NODE_TYPES = frozenset(NODE_TYPES)
