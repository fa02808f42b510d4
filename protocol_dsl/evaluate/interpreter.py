"""The three-valued interpreter: screen subjects against a spec, with reasons.

Each criterion, definition, score and derived value of a spec is compiled
once into Python closures (`compile_spec_rules(spec) -> Screener`); screening
a subject then only calls them.  A closure takes the evaluation context (the
subject's data, a per-subject cache, the evidence and the missing data
collected so far) and the record it is evaluated on, and returns a runtime
value of `protocol_dsl.evaluate.values` (None when unknown).

Semantics (shared by every back end): Kleene logic, missing data makes a
comparison unknown, scores / counts / sums with unknown parts are intervals,
quantities compare after unit conversion, dates use calendar arithmetic for
months and years, quantifiers over an empty form are false (any) and true
(all).  A subject is eligible if every inclusion is met and every exclusion
is not met, ineligible if any inclusion is not met or any exclusion is met,
else indeterminate, with the data still needed.

Public API (stable): `evaluate_subject`, `evaluate_expr`, `compile_spec_rules`,
`Screener`, `SubjectResult`, `CriterionResult`, `Evidence`, `ExprResult`.
"""

from __future__ import annotations

import datetime as _dt
import math
import weakref
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

import attrs

from protocol_dsl import allocation
from protocol_dsl import model as m
from protocol_dsl.errors import InternalError
from protocol_dsl.evaluate import values as v
from protocol_dsl.evaluate.subject import (
    POSITION,
    DataDictionary,
    DataProblem,
    Subject,
    normalise,
)
from protocol_dsl.functions import MATH_FUNCTIONS
from protocol_dsl.semantics import units
from protocol_dsl.semantics.conversions import threshold_on_item_scale
from protocol_dsl.semantics.types import constant_number, power_unit, root_unit, units_comparable
from protocol_dsl.spec import FormUse, Scope, Spec, Symbol, previous_visit, visits_in_range
from protocol_dsl.syntax import printer
from protocol_dsl.visitor import ExprVisitor

INF = math.inf

# ---------------------------------------------------------------- results


@attrs.frozen
class Evidence:
    """One thing the interpreter read or derived while deciding a criterion."""

    source: str  # serology.c3, medications[1].dose_start, anchor first_dose, sle.sledai_2k
    value: Any  # plain JSON: number, text, yes/no, ISO date, [lo, hi]
    visit: str | None = None
    unit: str | None = None
    recorded: Any = None  # the value as recorded, when it was converted
    recorded_unit: str | None = None
    conversion: str | None = None  # "90 mg/dL = 0.9 g/L", "16 mg/d × 1.25 = 20 mg/d"
    text: str = ""  # the whole line in plain words

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "value": self.value,
            "visit": self.visit,
            "unit": self.unit,
            "recorded": self.recorded,
            "recorded_unit": self.recorded_unit,
            "conversion": self.conversion,
            "text": self.text,
        }


@attrs.define(eq=True)
class CriterionResult:
    id: str
    kind: str  # inclusion | exclusion
    status: str  # met | not_met | unknown
    evidence: list[Evidence]
    missing: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "evidence": [e.to_json() for e in self.evidence],
            "missing": list(self.missing),
        }


@attrs.define(eq=True)
class SubjectResult:
    subject_id: str
    status: str  # eligible | ineligible | indeterminate
    criteria: dict[str, CriterionResult]
    data_needed: list[str]
    invalid: list[DataProblem]
    #: an eligible subject's stratum of each stratification factor (None: the design is
    #: not stratified; empty: the subject is not eligible, so not randomised)
    strata: dict[str, str] | None = None
    #: what the strata still unknown need
    strata_data_needed: list[str] = attrs.Factory(list)

    @property
    def failed(self) -> list[str]:
        """Criteria decided against the subject: inclusions not met, exclusions met."""
        return [
            c.id
            for c in self.criteria.values()
            if (c.kind == "inclusion" and c.status == "not_met")
            or (c.kind == "exclusion" and c.status == "met")
        ]

    @property
    def unknown(self) -> list[str]:
        return [c.id for c in self.criteria.values() if c.status == "unknown"]

    def to_json(self) -> dict[str, Any]:
        return {
            "subject_id": self.subject_id,
            "status": self.status,
            "criteria": {k: c.to_json() for k, c in self.criteria.items()},
            "data_needed": list(self.data_needed),
            "invalid": [p.to_json() for p in self.invalid],
            **self.strata_json(),
        }

    @property
    def stratum(self) -> str | None:
        """The combined stratum (`severity=mild;region=eu`), for an eligible subject."""
        return allocation.subject_stratum(self.strata) if self.strata else None

    def strata_json(self) -> dict[str, Any]:
        if self.strata is None:
            return {}
        return {
            "strata": dict(self.strata),
            "stratum": self.stratum,
            "strata_data_needed": list(self.strata_data_needed),
        }


@attrs.frozen
class ExprResult:
    """The value of one expression for one subject."""

    value: Any  # public value: Truth, float, Quantity, Interval, date, Duration, str, None
    evidence: list[Evidence]
    missing: list[str]

    @property
    def truth(self) -> v.Truth:
        return self.value if isinstance(self.value, v.Truth) else v.Truth.UNKNOWN


class CompileError(InternalError):
    """The spec cannot be evaluated (it should have been rejected by the checks)."""


# ---------------------------------------------------------------- evaluation context


class Context:
    """What one subject's evaluation reads and collects."""

    __slots__ = (
        "attestations",
        "cache",
        "explain",
        "missing",
        "none_forms",
        "reads",
        "records",
        "subject",
        "unknown_forms",
        "values",
        "visits",
    )

    def __init__(self, subject: Subject, explain: bool) -> None:
        self.subject = subject
        self.values = subject.values
        self.records = subject.records
        self.visits = subject.visits
        self.attestations = subject.attestations
        self.unknown_forms = subject.unknown_forms
        self.none_forms = subject.none_forms
        self.cache: dict[Any, Any] = {}
        self.reads: list[Evidence] = []
        self.missing: list[str] = []
        self.explain = explain


Fn = Callable[[Context, Any], Any]
_EMPTY: dict[str, Any] = {}


@attrs.frozen
class Info:
    """What the compiler knows about a value statically: its kind, unit and bounds."""

    kind: str  # truth number date datetime duration titer choice text unknown
    unit: str | None = None
    # exact decimals (literals, weights, arithmetic) or floats (±INF, an item's declared range)
    lo: Decimal | float = -INF
    hi: Decimal | float = INF
    interval: bool = False  # may be an `Interval` at run time (scores, counts, sums)


TRUTH = Info("truth")

_ITEM_KINDS = {
    "number": "number",
    "integer": "number",
    "quantity": "number",
    "date": "date",
    "datetime": "datetime",
    "yes_no": "truth",
    "choice": "choice",
    "titer": "titer",
    "text": "text",
}


def _const(value: Any) -> Fn:
    def constant(ctx: Context, rec: Any) -> Any:
        return value

    constant.value = value  # type: ignore[attr-defined]
    return constant


def _constant_of(fn: Fn) -> Any:
    """The value of a constant closure, else `_NOT_CONSTANT`."""
    return getattr(fn, "value", _NOT_CONSTANT) if fn.__name__ == "constant" else _NOT_CONSTANT


_NOT_CONSTANT = object()


# ---------------------------------------------------------------- the compiler


