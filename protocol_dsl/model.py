"""The protocol model: plain frozen attrs classes, one per language construct.

This module owns the shape of a parsed spec.  Every node carries the source
span it came from, and must be given it: `span` is a required keyword argument
of every node class, so a node built from another (a negated comparison, a
reference made up for a declaration) takes the span of the construct it came
from rather than silently losing its place.  Spans are excluded from equality
so that two specs that say the same thing compare equal whatever their layout
(the formatter and the semantic diff rely on this).  `Quantity` is a value
(like a `Decimal`), not a node: the node holding it carries the span.  Nothing
here knows about Lark.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Literal,
    TypeAlias,
    TypeVar,
    cast,
    dataclass_transform,
    get_args,
)

import attrs

# ---------------------------------------------------------------- node classes


class _Node:
    """Base of every model class: a readable repr without attrs' generated one.

    attrs generates `__repr__` by compiling code for each class, which doubles
    the import time of this module; `protocol check` starts on every save.
    """

    __slots__ = ()

    if TYPE_CHECKING:
        # What `attrs.frozen` adds to every subclass, declared so that checkers
        # accept a model class wherever attrs expects one (`attrs.fields`).
        __attrs_attrs__: ClassVar[tuple[attrs.Attribute[Any], ...]]

    def __repr__(self) -> str:
        fields = attrs.fields(type(self))
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields if f.repr)
        return f"{type(self).__name__}({shown})"


_C = TypeVar("_C", bound=type)


def _span_field(*, kw_only: Literal[True]) -> Span:
    """The `span` field of a node: required (keyword only), left out of equality and repr.

    Each field spells `kw_only=True`: type checkers read a field's options from the
    call (PEP 681), not from what this function does with them.
    """
    return attrs.field(eq=False, repr=False, order=False, kw_only=kw_only)


# `dataclass_transform` tells type checkers what `attrs.frozen` makes of the class
# (an `__init__` from the annotated fields, frozen attributes); without it they
# see a class with no fields.  Python 3.11's `dataclass_transform` accepts
# `frozen_default` through its keyword arguments and records it for checkers.
@dataclass_transform(frozen_default=True, field_specifiers=(attrs.field, _span_field))
def node(cls: _C) -> _C:
    """Declare a frozen model class (spans excluded from equality by their field).

    Not slotted: attrs builds a slotted class by creating it a second time, which
    more than doubles the import time of this module's seventy classes.
    """
    return attrs.frozen(repr=False, match_args=False, slots=False)(cls)


# ---------------------------------------------------------------- spans and marks


@node
class Span(_Node):
    """A region of a source file; lines and columns are 1-based, end exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int = 0
    end: int = 0

    @classmethod
    def unknown(cls, file: str = "<unknown>") -> Span:
        """The span of a node that has no source text (a built-in the compiler supplies).

        Never for a node built from a spec: that one takes the span of its source.
        """
        return cls(file, 1, 1, 1, 1, 0, 0)


MarkKind = Literal["provisional", "note", "question", "source", "rationale", "allow", "was"]


@node
class Mark(_Node):
    """Provenance and status: provisional values, notes, open questions, sources."""

    kind: MarkKind
    text: str = ""
    #: The diagnostic code an `allow` mark silences (its `text` is the reason).
    code: str = ""
    span: Span = _span_field(kw_only=True)


Marks: TypeAlias = tuple[Mark, ...]


def is_provisional(marks: Marks) -> bool:
    return any(m.kind == "provisional" for m in marks)


def marks_of(marks: Marks, kind: MarkKind) -> tuple[str, ...]:
    return tuple(m.text for m in marks if m.kind == kind)


@node
class Code(_Node):
    """A terminology code, e.g. [LOINC 4485-9]."""

    system: str
    value: str
    span: Span = _span_field(kw_only=True)


# ---------------------------------------------------------------- literal values


@node
class Quantity(_Node):
    """A number with a UCUM unit (or a plain-word time unit such as 'weeks')."""

    value: Decimal
    unit: str

    def __str__(self) -> str:
        return f"{format_decimal(self.value)} {self.unit}"


