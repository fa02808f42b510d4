"""Data availability: the data a rule reads is collected, and collected in time.

E0501 an item a criterion reads is not collected at or before the visit the
      criterion is judged at.  Criteria are judged at the eligibility visit,
      or, when they read an anchor set at a later visit (first_dose = D1), at
      that anchor's visit.  `item at V` reads visit V; an item without `at`
      reads the eligibility visit when its form is collected there, else the
      form's first visit; a repeating form's records are available from its
      first visit on.
E0502 an item an endpoint reads is not collected inside the endpoint's time
      frame (`until 24 weeks after first_dose`).  A read with an explicit
      `at V` may lie before the frame (a baseline), never after it.
E0503 a form is never collected: a trial's own form without `at`, or a
      library form the trial reads without `collect`.
W0504 collected items that no rule, score, derived value, condition or
      endpoint uses and that are not marked `for_reporting` (one warning per
      form, listing the items).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import NamedTuple, cast

from protocol_dsl import model as m
from protocol_dsl.checks.criterion_question import CriterionQuestion
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.semantics.types import analysed
from protocol_dsl.spec import (
    FormUse,
    Scope,
    Spec,
    endpoint_expressions,
    endpoint_log,
    inner_scope,
    previous_visit,
    visits_in_range,
)

from .study_days import shift

#: forms a rule reads that the trial does not use, by id: the form, the spec declaring it,
#: the first read's span and who reads it (E0503 reports them once the rules are read)
Uncollected = dict[int, tuple[m.Form, Spec, m.Span, str]]


def check(spec: Spec) -> Iterator[Diagnostic]:
    reader = Reader(spec)  # one for the whole spec: each definition is followed once

    def about_criterion(spec: Spec, owner: Spec, criterion: m.Criterion) -> Iterator[Diagnostic]:
        return _criterion_findings(spec, reader, criterion)

    return findings(spec, about_criterion, reader)


def findings(
    spec: Spec, about_criterion: CriterionQuestion, reader: Reader | None = None
) -> Iterator[Diagnostic]:
    """The check, with the findings about each criterion asked of `about_criterion`.

    The question gives a criterion's E0501, and an E0503 for each library form it reads
    that the trial never collects: the trial's E0503 about such a form is the one of the
    first criterion that reads it (or else of the first endpoint).
    """
    if spec.trial is None:
        return  # libraries are scheduled by the trials that use them
    reader = reader if reader is not None else Reader(spec)
    uncollected: Uncollected = {}
    first_reads: dict[tuple[str, int], Diagnostic] = {}
    for criterion in spec.criteria:
        for diagnostic in about_criterion(spec, spec, criterion):
            if diagnostic.code == "E0503":
                first_reads.setdefault(_declared_at(diagnostic), diagnostic)
            else:
                yield diagnostic
    for objective in spec.objectives:
        for endpoint in objective.endpoints:
            for scope, expr in endpoint_expressions(spec, endpoint):
                yield from _endpoint(spec, reader, endpoint, expr, scope, uncollected)
    yield from _never_collected(spec)
    yield from first_reads.values()
    for diagnostic in _never_collected_library(spec, uncollected):
        first_reads.setdefault(_declared_at(diagnostic), diagnostic)
        if first_reads[_declared_at(diagnostic)] is diagnostic:
            yield diagnostic
    yield from _unused(spec)


def criterion_findings(spec: Spec, owner: Spec, criterion: m.Criterion) -> Iterator[Diagnostic]:
    """E0501 about one criterion, and an E0503 for each library form it reads that the
    trial never collects: they rest on what its names resolve to and on the schedule,
    never on another criterion."""
    return _criterion_findings(spec, Reader(spec), criterion)


def _criterion_findings(spec: Spec, reader: Reader, criterion: m.Criterion) -> Iterator[Diagnostic]:
    if criterion.rule is None:
        return  # nothing read yet
    uncollected: Uncollected = {}
    yield from _criterion(spec, reader, criterion, uncollected)
    yield from _never_collected_library(spec, uncollected)


def _declared_at(diagnostic: Diagnostic) -> tuple[str, int]:
    """The form an E0503 about a library form is about: where it is declared."""
    span = diagnostic.labels[0].span
    return span.file, span.start


# ---------------------------------------------------------------- what an expression reads


class Read:
    """One item (or the records of a repeating form) an expression reads."""

    __slots__ = ("form", "item", "owner", "span", "visit")

    def __init__(
        self, owner: Spec, form: m.Form, item: m.Item | None, visit: str | None, span: m.Span
    ) -> None:
        self.owner = owner
        self.form = form
        self.item = item
        self.visit = visit  # an explicit `at VISIT`
        self.span = span  # the reference itself, possibly inside a definition or a library

    @property
    def name(self) -> str:
        return f"{self.form.name}.{self.item.name}" if self.item else self.form.name


class Reads(NamedTuple):
    """Everything an expression reads: data, and anchors (each with where it is named)."""

    data: tuple[tuple[Read, m.Span], ...]  # (read, span in the top-level expression)
    anchors: tuple[tuple[m.Anchor, m.Span], ...]


class _Found:
    """What a walk has found so far: data reads and anchors, each with where it is named."""

    __slots__ = ("anchors", "data")

    def __init__(self) -> None:
        self.data: list[tuple[Read, m.Span]] = []
        self.anchors: list[tuple[m.Anchor, m.Span]] = []


class Reader:
    """Follows definitions, derived values, scores and anchors to the items they read."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._cache: dict[tuple[int, str | None], tuple[list[Read], list[m.Anchor]]] = {}
        self._active: set[tuple[int, str | None]] = set()

    def reads(self, expr: m.Expr, scope: Scope) -> Reads:
        found = _Found()
        self._walk(expr, scope, None, found, None)
        return Reads(tuple(found.data), tuple(found.anchors))

    def _walk(
        self, expr: m.Expr, scope: Scope, visit: str | None, found: _Found, origin: m.Span | None
    ) -> None:
        here = origin if origin is not None else expr.span
        if isinstance(expr, m.AtVisit):
            self._walk(expr.expr, scope, expr.visit, found, origin)
            return
        if isinstance(expr, m.AtPrevious):
            previous = previous_visit(self.spec, visit)
            if previous is not None:
                self._walk(expr.expr, scope, previous, found, origin)
            return
        if isinstance(expr, m.VisitQuantifier):
            for at in visits_in_range(self.spec, expr.start, expr.end):
                self._walk(expr.cond, scope, at, found, origin)
            return
        if isinstance(expr, m.Ref):
            self._ref(expr, scope, visit, found, here)
            return
        if isinstance(expr, m.Quantifier):
            form = scope.owner.forms.get(expr.form)
            if form is not None:
                found.data.append((Read(scope.owner, form, None, visit, expr.span), here))
            inner = inner_scope(expr, scope) or scope
            for child in (expr.where, expr.satisfy):
                if child is not None:
                    self._walk(child, inner, visit, found, origin)
            return
        if isinstance(expr, m.Aggregate):
            symbol = scope.owner.resolve(expr.target.parts, Scope(scope.owner))
            if symbol is not None and symbol.form is not None:
                item = symbol.decl if symbol.kind == "item" else None
                found.data.append((Read(symbol.owner, symbol.form, item, visit, expr.span), here))  # type: ignore[arg-type]
                if symbol.kind == "derive":
                    derive = cast(m.Derive, symbol.decl)  # what a "derive" symbol holds
                    self._follow(
                        derive,
                        derive.expr,
                        Scope(symbol.owner, symbol.form),
                        visit,
                        found,
                        here,
                    )
            if expr.where is not None:
                self._walk(expr.where, inner_scope(expr, scope) or scope, visit, found, origin)
            return
        if isinstance(expr, m.Call) and expr.function == "lookup" and expr.args:
            for arg in expr.args[1:]:
                self._walk(arg, scope, visit, found, origin)
            return
        for child in m.children(expr):
            self._walk(child, scope, visit, found, origin)

    def _ref(
        self, expr: m.Ref, scope: Scope, visit: str | None, found: _Found, here: m.Span
    ) -> None:
        symbol = scope.owner.resolve(expr.parts, scope)
        if symbol is None:
            return
        owner = symbol.owner
        if symbol.kind == "item" and symbol.form is not None:
            found.data.append((Read(owner, symbol.form, symbol.decl, visit, expr.span), here))  # type: ignore[arg-type]
        elif symbol.kind == "derive":
            derive: m.Derive = symbol.decl  # type: ignore[assignment]
            self._follow(derive, derive.expr, Scope(owner, symbol.form), visit, found, here)
        elif symbol.kind == "define":
            define: m.Define = symbol.decl  # type: ignore[assignment]
            self._follow(define, define.expr, Scope(owner), visit, found, here)
        elif symbol.kind in ("score", "score_part"):
            self._score(owner, symbol.decl, visit, found, here)  # type: ignore[arg-type]
        elif symbol.kind == "anchor":
            anchor: m.Anchor = symbol.decl  # type: ignore[assignment]
            found.anchors.append((anchor, here))
            if anchor.expr is not None:
                self._follow(anchor, anchor.expr, Scope(owner), visit, found, here)

    def _follow(
        self,
        decl: object,
        expr: m.Expr,
        scope: Scope,
        visit: str | None,
        found: _Found,
        here: m.Span,
    ) -> None:
        """What a definition reads, cached per definition and visit."""
        key = (id(decl), visit)
        if key in self._active:
            return  # a definition that refers to itself
        cached = self._cache.get(key)
        if cached is None:
            self._active.add(key)
            inner = _Found()
            self._walk(expr, scope, visit, inner, None)
            self._active.discard(key)
            cached = ([r for r, _ in inner.data], [a for a, _ in inner.anchors])
            self._cache[key] = cached
        found.data.extend((read, here) for read in cached[0])
        found.anchors.extend((anchor, here) for anchor in cached[1])

    def _score(
        self,
        owner: Spec,
        score: m.Score | m.ScoreVariant,
        visit: str | None,
        found: _Found,
        here: m.Span,
    ) -> None:
        base = owner.base_score(score)
        if base is None or base.form is None:
            return
        symbol = owner.resolve(base.form.parts, Scope(owner))
        if symbol is None or symbol.form is None:
            return
        form, form_owner = symbol.form, symbol.owner
        for _domain, item in base.items():
            if item.expr is not None:
                scope = Scope(form_owner, form)
                self._follow(item, item.expr, scope, visit, found, here)
            else:
                declared = form.item(item.name)
                if declared is not None:
                    read = Read(form_owner, form, declared, visit, item.span)
                    found.data.append((read, here))


