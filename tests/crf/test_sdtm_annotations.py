"""Every item a spec maps to source data carries its target wherever the CRF is annotated.

The annotated CRF (the HTML page, printed to PDF as it is), the ODM (an Alias
of context SDTM or ADaM, and SDSVarName for a single SDTM target) and the
REDCap data dictionary (Field Annotation) all show the target of every mapping
rule of a form item, for both real specs that have a mapping.
"""

from __future__ import annotations

import csv
import html
import io
import re
import xml.etree.ElementTree as ET

import pytest

from generators.crf import acrf, odm, redcap
from generators.crf.forms import crf_forms, mapping_targets
from protocol_dsl.spec import Spec
from tests.crf.support import REAL_SPECS, load_spec

NS = {"odm": odm.ODM_NS}
_NOTES = re.compile(r'<td class="notes">(.*?)</td>', re.S)
_SPAN = re.compile(r'<span class="annotation (\w+)">(.*?)</span>')


def _acrf_annotations(spec: Spec) -> dict[str, list[tuple[str, str]]]:
    """(kind, text) of the annotations of each item of the annotated CRF, by variable."""
    found: dict[str, list[tuple[str, str]]] = {}
    for notes in _NOTES.findall(acrf.render(spec)):
        spans = [(kind, html.unescape(text)) for kind, text in _SPAN.findall(notes)]
        variables = [text for kind, text in spans if kind == "variable"]
        if variables:
            found[variables[0]] = spans
    return found


def _odm_items(spec: Spec) -> dict[tuple[str, str], ET.Element]:
    """The ItemDef of each (item group OID, item name)."""
    root = ET.fromstring(odm.odm_bytes(spec))
    definitions = {i.get("OID"): i for i in root.iter(f"{{{odm.ODM_NS}}}ItemDef")}
    items = {}
    for group in root.iter(f"{{{odm.ODM_NS}}}ItemGroupDef"):
        for ref in group.findall("odm:ItemRef", NS):
            item = definitions[ref.get("ItemOID")]
            items[(str(group.get("OID")), str(item.get("Name")))] = item
    return items


def _aliases(item: ET.Element) -> set[tuple[str | None, str | None]]:
    return {(a.get("Context"), a.get("Name")) for a in item.findall("odm:Alias", NS)}


def _redcap_annotations(spec: Spec) -> dict[str, str]:
    """The Field Annotation of each REDCap variable."""
    project = redcap.Project(spec)
    rows = project.dictionary()
    header = list(redcap.DICTIONARY_COLUMNS)
    name, annotation = header.index("Variable / Field Name"), header.index("Field Annotation")
    return {str(row[name]): str(row[annotation]) for row in rows}


def _mapped_fields(spec: Spec):  # type: ignore[no-untyped-def]
    """(form, field, targets) of every form item a mapping rule of the spec targets."""
    targets = mapping_targets(spec)
    for form in crf_forms(spec):
        for field in form.fields:
            found = targets.get((form.key, field.name))
            if found:
                yield form, field, found


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_every_mapped_item_is_annotated_everywhere(stem: str) -> None:
    spec = load_spec(stem)
    rules = [
        rule
        for mapping in spec.mappings
        for rule in mapping.rules
        if rule.target.parts[0] not in ("visits", "subject")
    ]
    mapped = list(_mapped_fields(spec))
    # every rule onto a form item is found among the CRF's fields
    assert len(rules) == sum(len(targets) for _, _, targets in mapped), stem
    page = _acrf_annotations(spec)
    items = _odm_items(spec)
    names = redcap.variable_names(crf_forms(spec))
    annotations = _redcap_annotations(spec)
    for form, field, targets in mapped:
        spans = page[f"{form.storage_name}.{field.name}"]
        item = items[(f"IG.{form.storage_name}", field.name)]
        for target in targets:
            context = "ADaM" if target.startswith("AD") else "SDTM"
            assert ("sdtm", target) in spans, (stem, field.name, target)
            assert (context, target) in _aliases(item), (stem, field.name, target)
            assert f"{context} {target}" in annotations[names[(form.storage_name, field.name)]]


