"""Eligibility criteria, objectives and endpoints, estimands and analysis populations.

A criterion is an EligibilityCriterion with its verbatim text in an
EligibilityCriterionItem; its rule, in the spec's syntax, rides along in the
`extensions.CRITERION_RULE` extension attribute.  An analysis set or subgroup
is an AnalysisPopulation described by its label, its definition in
`extensions.POPULATION_RULE`.  An estimand's treatment is the interventions its
arms of interest receive; its variable, the endpoint it names.
"""

from __future__ import annotations

import html
from decimal import Decimal

from generators.usdm import extensions, terms
from generators.usdm.design import Design, chain, quantity
from generators.usdm.ids import Instances, Json
from protocol_dsl import model as m
from protocol_dsl.spec import Spec
from protocol_dsl.syntax import printer


class Content:
    def __init__(self) -> None:
        self.criteria: list[Json] = []
        self.items: list[Json] = []
        self.objectives: list[Json] = []
        self.estimands: list[Json] = []
        self.analysis_populations: list[Json] = []
        self.endpoint_ids: dict[str, str] = {}
        self.population_ids: dict[str, str] = {}


def xhtml(text: str) -> str:
    """Text as USDM's syntax-template texts hold it: XHTML, so `<`, `>` and `&` as entities
    (CDISC rule DDF00247); nothing in the spec's text becomes markup."""
    return html.escape(text, quote=False)


def criterion_rule(criterion: m.Criterion) -> str | None:
    """The criterion's rule as the spec writes it after `=`; None for an informal one."""
    if criterion.rule is not None:
        return printer.expr(criterion.rule)
    if criterion.attested:
        if criterion.attestation is None:
            return "attested"
        return f"attested {printer.quote(criterion.attestation)}"
    return None


def eligibility(spec: Spec, ids: Instances, made: Content) -> None:
    for criterion in spec.criteria:
        item = ids.make(
            "EligibilityCriterionItem",
            {
                "name": criterion.id,
                "label": None,
                "description": None,
                "text": xhtml(criterion.text),
                "dictionaryId": None,
                "notes": [],
            },
        )
        made.items.append(item)
        rule = criterion_rule(criterion)
        made.criteria.append(
            ids.make(
                "EligibilityCriterion",
                {
                    "name": criterion.id,
                    "label": criterion.id,
                    "description": None,
                    "category": ids.code(
                        terms.INCLUSION if criterion.kind == "inclusion" else terms.EXCLUSION
                    ),
                    "identifier": criterion.id,
                    "criterionItemId": item["id"],
                    "nextId": None,
                    "previousId": None,
                    "notes": [],
                },
                [ids.text_extension(extensions.CRITERION_RULE, rule)] if rule else None,
            )
        )
    chain(made.criteria)


def objectives(spec: Spec, ids: Instances, made: Content) -> None:
    for objective in spec.objectives:
        endpoints = []
        for endpoint in objective.endpoints:
            endpoints.append(
                ids.make(
                    "Endpoint",
                    {
                        "name": endpoint.name,
                        "label": endpoint.name,
                        "description": endpoint.timeframe,
                        "text": xhtml(endpoint.text),
                        "dictionaryId": None,
                        "notes": [],
                        "purpose": terms.ENDPOINT_LEVELS[objective.level].decode,
                        "level": ids.code(terms.ENDPOINT_LEVELS[objective.level]),
                    },
                    [ids.text_extension(extensions.ENDPOINT_TIMEFRAME, endpoint.timeframe)]
                    if endpoint.timeframe
                    else None,
                )
            )
            made.endpoint_ids[endpoint.name] = endpoints[-1]["id"]
        made.objectives.append(
            ids.make(
                "Objective",
                {
                    "name": objective.name,
                    "label": objective.name,
                    "description": None,
                    "text": xhtml(objective.text),
                    "dictionaryId": None,
                    "notes": [],
                    "level": ids.code(terms.OBJECTIVE_LEVELS[objective.level]),
                    "endpoints": endpoints,
                },
            )
        )