# ---------------------------------------------------------------- visits


def _day(spec: Spec, visit: str | None) -> int | None:
    v = spec.visits.get(visit) if visit is not None else None
    return v.day if v is not None else None


def _collected_at(use: FormUse, item: m.Item | None) -> tuple[str, ...]:
    visits = use.item_visits(item) if item is not None else None
    return visits if visits is not None else use.visits


def _first(spec: Spec, visits: tuple[str, ...]) -> str | None:
    planned = [(spec.visits[v].day, v) for v in visits if _day(spec, v) is not None]
    return min(planned)[1] if planned else None


def _form_name(spec: Spec, owner: Spec, form: m.Form) -> str:
    if owner is spec:
        return form.name
    for alias, library in spec.libraries.items():
        if library is owner:
            return f"{alias}.{form.name}"
    return form.name


def _where_collected(spec: Spec, use: FormUse, read: Read) -> Label:
    visits = _collected_at(use, read.item)
    span = use.form.span if use.owner is spec else _collect_span(spec, use)
    item = read.item
    if item is not None and item.visits is not None and use.owner is spec:
        span = item.span
    return Label(
        span, f"'{_form_name(spec, use.owner, use.form)}' is collected at {', '.join(visits)}"
    )


def _collect_span(spec: Spec, use: FormUse) -> m.Span:
    for collect in spec.collects:
        if collect.form.dotted == use.key:
            return collect.span
    return use.form.span