def format_decimal(value: Decimal) -> str:
    """Shortest faithful text of a decimal, never in exponent notation."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


ValueKind = Literal["string", "number", "quantity", "date", "name", "titer"]


@node
class Value(_Node):
    """A literal in a field, e.g. the right-hand side of `enrolment 108`.

    `text` is the source text, kept because some fields (phase "1b") read
    better as written than as a number with a unit.
    """

    kind: ValueKind
    # a number is a Decimal, or a Fraction when written as a ratio (`20/3`):
    # exact either way, never a float
    value: str | Decimal | Fraction | Quantity | _dt.date | int
    text: str
    span: Span = _span_field(kw_only=True)


@node
class Field(_Node):
    """A `key value, value [CODE] marks` line of a header-like block, with the
    `{ key value … }` details of a structured field (a site, a contact)."""

    key: str
    values: tuple[Value, ...]
    codes: tuple[Code, ...] = ()
    marks: Marks = ()
    details: tuple[Field, ...] = ()
    span: Span = _span_field(kw_only=True)

    def detail(self, key: str) -> Field | None:
        return next((d for d in self.details if d.key == key), None)

    @property
    def value(self) -> Value:
        return self.values[0]


# ---------------------------------------------------------------- expressions


@node
class NumberLit(_Node):
    value: Decimal
    span: Span = _span_field(kw_only=True)


@node
class QuantityLit(_Node):
    quantity: Quantity
    span: Span = _span_field(kw_only=True)


@node
class TextLit(_Node):
    value: str
    span: Span = _span_field(kw_only=True)


@node
class DateLit(_Node):
    value: _dt.date
    span: Span = _span_field(kw_only=True)


@node
class TiterLit(_Node):
    """An antibody titer 1:N, stored as its denominator N (titers are ordinal)."""

    denominator: int
    span: Span = _span_field(kw_only=True)


@node
class BoolLit(_Node):
    value: bool
    span: Span = _span_field(kw_only=True)


@node
class Ref(_Node):
    """A dotted name: an item, definition, score, anchor, code or namespace member."""

    parts: tuple[str, ...]
    span: Span = _span_field(kw_only=True)

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@node
class AtVisit(_Node):
    """`expr at VISIT`: the value recorded at a given visit."""

    expr: Expr
    visit: str
    span: Span = _span_field(kw_only=True)


@node
class AtPrevious(_Node):
    """`expr at previous visit`: the value at the scheduled visit before the one it is read at.

    Read at a visit (`by visit`, `at V`, a visit range), it is the value at the
    visit with the next lower planned day; at the first visit, or where no
    visit is given, it is unknown.
    """

    expr: Expr
    span: Span = _span_field(kw_only=True)


@node
class Negate(_Node):
    expr: Expr
    span: Span = _span_field(kw_only=True)


@node
class Not(_Node):
    expr: Expr
    span: Span = _span_field(kw_only=True)


ArithOp = Literal["+", "-", "*", "/"]


@node
class Arith(_Node):
    op: ArithOp
    left: Expr
    right: Expr
    span: Span = _span_field(kw_only=True)


LogicOp = Literal["and", "or", "implies"]


@node
class Logic(_Node):
    """`left op right`.

    `chained` marks the `and` of a comparison chain `a <= x < b`: two
    comparisons sharing their middle operand (`left.right is right.left`),
    written once.  It is how the rule was spelled, kept so that printing gives
    the chain back (and diagnostics on the middle operand point at one place).
    """

    op: LogicOp
    left: Expr
    right: Expr
    chained: bool = attrs.field(default=False, kw_only=True)
    span: Span = _span_field(kw_only=True)


CompareOp = Literal["<", "<=", ">", ">=", "=", "!="]


@node
class Compare(_Node):
    op: CompareOp
    left: Expr
    right: Expr
    span: Span = _span_field(kw_only=True)


@node
class Between(_Node):
    """`x between low and high`, inclusive at both ends."""

    expr: Expr
    low: Expr
    high: Expr
    span: Span = _span_field(kw_only=True)


@node
class MemberOf(_Node):
    """`x in {a, b}` (explicit values) or `x in codelist` (every value of a list)."""

    expr: Expr
    values: tuple[str, ...] = ()
    codelist: Ref | None = None
    span: Span = _span_field(kw_only=True)


@node
class Contains(_Node):
    """`text contains "part"`: the text holds the part, ignoring case (coded terms: MedDRA)."""

    text: Expr
    part: Expr
    span: Span = _span_field(kw_only=True)


@node
class IsKnown(_Node):
    """`x is known` / `x is missing`: the only two-valued test of missing data."""

    expr: Expr
    missing: bool = False
    span: Span = _span_field(kw_only=True)


Direction = Literal["before", "after"]


@node
class Within(_Node):
    """`date within D before|after anchor`: inclusive window between anchor∓D and anchor."""

    expr: Expr
    duration: Expr
    direction: Direction
    anchor: Expr
    span: Span = _span_field(kw_only=True)


@node
class AtLeast(_Node):
    """`date at least D before anchor` means date <= anchor - D (inclusive)."""

    expr: Expr
    duration: Expr
    direction: Direction
    anchor: Expr
    span: Span = _span_field(kw_only=True)


QuantifierKind = Literal["any", "none", "all"]


@node
class Quantifier(_Node):
    """`any|none|all FORM where FILTER [satisfy COND]` over a repeating form's records."""

    kind: QuantifierKind
    form: str
    where: Expr | None = None
    satisfy: Expr | None = None
    span: Span = _span_field(kw_only=True)


VisitQuantifierKind = Literal["any", "all"]


@node
class VisitQuantifier(_Node):
    """`any visit from V1 to V2 where C` / `all visits after V satisfy C`.

    C read at each scheduled visit of the range (its items without `at` are
    read at that visit): met at any of them, or at all of them.  The range is
    from `start` to `end` inclusive, or, without `end`, every visit after
    `start`, in the order of their planned days (`spec.visits_in_range`).
    """

    kind: VisitQuantifierKind
    start: str
    end: str | None
    cond: Expr
    span: Span = _span_field(kw_only=True)


AggregateKind = Literal["count", "sum", "min", "max", "mean", "median"]


@node
class Aggregate(_Node):
    """`count(FORM where …)`, `sum(FORM.item where …)`, `min(…)`, `max(…)`, `mean(…)`,
    `median(…)`."""

    kind: AggregateKind
    target: Ref
    where: Expr | None = None
    span: Span = _span_field(kw_only=True)


