"""Names, references and fields: the checks every later check relies on.

Undefined and duplicate names (with "did you mean" for close matches only),
unknown visits, quantifiers over forms that are not repeating, unknown
functions, references to the wrong kind of declaration, and the keys and
values of header-like blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol, cast

from protocol_dsl import model as m
from protocol_dsl.checks.criterion_question import CriterionQuestion
from protocol_dsl.checks.field_values import value_problems
from protocol_dsl.diagnostics import Diagnostic, Label, did_you_mean
from protocol_dsl.fields import (
    DOSE_FINDING_FIELDS,
    INTERVENTION_FIELDS,
    REGIMEN_FIELDS,
    TRIAL_FIELDS,
    FieldSpec,
)
from protocol_dsl.functions import FUNCTIONS
from protocol_dsl.spec import (
    Scope,
    Spec,
    declaration_expressions,
    visits_in_range,
    walk_scoped,
)
from protocol_dsl.syntax import printer

#: Arity of each built-in function.
FUNCTION_ARITY = {f.name: f.arity for f in FUNCTIONS.values()}

#: Anchors a DLT window may start from without being declared.
DLT_ANCHORS = ("first_dose", "first_step_dose", "target_dose")


def check(spec: Spec) -> Iterator[Diagnostic]:
    return findings(spec, criterion_findings)


def findings(spec: Spec, about_criterion: CriterionQuestion) -> Iterator[Diagnostic]:
    """The check, with the findings about each criterion's rule asked of `about_criterion`."""
    yield from _header(spec)
    for owner in spec.all_specs():
        yield from _duplicates(owner)
        yield from _fields(owner)
        yield from _declaration_references(spec, owner)
    yield from _expression_references(spec, about_criterion)


# ---------------------------------------------------------------- header


def _header(spec: Spec) -> Iterator[Diagnostic]:
    trials = spec.module.of_type(m.Trial)
    has_protocol_content = any(
        isinstance(d, (m.Criterion, m.Visit, m.Objective, m.DoseFinding))
        for d in spec.module.declarations
    )
    if not trials and has_protocol_content:
        yield Diagnostic(
            "E0112",
            "error",
            "this spec has no trial header",
            spec.module.declarations[0].span,
            help='start the file with `trial NAME { title "…" … }`; '
            "only libraries (files that others `use`) go without one",
        )
    for extra in trials[1:]:
        yield Diagnostic(
            "E0102",
            "error",
            "a spec has one trial header; this is a second one",
            extra.span,
            labels=(Label(trials[0].span, "the first trial header is here"),),
        )


# ---------------------------------------------------------------- duplicates


class _Named(Protocol):
    @property
    def name(self) -> str: ...


def _duplicates(owner: Spec) -> Iterator[Diagnostic]:
    # one namespace for everything an expression can name, one for schedule names
    namespaces: dict[str, dict[str, object]] = {"value": {}, "schedule": {}, "criterion": {}}
    kinds = {
        m.Form: "value",
        m.Define: "value",
        m.Score: "value",
        m.ScoreVariant: "value",
        m.Anchor: "value",
        m.CodeList: "value",
        m.Table: "value",
        m.Visit: "schedule",
        m.Epoch: "schedule",
        m.Element: "schedule",
        m.Arm: "schedule",
        m.Activity: "schedule",
        m.Regimen: "schedule",
        m.Cycle: "schedule",
        m.Repeat: "schedule",
    }
    for decl in owner.module.declarations:
        if isinstance(decl, m.Criterion):
            yield from _once(namespaces["criterion"], decl.id, decl, "criterion")
            continue
        namespace = kinds.get(type(decl))
        if namespace is not None:
            name = cast(_Named, decl).name  # every class in `kinds` is a named declaration
            yield from _once(namespaces[namespace], name, decl, _kind_word(decl))
        scopes: dict[str, dict[str, object]] = {}
        for scope, name, node, word in _members(decl):
            yield from _once(scopes.setdefault(scope, {}), name, node, word)
    aliases: dict[str, object] = {}
    for use in owner.module.of_type(m.Use):
        yield from _once(aliases, use.alias, use, "library alias")