def analysis_populations(spec: Spec, ids: Instances, made: Content, population_id: str) -> None:
    for population in spec.populations.values():
        made.analysis_populations.append(
            ids.make(
                "AnalysisPopulation",
                {
                    "name": population.name,
                    "label": population.name,
                    "description": population.kind,
                    "text": population.label or population.name,
                    "subsetOfIds": [population_id],
                    "notes": [],
                },
                [ids.text_extension(extensions.POPULATION_RULE, printer.expr(population.rule))],
            )
        )
        made.population_ids[population.name] = made.analysis_populations[-1]["id"]


def estimands(spec: Spec, ids: Instances, design: Design, made: Content) -> None:
    for _objective, estimand in spec.estimands:
        treated = [spec.arms[r.dotted] for r in estimand.treatment if r.dotted in spec.arms]
        received = dict.fromkeys(name for arm in treated for name in arm.receives)
        variable = made.endpoint_ids.get(estimand.variable.dotted) if estimand.variable else None
        population = (
            made.population_ids.get(estimand.population.dotted) if estimand.population else None
        )
        if variable is None or population is None:
            continue  # USDM needs both: an estimand without one is listed in the losses
        made.estimands.append(
            ids.make(
                "Estimand",
                {
                    "name": estimand.name,
                    "label": estimand.label,
                    "description": estimand.label,
                    "populationSummary": estimand.summary or "",
                    "analysisPopulationId": population,
                    "interventionIds": [
                        design.interventions[n] for n in received if n in design.interventions
                    ],
                    "variableOfInterestId": variable,
                    "intercurrentEvents": [
                        ids.make(
                            "IntercurrentEvent",
                            {
                                "name": f"{estimand.name}_IE{number}",
                                "label": event.text,
                                "description": event.detail,
                                "text": xhtml(event.text),
                                "dictionaryId": None,
                                "notes": [],
                                "strategy": event.strategy.replace("_", " ").capitalize()
                                + (f": {event.detail}" if event.detail else ""),
                            },
                        )
                        for number, event in enumerate(estimand.intercurrent, start=1)
                    ],
                    "notes": [],
                },
            )
        )


def study_population(spec: Spec, ids: Instances, criterion_ids: list[str]) -> Json:
    enrolment = spec.trial_field("enrolment")
    sex = spec.trial_field("sex")
    healthy = spec.trial_field("healthy_volunteers")
    minimum = spec.trial_field("minimum_age")
    maximum = spec.trial_field("maximum_age")
    low = minimum.value.value if minimum is not None else None
    high = maximum.value.value if maximum is not None else None
    age = None
    # USDM's range needs both ends: with one age limit only, the range is left out
    # (a made-up other end would read as the protocol's) and the age is in the criteria
    if isinstance(low, m.Quantity) and isinstance(high, m.Quantity):
        age = ids.make(
            "Range",
            {
                "minValue": quantity(ids, low),
                "maxValue": quantity(ids, high),
                "isApproximate": False,
            },
        )
    count = enrolment.value.value if enrolment is not None else None
    diagnosis = spec.trial_field("diagnosis_group")
    return ids.make(
        "StudyDesignPopulation",
        {
            "name": "POPULATION",
            "label": "Study population",
            "description": str(diagnosis.value.value) if diagnosis is not None else None,
            "includesHealthySubjects": healthy is not None and healthy.value.value == "yes",
            "plannedEnrollmentNumber": ids.make("Quantity", {"value": float(count), "unit": None})
            if isinstance(count, Decimal | int)
            else None,
            "plannedCompletionNumber": None,
            "plannedSex": [
                ids.code(t) for t in terms.SEXES.get(str(sex.value.value) if sex else "", ())
            ],
            "criterionIds": criterion_ids,
            "plannedAge": age,
            "notes": [],
            "cohorts": [],
        },
    )
