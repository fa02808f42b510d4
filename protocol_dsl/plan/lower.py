"""Lowering: a checked spec's criteria to screening-plan nodes.

This module owns the translation from the language to the plan.  Types come
from the shared type rules (`protocol_dsl.semantics.types`); this module adds what a
back end needs beyond types: which table, item and visit a name reads, the
unit a comparison is made in (constants converted exactly here), a score as
its weighted descriptors, a time window as date shifts.

Only a spec without errors is lowered; what the plan cannot express (a
duration that is not a constant, an item of a repeating form read outside
`any` / `all` / `count`) is a `PlanError` with the source position.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Literal, cast

import attrs

from protocol_dsl import model as m
from protocol_dsl.errors import InternalError
from protocol_dsl.functions import MATH_FUNCTIONS
from protocol_dsl.plan import nodes as n
from protocol_dsl.plan.bounds import StaticBounds
from protocol_dsl.plan.dictionary import (
    ITEM_KINDS,
    Dictionary,
    build_dictionary,
    convert_exact,
    unit_conversion,
)
from protocol_dsl.semantics import types as t
from protocol_dsl.semantics import units
from protocol_dsl.semantics.conversions import threshold_on_item_scale
from protocol_dsl.spec import FormUse, Scope, Spec, Symbol, previous_visit, visits_in_range
from protocol_dsl.syntax import printer
from protocol_dsl.visitor import ExprVisitor


class PlanError(InternalError):
    """A rule that the screening back ends cannot compile; the message is for the writer."""

    def __init__(self, message: str, span: m.Span | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span

    def __str__(self) -> str:
        if self.span is None or self.span.file == "<unknown>":
            return self.message
        return f"{self.span.file}:{self.span.line}:{self.span.column}: {self.message}"


@attrs.frozen
class CriterionPlan:
    """One criterion: its rule as a condition, or attested, or neither (text only)."""

    id: str
    kind: str  # inclusion / exclusion
    rule: n.Node | None
    attested: bool

    @property
    def condition(self) -> n.Node:
        """What decides the criterion: the rule, the attestation, or unknown."""
        if self.rule is not None:
            return self.rule
        if self.attested:
            return n.Attested(self.id)
        return n.Const("bool", None)


@attrs.frozen
class Asked:
    """An item asked only `when …`: its condition over one record of its form.

    The condition reads the record's items as fields (`n.Field`), whether the
    record is a log entry or a form at a visit.  Where it is false the item is
    not applicable to that record: not data still needed (docs/screening.md).
    """

    table: str
    item: str
    condition: n.Node
    text: str


@attrs.frozen
class StratumPlan:
    """The rule of one stratum of a stratification factor (read for eligible subjects)."""

    factor: str
    stratum: str
    rule: n.Node


@attrs.frozen
class Plan:
    """The criteria of a trial over its data dictionary."""

    trial: str
    dictionary: Dictionary
    criteria: tuple[CriterionPlan, ...]
    asked: tuple[Asked, ...] = ()
    strata: tuple[StratumPlan, ...] = ()


def build_plan(spec: Spec, extra_units: tuple[str, ...] = ()) -> Plan:
    """Lower every criterion of `spec` (which must have no errors)."""
    dictionary = build_dictionary(spec, extra_units)
    lowerer = _Lowerer(spec, dictionary)
    criteria = []
    for criterion in spec.criteria:
        rule = None
        if criterion.rule is not None:
            context = _Context(spec, None, None)
            rule = lowerer.condition(criterion.rule, context, f"the rule of {criterion.id}")
        criteria.append(CriterionPlan(criterion.id, criterion.kind, rule, criterion.attested))
    name = spec.trial.name if spec.trial is not None else ""
    return Plan(name, dictionary, tuple(criteria), _asked(spec, lowerer), _strata(spec, lowerer))


def _strata(spec: Spec, lowerer: _Lowerer) -> tuple[StratumPlan, ...]:
    """The rule of every stratum of the randomisation's factors, in declared order."""
    randomisation = spec.randomisation
    if randomisation is None:
        return ()
    found = []
    for factor in randomisation.factors:
        for stratum in factor.strata:
            role = f"the rule of stratum {factor.name}.{stratum.name}"
            rule = lowerer.condition(stratum.rule, _Context(spec, None, None), role)
            found.append(StratumPlan(factor.name, stratum.name, rule))
    return tuple(found)


def lower_expressions(
    spec: Spec,
    expressions: Sequence[tuple[m.Expr, Spec, m.Form | None, str | None]],
    extra_units: tuple[str, ...] = (),
) -> tuple[Dictionary, list[n.Node]]:
    """Expressions of `spec` (which must have no errors) lowered to plan nodes of any kind.

    Each is read in its owner's scope, or, with a form, on one record of that
    repeating form (`flag per LOG` endpoints), and with a visit its items are
    read at that visit (`by visit` endpoints); the endpoint back ends compile
    them as the screening back ends compile criteria.
    """
    dictionary = build_dictionary(spec, extra_units)
    lowerer = _Lowerer(spec, dictionary)
    nodes = []
    for expr, owner, form, visit in expressions:
        record = None
        if form is not None:
            record = _Record(form, owner, _table(spec.form_use(owner, form)), None)
        nodes.append(lowerer.lower(expr, _Context(owner, record, visit)).node)
    return dictionary, nodes