@node
class Call(_Node):
    """A call of a built-in function, or the application of a parameterised definition."""

    function: str
    args: tuple[Expr, ...]
    span: Span = _span_field(kw_only=True)


@node
class Conditional(_Node):
    condition: Expr
    then: Expr
    otherwise: Expr
    span: Span = _span_field(kw_only=True)


Expr: TypeAlias = (
    NumberLit
    | QuantityLit
    | TextLit
    | DateLit
    | TiterLit
    | BoolLit
    | Ref
    | AtVisit
    | AtPrevious
    | Negate
    | Not
    | Arith
    | Logic
    | Compare
    | Between
    | MemberOf
    | Contains
    | IsKnown
    | Within
    | AtLeast
    | Quantifier
    | VisitQuantifier
    | Aggregate
    | Call
    | Conditional
)

#: Every expression class, in the order of `Expr`: the one list of node kinds
#: (the visitor's methods, the model walkers and the checks all derive from it).
EXPR_TYPES: tuple[type, ...] = get_args(Expr)
_EXPR_TYPES = EXPR_TYPES  # the parser's name for it


def literal_ratio(expr: Expr) -> Fraction | None:
    """The exact value of a ratio of two numbers written in a rule (`20/3`), if `expr` is one."""
    if (
        isinstance(expr, Arith)
        and expr.op == "/"
        and isinstance(expr.left, NumberLit)
        and isinstance(expr.right, NumberLit)
        and expr.right.value != 0
    ):
        return Fraction(expr.left.value) / Fraction(expr.right.value)
    return None


def children(expr: Expr) -> Iterator[Expr]:
    """The direct sub-expressions of an expression, in source order."""
    names = _FIELD_NAMES.get(type(expr))
    if names is None:  # once per class: attrs.fields is a lookup with checks
        names = _FIELD_NAMES[type(expr)] = tuple(
            f.name for f in attrs.fields(type(expr)) if f.name != "span"
        )
    for name in names:
        value = getattr(expr, name)
        if isinstance(value, tuple):
            for element in value:
                if _is_expr(element):
                    yield element
        elif _is_expr(value):
            yield value


#: The field names of each expression class but its span, in declaration order.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def node_fields(cls: type) -> tuple[str, ...] | None:
    """The field names of a model class (spans and marks too), in declaration order;
    None for a type that is not an attrs class (a text, a number, a tuple).

    The walks over whole declarations (`nodes_under`, the field details) ask this of
    every value they meet: once per type, instead of `attrs.has` and `attrs.fields`
    on each value.
    """
    try:
        return _NODE_FIELDS[cls]
    except KeyError:
        names = tuple(f.name for f in attrs.fields(cls)) if attrs.has(cls) else None
        _NODE_FIELDS[cls] = names
        return names


_NODE_FIELDS: dict[type, tuple[str, ...] | None] = {}


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of an expression tree, parents before children."""
    return preorder(expr, children)


_T = TypeVar("_T")


def preorder(root: _T, children: Callable[[_T], Iterable[_T]]) -> Iterator[_T]:
    """Every node of a tree, parents before children; a stack, not recursion, so that a
    deep tree (a long chain of `and`) cannot exhaust Python's recursion limit."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(list(children(node))))


def _is_expr(value: object) -> bool:
    return isinstance(value, EXPR_TYPES)


def nodes_under(root: object) -> Iterator[attrs.AttrsInstance]:
    """Every model node under `root` (itself included), depth first: the one walk over
    declarations that the checks and the back ends share.

    A declaration's `marks` are not walked into: a mark is read from the declaration it
    sits on (an `allow` silences findings inside that declaration, not inside a mark).
    The marks of a dose-finding's levels (`levels_marks`) are yielded as nodes.  A node's
    own `span` is not walked into.
    """
    stack = [root]
    while stack:
        current = stack.pop()
        if isinstance(current, tuple | list):
            stack.extend(reversed(current))
            continue
        names = node_fields(type(current))
        if names is None:
            continue
        yield cast(attrs.AttrsInstance, current)
        for name in names:
            if name in _NOT_UNDER:
                continue
            value = getattr(current, name)
            if isinstance(value, tuple | list) or node_fields(type(value)) is not None:
                stack.append(value)


#: The fields `nodes_under` does not walk into (see there).
_NOT_UNDER = frozenset({"span", "marks"})


def marked_nodes(declaration: object) -> list[attrs.AttrsInstance]:
    """The nodes under a declaration (itself included) that carry marks, in the order of
    `nodes_under`: what the walks for `allow` and `was` marks read.  A module's nodes are
    the module and those of each declaration in turn, so the marked nodes of a module are
    those of its declarations, one after the other."""
    return [node for node in nodes_under(declaration) if getattr(node, "marks", None)]


#: The marked nodes of a declaration (`marked_nodes`, or a memory of them).
MarkedNodes = Callable[[object], Iterable[attrs.AttrsInstance]]


# ---------------------------------------------------------------- declarations


@node
class Trial(_Node):
    name: str
    fields: tuple[Field, ...]
    span: Span = _span_field(kw_only=True)

    def field(self, key: str) -> Field | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None

    def all(self, key: str) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.key == key)


@node
class Use(_Node):
    path: str
    alias: str
    span: Span = _span_field(kw_only=True)


