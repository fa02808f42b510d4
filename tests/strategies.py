"""Hypothesis strategies that generate valid, checkable .trial specs.

Every generated spec checks clean with `compile_spec` (no errors; notes and
warnings may remain): names are valid identifiers that are not keywords and
are unique across the spec, comparisons have matching types and compatible
units, visits are in order with windows that do not overlap, eligibility
reads only data collected at the eligibility visit, and dose finding adds up.

The API::

    specs()                 -> str         a whole spec, as canonical text
    spec_modules()          -> m.Module    the same, as a model (spans unknown)
    spec_parts()            -> SpecParts   the model and the context it was built in
    contexts()              -> Context     declared forms, items, visits, anchors
                                           and code lists, to build expressions for
    expressions(context, depth=3)
                            -> m.Expr      a condition over the context's items
                                           (comparisons, and/or/not/implies,
                                           between, within / at least, quantifiers
                                           over repeating forms, aggregates, scores)
    values_of(context, item_kind)          a literal of an item's type (see
                                           `literal_for`)
    identifiers(used=set()) -> str         a fresh name (never a keyword)
    texts()                 -> str         free text: quotes, backslashes, unicode

`specs()` is `spec_modules()` printed by `protocol_dsl.syntax.formatter`, so
`parse(specs())` equals `spec_modules()` (the formatter's property tests
check exactly that).  A `Context` is plain data: another test can draw one
with `contexts()` and then draw `expressions(context)` to test an evaluator
or a back end on rules over the same items.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import operator
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from protocol_dsl import model as m
from protocol_dsl.codes import CODES
from protocol_dsl.functions import FUNCTIONS
from protocol_dsl.syntax import printer
from protocol_dsl.syntax.formatter import format_module
from protocol_dsl.syntax.parser import keywords
from tests.helpers import SPAN

__all__ = [
    "Context",
    "ItemInfo",
    "SpecParts",
    "contexts",
    "expressions",
    "identifiers",
    "literal_for",
    "spec_modules",
    "spec_parts",
    "specs",
    "texts",
    "values_of",
]

# Words a generated name never takes: the language's keywords, "least" (read
# as part of `at least`), the built-in functions and the names the generator
# itself gives (anchors, epochs).
RESERVED = (
    frozenset(keywords())
    | set(FUNCTIONS)
    | {
        "screening",
        "first_dose",
        "treatment",
        "follow_up",
        "visits",
    }
)

#: Units of quantity items, each with the units a threshold may be written in and
#: their factor to the item's unit (1 mg/dL = 0.01 g/L).
UNIT_FAMILIES: dict[str, dict[str, Decimal]] = {
    "g/L": {"g/L": Decimal(1), "mg/dL": Decimal("0.01"), "mg/L": Decimal("0.001")},
    "mg": {"mg": Decimal(1), "g": Decimal(1000)},
    "mg/d": {"mg/d": Decimal(1)},
    "kg": {"kg": Decimal(1), "g": Decimal("0.001")},
    "mm[Hg]": {"mm[Hg]": Decimal(1)},
    "%": {"%": Decimal(1)},
    "10*9/L": {"10*9/L": Decimal(1)},
    "mL/min": {"mL/min": Decimal(1)},
}

CODE_SYSTEMS = ("LOINC", "SNOMED", "CDISC", "ATC", "MedDRA")


# ---------------------------------------------------------------- small values


@functools.cache
def texts(max_size: int = 40) -> st.SearchStrategy[str]:
    """Free text as a protocol writer types it: unicode, quotes, backslashes, tabs."""
    alphabet = st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters='"\\#\t'
    )
    return st.text(alphabet, min_size=1, max_size=max_size)


_FIRST = "abcdefghijklmnopqrstuvwxyz"
_REST = _FIRST + "0123456789_"
_NAMES = st.builds(
    operator.add, st.sampled_from(_FIRST), st.text(st.sampled_from(_REST), min_size=1, max_size=10)
)
_UPPER_NAMES = st.builds(
    operator.add,
    st.sampled_from(_FIRST.upper()),
    st.text(st.sampled_from(_FIRST.upper() + "0123456789"), min_size=1, max_size=6),
)


def identifiers(used: set[str] | None = None, upper: bool = False) -> st.SearchStrategy[str]:
    """A name that is a valid identifier, not a keyword and not in `used`."""
    taken = used if used is not None else set()
    names = _UPPER_NAMES if upper else _NAMES
    return names.filter(lambda n: n not in RESERVED and n.lower() not in taken)


def _fresh(draw: st.DrawFn, used: set[str], upper: bool = False) -> str:
    """A name not used yet in this spec (a suffix makes a taken one unique)."""
    name = draw(_UPPER_NAMES if upper else _NAMES)
    base, k = name, 0
    while name in RESERVED or name.lower() in used:
        k += 1
        name = f"{base}{k}" if upper else f"{base}_{k}"
    used.add(name.lower())
    return name


def _decimal(draw: st.DrawFn, low: int, high: int, places: int = 2) -> Decimal:
    scale = 10**places
    value = draw(st.integers(low * scale, high * scale))
    return Decimal(value) / scale


def _string_value(text: str) -> m.Value:
    return m.Value("string", text, printer.quote(text), span=SPAN)


def _number_value(value: Decimal) -> m.Value:
    return m.Value("number", value, m.format_decimal(value), span=SPAN)


def _name_value(name: str) -> m.Value:
    return m.Value("name", name, name, span=SPAN)


def _quantity_value(q: m.Quantity) -> m.Value:
    return m.Value("quantity", q, printer.quantity(q), span=SPAN)


_MARK_KINDS = st.sampled_from(["provisional", "note", "question", "source", "rationale", "allow"])
#: what an `allow` may name: a warning or a note (allowing an error is E0126)
_ALLOWED_CODES = st.sampled_from(sorted(c for c, info in CODES.items() if info.severity != "error"))
_CODES = st.builds(
    m.Code,
    st.sampled_from(CODE_SYSTEMS),
    st.from_regex(r"[A-Z0-9][A-Za-z0-9.\-]{0,7}", fullmatch=True),
    span=st.just(SPAN),
)


def _marks(draw: st.DrawFn, max_size: int = 2) -> m.Marks:
    marks = []
    for kind in draw(st.lists(_MARK_KINDS, max_size=max_size)):
        text = "" if kind == "provisional" else draw(texts())
        code = ""
        if kind == "allow":
            # a blank reason is E0125; a generated spec checks without errors
            code, text = draw(_ALLOWED_CODES), text if text.strip() else "reviewed"
        marks.append(m.Mark(kind, text, code, span=SPAN))
    return tuple(marks)


def _codes(draw: st.DrawFn, max_size: int = 2) -> tuple[m.Code, ...]:
    return tuple(draw(st.lists(_CODES, max_size=max_size)))


def _label(draw: st.DrawFn) -> str | None:
    return draw(st.none() | texts())


# ---------------------------------------------------------------- the context of expressions


@attrs.frozen
class ItemInfo:
    """An item an expression can read: its form, type and where it is collected."""

    form: str
    name: str
    kind: str  # number, integer, quantity, date, datetime, yes_no, choice, titer, text
    unit: str | None = None
    codelist: m.CodeList | None = None
    repeating: bool = False
    visits: tuple[str, ...] = ()

    def ref(self, in_record: bool = False) -> m.Ref:
        return m.Ref((self.name,) if in_record else (self.form, self.name), span=SPAN)


@attrs.frozen
class ScoreInfo:
    """A score a rule can compare: its name and the most each part can reach."""

    name: str
    maximum: Decimal
    parts: tuple[tuple[str, Decimal], ...] = ()  # domain or tag, its maximum


@attrs.frozen
class Context:
    """What a spec declares that expressions may read.

    Items of non-repeating forms (read as `form.item`), repeating forms with
    their items (read through quantifiers and aggregates), boolean
    definitions and scores.  `expressions` reads each of them at most once
    in one rule, so that the rules it draws are never contradictions or
    tautologies by construction (the solver checks of `protocol check`
    would rightly report those).
    """

    eligibility_visit: str
    visits: tuple[str, ...]  # scheduled, in order of day
    anchors: tuple[str, ...]  # date-valued names (anchors on visits)
    items: tuple[ItemInfo, ...]
    repeating: tuple[tuple[str, tuple[ItemInfo, ...]], ...] = ()
    codelists: tuple[m.CodeList, ...] = ()
    conditions: tuple[str, ...] = ()  # boolean definitions
    scores: tuple[ScoreInfo, ...] = ()

    def resources(self) -> list[tuple[str, object]]:
        """Everything a rule may read, each as (kind, what)."""
        found: list[tuple[str, object]] = [("item", i) for i in self.items]
        found += [("form", form) for form, _items in self.repeating]
        found += [("define", c) for c in self.conditions]
        found += [("score", s) for s in self.scores]
        return found


def literal_for(draw: st.DrawFn, item: ItemInfo) -> m.Expr:
    """A literal of the item's type, inside the range the generator gives items."""
    if item.kind in ("number", "integer"):
        places = 0 if item.kind == "integer" else 2
        return m.NumberLit(_decimal(draw, 1, 200, places), span=SPAN)
    if item.kind == "quantity":
        assert item.unit is not None
        factors = UNIT_FAMILIES[item.unit]
        unit = draw(st.sampled_from(sorted(factors)))
        value = _decimal(draw, 1, 200) / factors[unit]
        return m.QuantityLit(m.Quantity(value.normalize(), unit), span=SPAN)
    if item.kind in ("date", "datetime"):
        return m.DateLit(draw(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))), span=SPAN)
    if item.kind == "titer":
        return m.TiterLit(draw(st.sampled_from([40, 80, 160, 320, 640])), span=SPAN)
    if item.kind == "yes_no":
        return m.BoolLit(draw(st.booleans()), span=SPAN)
    if item.kind == "choice":
        assert item.codelist is not None
        return m.Ref((draw(st.sampled_from(item.codelist.entries)).name,), span=SPAN)
    return m.TextLit(draw(texts()), span=SPAN)