def _members(decl: object) -> Iterator[tuple[str, str, object, str]]:
    """The names a declaration scopes, in source order: (scope, name, node, kind word).

    Names in one scope must differ; a form's items and derived values share one.
    """
    if isinstance(decl, m.Form):
        yield from (("member", item.name, item, "item") for item in decl.items)
        yield from (("member", d.name, d, "derived value") for d in decl.derives)
    elif isinstance(decl, m.CodeList):
        yield from (("entry", e.name, e, "code-list value") for e in decl.entries)
    elif isinstance(decl, m.Table):
        yield from (("row", row.key, row, "table row") for row in decl.rows)
    elif isinstance(decl, m.Score):
        for domain in decl.domains:
            yield "domain", domain.name, domain, "score domain"
            yield from (("item", item.name, item, "score item") for item in domain.items)
    elif isinstance(decl, m.DoseFinding):
        yield from (("level", level.name, level, "dose level") for level in decl.levels)
    elif isinstance(decl, m.Regimen):
        yield from (("level", r.name, r, "dose reduction level") for r in decl.reductions)
    elif isinstance(decl, m.Objective):
        yield from (("endpoint", e.name, e, "endpoint") for e in decl.endpoints)
    elif isinstance(decl, m.Cycle):
        for visit in decl.visits:
            yield "template", visit.name, visit, "cycle visit"
            for point in visit.timepoints:
                yield f"timepoint {visit.name}", point.name, point, "time point"


def _once(seen: dict[str, object], name: str, node: object, kind: str) -> Iterator[Diagnostic]:
    first = seen.get(name)
    if first is None:
        seen[name] = node
        return
    yield Diagnostic(
        "E0102",
        "error",
        f"'{name}' is declared twice",
        node.span,  # type: ignore[attr-defined]
        labels=(Label(first.span, f"the first {kind} '{name}' is here"),),  # type: ignore[attr-defined]
        help="give each one its own name, or remove the second",
    )


def _kind_word(decl: object) -> str:
    return {
        m.Form: "form",
        m.Define: "definition",
        m.Score: "score",
        m.ScoreVariant: "score",
        m.Anchor: "anchor",
        m.CodeList: "code list",
        m.Table: "table",
        m.Visit: "visit",
        m.Epoch: "epoch",
        m.Element: "element",
        m.Arm: "arm",
        m.Activity: "activity",
        m.Regimen: "regimen",
        m.Cycle: "cycle",
        m.Repeat: "repeat",
    }.get(type(decl), "declaration")


# ---------------------------------------------------------------- fields


def _fields(owner: Spec) -> Iterator[Diagnostic]:
    for decl in owner.module.declarations:
        if isinstance(decl, m.Trial):
            yield from _check_fields(decl.fields, TRIAL_FIELDS, "trial header")
        elif isinstance(decl, m.Intervention):
            yield from _check_fields(decl.fields, INTERVENTION_FIELDS, "intervention")
        elif isinstance(decl, m.DoseFinding):
            yield from _check_fields(decl.fields, DOSE_FINDING_FIELDS, "dose_finding block")
        elif isinstance(decl, m.Regimen):
            yield from _check_fields(decl.fields, REGIMEN_FIELDS, "regimen")