@node
class CodeListEntry(_Node):
    name: str
    label: str | None = None
    codes: tuple[Code, ...] = ()
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class CodeList(_Node):
    name: str
    label: str | None
    entries: tuple[CodeListEntry, ...]
    codes: tuple[Code, ...] = ()
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)

    def entry(self, name: str) -> CodeListEntry | None:
        for e in self.entries:
            if e.name == name:
                return e
        return None


@node
class TableRow(_Node):
    key: str
    value: Value
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class Table(_Node):
    """A lookup table (e.g. glucocorticoid → prednisone factor) with its source."""

    name: str
    label: str | None
    rows: tuple[TableRow, ...]
    version: str | None = None
    keys: Ref | None = None
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


ItemKind = Literal[
    "number", "integer", "quantity", "date", "datetime", "yes_no", "choice", "titer", "text"
]


@node
class ItemType(_Node):
    kind: ItemKind
    unit: str | None = None
    codelist: Ref | None = None
    span: Span = _span_field(kw_only=True)


@node
class Range(_Node):
    """An allowed range, inclusive; bounds are numbers in the item's unit or quantities."""

    low: Decimal | Quantity
    high: Decimal | Quantity
    span: Span = _span_field(kw_only=True)


@node
class Item(_Node):
    name: str
    type: ItemType
    label: str | None = None
    range: Range | None = None
    required: bool = False
    when: Expr | None = None
    visits: tuple[str, ...] | None = None
    for_reporting: bool = False
    group: str | None = None
    codes: tuple[Code, ...] = ()
    marks: Marks = ()
    #: a date that may be recorded to the month or the year ("2019-06", "2019")
    partial: bool = False
    #: the day a partial date stands for: "first", "middle" or "last" of its period;
    #: None: the whole period (a comparison is decided when every day of it agrees)
    impute: str | None = None
    span: Span = _span_field(kw_only=True)


#: The imputation rules of a partial date: the day of its month or year it stands for.
IMPUTE_RULES = ("first", "middle", "last")


@node
class ItemGroup(_Node):
    name: str
    label: str | None
    span: Span = _span_field(kw_only=True)


@node
class Derive(_Node):
    """A record-level derived value of a form (e.g. prednisone-equivalent dose)."""

    name: str
    label: str | None
    expr: Expr
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class Form(_Node):
    name: str
    label: str | None
    items: tuple[Item, ...]
    repeating: bool = False
    visits: tuple[str, ...] = ()
    groups: tuple[ItemGroup, ...] = ()
    derives: tuple[Derive, ...] = ()
    codes: tuple[Code, ...] = ()
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)
    #: a repeating form's "any records?" question: a yes/no item of a non-repeating
    #: form whose answer "no" records that the subject has none (CDASH's MHYN, CMYN)
    none_recorded_by: Ref | None = None

    def item(self, name: str) -> Item | None:
        for i in self.items:
            if i.name == name:
                return i
        return None

    def derive(self, name: str) -> Derive | None:
        for d in self.derives:
            if d.name == name:
                return d
        return None


@node
class Collect(_Node):
    """`collect lib.form at V1, V2`: schedule a library form in this trial."""

    form: Ref
    visits: tuple[str, ...]
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class Define(_Node):
    """`define NAME "label" = expr`; with `params`, a rule written once and applied
    by name to each organ domain or visit (`define improved(visit) = …`)."""

    name: str
    label: str | None
    expr: Expr
    marks: Marks = ()
    params: tuple[str, ...] = ()
    span: Span = _span_field(kw_only=True)


@node
class Conversion(_Node):
    """A change of scale for the analytes `codes` name: a value in `source` is
    `expr` (of the name ``value``) in `target`."""

    name: str
    label: str | None
    source: str
    target: str
    expr: Expr
    codes: tuple[Code, ...] = ()
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class ScoreItem(_Node):
    """A weighted descriptor; without an expression it reads the score form's item."""

    name: str
    weight: Decimal
    label: str | None = None
    expr: Expr | None = None
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class ScoreDomain(_Node):
    name: str
    label: str | None
    tags: tuple[str, ...]
    items: tuple[ScoreItem, ...]
    span: Span = _span_field(kw_only=True)


@node
class Score(_Node):
    name: str
    label: str | None
    domains: tuple[ScoreDomain, ...]
    form: Ref | None = None
    lookback: Quantity | None = None
    range: tuple[Decimal, Decimal] | None = None
    rule: str = "sum_all"
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)

    def items(self) -> Iterator[tuple[ScoreDomain, ScoreItem]]:
        for domain in self.domains:
            for item in domain.items:
                yield domain, item


@node
class ScoreVariant(_Node):
    """`score B = A without x, y`: a score minus some of its descriptors."""

    name: str
    label: str | None
    base: Ref
    without: tuple[str, ...]
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


CriterionKind = Literal["inclusion", "exclusion"]