def test_qls4131_items_carry_their_sdtm_targets_value_by_value() -> None:
    spec = load_spec("qls4131_sle_phase1b")
    expected = {
        ("demographics", "birth_date"): ("DM.BRTHDTC", "BRTHDTC"),
        ("demographics", "sex"): ("DM.SEX", "SEX"),
        ("vital_signs", "systolic_bp"): (
            "VS.VSSTRESN where VSTESTCD = SYSBP (unit VS.VSSTRESU) (visit VS.VISITNUM)",
            "VSSTRESN",
        ),
        ("vital_signs", "temperature"): (
            "VS.VSSTRESN where VSTESTCD = TEMP (unit VS.VSSTRESU) (visit VS.VISITNUM)",
            "VSSTRESN",
        ),
        ("screening_labs", "hba1c"): (
            "LB.LBSTRESN where LBTESTCD = HBA1C (unit LB.LBSTRESU) (visit LB.VISITNUM)",
            "LBSTRESN",
        ),
        ("screening_labs", "egfr"): (
            "LB.LBSTRESN where LBTESTCD = GFRBSCRT (unit LB.LBSTRESU) (visit LB.VISITNUM)",
            "LBSTRESN",
        ),
        ("screening_labs", "proteinuria"): (
            "LB.LBSTRESN where LBTESTCD = PROTEXR (unit LB.LBSTRESU) (visit LB.VISITNUM)",
            "LBSTRESN",
        ),
        ("serology", "c3"): (
            "LB.LBSTRESN where LBTESTCD = C3 (unit LB.LBSTRESU) (visit LB.VISITNUM)",
            "LBSTRESN",
        ),
        ("medical_history", "category"): ("MH.MHCAT", "MHCAT"),
        ("medications", "daily_dose"): ("CM.CMDOSTOT (unit CM.CMDOSU)", "CMDOSTOT"),
        ("medications", "route"): ("CM.CMROUTE", "CMROUTE"),
        ("exposure", "dose"): ("EX.EXDOSE (unit EX.EXDOSU)", "EXDOSE"),
        ("adverse_events", "grade"): ("AE.AETOXGR", "AETOXGR"),
        ("adverse_events", "serious"): ("AE.AESER", "AESER"),
    }
    page = _acrf_annotations(spec)
    items = _odm_items(spec)
    annotations = _redcap_annotations(spec)
    names = redcap.variable_names(crf_forms(spec))
    for (form, name), (target, variable) in expected.items():
        assert [t for k, t in page[f"{form}.{name}"] if k == "sdtm"] == [target]
        item = items[(f"IG.{form}", name)]
        assert item.get("SDSVarName") == variable
        assert [n for c, n in _aliases(item) if c == "SDTM"] == [target]
        assert f"SDTM {target}" in annotations[names[(form, name)]]


def test_qls4131_items_without_a_verified_target_stay_unannotated() -> None:
    """Items the spec leaves unmapped (results whose terms it does not code, the
    pregnancy test's POSITIVE / NEGATIVE text, sponsor-defined flags): no SDTM
    annotation is made up for them."""
    spec = load_spec("qls4131_sle_phase1b")
    page = _acrf_annotations(spec)
    items = _odm_items(spec)
    for form, name in (
        ("serology", "anti_dsdna"),
        ("serology", "c3_lln"),
        ("screening_labs", "pregnancy_test"),
        ("adverse_events", "dose_limiting"),
    ):
        assert not [t for k, t in page[f"{form}.{name}"] if k == "sdtm"]
        item = items[(f"IG.{form}", name)]
        assert item.get("SDSVarName") is None
        assert not [n for c, n in _aliases(item) if c in ("SDTM", "ADaM")]


def test_the_visit_dates_are_listed_with_the_other_mapped_data() -> None:
    page = acrf.render(load_spec("qls4131_sle_phase1b"))
    assert "Other mapped data: visits.date → SV.SVSTDTC (visit SV.VISITNUM)" in page


def test_redcap_names_adam_targets_as_adam(tmp_path) -> None:  # type: ignore[no-untyped-def]
    redcap.build(load_spec("cdiscpilot01"), tmp_path)
    text = (tmp_path / "crf" / "redcap_data_dictionary.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    annotation = rows[0].index("Field Annotation")
    texts = [row[annotation] for row in rows[1:]]
    assert any("ADaM ADSL.MMSETOT" in text for text in texts)
    assert not any("SDTM ADSL." in text for text in texts)