def _check_fields(
    fields: Iterable[m.Field], known: dict[str, FieldSpec], where: str
) -> Iterator[Diagnostic]:
    seen: dict[str, m.Field] = {}
    for f in fields:
        spec = known.get(f.key)
        if spec is None:
            yield Diagnostic(
                "E0109",
                "error",
                f"'{f.key}' is not a field of the {where}",
                f.span,
                suggestion=did_you_mean(f.key, known),
                help="the fields are listed in docs/reference.md",
            )
            continue
        if f.key in seen and not spec.repeatable:
            yield Diagnostic(
                "E0102",
                "error",
                f"the field '{f.key}' is given twice",
                f.span,
                labels=(Label(seen[f.key].span, "first given here"),),
            )
        seen.setdefault(f.key, f)
        if len(f.values) > 1 and not spec.many_values:
            yield Diagnostic(
                "E0110",
                "error",
                f"'{f.key}' takes one value, not {len(f.values)}",
                f.values[1].span,
                help=f"{f.key}: {spec.description}",
            )
        for value in f.values:
            yield from value_problems("E0110", f, value, spec)
        if known is INTERVENTION_FIELDS and f.key == "code":
            yield from _product_code(f)


#: A sponsor's product code: groups of letters and digits joined by single hyphens
#: or spaces, with at least one digit (LY246708, QLS4131, MK-3475, "BMS 936558").
_PRODUCT_CODE = re.compile(r"(?=[^0-9]*[0-9])[A-Za-z0-9]+(?:[- ][A-Za-z0-9]+)*")


def _product_code(f: m.Field) -> Iterator[Diagnostic]:
    """E0118: `code` names the product the way the sponsor codes it, nothing else."""
    for value in f.values:
        if value.kind not in ("name", "string"):
            continue  # E0110 already
        text = str(value.value)
        if len(text) <= 30 and _PRODUCT_CODE.fullmatch(text):
            continue
        yield Diagnostic(
            "E0118",
            "error",
            f"{printer.quote(text)} is not a product code",
            value.span,
            help=(
                "`code` is the sponsor's code for the product: letters and digits, "
                'with at least one digit (LY246708, QLS4131, "MK-3475"); the product\'s '
                "name is the intervention's label, and a code of a standard system goes "
                "in brackets after it: `code LY246708 [ATC N06DX]`"
            ),
        )


# ---------------------------------------------------------------- references in declarations


