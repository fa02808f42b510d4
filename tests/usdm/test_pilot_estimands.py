"""The CDISC pilot's analysis sets and estimands compared with CDISC's USDM example of the study.

`cdisc_pilot_estimands.json` holds the parts of the USDM v4 example
`CDISC_Pilot_Study.json` (CDISC DDF-RA, MIT licence in `LICENSE.usdm`) that
describe the study population, analysis populations, objectives, endpoints,
arms, interventions and estimands.  Each test compares one element; what
differs, and why, is asserted as well, so a change on either side shows up
here (docs/reference.md, "The CDISC pilot compared with the USDM example").
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from protocol_dsl import model as m
from protocol_dsl.compiler import compile_spec
from protocol_dsl.spec import Spec

HERE = Path(__file__).resolve().parent
PILOT = HERE.parents[1] / "specs" / "cdiscpilot01.trial"


@cache
def usdm() -> dict[str, Any]:
    return json.loads((HERE / "cdisc_pilot_estimands.json").read_text(encoding="utf-8"))


@cache
def pilot() -> Spec:
    result = compile_spec(str(PILOT))
    assert result.spec is not None
    assert not [d for d in result.diagnostics if d.is_error]
    return result.spec


def _estimand(name: str) -> tuple[m.Objective, m.Estimand]:
    return next((o, e) for o, e in pilot().estimands if e.name == name)


def _usdm_estimand() -> dict[str, Any]:
    (estimand,) = usdm()["estimands"]
    return estimand


def _usdm_endpoint(endpoint_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    for objective in usdm()["objectives"]:
        for endpoint in objective["endpoints"]:
            if endpoint["id"] == endpoint_id:
                return objective, endpoint
    raise AssertionError(endpoint_id)


def test_one_estimand_in_usdm_and_two_provisional_more_in_the_spec() -> None:
    assert [e["name"] for e in usdm()["estimands"]] == ["EST1"]
    names = [e.name for _o, e in pilot().estimands]
    assert names == ["EST1", "EST2", "EST3"]
    assert not m.is_provisional(_estimand("EST1")[1].marks)
    assert all(m.is_provisional(_estimand(n)[1].marks) for n in ("EST2", "EST3"))


def test_objective_the_estimand_belongs_to() -> None:
    usdm_objective, _endpoint = _usdm_endpoint(_usdm_estimand()["variableOfInterestId"])
    objective, _ = _estimand("EST1")
    assert usdm_objective["level"] == "Primary Objective"
    assert objective.level == "primary"
    # both state the primary objective on ADAS-Cog and CIBIC+ and drug dose
    for words in ("statistically significant relationship", "ADAS-Cog", "CIBIC+"):
        assert words in usdm_objective["text"]
        assert words in objective.text


def test_variable_is_the_adas_cog_endpoint_at_week_24() -> None:
    _objective, usdm_endpoint = _usdm_endpoint(_usdm_estimand()["variableOfInterestId"])
    _, estimand = _estimand("EST1")
    assert estimand.variable is not None
    endpoint = next(
        e for o in pilot().objectives for e in o.endpoints if e.name == estimand.variable.dotted
    )
    for text in (usdm_endpoint["text"], endpoint.text):
        assert "ADAS-Cog (11)" in text
        assert "week 24" in text.lower()
    # the spec states the variable as a change from baseline; USDM's endpoint names the scale
    assert endpoint.text.startswith("Change from baseline")
    assert usdm_endpoint["level"] == "Primary Endpoint"


def test_treatment_usdm_names_the_intervention_the_spec_compares_arms() -> None:
    usdm_estimand = _usdm_estimand()
    interventions = {i["id"]: i for i in usdm()["studyInterventions"]}
    (intervention_id,) = usdm_estimand["interventionIds"]
    # USDM: the investigational product (spelled "Xinomiline" in the example)
    assert interventions[intervention_id]["label"].lower().startswith("xin")
    _objective, estimand = _estimand("EST1")
    arms = pilot().arms
    treated = [arms[r.dotted] for r in estimand.treatment]
    compared = [arms[r.dotted] for r in estimand.comparator]
    assert {a.label for a in treated} == {"Xanomeline High Dose", "Xanomeline Low Dose"}
    assert [a.label for a in compared] == ["Placebo"]
    assert all("xanomeline" in a.receives for a in treated)
    # the spec's arms are USDM's arms, by label
    assert {a.label for a in arms.values()} == {a["name"] for a in usdm()["arms"]}


def test_population_usdm_uses_the_study_population_the_spec_the_efficacy_population() -> None:
    (analysis_population,) = usdm()["analysisPopulations"]
    assert _usdm_estimand()["analysisPopulationId"] == analysis_population["id"]
    assert analysis_population["subsetOfIds"] == [usdm()["population"]["id"]]
    indication = pilot().trial_field("indication")
    assert indication is not None
    assert str(indication.value.value) in analysis_population["text"]
    _objective, estimand = _estimand("EST1")
    assert estimand.population is not None and estimand.population.dotted == "EFF"
    populations = pilot().populations
    assert set(populations) == {"ITT", "SAF", "EFF", "COMP8", "COMP16", "COMP24", "OVER80"}
    assert populations["EFF"].kind == "population"
    assert populations["OVER80"].kind == "subgroup"


def test_intercurrent_event_temporary_interruption_under_treatment_policy() -> None:
    (usdm_event,) = _usdm_estimand()["intercurrentEvents"]
    _objective, estimand = _estimand("EST1")
    first, *more = estimand.intercurrent
    assert first.text.lower() == usdm_event["text"].lower()
    assert first.strategy == "treatment_policy"
    assert usdm_event["strategy"].startswith("Treatment Policy")
    assert not m.is_provisional(first.marks)
    # the events the protocol's endpoint definition implies are the spec's additions
    assert more and all(m.is_provisional(e.marks) for e in more)
    assert {e.strategy for e in more} == {"while_on_treatment"}


def test_population_level_summary_is_the_same_text() -> None:
    _objective, estimand = _estimand("EST1")
    assert estimand.summary == _usdm_estimand()["populationSummary"]