def _inner_label(read: Read, origin: m.Span) -> tuple[Label, ...]:
    if read.span == origin:
        return ()
    return (Label(read.span, f"'{read.name}' is read here"),)


_USES: weakref.WeakKeyDictionary[Spec, dict[tuple[int, int], FormUse]] = weakref.WeakKeyDictionary()


def _uses(spec: Spec) -> dict[tuple[int, int], FormUse]:
    """The trial's form uses by (declaring spec, form), built once per spec."""
    index = _USES.get(spec)
    if index is None:
        index = {(id(use.owner), id(use.form)): use for use in spec.form_uses}
        _USES[spec] = index
    return index


def _use_of(
    spec: Spec,
    read: Read,
    origin: m.Span,
    who: str,
    uncollected: Uncollected,
) -> FormUse | None:
    use = _uses(spec).get((id(read.owner), id(read.form)))
    if use is None:
        uncollected.setdefault(id(read.form), (read.form, read.owner, origin, who))
        return None
    if not _collected_at(use, read.item):
        return None  # a form without visits: E0503
    return use


def _collected_reads(
    spec: Spec, reads: Reads, who: str, uncollected: Uncollected
) -> Iterator[tuple[Read, m.Span, FormUse, tuple[str, ...]]]:
    """Each read once, of a form the trial collects, with its use and the visits it is
    collected at; a form the trial does not use is noted in `uncollected` (E0503)."""
    for read, origin in _unique(reads):
        use = _use_of(spec, read, origin, who, uncollected)
        if use is not None:
            yield read, origin, use, _collected_at(use, read.item)