def _declaration_references(root: Spec, owner: Spec) -> Iterator[Diagnostic]:
    visits = root.visits
    at_names = _at_names(root)
    for decl in owner.module.declarations:
        if isinstance(decl, m.Form):
            yield from _visits(decl.visits, at_names, decl.span, owner is root)
            form_visits = set(root.at(decl.visits))
            for item in decl.items:
                if item.visits is not None:
                    yield from _visits(item.visits, at_names, item.span, owner is root)
                    for entry in item.visits if decl.visits else ():
                        # one diagnostic per entry written: a cycle or a repeat names many
                        outside = [v for v in root.at((entry,)) if v not in form_visits]
                        if not outside:
                            continue
                        where = entry if outside == [entry] else f"{entry} ({', '.join(outside)})"
                        yield Diagnostic(
                            "E0106",
                            "error",
                            f"item '{item.name}' is collected at {where}, where its form "
                            f"'{decl.name}' is not collected",
                            item.span,
                            help=f"add {entry} to the form's visits, or remove it here",
                        )
                if item.type.codelist is not None:
                    yield from _expect(owner, item.type.codelist, "codelist", "a code list")
        elif isinstance(decl, m.Collect):
            yield from _expect(owner, decl.form, "form", "a form")
            yield from _visits(decl.visits, at_names, decl.span, True)
        elif isinstance(decl, m.Activity):
            yield from _visits(decl.visits, at_names, decl.span, True)
        elif isinstance(decl, m.Anchor) and decl.visit is not None:
            yield from _visits((decl.visit,), visits, decl.span, True)
        elif isinstance(decl, m.Visit):
            if decl.epoch is not None and decl.epoch not in owner.epochs:
                yield _undefined(decl.epoch, "epoch", decl.span, owner.epochs)
            if decl.after is not None:
                yield from _position(owner, decl.after)
        elif isinstance(decl, (m.Cycle, m.Repeat)):
            yield from _time_structure(owner, decl)
        elif isinstance(decl, m.Arm):
            for step in decl.steps:
                if step.element not in owner.elements:
                    yield _undefined(step.element, "element", step.span, owner.elements)
                if step.epoch not in owner.epochs:
                    yield _undefined(step.epoch, "epoch", step.span, owner.epochs)
            for name in decl.receives:
                if name not in owner.interventions:
                    yield _undefined(name, "intervention", decl.span, owner.interventions)
            for name in decl.regimens:
                if name not in owner.regimens:
                    yield _undefined(name, "regimen", decl.span, owner.regimens)
        elif isinstance(decl, m.Element) and decl.regimen is not None:
            if decl.regimen not in owner.regimens:
                yield _undefined(decl.regimen, "regimen", decl.span, owner.regimens)
        elif isinstance(decl, m.Regimen):
            yield from _regimen(owner, decl)
        elif isinstance(decl, m.Table) and decl.keys is not None:
            yield from _expect(owner, decl.keys, "codelist", "a code list")
            symbol = owner.resolve(decl.keys.parts, Scope(owner))
            if symbol is not None and symbol.codelist is not None:
                names = {e.name for e in symbol.codelist.entries}
                for row in decl.rows:
                    if row.key not in names:
                        yield _undefined(
                            row.key, f"value of the code list '{decl.keys.dotted}'", row.span, names
                        )
        elif isinstance(decl, m.Score):
            yield from _score(owner, decl)
        elif isinstance(decl, m.ScoreVariant):
            yield from _expect(owner, decl.base, "score", "a score")
            base = owner.base_score(decl)
            if base is not None:
                names = {i.name for _d, i in base.items()}
                for name in decl.without:
                    if name not in names:
                        yield _undefined(name, f"item of the score '{base.name}'", decl.span, names)
        elif isinstance(decl, m.DoseFinding):
            yield from _dose_finding(root, owner, decl)
        elif isinstance(decl, m.Objective):
            for endpoint in decl.endpoints:
                if endpoint.until_anchor is not None and endpoint.until_anchor not in owner.anchors:
                    yield _undefined(endpoint.until_anchor, "anchor", endpoint.span, owner.anchors)
        elif isinstance(decl, m.Trial):
            f = decl.field("eligibility_visit")
            if f is not None and f.value.kind == "name":
                yield from _visits((str(f.value.value),), visits, f.span, True)


def _at_names(root: Spec) -> dict[str, object]:
    """What an `at` list may name: visits (declared and yielded), cycles, a cycle's
    template visits (`treatment_cycle.D1`), repeats."""
    names: dict[str, object] = dict(root.visits)
    for cycle in root.cycles.values():
        names[cycle.name] = cycle
        for visit in cycle.visits:
            names.setdefault(f"{cycle.name}.{visit.name}", visit)
    for repeat in root.repeats.values():
        names.setdefault(repeat.name, repeat)
    return names


def _position(owner: Spec, position: m.Position) -> Iterator[Diagnostic]:
    """A position's anchor must be declared (`first_dose` is day 1 without a declaration)."""
    anchor = position.anchor
    if anchor is None or anchor in owner.anchors or anchor == "first_dose":
        return
    yield Diagnostic(
        "E0122",
        "error",
        f"there is no anchor '{anchor}'",
        position.span,
        suggestion=did_you_mean(anchor, [*owner.anchors, "first_dose"]),
        help='anchors are declared with `anchor NAME "label" = visit V` (a visit with a day '
        "is a fixed anchor; one without, an event) or `= expression` (an event from data)",
    )


