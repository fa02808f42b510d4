"""Eligibility criteria as z3 formulas, in three-valued (Kleene) logic.

This module owns the translation of a spec's criteria into formulas over the
data a subject could have.  `logic` and `witness` only ask questions about
the formulas built here.

What a subject is, for the solver
---------------------------------
One variable per item the criteria read: per form and visit for a
non-repeating form (``serology.c3 at SCR``), per record *slot* for a
repeating form (``medications[0].dose_start``; a slot has a ``present``
flag).  Quantities are reals in UCUM base units (an item's variable is in its
declared unit and converted exactly), integers and counts are integers,
titers are their denominator (positive), choices the index of their code-list
entry, yes/no items booleans, dates whole day numbers (`calendar`).  An
item's allowed ``range`` constrains its variable.  Visits have dates within
their windows around study day 1.  Definitions, derived values and scores are
inlined; scores are computed exactly from their descriptors (sum of weights,
or the highest weight per domain).  Attested criteria are left out: any
attestation can be given.

Three-valued logic
------------------
A condition is a pair (t, f) of z3 booleans, "definitely met" and
"definitely not met" (neither: unknown).  A value has a ``known`` boolean,
and a number is an interval [lo, hi] (equal bounds when exact) so that
scores and counts with unknown parts follow the shared interval semantics.
A criterion *passes* when an inclusion is met or an exclusion is not met.

Two modes
---------
``check`` proves that something is impossible ("no subject can be
eligible").  Everything not modelled exactly is over-approximated: the
formulas admit every real subject and maybe more, so *unsatisfiable* is
always true of real subjects, and only unsatisfiability is ever reported.
A satisfiable answer proves nothing, so no finding rests on it.

* Missing data: every item is taken as known, except items some rule tests
  with ``is known`` / ``is missing`` (free ``known`` flag).  Kleene logic is
  monotone, so a subject decided with missing data stays decided whatever the
  missing values are: if some subject is eligible, a completed one is too.
* Repeating forms: quantifiers (any, none, all) are exact over as many slots
  as there are quantifiers over the form; a real subject needs no more, since
  each quantifier needs at most one record as its witness.  `count`, `sum`,
  `min` and `max` are fresh variables, bounded by the slots they can see
  when they aggregate an item (a count is at least the present matching
  slots; a sum of non-negative values at least their sum; a minimum at most
  each of them).
* Calendar arithmetic on a date that is not fixed: n months last n × 30.436875
  days within 5 days; `years_between` / `months_between` satisfy the same
  bounds.  Anything else the encoder cannot express (a type error reported by
  another check, a date and time, a nested quantifier over a form whose
  slots are already laid out) is a fresh unconstrained variable.

``witness`` builds example subjects and must be exact.  Visits have fixed
dates, so calendar arithmetic on anchors is exact; aggregates are computed
exactly over the slots (with spare slots for counts); real values sit on a
0.01 grid so that "greater than 8" has a least value; titers are the standard
dilutions 1:10, 1:20, …; a quantity without a range is not negative (except
temperatures); an item collected only ``when`` a condition holds is known
exactly when it holds.  Calendar arithmetic on a date the solver
chooses stays bounded here and is made exact by `witness` (it pins the dates
and counts of a model to exact values and solves again).  Every place
where the encoding is still not exact is recorded in `Encoder.approximations`,
and `witness` then declines rather than emit a subject that might be wrong.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Literal, NamedTuple, cast

import z3

from protocol_dsl import model as m
from protocol_dsl.semantics import units
from protocol_dsl.semantics.conversions import threshold_on_item_scale
from protocol_dsl.solver import calendar, make
from protocol_dsl.solver.terms import (
    DAY_SECONDS,
    TIME,
    B,
    Calendar,
    Choice,
    CodeName,
    Cond,
    Num,
    Opaque,
    Shown,
    Term,
    Text,
    all_of,
    any_of,
    as_formula,
    base_value,
    both,
    both_exact,
    decided,
    fraction,
    from_base,
    iff,
    implies,
    in_unit,
    ite,
    negation,
    numeral,
    parse_any_unit,
    product_kind,
    same_kind,
    scale,
    to_base,
    total,
    val,
)
from protocol_dsl.spec import (
    FormUse,
    Scope,
    Spec,
    Symbol,
    expressions,
    previous_visit,
    visits_in_range,
    walk_scoped,
)
from protocol_dsl.syntax import printer
from protocol_dsl.visitor import ExprVisitor

Mode = Literal["check", "witness"]

#: Witness dates stay within these years, so that they print as ISO dates.
EARLIEST = calendar.day_number(_dt.date(1900, 1, 1))
LATEST = calendar.day_number(_dt.date(2100, 12, 31))

#: Real values of witnesses are multiples of 1/GRID.
GRID = 100

#: Titers of witnesses: the standard two-fold dilutions from 1:10.
DILUTIONS = tuple(10 * 2**k for k in range(13))

_CALENDAR_UNITS = {"mo": 1, "mo_j": 1, "mo_g": 1, "mo_s": 1, "a": 12, "a_j": 12, "a_g": 12}
_CALENDAR_UNITS.update({"a_t": 12})

# ---------------------------------------------------------------- variables of the data


class Position(NamedTuple):
    """Where an item's value sits: at a visit (non-repeating form) or in a record slot."""

    visit: str | None
    slot: int | None


class Field:
    """One item variable of the subject: its form, position, kind and z3 variable."""

    __slots__ = ("codelist", "form", "item", "known", "position", "unit", "use", "var")

    def __init__(
        self,
        use: FormUse,
        position: Position,
        item: m.Item,
        var: z3.ExprRef,
        known: B,
        unit: units.Unit | None,
        codelist: tuple[str, ...] | None,
    ):
        self.use = use
        self.position = position
        self.item = item
        self.var = var
        self.known = known
        self.unit = unit
        self.codelist = codelist
        self.form = use.form


class Slot:
    """A record of a repeating form that the subject may have (`present`)."""

    __slots__ = ("index", "present", "use")

    def __init__(self, use: FormUse, index: int, present: B):
        self.use = use
        self.index = index
        self.present = present


class Ctx(NamedTuple):
    """Where an expression is encoded: its spec, record scope and visit."""

    owner: Spec
    record: m.Form | None = None
    use: FormUse | None = None
    slot: int | None = None
    visit: str | None = None


AtomKey = tuple


class Atom:
    """A numeric or date comparison inside a criterion, for boundary witnesses.

    The comparison holds when ``big - small`` is >= 0 (or > 0 when `strict`);
    `display` lists the terms a person would read the boundary by.  Slacks are
    in the unit a person reads the values in (mg/d, not the base unit g/s), so
    that "one grid step away" means the same for every comparison.
    """

    __slots__ = ("big", "cond", "display", "key", "node", "record", "scale", "small", "strict")

    def __init__(
        self,
        key: AtomKey,
        node: m.Expr,
        cond: Cond,
        big: Num,
        small: Num,
        strict: bool,
        display: list[tuple[str, Num]],
        record: str | None,
    ):
        self.key = key
        self.node = node
        self.cond = cond
        self.big = big
        self.small = small
        self.strict = strict
        self.display = display
        self.record = record
        unit = big.unit or small.unit
        factor = (
            Fraction(*parse_any_unit(unit).exact_factor)
            if big.kind == "quantity" and unit
            else Fraction(1)
        )
        self.scale = val(1 / factor, big.lo.ctx)

    def slack_true(self) -> z3.ArithRef:
        """How far the comparison is from failing (>= 0, or > 0 if strict, when it holds)."""
        return (self.big.lo - self.small.hi) * self.scale

    def slack_false(self) -> z3.ArithRef:
        """How far the comparison is from holding, when it fails."""
        return (self.small.lo - self.big.hi) * self.scale


class CalendarShift(NamedTuple):
    """A date shifted by calendar months when the date is not fixed: `result` = `date` + n months."""

    date: z3.ArithRef
    months: Fraction
    result: z3.ArithRef


class CalendarCount(NamedTuple):
    """`count` = completed years/months from `first` to `second`, bounded, not exact."""

    first: z3.ArithRef
    second: z3.ArithRef
    unit_months: int
    count: z3.ArithRef