def values_of(item: ItemInfo) -> st.SearchStrategy[m.Expr]:
    """Literals of the item's type (a strategy)."""

    @st.composite
    def build(draw: st.DrawFn) -> m.Expr:
        return literal_for(draw, item)

    return build()


def _durations(draw: st.DrawFn) -> m.QuantityLit:
    unit = draw(st.sampled_from(["days", "weeks", "months", "years"]))
    return m.QuantityLit(m.Quantity(Decimal(draw(st.integers(1, 52))), unit), span=SPAN)


def _literal_value(item: ItemInfo, expr: m.Expr) -> Decimal:
    if isinstance(expr, m.NumberLit):
        return expr.value
    assert isinstance(expr, m.QuantityLit) and item.unit is not None
    return expr.quantity.value * UNIT_FAMILIES[item.unit][expr.quantity.unit]


def _atom(draw: st.DrawFn, ctx: Context, item: ItemInfo, in_record: bool) -> m.Expr:
    """One condition on one item, true for some values and false for others."""
    ref: m.Expr = item.ref(in_record)
    if not in_record and item.visits and draw(st.integers(0, 4)) == 0:
        ref = m.AtVisit(ref, ctx.eligibility_visit, span=SPAN)
    kind = item.kind
    choice = draw(st.integers(0, 9))
    if choice == 0 or kind == "datetime":
        return m.IsKnown(ref, missing=draw(st.booleans()), span=SPAN)
    if kind == "yes_no":
        return m.Compare("=", ref, m.BoolLit(draw(st.booleans()), span=SPAN), span=SPAN)
    if kind == "choice":
        assert item.codelist is not None
        entries = [e.name for e in item.codelist.entries]
        if choice < 4:
            # a proper subset: every value of the list would make a test that always holds
            most = min(3, len(entries) - 1)
            values = draw(
                st.lists(st.sampled_from(entries), min_size=1, max_size=most, unique=True)
            )
            return m.MemberOf(ref, values=tuple(values), span=SPAN)
        return m.Compare(
            draw(st.sampled_from(["=", "!="])), ref, literal_for(draw, item), span=SPAN
        )
    if kind == "text":
        return m.Compare(
            draw(st.sampled_from(["=", "!="])), ref, literal_for(draw, item), span=SPAN
        )
    if kind == "date" and ctx.anchors and choice < 8:
        anchor = m.Ref((draw(st.sampled_from(ctx.anchors)),), span=SPAN)
        direction = draw(st.sampled_from(["before", "after"]))
        if choice < 3:
            return m.Within(ref, _durations(draw), direction, anchor, span=SPAN)
        if choice < 6 or in_record:
            return m.AtLeast(ref, _durations(draw), direction, anchor, span=SPAN)
        age = m.Call("years_between", (ref, anchor), span=SPAN)
        threshold = m.NumberLit(Decimal(draw(st.integers(1, 99))), span=SPAN)
        return m.Compare(draw(st.sampled_from([">=", "<"])), age, threshold, span=SPAN)
    if kind in ("number", "integer", "quantity") and choice == 1:
        low, high = literal_for(draw, item), literal_for(draw, item)
        if _literal_value(item, low) > _literal_value(item, high):
            low, high = high, low
        return m.Between(ref, low, high, span=SPAN)
    operators = ["<", "<=", ">", ">=", "=", "!="]
    threshold = literal_for(draw, item)
    if kind in ("number", "integer") and choice == 2:
        operand = _decimal(draw, 1, 9, 0)
        ref = m.Arith(
            draw(st.sampled_from(["+", "*"])), ref, m.NumberLit(operand, span=SPAN), span=SPAN
        )
        operators = ["<", "<=", ">", ">="]  # 4 × n = 1 has no whole solution
        if ref.op == "+":  # items are at least 0: n + 5 < 1 never holds
            assert isinstance(threshold, m.NumberLit)
            threshold = m.NumberLit(threshold.value + operand, span=SPAN)
    return m.Compare(draw(st.sampled_from(operators)), ref, threshold, span=SPAN)


