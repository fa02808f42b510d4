"""`protocol export usdm`: every real spec as a USDM v4 study that CDISC's API schema
accepts strictly and CDISC's USDM rules pass (but the waived ones), byte-identical on
every build, with the rules and definitions USDM has no place for in extension attributes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generators.usdm import extensions
from generators.usdm.build import build, usdm_text
from protocol_dsl import __version__
from protocol_dsl.cli import cli
from protocol_dsl.syntax.parser import parse_with_comments
from tests.crf.support import check_golden, load_spec
from tests.usdm import schema
from tests.usdm.support import (
    ALL_SPECS,
    PILOT_EXAMPLE,
    SPECS,
    WAIVED_RULES,
    exported,
    failing_rules,
    needs_examples,
    run_usdm4,
)

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("stem", ALL_SPECS)
def test_export_is_valid_against_the_api_schema_strictly(stem: str) -> None:
    needs_examples()
    assert schema.errors(exported(stem)) == []


def test_the_strict_schema_refuses_a_property_it_does_not_define() -> None:
    needs_examples()
    doc = json.loads(json.dumps(exported("cdiscpilot01")))
    doc["study"]["versions"][0]["studyDesigns"][0]["epochs"][0]["colour"] = "blue"
    assert schema.errors(doc) == [
        "study/versions/0/studyDesigns/0/epochs/0: "
        "Additional properties are not allowed ('colour' was unexpected)"
    ]


@pytest.mark.parametrize("stem", ["cdiscpilot01", "mgc018_first_in_human"])
def test_golden(stem: str, tmp_path: Path) -> None:
    (path,) = build(load_spec(stem), tmp_path)
    assert path.relative_to(tmp_path).as_posix() == "usdm/usdm.json"
    # the version of protocol-dsl that wrote it is not part of the approved file
    data = path.read_text(encoding="utf-8").replace(
        f'"systemVersion": "{__version__}"', '"systemVersion": "VERSION"'
    )
    check_golden(data.encode("utf-8"), GOLDEN / stem / "usdm.json")


@pytest.mark.parametrize("stem", ALL_SPECS)
def test_rebuild_is_byte_identical(stem: str) -> None:
    spec = load_spec(stem)
    assert usdm_text(spec) == usdm_text(spec)


@pytest.mark.parametrize("stem", ALL_SPECS)
def test_ids_are_unique_and_every_reference_resolves(stem: str) -> None:
    text = usdm_text(load_spec(stem))
    doc = json.loads(text)
    ids: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "instanceType" in node and "id" in node:
                ids.append(node["id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    assert len(ids) == len(set(ids))
    known = set(ids)
    import re

    for reference in re.findall(r'"\w+Ids?": (?:"([^"]+)"|\[([^\]]*)\])', text):
        single, many = reference
        names = [single] if single else re.findall(r'"([^"]+)"', many)
        assert set(names) <= known


def test_pilot_criteria_carry_their_rules_and_texts_are_plain_xhtml() -> None:
    doc = exported("cdiscpilot01")
    version = doc["study"]["versions"][0]
    design = version["studyDesigns"][0]
    rules = {
        c["name"]: next(
            a["valueString"]
            for a in c["extensionAttributes"]
            if a["url"] == extensions.CRITERION_RULE
        )
        for c in design["eligibilityCriteria"]
    }
    assert len(rules) == 31
    assert rules["INCL03"] == "eligibility_assessments.mmse_total between 10 and 23"
    assert rules["INCL06"] == (
        'attested "Informed consent signed by the patient (and/or legal representative) '
        'and by the caregiver"'
    )
    texts = {i["name"]: i["text"] for i in version["eligibilityCriterionItems"]}
    # "<=" is text, never markup (and CDISC's rules read these texts as XHTML)
    assert (
        texts["INCL04"]
        == "Modified Hachinski Ischemic Scale score of &lt;= 4. (Protocol Attachment LZZT.8)."
    )
    # every rule is spec syntax that parses
    for rule in rules.values():
        module, diagnostics, _ = parse_with_comments(f'inclusion X "x" = {rule}\n', "rule.trial")
        assert module is not None and not [d for d in diagnostics if d.is_error], rule


def test_repeats_and_cycles_yield_their_visits_as_encounters() -> None:
    spec = load_spec("mgc018_first_in_human")
    design = exported("mgc018_first_in_human")["study"]["versions"][0]["studyDesigns"][0]
    names = [e["name"] for e in design["encounters"]]
    in_epochs = [v.name for v in spec.visit_order if v.epoch in spec.epochs]
    assert names == in_epochs
    # the repeat counts its visits in weeks (TA6: week 6); cycle 2 starts three weeks after cycle 1
    assert {"C1D1", "C2D1", "TA6", "TA12"} <= set(names)
    timings = {t["name"]: t for t in design["scheduleTimelines"][0]["timings"]}
    assert timings["TIM_C2D1"]["value"] == "P21D"
    assert timings["TIM_C2D1"]["type"]["decode"] == "After"
    # the declarations travel on the series' first visit, so an import can declare them
    declared = [
        a["valueString"]
        for e in design["encounters"]
        for a in e["extensionAttributes"]
        if a["url"] == extensions.SERIES_DECLARATION
    ]
    assert [d.split()[0:2] for d in declared] == [
        ["cycle", "treatment_cycle"],
        ["repeat", "TA"],
        ["repeat", "SURV"],
    ]


@pytest.mark.parametrize("stem", ALL_SPECS)
def test_the_exposure_form_administers_every_intervention(stem: str) -> None:
    design = exported(stem)["study"]["versions"][0]["studyDesigns"][0]
    interventions = set(design["studyInterventionIds"])
    (activity,) = [a for a in design["activities"] if a["definedProcedures"]]
    assert activity["name"] == "exposure"
    assert {p["studyInterventionId"] for p in activity["definedProcedures"]} == interventions


def test_visits_outside_the_epochs_have_timelines_of_their_own() -> None:
    design = exported("cdiscpilot01")["study"]["versions"][0]["studyDesigns"][0]
    timelines = design["scheduleTimelines"]
    assert [t["mainTimeline"] for t in timelines] == [True, False, False, False]
    assert [t["instances"][0]["name"] for t in timelines[1:]] == ["RETRIEVAL", "AEFU", "RASHFU"]
    assert timelines[0]["plannedDuration"]["text"] == "26 weeks"


def test_export_command_writes_the_same_json(tmp_path: Path) -> None:
    out = tmp_path / "pilot.json"
    result = CliRunner().invoke(
        cli, ["export", "usdm", str(SPECS / "cdiscpilot01.trial"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == usdm_text(load_spec("cdiscpilot01"))


def test_export_refuses_a_spec_with_errors(tmp_path: Path) -> None:
    spec = tmp_path / "bad.trial"
    spec.write_text('trial T { title "T" }\nvisit V "V" day 1 in nowhere\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "usdm", str(spec)])
    assert result.exit_code == 1
    assert "fix the errors above first" in result.output


@pytest.mark.parametrize("stem", ALL_SPECS)
def test_cdisc_rules_pass_but_the_waived(stem: str, tmp_path: Path) -> None:
    path = tmp_path / f"{stem}.json"
    path.write_text(usdm_text(load_spec(stem)), encoding="utf-8")
    failing = failing_rules(run_usdm4(path))
    assert set(failing) <= WAIVED_RULES, failing


def test_cdisc_rules_on_cdiscs_own_pilot_example() -> None:
    """The comparison figure of docs/usdm.md: usdm4 0.29 on CDISC's example, offline."""
    needs_examples()
    failing = failing_rules(run_usdm4(PILOT_EXAMPLE))
    assert (len(failing), sum(failing.values())) == (30, 636)
    # CDISC's example fails one of the two rules the exports are waived from, and
    # DDF00101 (no procedure administers a study intervention), which the exports pass
    assert WAIVED_RULES & set(failing) == {"DDF00084"}
    assert "DDF00101" in failing


def test_hostile_texts_are_text_in_the_export_and_come_back_from_the_import() -> None:
    """Markup, entities, quotes, formulas, control characters: JSON-escaped, entities in
    the XHTML texts, and the same words back through the import."""
    from generators.usdm.draft import draft
    from protocol_dsl.compiler import compile_spec
    from tests.crf.support import hostile_spec

    spec = hostile_spec()
    doc = json.loads(usdm_text(spec))
    version = doc["study"]["versions"][0]
    for item in version["eligibilityCriterionItems"]:
        assert "<" not in item["text"] and ">" not in item["text"]
    assert schema.errors(doc) == [] or not schema.API.exists()
    imported = compile_spec("hostile_draft.trial", draft(doc).source)
    assert imported.spec is not None
    assert not [d for d in imported.diagnostics if d.is_error]
    assert [c.text for c in imported.spec.criteria] == [
        " ".join(c.text.split()) for c in spec.criteria
    ]
    assert imported.spec.trial_field("title").value.value == spec.trial_field("title").value.value