def _time_structure(owner: Spec, decl: m.Cycle | m.Repeat) -> Iterator[Diagnostic]:
    if decl.epoch is not None and decl.epoch not in owner.epochs:
        yield _undefined(decl.epoch, "epoch", decl.span, owner.epochs)
    if isinstance(decl, m.Repeat):
        yield from _position(owner, decl.start)
        if decl.end is not None:
            yield from _position(owner, decl.end)
        return
    if decl.start is not None:
        yield from _position(owner, decl.start)
    for visit in decl.visits:
        if visit.epoch is not None and visit.epoch not in owner.epochs:
            yield _undefined(visit.epoch, "epoch", visit.span, owner.epochs)
        points = {p.name for p in visit.timepoints}
        for point in visit.timepoints:
            if point.reference is None or point.reference == "dose":
                continue
            if point.reference == point.name or point.reference not in points:
                yield Diagnostic(
                    "E0121",
                    "error",
                    f"time point {point.name} is {point.direction} '{point.reference}', "
                    f"which is not another time point of visit {visit.name}",
                    point.span,
                    suggestion=did_you_mean(point.reference, points - {point.name}),
                    help="a time point is before or after `dose` (the start of "
                    "administration) or another time point of the same visit",
                )


def _visits(
    names: Iterable[str], visits: Mapping[str, object], span: m.Span, applies: bool
) -> Iterator[Diagnostic]:
    if not applies:
        return
    for name in names:
        if name not in visits:
            yield Diagnostic(
                "E0106",
                "error",
                f"there is no visit '{name}'",
                span,
                suggestion=did_you_mean(name, visits),
                help='visits are declared with `visit NAME "label" day N`',
            )


def _score(owner: Spec, score: m.Score) -> Iterator[Diagnostic]:
    form = None
    if score.form is not None:
        yield from _expect(owner, score.form, "form", "a form")
        symbol = owner.resolve(score.form.parts, Scope(owner))
        form = symbol.form if symbol is not None and symbol.kind == "form" else None
    if score.rule not in ("sum_all", "highest_per_domain"):
        yield Diagnostic(
            "E0110",
            "error",
            f"'{score.rule}' is not a scoring rule",
            score.span,
            suggestion=did_you_mean(score.rule, ("sum_all", "highest_per_domain")),
            help="a score either sums all its items (sum_all) or counts only the highest "
            "weight in each domain (highest_per_domain)",
        )
    for _domain, item in score.items():
        if item.expr is None:
            if form is None:
                yield Diagnostic(
                    "E0101",
                    "error",
                    f"score item '{item.name}' has no rule and the score names no form",
                    item.span,
                    help="add `form NAME` to the score, or write `= condition` after the item",
                )
            elif form.item(item.name) is None:
                yield _undefined(
                    item.name,
                    f"item of the form '{form.name}'",
                    item.span,
                    [i.name for i in form.items],
                )


def _regimen(owner: Spec, decl: m.Regimen) -> Iterator[Diagnostic]:
    if decl.intervention not in owner.interventions:
        yield _undefined(decl.intervention, "intervention", decl.span, owner.interventions)
    if decl.per is not None:
        symbol = owner.resolve(decl.per.parts, Scope(owner))
        if symbol is None:
            yield _undefined(decl.per.dotted, "item", decl.per.span, _candidates(owner, "form"))
        elif symbol.kind not in ("item", "derive", "define"):
            yield Diagnostic(
                "E0111",
                "error",
                f"'{decl.per.dotted}' is a {symbol.kind.replace('_', ' ')}, not an item or "
                "a definition",
                decl.per.span,
                help="a per-kg or per-m2 dose converts through a recorded item "
                "(`per vitals.weight`) or a definition giving the body surface area",
            )
    days = decl.days
    if days is not None and days.cycle is not None and days.cycle not in owner.cycles:
        yield _undefined(days.cycle, "cycle", days.span, owner.cycles)