class Instance:
    """A quantifier or aggregate over a repeating form, encoded once its slots exist."""

    __slots__ = (
        "criterion",
        "form",
        "key",
        "kind",
        "node",
        "override",
        "owner",
        "result",
        "target",
        "use",
        "variant",
        "visit",
    )

    def __init__(
        self,
        *,
        key: AtomKey,
        kind: str,
        node: m.Quantifier | m.Aggregate,
        owner: Spec,
        form: m.Form,
        use: FormUse,
        visit: str | None,
        result: Cond | Num,
        target: Symbol | None,
        variant: tuple,
        criterion: str | None,
        override: dict[AtomKey, Cond],
    ) -> None:
        self.key = key
        self.kind = kind
        self.node = node
        self.owner = owner
        self.form = form
        self.use = use
        self.visit = visit
        self.result = result
        self.target = target
        self.variant = variant
        self.criterion = criterion
        self.override = override


def _calendar_months(unit: units.Unit) -> int | None:
    return _CALENDAR_UNITS.get(unit.text)


def _study_offset(day: int) -> int:
    """Days from study day 1 to study day `day` (there is no day 0)."""
    return day - 1 if day > 0 else day


# ---------------------------------------------------------------- the encoder


class Encoder(ExprVisitor[Term, [Ctx]]):
    """Encodes the formal criteria of one spec; see the module docstring for the modes."""

    def __init__(
        self,
        spec: Spec,
        mode: Mode,
        *,
        visit_dates: dict[str, int] | None = None,
        spare_records: int = 2,
        max_records: int = 12,
        ctx: z3.Context | None = None,
        helpers: str = "",
        knowable: set[tuple[int, str, str]] | None = None,
    ):
        self.spec = spec
        self.mode: Mode = mode
        #: A context of its own: z3's answers depend on what else a context holds, and
        #: witnesses must be the same bytes however many specs a process has encoded.
        #: Two encoders given one context (two versions of a criterion over one subject)
        #: share the subject's variables by name: its items, record slots and visit dates;
        #: `helpers` keeps each encoder's own helper variables apart (`sum:…!previous5`).
        self.ctx = z3.Context() if ctx is None else ctx
        self._helpers = helpers
        self._zero = make.int_val(0, self.ctx)
        self._one = make.int_val(1, self.ctx)
        self.visit_dates = dict(visit_dates or {})
        self.spare_records = spare_records
        self.max_records = max_records
        #: Domain constraints: ranges, slots, links of quantifiers and aggregates.
        self.constraints: list[B] = []
        #: Witness mode: where the encoding is not exact (reason, criterion).
        self.approximations: list[tuple[str, str | None]] = []
        #: Item variables, in the order they were first read.
        self.fields: dict[tuple[str, Position, str], Field] = {}
        #: Record slots per form key.
        self.slots: dict[str, list[Slot]] = {}
        #: Visit dates the criteria read, with their variables.
        self.visits: dict[str, z3.ArithRef] = {}
        #: Witness mode: numeric comparisons per criterion, for boundaries.
        self.atoms: dict[str, list[Atom]] = {}
        self.shifts: list[CalendarShift] = []
        self.counts: list[CalendarCount] = []
        self.criteria: dict[str, Cond] = {}
        self._cache: dict[tuple, object] = {}
        self._calendar: dict[tuple, z3.ArithRef] = {}
        self._bound_numerals: dict[Fraction, z3.ArithRef] = {}
        #: A lookup table's values, made once per table (a lookup reads them per record).
        self._table_values: dict[int, list[tuple[str, Term]]] = {}
        #: The lookups chained, by the id of the chain: (chain, the rows after the first as
        #: (condition, value), the first row's value), kept to scale them row by row.
        self._chains: dict[int, tuple[z3.ArithRef, list[tuple[B, z3.ArithRef]], z3.ArithRef]] = {}
        self._pending: list[Instance] = []
        self._laid_out: set[str] = set()
        self._fresh = 0
        self._variant: tuple = ()
        self._criterion: str | None = None
        self._override: dict[AtomKey, Cond] = {}
        self._in_progress: set[tuple] = set()
        self._knowable = items_tested_for_missing(spec) if knowable is None else knowable
        self._day_one: z3.ArithRef | None = None
        #: a criterion encoded again (`criterion_again`): its quantifiers are linked
        self._again = False

    # ------------------------------------------------------------ public

    def criterion(self, criterion: m.Criterion) -> Cond:
        """The condition of a formal criterion (encoded once)."""
        found = self.criteria.get(criterion.id)
        if found is not None:
            return found
        assert criterion.rule is not None
        variant = ("criterion", criterion.id) if self.mode == "witness" else ()
        cond = self._encode_rule(criterion, variant, criterion.id, {})
        self.criteria[criterion.id] = cond
        return cond

    def criterion_again(self, criterion: m.Criterion) -> Cond:
        """The condition of a new version of a criterion encoded before (`kept`): what the
        earlier version added (its variables' constraints, its quantifiers' links) stays.

        Its quantifiers are linked to the record slots laid out already.  Only for a
        version that differs from the earlier one in its numbers: it has as many
        quantifiers over each log, so a fresh encoding lays out as many slots."""
        self.criteria.pop(criterion.id, None)
        self._again = True
        try:
            return self.criterion(criterion)
        finally:
            self._again = False

    def with_override(self, criterion: m.Criterion, key: AtomKey, value: bool) -> Cond:
        """The criterion with one comparison replaced by a constant (for boundaries)."""
        variant = ("override", criterion.id, key, value)
        return self._encode_rule(criterion, variant, None, {key: Cond.const(value)})

    def finalize(self) -> None:
        """Lay out record slots and encode the quantifiers and aggregates over them."""
        while self._pending:
            batch, self._pending = self._pending, []
            self._lay_out(batch)
            for instance in batch:
                self._link(instance)

    @staticmethod
    def passes(criterion: m.Criterion, cond: Cond) -> B:
        return cond.t if criterion.kind == "inclusion" else cond.f

    @staticmethod
    def fails(criterion: m.Criterion, cond: Cond) -> B:
        return cond.f if criterion.kind == "inclusion" else cond.t

    # ------------------------------------------------------------ rules

    def _encode_rule(
        self,
        criterion: m.Criterion,
        variant: tuple,
        attribute: str | None,
        override: dict[AtomKey, Cond],
    ) -> Cond:
        saved = (self._variant, self._criterion, self._override)
        self._variant, self._criterion, self._override = variant, attribute, override
        try:
            assert criterion.rule is not None
            cond = self._cond(self.encode(criterion.rule, Ctx(self.spec)))
        finally:
            self._variant, self._criterion, self._override = saved
        if self._laid_out:
            self.finalize()
        return cond

    # ------------------------------------------------------------ fresh variables

    def _name(self, stem: str) -> str:
        self._fresh += 1
        return f"{stem}!{self._helpers}{self._fresh}"

    def fresh_cond(self, reason: str) -> Cond:
        self._approximate(reason)
        t = make.bool_const(self._name("t"), self.ctx)
        f = make.bool_const(self._name("f"), self.ctx)
        self._add(negation(all_of(t, f)))
        return Cond(t, f)

    def _add(self, *terms: B) -> None:
        for term in terms:
            if term is not True:
                self.constraints.append(as_formula(term, self.ctx))

    def _approximate(self, reason: str) -> None:
        if self.mode == "witness":
            self.approximations.append((reason, self._criterion))

    def _cond(self, term: Term) -> Cond:
        if isinstance(term, Cond):
            return term
        if isinstance(term, Opaque):
            return self.fresh_cond(term.reason)
        return self.fresh_cond("a value used as a condition")

    # ------------------------------------------------------------ dispatch

    def encode(self, node: m.Expr, ctx: Ctx) -> Term:
        try:
            return self.visit(node, ctx)
        except z3.Z3Exception as error:
            # mixed sorts from an ill-typed rule (reported by the type checks)
            return Opaque(f"ill-typed expression ({error})")

    # literals

    def visit_number_lit(self, node: m.NumberLit, ctx: Ctx) -> Term:
        return Num(val(node.value, self.ctx))

    def visit_quantity_lit(self, node: m.QuantityLit, ctx: Ctx) -> Term:
        return self._quantity(node.quantity)

    def _quantity(self, quantity: m.Quantity) -> Term:
        try:
            unit = parse_any_unit(quantity.unit)
        except units.UnitError:
            return Opaque(f"unit '{quantity.unit}' is not recognised")
        value = fraction(quantity.value)
        num = Num(val(base_value(value, unit), self.ctx), kind="quantity", dim=unit.dimension)
        num.unit = unit.text
        months = _calendar_months(unit)
        if months is not None:
            return Calendar(value * months, num)
        return num

    def visit_text_lit(self, node: m.TextLit, ctx: Ctx) -> Term:
        return Text(z3.StringVal(node.value, self.ctx), True)

    def visit_date_lit(self, node: m.DateLit, ctx: Ctx) -> Term:
        return Num(make.int_val(calendar.day_number(node.value), self.ctx), kind="date")

    def visit_titer_lit(self, node: m.TiterLit, ctx: Ctx) -> Term:
        return Num(make.int_val(node.denominator, self.ctx), kind="titer")

    def visit_bool_lit(self, node: m.BoolLit, ctx: Ctx) -> Term:
        return Cond.const(node.value)

    # names

    def visit_ref(self, node: m.Ref, ctx: Ctx) -> Term:
        symbol = self.spec.resolve(node.parts, Scope(ctx.owner, ctx.record))
        if symbol is None:
            return Opaque(f"'{node.dotted}' is not defined")
        return self._symbol(symbol, ctx, node)

    def _symbol(self, symbol: Symbol, ctx: Ctx, node: m.Ref) -> Term:
        kind = symbol.kind
        if kind == "item":
            return self._item(symbol, ctx)
        if kind == "derive":
            return self._derive(symbol, ctx)
        if kind == "define":
            return self._define(symbol, ctx)
        if kind in ("score", "score_part"):
            return self._score(symbol, ctx)
        if kind == "anchor":
            return self._anchor(symbol, ctx)
        if kind == "value":
            assert symbol.codelist is not None
            return CodeName(node.parts[-1], tuple(e.name for e in symbol.codelist.entries))
        if len(node.parts) == 1:
            # a plain name that is also a code list's name (class = antimalarial): next to
            # a choice it is read as a value of the choice's own code list
            return CodeName(node.parts[0], ())
        return Opaque(f"'{node.dotted}' ({kind}) has no value")

    def visit_at_visit(self, node: m.AtVisit, ctx: Ctx) -> Term:
        return self.encode(node.expr, ctx._replace(visit=node.visit))

    def visit_at_previous(self, node: m.AtPrevious, ctx: Ctx) -> Term:
        previous = previous_visit(self.spec, ctx.visit)
        if previous is None:
            return Opaque("a value at the previous visit, read at no visit or at the first")
        return self.encode(node.expr, ctx._replace(visit=previous))

    def _define(self, symbol: Symbol, ctx: Ctx) -> Term:
        decl: m.Define = symbol.decl  # type: ignore[assignment]
        key = (self._variant, "define", id(decl), ctx.visit)
        return self._cached(key, lambda: self.encode(decl.expr, Ctx(symbol.owner, visit=ctx.visit)))

    def _derive(self, symbol: Symbol, ctx: Ctx) -> Term:
        decl: m.Derive = symbol.decl  # type: ignore[assignment]
        form = symbol.form
        assert form is not None
        use = self.spec.form_use(symbol.owner, form)
        if use is None:
            return Opaque(f"the form '{form.name}' is never collected")
        if form.repeating and (ctx.use is not use or ctx.slot is None):
            return Opaque(f"'{decl.name}' of a repeating form read outside its records")
        visit = None if form.repeating else (ctx.visit or self._default_visit(use))
        inner = Ctx(symbol.owner, form, use, ctx.slot, visit)
        key = (self._variant, "derive", id(decl), use.key, ctx.slot, visit)
        return self._cached(key, lambda: self.encode(decl.expr, inner))

    def _cached(self, key: tuple, build: Callable[[], Term]) -> Term:
        found = self._cache.get(key)
        if found is not None:
            return found  # type: ignore[return-value]
        if key in self._in_progress:
            return Opaque("a definition that refers to itself")
        self._in_progress.add(key)
        try:
            term = build()
        finally:
            self._in_progress.discard(key)
        self._cache[key] = term
        return term

    def _anchor(self, symbol: Symbol, ctx: Ctx) -> Term:
        anchor: m.Anchor = symbol.decl  # type: ignore[assignment]
        if anchor.visit is not None:
            return self.visit_date(anchor.visit)
        assert anchor.expr is not None
        key = (self._variant, "anchor", id(anchor))
        expr = anchor.expr
        return self._cached(key, lambda: self.encode(expr, Ctx(symbol.owner)))

    # ------------------------------------------------------------ visits

    def visit_date(self, name: str) -> Num:
        var = self.visits.get(name)
        if var is None:
            if name in self.visit_dates:
                var = make.int_val(self.visit_dates[name], self.ctx)
            else:
                var = make.int_const(f"visit:{name}", self.ctx)
                self._schedule(name, var)
            self.visits[name] = var
        return Num(var, kind="date")

    def _schedule(self, name: str, var: z3.ArithRef) -> None:
        """A visit happens within its window around study day 1 (the window is the protocol's)."""
        if self.mode == "witness":
            self._add(var >= EARLIEST, var <= LATEST)
        visit = self.spec.visits.get(name)
        if visit is None or visit.earliest is None or visit.latest is None:
            return
        if self._day_one is None:
            self._day_one = make.int_const("study_day_1", self.ctx)
        self._add(
            var >= self._day_one + _study_offset(visit.earliest),
            var <= self._day_one + _study_offset(visit.latest),
        )

    def _default_visit(self, use: FormUse) -> str | None:
        eligibility = self.spec.eligibility_visit
        if eligibility is not None and eligibility in use.visits:
            return eligibility
        return use.visits[0] if use.visits else None

    # ------------------------------------------------------------ items

    def _item(self, symbol: Symbol, ctx: Ctx) -> Term:
        form = symbol.form
        item: m.Item = symbol.decl  # type: ignore[assignment]
        assert form is not None
        use = self.spec.form_use(symbol.owner, form)
        if use is None:
            return Opaque(f"the form '{form.name}' is never collected")
        if item.partial and item.impute is None:
            # a period of days, not one date: "is known" and the comparisons differ
            return Opaque(f"'{item.name}' may be known to the month or year only")
        if form.repeating:
            if ctx.use is not use or ctx.slot is None:
                return Opaque(f"'{item.name}' of a repeating form read outside its records")
            position = Position(None, ctx.slot)
        else:
            position = Position(ctx.visit or self._default_visit(use), None)
        codelist = symbol.codelist
        entries = tuple(e.name for e in codelist.entries) if codelist is not None else None
        field = self._field(use, position, item, symbol.owner, entries)
        if field is None:
            return Opaque(f"the item '{item.name}' ({item.type.kind}) is not modelled")
        return self._field_term(field)

    def _field(
        self,
        use: FormUse,
        position: Position,
        item: m.Item,
        owner: Spec,
        entries: tuple[str, ...] | None,
    ) -> Field | None:
        key = (use.key, position, item.name)
        found = self.fields.get(key)
        if found is not None:
            return found
        kind = item.type.kind
        where = f"{use.key}[{position.slot}]" if position.slot is not None else use.key
        name = f"{where}.{item.name}" + (f"@{position.visit}" if position.visit else "")
        unit = None
        if kind in ("number", "quantity"):
            if kind == "quantity":
                try:
                    unit = parse_any_unit(item.type.unit or "")
                except units.UnitError:
                    return None
            var: z3.ExprRef = make.real_const(name, self.ctx)
        elif kind in ("integer", "titer", "date", "choice"):
            if kind == "choice" and entries is None:
                return None
            var = make.int_const(name, self.ctx)
        elif kind == "yes_no":
            var = make.bool_const(name, self.ctx)
        elif kind == "text":
            var = z3.String(name, self.ctx)
        else:  # datetime: times of day are not modelled
            return None
        field = Field(use, position, item, var, True, unit, entries)
        self.fields[key] = field
        self._domain(field)
        field.known = self._known(field, owner, name)
        return field

    def _known(self, field: Field, owner: Spec, name: str) -> B:
        item = field.item
        if (id(owner), field.form.name, item.name) in self._knowable:
            return make.bool_const(f"known:{name}", self.ctx)
        if self.mode == "witness" and item.when is not None:
            # collected only when its condition holds: known exactly then
            ctx = Ctx(owner, field.form, field.use, field.position.slot, field.position.visit)
            saved = (self._variant, self._criterion, self._override)
            self._variant, self._criterion, self._override = ("when",), None, {}
            try:
                condition = self._cond(self.encode(item.when, ctx))
            finally:
                self._variant, self._criterion, self._override = saved
            return condition.t
        return True

    def _domain(self, field: Field) -> None:
        item, var, kind = field.item, field.var, field.item.type.kind
        add = self._add
        if item.range is not None and kind in ("number", "integer", "quantity"):
            low = self._bound(item.range.low, field.unit)
            high = self._bound(item.range.high, field.unit)
            if low is not None and high is not None and low <= high:
                add(make.compare(">=", var, self._bound_numeral(low)))
                add(make.compare("<=", var, self._bound_numeral(high)))
        if kind == "choice":
            assert field.codelist is not None
            add(make.compare(">=", var, self._zero))
            add(make.compare("<", var, make.int_val(len(field.codelist), self.ctx)))
        elif kind == "titer":
            if self.mode == "witness":
                add(any_of([var == d for d in DILUTIONS]))
            else:
                add(make.compare(">=", var, self._one))
        elif kind == "date" and self.mode == "witness":
            add(var >= EARLIEST)
            add(var <= LATEST)
        if self.mode == "witness" and kind == "quantity" and item.range is None:
            # an example laboratory value is never negative (a temperature may be)
            assert field.unit is not None
            if field.unit.exact_offset == (0, 1):
                add(var >= 0)
        if self.mode == "witness" and kind in ("number", "quantity"):
            steps = make.int_const(f"grid:{var}", self.ctx)
            add(var * GRID == z3.ToReal(steps))

    def _bound_numeral(self, value: Fraction) -> z3.ArithRef:
        """The numeral of a range bound, made once per value: many items share their
        bounds.  (Only for domain constraints: the numerals of values are made afresh,
        as `Num.exact` tells bounds apart by identity.)"""
        found = self._bound_numerals.get(value)
        if found is None:
            found = self._bound_numerals[value] = val(value, self.ctx)
        return found

    @staticmethod
    def _bound(bound: Decimal | m.Quantity, unit: units.Unit | None) -> Fraction | None:
        if isinstance(bound, m.Quantity):
            if unit is None:
                return None
            try:
                other = parse_any_unit(bound.unit)
            except units.UnitError:
                return None
            if other.dimension != unit.dimension:
                return None
            return from_base(base_value(fraction(bound.value), other), unit)
        return fraction(bound)

    def _field_term(self, field: Field) -> Term:
        kind = field.item.type.kind
        var, known = field.var, field.known
        if kind == "yes_no":
            if known is True:
                return Cond(var)
            return decided(known, var)
        if kind == "choice":
            assert field.codelist is not None
            return Choice(var, field.codelist, known)
        if kind == "text":
            return Text(var, known)
        if kind == "quantity":
            assert field.unit is not None
            num = Num(to_base(var, field.unit), None, known, "quantity", field.unit.dimension)
            num.unit = field.unit.text
            return num
        if kind == "date":
            return Num(var, None, known, "date")
        if kind == "titer":
            return Num(var, None, known, "titer")
        return Num(var, None, known, "number")

    # ------------------------------------------------------------ scores

    def _score(self, symbol: Symbol, ctx: Ctx) -> Term:
        decl = symbol.decl
        resolved = (
            symbol.owner.score_base(decl) if isinstance(decl, m.Score | m.ScoreVariant) else None
        )
        if resolved is None:
            return Opaque("a score whose base score cannot be found")
        owner, score, without = resolved
        part = symbol.part
        if score.form is None:
            form = None
            use = None
        else:
            found = owner.resolve(score.form.parts, Scope(owner))
            form = found.form if found is not None and found.kind == "form" else None
            use = self.spec.form_use(owner, form) if form is not None else None
            if form is None or use is None or form.repeating:
                return Opaque(f"the form of the score '{score.name}' is not collected")
        visit = ctx.visit or (self._default_visit(use) if use is not None else None)
        key = (self._variant, "score", id(score), without, part, visit)
        return self._cached(
            key, lambda: self._score_value(owner, score, without, part, form, use, visit)
        )

    def _score_value(
        self,
        owner: Spec,
        score: m.Score,
        without: frozenset[str],
        part: str | None,
        form: m.Form | None,
        use: FormUse | None,
        visit: str | None,
    ) -> Term:
        ctx = Ctx(owner, form, use, None, visit)
        lows: list[z3.ArithRef] = []
        highs: list[z3.ArithRef] = []
        for domain in score.domains:
            if part is not None and part != domain.name and part not in domain.tags:
                continue
            descriptors: list[tuple[Fraction, Cond]] = []
            for item in domain.items:
                if item.name in without:
                    continue
                if item.expr is not None:
                    term = self.encode(item.expr, ctx)
                elif form is not None and form.item(item.name) is not None:
                    term = self.encode(m.Ref((item.name,), span=item.span), ctx)
                else:
                    term = Opaque(f"score item '{item.name}' reads nothing")
                descriptors.append((fraction(item.weight), self._cond(term)))
            if score.rule == "highest_per_domain":
                ordered = sorted(descriptors, key=lambda d: -d[0])
                low: z3.ArithRef = make.int_val(0, self.ctx)
                high: z3.ArithRef = make.int_val(0, self.ctx)
                for weight, cond in reversed(ordered):
                    low = ite(cond.t, val(weight, self.ctx), low)
                    high = ite(negation(cond.f), val(weight, self.ctx), high)
                lows.append(low)
                highs.append(high)
            else:
                for weight, cond in descriptors:
                    lows.append(ite(cond.t, val(weight, self.ctx), make.int_val(0, self.ctx)))
                    highs.append(ite(cond.f, make.int_val(0, self.ctx), val(weight, self.ctx)))
        return Num(total(lows, self._zero), total(highs, self._zero), True, "number")

    # ------------------------------------------------------------ logic

    def visit_not(self, node: m.Not, ctx: Ctx) -> Term:
        return self._cond(self.encode(node.expr, ctx)).negate()

    def visit_logic(self, node: m.Logic, ctx: Ctx) -> Term:
        left = self._cond(self.encode(node.left, ctx))
        right = self._cond(self.encode(node.right, ctx))
        if node.op == "implies":
            left = left.negate()
        two = left.two_valued and right.two_valued
        if node.op == "and":
            return Cond(all_of(left.t, right.t), None if two else any_of(left.f, right.f))
        return Cond(any_of(left.t, right.t), None if two else all_of(left.f, right.f))

    def visit_conditional(self, node: m.Conditional, ctx: Ctx) -> Term:
        c = self._cond(self.encode(node.condition, ctx))
        a = self.encode(node.then, ctx)
        b = self.encode(node.otherwise, ctx)
        if isinstance(a, Cond) and isinstance(b, Cond):
            return Cond(
                any_of(all_of(c.t, a.t), all_of(c.f, b.t)),
                any_of(all_of(c.t, a.f), all_of(c.f, b.f)),
            )
        a, b = self._unify(a, b)
        if isinstance(a, Num) and isinstance(b, Num) and same_kind(a, b):
            known = any_of(all_of(c.t, a.known), all_of(c.f, b.known))
            return a.like(ite(c.t, a.lo, b.lo), ite(c.t, a.hi, b.hi), known)
        return Opaque("if-then-else over values of different kinds")

    def visit_visit_quantifier(self, node: m.VisitQuantifier, ctx: Ctx) -> Term:
        visits = visits_in_range(self.spec, node.start, node.end)
        if not visits:
            return Cond(node.kind == "all", node.kind == "any")
        conds = [self._cond(self.encode(node.cond, ctx._replace(visit=v))) for v in visits]
        two = all(c.two_valued for c in conds)
        if node.kind == "all":
            return Cond(
                all_of(*(c.t for c in conds)), None if two else any_of(*(c.f for c in conds))
            )
        return Cond(any_of(*(c.t for c in conds)), None if two else all_of(*(c.f for c in conds)))

    def visit_contains(self, node: m.Contains, ctx: Ctx) -> Term:
        # text containment is outside the solver's theories: any truth value is possible
        return self.fresh_cond("a text that contains a text")

    def visit_is_known(self, node: m.IsKnown, ctx: Ctx) -> Term:
        term = self.encode(node.expr, ctx)
        if isinstance(term, Cond):
            known = any_of(term.t, term.f)
        elif isinstance(term, (Num, Choice, Text)):
            known = term.known
        elif isinstance(term, (CodeName, Calendar)):
            known = True
        else:
            return term
        cond = Cond(known)
        return cond.negate() if node.missing else cond

    # ------------------------------------------------------------ comparisons

    def visit_compare(self, node: m.Compare, ctx: Ctx) -> Term:
        # a threshold on another scale is encoded in its item's unit; the atom stays `node`
        scaled = threshold_on_item_scale(self.spec, Scope(ctx.owner, ctx.record), node)
        left = self.encode(scaled.left, ctx)
        right = self.encode(scaled.right, ctx)
        shown = ((node.left, left), (node.right, right))
        return self._compare(node, node.op, left, right, ctx, shown, 0)

    def _compare(
        self,
        node: m.Expr,
        op: str,
        left: Term,
        right: Term,
        ctx: Ctx,
        shown: Shown,
        part: int,
    ) -> Term:
        if isinstance(left, Opaque):
            return left
        if isinstance(right, Opaque):
            return right
        if op in ("=", "!="):
            cond = self._equal(node, left, right, ctx, shown, part)
            if isinstance(cond, Cond) and op == "!=":
                return cond.negate()
            return cond
        left, right = self._unify(left, right)
        if not (isinstance(left, Num) and isinstance(right, Num)) or not same_kind(left, right):
            return Opaque("an order comparison of values that have no common order")
        if op in ("<=", "<"):
            big, small = right, left
        else:
            big, small = left, right
        strict = op in ("<", ">")
        return self._atom(node, part, ctx, big, small, strict, shown)

    def _atom(
        self,
        node: m.Expr,
        part: int,
        ctx: Ctx,
        big: Num,
        small: Num,
        strict: bool,
        shown: Shown,
    ) -> Cond:
        key: AtomKey = (id(node), part, ctx.visit, ctx.use.key if ctx.use else None, ctx.slot)
        override = self._override.get(key)
        if override is not None:
            return override
        known = all_of(big.known, small.known)
        compare = make.compare
        if known is True and big.exact and small.exact:
            cond = Cond(compare(">" if strict else ">=", big.lo, small.lo))
        else:
            if strict:
                t, f = compare(">", big.lo, small.hi), compare("<=", big.hi, small.lo)
            else:
                t, f = compare(">=", big.lo, small.hi), compare("<", big.hi, small.lo)
            cond = Cond(all_of(known, t), all_of(known, f))
        if self._criterion is not None and self.mode == "witness":
            display = [
                (printer.expr(e), v) for e, v in shown if isinstance(v, Num) and not _is_literal(e)
            ]
            record = ctx.use.key if ctx.slot is not None and ctx.use is not None else None
            atom = Atom(key, node, cond, big, small, strict, display, record)
            self.atoms.setdefault(self._criterion, []).append(atom)
        return cond

    def _equal(
        self,
        node: m.Expr,
        left: Term,
        right: Term,
        ctx: Ctx,
        shown: Shown,
        part: int,
    ) -> Term:
        if isinstance(left, Cond) and isinstance(right, Cond):
            return Cond(
                any_of(all_of(left.t, right.t), all_of(left.f, right.f)),
                any_of(all_of(left.t, right.f), all_of(left.f, right.t)),
            )
        if isinstance(left, (Choice, CodeName)) and isinstance(right, (Choice, CodeName)):
            return self._choice_equal(left, right)
        if isinstance(left, Text) and isinstance(right, Text):
            known = all_of(left.known, right.known)
            same = left.value == right.value
            return decided(known, same)
        left, right = self._unify(left, right)
        if isinstance(left, Num) and isinstance(right, Num) and same_kind(left, right):
            # equal = at least and at most: two comparisons, each with its own boundary
            ge = self._atom(node, part + 10, ctx, left, right, False, shown)
            le = self._atom(node, part + 20, ctx, right, left, False, shown)
            return both(ge, le)
        return Opaque("an equality of values of different kinds")

    def _choice_equal(self, left: Choice | CodeName, right: Choice | CodeName) -> Term:
        if isinstance(left, CodeName):
            left, right = right, left
        if isinstance(left, CodeName):
            assert isinstance(right, CodeName)
            return Cond.const(left.name == right.name)
        assert isinstance(left, Choice)
        if isinstance(right, CodeName):
            if right.name not in left.entries:
                return decided(left.known, False)
            same = make.is_index(left.value, left.entries.index(right.name))
            return decided(left.known, same)
        known = all_of(left.known, right.known)
        if left.entries == right.entries:
            same = left.value == right.value
        else:
            pairs = [
                all_of(
                    make.is_index(left.value, i),
                    make.is_index(right.value, right.entries.index(name)),
                )
                for i, name in enumerate(left.entries)
                if name in right.entries
            ]
            same = any_of(*pairs) if pairs else False
        return decided(known, same)

    def visit_between(self, node: m.Between, ctx: Ctx) -> Term:
        value = self.encode(node.expr, ctx)
        low = self.encode(node.low, ctx)
        high = self.encode(node.high, ctx)
        above = self._compare(node, ">=", value, low, ctx, ((node.expr, value), (node.low, low)), 0)
        below = self._compare(
            node, "<=", value, high, ctx, ((node.expr, value), (node.high, high)), 1
        )
        a, b = self._cond(above), self._cond(below)
        return both(a, b)

    def visit_member_of(self, node: m.MemberOf, ctx: Ctx) -> Term:
        term = self.encode(node.expr, ctx)
        if node.codelist is not None:
            symbol = self.spec.resolve(node.codelist.parts, Scope(ctx.owner))
            if symbol is None or symbol.codelist is None:
                return Opaque("an unknown code list")
            names: tuple[str, ...] = tuple(e.name for e in symbol.codelist.entries)
        else:
            names = node.values
        if isinstance(term, CodeName):
            return Cond.const(term.name in names)
        if not isinstance(term, Choice):
            return Opaque("'in' on a value that is not a choice")
        same = [
            make.is_index(term.value, term.entries.index(n)) for n in names if n in term.entries
        ]
        hit = any_of(*same) if same else False
        return decided(term.known, hit)

    # ------------------------------------------------------------ time windows

    def visit_within(self, node: m.Within, ctx: Ctx) -> Term:
        value = self.encode(node.expr, ctx)
        duration = self.encode(node.duration, ctx)
        anchor = self.encode(node.anchor, ctx)
        sign = -1 if node.direction == "before" else 1
        edge = self._shift(anchor, duration, sign)
        if node.direction == "before":
            low, high = edge, anchor
        else:
            low, high = anchor, edge
        shown = ((node.expr, value), (node.anchor, anchor))
        above = self._cond(self._window(node, ">=", value, low, ctx, shown, 0))
        below = self._cond(self._window(node, "<=", value, high, ctx, shown, 1))
        return both(above, below)

    def visit_at_least(self, node: m.AtLeast, ctx: Ctx) -> Term:
        value = self.encode(node.expr, ctx)
        duration = self.encode(node.duration, ctx)
        anchor = self.encode(node.anchor, ctx)
        sign = -1 if node.direction == "before" else 1
        edge = self._shift(anchor, duration, sign)
        op = "<=" if node.direction == "before" else ">="
        shown = ((node.expr, value), (node.anchor, anchor))
        return self._window(node, op, value, edge, ctx, shown, 0)

    def _window(
        self,
        node: m.Expr,
        op: str,
        value: Term,
        edge: Term,
        ctx: Ctx,
        shown: Shown,
        part: int,
    ) -> Term:
        if not (isinstance(value, Num) and value.kind == "date"):
            return Opaque("a time window on a value that is not a date")
        if not (isinstance(edge, Num) and edge.kind == "date"):
            return edge if isinstance(edge, Opaque) else Opaque("a time window without a date")
        return self._compare(node, op, value, edge, ctx, shown, part)

    def _shift(self, date: Term, duration: Term, sign: int) -> Term:
        """date + sign × duration."""
        if isinstance(date, Opaque):
            return date
        if isinstance(duration, Opaque):
            return duration
        if not (isinstance(date, Num) and date.kind == "date" and date.exact):
            return Opaque("date arithmetic on a value that is not a date")
        if isinstance(duration, Calendar):
            return self._shift_months(date, duration.months * sign)
        if not (
            isinstance(duration, Num)
            and duration.kind == "quantity"
            and duration.exact
            and duration.dim == TIME
        ):
            return Opaque("date arithmetic with a value that is not a duration")
        fixed = numeral(duration.lo)
        if duration.unit is not None and duration.unit in _CALENDAR_UNITS:
            # a number of months held in a value: calendar arithmetic needs it fixed
            if fixed is None:
                return Opaque("a number of months or years that is not fixed")
            unit = parse_any_unit(duration.unit)
            months = from_base(fixed, unit) * _CALENDAR_UNITS[duration.unit]
            return self._shift_months(date, months * sign)
        # a date moves by the span's whole days, toward zero (date + 5 hours is the
        # same date), as the interpreter moves it: dates are whole day numbers
        if fixed is not None:
            days = make.int_val(int(fixed / DAY_SECONDS), self.ctx)
        else:
            seconds = duration.lo
            if seconds.is_int():
                seconds = z3.ToReal(seconds)
            span = seconds / DAY_SECONDS
            days = z3.If(span >= 0, z3.ToInt(span), -z3.ToInt(-span))
        shifted = make.operate("+" if sign > 0 else "-", date.lo, days)
        return Num(shifted, None, all_of(date.known, duration.known), "date")

    def _shift_months(self, date: Num, months: Fraction) -> Num:
        fixed = numeral(date.lo)
        if fixed is not None:
            return Num(
                make.int_val(calendar.shift_days(int(fixed), months), self.ctx),
                None,
                date.known,
                "date",
            )
        if months.denominator != 1:
            days = round(months * calendar.UCUM_MONTH)
            return Num(date.lo + days, None, date.known, "date")
        key = ("shift", date.lo.get_id(), months)
        found = self._calendar.get(key)
        if found is not None:
            return Num(found, None, date.known, "date")
        offset = make.int_const(self._name("months"), self.ctx)
        mean = months * calendar.MEAN_MONTH
        self._add(
            offset >= val(mean - calendar.MONTH_SLACK, self.ctx),
            offset <= val(mean + calendar.MONTH_SLACK, self.ctx),
        )
        result = date.lo + offset
        self._calendar[key] = result
        self._in_date_domain(date.lo, result)
        self.shifts.append(CalendarShift(date.lo, months, result))
        return Num(result, None, date.known, "date")

    # ------------------------------------------------------------ arithmetic

    def _unify(self, a: Term, b: Term) -> tuple[Term, Term]:
        """Put two values in a common form: a calendar duration meets a quantity as
        a quantity, and a plain number next to a quantity is read in its unit."""
        if isinstance(a, Calendar):
            a = a.quantity
        if isinstance(b, Calendar):
            b = b.quantity
        if isinstance(a, Num) and isinstance(b, Num):
            if a.kind == "quantity" and b.kind == "number":
                b = in_unit(b, a)
            elif b.kind == "quantity" and a.kind == "number":
                a = in_unit(a, b)
        return a, b

    def visit_negate(self, node: m.Negate, ctx: Ctx) -> Term:
        term = self.encode(node.expr, ctx)
        if isinstance(term, Calendar):
            term = term.quantity
        if isinstance(term, Num) and term.kind in ("number", "quantity"):
            return term.like(-term.hi, None if term.exact else -term.lo, term.known)
        return term if isinstance(term, Opaque) else Opaque("minus on a value without sign")

    def visit_arith(self, node: m.Arith, ctx: Ctx) -> Term:
        left = self.encode(node.left, ctx)
        right = self.encode(node.right, ctx)
        if isinstance(left, Opaque):
            return left
        if isinstance(right, Opaque):
            return right
        if isinstance(left, Num) and left.kind == "date" and node.op in "+-":
            if isinstance(right, Num) and right.kind == "date" and node.op == "-":
                days = left.lo - right.lo
                known = all_of(left.known, right.known)
                num = Num(days * DAY_SECONDS, None, known, "quantity", TIME, "d")
                return num
            return self._shift(left, right, 1 if node.op == "+" else -1)
        if isinstance(right, Num) and right.kind == "date" and node.op == "+":
            return self._shift(right, left, 1)
        if node.op in "+-":
            left, right = self._unify(left, right)
        else:  # a plain number times a quantity is a scale factor, not a quantity
            left = left.quantity if isinstance(left, Calendar) else left
            right = right.quantity if isinstance(right, Calendar) else right
        if not (isinstance(left, Num) and isinstance(right, Num)):
            return Opaque("arithmetic on values that are not numbers")
        if left.kind not in ("number", "quantity") or right.kind not in ("number", "quantity"):
            return Opaque("arithmetic on values that are not numbers")
        known = all_of(left.known, right.known)
        if node.op in "+-":
            if not same_kind(left, right):
                return Opaque("adding quantities of different kinds")
            if node.op == "+":
                return left.like(
                    left.lo + right.lo,
                    None if both_exact(left, right) else left.hi + right.hi,
                    known,
                )
            if both_exact(left, right):
                return left.like(left.lo - right.lo, None, known)
            return left.like(left.lo - right.hi, left.hi - right.lo, known)
        return self._product(node.op, left, right, known)

    def _product(self, op: str, left: Num, right: Num, known: B) -> Term:
        if not both_exact(left, right):
            for scaled, factor in ((left, right), (right, left)):
                value = numeral(factor.lo) if factor.exact else None
                if value is not None and (op == "*" or scaled is left):
                    if op == "/":
                        if value == 0:
                            return Opaque("division by zero")
                        value = 1 / value
                    lo, hi = scaled.lo * val(value, self.ctx), scaled.hi * val(value, self.ctx)
                    if value < 0:
                        lo, hi = hi, lo
                    return product_kind(scaled, factor, op).like(lo, hi, known)
            return Opaque("a product of two partly known values")
        result = product_kind(left, right, op)
        if op == "*":
            return result.like(self._scaled(left.lo, right.lo), None, known)
        divisor = numeral(right.lo)
        if divisor is not None:
            if divisor == 0:
                return Opaque("division by zero")
            return result.like(left.lo * val(1 / divisor, self.ctx), None, known)
        return result.like(left.lo / right.lo, None, all_of(known, right.lo != 0))

    def _scaled(self, term: z3.ArithRef, factor: z3.ArithRef) -> z3.ArithRef:
        """`scale(term, factor)`; a factor looked up in a table is scaled row by row from
        the rows `_lookup` chained, the same term `scale` builds by reading the chain back
        out of z3 one node at a time (a dose times its conversion factor, per record)."""
        chained = self._chains.get(id(factor))
        if chained is None or chained[0] is not factor:
            return scale(term, factor)
        _chain, rows, first = chained
        scaled = scale(term, first)
        for condition, value in reversed(rows):
            scaled = ite(condition, scale(term, value), scaled)
        return scaled

    # ------------------------------------------------------------ functions

    def visit_call(self, node: m.Call, ctx: Ctx) -> Term:
        applied = ctx.owner.application(node)
        if applied is not None:
            if applied.expansion is None:
                return Opaque(f"{node.function}(…) cannot be applied")
            return self.encode(applied.expansion, ctx)
        name = node.function
        if name == "lookup" and len(node.args) == 2:
            return self._lookup(node, ctx)
        args = [self.encode(a, ctx) for a in node.args]
        for arg in args:
            if isinstance(arg, Opaque):
                return arg
        if name in ("years_between", "months_between", "days_between") and len(args) == 2:
            first, second = args
            if not all(isinstance(a, Num) and a.kind == "date" and a.exact for a in args):
                return Opaque(f"{name} of values that are not dates")
            assert isinstance(first, Num) and isinstance(second, Num)
            known = all_of(first.known, second.known)
            if name == "days_between":
                return Num(second.lo - first.lo, None, known, "number")
            return Num(
                self._completed(first.lo, second.lo, 12 if name[0] == "y" else 1), None, known
            )
        if name == "abs" and len(args) == 1:
            (arg,) = args
            if isinstance(arg, Num) and arg.exact and arg.kind in ("number", "quantity"):
                return arg.like(ite(arg.lo >= 0, arg.lo, -arg.lo), None, arg.known)
        if name in ("least", "greatest") and len(args) == 2:
            a, b = self._unify(*args)
            if isinstance(a, Num) and isinstance(b, Num) and same_kind(a, b) and both_exact(a, b):
                pick = a.lo <= b.lo if name == "least" else a.lo >= b.lo
                return a.like(ite(pick, a.lo, b.lo), None, all_of(a.known, b.known))
        return Opaque(f"the function {name} on these values")

    def _completed(self, first: z3.ArithRef, second: z3.ArithRef, unit_months: int) -> z3.ArithRef:
        a, b = numeral(first), numeral(second)
        if a is not None and b is not None:
            return make.int_val(calendar.completed(int(a), int(b), unit_months), self.ctx)
        # one variable per pair of dates, however many rules (or variants) ask
        key = ("completed", first.get_id(), second.get_id(), unit_months)
        found = self._calendar.get(key)
        if found is not None:
            return found
        count = make.int_const(self._name("completed"), self.ctx)
        self._calendar[key] = count
        days = second - first
        unit = val(calendar.MEAN_MONTH * unit_months, self.ctx)
        slack = val(Fraction(calendar.MONTH_SLACK), self.ctx)
        forward = all_of(
            count >= 0, days >= count * unit - slack, days <= (count + 1) * unit + slack
        )
        backward = all_of(
            count <= 0, days >= (count - 1) * unit - slack, days <= (count + 1) * unit + slack
        )
        self._add(any_of(all_of(days >= 0, forward), all_of(days < 0, backward)))
        self._in_date_domain(first, second)
        self.counts.append(CalendarCount(first, second, unit_months, count))
        return count

    def _in_date_domain(self, *dates: z3.ArithRef) -> None:
        """Witness dates that calendar arithmetic reads or makes stay printable (up
        front, so no model outside the domain is ever proposed)."""
        if self.mode != "witness":
            return
        for date in dates:
            self._add(date >= EARLIEST, date <= LATEST)

    def _lookup(self, node: m.Call, ctx: Ctx) -> Term:
        table_ref, key_expr = node.args
        if not isinstance(table_ref, m.Ref):
            return Opaque("lookup in something that is not a table")
        symbol = self.spec.resolve(table_ref.parts, Scope(ctx.owner))
        if symbol is None or symbol.kind != "table":
            return Opaque("lookup in something that is not a table")
        table: m.Table = symbol.decl  # type: ignore[assignment]
        key = self.encode(key_expr, ctx)
        if isinstance(key, Opaque):
            return key
        if isinstance(key, CodeName):
            for row in table.rows:
                if row.key == key.name:
                    return self._table_value(row.value)
            return Opaque("a lookup key that is not in the table")
        if not isinstance(key, Choice):
            return Opaque("a lookup key that is not a choice")
        cases: list[tuple[B, Num]] = []
        values = self._table_values.get(id(table))
        if values is None:
            values = [(row.key, self._table_value(row.value)) for row in table.rows]
            self._table_values[id(table)] = values
        for row_key, value in values:
            if row_key not in key.entries:
                continue
            if not isinstance(value, Num):
                return Opaque("a lookup table of values that are not numbers")
            cases.append((make.is_index(key.value, key.entries.index(row_key)), value))
        if not cases:
            return Opaque("a lookup table without rows for this code list")
        first = cases[0][1]
        if any(not same_kind(first, v) for _c, v in cases):
            return Opaque("a lookup table of values of different kinds")
        term: z3.ArithRef = first.lo
        for condition, value in reversed(cases[1:]):
            term = ite(condition, value.lo, term)
        if len(cases) > 1:
            self._chains[id(term)] = (term, [(c, v.lo) for c, v in cases[1:]], first.lo)
        hit = any_of(*[c for c, _v in cases])
        return first.like(term, None, all_of(key.known, hit))

    def _table_value(self, value: m.Value) -> Term:
        if value.kind == "number":
            return Num(val(fraction(value.value), self.ctx))  # type: ignore[arg-type]
        if value.kind == "quantity":
            assert isinstance(value.value, m.Quantity)
            return self._quantity(value.value)
        return Opaque("a table value that is not a number")

    # ------------------------------------------------------------ quantifiers and aggregates

    def visit_quantifier(self, node: m.Quantifier, ctx: Ctx) -> Term:
        form = ctx.owner.forms.get(node.form)
        if form is None or not form.repeating:
            return Opaque(f"'{node.form}' is not a repeating form")
        use = self.spec.form_use(ctx.owner, form)
        if use is None:
            return Opaque(f"the form '{node.form}' is never collected")
        t = make.bool_const(self._name(f"{node.kind}:{node.form}:t"), self.ctx)
        f = make.bool_const(self._name(f"{node.kind}:{node.form}:f"), self.ctx)
        self._add(negation(all_of(t, f)))
        self._instance(node, ctx, form, use, Cond(t, f), None)
        return Cond(t, f)

    def visit_aggregate(self, node: m.Aggregate, ctx: Ctx) -> Term:
        if node.kind in ("mean", "median"):
            # a free value is sound: the solver claims nothing about an average
            return Opaque(f"the {node.kind} of records")
        symbol = self.spec.resolve(node.target.parts, Scope(ctx.owner))
        if symbol is None or symbol.form is None or not symbol.form.repeating:
            return Opaque("an aggregate over something that is not a repeating form")
        use = self.spec.form_use(symbol.owner, symbol.form)
        if use is None:
            return Opaque(f"the form '{symbol.form.name}' is never collected")
        if node.kind == "count":
            if symbol.kind != "form":
                return Opaque("count of an item")
            meta = Num(make.int_val(0, self.ctx))
        else:
            if symbol.kind not in ("item", "derive"):
                return Opaque(f"{node.kind} of a whole form")
            probe = self._probe(symbol, ctx, use)
            if not isinstance(probe, Num) or not probe.exact:
                return Opaque(f"{node.kind} of values that are not numbers")
            meta = probe
            if node.kind == "sum" and meta.kind not in ("number", "quantity"):
                return Opaque("sum of values that are not numbers")
        stem = f"{node.kind}:{node.target.dotted}"
        constant = make.int_const if node.kind == "count" or meta.lo.is_int() else make.real_const
        lo = constant(self._name(stem), self.ctx)
        hi = (
            constant(self._name(stem), self.ctx)
            if (self.mode == "witness" and node.kind == "count")
            else None
        )
        # min and max of no record are missing even when every record is complete, so
        # outside witness mode their known flag stays free (sound: it can only hide a
        # finding); a count or a sum of complete records is always known.
        known: B = (
            make.bool_const(self._name(f"{stem}:known"), self.ctx)
            if self.mode == "witness" or node.kind in ("min", "max")
            else True
        )
        result = meta.like(lo, hi, known)
        self._instance(node, ctx, symbol.form, use, result, symbol)
        return result

    def _probe(self, symbol: Symbol, ctx: Ctx, use: FormUse) -> Term:
        """The kind of an aggregated value, read on a record that is never part of a subject."""
        probe = Ctx(ctx.owner, symbol.form, use, -1, None)
        saved = (self._variant, self._criterion, self._override)
        self._variant, self._criterion, self._override = ("probe",), None, {}
        pending = len(self._pending)
        try:
            approximations = len(self.approximations)
            # what is aggregated is an item or a value derived on the record
            decl = cast("m.Item | m.Derive", symbol.decl)
            term = self._symbol(symbol, probe, m.Ref((decl.name,), span=decl.span))
            del self.approximations[approximations:]
        finally:
            self._variant, self._criterion, self._override = saved
            del self._pending[pending:]
        return term

    def _instance(
        self,
        node: m.Quantifier | m.Aggregate,
        ctx: Ctx,
        form: m.Form,
        use: FormUse,
        result: Cond | Num,
        target: Symbol | None,
    ) -> None:
        instance = Instance(
            key=(id(node), id(ctx.owner), ctx.visit),
            kind=node.kind,
            node=node,
            owner=ctx.owner,
            form=form,
            use=use,
            visit=ctx.visit,
            result=result,
            target=target,
            variant=self._variant,
            criterion=self._criterion,
            override=self._override,
        )
        if use.key in self._laid_out:
            if self.mode == "witness" or self._again:
                self._link(instance)
            # check mode: the slots were laid out without this one; a free value is sound
            return
        self._pending.append(instance)

    def _lay_out(self, batch: list[Instance]) -> None:
        needed: dict[str, set[tuple]] = {}
        spares: dict[str, set[tuple]] = {}
        uses: dict[str, FormUse] = {}
        for instance in batch:
            key = instance.use.key
            if key in self._laid_out:
                continue
            uses.setdefault(key, instance.use)
            if isinstance(instance.node, m.Quantifier):
                needed.setdefault(key, set()).add(instance.key)
            else:
                needed.setdefault(key, set())
                spares.setdefault(key, set()).add(instance.key)
        for key, use in uses.items():
            count = len(needed.get(key, ()))
            if self.mode == "witness":
                count += self.spare_records * len(spares.get(key, ()))
                count = min(count, self.max_records)
            slots: list[Slot] = []
            for index in range(count):
                present = make.bool_const(f"{use.key}[{index}]:present", self.ctx)
                if slots:  # records fill the slots in order: no two layouts of one subject
                    self._add(implies(present, slots[-1].present))
                slots.append(Slot(use, index, present))
            if self.mode == "witness" and slots and use.form.none_recorded_by is None:
                # an empty log without its "none" question is not recorded (unknown), so a
                # witness that must be decided on this log records at least one entry
                self._add(slots[0].present)
            self.slots[key] = slots
            self._laid_out.add(key)

    def _link(self, instance: Instance) -> None:
        saved = (self._variant, self._criterion, self._override)
        self._variant = instance.variant
        self._criterion = instance.criterion
        self._override = instance.override
        try:
            if isinstance(instance.node, m.Quantifier):
                self._link_quantifier(instance)
            else:
                self._link_aggregate(instance)
        finally:
            self._variant, self._criterion, self._override = saved

    def _record_cond(self, expr: m.Expr | None, instance: Instance, slot: Slot) -> Cond:
        if expr is None:
            return Cond.const(True)
        ctx = Ctx(instance.owner, instance.form, instance.use, slot.index, instance.visit)
        return self._cond(self.encode(expr, ctx))

    def _link_quantifier(self, instance: Instance) -> None:
        # `visit_quantifier` made the instance: its result is a truth value
        node = cast(m.Quantifier, instance.node)
        result = cast(Cond, instance.result)
        t_terms: list[B] = []
        f_terms: list[B] = []
        for slot in self.slots[instance.use.key]:
            where = self._record_cond(node.where, instance, slot)
            if node.kind == "all":
                satisfy = self._record_cond(node.satisfy, instance, slot)
                body = Cond(any_of(where.f, satisfy.t), all_of(where.t, satisfy.f))
                t_terms.append(any_of(negation(slot.present), body.t))
                f_terms.append(all_of(slot.present, body.f))
            else:
                t_terms.append(all_of(slot.present, where.t))
                f_terms.append(any_of(negation(slot.present), where.f))
        if node.kind == "all":
            t, f = all_of(t_terms) if t_terms else True, any_of(*f_terms) if f_terms else False
        else:
            t, f = any_of(*t_terms) if t_terms else False, all_of(f_terms) if f_terms else True
        if node.kind == "none":
            t, f = f, t
        self._add(iff(result.t, t), iff(result.f, f))

    def _link_aggregate(self, instance: Instance) -> None:
        # `visit_aggregate` made the instance: its result is a number
        node = cast(m.Aggregate, instance.node)
        result = cast(Num, instance.result)
        slots = self.slots[instance.use.key]
        target = instance.target
        if (
            self.mode == "check"
            and target is not None
            and (target.kind != "item" or (node.kind == "sum" and not self._non_negative(target)))
        ):
            # a free value is sound; bounding a derived value over every slot costs more
            # start-up time than the rare contradiction it could prove
            return
        rows: list[tuple[Slot, Cond, Num | None]] = []
        for slot in slots:
            where = self._record_cond(node.where, instance, slot)
            value = None
            if node.kind != "count":
                assert instance.target is not None
                ctx = Ctx(instance.owner, instance.form, instance.use, slot.index, instance.visit)
                # what is aggregated is an item or a value derived on the record
                decl = cast("m.Item | m.Derive", instance.target.decl)
                term = self._symbol(instance.target, ctx, m.Ref((decl.name,), span=decl.span))
                if not (isinstance(term, Num) and term.exact):
                    self._approximate(f"{node.kind} of values that are not exact numbers")
                    return
                value = term
            rows.append((slot, where, value))
        add = self._add
        if node.kind == "count":
            counted = [ite(all_of(s.present, w.t), self._one, self._zero) for s, w, _v in rows]
            if self.mode == "witness":
                possible = [
                    ite(all_of(s.present, negation(w.f)), self._one, self._zero)
                    for s, w, _v in rows
                ]
                add(result.lo == total(counted, self._zero))
                add(result.hi == total(possible, self._zero))
                add(result.known)
            else:
                add(result.lo >= total(counted, self._zero))
                add(result.lo >= 0)
            return
        assert all(v is not None for _s, _w, v in rows)
        # not a count: every row holds its value (asserted above)
        valued = cast("list[tuple[Slot, Cond, Num]]", rows)
        if self.mode == "witness":
            decided = all_of(
                [implies(s.present, any_of(w.f, all_of(w.t, v.known))) for s, w, v in valued]
            )
            included = [all_of(s.present, w.t) for s, w, _v in rows]
            if node.kind == "sum":
                zero = z3.RealVal(0, self.ctx)
                add(
                    result.lo
                    == total(
                        [
                            ite(i, v.lo, zero)
                            for i, (_s, _w, v) in zip(included, valued, strict=True)
                        ],
                        zero,
                    )
                )
                add(iff(result.known, decided))
                return
            some = any_of(*included) if included else False
            add(iff(result.known, all_of(decided, some)))
            bound = [
                implies(i, (result.lo <= v.lo) if node.kind == "min" else (result.lo >= v.lo))
                for i, (_s, _w, v) in zip(included, valued, strict=True)
            ]
            equal = [
                all_of(i, result.lo == v.lo)
                for i, (_s, _w, v) in zip(included, valued, strict=True)
            ]
            add(implies(result.known, all_of(*bound, any_of(*equal) if equal else False)))
            return
        included = [all_of(s.present, w.t) for s, w, _v in rows]
        if node.kind == "sum":
            if instance.target is not None and self._non_negative(instance.target):
                zero = z3.RealVal(0, self.ctx)
                parts = [
                    ite(i, v.lo, zero) for i, (_s, _w, v) in zip(included, valued, strict=True)
                ]
                add(result.lo >= total(parts, zero))
            return
        for i, (_s, _w, v) in zip(included, rows, strict=True):
            assert v is not None
            add(implies(i, (result.lo <= v.lo) if node.kind == "min" else (result.lo >= v.lo)))

    def _non_negative(self, symbol: Symbol) -> bool:
        """Whether every value of an item or derived value is >= 0 (so a sum only grows)."""
        return _non_negative(self.spec, symbol, set())