def _asked(spec: Spec, lowerer: _Lowerer) -> tuple[Asked, ...]:
    """The `when …` condition of every item of a collected form that has one."""
    found = []
    for use in spec.form_uses:
        record = _Record(use.form, use.owner, use.storage_name, None)
        context = _Context(use.owner, record, None)
        for item in use.form.items:
            if item.when is None:
                continue
            role = f"the condition of {use.key}.{item.name}"
            condition = lowerer.condition(item.when, context, role)
            found.append(Asked(use.storage_name, item.name, condition, printer.expr(item.when)))
    return tuple(found)


# ---------------------------------------------------------------- contexts


@attrs.frozen
class _Record:
    """The record bare names read: a repeating form's record, or a form at a visit."""

    form: m.Form
    owner: Spec = attrs.field(eq=False)
    table: str | None  # None: the trial does not collect the form
    visit: str | None  # None: a record of a repeating form


@attrs.frozen
class _Context:
    owner: Spec = attrs.field(eq=False)
    record: _Record | None
    visit: str | None  # the visit an enclosing `at` asks for

    @property
    def scope(self) -> Scope:
        return Scope(self.owner, self.record.form if self.record is not None else None)


@attrs.frozen
class _Lowered:
    node: n.Node
    type: t.Type


_NUMERIC = (t.Number, t.Quantity)


