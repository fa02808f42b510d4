"""Types of expressions: what kind of value every expression of a spec denotes.

This module owns the type rules of the language.  The type checks, the unit
checks, the interpreter, the SQL back end and the solver all ask it the same
question, "what is this expression?", through one call::

    infer(expr, scope, spec) -> Type

or, to share work across many expressions, a `Typer` (it caches the types of
definitions and derived values).  A `Typer` built with ``report=True`` also
collects the problems it meets as diagnostics (E02xx types, E03xx units).

The types
---------
`Boolean`   a condition: met / not met / unknown (yes_no items, comparisons,
            `and`/`or`/`not`, quantifiers, `is known`, `yes`, `no`).
`Number`    a plain number; ``integer`` when it is always whole (integer items,
            `count`, `years_between`); ``interval`` when it is a sum that can be
            partly unknown (scores, `count`, `sum`, `min`, `max`), see DOMAIN
            "intervals for sums".
`Quantity`  a number with a UCUM unit (``unit`` is parseable by
            `units.parse_unit`; plain time words are stored as UCUM codes, so
            "12 weeks" is ``Quantity("wk")``).  A **duration** is a quantity
            whose unit measures time (`Quantity.is_duration`); the difference of
            two dates is a duration in days.
`Date`      a calendar date (``datetime`` for datetime items); anchors are dates.
`Titer`     an antibody titer 1:N, ordered by its denominator.
`Choice`    a value of a code list (a choice item); ``codelist`` is the list.
`CodeValue` a code-list value written in a rule (``positive``): it takes the
            type of the choice it is compared with.
`Text`      free text (text items, "quoted" literals).
`Unknown`   no type can be given, because of an error reported elsewhere
            (an undefined name): it is accepted everywhere, so that one
            mistake gives one diagnostic.

Decided rules
-------------
* Quantities compare, add and subtract only when their units are compatible
  (`units.compatible`, and a dose per body mass is never a plain ratio):
  mg/dL against g/L converts; mg against mg/kg is an error naming both kinds.
* A plain number next to a quantity is read in the quantity's unit
  (``serology.c3 < 0.9`` reads 0.9 g/L; ``age >= 18 years`` reads age in
  years).  The exception is an item declared ``number`` or ``integer``: it
  has no unit by declaration, so comparing it with a quantity threshold is an
  error (the threshold is in a unit the item cannot have).
* Dates: date - date is a duration in days; date ± duration is a date; a date
  is never compared with a number.  `within` / `at least` take a date, a
  duration and a date anchor.
* Titers compare only with titers (write ``1:80``, not 80).
* Choices compare (``=``, ``!=``, ``in``) with values of their own code list;
  choices, conditions and texts have no order (``<`` is an error).
* ``and``, ``or``, ``implies``, ``not``, ``if``, ``where`` and ``satisfy`` need
  conditions; arithmetic needs numbers, quantities or the date rules above.
* ``sum`` needs numbers or quantities; ``min`` / ``max`` need values with an
  order (numbers, quantities, dates, titers); ``count`` is a whole number.
* ``x is known`` / ``x is missing`` accept anything.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, dataclass_transform

import attrs

from protocol_dsl import model as m
from protocol_dsl.codes import CODES
from protocol_dsl.diagnostics import Diagnostic, Label, did_you_mean
from protocol_dsl.functions import FUNCTIONS, MATH_FUNCTIONS
from protocol_dsl.semantics import scales, units
from protocol_dsl.semantics.conversions import threshold_on_item_scale
from protocol_dsl.spec import Scope, Spec, Symbol, endpoint_expressions, expressions, inner_scope
from protocol_dsl.syntax import printer
from protocol_dsl.visitor import ExprVisitor

__all__ = [
    "SCALE_HELP",
    "UNIT_HELP",
    "Boolean",
    "Choice",
    "CodeValue",
    "Date",
    "Number",
    "Quantity",
    "Text",
    "Titer",
    "Type",
    "Typer",
    "Unknown",
    "analyse",
    "analysed",
    "describe",
    "infer",
    "item_type",
    "quantity_unit",
    "unit_span",
    "units_comparable",
    "walk_types",
]


# ---------------------------------------------------------------- the types


class Type:
    """Base of every type; subclasses are frozen attrs classes compared by value."""

    __slots__ = ()

    if TYPE_CHECKING:
        # what `attrs.frozen` adds to every subclass (see `model._Node`)
        __attrs_attrs__: ClassVar[tuple[attrs.Attribute[Any], ...]]

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}" for f in attrs.fields(type(self)) if f.repr
        )
        return f"{type(self).__name__}({shown})"


_T = TypeVar("_T", bound=type)


# `dataclass_transform` tells type checkers that the class gets attrs' __init__ and
# is frozen (as `model.node` does for the model)
@dataclass_transform(frozen_default=True, field_specifiers=(attrs.field,))
def _type(cls: _T) -> _T:
    # attrs' generated __repr__ and match_args cost import time; Type has its own repr
    return attrs.frozen(repr=False, match_args=False)(cls)


@_type
class Boolean(Type):
    pass


@_type
class Number(Type):
    integer: bool = False
    interval: bool = False


@_type
class Quantity(Type):
    unit: str
    interval: bool = False

    @property
    def is_duration(self) -> bool:
        return units.is_time(self.unit)


@_type
class Date(Type):
    datetime: bool = False


@_type
class Titer(Type):
    pass


@_type
class Choice(Type):
    """A value of a code list; ``codelist`` is None when the list is undefined."""

    codelist: m.CodeList | None = attrs.field(eq=False, repr=False)
    name: str = ""


@_type
class CodeValue(Type):
    """A code-list value named in a rule; ``codelist`` is the list it was found in."""

    value: str
    codelist: m.CodeList | None = attrs.field(default=None, eq=False, repr=False)


@_type
class Text(Type):
    pass


@_type
class Unknown(Type):
    pass


UNKNOWN = Unknown()
BOOLEAN = Boolean()
DAYS = "d"

#: The help of every diagnostic about a unit that does not parse.
UNIT_HELP = (
    "units are UCUM codes (mg, g/L, mg/dL, '[IU]/mL', '10*9/L', mm[Hg]); "
    "durations may also be written in days, weeks, months or years"
)

_TIME_WORDS = {
    "s": "seconds",
    "min": "minutes",
    "h": "hours",
    "d": "days",
    "wk": "weeks",
    "mo": "months",
    "a": "years",
}

_NUMERIC = (Number, Quantity)
_ORDERED = (Number, Quantity, Date, Titer)


def describe(t: Type) -> str:
    """The type in plain words, for messages ("a quantity in g/L (mass concentration)")."""
    if isinstance(t, Boolean):
        return "a condition (yes/no)"
    if isinstance(t, Number):
        return "a whole number" if t.integer else "a number"
    if isinstance(t, Quantity):
        if t.is_duration:
            return f"a duration in {_TIME_WORDS.get(t.unit, units.format_unit(t.unit))}"
        return f"a quantity in {_kind_of(t.unit)}"
    if isinstance(t, Date):
        return "a date and time" if t.datetime else "a date"
    if isinstance(t, Titer):
        return "a titer"
    if isinstance(t, Choice):
        return f"a choice from the code list '{t.name}'"
    if isinstance(t, CodeValue):
        owner = f" (of '{t.codelist.name}')" if t.codelist is not None else ""
        return f"the code-list value '{t.value}'{owner}"
    if isinstance(t, Text):
        return "a text"
    return "a value of unknown type"


# ---------------------------------------------------------------- units


def _per_body_mass(unit: str) -> bool:
    return "per body mass" in units.describe_dimension(unit)


def units_comparable(a: str, b: str) -> bool:
    """Whether values in units `a` and `b` can be compared after conversion.

    Compatible dimensions, and a dose per body mass (mg/kg) is never compared
    with a plain ratio such as % although both are dimensionless; nor are two
    scales of one dimension (% and mmol/mol, mL/min and mL/min/{1.73_m2}, see
    `scales`).
    """
    if a == b:
        return True
    return (
        units.compatible(a, b)
        and _per_body_mass(a) == _per_body_mass(b)
        and scales.same_scale(a, b)
    )


def quantity_unit(text: str) -> str:
    """The UCUM unit of a quantity as written: a time word becomes its code ("weeks" → "wk").

    Raises `units.UnitError` when the unit is not recognised.
    """
    try:
        return units.parse_unit(text).text
    except units.UnitError:
        try:
            return units.time_unit(text).text
        except units.UnitError:
            pass
        raise


def _kind_of(unit: str) -> str:
    return units.describe_unit(unit)


# ---------------------------------------------------------------- items


def item_type(item: m.Item, codelist: m.CodeList | None = None) -> Type:
    """The type of an item's values, from its declaration."""
    kind = item.type.kind
    if kind == "number":
        return Number()
    if kind == "integer":
        return Number(integer=True)
    if kind == "quantity":
        try:
            return Quantity(quantity_unit(item.type.unit or ""))
        except units.UnitError:
            return UNKNOWN
    if kind == "date":
        return Date()
    if kind == "datetime":
        return Date(datetime=True)
    if kind == "yes_no":
        return BOOLEAN
    if kind == "choice":
        name = item.type.codelist.dotted if item.type.codelist is not None else ""
        return Choice(codelist, name)
    if kind == "titer":
        return Titer()
    return Text()