class _Compiler(ExprVisitor[tuple[Fn, Info], [Scope, str | None]]):
    """Turns expressions into closures, once per spec (each method: in a scope, at a visit)."""

    def __init__(self, spec: Spec, dictionary: DataDictionary) -> None:
        self.spec = spec
        self.dictionary = dictionary
        self._defines: dict[tuple[int, str, str | None], tuple[Fn, Info]] = {}
        self._derives: dict[tuple[int, str, str], tuple[Fn, Info]] = {}
        self._score_domains: dict[tuple[Any, ...], Any] = {}
        self._active: set[tuple[int, str, str | None]] = set()
        #: set while compiling an item named in a comparison: a partial date without an
        #: imputation rule is then read as its period (see `operand`)
        self._period_read = False

    # -------------------------------------------------------- helpers

    def use_of(self, owner: Spec, form: m.Form) -> FormUse | None:
        return self.spec.form_use(owner, form)

    def default_visit(self, use: FormUse) -> str | None:
        eligibility = self.spec.eligibility_visit
        if eligibility is not None and eligibility in use.visits:
            return eligibility
        return use.visits[0] if use.visits else None

    def resolve(self, parts: tuple[str, ...], scope: Scope) -> Symbol:
        symbol = scope.owner.resolve(parts, scope)
        if symbol is None:
            raise CompileError(f"'{'.'.join(parts)}' names nothing in {scope.owner.path}")
        return symbol

    # -------------------------------------------------------- dispatch

    def compile(self, expr: m.Expr, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        return self.visit(expr, scope, visit)

    def truth(self, expr: m.Expr, scope: Scope, visit: str | None) -> Fn:
        fn, info = self.compile(expr, scope, visit)
        if info.kind == "truth":
            return fn

        def as_truth(ctx: Context, rec: Any) -> Any:
            value = fn(ctx, rec)
            return value if value is True or value is False else None

        return as_truth

    # -------------------------------------------------------- literals

    def visit_number_lit(self, e: m.NumberLit, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        value = Decimal(e.value)
        return _const(value), Info("number", None, value, value)

    def visit_quantity_lit(
        self, e: m.QuantityLit, scope: Scope, visit: str | None
    ) -> tuple[Fn, Info]:
        unit = e.quantity.unit
        code = v.duration_unit(unit)
        if code is not None:
            return _const(v.Duration(Decimal(e.quantity.value), code)), Info("duration", code)
        value = Decimal(e.quantity.value)
        return _const(value), Info("number", unit, value, value)

    def visit_text_lit(self, e: m.TextLit, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        return _const(e.value), Info("text")

    def visit_date_lit(self, e: m.DateLit, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        return _const(e.value), Info("date")

    def visit_titer_lit(self, e: m.TiterLit, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        return _const(e.denominator), Info("titer", None, e.denominator, e.denominator)

    def visit_bool_lit(self, e: m.BoolLit, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        return _const(e.value), TRUTH

    # -------------------------------------------------------- names

    def visit_at_visit(self, e: m.AtVisit, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        return self.compile(e.expr, scope, e.visit)

    def visit_at_previous(
        self, e: m.AtPrevious, scope: Scope, visit: str | None
    ) -> tuple[Fn, Info]:
        previous = previous_visit(self.spec, visit)
        if previous is not None:
            return self.compile(e.expr, scope, previous)
        # the first visit, or no visit: there is no previous value to read
        _fn, info = self.compile(e.expr, scope, visit)
        return _const(None), info

    def visit_ref(self, e: m.Ref, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        symbol = self.resolve(e.parts, scope)
        kind = symbol.kind
        if kind == "item":
            return self.item(symbol, e, scope, visit)
        if kind == "derive":
            return self.derive(symbol, e, scope, visit)
        if kind == "define":
            return self.define(symbol, visit)
        if kind in ("score", "score_part"):
            return self.score(symbol, visit)
        if kind == "anchor":
            return self.anchor(symbol)
        if kind == "value" or (len(e.parts) == 1 and self.is_entry(e.parts[0])):
            # a name that is also a code list (class = antimalarial) means the entry
            return _const(e.parts[-1]), Info("choice")
        raise CompileError(f"'{e.dotted}' is a {kind}, not a value")

    def is_entry(self, name: str) -> bool:
        return any(
            codelist.entry(name) is not None
            for spec in self.spec.all_specs()
            for codelist in spec.codelists.values()
        )

    def operand(self, e: m.Expr, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        """An operand of a comparison or time window: a partial date item named there
        without an imputation rule is its period, decided when every day of it agrees.

        Only the item itself: anywhere else (arithmetic, a definition, a function)
        its value is the date when complete, else unknown, as in the screening plan.
        """
        inner = e.expr if isinstance(e, m.AtVisit) else e
        if isinstance(inner, m.Ref):
            symbol = scope.owner.resolve(inner.parts, scope)
            if symbol is not None and symbol.kind == "item":
                self._period_read = True
        try:
            return self.compile(e, scope, visit)
        finally:
            self._period_read = False

    def item(self, symbol: Symbol, e: m.Ref, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        period, self._period_read = self._period_read, False
        fn, info = self._item(symbol, e, scope, visit)
        item: m.Item = symbol.decl  # type: ignore[assignment]
        if not (item.partial and item.impute is None and item.type.kind == "date"):
            return fn, info
        if period:
            return fn, attrs.evolve(info, interval=True)
        interval_class = v.Interval

        def complete(ctx: Context, rec: Any) -> Any:
            value = fn(ctx, rec)
            return None if value.__class__ is interval_class else value

        return complete, info

    def _item(self, symbol: Symbol, e: m.Ref, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        item: m.Item = symbol.decl  # type: ignore[assignment]
        form = symbol.form
        assert form is not None
        use = self.use_of(symbol.owner, form)
        info = self.item_info(use, item)
        name = item.name
        if scope.record is form and len(e.parts) == 1:
            key = use.key if use is not None else form.name
            return self.record_item(key, name, info, use), info
        if use is None:
            # a form the trial never collects: always missing
            label = f"{'.'.join(e.parts)} (form not collected by the trial)"
            return self.always_missing(label), info
        if use.repeating:
            label = f"{use.key}.{name} (a repeating form read outside any/all/count)"
            return self.always_missing(label), info
        at = visit or self.default_visit(use)
        return self.visit_item(use, name, at, info), info

    def item_info(self, use: FormUse | None, item: m.Item) -> Info:
        kind = _ITEM_KINDS[item.type.kind]
        if use is None:
            return Info(kind, item.type.unit)
        form_info = self.dictionary.forms.get(use.storage_name)
        item_info = form_info.items.get(item.name) if form_info else None
        lo, hi = item_info.range if item_info and item_info.range else (-INF, INF)
        if kind == "truth":
            lo, hi = 0, 1
        unit = item.type.unit if item.type.kind == "quantity" else None
        return Info(kind, unit, lo, hi)

    def always_missing(self, label: str) -> Fn:
        def missing(ctx: Context, rec: Any) -> Any:
            ctx.missing.append(label)
            return None

        return missing

    def visit_item(self, use: FormUse, name: str, at: str | None, info: Info) -> Fn:
        storage = use.storage_name
        key = (storage, at)
        label = f"{use.key}.{name} at {at}"
        form_label = f"{use.key} at {at}"
        source = f"{use.key}.{name}"
        unit = info.unit
        kind = info.kind

        def read(ctx: Context, rec: Any) -> Any:
            # a form collected at no visit (`at` None) has no record: the lookup finds none
            record = ctx.values.get(key)  # type: ignore[arg-type]
            if record is None:
                ctx.missing.append(form_label)
                return None
            value = record.get(name)
            if value is None:
                ctx.missing.append(label)
                return None
            if ctx.explain:
                ctx.reads.append(
                    _read_evidence(ctx, source, storage, at, name, value, unit, None, kind)
                )
            return value

        read.visit_read = (key, name, label, form_label)  # type: ignore[attr-defined]
        return read

    def record_item(self, form_key: str, name: str, info: Info, use: FormUse | None) -> Fn:
        unit = info.unit
        kind = info.kind
        storage = use.storage_name if use is not None else form_key

        def read(ctx: Context, rec: Any) -> Any:
            value = rec.get(name)
            if value is None:
                ctx.missing.append(_record_label(form_key, rec.get(POSITION), name))
                return None
            if ctx.explain:
                position = rec.get(POSITION)
                source = _record_label(form_key, position, name)
                visit = position if isinstance(position, str) else None
                ctx.reads.append(
                    _read_evidence(
                        ctx,
                        source.split(" at ")[0],
                        storage,
                        visit,
                        name,
                        value,
                        unit,
                        position,
                        kind,
                    )
                )
            return value

        read.record_read = (name, form_key)  # type: ignore[attr-defined]
        return read

    def derive(self, symbol: Symbol, e: m.Ref, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        derive: m.Derive = symbol.decl  # type: ignore[assignment]
        form = symbol.form
        assert form is not None
        use = self.use_of(symbol.owner, form)
        form_key = use.key if use is not None else form.name
        body, info = self.derive_body(symbol.owner, form, derive, form_key)
        if scope.record is form and len(e.parts) == 1:
            return body, info
        if use is None or use.repeating:
            return self.always_missing(f"{'.'.join(e.parts)} (read outside its records)"), info
        at = visit or self.default_visit(use)
        key = (use.storage_name, at)
        empty = {POSITION: at}

        def at_visit(ctx: Context, rec: Any) -> Any:
            # a form collected at no visit (`at` None) has no record: the lookup finds none
            return body(ctx, ctx.values.get(key) or empty)  # type: ignore[arg-type]

        return at_visit, info

    def derive_body(
        self, owner: Spec, form: m.Form, derive: m.Derive, form_key: str
    ) -> tuple[Fn, Info]:
        cache_key = (id(owner), form.name, derive.name)
        if cache_key in self._derives:
            return self._derives[cache_key]
        record_scope = Scope(owner, form)
        fn, info = self.compile(derive.expr, record_scope, None)
        formula = self.formula(derive.expr, record_scope)
        memo = "=" + derive.name
        name = derive.name
        text = printer.expr(derive.expr).replace(" * ", " × ")
        unit = info.unit

        def derived(ctx: Context, rec: Any) -> Any:
            memo_key = (id(rec), memo)
            cache = ctx.cache
            if memo_key in cache:
                return cache[memo_key]
            value = fn(ctx, rec)
            cache[memo_key] = value
            if ctx.explain and value is not None:
                position = rec.get(POSITION)
                source = _record_label(form_key, position, name).split(" at ")[0]
                worked = formula(ctx, rec)
                result = v.describe(value, unit)
                conversion = f"{worked} = {result}" if worked else None
                ctx.reads.append(
                    Evidence(
                        source,
                        v.to_json(value),
                        position if isinstance(position, str) else None,
                        unit,
                        conversion=conversion,
                        text=f"{source} = {text}"
                        + (f" = {conversion}" if conversion else f" = {result}"),
                    )
                )
            return value

        self._derives[cache_key] = (derived, info)
        return derived, info

    def formula(self, expr: m.Expr, scope: Scope) -> Fn:
        """The arithmetic of a derived value with the values read: "16 mg/d × 1.25"."""
        if isinstance(expr, m.Arith):
            left = self.formula(expr.left, scope)
            right = self.formula(expr.right, scope)
            symbol = {"*": "×", "/": "÷", "+": "+", "-": "−"}[expr.op]

            def worked(ctx: Context, rec: Any) -> Any:
                a, b = left(ctx, rec), right(ctx, rec)
                return f"{a} {symbol} {b}" if a and b else None

            return worked
        fn, info = self.compile(expr, scope, None)

        def leaf(ctx: Context, rec: Any) -> Any:
            quiet = Context(ctx.subject, False)
            quiet.cache = ctx.cache
            value = fn(quiet, rec)
            return None if value is None else v.describe(value, info.unit)

        return leaf

    def define(self, symbol: Symbol, visit: str | None) -> tuple[Fn, Info]:
        define: m.Define = symbol.decl  # type: ignore[assignment]
        key = (id(symbol.owner), define.name, visit)
        if key in self._defines:
            return self._defines[key]
        if key in self._active:
            raise CompileError(f"definition {define.name} refers to itself")
        self._active.add(key)
        try:
            fn, info = self.compile(define.expr, Scope(symbol.owner), visit)
        finally:
            self._active.discard(key)
        name = define.name if symbol.owner is self.spec else _qualified(self.spec, symbol)
        shown = f"{name} at {visit}" if visit else name

        def memoised(ctx: Context, rec: Any) -> Any:
            hit = ctx.cache.get(key)
            if hit is not None:
                value, reads, missing = hit
                if reads:
                    ctx.reads.extend(reads)
                if missing:
                    ctx.missing.extend(missing)
                return value
            r0, m0 = len(ctx.reads), len(ctx.missing)
            value = fn(ctx, rec)
            if ctx.explain:
                ctx.reads.append(
                    Evidence(
                        shown,
                        _json_value(value),
                        visit,
                        info.unit,
                        text=f"{shown}: {_word(value, info.unit)}",
                    )
                )
            ctx.cache[key] = (value, ctx.reads[r0:], ctx.missing[m0:])
            return value

        self._defines[key] = (memoised, info)
        return memoised, info

    def anchor(self, symbol: Symbol) -> tuple[Fn, Info]:
        anchor: m.Anchor = symbol.decl  # type: ignore[assignment]
        if anchor.visit is not None:
            visit = anchor.visit
            name = anchor.name
            label = f"visits.{visit}"

            def visit_date(ctx: Context, rec: Any) -> Any:
                date = ctx.visits.get(visit)
                if date is None:
                    ctx.missing.append(label)
                    return None
                if ctx.explain:
                    ctx.reads.append(
                        Evidence(
                            f"anchor {name}",
                            date.isoformat(),
                            visit,
                            text=f"{name} = date of visit {visit}: {date.isoformat()}",
                        )
                    )
                return date

            return visit_date, Info("date")
        assert anchor.expr is not None
        return self.compile(anchor.expr, Scope(symbol.owner), None)

    # -------------------------------------------------------- scores

    def score(self, symbol: Symbol, visit: str | None) -> tuple[Fn, Info]:
        """A score (or one of its parts, or a variant) at a visit: a number or an interval.

        The domains of a score are evaluated once per subject and visit, and
        shared by the score and its parts (`sle.sledai_2k.cns`); a variant
        without some descriptors has its own domains.
        """
        owner = symbol.owner
        decl = symbol.decl
        base = owner.base_score(decl)  # type: ignore[arg-type]
        if base is None:
            raise CompileError(f"score {getattr(decl, 'name', '?')} has no base score")
        excluded = frozenset(_excluded_descriptors(owner, decl))
        base_owner = _owner_of_score(owner, decl)
        if base.form is None:
            raise CompileError(f"score {base.name} has no form")
        form_symbol = base_owner.resolve(base.form.parts, Scope(base_owner))
        if form_symbol is None or form_symbol.form is None:
            raise CompileError(f"score {base.name}: its form is unknown")
        form = form_symbol.form
        use = self.use_of(form_symbol.owner, form)
        part = symbol.part
        name = _qualified(self.spec, symbol)
        if part is not None:
            name = f"{name}.{part}" if not name.endswith(f".{part}") else name
        at = visit or (self.default_visit(use) if use is not None else None)
        highest = base.rule == "highest_per_domain"
        selected = tuple(
            i
            for i, domain in enumerate(base.domains)
            if part is None or part == domain.name or part in domain.tags
        )
        maxima = []
        for domain in base.domains:
            weights = [Decimal(d.weight) for d in domain.items if d.name not in excluded]
            maxima.append(max(weights, default=v.ZERO) if highest else sum(weights, v.ZERO))
        total_max = sum(maxima[i] for i in selected)
        info = Info("number", None, 0.0, total_max, interval=True)
        if use is None:
            return self.always_missing(f"{name} (its form is not collected by the trial)"), info
        domains = self.score_domains(base_owner, base, form, use, at, excluded)
        form_label = f"{use.key} at {at}"
        shown = f"{name} at {at}"
        interval_class = v.Interval

        def evaluate(ctx: Context, rec: Any) -> Any:
            results = domains(ctx)
            if results is None:
                ctx.missing.append(form_label)
                value = v.interval(v.ZERO, total_max)
                if ctx.explain:
                    text = f"{shown}: not recorded ({_word(value, None)})"
                    ctx.reads.append(Evidence(shown, _json_value(value), at, text=text))
                return value
            lo = hi = v.ZERO
            missing = ctx.missing
            for i in selected:
                dlo, dhi, absent, _present, _unknown = results[i]
                lo += dlo
                hi += dhi
                if absent:
                    missing.extend(absent)
            value = lo if lo == hi else interval_class(lo, hi)
            if ctx.explain:
                present = [p for i in selected for p in results[i][3]]
                unknown = [u for i in selected for u in results[i][4]]
                text = f"{shown} = {_word(value, None)}"
                text += f" (present: {', '.join(present) or 'none'}"
                text += f"; unknown: {', '.join(unknown)})" if unknown else ")"
                ctx.reads.append(Evidence(shown, _json_value(value), at, text=text))
            return value

        return evaluate, info

    def score_domains(
        self,
        owner: Spec,
        base: m.Score,
        form: m.Form,
        use: FormUse,
        at: str | None,
        excluded: frozenset[str],
    ) -> Callable[[Context], list[tuple[Decimal, Decimal, list[str], list[str], list[str]]] | None]:
        """Per domain of a score at a visit: (lo, hi, missing items, present, unknown).

        Memoised per subject: a score read by several criteria, or through its
        parts, is evaluated once.  None when the form was not recorded at the visit.
        """
        memo_key = ("score", id(owner), base.name, at, excluded)
        cached = self._score_domains.get(memo_key)
        if cached is not None:
            return cached
        record_scope = Scope(owner, form)
        highest = base.rule == "highest_per_domain"
        # a descriptor is (weight, name, rule or None to read the item itself, missing label)
        compiled: list[list[tuple[Decimal, str, Fn | None, str]]] = []
        for domain in base.domains:
            descriptors: list[tuple[Decimal, str, Fn | None, str]] = []
            for item in domain.items:
                if item.name in excluded:
                    continue
                fn: Fn | None = None
                if item.expr is not None:
                    fn = self.truth(item.expr, record_scope, None)
                elif form.item(item.name) is None:
                    raise CompileError(f"score item {item.name} is not an item of {form.name}")
                label = f"{use.key}.{item.name} at {at}"
                descriptors.append((Decimal(item.weight), item.name, fn, label))
            compiled.append(descriptors)
        key = (use.storage_name, at)

        def domains(ctx: Context) -> Any:
            cache = ctx.cache
            if memo_key in cache:
                return cache[memo_key]
            # a form collected at no visit (`at` None) has no record: the lookup finds none
            record = ctx.values.get(key)  # type: ignore[arg-type]
            if record is None:
                cache[memo_key] = None
                return None
            explain = ctx.explain
            results = []
            for descriptors in compiled:
                lo = hi = v.ZERO
                absent: list[str] = []
                present: list[str] = []
                unknown: list[str] = []
                for weight, item_name, fn, label in descriptors:
                    if fn is None:
                        t = record.get(item_name)
                        if t is None:
                            absent.append(label)
                    else:
                        m0 = len(ctx.missing)
                        t = fn(ctx, record)
                        if len(ctx.missing) > m0:
                            absent.extend(ctx.missing[m0:])
                            del ctx.missing[m0:]
                    if t is True:
                        if highest:
                            if weight > lo:
                                lo = weight
                            if weight > hi:
                                hi = weight
                        else:
                            lo += weight
                            hi += weight
                        if explain:
                            present.append(f"{item_name} {v.format_number(weight)}")
                    elif t is not False:
                        if highest:
                            if weight > hi:
                                hi = weight
                        else:
                            hi += weight
                        if explain:
                            unknown.append(f"{item_name} {v.format_number(weight)}")
                results.append((lo, hi, absent, present, unknown))
            cache[memo_key] = results
            return results

        self._score_domains[memo_key] = domains
        return domains

    # -------------------------------------------------------- arithmetic

    def visit_negate(self, e: m.Negate, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        fn, info = self.compile(e.expr, scope, visit)

        def negate(ctx: Context, rec: Any) -> Any:
            return v.negate(fn(ctx, rec))

        return negate, Info(info.kind, info.unit, -info.hi, -info.lo, info.interval)

    def visit_arith(self, e: m.Arith, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        ratio = m.literal_ratio(e)
        if ratio is not None:
            # a ratio written in a rule (1/3) is exact, as one in a table (`plan.lower` too)
            exact = v.settle(ratio)
            value = ratio if Fraction(exact) != ratio else exact
            return _const(value), Info("number", None, float(ratio), float(ratio))
        left, li = self.compile(e.left, scope, visit)
        right, ri = self.compile(e.right, scope, visit)
        op = e.op
        if li.kind in ("date", "datetime") and ri.kind == "duration" and op in "+-":
            sign = 1 if op == "+" else -1

            def shift(ctx: Context, rec: Any) -> Any:
                date, span = left(ctx, rec), right(ctx, rec)
                if date is None or span is None:
                    return None
                try:
                    return span.shift(date, sign)
                except OverflowError:
                    return None

            return shift, Info("date")
        if li.kind in ("date", "datetime") and ri.kind in ("date", "datetime") and op == "-":

            def difference(ctx: Context, rec: Any) -> Any:
                a, b = left(ctx, rec), right(ctx, rec)
                if a is None or b is None:
                    return None
                # calendar days between the dates, as days_between counts them
                if isinstance(a, _dt.datetime):
                    a = a.date()
                if isinstance(b, _dt.datetime):
                    b = b.date()
                return (a - b).days

            return difference, Info("number", "d")
        convert = None
        unit = li.unit or ri.unit
        if op in "+-" and li.unit and ri.unit and li.unit != ri.unit:
            convert = _converter(ri.unit, li.unit)
            unit = li.unit
        elif op == "*" and li.unit and ri.unit:
            unit = f"{li.unit}.{ri.unit}"
        elif op == "/" and li.unit and ri.unit and li.unit != ri.unit and _comparable(li, ri):
            # a ratio of two quantities of one kind is a number: 1.7 m / 1 cm is 170
            convert = _converter(ri.unit, li.unit)
            unit = None
            ri = attrs.evolve(
                ri, lo=_convert_bound(ri.lo, convert), hi=_convert_bound(ri.hi, convert)
            )
        elif op == "/":
            unit = (
                None
                if li.unit == ri.unit
                else (li.unit if not ri.unit else f"{li.unit or '1'}/({ri.unit})")
            )
        lo, hi = _bounds_arith(op, (li.lo, li.hi), (ri.lo, ri.hi))
        arithmetic = v.arithmetic

        def arith(ctx: Context, rec: Any) -> Any:
            a = left(ctx, rec)
            b = right(ctx, rec)
            if a is None or b is None:
                return None
            if convert is not None:
                b = _convert_value(b, convert)
            return arithmetic(op, a, b)

        return arith, Info("number", unit, lo, hi, li.interval or ri.interval)

    def visit_call(self, e: m.Call, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        applied = scope.owner.application(e)
        if applied is not None:
            # `check` refuses an application it cannot expand (E1059–E1061)
            assert applied.expansion is not None, applied.problem
            return self.compile(applied.expansion, scope, visit)
        name = e.function
        if name == "lookup":
            return self.lookup(e, scope, visit)
        args = [self.compile(a, scope, visit) for a in e.args]
        if name in ("years_between", "months_between", "days_between"):
            (a, _), (b, _) = args
            between = {
                "years_between": v.years_between,
                "months_between": v.months_between,
                "days_between": v.days_between,
            }[name]

            def dates(ctx: Context, rec: Any) -> Any:
                x, y = a(ctx, rec), b(ctx, rec)
                if x is None or y is None:
                    return None
                if isinstance(x, _dt.datetime):
                    x = x.date()
                if isinstance(y, _dt.datetime):
                    y = y.date()
                return between(x, y)

            return dates, Info("number")
        if name == "abs":
            ((fn, info),) = args

            def absolute(ctx: Context, rec: Any) -> Any:
                x = fn(ctx, rec)
                if x is None:
                    return None
                if x.__class__ is v.Interval:
                    lo, hi = x.lo, x.hi
                    if lo >= 0:
                        return x
                    if hi <= 0:
                        return v.Interval(-hi, -lo)
                    return v.interval(v.ZERO, max(-lo, hi))
                return abs(x)

            size = max(_magnitude(info.lo), _magnitude(info.hi))
            return absolute, Info(info.kind, info.unit, 0.0, size, info.interval)
        if name in ("least", "greatest"):
            (a, ai), (b, bi) = args
            pick = min if name == "least" else max
            convert = (
                _converter(bi.unit, ai.unit) if ai.unit and bi.unit and ai.unit != bi.unit else None
            )

            def extreme(ctx: Context, rec: Any) -> Any:
                x, y = a(ctx, rec), b(ctx, rec)
                if x is None or y is None:
                    return None
                if convert is not None:
                    y = _convert_value(y, convert)
                if x.__class__ is v.Interval or y.__class__ is v.Interval:
                    (x0, x1), (y0, y1) = v.bounds(x), v.bounds(y)
                    return v.interval(pick(x0, y0), pick(x1, y1))
                return pick(x, y)

            return extreme, Info(
                ai.kind, ai.unit, pick(ai.lo, bi.lo), pick(ai.hi, bi.hi), ai.interval or bi.interval
            )
        if name in MATH_FUNCTIONS:
            return self._math(e, args)
        raise CompileError(f"unknown function {name}")

    @staticmethod
    def _math(e: m.Call, args: list[tuple[Fn, Info]]) -> tuple[Fn, Info]:
        """sqrt, power, exp, ln, round, floor, ceiling (`values.math_function`)."""
        name = e.function
        (fn, info), *rest = args
        unit: str | None = None
        if name in ("round", "floor", "ceiling"):
            unit = info.unit
        elif name == "sqrt" and info.unit:
            unit = root_unit(info.unit)
        elif name == "power" and info.unit:
            exponent = constant_number(e.args[1])
            if exponent is not None and exponent == exponent.to_integral_value():
                unit = power_unit(info.unit, int(exponent))
        if unit == "1":
            unit = None
        compute = v.math_function
        if not rest:

            def one(ctx: Context, rec: Any) -> Any:
                return compute(name, fn(ctx, rec))

            return one, Info("number", unit)
        ((second, _),) = rest

        def two(ctx: Context, rec: Any) -> Any:
            y = second(ctx, rec)
            return None if y is None else compute(name, fn(ctx, rec), y)

        return two, Info("number", unit)

    def lookup(self, e: m.Call, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        table_ref, key_expr = e.args
        if not isinstance(table_ref, m.Ref):
            raise CompileError("lookup needs a table name")
        symbol = self.resolve(table_ref.parts, scope)
        if symbol.kind != "table":
            raise CompileError(f"'{table_ref.dotted}' is not a table")
        table: m.Table = symbol.decl  # type: ignore[assignment]
        rows: dict[str, Any] = {}
        unit: str | None = None
        numbers: list[float] = []
        for row in table.rows:
            value = row.value.value
            if isinstance(value, m.Quantity):
                unit = value.unit
                rows[row.key] = Decimal(value.value)
                numbers.append(float(value.value))
            elif isinstance(value, Decimal):
                rows[row.key] = value
                numbers.append(float(value))
            elif isinstance(value, Fraction):
                # a ratio stays exact until arithmetic settles it (`values.arithmetic`)
                exact = v.settle(value)
                rows[row.key] = value if Fraction(exact) != value else exact
                numbers.append(float(value))
            else:
                rows[row.key] = value
        key_fn, _ = self.compile(key_expr, scope, visit)
        name = table_ref.dotted
        kind = "number" if numbers else "text"

        def look_up(ctx: Context, rec: Any) -> Any:
            key = key_fn(ctx, rec)
            if key is None:
                return None
            value = rows.get(key)
            if ctx.explain:
                shown = f"{name}[{key}]"
                text = (
                    f"{shown} = {v.describe(value, unit)}"
                    if value is not None
                    else f"{name} has no row for {key}"
                )
                ctx.reads.append(Evidence(shown, _json_value(value), None, unit, text=text))
            return value

        return look_up, Info(kind, unit, min(numbers, default=-INF), max(numbers, default=INF))

    # -------------------------------------------------------- logic

    def visit_not(self, e: m.Not, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        fn = self.truth(e.expr, scope, visit)

        def negation(ctx: Context, rec: Any) -> Any:
            t = fn(ctx, rec)
            return None if t is None else not t

        return negation, TRUTH

    def visit_logic(self, e: m.Logic, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        left = self.truth(e.left, scope, visit)
        right = self.truth(e.right, scope, visit)
        left_decides, right_decides = _DECIDING[e.op]
        return _short_circuit(left, right, left_decides, right_decides), TRUTH

    def visit_conditional(
        self, e: m.Conditional, scope: Scope, visit: str | None
    ) -> tuple[Fn, Info]:
        condition = self.truth(e.condition, scope, visit)
        then, ti = self.compile(e.then, scope, visit)
        otherwise, oi = self.compile(e.otherwise, scope, visit)

        def conditional(ctx: Context, rec: Any) -> Any:
            c = condition(ctx, rec)
            if c is True:
                return then(ctx, rec)
            if c is False:
                return otherwise(ctx, rec)
            a, b = then(ctx, rec), otherwise(ctx, rec)
            if a is not None and b is not None and a.__class__ is b.__class__ and a == b:
                return a
            return None

        interval = ti.interval or oi.interval
        bounds = (min(ti.lo, oi.lo), max(ti.hi, oi.hi))
        return conditional, Info(ti.kind, ti.unit or oi.unit, *bounds, interval)

    # -------------------------------------------------------- comparisons

    def visit_compare(self, e: m.Compare, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        e = threshold_on_item_scale(self.spec, scope, e)
        left, li = self.operand(e.left, scope, visit)
        right, ri = self.operand(e.right, scope, visit)
        return self.comparison(e.op, left, li, right, ri, e.right), TRUTH

    def comparison(
        self, op: str, left: Fn, li: Info, right: Fn, ri: Info, right_expr: m.Expr | None
    ) -> Fn:
        convert = None
        if li.unit and ri.unit and li.unit != ri.unit and li.kind == ri.kind == "number":
            if isinstance(right_expr, m.QuantityLit):
                constant = _convert_literal(right_expr.quantity, li.unit)
                right = _const(constant)
            else:
                convert = _converter(ri.unit, li.unit)
        if li.kind == "duration" or ri.kind == "duration":
            return self.duration_comparison(op, left, li, right, ri)
        if {li.kind, ri.kind} == {"date", "datetime"}:
            # a date compared with a date and time is that day's start
            left, right = _as_datetime(left, li), _as_datetime(right, ri)
        plain = v.COMPARATORS[op]
        if not (li.interval or ri.interval) and convert is None:
            constant = _constant_of(right)
            if constant is not _NOT_CONSTANT and constant is not None:

                def against_constant(ctx: Context, rec: Any) -> Any:
                    a = left(ctx, rec)
                    if a is None:
                        return None
                    try:
                        return plain(a, constant)
                    except TypeError:  # values of different kinds never compare
                        return None

                return _fused(left, plain, constant) or against_constant

            def known_values(ctx: Context, rec: Any) -> Any:
                a = left(ctx, rec)
                b = right(ctx, rec)
                if a is None or b is None:
                    return None
                try:
                    return plain(a, b)
                except TypeError:
                    return None

            return known_values
        compare = v.compare
        interval_class = v.Interval

        def comparison(ctx: Context, rec: Any) -> Any:
            m0 = len(ctx.missing)
            a = left(ctx, rec)
            b = right(ctx, rec)
            if a is None or b is None:
                return None
            if convert is not None:
                b = _convert_value(b, convert)
            if a.__class__ is interval_class or b.__class__ is interval_class:
                result = compare(op, a, b)
                if result is not None and len(ctx.missing) > m0:
                    del ctx.missing[m0:]  # decided whatever the missing parts are
                return result
            try:
                return plain(a, b)
            except TypeError:
                return None

        return comparison

    def duration_comparison(self, op: str, left: Fn, li: Info, right: Fn, ri: Info) -> Fn:
        """A duration compared with a duration or a number of a time unit, in seconds.

        An item recorded in weeks, months or hours is converted with its unit
        (13 wk is 91 days, more than 12 weeks); a number without a unit is a
        number of days.
        """
        compare = v.compare
        left_scale, right_scale = _seconds_per(li), _seconds_per(ri)

        def comparison(ctx: Context, rec: Any) -> Any:
            a, b = left(ctx, rec), right(ctx, rec)
            if a is None or b is None:
                return None
            return compare(op, v.in_seconds(a, left_scale), v.in_seconds(b, right_scale))

        return comparison

    def visit_between(self, e: m.Between, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        fn, info = self.operand(e.expr, scope, visit)
        low, lo_info = self.operand(e.low, scope, visit)
        high, hi_info = self.operand(e.high, scope, visit)
        at_least = self.comparison(">=", fn, info, low, lo_info, e.low)
        at_most = self.comparison("<=", fn, info, high, hi_info, e.high)

        def between(ctx: Context, rec: Any) -> Any:
            m0 = len(ctx.missing)
            a = at_least(ctx, rec)
            if a is False:
                return False
            if a is None:
                # the value is unknown: the upper bound check adds no missing data
                m1 = len(ctx.missing)
                b = at_most(ctx, rec)
                if b is False:
                    del ctx.missing[m0:]
                    return False
                del ctx.missing[m1:]
                return None
            return at_most(ctx, rec)

        return between, TRUTH

    def visit_member_of(self, e: m.MemberOf, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        fn, _ = self.compile(e.expr, scope, visit)
        if e.codelist is not None:
            symbol = self.resolve(e.codelist.parts, scope)
            if symbol.codelist is None:
                raise CompileError(f"'{e.codelist.dotted}' is not a code list")
            allowed = frozenset(entry.name for entry in symbol.codelist.entries)
        else:
            allowed = frozenset(e.values)

        def member(ctx: Context, rec: Any) -> Any:
            value = fn(ctx, rec)
            if value is None:
                return None
            try:
                return value in allowed
            except TypeError:
                return None

        return member, TRUTH

    def visit_contains(self, e: m.Contains, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        text_fn, _ = self.compile(e.text, scope, visit)
        part_fn, _ = self.compile(e.part, scope, visit)

        def contains(ctx: Context, rec: Any) -> Any:
            text, part = text_fn(ctx, rec), part_fn(ctx, rec)
            if not isinstance(text, str) or not isinstance(part, str):
                return None  # missing text: unknown whether it holds the part
            return part.upper() in text.upper()

        return contains, TRUTH

    def visit_is_known(self, e: m.IsKnown, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        fn, _ = self.compile(e.expr, scope, visit)
        missing = e.missing
        interval_class = v.Interval

        def known(ctx: Context, rec: Any) -> Any:
            m0 = len(ctx.missing)
            value = fn(ctx, rec)
            if len(ctx.missing) > m0:
                del ctx.missing[m0:]  # a two-valued test: missing data decides it
            present = value is not None and value.__class__ is not interval_class
            return not present if missing else present

        return known, TRUTH

    def visit_within(self, e: m.Within, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        return self.window(e, scope, visit, v.within), TRUTH

    def visit_at_least(self, e: m.AtLeast, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        return self.window(e, scope, visit, v.at_least), TRUTH

    def window(
        self,
        e: m.Within | m.AtLeast,
        scope: Scope,
        visit: str | None,
        test: Callable[..., Any],
    ) -> Fn:
        date, _ = self.operand(e.expr, scope, visit)
        span, span_info = self.compile(e.duration, scope, visit)
        anchor, _ = self.compile(e.anchor, scope, visit)
        direction = e.direction
        if span_info.kind != "duration":
            unit = v.duration_unit(span_info.unit) if span_info.unit else "d"
            if unit is None:
                raise CompileError(f"{printer.expr(e.duration)} is not a duration")
            number = span

            def as_duration(ctx: Context, rec: Any) -> Any:
                value = number(ctx, rec)
                return (
                    None
                    if value is None or value.__class__ is v.Interval
                    else v.Duration(value, unit)
                )

            span = as_duration

        def windowed(ctx: Context, rec: Any) -> Any:
            x = date(ctx, rec)
            d = span(ctx, rec)
            a = anchor(ctx, rec)
            # between two dates and times a window is exact; one involving a date compares days
            if not (isinstance(x, _dt.datetime) and isinstance(a, _dt.datetime)):
                if isinstance(x, _dt.datetime):
                    x = x.date()
                if isinstance(a, _dt.datetime):
                    a = a.date()
            try:
                return test(x, d, direction, a)
            except (OverflowError, TypeError):
                return None

        return windowed

    # -------------------------------------------------------- records

    def none_recorded(self, use: FormUse) -> Callable[[Context], bool]:
        """Whether a subject's empty log of `use` means "none", not "not recorded".

        An empty or absent log is unknown unless the subject's answer to the
        form's `none_recorded_by` question is "no", or the input declares the
        form's logs complete for the subject (an SDTM domain declared complete
        for the subjects in DM).  Reading the answer adds it to the evidence,
        or to the data still needed when it is missing.
        """
        storage = use.storage_name
        question = use.form.none_recorded_by
        if question is None:

            def declared(ctx: Context) -> bool:
                return storage in ctx.none_forms

            return declared
        answer = self.truth(
            m.Compare("=", question, m.BoolLit(False, span=question.span), span=question.span),
            Scope(use.owner),
            None,
        )

        def answered(ctx: Context) -> bool:
            return storage in ctx.none_forms or answer(ctx, None) is True

        return answered

    def records_of(self, form_name: str, scope: Scope) -> tuple[FormUse, m.Form]:
        form = scope.owner.forms.get(form_name)
        if form is None:
            raise CompileError(f"'{form_name}' is not a form")
        use = self.use_of(scope.owner, form)
        if use is None:
            raise CompileError(f"form {form_name} is not collected by the trial")
        return use, form

    def visit_quantifier(self, e: m.Quantifier, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        use, form = self.records_of(e.form, scope)
        inner = Scope(scope.owner, form, scope.context)
        where = self.truth(e.where, inner, visit) if e.where is not None else None
        satisfy = self.truth(e.satisfy, inner, visit) if e.satisfy is not None else None
        storage = use.storage_name
        key = use.key
        kind = e.kind
        unknown_label = f"{key} records"
        none = self.none_recorded(use)

        if kind in ("any", "none"):
            negate = kind == "none"

            def exists(ctx: Context, rec: Any) -> Any:
                records = ctx.records.get(storage)
                if not records:
                    if not none(ctx):
                        ctx.missing.append(unknown_label)
                        return None
                    if ctx.explain:
                        ctx.reads.append(Evidence(key, 0, text=f"{key} has no records"))
                    return negate
                if where is None:
                    return not negate
                missing, reads = ctx.missing, ctx.reads
                m0 = len(missing)
                result: bool | None = False
                if not ctx.explain:
                    for record in records:
                        t = where(ctx, record)
                        if t is True:
                            result = True
                            break
                        if t is None:
                            result = None
                    if result is not None and len(missing) > m0:
                        del missing[m0:]
                    if negate:
                        return None if result is None else not result
                    return result
                for record in records:
                    r0, mr = len(reads), len(missing)
                    t = where(ctx, record)
                    if t is True:
                        result = True
                        if ctx.explain:
                            reads.append(_match_evidence(key, record, "matches"))
                        break
                    if t is None:
                        result = None
                        if ctx.explain:
                            reads.append(_match_evidence(key, record, "might match"))
                    else:
                        del reads[r0:]
                        del missing[mr:]
                if result is not None:
                    del missing[m0:]
                if result is False and ctx.explain:
                    n = len(records)
                    records_word = "record" if n == 1 else "records"
                    reads.append(
                        Evidence(key, n, text=f"no record of {key} matches ({n} {records_word})")
                    )
                if negate:
                    return None if result is None else not result
                return result

            return exists, TRUTH

        assert satisfy is not None

        def every(ctx: Context, rec: Any) -> Any:
            records = ctx.records.get(storage)
            if not records:
                if not none(ctx):
                    ctx.missing.append(unknown_label)
                    return None
                return True
            missing, reads = ctx.missing, ctx.reads
            m0 = len(missing)
            result: bool | None = True
            for record in records:
                r0, mr = len(reads), len(missing)
                w = where(ctx, record) if where is not None else True
                if w is False:
                    del reads[r0:]
                    del missing[mr:]
                    continue
                t = satisfy(ctx, record)
                if t is True:
                    del missing[mr:]  # the record satisfies the rule whatever else is missing
                    if ctx.explain:
                        reads.append(_match_evidence(key, record, "satisfies"))
                    continue
                if t is False and w is True:
                    result = False
                    if ctx.explain:
                        reads.append(_match_evidence(key, record, "does not satisfy"))
                    break
                result = None
                if ctx.explain:
                    reads.append(_match_evidence(key, record, "might not satisfy"))
            if result is not None:
                del missing[m0:]
            return result

        return every, TRUTH

    def visit_visit_quantifier(
        self, e: m.VisitQuantifier, scope: Scope, visit: str | None
    ) -> tuple[Fn, Info]:
        conditions = [
            self.truth(e.cond, scope, v) for v in visits_in_range(self.spec, e.start, e.end)
        ]
        decides = e.kind == "any"  # the value that decides: met at one (any), not at one (all)

        def across(ctx: Context, rec: Any) -> Any:
            missing = ctx.missing
            m0 = len(missing)
            result: bool | None = not decides
            for condition in conditions:
                t = condition(ctx, rec)
                if t is decides:
                    del missing[m0:]  # decided whatever the other visits hold
                    return decides
                if t is None:
                    result = None
            if result is not None:
                del missing[m0:]
            return result

        return across, TRUTH

    def visit_aggregate(self, e: m.Aggregate, scope: Scope, visit: str | None) -> tuple[Fn, Info]:
        symbol = self.resolve(e.target.parts, Scope(scope.owner))
        form = symbol.form
        if form is None:
            raise CompileError(f"'{e.target.dotted}' is not a form or an item of one")
        use = self.use_of(symbol.owner, form)
        if use is None:
            raise CompileError(f"form {form.name} is not collected by the trial")
        inner = Scope(symbol.owner, form, scope.context)
        where = self.truth(e.where, inner, visit) if e.where is not None else None
        storage = use.storage_name
        kind = e.kind
        unknown_label = f"{use.key} records"
        none = self.none_recorded(use)
        if kind == "count":

            def count(ctx: Context, rec: Any) -> Any:
                records = ctx.records.get(storage)
                if not records:
                    if not none(ctx):
                        ctx.missing.append(unknown_label)
                        return v.Interval(0.0, INF)
                    return 0
                if where is None:
                    return len(records)
                lo = hi = 0
                for record in records:
                    r0 = len(ctx.reads)
                    t = where(ctx, record)
                    if t is True:
                        lo += 1
                        hi += 1
                    elif t is None:
                        hi += 1
                    else:
                        del ctx.reads[r0:]
                return lo if lo == hi else v.Interval(lo, hi)

            return count, Info("number", None, 0.0, INF, interval=True)
        if symbol.kind not in ("item", "derive"):
            raise CompileError(f"{kind}() needs an item: {e.target.dotted}")
        own = m.Ref((e.target.parts[-1],), span=e.target.span)  # the item on its own record
        value_fn, info = self.compile(own, inner, visit)
        vlo, vhi = info.lo, info.hi
        exact_lo, exact_hi = v.exact(vlo), v.exact(vhi)
        if kind == "sum":

            def total(ctx: Context, rec: Any) -> Any:
                records = ctx.records.get(storage)
                if not records:
                    if not none(ctx):
                        ctx.missing.append(unknown_label)
                        return v.Interval(v.ZERO, INF) if vlo >= 0 else None
                    return v.ZERO
                lo = hi = v.ZERO
                missing = ctx.missing
                m0 = len(missing)
                for record in records:
                    r0, mr = len(ctx.reads), len(missing)
                    t = where(ctx, record) if where is not None else True
                    if t is False:
                        del ctx.reads[r0:]
                        del missing[mr:]
                        continue
                    x = value_fn(ctx, record)
                    if x is None:
                        x0, x1 = exact_lo, exact_hi
                    elif x.__class__ is v.Interval:
                        x0, x1 = v.exact(x.lo), v.exact(x.hi)
                    else:
                        x0 = x1 = v.exact(x)  # a ratio read as is (20/3) is summed as a decimal
                    if t is True:
                        lo += x0
                        hi += x1
                    else:
                        lo += min(v.ZERO, x0)
                        hi += max(v.ZERO, x1)
                if lo == hi:
                    del missing[m0:]
                    return lo
                return v.Interval(lo, hi)

            lo_all = -INF if vlo < 0 else 0.0  # a negative value may be added without end
            return total, Info("number", info.unit, lo_all, INF if vhi > 0 else 0.0, interval=True)
        if kind in ("mean", "median"):
            average = v.mean_of if kind == "mean" else v.median_of
            return self._extreme_exact(
                average, none, unknown_label, where, value_fn, storage
            ), Info("number", info.unit)
        pick = min if kind == "min" else max
        if info.kind != "number":
            return self._extreme_exact(pick, none, unknown_label, where, value_fn, storage), Info(
                info.kind, info.unit, vlo, vhi
            )

        def extreme(ctx: Context, rec: Any) -> Any:
            records = ctx.records.get(storage) or ()
            if not records and not none(ctx):
                ctx.missing.append(unknown_label)
                return None
            certain: list[tuple[Decimal | float, Decimal | float]] = []
            possible: list[tuple[Decimal | float, Decimal | float]] = []
            for record in records:
                t = where(ctx, record) if where is not None else True
                if t is False:
                    continue
                x = value_fn(ctx, record)
                b = (vlo, vhi) if x is None else v.bounds(x)
                (certain if t is True else possible).append(b)
            if not certain:
                return None
            if not possible and all(lo == hi for lo, hi in certain):
                return pick(lo for lo, _ in certain)
            every = certain + possible
            if kind == "min":
                return v.interval(min(lo for lo, _ in every), min(hi for _, hi in certain))
            return v.interval(max(lo for lo, _ in certain), max(hi for _, hi in every))

        return extreme, Info("number", info.unit, vlo, vhi, interval=True)

    @staticmethod
    def _extreme_exact(
        pick: Callable[..., Any],
        none: Callable[[Context], bool],
        unknown_label: str,
        where: Fn | None,
        value_fn: Fn,
        storage: str,
    ) -> Fn:
        """min/max of dates and titers, mean and median: known only when no record is in doubt.

        A record whose filter is unknown, or that counts but has no value,
        could hold the extreme, and a date has no interval form: the result
        is then unknown (as in the generated SQL and module).  No record that
        counts: unknown too.
        """

        def extreme(ctx: Context, rec: Any) -> Any:
            records = ctx.records.get(storage) or ()
            if not records and not none(ctx):
                ctx.missing.append(unknown_label)
                return None
            counted = []
            doubt = False
            reads, missing = ctx.reads, ctx.missing
            for record in records:
                r0, mr = len(reads), len(missing)
                t = where(ctx, record) if where is not None else True
                if t is False:
                    del reads[r0:]
                    del missing[mr:]
                    continue
                x = value_fn(ctx, record)
                if t is None or x is None or x.__class__ is v.Interval:
                    doubt = True
                else:
                    counted.append(x)
            if doubt or not counted:
                return None
            return pick(counted)

        return extreme


# ---------------------------------------------------------------- compile-time helpers


#: The value of each side that decides a connective without the other side.
_DECIDING: dict[str, tuple[bool, bool]] = {
    "and": (False, False),
    "or": (True, True),
    "implies": (False, True),
}


def _short_circuit(left: Fn, right: Fn, left_decides: bool, right_decides: bool) -> Fn:
    """Kleene `and`, `or` or `implies` (see `_DECIDING`).

    A side with its deciding value decides: the result is then the right side's
    deciding value, and the missing data the other side reported is not needed.
    Else the result is unknown if either side is, and the opposite otherwise.
    """
    decided = right_decides

    def connective(ctx: Context, rec: Any) -> Any:
        missing = ctx.missing
        m0 = len(missing)
        a = left(ctx, rec)
        if a is left_decides:
            del missing[m0:]
            return decided
        b = right(ctx, rec)
        if b is right_decides:
            del missing[m0:]
            return decided
        if a is None or b is None:
            return None
        if len(missing) > m0:
            del missing[m0:]
        return not decided

    return connective


def _fused(read: Fn, plain: Callable[[Any, Any], bool], constant: Any) -> Fn | None:
    """One closure for "item op constant", the commonest test (a call fewer per test).

    With explanations on it defers to the separate read and comparison.
    """
    visit_read = getattr(read, "visit_read", None)
    if visit_read is not None:
        key, name, label, form_label = visit_read

        def visit_item_against_constant(ctx: Context, rec: Any) -> Any:
            if ctx.explain:
                a = read(ctx, rec)
                if a is None:
                    return None
            else:
                record = ctx.values.get(key)
                if record is None:
                    ctx.missing.append(form_label)
                    return None
                a = record.get(name)
                if a is None:
                    ctx.missing.append(label)
                    return None
            try:
                return plain(a, constant)
            except TypeError:
                return None

        return visit_item_against_constant
    record_read = getattr(read, "record_read", None)
    if record_read is not None:
        name, form_key = record_read

        def record_item_against_constant(ctx: Context, rec: Any) -> Any:
            if ctx.explain:
                a = read(ctx, rec)
                if a is None:
                    return None
            else:
                a = rec.get(name)
                if a is None:
                    ctx.missing.append(_record_label(form_key, rec.get(POSITION), name))
                    return None
            try:
                return plain(a, constant)
            except TypeError:
                return None

        return record_item_against_constant
    return None


def _qualified(spec: Spec, symbol: Symbol) -> str:
    """A declaration's name as the trial spec writes it (alias.name for a library)."""
    name = getattr(symbol.decl, "name", "?")
    if symbol.owner is spec:
        return name
    for alias, library in spec.libraries.items():
        if library is symbol.owner:
            return f"{alias}.{name}"
    return name


def _owner_of_score(owner: Spec, decl: Any) -> Spec:
    """The spec that declares the base score of a (possibly variant) score."""
    spec = owner
    seen: set[str] = set()
    while isinstance(decl, m.ScoreVariant) and decl.name not in seen:
        seen.add(decl.name)
        symbol = spec.resolve(decl.base.parts, Scope(spec))
        if symbol is None:
            break
        spec, decl = symbol.owner, symbol.decl
    return spec


def _excluded_descriptors(owner: Spec, decl: Any) -> set[str]:
    excluded: set[str] = set()
    spec = owner
    seen: set[str] = set()
    while isinstance(decl, m.ScoreVariant) and decl.name not in seen:
        seen.add(decl.name)
        excluded.update(decl.without)
        symbol = spec.resolve(decl.base.parts, Scope(spec))
        if symbol is None:
            break
        spec, decl = symbol.owner, symbol.decl
    return excluded


def _as_datetime(fn: Fn, info: Info) -> Fn:
    if info.kind != "date":
        return fn

    def at_midnight(ctx: Context, rec: Any) -> Any:
        value = fn(ctx, rec)
        if value.__class__ is _dt.date:
            return _dt.datetime(value.year, value.month, value.day)
        if value.__class__ is v.Interval:  # a partial date: its first and last day
            lo, hi = cast("tuple[_dt.date, _dt.date]", (value.lo, value.hi))
            return v.date_interval(
                _dt.datetime(lo.year, lo.month, lo.day), _dt.datetime(hi.year, hi.month, hi.day)
            )
        return value

    return at_midnight


def _seconds_per(info: Info) -> int:
    """Seconds in one unit of a number compared with a duration (days without a unit)."""
    code = v.duration_unit(info.unit) if info.kind == "number" and info.unit else None
    return v.seconds_per(code or "d")


def _converter(from_unit: str, to_unit: str) -> v.Transform:
    """The exact conversion of a value in ``from_unit`` into ``to_unit``."""
    try:
        return v.unit_transform(from_unit, to_unit)
    except units.UnitError as error:
        raise CompileError(str(error)) from None


def _convert_literal(quantity: m.Quantity, to_unit: str) -> Decimal:
    return v.convert(Decimal(quantity.value), _converter(quantity.unit, to_unit))


def _comparable(a: Info, b: Info) -> bool:
    """Two values whose units are of one kind and scale (their ratio is a number)."""
    assert a.unit is not None and b.unit is not None
    try:
        return units_comparable(a.unit, b.unit)
    except units.UnitError:
        return False


def _convert_bound(bound: Decimal | float, transform: v.Transform) -> Decimal | float:
    if isinstance(bound, float) and not math.isfinite(bound):
        return bound
    return v.convert(v.exact(bound), transform)


def _convert_value(value: Any, transform: v.Transform) -> Any:
    if value.__class__ is v.Interval or (
        isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    ):
        return v.convert(value, transform)
    return value


def _magnitude(x: Decimal | float) -> Decimal | float:
    # `abs` of each type apart: typeshed's `abs` makes the `abs` of a union an `object`
    if isinstance(x, Decimal):
        return abs(x)
    return abs(x)


def _bounds_arith(
    op: str, a: tuple[Decimal | float, Decimal | float], b: tuple[Decimal | float, Decimal | float]
) -> tuple[Decimal | float, Decimal | float]:
    try:
        value = v.arithmetic(op, v.Interval(*a), v.Interval(*b))
    except ArithmeticError:  # ∞ − ∞, ∞ / ∞: no static bound
        return -INF, INF
    if value is None:
        return -INF, INF
    lo, hi = v.bounds(value)
    if math.isnan(lo) or math.isnan(hi):
        return -INF, INF
    return lo, hi


# ---------------------------------------------------------------- evidence helpers


def _record_label(form_key: str, position: Any, item: str) -> str:
    if isinstance(position, int):
        return f"{form_key}[{position}].{item}"
    if isinstance(position, str):
        return f"{form_key}.{item} at {position}"
    return f"{form_key}.{item}"


def _read_evidence(
    ctx: Context,
    source: str,
    storage: str,
    visit: str | None,
    item: str,
    value: Any,
    unit: str | None,
    position: Any = None,
    kind: str = "",
) -> Evidence:
    # a value read at no visit and no position has no origin: the lookup finds none
    origin = ctx.subject.origins.get(
        (storage, position if position is not None else visit, item)  # type: ignore[arg-type]
    )
    if kind == "titer":
        value = v.format_titer(value)
    shown = v.describe(value, unit)
    where = f" at {visit}" if visit else ""
    if origin is not None:
        recorded, recorded_unit = origin
        conversion = f"{v.format_number(recorded)} {recorded_unit} = {shown}"
        return Evidence(
            source,
            _json_value(value),
            visit,
            unit,
            v.to_json(recorded),
            recorded_unit,
            conversion,
            f"{source}{where} = {conversion}",
        )
    return Evidence(source, _json_value(value), visit, unit, text=f"{source}{where} = {shown}")


def _match_evidence(form_key: str, record: Mapping[str, Any], verdict: str) -> Evidence:
    position = record.get(POSITION)
    source = f"{form_key}[{position}]"
    fields = ", ".join(
        f"{k} {v.describe(value)}"
        for k, value in record.items()
        if k != POSITION and not k.startswith("=")
    )
    return Evidence(source, verdict, text=f"record {source} {verdict}: {fields}")


def _json_value(value: Any) -> Any:
    return v.to_json(value)


def _word(value: Any, unit: str | None) -> str:
    if value is True:
        return "met"
    if value is False:
        return "not met"
    if value is None:
        return "unknown"
    return v.describe(value, unit)


# ---------------------------------------------------------------- the screener


@attrs.frozen
class _CompiledCriterion:
    id: str
    kind: str
    fn: Fn | None  # None: attested
    attested: bool


class Screener:
    """A spec's criteria compiled once; `screen` evaluates one subject."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.dictionary = DataDictionary(spec)
        self._compiler = _Compiler(spec, self.dictionary)
        criteria: list[_CompiledCriterion] = []
        for criterion in spec.criteria:
            fn = None
            if criterion.rule is not None:
                fn = self._compiler.truth(criterion.rule, Scope(spec), None)
            criteria.append(
                _CompiledCriterion(criterion.id, criterion.kind, fn, criterion.rule is None)
            )
        self.criteria: tuple[_CompiledCriterion, ...] = tuple(criteria)
        #: per stratification factor, its strata's rules compiled (None: not stratified)
        self.strata: tuple[tuple[str, tuple[tuple[str, Fn], ...]], ...] | None = None
        randomisation = spec.randomisation
        if randomisation is not None and randomisation.factors:
            self.strata = tuple(
                (
                    factor.name,
                    tuple(
                        (s.name, self._compiler.truth(s.rule, Scope(spec), None))
                        for s in factor.strata
                    ),
                )
                for factor in randomisation.factors
            )
        self._plan = tuple((c.id, c.kind, c.fn, c.kind == "inclusion") for c in criteria)
        self._when = self._conditional_items()
        self._record_when = self._conditional_record_items()

    def _conditional_items(self) -> dict[str, tuple[Fn, tuple[str, str], str]]:
        """'form.item at VISIT' of each item asked `when …` → (condition, record key, text)."""
        found: dict[str, tuple[Fn, tuple[str, str], str]] = {}
        for info in self.dictionary.forms.values():
            if info.repeating:
                continue
            for name, item in info.items.items():
                if item.item.when is None:
                    continue
                condition = self._compiler.truth(
                    item.item.when, Scope(info.use.owner, info.use.form), None
                )
                text = printer.expr(item.item.when)
                for visit in info.item_visits(item):
                    found[f"{info.key}.{name} at {visit}"] = (
                        condition,
                        (info.storage, visit),
                        text,
                    )
        return found

    def _conditional_record_items(self) -> dict[str, tuple[str, dict[str, tuple[Fn, str]]]]:
        """Per log (repeating form) key: its storage name and, per item asked `when …`,
        the condition (evaluated on one record) and its text."""
        found: dict[str, tuple[str, dict[str, tuple[Fn, str]]]] = {}
        for info in self.dictionary.forms.values():
            if not info.repeating:
                continue
            scope = Scope(info.use.owner, info.use.form)
            items = {
                name: (
                    self._compiler.truth(item.item.when, scope, None),
                    printer.expr(item.item.when),
                )
                for name, item in info.items.items()
                if item.item.when is not None
            }
            if items:
                found[info.key] = (info.storage, items)
        return found

    def _record_not_applicable(self, data: Subject, label: str) -> tuple[str | None, str] | None:
        """(visit or None, condition text) when `label` names an item of one log record
        (``meds[2].dose``) that is not applicable to that record: its `when …` is false
        for the record.  Each record is asked on its own, as the CRF asks it per row."""
        head, dot, name = label.split(" at ")[0].rpartition(".")
        if not dot:
            return None
        entry = self._record_when.get(head.split("[")[0])
        if entry is None or name not in entry[1]:
            return None
        storage, items = entry
        condition, text = items[name]
        for record in data.records.get(storage, ()):
            position = record.get(POSITION)
            if _record_label(head.split("[")[0], position, name) != label:
                continue
            if condition(Context(data, False), record) is False:
                return (position if isinstance(position, str) else None), text
            return None
        return None

    def _not_applicable(
        self, data: Subject, missing: list[str], reads: list[Evidence] | None
    ) -> list[str]:
        """`missing` without the items not applicable to the subject (their `when` is false).

        An item asked only `when …` is not collected when the condition does not
        hold: it is not data still needed, and the evidence says so.  The rule
        that reads it is still not decided by it (it stays unknown, in every
        engine): the item has no value, and the rule was written as if it had.
        """
        kept: list[str] = []
        for label in missing:
            entry = self._when.get(label)
            if entry is not None:
                condition, key, text = entry
                record = data.values.get(key)
                if record is not None and condition(Context(data, False), record) is False:
                    if reads is not None:
                        reads.append(
                            Evidence(
                                label.split(" at ")[0],
                                None,
                                key[1],
                                text=f"{label}: not applicable (asked only when {text})",
                            )
                        )
                    continue
            elif self._record_when:
                record_na = self._record_not_applicable(data, label)
                if record_na is not None:
                    if reads is not None:
                        reads.append(
                            Evidence(
                                label.split(" at ")[0],
                                None,
                                record_na[0],
                                text=f"{label}: not applicable (asked only when {record_na[1]})",
                            )
                        )
                    continue
            kept.append(label)
        return kept

    def normalise(
        self, raw: Mapping[str, Any] | Subject, fallback_id: str = "<no subject_id>"
    ) -> Subject:
        if isinstance(raw, Subject):
            return raw
        return normalise(self.dictionary, raw, fallback_id)

    def screen(
        self, subject: Mapping[str, Any] | Subject, *, explain: bool = True
    ) -> SubjectResult:
        """Eligibility of one subject (a raw JSON record or a normalised `Subject`)."""
        data = self.normalise(subject)
        ctx = Context(data, explain)
        results: dict[str, CriterionResult] = {}
        against = False
        open_ = False
        needed: list[str] = []
        reads = ctx.reads
        for criterion_id, kind, fn, inclusion in self._plan:
            r0 = len(reads)
            ctx.missing = missing = []
            if fn is None:
                truth = ctx.attestations.get(criterion_id)
                if truth is None:
                    missing.append(f"attestations.{criterion_id}")
                elif explain:
                    reads.append(
                        Evidence(
                            f"attestations.{criterion_id}",
                            truth,
                            text=f"{criterion_id} attested: {'yes' if truth else 'no'}",
                        )
                    )
            else:
                truth = fn(ctx, _EMPTY)
            if truth is True or truth is False:
                status = "met" if truth else "not_met"
                if inclusion is not truth:
                    against = True
                missing = []
            else:
                status = "unknown"
                open_ = True
                if missing and (self._when or self._record_when):
                    missing = self._not_applicable(data, missing, reads if explain else None)
                if missing:
                    missing = list(dict.fromkeys(missing))
                    needed.extend(missing)
            evidence = _dedupe(reads[r0:]) if explain else []
            results[criterion_id] = CriterionResult(criterion_id, kind, status, evidence, missing)
        if len(needed) > 1:
            needed = list(dict.fromkeys(needed))
        if against:
            overall = "ineligible"
        elif open_:
            overall = "indeterminate"
        else:
            overall = "eligible"
        result = SubjectResult(data.subject_id, overall, results, needed, list(data.problems))
        if self.strata is not None:
            result.strata, result.strata_data_needed = (
                self._stratify(data) if overall == "eligible" else ({}, [])
            )
        return result

    def _stratify(self, data: Subject) -> tuple[dict[str, str], list[str]]:
        """An eligible subject's stratum of each factor, and the data the unknown ones need."""
        assert self.strata is not None
        levels: dict[str, str] = {}
        needed: list[str] = []
        for factor, strata in self.strata:
            truths: list[tuple[str, bool | None]] = []
            missing: list[str] = []
            for name, fn in strata:
                ctx = Context(data, False)
                ctx.missing = []
                truth = fn(ctx, _EMPTY)
                truths.append((name, truth if truth is True or truth is False else None))
                missing += ctx.missing
            levels[factor] = allocation.decide_stratum(truths)
            if levels[factor] == allocation.UNKNOWN_STRATUM:
                needed += missing
        return levels, list(dict.fromkeys(needed))

    def compile_in(self, expr: m.Expr, scope: Scope, visit: str | None = None) -> tuple[Fn, Info]:
        """One expression compiled in a scope (a log's record scope for a per-record rule).

        The closure takes a `Context` and the record it is evaluated on (``{}``
        outside a record scope); endpoints (`protocol_dsl.analysis`) evaluate
        their rules through it, with the same three-valued semantics as criteria.
        """
        return self._compiler.compile(expr, scope, visit)

    def storage_of(self, owner: Spec, form: m.Form) -> str:
        """The key under which a subject's records of `form` are stored."""
        use = self.spec.form_use(owner, form)
        if use is None:
            raise CompileError(f"form {form.name} is not collected by the trial")
        return use.storage_name

    def evaluate(
        self,
        expr: m.Expr | str,
        subject: Mapping[str, Any] | Subject,
        *,
        visit: str | None = None,
        explain: bool = True,
    ) -> ExprResult:
        """The value of one expression (a model node or source text) for one subject."""
        node = parse_expression(expr) if isinstance(expr, str) else expr
        fn, info = self._compiler.compile(node, Scope(self.spec), visit)
        ctx = Context(self.normalise(subject), explain)
        value = fn(ctx, _EMPTY)
        return ExprResult(
            _public(value, info), _dedupe(ctx.reads), list(dict.fromkeys(ctx.missing))
        )


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, str]] = set()
    out: list[Evidence] = []
    for item in evidence:
        key = (item.source, item.text)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _public(value: Any, info: Info) -> Any:
    if info.kind == "truth" or value is True or value is False:
        return v.Truth.of(value if value is True or value is False else None)
    if value is None:
        return None
    value = v.public_number(value)
    if info.kind == "number" and info.unit and isinstance(value, (int, float)):
        return v.Quantity(value, info.unit)
    return value


def parse_expression(text: str) -> m.Expr:
    """An expression from source text (as written after `=` in a rule)."""
    from protocol_dsl.syntax.parser import parse_module

    module, diagnostics = parse_module(f"define __expression = {text}\n", "<expression>")
    if module is None or not module.declarations:
        reason = diagnostics[0].message if diagnostics else "not an expression"
        raise ValueError(f"cannot read the expression {text!r}: {reason}")
    decl = module.declarations[0]
    assert isinstance(decl, m.Define)
    return decl.expr


_SCREENERS: weakref.WeakKeyDictionary[Spec, Screener] = weakref.WeakKeyDictionary()


def compile_spec_rules(spec: Spec) -> Screener:
    """The spec's criteria compiled into closures (cached per loaded spec)."""
    screener = _SCREENERS.get(spec)
    if screener is None:
        screener = Screener(spec)
        _SCREENERS[spec] = screener
    return screener


def evaluate_subject(spec: Spec, subject: Mapping[str, Any] | Subject) -> SubjectResult:
    """Eligibility of one subject, with per-criterion status, evidence and missing data."""
    return compile_spec_rules(spec).screen(subject)


def evaluate_expr(
    spec: Spec,
    expr: m.Expr | str,
    subject: Mapping[str, Any] | Subject,
    *,
    visit: str | None = None,
) -> ExprResult:
    """The three-valued value of one expression for one subject, with its evidence."""
    return compile_spec_rules(spec).evaluate(expr, subject, visit=visit)