class _Lowerer(ExprVisitor[_Lowered, [_Context]]):
    """Lowers the model's expressions to plan nodes; one method per node kind."""

    def __init__(self, spec: Spec, dictionary: Dictionary) -> None:
        self.spec = spec
        self.dictionary = dictionary
        self.typer = t.Typer(spec)
        self.static_bounds = StaticBounds(dictionary)
        self._active: set[int] = set()

    # ------------------------------------------------------------ entry points

    def condition(self, expr: m.Expr, context: _Context, role: str) -> n.Node:
        lowered = self.lower(expr, context)
        if lowered.node.kind != "bool":
            raise PlanError(f"{role} must be a condition", expr.span)
        return lowered.node

    def lower(self, expr: m.Expr, context: _Context) -> _Lowered:
        return self.visit(expr, context)

    def _type(self, expr: m.Expr, context: _Context) -> t.Type:
        return self.typer.infer(expr, context.scope)

    # ------------------------------------------------------------ literals

    def visit_number_lit(self, expr: m.NumberLit, context: _Context) -> _Lowered:
        return _Lowered(n.Const("number", Fraction(expr.value)), self._type(expr, context))

    def visit_quantity_lit(self, expr: m.QuantityLit, context: _Context) -> _Lowered:
        value = Fraction(expr.quantity.value)
        return _Lowered(n.Const("number", value), self._type(expr, context))

    def visit_text_lit(self, expr: m.TextLit, context: _Context) -> _Lowered:
        return _Lowered(n.Const("text", expr.value), t.Text())

    def visit_date_lit(self, expr: m.DateLit, context: _Context) -> _Lowered:
        return _Lowered(n.Const("date", expr.value), t.Date())

    def visit_titer_lit(self, expr: m.TiterLit, context: _Context) -> _Lowered:
        return _Lowered(n.Const("titer", expr.denominator), t.Titer())

    def visit_bool_lit(self, expr: m.BoolLit, context: _Context) -> _Lowered:
        return _Lowered(n.Const("bool", expr.value), t.BOOLEAN)

    # ------------------------------------------------------------ names

    def visit_ref(self, expr: m.Ref, context: _Context) -> _Lowered:
        symbol = context.owner.resolve(expr.parts, context.scope)
        if symbol is None:
            raise PlanError(f"'{expr.dotted}' is not defined", expr.span)
        if symbol.kind == "codelist" and len(expr.parts) == 1:
            # a code list and a value may share a name; in a rule the name is the value
            value = _code_value(context.owner, expr.parts[0])
            if value is not None:
                return _Lowered(n.Const("code", value), t.CodeValue(value))
        kind = symbol.kind
        if kind in ("item", "derive"):
            return self._member(symbol, expr, context)
        if kind == "define":
            define: m.Define = symbol.decl  # type: ignore[assignment]
            node = self._inline(
                define, define.expr, _Context(symbol.owner, None, context.visit), expr.span
            )
            return _Lowered(node, self.typer.define_type(symbol.owner, define))
        if kind in ("score", "score_part"):
            return self._score(symbol, context, expr.span)
        if kind == "anchor":
            anchor: m.Anchor = symbol.decl  # type: ignore[assignment]
            if anchor.visit is not None:
                return _Lowered(n.VisitDate(anchor.visit), t.Date())
            assert anchor.expr is not None
            node = self._inline(
                anchor, anchor.expr, _Context(symbol.owner, None, context.visit), expr.span
            )
            return _Lowered(node, t.Date())
        if kind == "value":
            entry: m.CodeListEntry = symbol.decl  # type: ignore[assignment]
            return _Lowered(n.Const("code", entry.name), t.CodeValue(entry.name))
        raise PlanError(f"'{expr.dotted}' is a {kind.replace('_', ' ')}, not a value", expr.span)

    def _inline(self, decl: object, expr: m.Expr, context: _Context, span: m.Span) -> n.Node:
        key = id(decl)
        if key in self._active:
            raise PlanError("this definition refers to itself", span)
        self._active.add(key)
        try:
            return self.lower(expr, context).node
        finally:
            self._active.discard(key)

    def _member(self, symbol: Symbol, expr: m.Ref, context: _Context) -> _Lowered:
        """An item or derived value, of the current record or of a form at a visit."""
        form = symbol.form
        assert form is not None
        record = context.record
        if record is None or record.form is not form:
            use = self.spec.form_use(symbol.owner, form)
            if form.repeating:
                raise PlanError(
                    f"'{expr.dotted}' is an item of the repeating form '{form.name}': read it "
                    f"inside `any {form.name} where …`, `all …` or `count(…)`",
                    expr.span,
                )
            visit = context.visit or _default_visit(self.spec, use)
            record = _Record(form, symbol.owner, _table(use), visit)
        return self._record_member(symbol, record, context, expr.span)

    def _record_member(
        self, symbol: Symbol, record: _Record, context: _Context, span: m.Span
    ) -> _Lowered:
        if symbol.kind == "derive":
            derive: m.Derive = symbol.decl  # type: ignore[assignment]
            inner = _Context(record.owner, record, context.visit)
            node = self._inline(derive, derive.expr, inner, span)
            return _Lowered(node, self.typer.derive_type(record.owner, record.form, derive))
        item: m.Item = symbol.decl  # type: ignore[assignment]
        return _Lowered(self._read(record, item), t.item_type(item, symbol.codelist))

    def _read(self, record: _Record, item: m.Item) -> n.Node:
        kind: n.Kind = ITEM_KINDS[item.type.kind]  # type: ignore[assignment]
        if record.table is None:
            return n.Const(kind, None)
        impute: n.Impute | None = None
        if item.partial and item.type.kind == "date":
            impute = cast("n.Impute", item.impute or "exact")
        if record.visit is None:
            return n.Field(record.table, item.name, kind, impute)
        use = self.spec.form_use_by_key(record.table)
        collected = use.visits if use is not None else ()
        alone = use.item_visits(item) if use is not None else item.visits
        if record.visit not in collected or (alone is not None and record.visit not in alone):
            return n.Const(kind, None)  # never collected there: no value can be recorded
        return n.Item(record.table, item.name, record.visit, kind, impute)

    def visit_at_visit(self, expr: m.AtVisit, context: _Context) -> _Lowered:
        return self.lower(expr.expr, attrs.evolve(context, visit=expr.visit))

    def visit_at_previous(self, expr: m.AtPrevious, context: _Context) -> _Lowered:
        previous = previous_visit(self.spec, context.visit)
        if previous is not None:
            return self.lower(expr.expr, attrs.evolve(context, visit=previous))
        # the first visit, or no visit: unknown, of the kind the value has
        value = self.lower(expr.expr, context)
        unknown: n.Node = (
            n.Bounds(-math.inf, math.inf)
            if value.node.kind == "interval"
            else n.Const(value.node.kind, None)
        )
        return _Lowered(unknown, value.type)

    # ------------------------------------------------------------ scores

    def _score(self, symbol: Symbol, context: _Context, span: m.Span) -> _Lowered:
        owner, decl = symbol.owner, symbol.decl
        # a symbol of kind "score" is declared by a score or a variant of one
        label = cast("m.Score | m.ScoreVariant", decl).name
        removed: set[str] = set()
        while isinstance(decl, m.ScoreVariant):
            removed.update(decl.without)
            base = owner.resolve(decl.base.parts, Scope(owner))
            if base is None or base.kind != "score":
                raise PlanError(f"the score '{decl.name}' is not built on a score", span)
            owner, decl = base.owner, base.decl
        assert isinstance(decl, m.Score)
        form = None
        if decl.form is not None:
            form_symbol = owner.resolve(decl.form.parts, Scope(owner))
            form = form_symbol.form if form_symbol is not None else None
        use = self.spec.form_use(owner, form) if form is not None else None
        visit = context.visit or _default_visit(self.spec, use)
        record = _Record(form, owner, _table(use), visit) if form is not None else None
        part = symbol.part
        domains = []
        for domain in decl.domains:
            if part is not None and part != domain.name and part not in domain.tags:
                continue
            weighted = tuple(
                n.Weighted(Fraction(item.weight), self._descriptor(owner, record, item, visit))
                for item in domain.items
                if item.name not in removed
            )
            if weighted:
                domains.append(weighted)
        name = "_".join(x for x in (label, part, visit) if x)
        if decl.rule == "highest_per_domain":
            node: n.Node = n.IntervalSum(tuple(n.IntervalMax(parts) for parts in domains), name)
        else:
            node = n.IntervalSum(tuple(p for parts in domains for p in parts), name)
        whole = all(w.weight.denominator == 1 for parts in domains for w in parts)
        return _Lowered(node, t.Number(integer=whole, interval=True))

    def _descriptor(
        self, owner: Spec, record: _Record | None, item: m.ScoreItem, visit: str | None
    ) -> n.Node:
        if item.expr is not None:
            context = _Context(owner, record, visit)
            return self.condition(item.expr, context, f"the score item '{item.name}'")
        if record is None:
            return n.Const("bool", None)
        form_item = record.form.item(item.name)
        if form_item is None or form_item.type.kind != "yes_no":
            raise PlanError(
                f"the score item '{item.name}' reads '{record.form.name}.{item.name}', which "
                "is not a yes/no item",
                item.span,
            )
        return self._read(record, form_item)

    # ------------------------------------------------------------ arithmetic

    def visit_negate(self, expr: m.Negate, context: _Context) -> _Lowered:
        inner = self.lower(expr.expr, context)
        if inner.node.kind not in ("number", "interval"):
            raise PlanError("only numbers can be negated", expr.span)
        if isinstance(inner.node, n.Const) and inner.node.value is not None:
            return _Lowered(n.Const("number", -inner.node.value), inner.type)  # type: ignore[operator]
        return _Lowered(n.Negate(inner.node, inner.node.kind), inner.type)

    def visit_arith(self, expr: m.Arith, context: _Context) -> _Lowered:
        result = self._type(expr, context)
        ratio = m.literal_ratio(expr)
        if ratio is not None:  # exact, as the interpreter reads it: 20/3, never 6.67
            return _Lowered(n.Const("number", ratio), result)
        left = self.lower(expr.left, context)
        right = self.lower(expr.right, context)
        if isinstance(left.type, t.Date) or isinstance(right.type, t.Date):
            return _Lowered(self._date_arith(expr, left, right), result)
        _numeric(left, expr.left)
        _numeric(right, expr.right)
        if expr.op in "+-":
            left, right = self._same_unit(left, right, expr.span)
            kind: n.Kind = (
                "interval" if "interval" in (left.node.kind, right.node.kind) else "number"
            )
            return _Lowered(n.Arith(expr.op, left.node, right.node, kind), result)
        if (
            expr.op == "/"
            and isinstance(left.type, t.Quantity)
            and isinstance(right.type, t.Quantity)
            and left.type.unit != right.type.unit
            and t.units_comparable(left.type.unit, right.type.unit)
        ):
            # a ratio of two quantities of one kind is a number: 1.7 m / 1 cm is 170
            left, right = self._same_unit(left, right, expr.span)
        a, b = left.node, right.node
        if a.kind == "interval" and b.kind == "interval":
            a, b = n.Collapse(a), n.Collapse(b)
        elif a.kind == "interval" or b.kind == "interval":
            scalar = b if a.kind == "interval" else a
            if not (isinstance(scalar, n.Const) and scalar.value is not None) or (
                expr.op == "/" and a.kind != "interval"
            ):
                a = n.Collapse(a) if a.kind == "interval" else a
                b = n.Collapse(b) if b.kind == "interval" else b
        kind = "interval" if "interval" in (a.kind, b.kind) else "number"
        return _Lowered(n.Arith(expr.op, a, b, kind), result)

    def _date_arith(self, expr: m.Arith, left: _Lowered, right: _Lowered) -> n.Node:
        if isinstance(left.type, t.Date) and isinstance(right.type, t.Date):
            if expr.op != "-":
                raise PlanError("two dates can only be subtracted", expr.span)
            return n.Elapsed("day", _day_of(right), _day_of(left))
        date, duration_side = (
            (left, expr.right) if isinstance(left.type, t.Date) else (right, expr.left)
        )
        sign = -1 if expr.op == "-" else 1
        if expr.op == "-" and not isinstance(left.type, t.Date):
            raise PlanError("a date cannot be subtracted from a duration", expr.span)
        timed = isinstance(date.type, t.Date) and date.type.datetime
        return self._shift(date.node, duration_side, sign, timed)

    def _shift(self, date: n.Node, duration: m.Expr, sign: int, timed: bool = False) -> n.Node:
        amount, unit = _duration(duration)
        days, months = duration_shift(amount, unit, sign)
        seconds = None
        if timed and not months and unit in _SECONDS:
            seconds = sign * amount * _SECONDS[unit]
        return n.ShiftDate(date, days, months, seconds, timed)

    # ------------------------------------------------------------ units

    def _same_unit(self, a: _Lowered, b: _Lowered, span: m.Span) -> tuple[_Lowered, _Lowered]:
        """Both sides in one unit: a constant is converted to the other side's unit,
        else the right side is converted to the left side's unit."""
        ua = a.type.unit if isinstance(a.type, t.Quantity) else None
        ub = b.type.unit if isinstance(b.type, t.Quantity) else None
        if ua is None or ub is None or ua == ub:
            return a, b
        if not t.units_comparable(ua, ub):
            raise PlanError(f"{ua} cannot be compared with {ub}", span)
        if _is_constant(b):
            return a, _Lowered(_convert_constant(b.node, ub, ua, span), a.type)
        if _is_constant(a):
            return _Lowered(_convert_constant(a.node, ua, ub, span), b.type), b
        return a, _Lowered(_scale(b.node, ub, ua, span), a.type)

    # ------------------------------------------------------------ logic

    def visit_not(self, expr: m.Not, context: _Context) -> _Lowered:
        return _Lowered(n.Not(self.condition(expr.expr, context, "`not`")), t.BOOLEAN)

    def visit_logic(self, expr: m.Logic, context: _Context) -> _Lowered:
        left = self.condition(expr.left, context, f"each side of `{expr.op}`")
        right = self.condition(expr.right, context, f"each side of `{expr.op}`")
        if expr.op == "implies":
            return _Lowered(_logic("or", n.Not(left), right), t.BOOLEAN)
        return _Lowered(_logic(expr.op, left, right), t.BOOLEAN)

    def visit_conditional(self, expr: m.Conditional, context: _Context) -> _Lowered:
        cond = self.condition(expr.condition, context, "the condition of `if`")
        then = self.lower(expr.then, context)
        otherwise = self.lower(expr.otherwise, context)
        if then.node.kind in ("number", "interval") and otherwise.node.kind in (
            "number",
            "interval",
        ):
            then, otherwise = self._same_unit(then, otherwise, expr.span)
        kinds = {then.node.kind, otherwise.node.kind}
        if kinds == {"number", "interval"}:
            kind: n.Kind = "interval"
        elif len(kinds) == 1:
            kind = then.node.kind
        elif kinds <= {"code", "text"}:
            kind = "code"
        else:
            raise PlanError(
                "the two values of `if … then … else` are of different kinds", expr.span
            )
        return _Lowered(n.If(cond, then.node, otherwise.node, kind), self._type(expr, context))

    # ------------------------------------------------------------ comparisons

    def visit_compare(self, expr: m.Compare, context: _Context) -> _Lowered:
        expr = threshold_on_item_scale(self.spec, context.scope, expr)
        left = self.lower(expr.left, context)
        right = self.lower(expr.right, context)
        node = self._comparison(expr.op, left, right, expr.span)
        return _Lowered(self._over_periods(node, expr.left, expr.right, context), t.BOOLEAN)

    # ------------------------------------------------------------ partial dates

    def _period(self, expr: m.Expr, node: n.Node, context: _Context) -> tuple[n.Node, n.Node]:
        """The first and last day a date may be: a partial date item read in a
        comparison is its whole period (month or year) when it has no imputation rule.

        Only the item itself, named in the comparison, is read so: anywhere else
        (arithmetic, a definition, a function) it is its date when complete, else
        unknown, the same rule as the interpreter's.
        """
        if isinstance(node, (n.Item, n.Field)) and node.impute == "exact":
            inner = expr.expr if isinstance(expr, m.AtVisit) else expr
            if isinstance(inner, m.Ref):
                symbol = context.owner.resolve(inner.parts, context.scope)
                if symbol is not None and symbol.kind == "item":
                    return attrs.evolve(node, impute="first"), attrs.evolve(node, impute="last")
        return node, node

    def _over_periods(self, node: n.Node, left: m.Expr, right: m.Expr, context: _Context) -> n.Node:
        """`node` (a comparison) decided over the periods of partial dates on either side:
        met if it holds for every pair of days, not met if for none, else unknown."""
        if not isinstance(node, n.Compare):
            return node
        a0, a1 = self._period(left, node.left, context)
        b0, b1 = self._period(right, node.right, context)
        if a0 is a1 and b0 is b1:
            return node
        return _period_compare(node.op, (a0, a1), (b0, b1))

    def _comparison(self, op: str, left: _Lowered, right: _Lowered, span: m.Span) -> n.Node:
        lk, rk = left.node.kind, right.node.kind
        numeric = ("number", "interval")
        if lk in numeric and rk in numeric:
            left, right = self._same_unit(left, right, span)
        elif {lk, rk} <= {"code", "text"}:
            if op not in ("=", "!="):
                raise PlanError("codes and texts can only be compared with = or !=", span)
        elif lk != rk:
            raise PlanError(f"a {lk} cannot be compared with a {rk}", span)
        elif lk == "bool" and op not in ("=", "!="):
            raise PlanError("conditions can only be compared with = or !=", span)
        return n.Compare(op, left.node, right.node)  # type: ignore[arg-type]

    def visit_between(self, expr: m.Between, context: _Context) -> _Lowered:
        value = self.lower(expr.expr, context)
        low = self._comparison(">=", value, self.lower(expr.low, context), expr.span)
        high = self._comparison("<=", value, self.lower(expr.high, context), expr.span)
        low = self._over_periods(low, expr.expr, expr.low, context)
        high = self._over_periods(high, expr.expr, expr.high, context)
        return _Lowered(_logic("and", low, high), t.BOOLEAN)

    def visit_member_of(self, expr: m.MemberOf, context: _Context) -> _Lowered:
        value = self.lower(expr.expr, context)
        if value.node.kind not in ("code", "text"):
            raise PlanError("`in` tests a choice against code-list values", expr.span)
        if expr.codelist is not None:
            symbol = context.owner.resolve(expr.codelist.parts, Scope(context.owner))
            if symbol is None or symbol.codelist is None:
                raise PlanError(f"'{expr.codelist.dotted}' is not a code list", expr.span)
            values = tuple(e.name for e in symbol.codelist.entries)
        else:
            values = expr.values
        return _Lowered(n.InSet(value.node, values), t.BOOLEAN)

    def visit_contains(self, expr: m.Contains, context: _Context) -> _Lowered:
        text = self.lower(expr.text, context)
        part = self.lower(expr.part, context)
        if text.node.kind != "text" or part.node.kind != "text":
            raise PlanError("`contains` looks for a text in a text", expr.span)
        return _Lowered(n.Contains(text.node, part.node), t.BOOLEAN)

    def visit_is_known(self, expr: m.IsKnown, context: _Context) -> _Lowered:
        value = self.lower(expr.expr, context)
        return _Lowered(n.Known(value.node, expr.missing), t.BOOLEAN)

    def visit_within(self, expr: m.Within, context: _Context) -> _Lowered:
        value, anchor, timed = self._window_ends(expr, context)
        sign = -1 if expr.direction == "before" else 1
        shifted = self._shift(anchor, expr.duration, sign, timed)
        low, high = (shifted, anchor) if expr.direction == "before" else (anchor, shifted)
        period = self._period(expr.expr, value, context)
        node = _logic(
            "and",
            _period_compare(">=", period, (low, low)),
            _period_compare("<=", period, (high, high)),
        )
        return _Lowered(node, t.BOOLEAN)

    def visit_at_least(self, expr: m.AtLeast, context: _Context) -> _Lowered:
        value, anchor, timed = self._window_ends(expr, context)
        period = self._period(expr.expr, value, context)
        if expr.direction == "before":
            limit = self._shift(anchor, expr.duration, -1, timed)
            node = _period_compare("<=", period, (limit, limit))
        else:
            limit = self._shift(anchor, expr.duration, 1, timed)
            node = _period_compare(">=", period, (limit, limit))
        return _Lowered(node, t.BOOLEAN)

    def _window_ends(
        self, expr: m.Within | m.AtLeast, context: _Context
    ) -> tuple[n.Node, n.Node, bool]:
        """The value and anchor of a time window, and whether both are dates and times.

        A window between two dates and times is exact; one that involves a date
        compares days (a date and time counts as its date).
        """
        value, anchor = self.lower(expr.expr, context), self.lower(expr.anchor, context)
        for end, source in ((value, expr.expr), (anchor, expr.anchor)):
            if end.node.kind != "date":
                raise PlanError("a date is needed here", source.span)
        timed = [isinstance(end.type, t.Date) and end.type.datetime for end in (value, anchor)]
        if all(timed):
            return value.node, anchor.node, True
        ends = [
            n.DayOf(end.node) if on else end.node
            for end, on in zip((value, anchor), timed, strict=True)
        ]
        return ends[0], ends[1], False

    def _date(self, expr: m.Expr, context: _Context) -> n.Node:
        """A date; a date and time as its date (elapsed time counts calendar days)."""
        lowered = self.lower(expr, context)
        if lowered.node.kind != "date":
            raise PlanError("a date is needed here", expr.span)
        return _day_of(lowered)

    # ------------------------------------------------------------ records

    def _records(self, form: m.Form, owner: Spec, context: _Context) -> tuple[str | None, _Context]:
        use = self.spec.form_use(owner, form)
        table = _table(use)
        inner = _Context(owner, _Record(form, owner, table, None), context.visit)
        return table, inner

    def visit_quantifier(self, expr: m.Quantifier, context: _Context) -> _Lowered:
        form = context.owner.forms.get(expr.form)
        if form is None or not form.repeating:
            raise PlanError(f"'{expr.form}' is not a repeating form", expr.span)
        table, inner = self._records(form, context.owner, context)
        where = (
            self.condition(expr.where, inner, "the filter") if expr.where is not None else n.TRUE
        )
        if expr.kind == "all":
            assert expr.satisfy is not None
            satisfy = self.condition(expr.satisfy, inner, "the condition after `satisfy`")
            condition = satisfy if expr.where is None else _logic("or", n.Not(where), satisfy)
            node: n.Node = n.TRUE if table is None else n.AllRecords(table, condition)
        else:
            node = n.FALSE if table is None else n.AnyRecord(table, where)
        node = self._unless_unrecorded(node, form, context.owner, table, n.Const("bool", None))
        if expr.kind == "none":
            node = n.Not(node)
        return _Lowered(node, t.BOOLEAN)

    def visit_visit_quantifier(self, expr: m.VisitQuantifier, context: _Context) -> _Lowered:
        op = "or" if expr.kind == "any" else "and"
        node: n.Node = n.FALSE if expr.kind == "any" else n.TRUE
        for number, visit in enumerate(visits_in_range(self.spec, expr.start, expr.end)):
            at = self.condition(expr.cond, attrs.evolve(context, visit=visit), "the condition")
            node = at if number == 0 else _logic(op, node, at)
        return _Lowered(node, t.BOOLEAN)

    def visit_aggregate(self, expr: m.Aggregate, context: _Context) -> _Lowered:
        result = self._type(expr, context)
        symbol = context.owner.resolve(expr.target.parts, Scope(context.owner))
        if symbol is None or symbol.form is None or not symbol.form.repeating:
            raise PlanError(
                f"{expr.kind}(…) needs a repeating form or one of its items", expr.target.span
            )
        table, inner = self._records(symbol.form, symbol.owner, context)
        where = (
            self.condition(expr.where, inner, "the filter") if expr.where is not None else n.TRUE
        )
        form, owner = symbol.form, symbol.owner
        if expr.kind == "count":
            if table is None:
                return _Lowered(n.IntervalSum(()), result)
            count = n.Count(table, where)
            return _Lowered(
                self._unless_unrecorded(count, form, owner, table, n.Bounds(0.0, math.inf)),
                result,
            )
        assert inner.record is not None
        value = self._record_member(symbol, inner.record, inner, expr.target.span)
        if value.node.kind not in ("number", "date", "titer"):
            raise PlanError(f"{expr.kind}(…) needs numbers", expr.target.span)
        low, high = self.static_bounds.visit(value.node)
        if expr.kind == "sum":
            if table is None:
                return _Lowered(n.IntervalSum(()), result)
            total = n.Total(table, value.node, where, low, high)
            # an unrecorded log adds an unknown number of values: up from 0 when none is negative
            unknown = n.Bounds(0.0, math.inf) if low >= 0 else n.Bounds(-math.inf, math.inf)
            return _Lowered(self._unless_unrecorded(total, form, owner, table, unknown), result)
        if table is None:
            return _Lowered(n.Const(value.node.kind, None), result)
        if expr.kind in ("mean", "median"):
            if value.node.kind != "number":
                raise PlanError(f"{expr.kind}(…) needs numbers", expr.target.span)
            average: Literal["mean", "median"] = "mean" if expr.kind == "mean" else "median"
            averaged = n.Average(average, table, value.node, where)
            return _Lowered(
                self._unless_unrecorded(averaged, form, owner, table, n.Const("number", None)),
                result,
            )
        op: Literal["min", "max"] = "min" if expr.kind == "min" else "max"
        kind: n.Kind = "interval" if value.node.kind == "number" else value.node.kind
        return _Lowered(n.Extreme(op, table, value.node, where, kind, low, high), result)

    def _unless_unrecorded(
        self, node: n.Node, form: m.Form, owner: Spec, table: str | None, unknown: n.Node
    ) -> n.Node:
        """`node` over a log that is recorded, else `unknown` (see docs/screening.md).

        A subject's log is recorded when it holds a record, or when the form's
        `none_recorded_by` question is answered "no"; an empty or absent log
        is otherwise not recorded, and what it would hold unknown.  The
        condition is two-valued, so every back end picks the same branch.
        """
        if table is None:
            return node
        recorded: n.Node = n.AnyRecord(table, n.TRUE)
        if form.none_recorded_by is not None:
            answer = self.lower(form.none_recorded_by, _Context(owner, None, None)).node
            answered_no = n.Logic("and", (n.Known(answer, False), n.Compare("=", answer, n.FALSE)))
            recorded = n.Logic("or", (recorded, answered_no))
        return n.If(recorded, node, unknown, node.kind)

    # ------------------------------------------------------------ functions

    def visit_call(self, expr: m.Call, context: _Context) -> _Lowered:
        applied = context.owner.application(expr)
        if applied is not None:
            # `check` refuses an application it cannot expand (E1059–E1061)
            assert applied.expansion is not None, applied.problem
            return self.lower(applied.expansion, context)
        name = expr.function
        result = self._type(expr, context)
        if name in ("years_between", "months_between", "days_between"):
            start = self._date(expr.args[0], context)
            end = self._date(expr.args[1], context)
            unit = {"years_between": "year", "months_between": "month"}.get(name, "day")
            return _Lowered(n.Elapsed(unit, start, end), result)  # type: ignore[arg-type]
        if name == "lookup":
            return self._lookup(expr, context, result)
        args = [self.lower(arg, context) for arg in expr.args]
        for arg, source in zip(args, expr.args, strict=True):
            _numeric(arg, source)
        if name == "abs":
            node = args[0].node
            if node.kind == "interval":
                node = n.Collapse(node)
            return _Lowered(n.Abs(node, "number"), result)
        if name in ("least", "greatest"):
            a, b = self._same_unit(args[0], args[1], expr.span)
            left = n.Collapse(a.node) if a.node.kind == "interval" else a.node
            right = n.Collapse(b.node) if b.node.kind == "interval" else b.node
            return _Lowered(n.Extremum(name, left, right, "number"), result)  # type: ignore[arg-type]
        if name in MATH_FUNCTIONS:
            # a partly known number is read as its value when known, as by abs
            operands = tuple(
                n.Collapse(arg.node) if arg.node.kind == "interval" else arg.node for arg in args
            )
            return _Lowered(n.Math(name, operands), result)  # type: ignore[arg-type]
        raise PlanError(f"there is no function '{name}'", expr.span)

    def _lookup(self, expr: m.Call, context: _Context, result: t.Type) -> _Lowered:
        table_ref, key_expr = expr.args
        if not isinstance(table_ref, m.Ref):
            raise PlanError("lookup(…) takes a table name first", expr.span)
        symbol = context.owner.resolve(table_ref.parts, Scope(context.owner))
        if symbol is None or symbol.kind != "table":
            raise PlanError(f"'{table_ref.dotted}' is not a table", table_ref.span)
        table: m.Table = symbol.decl  # type: ignore[assignment]
        key = self.lower(key_expr, context)
        if key.node.kind not in ("code", "text"):
            raise PlanError("a lookup table is looked up by a choice or a text", key_expr.span)
        unit = result.unit if isinstance(result, t.Quantity) else None
        entries = tuple((row.key, _table_value(row.value, unit, row.span)) for row in table.rows)
        kinds = {value.kind for _key, value in entries}
        kind: n.Kind = "number" if kinds <= {"number"} else "text"
        return _Lowered(n.Lookup(key.node, entries, kind), result)