def _quantified(draw: st.DrawFn, ctx: Context, form: str, depth: int) -> m.Expr:
    record = [i for i in dict(ctx.repeating)[form] if i.kind != "datetime"]
    kind = draw(st.sampled_from(["any", "none", "all", "count", "sum", "max", "min"]))
    shuffled = draw(st.permutations(record))
    half = draw(st.integers(1, len(shuffled) - 1)) if len(shuffled) > 1 else 1
    filter_items, condition_items = shuffled[:half], shuffled[half:] or shuffled[:half]
    where = None
    if draw(st.booleans()) or (kind == "all" and len(shuffled) > 1):
        where = _condition(draw, ctx, depth - 1, [("item", i) for i in filter_items], True)
    else:
        condition_items = shuffled
    if kind in ("any", "none"):
        return m.Quantifier(kind, form, where, span=SPAN)
    if kind == "all":
        satisfy = _condition(draw, ctx, depth - 1, [("item", i) for i in condition_items], True)
        return m.Quantifier("all", form, where, satisfy, span=SPAN)
    if kind == "count":
        total = m.Aggregate("count", m.Ref((form,), span=SPAN), where, span=SPAN)
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "="]))
        return m.Compare(
            op, total, m.NumberLit(Decimal(draw(st.integers(1, 5))), span=SPAN), span=SPAN
        )
    summable = [i for i in condition_items if i.kind in ("number", "integer", "quantity")]
    if not summable:
        return m.Quantifier("any", form, where, span=SPAN)
    item = draw(st.sampled_from(summable))
    aggregate = m.Aggregate(kind, m.Ref((form, item.name), span=SPAN), where, span=SPAN)
    threshold = literal_for(draw, item)
    return m.Compare(draw(st.sampled_from(["<", "<=", ">", ">="])), aggregate, threshold, span=SPAN)


def _named(draw: st.DrawFn, kind: str, what: object) -> m.Expr:
    if kind == "define":
        assert isinstance(what, str)
        return m.Ref((what,), span=SPAN)
    assert isinstance(what, ScoreInfo)
    target, maximum = m.Ref((what.name,), span=SPAN), what.maximum
    if what.parts and draw(st.booleans()):
        part, maximum = draw(st.sampled_from(what.parts))
        target = m.Ref((what.name, part), span=SPAN)
    # a threshold the score can reach and can stay below: never always true, never false
    op = draw(st.sampled_from([">=", ">", "<", "<="]))
    strict = op in (">=", "<")
    threshold = Decimal(draw(st.integers(1 if strict else 0, int(maximum) - (not strict))))
    return m.Compare(op, target, m.NumberLit(threshold, span=SPAN), span=SPAN)


def _leaf(
    draw: st.DrawFn, ctx: Context, resource: tuple[str, object], depth: int, in_record: bool
) -> m.Expr:
    kind, what = resource
    if kind == "item":
        assert isinstance(what, ItemInfo)
        return _atom(draw, ctx, what, in_record)
    if kind == "form":
        assert isinstance(what, str)
        return _quantified(draw, ctx, what, depth)
    return _named(draw, kind, what)


def _split(
    draw: st.DrawFn, resources: list[tuple[str, object]], parts: int
) -> list[list[tuple[str, object]]]:
    shuffled = draw(st.permutations(resources))
    cuts = sorted(
        draw(
            st.lists(
                st.integers(1, len(shuffled) - 1),
                min_size=parts - 1,
                max_size=parts - 1,
                unique=True,
            )
        )
    )
    bounds = [0, *cuts, len(shuffled)]
    return [list(shuffled[a:b]) for a, b in itertools.pairwise(bounds)]