def _unique(reads: Reads) -> Iterator[tuple[Read, m.Span]]:
    seen: set[tuple[int, str | None, str | None]] = set()
    for read, origin in reads.data:
        key = (id(read.form), read.item.name if read.item else None, read.visit)
        if key not in seen:
            seen.add(key)
            yield read, origin


# ---------------------------------------------------------------- E0501 criteria


def _criterion(
    spec: Spec, reader: Reader, criterion: m.Criterion, uncollected: Uncollected
) -> Iterator[Diagnostic]:
    assert criterion.rule is not None
    judged = spec.eligibility_visit
    if _day(spec, judged) is None:
        return  # no schedule to judge against (W0803 or E0106)
    reads = reader.reads(criterion.rule, Scope(spec, None, f"criterion {criterion.id}"))
    judged_by: m.Span | None = None
    for anchor, span in reads.anchors:
        day = _day(spec, anchor.visit)
        if day is not None and day > (_day(spec, judged) or day):
            judged, judged_by = anchor.visit, span
    judged_day = _day(spec, judged)
    assert judged is not None and judged_day is not None
    why = (
        f"{criterion.id} is judged at {judged}, where the anchor it reads is set"
        if judged_by is not None
        else f"{criterion.id} is judged at {judged}, the eligibility visit"
    )
    who = f"criterion {criterion.id}"
    for read, origin, use, visits in _collected_reads(spec, reads, who, uncollected):
        problem = _late(spec, read, visits, judged, judged_day)
        if problem is None:
            continue
        labels = (*_inner_label(read, origin), _where_collected(spec, use, read))
        if judged_by is not None:
            labels += (Label(judged_by, f"judged at {judged} because of this anchor"),)
        yield Diagnostic(
            "E0501",
            "error",
            f"{criterion.id} reads '{read.name}'{_comma(problem)}{problem}; {why}",
            origin,
            labels,
            help=f"collect '{read.form.name}' at {judged} or earlier, or read it at a visit "
            "where it is collected (`… at VISIT`)",
        )


def _comma(problem: str) -> str:
    return ", " if problem.startswith("but") else " "


def _at_visit(
    spec: Spec, visit: str, visits: tuple[str, ...], last_day: int, last: str
) -> str | None:
    """Why a read at a named visit is not available by `last` (day `last_day`), or None."""
    if visit not in spec.visits:
        return None  # an unknown visit (E0106)
    if visit not in visits:
        return f"at {visit}, where it is not collected"
    day = _day(spec, visit)
    if day is not None and day > last_day:
        return f"at {visit} (day {day}), after {last}"
    return None


def _late(
    spec: Spec, read: Read, visits: tuple[str, ...], judged: str, judged_day: int
) -> str | None:
    """Why `read` is not available at the visit `judged`, or None when it is."""
    if read.visit is not None:
        return _at_visit(spec, read.visit, visits, judged_day, judged)
    if not read.form.repeating and spec.eligibility_visit in visits:
        return None  # read at the eligibility visit, never after the visit it is judged at
    first = _first(spec, visits)  # a form's first visit; a repeating form's first records
    if first is None:
        return "but it is collected only at unscheduled visits"
    day = _day(spec, first)
    assert day is not None
    if day > judged_day:
        return f"but it is first collected at {first} (day {day}), after {judged}"
    return None


# ---------------------------------------------------------------- E0502 endpoints


def _endpoint(
    spec: Spec,
    reader: Reader,
    endpoint: m.Endpoint,
    expr: m.Expr,
    scope: Scope,
    uncollected: Uncollected,
) -> Iterator[Diagnostic]:
    frame = endpoint_frame(spec, endpoint)
    reads = reader.reads(expr, scope)
    who = f"endpoint {endpoint.name}"
    for read, origin, use, visits in _collected_reads(spec, reads, who, uncollected):
        if frame is None:
            continue
        start, end = frame
        problem = _outside(spec, read, visits, start, end)
        if problem is None:
            continue
        yield Diagnostic(
            "E0502",
            "error",
            f"endpoint {endpoint.name} reads '{read.name}'{_comma(problem)}{problem}; "
            f"its time frame is day {start} to day {end}",
            origin,
            (*_inner_label(read, origin), _where_collected(spec, use, read)),
            help=f"collect '{read.form.name}' at a visit between day {start} and day {end}, "
            "or change the endpoint's time frame",
        )