@node
class Criterion(_Node):
    kind: CriterionKind
    id: str
    text: str
    rule: Expr | None = None
    attested: bool = False
    attestation: str | None = None
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class Anchor(_Node):
    """A named event that time windows are anchored on (screening, first dose)."""

    name: str
    label: str | None
    visit: str | None = None
    expr: Expr | None = None
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class Epoch(_Node):
    name: str
    label: str | None
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class Visit(_Node):
    """A planned visit; days count from day 1 (there is no day 0)."""

    name: str
    label: str | None
    day: int | None = None
    day_end: int | None = None
    window_before: int = 0
    window_after: int = 0
    epoch: str | None = None
    number: Decimal | None = None
    unscheduled: bool = False
    early_termination: bool = False
    condition: str | None = None
    start_rule: str | None = None
    end_rule: str | None = None
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)
    #: event-relative timing as written: `visit SFU 30 days after last_dose`
    after: Position | None = None
    # What the expansion of cycles and repeats (`protocol_dsl.timeline`) records on the
    # visits it yields; a declared visit has none of these.
    #: the cycle or repeat that yields the visit
    series: str | None = None
    #: the cycle's template visit the visit is an instance of
    template: str | None = None
    #: the cycle number (1-based) of a cycle visit
    cycle: int | None = None
    #: the occurrence number (1-based) of a repeat's visit
    occurrence: int | None = None
    #: planned on the calendar from a fixed day (a repeat anchored on a day, a week or
    #: a fixed-day anchor), not shifted when a cycle is delayed; cycle visits are not
    calendar: bool = False
    #: timing relative to an event with no planned day (`after end_of_treatment`)
    relative_to: Position | None = None
    timepoints: tuple[TimePoint, ...] = ()
    #: written `week N` (kept as its study day 7N + 1 in `day`), printed back as written
    as_week: bool = False

    @property
    def week(self) -> int | None:
        """The week number of a visit written `week N`."""
        return _week_of(self.day) if self.as_week and self.day is not None else None

    @property
    def earliest(self) -> int | None:
        return None if self.day is None else self.day - self.window_before

    @property
    def latest(self) -> int | None:
        if self.day is None:
            return None
        return (self.day_end if self.day_end is not None else self.day) + self.window_after


# ---------------------------------------------------------------- time structure


@node
class Position(_Node):
    """A place on the time line: `day 5`, `week 12`, `first_dose`, `30 days after last_dose`.

    `week N` is kept as its study day (7N + 1: week 0 is day 1) with `as_week`
    set, so that it prints back as written.  An anchor position has `anchor`
    and, with an offset, `offset` and `direction`.
    """

    day: int | None = None
    anchor: str | None = None
    offset: Quantity | None = None
    direction: Direction | None = None
    as_week: bool = False
    span: Span = _span_field(kw_only=True)

    @property
    def week(self) -> int | None:
        """The week number of a `week N` position."""
        if self.day is None or not self.as_week:
            return None
        return _week_of(self.day)


def _week_of(day: int) -> int:
    """The week of a study day that starts a week: day 1 is week 0, day -7 is week -1."""
    return (day - 1) // 7 if day > 0 else day // 7


@node
class TimePoint(_Node):
    """A time point within a visit day: `timepoint eoi "End of infusion" 1 h after dose`."""

    name: str
    label: str | None
    offset: Quantity | None = None
    direction: Direction | None = None
    #: "dose" (the start of administration) or another time point of the visit
    reference: str | None = None
    #: the symmetric window (±) around the time point
    window: Quantity | None = None
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class CycleVisit(_Node):
    """A template visit of a cycle: its day within the cycle and the cycles that have it."""

    name: str
    label: str | None
    day: int | None = None
    day_end: int | None = None
    window_before: int = 0
    window_after: int = 0
    epoch: str | None = None
    condition: str | None = None
    cycles_from: int | None = None
    #: the last cycle that has the visit; None with `cycles_from` is open-ended (`2 ..`)
    cycles_to: int | None = None
    timepoints: tuple[TimePoint, ...] = ()
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)
    #: `cycles A` (one cycle) rather than `cycles A .. A`, for printing back as written
    single_cycle: bool = False


@node
class Cycle(_Node):
    """A treatment cycle: its length, how many, and its visits (templates)."""

    name: str
    label: str | None
    length: Quantity
    epoch: str | None = None
    count: int | None = None
    up_to: int | None = None
    until: str | None = None
    names: str | None = None
    start: Position | None = None
    visits: tuple[CycleVisit, ...] = ()
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)

    @property
    def planned_cycles(self) -> int | None:
        """The number of cycles planned: exactly `count`, else the maximum `up_to`."""
        return self.count if self.count is not None else self.up_to


@node
class Repeat(_Node):
    """A visit repeated at an interval: `repeat TA every 6 weeks after first_dose …`."""

    name: str
    label: str | None
    every: Quantity
    start: Position
    #: `from X` (first occurrence at X) rather than `after X` (one interval after X)
    start_inclusive: bool = False
    end: Position | None = None
    until: str | None = None
    at_most: int | None = None
    window_before: int = 0
    window_after: int = 0
    epoch: str | None = None
    condition: str | None = None
    names: str | None = None
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class Activity(_Node):
    name: str
    label: str | None
    visits: tuple[str, ...]
    condition: str | None = None
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class Element(_Node):
    """A trial element (SDTM TE): a planned period of treatment or observation."""

    name: str
    label: str | None
    start: str | None = None
    end: str | None = None
    duration: Quantity | None = None
    dose: Quantity | None = None
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)
    #: the dosing regimen given during the element (`regimen NAME`)
    regimen: str | None = attrs.field(default=None, kw_only=True)
    #: where `lasts D` is written: the line to edit when the durations disagree
    duration_span: Span | None = attrs.field(
        default=None, eq=False, repr=False, order=False, kw_only=True
    )