# ---------------------------------------------------------------- helpers


def _period_compare(op: str, a: tuple[n.Node, n.Node], b: tuple[n.Node, n.Node]) -> n.Node:
    """``a op b`` over periods [first, last]: met if it holds for every pair of days,
    not met if for none, else unknown (a plain date is a period of one day).

    Written as ``every or (unknown and some)``, which Kleene logic makes exactly
    that, with the ends that decide each: for ``a < b`` every day holds when
    a's last day is before b's first, some day when a's first is before b's last.
    """
    (a0, a1), (b0, b1) = a, b
    if a0 is a1 and b0 is b1:
        return n.Compare(op, a0, b0)  # type: ignore[arg-type]
    if op in ("<", "<="):
        every: n.Node = n.Compare(op, a1, b0)  # type: ignore[arg-type]
        some: n.Node = n.Compare(op, a0, b1)  # type: ignore[arg-type]
    elif op in (">", ">="):
        every = n.Compare(op, a0, b1)  # type: ignore[arg-type]
        some = n.Compare(op, a1, b0)  # type: ignore[arg-type]
    else:
        # equal on every pair: both one and the same day; on some: the periods overlap
        same = _logic(
            "and",
            _logic("and", n.Compare("=", a0, a1), n.Compare("=", b0, b1)),
            n.Compare("=", a0, b0),
        )
        overlap = _logic("and", n.Compare("<=", a0, b1), n.Compare("<=", b0, a1))
        every, some = (same, overlap) if op == "=" else (n.Not(overlap), n.Not(same))
    return _logic("or", every, _logic("and", n.Const("bool", None), some))


