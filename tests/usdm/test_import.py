"""`protocol import usdm`: a draft spec from a USDM v4 study that checks clean, in canonical
layout, that exports back to the same study on the elements compared (epochs, encounters
and their order, activities per encounter, criteria, objectives and endpoints, arms), for
CDISC's two examples and for every real spec's export."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.usdm.content import xhtml
from generators.usdm.draft import DraftError, draft, iso_days
from generators.usdm.study import document
from generators.usdm.text import Resolver
from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec
from protocol_dsl.syntax.formatter import format_source
from tests.crf.support import compile_text
from tests.usdm.support import (
    ALL_SPECS,
    LILLY_EXAMPLE,
    PILOT_EXAMPLE,
    drafted,
    elements,
    example,
    exported,
    needs_examples,
)

EXAMPLES = [PILOT_EXAMPLE.name, LILLY_EXAMPLE.name]
KEYS = [f"spec:{stem}" for stem in ALL_SPECS]


def _checked(source: str, name: str = "draft.trial"):
    result = compile_spec(name, source)
    # W0807: the registry record's required fields (dates, oversight, responsible party)
    # are not in a USDM study: the draft says so rather than invent them
    problems = [
        f"{d.code} {d.message}"
        for d in result.diagnostics
        if d.severity != "note" and d.code != "W0807"
    ]
    assert result.spec is not None and not problems, problems
    return result.spec


@pytest.mark.parametrize("key", EXAMPLES + KEYS)
def test_draft_checks_clean_and_is_in_canonical_layout(key: str) -> None:
    if not key.startswith("spec:"):
        needs_examples()
    source = drafted(key).source
    _checked(source)
    assert format_source(source) == source


@pytest.mark.parametrize("path", [PILOT_EXAMPLE, LILLY_EXAMPLE], ids=EXAMPLES)
def test_export_of_the_draft_equals_the_example(path: Path) -> None:
    """export(import(X)) = X on the elements compared."""
    original = example(path)
    spec = _checked(drafted(path.name).source)
    assert elements(document(spec)) == elements(original)


@pytest.mark.parametrize("stem", ALL_SPECS)
def test_import_of_the_export_checks_clean_and_exports_the_same(stem: str) -> None:
    """import(export(S)) checks clean, and exports the same study as S."""
    spec = _checked(drafted(f"spec:{stem}").source, f"{stem}_draft.trial")
    assert elements(document(spec)) == elements(exported(stem))


def test_pilot_draft_keeps_the_rules_its_forms_carry_and_attests_the_others() -> None:
    source = drafted("spec:cdiscpilot01").source
    spec = _checked(source)
    criteria = {c.id: c for c in spec.criteria}
    assert len(criteria) == 31
    # the items these rules read have no codes, so no biomedical concept brought the
    # forms across: the rule is kept in a note and the criterion is attested
    assert criteria["INCL03"].attested
    assert "eligibility_assessments.mmse_total between 10 and 23" in " ".join(
        mark.text for mark in criteria["INCL03"].marks
    )
    # an attested criterion stays attested, with its attestation
    assert criteria["INCL06"].attested and criteria["INCL06"].attestation is not None


def test_a_rule_over_imported_items_stays_a_rule() -> None:
    spec = compile_text(
        'trial T { title "T" }\n'
        'epoch screening "Screening"\n'
        'visit SCR "Screening" day -7 in screening\n'
        'form vitals "Vital signs" at SCR {\n'
        '  weight quantity kg "Body weight" range 20 .. 300 [LOINC 29463-7]\n'
        "}\n"
        'inclusion IN1 "Body weight of at least 50 kg." = vitals.weight >= 50 kg\n'
        'objective OBJ1 primary "To test." { endpoint E1 "An endpoint" }\n'
    )
    imported = _checked(draft(document(spec)).source)
    (criterion,) = imported.criteria
    assert criterion.rule is not None and not criterion.attested
    assert imported.forms["vitals"].items[0].codes[0].value == "29463-7"


def test_cdisc_pilot_draft_header_schedule_forms_and_losses() -> None:
    needs_examples()
    result = drafted(PILOT_EXAMPLE.name)
    spec = _checked(result.source)
    assert spec.trial is not None
    assert spec.trial_field("title").value.value.startswith("Safety and Efficacy of the Xanomeline")
    assert spec.trial_field("sponsor_protocol_id").value.value == "H2Q-MC-LZZT"
    assert spec.trial_field("registry").value.value == "NCT12345678"
    assert spec.trial_field("phase").value.text == "2"
    # days from the timings: screening 2 weeks before the first dose, week 24 on day 169
    days = {v.label: v.day for v in spec.declared_visits.values()}
    assert days["Screening 1"] == -14 and days["Baseline"] == 1 and days["Week 24"] == 169
    # the example's Demographics activity names biomedical concepts: a form of coded items
    sex = next(i for f in spec.forms.values() for i in f.items if i.label == "Sex")
    assert sex.type.kind == "choice"
    # its narrative, amendments and estimands have no place in the spec: listed
    assert any("narrativeContentItems: 85" in loss for loss in result.losses)
    assert any("estimands" in loss for loss in result.losses)


def test_iso_durations() -> None:
    assert iso_days("P2W") == 14
    assert iso_days("P1D") == 1
    assert iso_days("PT12H") == pytest.approx(0.5)
    assert iso_days("soon") is None and iso_days("P") is None


_HOSTILE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60
).filter(lambda s: s.strip())


@pytest.fixture(scope="module")
def small_study() -> dict:
    spec = compile_text(
        'trial T { title "T" }\n'
        'epoch screening "Screening"\n'
        'visit SCR "Screening" day -7 in screening\n'
        'activity consent "Informed consent" at SCR\n'
        'inclusion IN1 "Adults." = attested\n'
        'objective OBJ1 primary "To test." { endpoint E1 "An endpoint" }\n'
    )
    return document(spec)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_HOSTILE, title=_HOSTILE)
def test_hostile_texts_stay_text(small_study: dict, text: str, title: str) -> None:
    """Quotes, backslashes, line breaks, markup and any character: the draft still parses,
    checks clean, and holds the words a USDM reader sees, as text."""
    doc = copy.deepcopy(small_study)
    version = doc["study"]["versions"][0]
    version["eligibilityCriterionItems"][0]["text"] = text
    version["titles"][0]["text"] = title
    spec = _checked(draft(doc).source)
    plain = Resolver({}, []).plain
    (criterion,) = spec.criteria
    assert criterion.text == (plain(text) or "IN1")
    # a title is plain text in USDM (not XHTML): it comes across as it is
    assert spec.trial_field("title").value.value == title
    # and the spec's text exported and imported again comes back the same
    again = _checked(draft(document(spec)).source)
    assert again.criteria[0].text == criterion.text
    assert xhtml(criterion.text).count("<") == 0


def test_import_command_writes_the_draft_and_reports_losses(tmp_path: Path) -> None:
    needs_examples()
    out = tmp_path / "pilot.trial"
    losses = tmp_path / "losses.txt"
    result = CliRunner().invoke(
        cli, ["import", "usdm", str(PILOT_EXAMPLE), "-o", str(out), "--losses", str(losses)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == drafted(PILOT_EXAMPLE.name).source
    assert "narrativeContentItems: 85" in losses.read_text(encoding="utf-8")
    check = CliRunner().invoke(cli, ["check", str(out)])
    assert check.exit_code == 0, check.output


@pytest.mark.parametrize(
    ("content", "code"),
    [("not json", "E1101"), ("[1, 2]", "E1102"), ('{"study": {"versions": []}}', "E1102")],
)
def test_import_refuses_what_is_not_a_usdm_study(tmp_path: Path, content: str, code: str) -> None:
    source = tmp_path / "study.json"
    source.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["import", "usdm", str(source), "-o", str(tmp_path / "d.trial")]
    )
    assert result.exit_code == 1
    assert code in result.output and "Traceback" not in result.output
    assert not (tmp_path / "d.trial").exists()


def test_import_does_not_replace_a_file_without_force(tmp_path: Path) -> None:
    source = tmp_path / "study.json"
    source.write_text(json.dumps(exported("qls4131_sle_phase1b")), encoding="utf-8")
    out = tmp_path / "draft.trial"
    out.write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "usdm", str(source), "-o", str(out)])
    assert result.exit_code == 1 and "E1103" in result.output
    assert out.read_text(encoding="utf-8") == "keep me"
    forced = CliRunner().invoke(cli, ["import", "usdm", str(source), "-o", str(out), "--force"])
    assert forced.exit_code == 0 and out.read_text(encoding="utf-8").startswith("trial ")


def test_a_document_without_a_design_is_a_draft_error() -> None:
    with pytest.raises(DraftError, match="E1102"):
        draft({"study": {"versions": [{}]}})
    with pytest.raises(DraftError, match="E1102"):
        draft({"study": {"versions": [{"studyDesigns": ["a design"]}]}})


def test_a_document_with_values_of_the_wrong_kind_is_a_draft_error() -> None:
    doc = copy.deepcopy(exported("qls4131_sle_phase1b"))
    doc["study"]["versions"][0]["studyDesigns"][0]["epochs"] = [1, 2]
    with pytest.raises(DraftError, match=r"E1102: .*wrong kind"):
        draft(doc)


def test_interventions_keep_their_route_and_planned_doses() -> None:
    spec = _checked(drafted("spec:cdiscpilot01").source)
    xanomeline = spec.interventions["xanomeline"]
    assert xanomeline.field("route").value.text == "transdermal"
    assert [str(v.value) for v in xanomeline.field("dose").values] == ["54 mg", "81 mg"]
    # the placebo's route has no dose to go with in USDM: it is told in words only
    assert spec.interventions["placebo"].field("route") is None