def _dose_finding(root: Spec, owner: Spec, decl: m.DoseFinding) -> Iterator[Diagnostic]:
    if decl.intervention not in owner.interventions:
        yield _undefined(decl.intervention, "intervention", decl.span, owner.interventions)
    if decl.regimen is not None and decl.regimen not in owner.regimens:
        yield _undefined(decl.regimen, "regimen", decl.span, owner.regimens)
    levels = {level.name for level in decl.levels}
    for step_up in decl.step_ups:
        for name in step_up.levels:
            if name not in levels:
                yield _undefined(name, "dose level", step_up.span, levels)
    start = decl.field("start_level")
    if start is not None and start.value.kind == "name" and start.value.value not in levels:
        yield _undefined(str(start.value.value), "dose level", start.span, levels)
    if decl.dlt_window is not None and decl.dlt_window.cycle is None:
        anchor = decl.dlt_window.anchor
        if anchor not in DLT_ANCHORS and anchor not in owner.anchors:
            yield Diagnostic(
                "E0101",
                "error",
                f"the DLT window starts from '{anchor}', which is not an anchor",
                decl.dlt_window.span,
                suggestion=did_you_mean(anchor, [*DLT_ANCHORS, *owner.anchors]),
                help="a DLT window starts from first_dose, first_step_dose, target_dose "
                "or a declared anchor",
            )


def _expect(owner: Spec, ref: m.Ref, kind: str, words: str) -> Iterator[Diagnostic]:
    symbol = owner.resolve(ref.parts, Scope(owner))
    if symbol is None:
        yield _undefined(ref.dotted, words.split(" ", 1)[1], ref.span, _candidates(owner, kind))
    elif symbol.kind != kind:
        yield Diagnostic(
            "E0111",
            "error",
            f"'{ref.dotted}' is a {symbol.kind.replace('_', ' ')}, not {words}",
            ref.span,
        )


def _candidates(owner: Spec, kind: str) -> list[str]:
    table = {
        "form": lambda s: s.forms,
        "codelist": lambda s: s.codelists,
        "score": lambda s: s.scores,
        "table": lambda s: s.tables,
    }[kind]
    names = list(table(owner))
    for alias, library in owner.libraries.items():
        names += [f"{alias}.{n}" for n in table(library)]
    return names


def _undefined(name: str, kind: str, span: m.Span, candidates: Iterable[str]) -> Diagnostic:
    return Diagnostic(
        "E0101",
        "error",
        f"there is no {kind} '{name}'",
        span,
        suggestion=did_you_mean(name, candidates),
    )


# ---------------------------------------------------------------- references in expressions


def _expression_references(spec: Spec, about_criterion: CriterionQuestion) -> Iterator[Diagnostic]:
    for owner in spec.all_specs():
        for decl in owner.module.declarations:
            if isinstance(decl, m.Criterion):
                yield from about_criterion(spec, owner, decl)
            else:
                yield from _references_in(spec, owner, decl)


def criterion_findings(spec: Spec, owner: Spec, criterion: m.Criterion) -> Iterator[Diagnostic]:
    """The names of one criterion's rule: each resolves to a declaration that is not a
    criterion (a rule cannot name one)."""
    return _references_in(spec, owner, criterion)


def _references_in(spec: Spec, owner: Spec, decl: m.Declaration) -> Iterator[Diagnostic]:
    for scope, expr in declaration_expressions(owner, decl):
        values: dict[int, m.CodeList] = {}
        for node, node_scope in walk_scoped(expr, scope):
            values.update(_compared_with_choice(node, node_scope))
            if isinstance(node, m.Ref) and id(node) in values:
                yield from _choice_value(node, node_scope, values[id(node)])
                continue
            yield from _expression_node(spec, node, node_scope)


def _compared_with_choice(node: m.Expr, scope: Scope) -> dict[int, m.CodeList]:
    """The bare names compared with a choice item (`category = diabetes`): each is read as
    a value of the item's code list, so a typo is reported against that list."""
    if not isinstance(node, m.Compare) or node.op not in ("=", "!="):
        return {}
    found: dict[int, m.CodeList] = {}
    for item_side, value_side in ((node.left, node.right), (node.right, node.left)):
        if not isinstance(item_side, m.Ref | m.AtVisit) or not isinstance(value_side, m.Ref):
            continue
        if len(value_side.parts) != 1:
            continue
        ref = item_side if isinstance(item_side, m.Ref) else item_side.expr
        if not isinstance(ref, m.Ref):
            continue
        codelist = _choice_codelist(scope, ref)
        if codelist is not None:
            found[id(value_side)] = codelist
    return found