def _day_of(value: _Lowered) -> n.Node:
    """The node of a date, or the date of a date and time."""
    timed = isinstance(value.type, t.Date) and value.type.datetime
    return n.DayOf(value.node) if timed else value.node


def _table(use: FormUse | None) -> str | None:
    return use.storage_name if use is not None else None


def _default_visit(spec: Spec, use: FormUse | None) -> str | None:
    """The eligibility visit if the form is collected there, else the form's first visit."""
    eligibility = spec.eligibility_visit
    if use is None:
        return eligibility
    if eligibility is not None and eligibility in use.visits:
        return eligibility
    return use.visits[0] if use.visits else eligibility


def _code_value(owner: Spec, name: str) -> str | None:
    for spec in owner.all_specs():
        for codelist in spec.codelists.values():
            if codelist.entry(name) is not None:
                return name
    return None


def _logic(op: str, left: n.Node, right: n.Node) -> n.Node:
    """An n-ary and/or: nested operations of the same kind are flattened."""
    args: list[n.Node] = []
    for side in (left, right):
        if isinstance(side, n.Logic) and side.op == op:
            args.extend(side.args)
        else:
            args.append(side)
    return n.Logic(op, tuple(args))  # type: ignore[arg-type]


def _numeric(value: _Lowered, expr: m.Expr) -> None:
    if value.node.kind not in ("number", "interval"):
        raise PlanError("a number is needed here", expr.span)