def _condition(
    draw: st.DrawFn,
    ctx: Context,
    depth: int,
    resources: list[tuple[str, object]],
    in_record: bool = False,
) -> m.Expr:
    """A condition reading each of `resources` at most once (at least one of them)."""
    shapes = ["leaf"]
    if depth > 0:
        shapes.append("not")
        if len(resources) > 1:
            shapes += ["and", "or", "implies"]
    shape = draw(st.sampled_from(shapes))
    if shape == "leaf":
        return _leaf(draw, ctx, draw(st.sampled_from(resources)), depth, in_record)
    if shape == "not":
        return m.Not(_condition(draw, ctx, depth - 1, resources, in_record), span=SPAN)
    count = 2 if shape == "implies" else draw(st.integers(2, min(4, len(resources))))
    operands = [
        _condition(draw, ctx, depth - 1, part, in_record) for part in _split(draw, resources, count)
    ]
    if shape == "implies":
        return m.Logic("implies", operands[0], operands[1], span=SPAN)
    expr = operands[0]
    for operand in operands[1:]:
        expr = m.Logic(shape, expr, operand, span=SPAN)  # type: ignore[arg-type]
    return expr


def expressions(context: Context, depth: int = 3) -> st.SearchStrategy[m.Expr]:
    """A condition over the context's items, repeating forms, definitions and scores."""

    @st.composite
    def build(draw: st.DrawFn) -> m.Expr:
        return _condition(draw, context, depth, context.resources())

    return build()


# ---------------------------------------------------------------- declarations


@attrs.frozen
class SpecParts:
    module: m.Module
    context: Context


def _trial(
    draw: st.DrawFn, used: set[str], eligibility_visit: str, enrolment: int | None
) -> m.Trial:
    fields = [m.Field("title", (_string_value(draw(texts(80))),), span=SPAN)]
    optional = {
        "short_title": lambda: (_string_value(draw(texts())),),
        "acronym": lambda: (_string_value(draw(texts(12))),),
        "registry": lambda: (_name_value("NCT" + str(draw(st.integers(10**7, 10**8 - 1)))),),
        "sponsor": lambda: (_string_value(draw(texts())),),
        "phase": lambda: (_number_value(Decimal(draw(st.integers(1, 3)))),),
        "study_type": lambda: (_name_value("interventional"),),
        "allocation": lambda: (_name_value(draw(st.sampled_from(["randomized", "na"]))),),
        "masking": lambda: (_name_value(draw(st.sampled_from(["open_label", "double"]))),),
        "condition": lambda: (_string_value(draw(texts())),),
        "sex": lambda: (_name_value(draw(st.sampled_from(["all", "female", "male"]))),),
        "minimum_age": lambda: (_quantity_value(m.Quantity(Decimal(18), "years")),),
        "status": lambda: (_name_value("recruiting"),),
        "version": lambda: (_string_value(draw(texts(8))),),
        "version_date": lambda: (
            m.Value("date", (d := draw(st.dates(dt.date(2000, 1, 1)))), d.isoformat(), span=SPAN),
        ),
        "summary": lambda: (_string_value(draw(texts(120))),),
        "age_group": lambda: tuple(
            _name_value(v)
            for v in draw(
                st.lists(st.sampled_from(["adult", "older_adult"]), min_size=1, unique=True)
            )
        ),
    }
    for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True, max_size=8)):
        values = optional[key]()
        codes = _codes(draw) if key == "condition" else ()
        fields.append(m.Field(key, values, codes, _marks(draw, 1), span=SPAN))
    if enrolment is not None:
        fields.append(m.Field("enrolment", (_number_value(Decimal(enrolment)),), span=SPAN))
    fields.append(m.Field("eligibility_visit", (_name_value(eligibility_visit),), span=SPAN))
    order = draw(st.permutations(range(len(fields))))
    return m.Trial(_fresh(draw, used, upper=True), tuple(fields[i] for i in order), span=SPAN)