# ---------------------------------------------------------------- inference


class Found:
    """What typing some expressions found and read: problems, and the items read, each by
    the path of its spec, its form's name and its name."""

    __slots__ = ("items", "problems")

    def __init__(self) -> None:
        self.problems: list[Diagnostic] = []
        self.items: set[tuple[str, str, str]] = set()


class Typer(ExprVisitor[Type, [Scope]]):
    """Infers types of expressions of one spec, caching definitions and derived values.

    With ``report=True`` every problem met is kept in `problems` (each once).
    """

    def __init__(self, spec: Spec, report: bool = False) -> None:
        self.spec = spec
        self.report = report
        self.problems: list[Diagnostic] = []
        #: (id of form, item name) of every item the inferred expressions read
        self.items_read: set[tuple[int, str]] = set()
        self._declared: dict[int, Type] = {}
        self._in_progress: set[int] = set()
        #: What typing each criterion's rule found and read, by the criterion's id (the
        #: problems and items of the definitions it typed on the way are not its own):
        #: a long-lived caller keeps them per criterion (`lsp.typed`).
        self.of_criterion: dict[int, Found] = {}
        #: What typing everything else found and read.
        self.of_rest = Found()
        self._found = self.of_rest
        #: A definition met again while it was being typed: its type depends on where
        #: the typing began, so a caller must type the spec whole.
        self.cyclic = False

    # ------------------------------------------------------------ public

    def infer(self, expr: m.Expr, scope: Scope) -> Type:
        """The type of `expr` evaluated in `scope`."""
        return self.visit(expr, scope)

    def condition(self, expr: m.Expr, scope: Scope, role: str) -> Type:
        """Infer `expr` and require a condition there; `role` says where ("the rule of I1")."""
        t = self.infer(expr, scope)
        if not isinstance(t, (Boolean, Unknown)):
            self._problem(
                "E0205",
                f"{role} must be a condition, but `{_short(expr)}` is {describe(t)}",
                expr.span,
                help="compare it with something (e.g. `>= 8`, `= yes`) to make a condition",
            )
        return t

    def symbol_type(self, symbol: Symbol) -> Type:
        """The type of what a name resolves to."""
        if symbol.kind == "item":
            if symbol.form is not None:
                name: str = symbol.decl.name  # type: ignore[attr-defined]
                self.items_read.add((id(symbol.form), name))
                self._found.items.add((symbol.owner.path, symbol.form.name, name))
            return item_type(symbol.decl, symbol.codelist)  # type: ignore[arg-type]
        if symbol.kind == "derive":
            return self.derive_type(symbol.owner, symbol.form, symbol.decl)  # type: ignore[arg-type]
        if symbol.kind == "define":
            return self.define_type(symbol.owner, symbol.decl)  # type: ignore[arg-type]
        if symbol.kind in ("score", "score_part"):
            return self._score_type(symbol.owner, symbol.decl)  # type: ignore[arg-type]
        if symbol.kind == "anchor":
            return Date()
        if symbol.kind == "value":
            entry: m.CodeListEntry = symbol.decl  # type: ignore[assignment]
            return CodeValue(entry.name, symbol.codelist)
        return UNKNOWN

    def define_type(self, owner: Spec, define: m.Define) -> Type:
        return self._declared_type(
            define, define.expr, Scope(owner, None, f"definition {define.name}")
        )

    def derive_type(self, owner: Spec, form: m.Form | None, derive: m.Derive) -> Type:
        scope = Scope(owner, form, f"derived value {derive.name}")
        return self._declared_type(derive, derive.expr, scope)

    # ------------------------------------------------------------ helpers

    def _declared_type(self, decl: object, expr: m.Expr, scope: Scope) -> Type:
        key = id(decl)
        if key in self._declared:
            return self._declared[key]
        if key in self._in_progress:
            self.cyclic = True
            return UNKNOWN  # a definition that refers to itself
        self._in_progress.add(key)
        found, self._found = self._found, self.of_rest  # a definition's, not a rule's
        try:
            t = self.infer(expr, scope)
        finally:
            self._found = found
        self._in_progress.discard(key)
        self._declared[key] = t
        return t

    def criterion(self, owner: Spec, criterion: m.Criterion) -> None:
        """Type a criterion's rule, keeping what it finds and reads in `of_criterion`."""
        assert criterion.rule is not None
        found, self._found = self._found, self.of_criterion.setdefault(id(criterion), Found())
        try:
            self.condition(
                criterion.rule,
                Scope(owner, None, f"criterion {criterion.id}"),
                f"the rule of {criterion.id}",
            )
        finally:
            self._found = found

    def _score_type(self, owner: Spec, score: m.Score | m.ScoreVariant) -> Type:
        base = owner.base_score(score)
        whole = base is not None and all(i.weight == int(i.weight) for _d, i in base.items())
        return Number(integer=whole, interval=True)

    def _problem(
        self,
        code: str,
        message: str,
        span: m.Span,
        labels: tuple[Label, ...] = (),
        help: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        if not self.report:
            return
        severity = CODES[code].severity if code in CODES else "error"
        problem = Diagnostic(
            code,
            severity,  # type: ignore[arg-type]
            message,
            span,
            labels,
            help=help,
            suggestion=suggestion,
        )
        self.problems.append(problem)
        self._found.problems.append(problem)

    # ------------------------------------------------------------ literals

    def visit_number_lit(self, expr: m.NumberLit, scope: Scope) -> Type:
        return Number(integer=expr.value == expr.value.to_integral_value())

    def visit_quantity_lit(self, expr: m.QuantityLit, scope: Scope) -> Type:
        try:
            return Quantity(quantity_unit(expr.quantity.unit))
        except units.UnitError as error:
            self._problem(
                "E0301",
                error.message,
                unit_span(expr.span, expr.quantity.unit, error.position),
                help=UNIT_HELP,
            )
            return UNKNOWN

    def visit_text_lit(self, expr: m.TextLit, scope: Scope) -> Type:
        return Text()

    def visit_date_lit(self, expr: m.DateLit, scope: Scope) -> Type:
        return Date()

    def visit_titer_lit(self, expr: m.TiterLit, scope: Scope) -> Type:
        return Titer()

    def visit_bool_lit(self, expr: m.BoolLit, scope: Scope) -> Type:
        return BOOLEAN

    # ------------------------------------------------------------ names

    def visit_ref(self, expr: m.Ref, scope: Scope) -> Type:
        symbol = scope.owner.resolve(expr.parts, scope)
        if symbol is None:
            return UNKNOWN  # reported by the name checks
        if symbol.kind == "codelist" and len(expr.parts) == 1:
            # a code list and a value may share a name (`class = antimalarial`);
            # in a rule a bare name is the value
            value = _code_value(scope.owner, expr.parts[0])
            if value is not None:
                return value
        if symbol.kind in ("form", "codelist", "table", "library"):
            self._problem(
                "E0111",
                f"'{expr.dotted}' is a {symbol.kind.replace('codelist', 'code list')}, not a value",
                expr.span,
                help=_reference_help(symbol.kind),
            )
            return UNKNOWN
        return self.symbol_type(symbol)

    def visit_at_visit(self, expr: m.AtVisit, scope: Scope) -> Type:
        return self.infer(expr.expr, scope)

    def visit_at_previous(self, expr: m.AtPrevious, scope: Scope) -> Type:
        return self.infer(expr.expr, scope)

    # ------------------------------------------------------------ arithmetic

    def visit_negate(self, expr: m.Negate, scope: Scope) -> Type:
        t = self.infer(expr.expr, scope)
        if isinstance(t, (*_NUMERIC, Unknown)):
            return t
        self._problem(
            "E0204",
            f"only numbers and quantities can be negated; `{_short(expr.expr)}` is {describe(t)}",
            expr.span,
        )
        return UNKNOWN

    def visit_arith(self, expr: m.Arith, scope: Scope) -> Type:
        left = self.infer(expr.left, scope)
        right = self.infer(expr.right, scope)
        if isinstance(left, Unknown) or isinstance(right, Unknown):
            return UNKNOWN
        result = self._arith_type(expr, left, right)
        if result is not None:
            return result
        return UNKNOWN

    def _arith_type(self, expr: m.Arith, left: Type, right: Type) -> Type | None:
        op = expr.op
        if isinstance(left, Date) or isinstance(right, Date):
            return self._date_arith(expr, left, right)
        bad = [
            (side, t)
            for side, t in ((expr.left, left), (expr.right, right))
            if not isinstance(t, _NUMERIC)
        ]
        if bad:
            side, t = bad[0]
            self._problem(
                "E0204",
                f"`{op}` needs numbers or quantities, but `{_short(side)}` is {describe(t)}",
                side.span,
                labels=(Label(expr.span, "in this calculation"),) if side is not expr else (),
                help=_arith_help(t),
            )
            return None
        interval = getattr(left, "interval", False) or getattr(right, "interval", False)
        if isinstance(left, Number) and isinstance(right, Number):
            whole = left.integer and right.integer and op != "/"
            return Number(integer=whole, interval=interval)
        if op in "+-":
            if isinstance(left, Quantity) and isinstance(right, Quantity):
                if not units_comparable(left.unit, right.unit):
                    self._incompatible(expr, expr.left, left, expr.right, right, "added to")
                    return None
                return Quantity(left.unit, interval)
            q = left if isinstance(left, Quantity) else right
            assert isinstance(q, Quantity)
            return Quantity(q.unit, interval)  # the number is read in the quantity's unit
        if isinstance(left, Quantity) and isinstance(right, Quantity):
            if op == "/" and units_comparable(left.unit, right.unit):
                return Number(interval=interval)
            unit = f"({left.unit}){'.' if op == '*' else '/'}({right.unit})"
            return _quantity_or_number(unit, interval)
        if op == "*":
            q = left if isinstance(left, Quantity) else right
            assert isinstance(q, Quantity)
            return Quantity(q.unit, interval)
        if isinstance(left, Quantity):
            return Quantity(left.unit, interval)
        assert isinstance(right, Quantity)
        return _quantity_or_number(f"1/({right.unit})", interval)

    def _part_of_a_day(self, expr: m.Arith, duration: Quantity) -> None:
        """W0408: a date (without a time) moved by hours, minutes or seconds."""
        if units.format_unit(duration.unit) not in ("h", "min", "s"):
            return
        self._problem(
            "W0408",
            f"a date has no time of day: `{expr.op}` a span in {duration.unit} moves it by "
            "whole days only (5 hours: the same date; 25 hours: the next day)",
            expr.span,
            help="write the span in days, or record the item as a datetime to keep the time",
        )

    def _date_arith(self, expr: m.Arith, left: Type, right: Type) -> Type | None:
        op = expr.op
        if op == "-" and isinstance(left, Date) and isinstance(right, Date):
            return Quantity(DAYS)
        duration = right if isinstance(left, Date) else left
        if (
            op in "+-"
            and isinstance(duration, Quantity)
            and duration.is_duration
            and (isinstance(left, Date) or op == "+")
        ):
            # a date and time moved by a duration keeps its time of day
            moved = left if isinstance(left, Date) else right
            timed = isinstance(moved, Date) and moved.datetime
            if not timed:
                self._part_of_a_day(expr, duration)
            return Date(datetime=timed)
        other = expr.right if isinstance(left, Date) else expr.left
        self._problem(
            "E0204",
            f"a date cannot be combined with {describe(duration)} by `{op}`",
            other.span if not isinstance(duration, Date) else expr.span,
            labels=(Label(expr.span, "in this calculation"),),
            help="add or subtract a duration (`first_dose + 28 days`), subtract two dates "
            "(a duration in days), or use years_between / days_between",
        )
        return None

    def _incompatible(
        self, node: m.Expr, a: m.Expr, ta: Quantity, b: m.Expr, tb: Quantity, verb: str
    ) -> None:
        if _on_other_scales(ta.unit, tb.unit):
            self._problem(
                "E0306",
                f"`{_short(a)}` in {scales.describe_scale(ta.unit)} cannot be {verb} "
                f"`{_short(b)}` in {scales.describe_scale(tb.unit)}: the units are different "
                "scales, which no factor converts",
                node.span,
                labels=(Label(a.span, describe(ta)), Label(b.span, describe(tb))),
                help=SCALE_HELP,
            )
            return
        self._problem(
            "E0303",
            f"`{_short(a)}` in {_kind_of(ta.unit)} cannot be {verb} `{_short(b)}` "
            f"in {_kind_of(tb.unit)}",
            node.span,
            labels=(
                Label(a.span, f"{describe(ta)}"),
                Label(b.span, f"{describe(tb)}"),
            ),
            help="compare quantities of the same kind; units of one kind convert "
            "(mg/dL and g/L), different kinds never do",
        )

    # ------------------------------------------------------------ logic

    def visit_not(self, expr: m.Not, scope: Scope) -> Type:
        self.condition(expr.expr, scope, "the operand of `not`")
        return BOOLEAN

    def visit_logic(self, expr: m.Logic, scope: Scope) -> Type:
        self.condition(expr.left, scope, f"each side of `{expr.op}`")
        self.condition(expr.right, scope, f"each side of `{expr.op}`")
        return BOOLEAN

    def visit_conditional(self, expr: m.Conditional, scope: Scope) -> Type:
        self.condition(expr.condition, scope, "the condition of `if`")
        then = self.infer(expr.then, scope)
        otherwise = self.infer(expr.otherwise, scope)
        return self._unify(
            expr, expr.then, then, expr.otherwise, otherwise, scope, "if … then … else"
        )

    def _unify(
        self, node: m.Expr, a: m.Expr, ta: Type, b: m.Expr, tb: Type, scope: Scope, what: str
    ) -> Type:
        """The common type of two values that stand for one (if/else branches, least/greatest)."""
        if isinstance(ta, Unknown):
            return tb
        if isinstance(tb, Unknown):
            return ta
        if not self._comparable(node, a, ta, b, tb, scope, f"the two values of {what}"):
            return UNKNOWN
        if isinstance(ta, Number) and isinstance(tb, Number):
            return Number(ta.integer and tb.integer, ta.interval or tb.interval)
        if isinstance(ta, Quantity):
            return ta
        if isinstance(tb, Quantity):
            return tb
        if isinstance(ta, CodeValue):
            return tb
        return ta

    # ------------------------------------------------------------ comparisons

    def visit_compare(self, expr: m.Compare, scope: Scope) -> Type:
        expr = threshold_on_item_scale(self.spec, scope, expr)
        left = self.infer(expr.left, scope)
        right = self.infer(expr.right, scope)
        ordering = expr.op in ("<", "<=", ">", ">=")
        if ordering and not (
            self._ordered(expr, expr.left, left) and self._ordered(expr, expr.right, right)
        ):
            return BOOLEAN
        self._comparable(expr, expr.left, left, expr.right, right, scope, "")
        return BOOLEAN

    def _ordered(self, node: m.Expr, side: m.Expr, t: Type) -> bool:
        if isinstance(t, (*_ORDERED, Unknown)):
            return True
        self._problem(
            "E0209",
            f"`{_short(side)}` is {describe(t)}, which has no order: it can only be "
            "tested with = or !=",
            side.span,
            labels=(Label(node.span, "in this comparison"),),
            help="use = or != (or `in {…}` for several values of a code list)",
        )
        return False

    def _comparable(
        self, node: m.Expr, a: m.Expr, ta: Type, b: m.Expr, tb: Type, scope: Scope, what: str
    ) -> bool:
        """Whether values of `ta` and `tb` can be compared; reports why not."""
        if isinstance(ta, Unknown) or isinstance(tb, Unknown):
            return True
        # choices against code-list values: membership in the item's own list
        if isinstance(tb, Choice) and isinstance(ta, CodeValue):
            return self._comparable(node, b, tb, a, ta, scope, what)
        if isinstance(ta, Choice):
            if isinstance(tb, CodeValue):
                return self._member(ta, tb.value, b.span, a)
            if isinstance(tb, Choice):
                if ta.codelist is None or tb.codelist is None or ta.codelist is tb.codelist:
                    return True
                self._mismatch(node, a, ta, b, tb, what)
                return False
        if isinstance(ta, CodeValue) and isinstance(tb, CodeValue):
            return True
        if isinstance(ta, Titer) != isinstance(tb, Titer):
            titer_side, other, t_other = (a, b, tb) if isinstance(ta, Titer) else (b, a, ta)
            self._problem(
                "E0203",
                f"`{_short(titer_side)}` is a titer and can only be compared with a titer, "
                f"not with `{_short(other)}` ({describe(t_other)})",
                node.span,
                labels=(Label(titer_side.span, "a titer"), Label(other.span, describe(t_other))),
                help="write the titer as 1:N (e.g. `>= 1:80`); titers are ordered by their "
                "denominator",
            )
            return False
        if isinstance(ta, _NUMERIC) and isinstance(tb, _NUMERIC):
            return self._numeric_comparable(node, a, ta, b, tb, scope)
        if type(ta) is type(tb):
            return True
        self._mismatch(node, a, ta, b, tb, what)
        return False

    def _numeric_comparable(
        self, node: m.Expr, a: m.Expr, ta: Type, b: m.Expr, tb: Type, scope: Scope
    ) -> bool:
        if isinstance(ta, Quantity) and isinstance(tb, Quantity):
            if units_comparable(ta.unit, tb.unit):
                return True
            item_side = self._threshold(a, ta, b, tb, scope)
            if item_side is not None and _on_other_scales(ta.unit, tb.unit):
                item, t_item, literal, t_literal = item_side
                self._problem(
                    "E0306",
                    f"`{_short(item)}` is recorded in {scales.describe_scale(t_item.unit)}; the "
                    f"threshold {_short(literal)} is in {scales.describe_scale(t_literal.unit)}, "
                    "a different scale that no factor converts",
                    literal.span,
                    labels=(Label(item.span, f"recorded in {units.format_unit(t_item.unit)}"),),
                    help=f"write the threshold in {units.format_unit(t_item.unit)}; " + SCALE_HELP,
                )
            elif item_side is not None:
                item, t_item, literal, t_literal = item_side
                self._problem(
                    "E0304",
                    f"`{_short(item)}` is recorded in {_kind_of(t_item.unit)}; the threshold "
                    f"{_short(literal)} is in {_kind_of(t_literal.unit)}, a unit it cannot have",
                    literal.span,
                    labels=(Label(item.span, f"recorded in {units.format_unit(t_item.unit)}"),),
                    help=f"write the threshold in {units.format_unit(t_item.unit)} or another "
                    f"unit of {units.describe_dimension(t_item.unit)}",
                )
            else:
                self._incompatible(node, a, ta, b, tb, "compared with")
            return False
        if isinstance(ta, Number) and isinstance(tb, Number):
            return True
        # a plain number beside a quantity is read in the quantity's unit, unless
        # it is an item declared without a unit
        number_side, quantity_side = (a, b) if isinstance(ta, Number) else (b, a)
        t_quantity = tb if isinstance(ta, Number) else ta
        declared = self._item(number_side, scope)
        if declared is not None:
            assert isinstance(t_quantity, Quantity)
            self._problem(
                "E0304",
                f"`{_short(number_side)}` is declared without a unit, but is compared with "
                f"`{_short(quantity_side)}` in {_kind_of(t_quantity.unit)}",
                quantity_side.span,
                labels=(Label(number_side.span, "a plain number by declaration"),),
                help="declare the item as `quantity UNIT`, or compare it with a plain number",
            )
            return False
        return True

    def _item(self, node: m.Expr, scope: Scope) -> m.Item | None:
        """The item `node` names (through `at VISIT`), or None for anything else."""
        while isinstance(node, (m.AtVisit, m.AtPrevious)):
            node = node.expr
        if not isinstance(node, m.Ref):
            return None
        symbol = scope.owner.resolve(node.parts, scope)
        if symbol is None or symbol.kind != "item":
            return None
        return symbol.decl  # type: ignore[return-value]

    def _threshold(
        self, a: m.Expr, ta: Quantity, b: m.Expr, tb: Quantity, scope: Scope
    ) -> tuple[m.Expr, Quantity, m.Expr, Quantity] | None:
        """(item side, its type, literal side, its type) when an item meets a literal threshold."""
        if isinstance(b, m.QuantityLit) and self._item(a, scope) is not None:
            return a, ta, b, tb
        if isinstance(a, m.QuantityLit) and self._item(b, scope) is not None:
            return b, tb, a, ta
        return None

    def _mismatch(self, node: m.Expr, a: m.Expr, ta: Type, b: m.Expr, tb: Type, what: str) -> None:
        subject = what or f"`{_short(a)}` and `{_short(b)}`"
        self._problem(
            "E0201",
            f"{subject} cannot be compared: `{_short(a)}` is {describe(ta)} and "
            f"`{_short(b)}` is {describe(tb)}",
            node.span,
            labels=(Label(a.span, describe(ta)), Label(b.span, describe(tb))),
            help=_mismatch_help(ta, tb),
        )

    def _member(self, choice: Choice, value: str, span: m.Span, subject: m.Expr) -> bool:
        if choice.codelist is None or choice.codelist.entry(value) is not None:
            return True
        names = [e.name for e in choice.codelist.entries]
        self._problem(
            "E0202",
            f"'{value}' is not a value of the code list '{choice.name}' that "
            f"`{_short(subject)}` takes its values from",
            span,
            labels=(Label(choice.codelist.span, f"the code list '{choice.codelist.name}'"),),
            suggestion=did_you_mean(value, names),
            help=f"'{choice.name}' has the values: {', '.join(names)}",
        )
        return False

    def visit_between(self, expr: m.Between, scope: Scope) -> Type:
        t = self.infer(expr.expr, scope)
        if not self._ordered(expr, expr.expr, t):
            return BOOLEAN
        for bound in (expr.low, expr.high):
            tb = self.infer(bound, scope)
            if self._ordered(expr, bound, tb):
                self._comparable(expr, expr.expr, t, bound, tb, scope, "")
        return BOOLEAN

    def visit_member_of(self, expr: m.MemberOf, scope: Scope) -> Type:
        t = self.infer(expr.expr, scope)
        if isinstance(t, Unknown):
            return BOOLEAN
        if not isinstance(t, Choice):
            target = expr.codelist.dotted if expr.codelist is not None else "{…}"
            self._problem(
                "E0201",
                f"`in {target}` tests a choice against code-list values, but "
                f"`{_short(expr.expr)}` is {describe(t)}",
                expr.expr.span,
                labels=(Label(expr.span, "in this test"),),
                help='`in` is for choices; compare texts with = "…", numbers and dates with '
                "`between` or `>=`",
            )
            return BOOLEAN
        for value in expr.values:
            self._member(t, value, expr.span, expr.expr)
        return BOOLEAN

    def visit_visit_quantifier(self, expr: m.VisitQuantifier, scope: Scope) -> Type:
        self.condition(expr.cond, scope, "the condition over a range of visits")
        return BOOLEAN

    def visit_contains(self, expr: m.Contains, scope: Scope) -> Type:
        for side, code, role in ((expr.text, "E0220", "searched"), (expr.part, "E0221", "sought")):
            t = self.infer(side, scope)
            if isinstance(t, (Text, Unknown)):
                continue
            self._problem(
                code,
                f"`contains` looks for a text in a text, but the {role} `{_short(side)}` is "
                f"{describe(t)}",
                side.span,
                labels=(Label(expr.span, "in this test"),),
                help='write `TEXT_ITEM contains "WORD"` (coded terms such as a MedDRA preferred '
                "term are text items); a choice is tested with = or `in {…}`",
            )
        return BOOLEAN

    def visit_is_known(self, expr: m.IsKnown, scope: Scope) -> Type:
        self.infer(expr.expr, scope)
        return BOOLEAN

    def _window(self, expr: m.Within | m.AtLeast, scope: Scope) -> Type:
        keyword = "within" if isinstance(expr, m.Within) else "at least"
        subject = self.infer(expr.expr, scope)
        duration = self.infer(expr.duration, scope)
        anchor = self.infer(expr.anchor, scope)
        parts = (
            (expr.expr, subject, "the value tested", _is_date),
            (expr.duration, duration, "the length of the window", _is_duration),
            (expr.anchor, anchor, f"what it is {expr.direction}", _is_date),
        )
        for node, t, role, ok in parts:
            if isinstance(t, Unknown) or ok(t):
                continue
            needed = "a duration (e.g. 12 weeks)" if ok is _is_duration else "a date"
            self._problem(
                "E0207",
                f"`{keyword} … {expr.direction} …` needs {needed} as {role}, but "
                f"`{_short(node)}` is {describe(t)}",
                node.span,
                labels=(Label(expr.span, "in this time window"),),
                help=f"write `DATE {keyword} DURATION {expr.direction} ANCHOR`, e.g. "
                f"`onset {keyword} 12 weeks {expr.direction} first_dose`",
            )
        return BOOLEAN

    def visit_within(self, expr: m.Within, scope: Scope) -> Type:
        return self._window(expr, scope)

    def visit_at_least(self, expr: m.AtLeast, scope: Scope) -> Type:
        return self._window(expr, scope)

    # ------------------------------------------------------------ records

    def visit_quantifier(self, expr: m.Quantifier, scope: Scope) -> Type:
        inner = inner_scope(expr, scope) or scope
        if expr.where is not None:
            self.condition(expr.where, inner, f"the filter of `{expr.kind} {expr.form} where …`")
        if expr.satisfy is not None:
            self.condition(
                expr.satisfy, inner, f"the condition after `satisfy` of `{expr.kind} {expr.form}`"
            )
        return BOOLEAN

    def visit_aggregate(self, expr: m.Aggregate, scope: Scope) -> Type:
        inner = inner_scope(expr, scope) or scope
        if expr.where is not None:
            self.condition(expr.where, inner, f"the filter of `{expr.kind}(… where …)`")
        if expr.kind == "count":
            return Number(integer=True, interval=True)
        symbol = scope.owner.resolve(expr.target.parts, Scope(scope.owner))
        if symbol is None or symbol.kind not in ("item", "derive"):
            return UNKNOWN  # reported by the name checks
        t = self.symbol_type(symbol)
        averaged = expr.kind in ("mean", "median")
        allowed = _NUMERIC if expr.kind == "sum" or averaged else _ORDERED
        if isinstance(t, Unknown):
            return UNKNOWN
        if not isinstance(t, allowed):
            needs = (
                "numbers or quantities"
                if expr.kind == "sum" or averaged
                else "values with an order (numbers, quantities, dates, titers)"
            )
            self._problem(
                "E0208",
                f"{expr.kind}(…) needs {needs}, but `{expr.target.dotted}` is {describe(t)}",
                expr.target.span,
                labels=(Label(expr.span, f"in this {expr.kind}"),),
                help="count the records instead: `count(FORM where …)`"
                if expr.kind == "sum"
                else None,
            )
            return UNKNOWN
        if averaged:
            # known only when every record that counts is (no interval form)
            return Quantity(t.unit) if isinstance(t, Quantity) else Number()
        # mypy's attrs plugin knows only attrs' own decorators, not `_type`
        return attrs.evolve(t, interval=True) if isinstance(t, _NUMERIC) else t  # type: ignore[misc]

    # ------------------------------------------------------------ functions

    def visit_call(self, expr: m.Call, scope: Scope) -> Type:
        applied = scope.owner.application(expr)
        if applied is not None:  # a parameterised definition: the type of its rule, applied
            return UNKNOWN if applied.expansion is None else self.infer(applied.expansion, scope)
        name = expr.function
        if name == "lookup" and len(expr.args) == 2:
            return self._lookup(expr, scope)
        types = [self.infer(arg, scope) for arg in expr.args]
        if name in ("years_between", "months_between", "days_between") and len(types) == 2:
            for arg, t in zip(expr.args, types, strict=True):
                if not isinstance(t, (Date, Unknown)):
                    self._argument(expr, arg, t, "a date")
            return Number(integer=True)
        if name == "abs" and len(types) == 1:
            if isinstance(types[0], (*_NUMERIC, Unknown)):
                return types[0]
            self._argument(expr, expr.args[0], types[0], "a number or a quantity")
            return UNKNOWN
        if name in ("least", "greatest") and len(types) == 2:
            for arg, t in zip(expr.args, types, strict=True):
                if not self._ordered(expr, arg, t):
                    return UNKNOWN
            return self._unify(
                expr, expr.args[0], types[0], expr.args[1], types[1], scope, f"{name}(…)"
            )
        if name in MATH_FUNCTIONS and len(types) == FUNCTIONS[name].arity:
            return self._math(expr, types)
        return UNKNOWN  # unknown functions and arities are reported by the name checks

    # ------------------------------------------------------------ functions of numbers

    def _math(self, expr: m.Call, types: list[Type]) -> Type:
        """sqrt, power, exp, ln, round, floor and ceiling, with their units checked."""
        for arg, t in zip(expr.args, types, strict=True):
            if isinstance(t, Unknown):
                return UNKNOWN
            if not isinstance(t, _NUMERIC):
                self._argument(expr, arg, t, "numbers or quantities")
                return UNKNOWN
            if isinstance(t, Quantity) and t.is_duration:
                self._problem(
                    "E0212",
                    f"{expr.function}(…) of a duration: `{_short(arg)}` is {describe(t)}",
                    arg.span,
                    labels=(Label(expr.span, "in this call"),),
                    help="use the number of days, weeks or years as a number: "
                    "`days_between(a, b)`, or divide by a unit (`duration / 1 d`)",
                )
                return UNKNOWN
        name = expr.function
        value = types[0]
        assert isinstance(value, (Number, Quantity))  # every argument was checked above
        # a function of a partly known number reads it as its value when it is
        # known, so the result is a plain number or quantity
        if name in ("floor", "ceiling"):
            return Quantity(value.unit) if isinstance(value, Quantity) else Number(integer=True)
        if name == "round":
            digits = constant_number(expr.args[1])
            if (
                digits is None
                or digits != digits.to_integral_value()
                or not (-ROUND_DIGITS_BELOW <= digits <= ROUND_DIGITS)
            ):
                self._problem(
                    "E0214",
                    f"round(…) takes the number of decimals as a whole number from "
                    f"-{ROUND_DIGITS_BELOW} to {ROUND_DIGITS}; `{_short(expr.args[1])}` is not",
                    expr.args[1].span,
                    labels=(Label(expr.span, "in this call"),),
                    help="write the decimals as a number: `round(bmi, 1)` rounds to one "
                    "decimal, halves away from zero (24.45 is 24.5)",
                )
                return UNKNOWN
            if isinstance(value, Quantity):
                return Quantity(value.unit)
            return Number(integer=digits <= 0)
        if name == "sqrt":
            if isinstance(value, Number):
                return Number()
            root = root_unit(value.unit)
            if root is None:
                self._problem(
                    "E0310",
                    f"sqrt(…) of a quantity in {units.format_unit(value.unit)}: the unit has no "
                    "square root",
                    expr.args[0].span,
                    labels=(Label(expr.span, "in this call"),),
                    help=DIMENSIONLESS_HELP,
                )
                return UNKNOWN
            return _quantity_or_number(root, False)
        if name in ("exp", "ln"):
            if isinstance(value, Quantity):
                self._dimensionless(expr, expr.args[0], value, f"{name}(…)")
                return UNKNOWN
            return Number()
        # power
        exponent_type = types[1]
        if isinstance(exponent_type, Quantity):
            self._dimensionless(expr, expr.args[1], exponent_type, "the exponent of power(…)")
            return UNKNOWN
        if isinstance(value, Number):
            return Number()
        exponent = constant_number(expr.args[1])
        if exponent is None or exponent != exponent.to_integral_value():
            self._dimensionless(
                expr,
                expr.args[0],
                value,
                "power(…) with an exponent that is not a whole-number constant",
            )
            return UNKNOWN
        if abs(exponent) > POWER_OF_A_UNIT:
            self._problem(
                "E0312",
                f"power(…) raises a quantity in {units.format_unit(value.unit)} to the power "
                f"{exponent}: a unit is raised to at most the power {POWER_OF_A_UNIT}",
                expr.args[1].span,
                labels=(Label(expr.span, "in this call"),),
                help=DIMENSIONLESS_HELP,
            )
            return UNKNOWN
        return _quantity_or_number(power_unit(value.unit, int(exponent)), False)

    def _dimensionless(self, call: m.Call, arg: m.Expr, t: Quantity, what: str) -> None:
        self._problem(
            "E0311",
            f"{what} needs a number without a unit, but `{_short(arg)}` is {describe(t)}",
            arg.span,
            labels=(Label(call.span, "in this call"),),
            help=DIMENSIONLESS_HELP,
        )

    def _argument(self, call: m.Call, arg: m.Expr, t: Type, needed: str) -> None:
        self._problem(
            "E0210",
            f"{call.function}(…) takes {needed}, but `{_short(arg)}` is {describe(t)}",
            arg.span,
            labels=(Label(call.span, "in this call"),),
        )

    def _lookup(self, expr: m.Call, scope: Scope) -> Type:
        table_ref, key = expr.args
        key_type = self.infer(key, scope)
        if not isinstance(table_ref, m.Ref):
            return UNKNOWN
        symbol = scope.owner.resolve(table_ref.parts, Scope(scope.owner))
        if symbol is None or symbol.kind != "table":
            return UNKNOWN  # reported by the name checks
        table: m.Table = symbol.decl  # type: ignore[assignment]
        keys = None
        if table.keys is not None:
            keys_symbol = symbol.owner.resolve(table.keys.parts, Scope(symbol.owner))
            keys = keys_symbol.codelist if keys_symbol is not None else None
        self._lookup_key(expr, table, keys, key, key_type)
        return self._table_type(table)

    def _lookup_key(
        self, call: m.Call, table: m.Table, keys: m.CodeList | None, key: m.Expr, t: Type
    ) -> None:
        rows = [row.key for row in table.rows]
        if isinstance(t, Unknown):
            return
        if isinstance(t, CodeValue):
            if t.value in rows:
                return
            self._problem(
                "E0206",
                f"the table '{table.name}' has no row '{t.value}'",
                key.span,
                labels=(Label(table.span, f"the table '{table.name}'"),),
                suggestion=did_you_mean(t.value, rows),
            )
            return
        if isinstance(t, Choice):
            if keys is None or t.codelist is None or t.codelist is keys:
                return
            self._problem(
                "E0206",
                f"the table '{table.name}' is keyed by the code list '{keys.name}', but "
                f"`{_short(key)}` is a choice from '{t.name}'",
                key.span,
                labels=(Label(table.span, f"keys {keys.name}"),),
                help=f"look the table up with an item whose values come from '{keys.name}'",
            )
            return
        if isinstance(t, Text) and keys is None:
            return
        expected = f"a choice from the code list '{keys.name}'" if keys else "a choice or a text"
        self._problem(
            "E0206",
            f"the table '{table.name}' is looked up by {expected}, but `{_short(key)}` is "
            f"{describe(t)}",
            key.span,
            labels=(Label(table.span, f"the table '{table.name}'"),),
        )

    def _table_type(self, table: m.Table) -> Type:
        kinds = {row.value.kind for row in table.rows}
        if kinds == {"number"}:
            whole = all(
                isinstance(r.value.value, (Decimal, Fraction))
                and r.value.value == int(r.value.value)
                for r in table.rows
            )
            return Number(integer=whole)
        if kinds == {"string"}:
            return Text()
        if kinds == {"quantity"}:
            first = table.rows[0].value.value
            assert isinstance(first, m.Quantity)
            try:
                return Quantity(quantity_unit(first.unit))
            except units.UnitError:
                return UNKNOWN
        return UNKNOWN


def _code_value(owner: Spec, name: str) -> CodeValue | None:
    for spec in owner.all_specs():
        for codelist in spec.codelists.values():
            if codelist.entry(name) is not None:
                return CodeValue(name, codelist)
    return None


#: The help of every diagnostic about values on two scales.
SCALE_HELP = (
    "a conversion between scales is a formula, not a factor: record and compare values on the "
    "item's own scale, or declare the formula (`conversion NAME from UNIT to UNIT = "
    "a * value + b [LOINC …]`) for the analyte"
)


def _on_other_scales(a: str, b: str) -> bool:
    """Units UCUM would convert by a factor that are different scales (% and mmol/mol)."""
    return _per_body_mass(a) == _per_body_mass(b) and scales.different_scales(a, b)


def _quantity_or_number(unit: str, interval: bool) -> Type:
    try:
        parsed = units.parse_unit(unit)
    except units.UnitError:
        return UNKNOWN
    if units.is_dimensionless(parsed) and not parsed.arbitrary and not _per_body_mass(unit):
        return Number(interval=interval)
    return Quantity(unit, interval)


#: round(x, d) rounds to at most 12 decimals (the scale every engine computes in)
#: and to at most 10^17 (below the largest number a subject's data may hold).
ROUND_DIGITS = 12
ROUND_DIGITS_BELOW = 17

#: The largest exponent of a unit: power(x, n) of a quantity writes the unit n times.
POWER_OF_A_UNIT = 6

DIMENSIONLESS_HELP = (
    "divide by the unit first to make it a number, and multiply the result by the unit "
    "the formula gives: `power(weight / 1 kg, 0.425)`, "
    "`sqrt(height / 1 cm * (weight / 1 kg) / 3600) * 1 m2`"
)


def constant_number(expr: m.Expr) -> Decimal | None:
    """The value of a number literal, or of a negated one (`-2`); None for anything else."""
    if isinstance(expr, m.NumberLit):
        return expr.value
    if isinstance(expr, m.Negate):
        inner = constant_number(expr.expr)
        return -inner if inner is not None else None
    return None


def root_unit(unit: str) -> str | None:
    """The unit whose square is `unit` (m for m2, cm.kg for cm2.kg2), or None when
    an exponent of one of its simple units is odd."""
    try:
        parsed = units.parse_unit(unit)
    except units.UnitError:
        return None
    exponents: dict[str, int] = {}
    for symbol, exponent in parsed.terms:
        exponents[symbol] = exponents.get(symbol, 0) + exponent
    halves = [(symbol, e // 2) for symbol, e in exponents.items() if e]
    if any(e % 2 for e in exponents.values()):
        return None
    if any(not symbol[:1].isalpha() and symbol[:1] != "[" for symbol, _e in halves):
        return None  # a number in the unit (10*9/L): its root is seldom a unit
    above = ".".join(f"{s}{e if e != 1 else ''}" for s, e in halves if e > 0)
    below = ".".join(f"{s}{-e if e != -1 else ''}" for s, e in halves if e < 0)
    if not above and not below:
        return "1"
    return f"{above or '1'}/{below}" if below else above


def power_unit(unit: str, exponent: int) -> str:
    """The unit of a quantity in `unit` raised to a whole `exponent`."""
    if exponent == 0:
        return "1"
    times = ".".join([f"({unit})"] * abs(exponent))
    return times if exponent > 0 else f"1/({times})"


def _is_date(t: Type) -> bool:
    return isinstance(t, Date)


def _is_duration(t: Type) -> bool:
    return isinstance(t, Quantity) and t.is_duration


def _reference_help(kind: str) -> str:
    return {
        "form": "name one of its items (form.item), or count its records with count(form where …)",
        "table": "look a value up with lookup(table, key)",
        "codelist": "test a choice against it with `item in codelist`",
    }.get(kind, "name one of its members (alias.name)")


def _arith_help(t: Type) -> str | None:
    if isinstance(t, Boolean):
        return "to count conditions that hold, use count(…) or a score"
    if isinstance(t, Titer):
        return "titers are ordinal: compare them (>= 1:80), do not calculate with them"
    if isinstance(t, (Choice, CodeValue)):
        return "to give code-list values numbers, use a lookup table"
    return None


def _mismatch_help(ta: Type, tb: Type) -> str | None:
    kinds = {type(ta), type(tb)}
    if Date in kinds and (Number in kinds or Quantity in kinds):
        return (
            "compare a date with a date (`onset >= first_dose - 12 weeks`), or use "
            "`within … before …`, `at least … before …`, years_between(…)"
        )
    if Text in kinds and (Choice in kinds or CodeValue in kinds):
        return "code-list values are written without quotes (`sex = female`)"
    if Boolean in kinds:
        return "a yes/no item is compared with yes or no"
    return None


def _short(expr: m.Expr) -> str:
    text = printer.expr(expr)
    return text if len(text) <= 60 else text[:57] + "…"


def unit_span(span: m.Span, unit: str, position: int = 0) -> m.Span:
    """The span of `unit` at the end of a one-line `span` (a quantity or an item type).

    The unit is the last thing written in these spans; a quoted unit ends with
    its closing quote.  Multi-line spans are returned unchanged.
    """
    if span.line != span.end_line or span.end <= span.start:
        return span
    quoted = 0 if printer.is_bare_unit(unit) else 1
    length = len(unit) + 2 * quoted
    start_column = span.end_column - length
    if start_column < span.column:
        return span
    column = start_column + quoted + max(0, min(position, len(unit) - 1))
    offset = span.end - length + quoted + max(0, min(position, len(unit) - 1))
    # mypy's attrs plugin knows only attrs' own decorators, not `model.node`
    return attrs.evolve(  # type: ignore[misc]
        span,
        column=column,
        end_column=span.end_column - quoted,
        start=offset,
        end=span.end - quoted,
    )


# ---------------------------------------------------------------- the whole spec


def infer(expr: m.Expr, scope: Scope, spec: Spec) -> Type:
    """The type of `expr` in `scope` of `spec` (no diagnostics)."""
    return Typer(spec).infer(expr, scope)


_TYPERS: weakref.WeakKeyDictionary[Spec, Typer] = weakref.WeakKeyDictionary()


def remember(spec: Spec, typer: Typer) -> None:
    """Have `analysed(spec)` give `typer`: what a long-lived caller put together from what
    it typed before (`lsp.typed`), equal to typing the spec whole."""
    _TYPERS[spec] = typer


def analysed(spec: Spec) -> Typer:
    """The typer that has typed every expression of `spec` and its libraries (built once)."""
    typer = _TYPERS.get(spec)
    if typer is None:
        typer = Typer(spec, report=True)
        for owner in spec.all_specs():
            for decl in owner.module.declarations:
                _declaration(typer, owner, decl)
        _TYPERS[spec] = typer
    return typer


def analyse(spec: Spec) -> list[Diagnostic]:
    """Type every expression of `spec` and its libraries once; the problems found.

    The type check (E02xx) and the unit check (E03xx) share this pass.
    """
    return analysed(spec).problems


def _declaration(typer: Typer, owner: Spec, decl: object) -> None:
    if isinstance(decl, m.Criterion) and decl.rule is not None:
        typer.criterion(owner, decl)
    elif isinstance(decl, m.Define) and not decl.params:
        # a parameterised rule is typed where it is applied, with its arguments in place
        typer.define_type(owner, decl)
    elif isinstance(decl, m.Anchor) and decl.expr is not None:
        t = typer.infer(decl.expr, Scope(owner, None, f"anchor {decl.name}"))
        if not isinstance(t, (Date, Unknown)):
            typer._problem(
                "E0201",
                f"the anchor '{decl.name}' must be a date, but `{_short(decl.expr)}` is "
                f"{describe(t)}",
                decl.expr.span,
            )
    elif isinstance(decl, m.Form):
        for item in decl.items:
            if item.when is not None:
                scope = Scope(owner, decl, f"condition of {decl.name}.{item.name}")
                typer.condition(item.when, scope, f"the condition of '{item.name}'")
        for derive in decl.derives:
            typer.derive_type(owner, decl, derive)
    elif isinstance(decl, m.Score):
        form = owner.score_form(decl)
        for _domain, score_item in decl.items():
            if score_item.expr is not None:
                scope = Scope(owner, form, f"score item {decl.name}.{score_item.name}")
                typer.condition(score_item.expr, scope, f"the score item '{score_item.name}'")
    elif isinstance(decl, m.Objective):
        for endpoint in decl.endpoints:
            for scope, expr in endpoint_expressions(owner, endpoint):
                typer.infer(expr, scope)
        for estimand in decl.estimands:
            for event in estimand.intercurrent:
                if event.occurs is not None:  # a condition: E1062 (checks/estimands)
                    where = f"intercurrent event of estimand {estimand.name}"
                    typer.infer(event.occurs, Scope(owner, None, where))
    elif isinstance(decl, m.Randomisation):
        for factor in decl.factors:
            for stratum in factor.strata:
                scope = Scope(owner, None, f"stratum {factor.name}.{stratum.name}")
                typer.condition(stratum.rule, scope, f"the rule of stratum '{stratum.name}'")
    elif isinstance(decl, m.Population):
        scope = Scope(owner, None, f"{decl.kind} {decl.name}")
        typer.condition(decl.rule, scope, f"the rule of the {decl.kind} '{decl.name}'")


def walk_types(spec: Spec) -> Iterator[tuple[m.Expr, Scope, Type]]:
    """Every top-level expression of `spec` with its scope and type (for back ends)."""
    typer = Typer(spec)
    for scope, expr in expressions(spec):
        yield expr, scope, typer.infer(expr, scope)