# ---------------------------------------------------------------- spec analyses


def _is_literal(node: m.Expr) -> bool:
    return isinstance(node, (m.NumberLit, m.QuantityLit, m.DateLit, m.TiterLit, m.BoolLit))


def items_tested_for_missing(
    spec: Spec, among: Iterable[tuple[Scope, m.Expr]] | None = None
) -> set[tuple[int, str, str]]:
    """Items that some rule tests with `is known` / `is missing`: their absence is modelled.
    `among`: only these expressions of the spec."""
    tested: set[tuple[int, str, str]] = set()
    for scope, expr in expressions(spec) if among is None else among:
        if not _mentions_is_known(expr):
            continue  # most expressions: no need to work out the scope of every node
        for node, inner in walk_scoped(expr, scope):
            if not isinstance(node, m.IsKnown):
                continue
            target = node.expr.expr if isinstance(node.expr, m.AtVisit) else node.expr
            if not isinstance(target, m.Ref):
                continue
            symbol = spec.resolve(target.parts, inner)
            if symbol is not None and symbol.kind == "item" and symbol.form is not None:
                tested.add((id(symbol.owner), symbol.form.name, symbol.decl.name))  # type: ignore[attr-defined]
    return tested


def _mentions_is_known(expr: m.Expr) -> bool:
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, m.IsKnown):
            return True
        stack.extend(m.children(node))
    return False