def _schedule(draw: st.DrawFn, used: set[str]) -> tuple[list[m.Epoch], list[m.Visit], int]:
    """Epochs and visits in order of day, windows apart; returns the last planned day."""
    epochs = [
        m.Epoch("screening", draw(st.none() | st.just("Screening")), _marks(draw, 1), span=SPAN)
    ]
    epochs.append(m.Epoch("treatment", draw(st.none() | st.just("Treatment")), span=SPAN))
    follow_up = draw(st.booleans())
    if follow_up:
        epochs.append(m.Epoch("follow_up", "Follow-up", span=SPAN))
    used.update(e.name for e in epochs)
    screening_length = draw(st.sampled_from([7, 14, 28]))
    scr = _fresh(draw, used, upper=True)
    visits = [
        m.Visit(
            scr,
            _label(draw),
            -screening_length,
            -1,
            epoch="screening",
            marks=_marks(draw, 1),
            span=SPAN,
        )
    ]
    visits.append(
        m.Visit(_fresh(draw, used, upper=True), _label(draw), 1, epoch="treatment", span=SPAN)
    )
    day, previous_reach = 1, 1
    count = draw(st.integers(1, 5))
    for k in range(count):
        gap = draw(st.integers(4, 60))
        window = draw(st.integers(0, (gap - 1) // 2 - 1)) if gap >= 5 else 0
        day = max(day + gap, previous_reach + window + 1)
        epoch = "follow_up" if follow_up and k == count - 1 else "treatment"
        visits.append(
            m.Visit(
                _fresh(draw, used, upper=True),
                _label(draw),
                day,
                window_before=window,
                window_after=window,
                epoch=epoch,
                number=draw(st.none() | st.just(Decimal(k + 2))),
                marks=_marks(draw, 1),
                span=SPAN,
                # the first day of a week may be written `week N`
                as_week=(day - 1) % 7 == 0 and draw(st.booleans()),
            )
        )
        previous_reach = day + window
    if draw(st.booleans()):
        visits.append(
            m.Visit(
                _fresh(draw, used, upper=True),
                "Early termination",
                early_termination=True,
                span=SPAN,
            )
        )
    if draw(st.booleans()):
        visits.append(m.Visit(_fresh(draw, used, upper=True), None, unscheduled=True, span=SPAN))
    return epochs, visits, day


def _codelist(draw: st.DrawFn, used: set[str]) -> m.CodeList:
    entries = tuple(
        m.CodeListEntry(
            _fresh(draw, used), _label(draw), _codes(draw, 1), _marks(draw, 1), span=SPAN
        )
        for _ in range(draw(st.integers(2, 5)))
    )
    return m.CodeList(
        _fresh(draw, used), _label(draw), entries, _codes(draw, 1), _marks(draw, 1), span=SPAN
    )


_ITEM_KINDS = (
    "number",
    "integer",
    "quantity",
    "date",
    "datetime",
    "yes_no",
    "choice",
    "titer",
    "text",
)


def _item(
    draw: st.DrawFn, used: set[str], codelists: list[m.CodeList], kind: str | None = None
) -> m.Item:
    kind = kind or draw(st.sampled_from(_ITEM_KINDS))
    unit = codelist = None
    bounds: m.Range | None = None
    if kind == "quantity":
        unit = draw(st.sampled_from(sorted(UNIT_FAMILIES)))
    if kind == "choice":
        codelist = m.Ref((draw(st.sampled_from(codelists)).name,), span=SPAN)
    if kind in ("number", "integer", "quantity") and draw(st.booleans()):
        bounds = m.Range(Decimal(0), Decimal(100000), span=SPAN)
    partial = kind == "date" and draw(st.booleans())
    impute = draw(st.sampled_from((None, *m.IMPUTE_RULES))) if partial else None
    return m.Item(
        _fresh(draw, used),
        m.ItemType(kind, unit=unit, codelist=codelist, span=SPAN),  # type: ignore[arg-type]
        _label(draw),
        range=bounds,
        required=draw(st.booleans()),
        for_reporting=draw(st.booleans()),
        codes=_codes(draw, 1),
        marks=_marks(draw, 1),
        partial=partial,
        impute=impute,
        span=SPAN,
    )


def _info(
    form: m.Form, item: m.Item, codelists: list[m.CodeList], visits: tuple[str, ...]
) -> ItemInfo:
    codelist = None
    if item.type.codelist is not None:
        codelist = next(c for c in codelists if c.name == item.type.codelist.dotted)
    return ItemInfo(
        form.name, item.name, item.type.kind, item.type.unit, codelist, form.repeating, visits
    )


def _form(
    draw: st.DrawFn,
    used: set[str],
    codelists: list[m.CodeList],
    visits: tuple[str, ...],
    repeating: bool,
) -> m.Form:
    name = _fresh(draw, used)
    kinds = draw(st.lists(st.sampled_from(_ITEM_KINDS), min_size=1, max_size=7))
    if repeating:
        kinds = ["date", "choice", "quantity", *kinds]
    items = [_item(draw, used, codelists, kind) for kind in kinds]
    # a condition on a yes/no item of the same form
    flags = [i for i in items if i.type.kind == "yes_no"]
    for k, item in enumerate(items):
        if flags and item not in flags and draw(st.integers(0, 4)) == 0:
            flag = draw(st.sampled_from(flags))
            items[k] = attrs.evolve(
                item,
                when=m.Compare(
                    "=", m.Ref((flag.name,), span=SPAN), m.BoolLit(True, span=SPAN), span=SPAN
                ),
            )
    groups: tuple[m.ItemGroup, ...] = ()
    if len(items) >= 3 and draw(st.booleans()):
        group = m.ItemGroup(_fresh(draw, used), _label(draw), span=SPAN)
        start = draw(st.integers(0, len(items) - 2))
        end = draw(st.integers(start + 1, len(items)))
        items = [
            attrs.evolve(i, group=group.name) if start <= k < end else i
            for k, i in enumerate(items)
        ]
        groups = (group,)
    derives: tuple[m.Derive, ...] = ()
    numbers = [i for i in items if i.type.kind in ("number", "integer", "quantity")]
    if numbers and draw(st.booleans()):
        base = draw(st.sampled_from(numbers))
        factor = m.NumberLit(_decimal(draw, 1, 5, 1), span=SPAN)
        derives = (
            m.Derive(
                _fresh(draw, used),
                _label(draw),
                m.Arith("*", m.Ref((base.name,), span=SPAN), factor, span=SPAN),
                span=SPAN,
            ),
        )
    return m.Form(
        name,
        _label(draw),
        tuple(items),
        repeating=repeating,
        visits=visits,
        groups=groups,
        derives=derives,
        codes=_codes(draw, 1),
        marks=_marks(draw, 1),
        span=SPAN,
    )


def _score(draw: st.DrawFn, used: set[str], form: m.Form) -> m.Score:
    flags = [i for i in form.items if i.type.kind == "yes_no"]
    domains = []
    rest = list(flags)
    while rest:
        take = draw(st.integers(1, len(rest)))
        chosen, rest = rest[:take], rest[take:]
        items = []
        for item in chosen:
            expr = (
                m.Compare(
                    "=", m.Ref((item.name,), span=SPAN), m.BoolLit(True, span=SPAN), span=SPAN
                )
                if draw(st.booleans())
                else None
            )
            items.append(
                m.ScoreItem(
                    _fresh(draw, used) if expr is not None else item.name,
                    Decimal(draw(st.integers(1, 8))),
                    _label(draw),
                    expr,
                    span=SPAN,
                )
            )
        tags = tuple(draw(st.lists(st.sampled_from(["clinical", "serologic"]), max_size=1)))
        domains.append(
            m.ScoreDomain(_fresh(draw, used), _label(draw), tags, tuple(items), span=SPAN)
        )
    total = sum((i.weight for d in domains for i in d.items), Decimal(0))
    rule = draw(st.sampled_from(["sum_all", "highest_per_domain"]))
    return m.Score(
        _fresh(draw, used),
        _label(draw),
        tuple(domains),
        form=m.Ref((form.name,), span=SPAN),
        lookback=draw(st.none() | st.just(m.Quantity(Decimal(10), "days"))),
        range=(Decimal(0), total) if rule == "sum_all" else None,
        rule=rule,
        marks=_marks(draw, 1),
        span=SPAN,
    )


def _take(draw: st.DrawFn, pool: list[tuple[str, object]], most: int) -> list[tuple[str, object]]:
    """Remove and return up to `most` resources from the pool (none if it is empty)."""
    if not pool:
        return []
    count = draw(st.integers(1, min(most, len(pool))))
    taken, pool[:] = pool[:count], pool[count:]
    return taken


def _criteria(draw: st.DrawFn, ctx: Context, pool: list[tuple[str, object]]) -> list[m.Criterion]:
    """Criteria reading disjoint parts of the pool: none can contradict another."""
    criteria = []
    for kind in ("inclusion", "exclusion"):
        for n in range(1, draw(st.integers(1, 4)) + 1):
            ident = ("I" if kind == "inclusion" else "E") + str(n)
            text = draw(texts(150))
            resources = _take(draw, pool, 4) if draw(st.integers(0, 5)) else []
            marks = _marks(draw)
            if draw(st.integers(0, 4)) == 0:
                # its id in a previous version: one `was` per criterion, each name claimed
                # once (E0128, E0129)
                marks += (m.Mark("was", ident.replace("I", "PI").replace("E", "PE"), span=SPAN),)
            if not resources:
                attestation = draw(st.none() | texts())
                criteria.append(
                    m.Criterion(kind, ident, text, None, True, attestation, marks, span=SPAN)
                )
            else:
                rule = _condition(draw, ctx, draw(st.integers(0, 3)), resources)
                criteria.append(m.Criterion(kind, ident, text, rule, marks=marks, span=SPAN))
    return criteria


def _score_info(score: m.Score) -> ScoreInfo:
    def most(domains: list[m.ScoreDomain]) -> Decimal:
        if score.rule == "highest_per_domain":
            return sum((max(i.weight for i in d.items) for d in domains), Decimal(0))
        return sum((i.weight for d in domains for i in d.items), Decimal(0))

    parts = [(d.name, most([d])) for d in score.domains]
    for tag in sorted({t for d in score.domains for t in d.tags}):
        parts.append((tag, most([d for d in score.domains if tag in d.tags])))
    return ScoreInfo(score.name, most(list(score.domains)), tuple(parts))


def _dose_finding(
    draw: st.DrawFn,
    used: set[str],
    intervention: str,
    last_day: int,
    visit_days: tuple[int, ...] = (),
) -> tuple[m.DoseFinding, int]:
    """A dose-finding block whose numbers add up; returns it and its sample size."""
    unit = draw(st.sampled_from(["mg", "ug", "mg/kg"]))
    count = draw(st.integers(2, 6))
    doses = sorted(
        set(draw(st.lists(st.integers(1, 500), min_size=count, max_size=count, unique=True)))
    )
    levels = tuple(
        m.DoseLevel(f"DL{k + 1}", m.Quantity(Decimal(d) / 10, unit), _marks(draw, 1), span=SPAN)
        for k, d in enumerate(doses)
    )
    cohort_size = draw(st.integers(1, 4))
    cohorts = draw(st.integers(2, 12))
    kind = draw(st.sampled_from(["boin", "mtpi2"]))
    parameters = (
        m.Field(
            "target",
            (_number_value(Decimal(draw(st.sampled_from(["0.25", "0.3", "0.33"])))),),
            span=SPAN,
        ),
        m.Field("cohort_size", (_number_value(Decimal(cohort_size)),), span=SPAN),
        m.Field("cohorts", (_number_value(Decimal(cohorts)),), span=SPAN),
        m.Field(
            "max_per_dose",
            (_number_value(Decimal(cohort_size * draw(st.integers(1, 4)))),),
            span=SPAN,
        ),
    )
    design = m.EscalationDesign(kind, parameters, _marks(draw, 1), span=SPAN)
    window_days = draw(st.integers(2, last_day - 1))
    window = m.DltWindow(
        m.Quantity(Decimal(window_days), "days"), "first_dose", _marks(draw, 1), span=SPAN
    )
    step_ups: tuple[m.StepUp, ...] = ()
    # a step-up dose falls on a scheduled visit, where it is given and recorded (E0620)
    step_days = [d for d in visit_days if 2 <= d < window_days]
    if step_days and draw(st.booleans()):
        top = levels[-1].name
        days = sorted(set(draw(st.lists(st.sampled_from(step_days), min_size=1, max_size=3))))
        percents = sorted(
            set(draw(st.lists(st.integers(1, 99), min_size=len(days), max_size=len(days))))
        )
        steps = (
            [m.StepDose(1, m.Quantity(Decimal(percents[0]), "%"), span=SPAN)]
            if len(percents) == len(days)
            else []
        )
        if steps:
            for day, percent in zip(days[:-1], percents[1:], strict=False):
                steps.append(m.StepDose(day, m.Quantity(Decimal(percent), "%"), span=SPAN))
            steps.append(m.StepDose(days[-1], m.Quantity(Decimal(100), "%"), span=SPAN))
            step_ups = (m.StepUp((top,), tuple(steps), _marks(draw, 1), span=SPAN),)
    fields = [m.Field("start_level", (_name_value(levels[0].name),), span=SPAN)]
    expansion = draw(st.none() | st.integers(1, 30))
    if expansion is not None:
        fields.append(m.Field("expansion", (_number_value(Decimal(expansion)),), span=SPAN))
    fields.append(m.Field("decided_by", (_string_value(draw(texts())),), span=SPAN))
    scenarios = tuple(
        m.Scenario(
            _fresh(draw, used),
            _label(draw),
            tuple(sorted(_decimal(draw, 0, 1) for _ in levels)),
            span=SPAN,
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    dose_finding = m.DoseFinding(
        intervention,
        levels,
        _marks(draw, 1),
        design,
        window,
        m.DltDefinition(draw(texts(100)), span=SPAN),
        step_ups,
        scenarios,
        tuple(fields),
        span=SPAN,
    )
    return dose_finding, cohorts * cohort_size + (expansion or 0)


@st.composite
def spec_parts(draw: st.DrawFn) -> SpecParts:
    """A whole valid spec as a model, with the context its rules were drawn in."""
    used: set[str] = set(RESERVED)
    epochs, visits, last_day = _schedule(draw, used)
    scr, first = visits[0].name, visits[1].name
    scheduled = tuple(v.name for v in visits if v.day is not None)
    anchors = [
        m.Anchor("screening", _label(draw), visit=scr, span=SPAN),
        m.Anchor("first_dose", _label(draw), visit=first, marks=_marks(draw, 1), span=SPAN),
    ]
    codelists = [_codelist(draw, used) for _ in range(draw(st.integers(1, 3)))]
    later = draw(st.lists(st.sampled_from(scheduled[1:]), unique=True, max_size=3))
    form_visits = tuple(v for v in scheduled if v == scr or v in later)
    forms = [
        _form(draw, used, codelists, form_visits, False) for _ in range(draw(st.integers(1, 3)))
    ]
    forms += [_form(draw, used, codelists, (scr,), True) for _ in range(draw(st.integers(0, 2)))]
    scores: list[m.Score | m.ScoreVariant] = []
    flagged = [
        f for f in forms if not f.repeating and sum(i.type.kind == "yes_no" for i in f.items) >= 2
    ]
    score_form = flagged[0] if flagged and draw(st.booleans()) else None
    score_info: tuple[ScoreInfo, ...] = ()
    if score_form is not None:
        score = _score(draw, used, score_form)
        scores.append(score)
        score_info = (_score_info(score),)
        if draw(st.booleans()):
            dropped = score.domains[0].items[0].name
            variant = m.ScoreVariant(
                _fresh(draw, used),
                _label(draw),
                m.Ref((score.name,), span=SPAN),
                (dropped,),
                span=SPAN,
            )
            scores.append(variant)

    # Rules read items without a `when` condition, and not the items a score reads:
    # every rule, definition and criterion reads its own (see Context).
    def readable(form: m.Form) -> tuple[ItemInfo, ...]:
        return tuple(_info(form, i, codelists, form.visits) for i in form.items if i.when is None)

    items = tuple(i for f in forms if not f.repeating and f is not score_form for i in readable(f))
    repeating = tuple((f.name, readable(f)) for f in forms if f.repeating)
    ctx = Context(
        scr,
        scheduled,
        ("screening", "first_dose"),
        items,
        repeating,
        tuple(codelists),
        (),
        score_info,
    )
    pool = draw(st.permutations(ctx.resources()))
    defines = []
    for _ in range(draw(st.integers(0, 3))):
        resources = _take(draw, pool, 3)
        if not resources:
            break
        rule = _condition(draw, ctx, 2, resources)
        define = m.Define(_fresh(draw, used), _label(draw), rule, _marks(draw, 1), span=SPAN)
        defines.append(define)
        pool.append(("define", define.name))
        ctx = attrs.evolve(ctx, conditions=(*ctx.conditions, define.name))
    pool = draw(st.permutations(pool))
    criteria = _criteria(draw, ctx, pool)
    intervention = m.Intervention(
        _fresh(draw, used, upper=True),
        _label(draw),
        (
            m.Field("type", (_name_value("drug"),), span=SPAN),
            m.Field(
                "route", (_name_value(draw(st.sampled_from(["oral", "subcutaneous"]))),), span=SPAN
            ),
        ),
        span=SPAN,
    )
    dose_finding = None
    enrolment: int | None = draw(st.none() | st.integers(10, 500))
    if draw(st.booleans()):
        visit_days = tuple(v.day for v in visits if v.day is not None and v.day_end is None)
        dose_finding, enrolment = _dose_finding(draw, used, intervention.name, last_day, visit_days)
    trial = _trial(draw, used, scr, enrolment)
    activities = [
        m.Activity(
            _fresh(draw, used),
            _label(draw),
            tuple(draw(st.lists(st.sampled_from(scheduled), min_size=1, unique=True))),
            draw(st.none() | texts()),
            span=SPAN,
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    elements = [
        m.Element(
            _fresh(draw, used, upper=True),
            _label(draw),
            draw(st.none() | texts()),
            draw(st.none() | texts()),
            draw(st.none() | st.just(m.Quantity(Decimal(draw(st.integers(1, 30))), "days"))),
            span=SPAN,
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    arms = []
    if elements:
        steps = tuple(m.ArmStep(e.name, "treatment", span=SPAN) for e in elements)
        arms.append(
            m.Arm(
                _fresh(draw, used, upper=True),
                _label(draw),
                "experimental",
                (intervention.name,),
                draw(st.none() | texts()),
                steps,
                span=SPAN,
            )
        )
    objectives = _objectives(draw, used, last_day)
    populations = _populations(draw, used, ctx)
    objectives = _with_estimands(draw, used, objectives, arms, populations)
    statistics = _statistics(draw) if draw(st.booleans()) else None
    amendments = [
        m.Amendment(
            Decimal(n),
            draw(st.none() | st.dates(dt.date(2020, 1, 1))),
            draw(st.none() | texts()),
            tuple(draw(st.lists(texts(), max_size=2))),
            tuple(
                # an entry names its change (one naming nothing is E0130)
                m.AmendmentChange(
                    c.id,
                    draw(texts()),
                    _marks(draw, 1),
                    tuple(
                        m.ClassificationOverride(
                            draw(st.sampled_from([None, "eu", "fda"])),
                            draw(st.sampled_from(["substantial", "not_substantial"])),
                            draw(texts()),
                            span=SPAN,
                        )
                        for _ in range(draw(st.integers(0, 1)))
                    ),
                    span=SPAN,
                )
                # one entry per change: two could override its verdict both ways (E0136)
                for c in draw(
                    st.lists(st.sampled_from(criteria), max_size=2, unique_by=lambda c: c.id)
                )
            ),
            span=SPAN,
        )
        for n in range(1, draw(st.integers(0, 2)) + 1)
    ]
    declarations = [
        trial,
        *epochs,
        *visits,
        *anchors,
        *activities,
        *elements,
        *arms,
        *codelists,
        *forms,
        *scores,
        *defines,
        *criteria,
        intervention,
        *([dose_finding] if dose_finding is not None else []),
        *populations,
        *objectives,
        *([statistics] if statistics is not None else []),
        *amendments,
    ]
    module = m.Module("<generated>", tuple(declarations), span=SPAN)  # type: ignore[arg-type]
    return SpecParts(module, ctx)


def _objectives(draw: st.DrawFn, used: set[str], last_day: int) -> list[m.Objective]:
    objectives = []
    for level in draw(
        st.lists(st.sampled_from(["primary", "secondary", "exploratory"]), max_size=3)
    ):
        endpoints = []
        for _ in range(draw(st.integers(1, 2))):
            longest = (last_day - 1) // 7
            weeks = draw(st.none() | st.integers(1, longest)) if longest else None
            endpoints.append(
                m.Endpoint(
                    _fresh(draw, used, upper=True),
                    draw(texts(80)),
                    draw(st.none() | texts()),
                    m.Quantity(Decimal(weeks), "weeks") if weeks else None,
                    "first_dose" if weeks else None,
                    None,
                    _marks(draw, 1),
                    span=SPAN,
                )
            )
        objectives.append(
            m.Objective(
                _fresh(draw, used, upper=True), level, draw(texts(80)), tuple(endpoints), span=SPAN
            )  # type: ignore[arg-type]
        )
    return objectives


def _populations(draw: st.DrawFn, used: set[str], ctx: Context) -> list[m.Population]:
    """Analysis sets and subgroups, each a condition over what the spec declares."""
    populations = []
    pool = draw(st.permutations(ctx.resources()))
    for _ in range(draw(st.integers(0, 2))):
        resources = _take(draw, pool, 2)
        if not resources:
            break
        populations.append(
            m.Population(
                draw(st.sampled_from(["population", "subgroup"])),
                _fresh(draw, used, upper=True),
                _label(draw),
                _condition(draw, ctx, 2, resources),
                _codes(draw, 1),
                _marks(draw, 1),
                span=SPAN,
            )
        )
    return populations


def _with_estimands(
    draw: st.DrawFn,
    used: set[str],
    objectives: list[m.Objective],
    arms: list[m.Arm],
    populations: list[m.Population],
) -> list[m.Objective]:
    """Objectives, some with an estimand over the declared arms, populations and endpoints."""
    if not arms or not populations:
        return objectives
    out = []
    for objective in objectives:
        if not draw(st.booleans()):
            out.append(objective)
            continue
        events = tuple(
            m.IntercurrentEvent(
                draw(texts()),
                strategy,
                # a composite strategy says what the event counts as (E1021)
                draw(texts().filter(str.strip))
                if strategy == "composite"
                else draw(st.none() | texts()),
                _marks(draw, 1),
                span=SPAN,
            )
            for strategy in draw(st.lists(st.sampled_from(m.INTERCURRENT_STRATEGIES), max_size=2))
        )
        estimand = m.Estimand(
            _fresh(draw, used, upper=True),
            _label(draw),
            (m.Ref((arms[0].name,), span=SPAN),),
            (),
            m.Ref((draw(st.sampled_from(populations)).name,), span=SPAN),
            m.Ref((draw(st.sampled_from(objective.endpoints)).name,), span=SPAN),
            events,
            not events,
            draw(texts()),
            _marks(draw, 1),
            span=SPAN,
        )
        out.append(attrs.evolve(objective, estimands=(estimand,)))  # type: ignore[misc]
    return out


def _statistics(draw: st.DrawFn) -> m.Statistics:
    """A statistics section with one valid sample-size calculation."""
    method = draw(st.sampled_from(["two_proportions", "two_means"]))
    p1 = Decimal(draw(st.integers(5, 45))) / 100
    parameters = {
        "alpha": Decimal("0.05"),
        "power": draw(st.sampled_from([Decimal("0.8"), Decimal("0.9")])),
        **(
            {"p1": p1, "p2": p1 + Decimal(draw(st.integers(10, 40))) / 100}
            if method == "two_proportions"
            else {"difference": _decimal(draw, 1, 10), "sd": _decimal(draw, 1, 20)}
        ),
    }
    fields = tuple(
        m.Field(key, (_number_value(value),), span=SPAN) for key, value in parameters.items()
    )
    sample_size = m.SampleSize(method, _label(draw), fields, _marks(draw, 1), span=SPAN)
    return m.Statistics(
        (sample_size,), tuple(draw(st.lists(texts(), max_size=1))), _marks(draw, 1), span=SPAN
    )


def spec_modules() -> st.SearchStrategy[m.Module]:
    """A whole valid spec as a model (every span unknown)."""
    return spec_parts().map(lambda parts: parts.module)


def specs() -> st.SearchStrategy[str]:
    """A whole valid spec as canonical .trial text."""
    return spec_modules().map(format_module)


def contexts() -> st.SearchStrategy[Context]:
    """The declared items, visits, anchors and code lists of a generated spec."""
    return spec_parts().map(lambda parts: parts.context)
