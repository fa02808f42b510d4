"""Estimands: ICH E9(R1)'s five attributes, each present and each naming what exists.

An estimand states the treatment comparison (arms), the population (an
analysis set or subgroup), the variable (an endpoint), the intercurrent
events with their strategies, and the population-level summary.  Reported:

* E1019 an attribute left out (intercurrent events may be declared
  `intercurrent none`, which is a statement; silence is not);
* E1016 an arm, E1017 a population, E1018 an endpoint that is not declared
  (with "did you mean" for close names); E1022 an arm on both sides;
* E1020 a strategy that is not one of the five; E1021 a composite strategy
  that does not say what the event counts as; E1023 events listed next to
  `intercurrent none`;
* W1040 a primary objective without an estimand, in a randomised trial or
  one that states estimands elsewhere (a single-group study describes its
  primary objectives without a comparison);
* E0102 two estimands, or two analysis sets or subgroups, of one name;
* E1062 an intercurrent event's `when` rule that is not a condition; E1063 a
  composite strategy with a rule on a variable that is not a response (only
  a response can count the event as non-response).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label, did_you_mean
from protocol_dsl.semantics import types as t
from protocol_dsl.spec import Scope, Spec

_STRATEGIES_IN_WORDS = ", ".join(m.INTERCURRENT_STRATEGIES)


def check(spec: Spec) -> Iterator[Diagnostic]:
    yield from _duplicates(spec)
    endpoints = {e.name for objective in spec.objectives for e in objective.endpoints}
    for _objective, estimand in spec.estimands:
        yield from _attributes(estimand)
        yield from _arms(spec, estimand)
        yield from _reference(
            estimand.population,
            spec.populations,
            "E1017",
            "analysis set or subgroup",
            'declare it with `population NAME "label" = rule` (or `subgroup`)',
        )
        yield from _reference(
            estimand.variable,
            endpoints,
            "E1018",
            "endpoint",
            "the variable is an endpoint declared in an objective",
        )
        yield from _intercurrent(estimand)
        yield from _occurrence_rules(spec, estimand)
    yield from _primary_without_estimand(spec)


def _duplicates(spec: Spec) -> Iterator[Diagnostic]:
    seen: dict[str, m.Estimand | m.Population] = {}
    for _objective, estimand in spec.estimands:
        yield from _once(seen, estimand.name, estimand, "estimand")
    seen = {}
    for population in spec.module.of_type(m.Population):
        yield from _once(seen, population.name, population, "analysis set or subgroup")


def _once(
    seen: dict[str, m.Estimand | m.Population],
    name: str,
    node: m.Estimand | m.Population,
    kind: str,
) -> Iterator[Diagnostic]:
    first = seen.setdefault(name, node)
    if first is not node:
        yield Diagnostic(
            "E0102",
            "error",
            f"'{name}' is declared twice",
            node.span,
            labels=(Label(first.span, f"the first {kind} '{name}' is here"),),
            help="give each one its own name, or remove the second",
        )


def _attributes(estimand: m.Estimand) -> Iterator[Diagnostic]:
    missing: list[tuple[str, str]] = []
    if not estimand.treatment:
        missing.append(("treatment", "`treatment ARM versus ARM`"))
    if estimand.population is None:
        missing.append(("population", "`population NAME` (an analysis set)"))
    if estimand.variable is None:
        missing.append(("variable", "`variable ENDPOINT`"))
    if not estimand.intercurrent and not estimand.no_intercurrent:
        missing.append(
            (
                "intercurrent events",
                '`intercurrent "event" STRATEGY` for each, or `intercurrent none`',
            )
        )
    if estimand.summary is None:
        missing.append(("summary", '`summary "…"` (the population-level summary measure)'))
    for attribute, how in missing:
        yield Diagnostic(
            "E1019",
            "error",
            f"the estimand '{estimand.name}' does not state its {attribute}",
            estimand.span,
            help=f"ICH E9(R1) defines an estimand by five attributes; add {how}",
        )


def _arms(spec: Spec, estimand: m.Estimand) -> Iterator[Diagnostic]:
    for ref in (*estimand.treatment, *estimand.comparator):
        if ref.dotted not in spec.arms:
            yield Diagnostic(
                "E1016",
                "error",
                f"there is no arm '{ref.dotted}'",
                ref.span,
                suggestion=did_you_mean(ref.dotted, spec.arms),
                help="the treatment attribute compares arms declared with `arm NAME …`",
            )
    compared = {ref.dotted: ref for ref in estimand.treatment}
    for ref in estimand.comparator:
        first = compared.get(ref.dotted)
        if first is not None:
            yield Diagnostic(
                "E1022",
                "error",
                f"the arm '{ref.dotted}' is on both sides of the comparison",
                ref.span,
                labels=(Label(first.span, "compared here"),),
                help="an arm is compared with other arms, never with itself",
            )


def _reference(
    ref: m.Ref | None, known: Iterable[str], code: str, kind: str, how: str
) -> Iterator[Diagnostic]:
    names = list(known)
    if ref is not None and ref.dotted not in names:
        yield Diagnostic(
            code,
            "error",
            f"there is no {kind} '{ref.dotted}'",
            ref.span,
            suggestion=did_you_mean(ref.dotted, names),
            help=how,
        )


def _intercurrent(estimand: m.Estimand) -> Iterator[Diagnostic]:
    if estimand.no_intercurrent and estimand.intercurrent:
        yield Diagnostic(
            "E1023",
            "error",
            f"the estimand '{estimand.name}' lists intercurrent events and says there are none",
            estimand.span,
            help="remove `intercurrent none`, or the events",
        )
    for event in estimand.intercurrent:
        if event.strategy not in m.INTERCURRENT_STRATEGIES:
            yield Diagnostic(
                "E1020",
                "error",
                f"'{event.strategy}' is not a strategy for an intercurrent event",
                event.span,
                suggestion=did_you_mean(event.strategy, m.INTERCURRENT_STRATEGIES),
                help=f"ICH E9(R1)'s strategies are {_STRATEGIES_IN_WORDS}",
            )
        elif event.strategy == "composite" and not (event.detail or "").strip():
            yield Diagnostic(
                "E1021",
                "error",
                f'the composite strategy for "{event.text}" does not say what the event counts as',
                event.span,
                help="a composite strategy makes the event part of the variable: say how, e.g. "
                '`composite "counted as non-response"`',
            )


def _randomised(spec: Spec) -> bool:
    allocation = spec.trial_field("allocation")
    return allocation is not None and str(allocation.value.value) == "randomized"


def _primary_without_estimand(spec: Spec) -> Iterator[Diagnostic]:
    if not _randomised(spec) and not any(True for _ in spec.estimands):
        return
    for objective in spec.objectives:
        if objective.level == "primary" and not objective.estimands:
            yield Diagnostic(
                "W1040",
                "warning",
                f"the primary objective '{objective.name}' has no estimand",
                objective.span,
                help='state what is estimated: add `estimand NAME "…" { treatment …  '
                "population …  variable …  intercurrent …  summary … }` to the objective",
            )


def _occurrence_rules(spec: Spec, estimand: m.Estimand) -> Iterator[Diagnostic]:
    """`intercurrent "…" STRATEGY "…" when RULE`: a condition; under the composite
    strategy, on a variable that is a response."""
    variable = None
    if estimand.variable is not None:
        for objective in spec.objectives:
            for endpoint in objective.endpoints:
                if endpoint.name == estimand.variable.dotted:
                    variable = endpoint
    for event in estimand.intercurrent:
        if event.occurs is None:
            continue
        found = t.infer(event.occurs, Scope(spec), spec)
        if not isinstance(found, t.Boolean | t.Unknown):
            yield Diagnostic(
                "E1062",
                "error",
                f'the rule of the intercurrent event "{event.text}" is not a condition: '
                f"it is {t.describe(found)}",
                event.occurs.span,
                help="write when the event happened as a condition, e.g. "
                '`when any disposition where decod = "ADVERSE EVENT"`',
            )
        if (
            event.strategy == "composite"
            and variable is not None
            and not _is_response(spec, variable)
        ):
            yield Diagnostic(
                "E1063",
                "error",
                f'the composite strategy counts "{event.text}" as non-response, but the '
                f"variable {variable.name} is not a response",
                event.span,
                labels=(Label(variable.span, "the variable"),),
                help="a composite strategy with a rule applies to a `responder` endpoint with "
                "its rule; for a value, state the strategy in words (no `when`)",
            )


def _is_response(spec: Spec, endpoint: m.Endpoint) -> bool:
    if endpoint.rule is None or endpoint.kind not in (None, "responder"):
        return False
    return isinstance(t.infer(endpoint.rule, Scope(spec), spec), t.Boolean | t.Unknown)