def _non_negative(spec: Spec, symbol: Symbol, seen: set[int]) -> bool:
    if symbol.kind == "item":
        item: m.Item = symbol.decl  # type: ignore[assignment]
        if item.type.kind == "titer":
            return True
        if item.range is None:
            return False
        low = item.range.low
        value = low.value if isinstance(low, m.Quantity) else low
        return value >= 0
    if symbol.kind == "derive":
        derive: m.Derive = symbol.decl  # type: ignore[assignment]
        if id(derive) in seen:
            return False
        seen.add(id(derive))
        return _expr_non_negative(spec, derive.expr, Scope(symbol.owner, symbol.form), seen)
    return False


def _expr_non_negative(spec: Spec, expr: m.Expr, scope: Scope, seen: set[int]) -> bool:
    if isinstance(expr, m.NumberLit):
        return expr.value >= 0
    if isinstance(expr, m.QuantityLit):
        return expr.quantity.value >= 0
    if isinstance(expr, m.Ref):
        symbol = spec.resolve(expr.parts, scope)
        return symbol is not None and _non_negative(spec, symbol, seen)
    if isinstance(expr, m.Arith) and expr.op in "+*/":
        return _expr_non_negative(spec, expr.left, scope, seen) and _expr_non_negative(
            spec, expr.right, scope, seen
        )
    if isinstance(expr, m.Call) and expr.function == "lookup" and expr.args:
        table_ref = expr.args[0]
        if not isinstance(table_ref, m.Ref):
            return False
        symbol = spec.resolve(table_ref.parts, Scope(scope.owner))
        if symbol is None or symbol.kind != "table":
            return False
        table: m.Table = symbol.decl  # type: ignore[assignment]
        values = []
        for row in table.rows:
            value = row.value.value
            if isinstance(value, m.Quantity):
                value = value.value
            if not isinstance(value, (Decimal, Fraction)):
                return False
            values.append(value)
        return all(v >= 0 for v in values)
    return bool(isinstance(expr, m.Call) and expr.function == "abs")


def formal_criteria(spec: Spec) -> list[m.Criterion]:
    return [c for c in spec.criteria if c.rule is not None]