def _is_constant(value: _Lowered) -> bool:
    return isinstance(value.node, n.Const)


def _convert_constant(node: n.Node, source: str, target: str, span: m.Span) -> n.Node:
    assert isinstance(node, n.Const)
    if node.value is None:
        return node
    try:
        return n.Const("number", convert_exact(Fraction(node.value), source, target))  # type: ignore[arg-type]
    except units.UnitError as error:
        raise PlanError(str(error), span) from None


def _scale(node: n.Node, source: str, target: str, span: m.Span) -> n.Node:
    conversion = unit_conversion(source, target)
    if conversion is None:
        raise PlanError(f"{source} cannot be converted to {target}", span)
    if conversion.is_identity:
        return node
    return n.Scale(
        node, conversion.num, conversion.den, conversion.offset, conversion.digits, node.kind
    )


def _duration(expr: m.Expr) -> tuple[Fraction, str]:
    """A constant duration's amount and UCUM time unit."""
    if isinstance(expr, m.QuantityLit):
        try:
            unit = units.time_unit(expr.quantity.unit)
        except units.UnitError:
            unit = None
        if unit is not None:
            return Fraction(expr.quantity.value), units.format_unit(unit)
    raise PlanError(
        "the length of a time window must be written as a number with a unit of time "
        "(e.g. 12 weeks)",
        expr.span,
    )