def _choice_codelist(scope: Scope, ref: m.Ref) -> m.CodeList | None:
    symbol = scope.owner.resolve(ref.parts, scope)
    if symbol is None or symbol.kind != "item" or not isinstance(symbol.decl, m.Item):
        return None
    item_type = symbol.decl.type
    if item_type.kind != "choice" or item_type.codelist is None:
        return None
    list_symbol = symbol.owner.resolve(item_type.codelist.parts, Scope(symbol.owner))
    return list_symbol.codelist if list_symbol is not None else None


def _choice_value(node: m.Ref, scope: Scope, codelist: m.CodeList) -> Iterator[Diagnostic]:
    """A bare name compared with a choice item: unknown unless it is a value of its list."""
    if scope.owner.resolve(node.parts, scope) is not None:
        return  # a value, or another name in scope: the types check judges which list
    yield Diagnostic(
        "E0101",
        "error",
        f"'{node.dotted}' is not a value of the code list '{codelist.name}'",
        node.span,
        suggestion=_value_suggestion(node.dotted, [e.name for e in codelist.entries]),
        help=f"the values of '{codelist.name}' are: "
        + ", ".join(e.name for e in codelist.entries[:12])
        + (", …" if len(codelist.entries) > 12 else ""),
    )


def _value_suggestion(name: str, values: list[str]) -> str | None:
    """A close spelling, else the one value whose name contains the word written
    (`diabetes` for `insulin_dependent_diabetes`): a short name for a longer value."""
    close = did_you_mean(name, values)
    if close is not None:
        return close
    containing = [v for v in values if name.lower() in v.lower().split("_")]
    return containing[0] if len(containing) == 1 else None


