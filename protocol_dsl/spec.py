"""A loaded spec: one module, its libraries, and the names they declare.

This module owns name resolution.  Back ends never look names up by hand:
they ask `Spec.resolve` what a reference means (an item of a form, a
definition, a score or part of one, an anchor, a code-list value, …), and use
`Spec.form_uses` for the trial's data dictionary (its own forms plus the
library forms it collects).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any, Generic, Literal, TypeVar, cast, overload

import attrs

from protocol_dsl import model as m
from protocol_dsl import timeline as tl
from protocol_dsl.errors import ControlFlow

SymbolKind = Literal[
    "item",
    "derive",
    "form",
    "define",
    "score",
    "score_part",
    "anchor",
    "value",
    "codelist",
    "table",
    "library",
]


@attrs.frozen
class Symbol:
    """What a reference resolved to, and the spec that declares it."""

    kind: SymbolKind
    owner: Spec = attrs.field(eq=False, repr=False)
    decl: object = attrs.field(eq=False)
    form: m.Form | None = attrs.field(default=None, eq=False, repr=False)
    part: str | None = None
    codelist: m.CodeList | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class FormUse:
    """A form as the trial collects it: its key in subject data and its visits."""

    key: str
    form: m.Form
    visits: tuple[str, ...]
    owner: Spec = attrs.field(eq=False, repr=False)
    #: the trial that collects the form, whose schedule its `at` lists name
    trial: Spec | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def storage_name(self) -> str:
        """The name of the form's table in CSV, Parquet, SQL (no dots)."""
        return self.key.replace(".", "__")

    @property
    def repeating(self) -> bool:
        return self.form.repeating

    def item_visits(self, item: m.Item) -> tuple[str, ...] | None:
        """The visits an item is collected at (`collected at`, expanded); None: the form's."""
        if item.visits is None:
            return None
        return (self.trial or self.owner).at(item.visits)


@attrs.frozen(eq=False)
class Application:
    """A parameterised definition applied to its arguments: the rule with each
    parameter replaced, or the problem that prevents it (a code and a message)."""

    definition: m.Define
    call: m.Call
    expansion: m.Expr | None
    problem: tuple[str, str, m.Span] | None = None


@attrs.frozen
class Scope:
    """Where an expression is evaluated: its spec, and the record it may read."""

    owner: Spec = attrs.field(eq=False, repr=False)
    record: m.Form | None = None
    context: str = ""


D = TypeVar("D")


class _ByName(Generic[D]):
    """`spec.<name>`: the module's declarations of one class by name, the first of a
    name kept (duplicates are reported by the checks); computed once per spec and then
    stored on it, as `cached_property` does."""

    def __init__(self, cls: type[D]) -> None:
        self.cls = cls
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, spec: None, owner: type) -> _ByName[D]: ...

    @overload
    def __get__(self, spec: Spec, owner: type) -> dict[str, D]: ...

    def __get__(self, spec: Spec | None, owner: type) -> dict[str, D] | _ByName[D]:
        if spec is None:
            return self
        named = spec.__dict__[self.name] = spec._named(self.cls)
        return named


class _OfType(Generic[D]):
    """`spec.<name>`: the module's declarations of one class, in source order."""

    def __init__(self, cls: type[D]) -> None:
        self.cls = cls

    @overload
    def __get__(self, spec: None, owner: type) -> _OfType[D]: ...

    @overload
    def __get__(self, spec: Spec, owner: type) -> tuple[D, ...]: ...

    def __get__(self, spec: Spec | None, owner: type) -> tuple[D, ...] | _OfType[D]:
        if spec is None:
            return self
        return spec.module.of_type(self.cls)