@node
class ArmStep(_Node):
    element: str
    epoch: str
    branch: str | None = None
    transition: str | None = None
    span: Span = _span_field(kw_only=True)


@node
class Arm(_Node):
    name: str
    label: str | None
    type: str | None = None
    receives: tuple[str, ...] = ()
    description: str | None = None
    steps: tuple[ArmStep, ...] = ()
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)
    #: the dosing regimens of the interventions the arm receives (`regimen NAME, …`)
    regimens: tuple[str, ...] = attrs.field(default=(), kw_only=True)


@node
class Intervention(_Node):
    name: str
    label: str | None
    fields: tuple[Field, ...]
    span: Span = _span_field(kw_only=True)

    def field(self, key: str) -> Field | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None


@node
class DoseLevel(_Node):
    name: str
    dose: Quantity
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class EscalationDesign(_Node):
    """An escalation design (3+3, BOIN, mTPI-2, CRM) with its parameters as fields."""

    kind: str
    parameters: tuple[Field, ...]
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)

    def parameter(self, key: str) -> Field | None:
        for f in self.parameters:
            if f.key == key:
                return f
        return None


@node
class DltWindow(_Node):
    """The DLT observation window and what it is anchored on.

    `dlt_window 28 days from first_dose` has a duration and an anchor;
    `dlt_window cycle 1` has neither written: it is the whole of that cycle of
    the dose finding's regimen (its length and start come from the regimen).
    """

    duration: Quantity | None
    anchor: str
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)
    #: `dlt_window cycle N`: the window is the N-th cycle of the regimen
    cycle: int | None = attrs.field(default=None, kw_only=True)


@node
class DltDefinition(_Node):
    text: str
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class StepDose(_Node):
    """One step of a step-up schedule: study day and amount (absolute or % of target)."""

    day: int
    amount: Quantity
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class StepUp(_Node):
    levels: tuple[str, ...]
    steps: tuple[StepDose, ...]
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class Scenario(_Node):
    """A dose-toxicity scenario for simulation: one true DLT rate per dose level."""

    name: str
    label: str | None
    rates: tuple[Decimal, ...]
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class DoseFinding(_Node):
    intervention: str
    levels: tuple[DoseLevel, ...] = ()
    levels_marks: Marks = ()
    design: EscalationDesign | None = None
    dlt_window: DltWindow | None = None
    dlt_definition: DltDefinition | None = None
    step_ups: tuple[StepUp, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    fields: tuple[Field, ...] = ()
    span: Span = _span_field(kw_only=True)
    #: `regimen NAME`: every dose level is that regimen at the level's dose
    regimen: str | None = attrs.field(default=None, kw_only=True)

    def field(self, key: str) -> Field | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None

    def level(self, name: str) -> DoseLevel | None:
        for level in self.levels:
            if level.name == name:
                return level
        return None


DayUnit = Literal["day", "week"]


@node
class StudyTime(_Node):
    """A study day written as `day N` or `week N` (week N is study day 7N + 1: week 0 is day 1)."""

    unit: DayUnit
    number: int
    span: Span = _span_field(kw_only=True)

    @property
    def day(self) -> int:
        return self.number if self.unit == "day" else 7 * self.number + 1


@node
class DosingDays(_Node):
    """`on days 1, 15, 29 then every 4 weeks to week 48`, or `on days 1, 8 of each CYCLE`.

    The listed days are study days (written as days, or as weeks: week N is day
    7N + 1), or, with `of each CYCLE`, days of every cycle of that cycle (day 1
    is the cycle's first day).  `then every` repeats the dose after the last
    listed day at that interval, up to the `to` day (inclusive) or the regimen's
    `at_most` number of administrations.
    """

    unit: DayUnit
    numbers: tuple[int, ...]
    every: Quantity | None = None
    until: StudyTime | None = None
    cycle: str | None = None
    span: Span = _span_field(kw_only=True)

    @property
    def days(self) -> tuple[int, ...]:
        """The listed days as days (study days, or cycle days with `of each`)."""
        if self.unit == "day":
            return self.numbers
        return tuple(7 * n + 1 for n in self.numbers)


@node
class DoseReduction(_Node):
    """One dose-modification level: `minus1 7.5 mg/kg "First reduction"`."""

    name: str
    dose: Quantity
    label: str | None = None
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class Regimen(_Node):
    """How an intervention is given: dose, days, frequency, route, infusion, modifications.

    The simple settings are `key value` fields (`frequency Q4W`, `route
    intravenous`, `infusion 1 h`, `hold "…"`, `resume "…"`, `dose_weight
    baseline`); their keys and values are listed in `fields.REGIMEN_FIELDS`.
    """

    name: str
    label: str | None
    intervention: str
    dose: Quantity | None = None
    #: the recorded item a per-weight (mg/kg) or per-BSA (mg/m2) dose is converted through
    per: Ref | None = None
    days: DosingDays | None = None
    at_most: int | None = None
    reductions: tuple[DoseReduction, ...] = ()
    fields: tuple[Field, ...] = ()
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)

    def field(self, key: str) -> Field | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None


ObjectiveLevel = Literal["primary", "secondary", "exploratory"]