_DAY_UNITS = {"d": Fraction(1), "wk": Fraction(7), "h": Fraction(1, 24), "min": Fraction(1, 1440)}
_DAY_UNITS["s"] = Fraction(1, 86400)
_MONTH_UNITS = {"mo": 1, "a": 12}
#: Seconds in a span a date and time moves by exactly.
_SECONDS = {"s": 1, "min": 60, "h": 3600, "d": 86400, "wk": 7 * 86400}


def duration_shift(amount: Fraction, unit: str, sign: int) -> tuple[int, int]:
    """(days, months) that move a date by `sign` × the duration.

    Days and weeks are exact days; months and years are calendar months; a
    fractional month has no calendar meaning and counts UCUM's mean month of
    30.4375 days.  A part of a day does not move a date (dates have no time):
    the whole days of the span count, toward zero (``date - 5 minutes`` is the
    same date, as ``date + 5 hours`` is).
    """
    if unit in _MONTH_UNITS:
        months = amount * _MONTH_UNITS[unit]
        if months.denominator == 1:
            return 0, sign * int(months)
        return sign * round(float(months) * 30.4375), 0
    factor = _DAY_UNITS.get(unit)
    if factor is None:
        raise PlanError(f"'{unit}' is not a unit of time a date can be moved by")
    return int(sign * amount * factor), 0


def _table_value(value: m.Value, unit: str | None, span: m.Span) -> n.Const:
    if value.kind == "number":
        assert isinstance(value.value, (Decimal, Fraction))
        return n.Const("number", Fraction(value.value))
    if value.kind == "quantity":
        assert isinstance(value.value, m.Quantity)
        amount = Fraction(value.value.value)
        if unit is not None and value.value.unit != unit:
            try:
                amount = convert_exact(amount, value.value.unit, unit)
            except units.UnitError as error:
                raise PlanError(str(error), span) from None
        return n.Const("number", amount)
    return n.Const("text", str(value.value))