class Spec:
    """One .trial module with its imported libraries (by alias)."""

    def __init__(self, path: str, module: m.Module, libraries: dict[str, Spec]):
        self.path = path
        self.module = module
        self.libraries = libraries

    def __repr__(self) -> str:
        return f"Spec({self.path!r})"

    # ------------------------------------------------------------ declarations by kind

    def _named(self, cls: type[D]) -> dict[str, D]:
        named: dict[str, D] = {}
        for decl in self.module.of_type(cls):
            named.setdefault(decl.name, decl)  # duplicates are reported by the checks
        return named

    @cached_property
    def trial(self) -> m.Trial | None:
        trials = self.module.of_type(m.Trial)
        return trials[0] if trials else None

    forms = _ByName(m.Form)
    codelists = _ByName(m.CodeList)
    tables = _ByName(m.Table)
    defines = _ByName(m.Define)

    @cached_property
    def scores(self) -> dict[str, m.Score | m.ScoreVariant]:
        named: dict[str, m.Score | m.ScoreVariant] = {}
        for decl in self.module.declarations:
            if isinstance(decl, (m.Score, m.ScoreVariant)):
                named.setdefault(decl.name, decl)
        return named

    anchors = _ByName(m.Anchor)
    #: the visits written one by one (`visit` declarations), without the expansion
    declared_visits = _ByName(m.Visit)
    cycles = _ByName(m.Cycle)
    repeats = _ByName(m.Repeat)
    epochs = _ByName(m.Epoch)
    elements = _ByName(m.Element)
    arms = _ByName(m.Arm)
    interventions = _ByName(m.Intervention)
    #: the prose of the protocol's sections, by section key (`narratives.NARRATIVE_SECTIONS`)
    narratives = _ByName(m.Narrative)
    regimens = _ByName(m.Regimen)

    @cached_property
    def timeline(self) -> tl.Timeline:
        """Declared visits and the visits cycles and repeats yield, in schedule order."""
        length = self.trial_field("length")
        quantity = length.value.value if length is not None else None
        return tl.expand(
            self.module.declarations, quantity if isinstance(quantity, m.Quantity) else None
        )

    @cached_property
    def visits(self) -> dict[str, m.Visit]:
        """Every visit by name: declared and yielded by cycles and repeats (the first of a
        name kept: duplicates are reported by the checks)."""
        named: dict[str, m.Visit] = {}
        for visit in self.timeline.written:
            named.setdefault(visit.name, visit)
        return named

    @cached_property
    def activities(self) -> dict[str, m.Activity]:
        """Activities by name, each with its `at` list expanded (`Spec.at`)."""
        named: dict[str, m.Activity] = {}
        for activity in self.module.of_type(m.Activity):
            if activity.name in named:
                continue
            visits = self.at(activity.visits)
            if visits != activity.visits:
                activity = attrs.evolve(activity, visits=visits)
            named[activity.name] = activity
        return named

    def item_visits(self, item: m.Item) -> tuple[str, ...] | None:
        """The visits an item alone is collected at (`collected at`, expanded), else None."""
        return None if item.visits is None else self.at(item.visits)

    def series_groups(self) -> tuple[tl.Series, ...]:
        """Each cycle and repeat with the visits it yields (for a schedule grouped by series)."""
        return self.timeline.series

    def at(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """The visits an `at` list names, expanded, in schedule order.

        An entry is a visit (declared or yielded: C1D8, W12), a cycle (every visit
        of every cycle), a cycle's template visit (`treatment_cycle.D1`: that visit
        in every cycle that has it) or a repeat (every occurrence).  A name that is
        none of these is kept, after the others, for the name check to report.
        """
        if not any(self._is_series_name(n) for n in names):
            return names  # only visits: as written, the order the writer chose
        chosen: set[str] = set()
        unknown: list[str] = []
        for name in names:
            expanded = self._expand_at(name)
            if expanded is None:
                if name not in unknown:
                    unknown.append(name)
            else:
                chosen.update(expanded)
        ordered = tuple(v.name for v in self.visit_order if v.name in chosen)
        return ordered + tuple(unknown)

    def _is_series_name(self, name: str) -> bool:
        head = name.split(".", 1)[0]
        return name not in self.visits and (head in self.cycles or head in self.repeats)

    def _expand_at(self, name: str) -> list[str] | None:
        if name in self.visits:
            return [name]
        head, _, template = name.partition(".")
        series = self.timeline.series_named(head)
        if series is None or (template and head not in self.cycles):
            return None
        if not template:
            return [v.name for v in series.visits]
        cycle = self.cycles[head]
        if not any(t.name == template for t in cycle.visits):
            return None
        return [v.name for v in series.visits if v.template == template]

    criteria = _OfType(m.Criterion)

    @property
    def inclusions(self) -> tuple[m.Criterion, ...]:
        return tuple(c for c in self.criteria if c.kind == "inclusion")

    @property
    def exclusions(self) -> tuple[m.Criterion, ...]:
        return tuple(c for c in self.criteria if c.kind == "exclusion")

    dose_findings = _OfType(m.DoseFinding)

    @property
    def dose_finding(self) -> m.DoseFinding | None:
        found = self.dose_findings
        return found[0] if found else None

    randomisations = _OfType(m.Randomisation)
    maskings = _OfType(m.Masking)

    @property
    def randomisation(self) -> m.Randomisation | None:
        """The trial's randomisation block (a second one is reported by the checks)."""
        found = self.randomisations
        return found[0] if found else None

    @property
    def masking(self) -> m.Masking | None:
        """The trial's masking block (a second one is reported by the checks)."""
        found = self.maskings
        return found[0] if found else None

    objectives = _OfType(m.Objective)
    populations = _ByName(m.Population)

    @property
    def statistics(self) -> m.Statistics | None:
        """The statistics section (the first one: a second is reported by the checks)."""
        found = self.module.of_type(m.Statistics)
        return found[0] if found else None

    @property
    def estimands(self) -> Iterator[tuple[m.Objective, m.Estimand]]:
        """Every estimand with the objective it belongs to, in source order."""
        for objective in self.objectives:
            for estimand in objective.estimands:
                yield objective, estimand

    amendments = _OfType(m.Amendment)
    mappings = _OfType(m.Mapping)
    collects = _OfType(m.Collect)

    def all_specs(self) -> Iterator[Spec]:
        """This spec and every library it reaches, each once, this one first."""
        seen: set[int] = set()
        stack: list[Spec] = [self]
        while stack:
            spec = stack.pop(0)
            if id(spec) in seen:
                continue
            seen.add(id(spec))
            yield spec
            stack.extend(spec.libraries.values())

    # ------------------------------------------------------------ trial-level views

    def trial_field(self, key: str) -> m.Field | None:
        return self.trial.field(key) if self.trial else None

    @property
    def eligibility_visit(self) -> str | None:
        """The visit eligibility is judged at (the `eligibility_visit` field, else screening)."""
        f = self.trial_field("eligibility_visit")
        if f is not None:
            return str(f.value.value)
        for visit in self.visits.values():
            if visit.epoch == "screening" or visit.name.upper().startswith("SCR"):
                return visit.name
        return None

    @cached_property
    def form_uses(self) -> tuple[FormUse, ...]:
        """The trial's data dictionary: own forms, then collected library forms."""
        uses = [FormUse(f.name, f, self.at(f.visits), self, self) for f in self.forms.values()]
        for collect in self.collects:
            symbol = self.resolve(collect.form.parts, Scope(self))
            if symbol is not None and symbol.kind == "form" and symbol.form is not None:
                visits = self.at(collect.visits)
                uses.append(FormUse(collect.form.dotted, symbol.form, visits, symbol.owner, self))
        return tuple(uses)

    def form_use(self, owner: Spec, form: m.Form) -> FormUse | None:
        """The trial's use of a form declared in `owner` (None if never collected)."""
        return self._form_use_index.get((id(owner), id(form)))

    @cached_property
    def _form_use_index(self) -> dict[tuple[int, int], FormUse]:
        # by identity, as `form_use` compares: a large dictionary is looked up per rule
        index: dict[tuple[int, int], FormUse] = {}
        for use in self.form_uses:
            index.setdefault((id(use.owner), id(use.form)), use)
        return index

    def form_use_by_key(self, key: str) -> FormUse | None:
        for use in self.form_uses:
            if use.key == key or use.storage_name == key:
                return use
        return None

    @cached_property
    def visit_order(self) -> tuple[m.Visit, ...]:
        """Scheduled visits by planned day, then the others (event-relative visits after
        the visit their anchor names; unscheduled, early termination) — declared and
        yielded by cycles and repeats (`protocol_dsl.timeline`)."""
        first = {id(v) for v in self.visits.values()}
        return tuple(v for v in self.timeline.visits if id(v) in first)

    # ------------------------------------------------------------ resolution

    def score_form(self, score: m.Score) -> m.Form | None:
        """The form a score reads its items from (`form` of the score), if it names one."""
        if score.form is None:
            return None
        symbol = self.resolve(score.form.parts, Scope(self))
        return symbol.form if symbol is not None and symbol.kind == "form" else None

    def resolve(self, parts: tuple[str, ...], scope: Scope) -> Symbol | None:
        """What `a.b.c` means in `scope`; None when it names nothing."""
        if not parts:
            return None
        head, rest = parts[0], parts[1:]
        if scope.record is not None:
            symbol = _record_member(scope.owner, scope.record, head)
            if symbol is not None:
                return symbol if not rest else None
        if scope.owner is not self:
            return scope.owner.resolve(parts, Scope(scope.owner))
        if head in self.libraries and rest:
            library = self.libraries[head]
            return library.resolve(rest, Scope(library))
        if head in self.forms:
            form = self.forms[head]
            if not rest:
                return Symbol("form", self, form, form=form)
            if len(rest) == 1:
                return _record_member(self, form, rest[0])
            return None
        if head in self.scores:
            score = self.scores[head]
            if not rest:
                return Symbol("score", self, score)
            if len(rest) == 1 and rest[0] in self.score_parts(score):
                return Symbol("score_part", self, score, part=rest[0])
            return None
        if rest:
            return None
        if head in self.defines:
            return Symbol("define", self, self.defines[head])
        if head in self.anchors:
            return Symbol("anchor", self, self.anchors[head])
        if head in self.codelists:
            return Symbol("codelist", self, self.codelists[head], codelist=self.codelists[head])
        if head in self.tables:
            return Symbol("table", self, self.tables[head])
        for spec in self.all_specs():
            for codelist in spec.codelists.values():
                entry = codelist.entry(head)
                if entry is not None:
                    return Symbol("value", spec, entry, codelist=codelist)
        return None

    # ------------------------------------------------------------ parameterised definitions

    def application(self, call: m.Call) -> Application | None:
        """What `name(arg, …)` applies when `name` is a parameterised definition of
        this module: the definition, and its rule with the arguments put in place of
        the parameters (None when the call is of a built-in function).

        Every walker (types, words, the interpreter, SQL, the solver) reads the
        expansion, so a definition applied to the renal domain is checked, worded and
        evaluated exactly as if written out for it.  Cached per call node: the
        expansion's nodes keep one identity, as the evaluators' caches need.
        """
        definition = self.defines.get(call.function)
        if definition is None or not definition.params:
            return None
        cached = self._applications.get(id(call))
        if cached is not None and cached[0] is call:
            return cached[1]
        applied = _apply(definition, call, self._recursive_definitions)
        self._applications[id(call)] = (call, applied)
        return applied

    @cached_property
    def _applications(self) -> dict[int, tuple[m.Call, Application]]:
        return {}

    @cached_property
    def _recursive_definitions(self) -> frozenset[str]:
        """Parameterised definitions that apply themselves, directly or through
        others: never expanded (E1061), since the expansion would not end."""
        calls: dict[str, set[str]] = {}
        for define in self.defines.values():
            if define.params:
                calls[define.name] = {
                    node.function
                    for node in _nodes(define.expr)
                    if isinstance(node, m.Call)
                    and node.function in self.defines
                    and self.defines[node.function].params
                }
        recursive: set[str] = set()
        for start in calls:
            seen: set[str] = set()
            stack = list(calls[start])
            while stack:
                name = stack.pop()
                if name == start:
                    recursive.add(start)
                    break
                if name not in seen:
                    seen.add(name)
                    stack.extend(calls.get(name, ()))
        return frozenset(recursive)

    def score_parts(self, score: m.Score | m.ScoreVariant) -> set[str]:
        """Sub-scores of a score: its domain names and domain tags."""
        base = self.base_score(score)
        if base is None:
            return set()
        parts: set[str] = set()
        for domain in base.domains:
            parts.add(domain.name)
            parts.update(domain.tags)
        return parts

    def base_score(self, score: m.Score | m.ScoreVariant) -> m.Score | None:
        """The full score a variant is built on (a score is its own base)."""
        found = self.score_base(score)
        return found[1] if found is not None else None

    def score_base(
        self, score: m.Score | m.ScoreVariant
    ) -> tuple[Spec, m.Score, frozenset[str]] | None:
        """The full score a variant of this spec is built on (a score is its own base), the
        spec that declares it, and the descriptors the variants leave out; None when a base
        names no score or the variants go round in a circle."""
        seen: set[int] = set()
        without: set[str] = set()
        spec: Spec = self
        decl: object = score
        while isinstance(decl, m.ScoreVariant):
            if id(decl) in seen:
                return None
            seen.add(id(decl))
            without.update(decl.without)
            symbol = spec.resolve(decl.base.parts, Scope(spec))
            if symbol is None or symbol.kind != "score":
                return None
            spec, decl = symbol.owner, symbol.decl
        if not isinstance(decl, m.Score):
            return None
        return spec, decl, frozenset(without)

    def names_in_scope(self, scope: Scope) -> list[str]:
        """Candidate names for "did you mean"."""
        spec = scope.owner
        names: list[str] = []
        if scope.record is not None:
            names += [i.name for i in scope.record.items] + [d.name for d in scope.record.derives]
        names += list(spec.defines) + list(spec.anchors) + list(spec.scores)
        for form in spec.forms.values():
            names += [f"{form.name}.{i.name}" for i in form.items]
            names += [f"{form.name}.{d.name}" for d in form.derives]
        for alias, library in spec.libraries.items():
            names += [f"{alias}.{n}" for n in library.defines]
            names += [f"{alias}.{n}" for n in library.scores]
            for form in library.forms.values():
                names += [f"{alias}.{form.name}.{i.name}" for i in form.items]
        for s in spec.all_specs():
            for codelist in s.codelists.values():
                names += [e.name for e in codelist.entries]
        return names


def _record_member(owner: Spec, form: m.Form, name: str) -> Symbol | None:
    item = form.item(name)
    if item is not None:
        codelist = None
        if item.type.codelist is not None:
            cl = owner.resolve(item.type.codelist.parts, Scope(owner))
            codelist = cl.codelist if cl is not None else None
        return Symbol("item", owner, item, form=form, codelist=codelist)
    derive = form.derive(name)
    if derive is not None:
        return Symbol("derive", owner, derive, form=form)
    return None


# ---------------------------------------------------------------- expressions with their scopes


def expressions(spec: Spec) -> Iterator[tuple[Scope, m.Expr]]:
    """Every top-level expression of a spec and its libraries, with its scope."""
    for owner in spec.all_specs():
        for decl in owner.module.declarations:
            yield from declaration_expressions(owner, decl)


def declaration_expressions(owner: Spec, decl: object) -> Iterator[tuple[Scope, m.Expr]]:
    """The top-level expressions of one declaration of `owner`, with their scopes."""
    if isinstance(decl, m.Criterion) and decl.rule is not None:
        yield Scope(owner, None, f"criterion {decl.id}"), decl.rule
    elif isinstance(decl, m.Define) and not decl.params:
        # a parameterised rule is checked where it is applied, with its arguments in place
        yield Scope(owner, None, f"definition {decl.name}"), decl.expr
    elif isinstance(decl, m.Anchor) and decl.expr is not None:
        yield Scope(owner, None, f"anchor {decl.name}"), decl.expr
    elif isinstance(decl, m.Form):
        for item in decl.items:
            if item.when is not None:
                yield Scope(owner, decl, f"condition of {decl.name}.{item.name}"), item.when
        for derive in decl.derives:
            yield Scope(owner, decl, f"derived value {decl.name}.{derive.name}"), derive.expr
    elif isinstance(decl, m.Score):
        form = owner.score_form(decl)
        for _domain, score_item in decl.items():
            if score_item.expr is not None:
                where = f"score item {decl.name}.{score_item.name}"
                yield Scope(owner, form, where), score_item.expr
    elif isinstance(decl, m.Objective):
        for endpoint in decl.endpoints:
            yield from endpoint_expressions(owner, endpoint)
        for estimand in decl.estimands:
            for event in estimand.intercurrent:
                if event.occurs is not None:
                    where = f"intercurrent event of estimand {estimand.name}"
                    yield Scope(owner, None, where), event.occurs
    elif isinstance(decl, m.Randomisation):
        for factor in decl.factors:
            for stratum in factor.strata:
                where = f"stratum {factor.name}.{stratum.name}"
                yield Scope(owner, None, where), stratum.rule
    elif isinstance(decl, m.Population):
        yield Scope(owner, None, f"{decl.kind} {decl.name}"), decl.rule


def endpoint_log(owner: Spec, name: str | None) -> m.Form | None:
    """The repeating form an endpoint reads record by record (`flag per LOG`, `event first LOG`)."""
    if name is None:
        return None
    symbol = owner.resolve(tuple(name.split(".")), Scope(owner))
    return symbol.form if symbol is not None and symbol.kind == "form" else None


def endpoint_expressions(owner: Spec, endpoint: m.Endpoint) -> Iterator[tuple[Scope, m.Expr]]:
    """An endpoint's expressions, each with its scope: a record's for what is read per record."""
    where = f"endpoint {endpoint.name}"
    if endpoint.rule is not None:
        record = endpoint_log(owner, endpoint.per) if endpoint.kind == "record_flag" else None
        yield Scope(owner, record, where), endpoint.rule
    event = endpoint.event
    if isinstance(event, m.EventCount):
        if event.where is not None:
            yield Scope(owner, endpoint_log(owner, event.log), f"{where} (counted)"), event.where
        for role, expr in (("start", event.start), ("end", event.end), ("end", event.fallback)):
            if expr is not None:
                yield Scope(owner, None, f"{where} (time at risk {role})"), expr
    elif event is not None:
        yield Scope(owner, None, f"{where} (origin)"), event.origin
        if event.where is not None:
            yield Scope(owner, endpoint_log(owner, event.log), f"{where} (event)"), event.where
        yield Scope(owner, None, f"{where} (censoring)"), event.censor


def planned_visits(spec: Spec) -> tuple[str, ...]:
    """The scheduled visits in the order of their planned days.

    Unscheduled and early-termination visits, and visits without a planned
    day, are not in it: no visit range holds them and none is a previous visit.
    """
    planned = sorted(
        (v for v in spec.visits.values()
         if v.day is not None and not v.unscheduled and not v.early_termination),
        key=lambda v: v.day if v.day is not None else 0,
    )  # fmt: skip
    return tuple(v.name for v in planned)


def visits_in_range(spec: Spec, start: str, end: str | None) -> tuple[str, ...]:
    """The visits of a visit range, from `start` to `end` inclusive, or every visit after
    `start` without `end` (`planned_visits` order); empty when a name is no planned visit
    or the range ends before it starts."""
    names = list(planned_visits(spec))
    if start not in names or (end is not None and end not in names):
        return ()
    first = names.index(start)
    if end is None:
        return tuple(names[first + 1 :])
    return tuple(names[first : names.index(end) + 1])


def previous_visit(spec: Spec, visit: str | None) -> str | None:
    """The planned visit before `visit`; None at the first, at no planned visit, or without one."""
    names = planned_visits(spec)
    if visit is None or visit not in names:
        return None
    index = names.index(visit)
    return names[index - 1] if index > 0 else None


def inner_scope(node: m.Expr, scope: Scope) -> Scope | None:
    """The record scope that a quantifier or aggregate opens for its filter and condition."""
    if isinstance(node, m.Quantifier):
        form = scope.owner.forms.get(node.form)
        return Scope(scope.owner, form, scope.context)
    if isinstance(node, m.Aggregate):
        symbol = scope.owner.resolve(node.target.parts, Scope(scope.owner))
        if symbol is None:
            return Scope(scope.owner, None, scope.context)
        return Scope(scope.owner, symbol.form, scope.context)
    return None


def walk_scoped(expr: m.Expr, scope: Scope) -> Iterator[tuple[m.Expr, Scope]]:
    """Every node of an expression with the scope its names are resolved in.

    Parents before children, children in source order; a stack rather than
    nested generators, whose cost grows with the depth of every node.
    """
    stack: list[tuple[m.Expr, Scope]] = [(expr, scope)]
    while stack:
        node, here = stack.pop()
        yield node, here
        if isinstance(node, m.Quantifier):
            inner = inner_scope(node, here) or here
            below = [(child, inner) for child in (node.where, node.satisfy) if child is not None]
        elif isinstance(node, m.Aggregate):
            # the target is resolved in the outer scope; the filter in the record's
            if node.where is None:
                continue
            below = [(node.where, inner_scope(node, here) or here)]
        elif isinstance(node, m.MemberOf):
            below = [(node.expr, here)]
        elif isinstance(node, m.Call) and (applied := here.owner.application(node)) is not None:
            # the rule as applied to these arguments, with the arguments in it (an
            # application that cannot be expanded is reported as such, E1059–E1061)
            below = [(applied.expansion, here)] if applied.expansion is not None else []
        else:
            below = [(child, here) for child in m.children(node)]
        stack.extend(reversed(below))


# ---------------------------------------------------------------- applying a definition


class _NotAName(ControlFlow):
    """An argument that stands where a name is needed (a visit, a part of a dotted name):
    caught by `_apply`, which reports it as E1060."""

    def __init__(self, param: str, arg: m.Expr) -> None:
        super().__init__(param)
        self.param = param
        self.arg = arg


def _nodes(expr: m.Expr) -> Iterator[m.Expr]:
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(m.children(node))


def _apply(definition: m.Define, call: m.Call, recursive: frozenset[str]) -> Application:
    name = definition.name
    params = definition.params
    if name in recursive:
        message = f"{name}(…) applies itself, so its rule never ends"
        return Application(definition, call, None, ("E1061", message, call.span))
    if len(call.args) != len(params):
        wanted = f"{len(params)} argument{'s' if len(params) != 1 else ''}"
        message = (
            f"{name}({', '.join(params)}) takes {wanted}, not {len(call.args)}: "
            f"one for each of {', '.join(params)}"
        )
        return Application(definition, call, None, ("E1059", message, call.span))
    bindings = dict(zip(params, call.args, strict=True))
    try:
        expansion = _substitute(definition.expr, bindings)
    except _NotAName as problem:
        message = (
            f"{name}(…) uses its parameter '{problem.param}' as a name (a visit, a form, "
            f"a domain or an item), so its argument must be a plain name, not "
            f"an expression"
        )
        return Application(definition, call, None, ("E1060", message, problem.arg.span))
    assert isinstance(expansion, m.EXPR_TYPES)
    return Application(definition, call, cast("m.Expr", expansion))


def _name_of(param: str, arg: m.Expr) -> tuple[str, m.Span]:
    if isinstance(arg, m.Ref) and len(arg.parts) == 1:
        return arg.parts[0], arg.span
    raise _NotAName(param, arg)


#: fields of expression nodes that hold words of the language or literal text, never a
#: name a parameter could stand for
_NOT_NAMES = frozenset({"op", "kind", "function", "value", "direction"})


def _substitute(value: object, bindings: dict[str, m.Expr]) -> object:
    """`value` with every parameter replaced: a whole name by its argument, a part of
    a dotted name or a name field (a visit, a form) by the argument's name.  A
    replaced name takes the argument's span, so that a problem with it (an unknown
    domain, say) points at the application, not at the definition."""
    if isinstance(value, m.Ref):
        if len(value.parts) == 1 and value.parts[0] in bindings:
            return bindings[value.parts[0]]
        if not any(part in bindings for part in value.parts):
            return value
        parts, span = [], value.span
        for part in value.parts:
            if part in bindings:
                part, span = _name_of(part, bindings[part])
            parts.append(part)
        return m.Ref(tuple(parts), span=span)
    if isinstance(value, tuple):
        items = tuple(_substitute(item, bindings) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, str):
        return _name_of(value, bindings[value])[0] if value in bindings else value
    if not attrs.has(type(value)):
        return value
    changes: dict[str, object] = {}
    for field in attrs.fields(cast(Any, type(value))):
        if field.name == "span":
            continue
        old = getattr(value, field.name)
        if isinstance(old, str) and field.name in _NOT_NAMES:
            continue  # operators and built-in words, never names a parameter stands for
        new = _substitute(old, bindings)
        if new is not old:
            changes[field.name] = new
            if isinstance(old, str):  # a visit or form named by the argument: point at it
                changes["span"] = bindings[old].span
    return attrs.evolve(value, **changes) if changes else value  # type: ignore[misc]