#: What an endpoint computes (docs/endpoints.md), which decides its analysis table:
#: ``responder`` and ``value`` one value per subject (BDS), ``flag`` a subject-level
#: flag (ADSL), ``record_flag`` a flag on every record of a log (e.g. ADAE),
#: ``time_to_event`` the time to a first event with its censoring (ADTTE).
#: ``count`` the number of a log's records (BDS, in ``adrate.csv``), ``rate`` that number
#: per unit of time at risk, with the time at risk (the same table).
EndpointKind = Literal[
    "responder", "value", "flag", "record_flag", "time_to_event", "count", "rate"
]


@node
class TimeToEvent(_Node):
    """`time_to_event from ORIGIN event first LOG.DATE [where COND] censored_at CENSOR`.

    The event is the log's first record (by its date item) that meets the
    condition; a subject with no such record is censored at CENSOR.
    """

    origin: Expr
    log: str
    date: str
    where: Expr | None
    censor: Expr
    span: Span = _span_field(kw_only=True)


@node
class EventCount(_Node):
    """`count of LOG [where COND]`, or `rate of LOG.DATE [where COND] per UNIT from START
    to END [else END2]`.

    A count is the number of the log's records that meet the condition.  A rate
    counts those dated within the time at risk (START to END, both days included)
    and divides by its length in `per` (a duration: `1 year`, `100 years`).
    `fallback` ends the time at risk when END is unknown; without it the rate is
    unknown then.
    """

    log: str
    date: str | None = None
    where: Expr | None = None
    per: Quantity | None = None
    start: Expr | None = None
    end: Expr | None = None
    fallback: Expr | None = None
    span: Span = _span_field(kw_only=True)


@node
class Endpoint(_Node):
    name: str
    text: str
    timeframe: str | None = None
    until: Quantity | None = None
    until_anchor: str | None = None
    rule: Expr | None = None
    marks: Marks = ()
    kind: EndpointKind | None = None
    per: str | None = None  # the log a `flag per LOG` is computed on, record by record
    event: TimeToEvent | EventCount | None = None
    #: `by visit V1, V2`: the rule computed at each visit (the visit its items are read at)
    visits: tuple[str, ...] = ()
    span: Span = _span_field(kw_only=True)


#: ICH E9(R1)'s five strategies for an intercurrent event, as the language spells them.
IntercurrentStrategy = Literal[
    "treatment_policy", "composite", "hypothetical", "while_on_treatment", "principal_stratum"
]
INTERCURRENT_STRATEGIES: tuple[str, ...] = get_args(IntercurrentStrategy)


@node
class IntercurrentEvent(_Node):
    """An intercurrent event and the strategy that handles it.

    `strategy` is the word as written (a check refuses one that is not among
    `INTERCURRENT_STRATEGIES`); `detail` says how the strategy applies (for a
    composite strategy, what the event counts as).
    """

    text: str
    strategy: str
    detail: str | None = None
    marks: Marks = ()
    #: `when RULE`: which subjects had the event; under the composite strategy
    #: `protocol endpoints` counts them as non-responders
    occurs: Expr | None = None
    span: Span = _span_field(kw_only=True)


@node
class Estimand(_Node):
    """An estimand with ICH E9(R1)'s five attributes.

    `treatment` are the arms of interest and `comparator` the arms they are
    compared with (`treatment A versus B`); `population` names an analysis
    set, `variable` an endpoint.  `no_intercurrent` records that the writer
    stated explicitly that no intercurrent event was identified, which is
    not the same as having said nothing.
    """

    name: str
    label: str | None
    treatment: tuple[Ref, ...] = ()
    comparator: tuple[Ref, ...] = ()
    population: Ref | None = None
    variable: Ref | None = None
    intercurrent: tuple[IntercurrentEvent, ...] = ()
    no_intercurrent: bool = False
    summary: str | None = None
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class Objective(_Node):
    name: str
    level: ObjectiveLevel
    text: str
    endpoints: tuple[Endpoint, ...]
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)
    estimands: tuple[Estimand, ...] = attrs.field(default=(), kw_only=True)


PopulationKind = Literal["population", "subgroup"]


@node
class Population(_Node):
    """A named analysis set (`population`) or subgroup, defined by a rule over subject data."""

    kind: PopulationKind
    name: str
    label: str | None
    rule: Expr
    codes: tuple[Code, ...] = ()
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class SampleSize(_Node):
    """The assumptions of a sample-size calculation: its method and parameters as fields."""

    method: str
    label: str | None
    parameters: tuple[Field, ...]
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)

    def parameter(self, key: str) -> Field | None:
        for f in self.parameters:
            if f.key == key:
                return f
        return None


@node
class Statistics(_Node):
    """The statistical considerations: sample-size assumptions and a summary of the analysis."""

    sample_sizes: tuple[SampleSize, ...] = ()
    analyses: tuple[str, ...] = ()
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class Narrative(_Node):
    """The prose of an ICH M11 section, in Markdown: `narrative background \"\"\"…\"\"\"`.

    `name` is the section's key (`narratives.NARRATIVE_SECTIONS`); `text` is
    the text as written, with the indentation common to its lines and the
    blank lines around it taken away (`syntax.builder.text_block`).
    """

    name: str
    text: str
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class ClassificationOverride(_Node):
    """`override [eu|fda] substantial|not_substantial "reason"`: a reviewer's verdict.

    The words are kept as written (`checks/amendments.py` says which are valid):
    `regulation` is `eu`, `fda` or None for both, `verdict` `substantial` or
    `not_substantial`.
    """

    regulation: str | None
    verdict: str
    reason: str
    span: Span = _span_field(kw_only=True)