def endpoint_frame(spec: Spec, endpoint: m.Endpoint) -> tuple[int, int] | None:
    """First and last study day of an endpoint's `until D after ANCHOR` time frame."""
    from .study_days import duration_days

    if endpoint.until is None or endpoint.until_anchor is None:
        return None
    anchor = spec.anchors.get(endpoint.until_anchor)
    start = _day(spec, anchor.visit) if anchor is not None else None
    days = duration_days(endpoint.until)
    if start is None or days is None:
        return None
    return start, shift(start, days)


def _outside(spec: Spec, read: Read, visits: tuple[str, ...], start: int, end: int) -> str | None:
    if read.visit is not None:
        return _at_visit(spec, read.visit, visits, end, "the end of its time frame")
    inside = [v for v in visits if (d := _day(spec, v)) is not None and start <= d <= end]
    if inside:
        return None
    return f"but it is collected only at {', '.join(visits)}, outside the time frame"


# ---------------------------------------------------------------- E0503 forms never collected


def _never_collected(spec: Spec) -> Iterator[Diagnostic]:
    """The trial's own forms without a visit."""
    for use in spec.form_uses:
        if use.owner is not spec or use.visits:
            continue
        if any(item.visits for item in use.form.items):
            continue
        yield Diagnostic(
            "E0503",
            "error",
            f"the form '{use.form.name}' is not collected at any visit",
            use.form.span,
            help=f'say where it is collected: `form {use.form.name} "…" at VISIT, VISIT {{ … }}`',
        )


def _never_collected_library(spec: Spec, uncollected: Uncollected) -> Iterator[Diagnostic]:
    """The library forms read that the trial never collects, each at its first read."""
    for form, owner, origin, who in uncollected.values():
        name = _form_name(spec, owner, form)
        yield Diagnostic(
            "E0503",
            "error",
            f"{who} reads the library form '{name}', which this trial never collects",
            origin,
            (Label(form.span, f"the form '{form.name}' is declared here"),),
            help=f"schedule it: `collect {name} at VISIT, …`",
        )


# ---------------------------------------------------------------- W0504 unused items


def used_items(spec: Spec) -> set[tuple[int, str]]:
    """(id of form, item name) of every item a rule, score, derived value or condition reads."""
    used = set(analysed(spec).items_read)
    for owner in spec.all_specs():
        for score in owner.module.of_type(m.Score):
            if score.form is None:
                continue
            symbol = owner.resolve(score.form.parts, Scope(owner))
            if symbol is None or symbol.form is None:
                continue
            for _domain, item in score.items():
                if item.expr is None:
                    used.add((id(symbol.form), item.name))
        for form in owner.module.of_type(m.Form):
            # a log's "any records?" question is read whenever the log is
            if form.none_recorded_by is not None:
                question = owner.resolve(form.none_recorded_by.parts, Scope(owner))
                if question is not None and question.form is not None:
                    used.add((id(question.form), form.none_recorded_by.parts[-1]))
        for objective in owner.module.of_type(m.Objective):
            # a rate reads the date of every record of its log (is it in the time at risk?)
            for endpoint in objective.endpoints:
                counted = endpoint.event
                if isinstance(counted, m.EventCount) and counted.date is not None:
                    log = endpoint_log(owner, counted.log)
                    if log is not None:
                        used.add((id(log), counted.date))
        for regimen in owner.module.of_type(m.Regimen):
            # the weight (or BSA) a per-kg dose is converted through is read for every dose
            if regimen.per is not None:
                measure = owner.resolve(regimen.per.parts, Scope(owner))
                if measure is not None and measure.form is not None:
                    used.add((id(measure.form), regimen.per.parts[-1]))
    return used


def _unused(spec: Spec) -> Iterator[Diagnostic]:
    used = used_items(spec)
    for use in spec.form_uses:
        if not use.visits and not any(item.visits for item in use.form.items):
            continue
        unused = [
            item.name
            for item in use.form.items
            if not item.for_reporting and (id(use.form), item.name) not in used
        ]
        if not unused:
            continue
        span = use.form.span if use.owner is spec else _collect_span(spec, use)
        listed = ", ".join(unused)
        yield Diagnostic(
            "W0504",
            "warning",
            f"{len(unused)} item{'s' if len(unused) > 1 else ''} of '{use.key}' "
            f"{'are' if len(unused) > 1 else 'is'} collected but used by no rule, score, derived "
            f"value, condition or endpoint: {listed}",
            span,
            help="mark items collected only for the study report `for_reporting`, or stop "
            "collecting them",
        )