def _expression_node(root: Spec, node: m.Expr, scope: Scope) -> Iterator[Diagnostic]:
    owner = scope.owner
    if isinstance(node, m.Ref):
        symbol = owner.resolve(node.parts, scope)
        if symbol is not None and isinstance(symbol.decl, m.Define) and symbol.decl.params:
            params = ", ".join(symbol.decl.params)
            yield Diagnostic(
                "E1059",
                "error",
                f"'{node.dotted}' is a rule for each {params}: apply it to one, "
                f"e.g. {node.dotted}({params})",
                node.span,
                help=f"write {node.parts[-1]}(…) with one argument for each of {params}",
            )
        if symbol is None:
            yield Diagnostic(
                "E0101",
                "error",
                f"'{node.dotted}' is not defined",
                node.span,
                suggestion=did_you_mean(node.dotted, owner.names_in_scope(scope))
                or _with_its_form(owner, node),
                help=_ref_help(node, scope),
            )
    elif isinstance(node, m.VisitQuantifier):
        yield from _visit_range(root, node)
    elif isinstance(node, m.AtVisit):
        if node.visit not in root.visits:
            yield Diagnostic(
                "E0106",
                "error",
                f"there is no visit '{node.visit}'",
                node.span,
                suggestion=did_you_mean(node.visit, root.visits),
            )
    elif isinstance(node, m.Quantifier):
        form = owner.forms.get(node.form)
        if form is None:
            yield _undefined(node.form, "form", node.span, owner.forms)
        elif not form.repeating:
            yield Diagnostic(
                "E0107",
                "error",
                f"'{node.kind} {node.form} where …' needs a repeating form; '{node.form}' has "
                "one record per visit",
                node.span,
                help=f'declare the form as `form {node.form} "…" repeating …`, or compare '
                "its items directly",
            )
    elif isinstance(node, m.Aggregate):
        symbol = owner.resolve(node.target.parts, Scope(owner))
        if symbol is None:
            yield Diagnostic(
                "E0101",
                "error",
                f"'{node.target.dotted}' is not defined",
                node.target.span,
                suggestion=did_you_mean(node.target.dotted, owner.names_in_scope(Scope(owner))),
            )
        elif symbol.form is None or not symbol.form.repeating:
            yield Diagnostic(
                "E0107",
                "error",
                f"{node.kind}(…) needs a repeating form or an item of one; "
                f"'{node.target.dotted}' is not",
                node.target.span,
            )
        elif node.kind == "count" and symbol.kind != "form":
            yield Diagnostic(
                "E0111",
                "error",
                f"count(…) counts the records of a form; '{node.target.dotted}' is an item",
                node.target.span,
                help=f"write count({node.target.parts[0]} where …)",
            )
        elif node.kind != "count" and symbol.kind == "form":
            yield Diagnostic(
                "E0111",
                "error",
                f"{node.kind}(…) needs an item, e.g. {node.kind}({node.target.dotted}.ITEM)",
                node.target.span,
            )
    elif isinstance(node, m.Call) and (applied := owner.application(node)) is not None:
        if applied.problem is not None:
            code, message, span = applied.problem
            yield Diagnostic(code, "error", message, span)
    elif isinstance(node, m.Call):
        arity = FUNCTION_ARITY.get(node.function)
        if arity is None:
            yield Diagnostic(
                "E0108",
                "error",
                f"there is no function '{node.function}'",
                node.span,
                suggestion=did_you_mean(node.function, FUNCTION_ARITY),
                help="the functions are: " + ", ".join(sorted(FUNCTION_ARITY)),
            )
        elif len(node.args) != arity:
            yield Diagnostic(
                "E0108",
                "error",
                f"{node.function}(…) takes {arity} argument{'s' if arity > 1 else ''}, "
                f"not {len(node.args)}",
                node.span,
            )
        elif node.function == "lookup":
            table = node.args[0]
            if not isinstance(table, m.Ref):
                yield Diagnostic("E0111", "error", "lookup(…) takes a table name first", table.span)
            else:
                symbol = owner.resolve(table.parts, Scope(owner))
                if symbol is not None and symbol.kind != "table":
                    yield Diagnostic(
                        "E0111",
                        "error",
                        f"'{table.dotted}' is a {symbol.kind}, not a table",
                        table.span,
                    )
    elif isinstance(node, m.MemberOf) and node.codelist is not None:
        yield from _expect(owner, node.codelist, "codelist", "a code list")


def _with_its_form(owner: Spec, node: m.Ref) -> str | None:
    """`proteinuria` written for `screening_labs.proteinuria`: the one form that has it."""
    if len(node.parts) != 1:
        return None
    forms = [use.key for use in owner.form_uses if use.form.item(node.parts[0]) is not None]
    return f"{forms[0]}.{node.parts[0]}" if len(set(forms)) == 1 else None


def _ref_help(node: m.Ref, scope: Scope) -> str | None:
    if scope.record is not None:
        return (
            f"inside '… where …' a plain name is an item of '{scope.record.name}'; "
            "other names need their form (form.item)"
        )
    if len(node.parts) == 1:
        return "items are written with their form, as form.item"
    return None


def _visit_range(root: Spec, node: m.VisitQuantifier) -> Iterator[Diagnostic]:
    """The visits of `any visit from … to …`: visits of the schedule, a range that holds one."""
    named = [node.start] + ([node.end] if node.end is not None else [])
    unknown = [v for v in named if v not in root.visits]
    for visit in unknown:
        yield Diagnostic(
            "E0106",
            "error",
            f"there is no visit '{visit}'",
            node.span,
            suggestion=did_you_mean(visit, root.visits),
        )
    if unknown or visits_in_range(root, node.start, node.end):
        return
    span = f"from {node.start} to {node.end}" if node.end is not None else f"after {node.start}"
    yield Diagnostic(
        "E0222",
        "error",
        f"the visit range {span} holds no scheduled visit",
        node.span,
        help="name two scheduled visits (with a planned day), the first one first, "
        "e.g. `from W40 to W52`; unscheduled and early-termination visits are in no range",
    )