@node
class AmendmentChange(_Node):
    target: str | None
    text: str
    marks: Marks = ()
    #: the reviewer's verdicts replacing the computed classification of the changes named
    overrides: tuple[ClassificationOverride, ...] = ()
    span: Span = _span_field(kw_only=True)


@node
class Amendment(_Node):
    number: Decimal
    date: _dt.date | None = None
    summary: str | None = None
    reasons: tuple[str, ...] = ()
    changes: tuple[AmendmentChange, ...] = ()
    span: Span = _span_field(kw_only=True)


@node
class MapRule(_Node):
    """`form.item from DOMAIN.VARIABLE [where VAR = "x"] [date D.V] [visit D.V] [unit D.V]`."""

    target: Ref
    source: Ref
    where: tuple[str, str] | None = None
    date: Ref | None = None
    visit: Ref | None = None
    unit: Ref | None = None
    marks: Marks = ()
    #: a partial date (`2014-07`, `2014`) taken as the first or last day of its month or
    #: year (docs/mapping.md); without it a partial date is an invalid value
    impute: Literal["first", "last"] | None = None
    span: Span = _span_field(kw_only=True)


@node
class MapComplete(_Node):
    """`complete FORM for DOMAIN`: the source holds every record of a log for the
    subjects of a dataset, so a subject of it without rows has none."""

    form: Ref
    domain: str
    span: Span = _span_field(kw_only=True)


@node
class Mapping(_Node):
    """How a source data standard (e.g. SDTM) maps onto the spec's items."""

    name: str
    label: str | None
    rules: tuple[MapRule, ...]
    span: Span = _span_field(kw_only=True)
    complete: tuple[MapComplete, ...] = ()


# ---------------------------------------------------------------- randomisation and blinding


@node
class RatioEntry(_Node):
    """One arm of the allocation ratio and its weight (`placebo 1`)."""

    arm: str
    weight: Decimal
    span: Span = _span_field(kw_only=True)


AllocationMethodKind = Literal["simple", "permuted_blocks", "minimisation"]


@node
class AllocationMethod(_Node):
    """How subjects are allocated: simple, permuted blocks, or Pocock-Simon minimisation.

    `block_sizes` belong to permuted blocks; `factors`, `probability` and `measure`
    (range or variance) to minimisation.
    """

    kind: AllocationMethodKind
    block_sizes: tuple[Decimal, ...] = ()
    factors: tuple[str, ...] = ()
    probability: Decimal | None = None
    measure: str | None = None
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class Stratum(_Node):
    """One level of a stratification factor, with the rule that puts a subject in it."""

    name: str
    label: str | None
    rule: Expr
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class StratificationFactor(_Node):
    name: str
    label: str | None
    strata: tuple[Stratum, ...]
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)

    def stratum(self, name: str) -> Stratum | None:
        for stratum in self.strata:
            if stratum.name == name:
                return stratum
        return None


@node
class Randomisation(_Node):
    """`randomisation { ratio …  method …  stratify_by … }`: how subjects are allocated."""

    ratio: tuple[RatioEntry, ...] = ()
    ratio_marks: Marks = ()
    method: AllocationMethod | None = None
    factors: tuple[StratificationFactor, ...] = ()
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)

    def factor(self, name: str) -> StratificationFactor | None:
        for factor in self.factors:
            if factor.name == name:
                return factor
        return None


@node
class MaskedRoles(_Node):
    """`blinded participant, investigator`: roles kept unaware of the allocation."""

    roles: tuple[str, ...]
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class Unblinding(_Node):
    """A condition under which the allocation of a subject may be revealed."""

    text: str
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)


@node
class Masking(_Node):
    """`masking { blinded …  unblinding "…" }`: who is blinded, and when that ends."""

    blinded: tuple[MaskedRoles, ...] = ()
    unblinding: tuple[Unblinding, ...] = ()
    marks: Marks = ()
    span: Span = _span_field(kw_only=True)

    @property
    def roles(self) -> tuple[str, ...]:
        """Every role blinded, in the order written, each once."""
        return tuple(dict.fromkeys(role for line in self.blinded for role in line.roles))


Declaration: TypeAlias = (
    Trial
    | Use
    | CodeList
    | Table
    | Form
    | Collect
    | Define
    | Conversion
    | Score
    | ScoreVariant
    | Criterion
    | Anchor
    | Epoch
    | Visit
    | Cycle
    | Repeat
    | Activity
    | Element
    | Arm
    | Intervention
    | DoseFinding
    | Regimen
    | Objective
    | Amendment
    | Mapping
    | Randomisation
    | Masking
    | Population
    | Statistics
    | Narrative
)


@node
class Module(_Node):
    """One parsed .trial file: its declarations in source order."""

    path: str
    declarations: tuple[Declaration, ...]
    span: Span = _span_field(kw_only=True)

    def of_type(self, cls: type) -> tuple:
        return tuple(d for d in self.declarations if isinstance(d, cls))
