"""Cycles and repeats in the CRFs: repeating study events in ODM, repeating events in REDCap.

The oncology fixture yields C1D1 … C17D1, TA1 … TA12 and SURV1 … SURV8.  The
ODM has one repeating StudyEventDef per visit of the cycle and per repeat,
schema-valid, in schedule order; REDCap has one repeating event per series
(a row without a form name in `redcap_repeating_instruments.csv`, REDCap's
way of saying the whole event repeats), scheduled at its first instance.  The
rules every CRF must keep (schema validity, unique OIDs, legal REDCap
fields, events and mappings that agree) are run on it too.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generators.crf import odm, redcap
from tests.crf import test_odm as odm_rules
from tests.crf import test_redcap as redcap_rules
from tests.crf.support import ONCOLOGY, load_spec

NS = {"odm": odm.ODM_NS}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_odm_is_schema_valid_with_oids_that_resolve() -> None:
    odm_rules.test_validates_against_the_odm_1_3_2_schema(ONCOLOGY)
    odm_rules.test_every_oid_is_unique_and_every_reference_resolves(ONCOLOGY)


def test_odm_has_one_repeating_event_per_cycle_visit_and_per_repeat() -> None:
    root = ET.fromstring(odm.odm_bytes(load_spec(ONCOLOGY)))
    refs = [r.get("StudyEventOID") for r in root.findall(".//odm:Protocol/odm:StudyEventRef", NS)]
    assert refs == [
        "SE.SCR",
        "SE.treatment_cycle.D1",
        "SE.treatment_cycle.D8",
        "SE.treatment_cycle.D15",
        "SE.TA",
        "SE.EOT",
        "SE.SFU",
        "SE.SURV",
    ]
    events = {e.get("OID"): e for e in root.iter(f"{{{odm.ODM_NS}}}StudyEventDef")}
    for oid in ("SE.treatment_cycle.D1", "SE.TA", "SE.SURV"):
        assert (events[oid].get("Repeating"), events[oid].get("Type")) == ("Yes", "Scheduled")
    # a cycle visit of cycle 1 only is not repeating
    assert events["SE.treatment_cycle.D8"].get("Repeating") == "No"
    assert events["SE.treatment_cycle.D1"].get("Name") == "Treatment cycle, Day 1"
    description = events["SE.treatment_cycle.D1"].find("odm:Description/odm:TranslatedText", NS)
    assert description is not None and description.text == (
        "Instances C1D1 to C17D1: cycles of 21 days, up to 17 cycles, "
        "until disease progression or unacceptable toxicity."
    )
    # the visit 30 days after the last dose is planned, not unscheduled
    assert events["SE.SFU"].get("Type") == "Scheduled"
    # each form once per event
    for event in events.values():
        forms = [f.get("FormOID") for f in event.findall("odm:FormRef", NS)]
        assert len(forms) == len(set(forms))
    assert [f.get("FormOID") for f in events["SE.SURV"].findall("odm:FormRef", NS)] == [
        "F.survival_status"
    ]


def test_redcap_rules_hold(tmp_path: Path) -> None:
    redcap_rules.test_dictionary_has_exactly_the_redcap_columns_in_order(ONCOLOGY, tmp_path / "a")
    redcap_rules.test_fields_are_legal(ONCOLOGY, tmp_path / "b")
    redcap_rules.test_building_twice_gives_identical_bytes(ONCOLOGY, tmp_path / "c")


def test_redcap_has_one_repeating_event_per_series(tmp_path: Path) -> None:
    redcap.build(load_spec(ONCOLOGY), tmp_path)
    folder = tmp_path / "crf"
    events = _read(folder / "redcap_events.csv")
    assert [(e["event_name"], int(e["day_offset"])) for e in events] == [
        ("SCR", 0),
        ("C1D1-C17D1", 1),  # day -1 to day 1: one day, there is no day 0
        ("C1D8", 8),
        ("C1D15", 15),
        ("TA1-TA12", 43),
        ("EOT", 506),  # after the last planned instance (TA12, day 505: offset 505)
        ("SFU", 507),
        ("SURV1-SURV8", 508),
    ]
    unique = {e["unique_event_name"] for e in events}
    assert len(unique) == len(events)
    repeating = _read(folder / "redcap_repeating_instruments.csv")
    whole_events = {r["event_name"] for r in repeating if r["form_name"] == ""}
    assert whole_events == {"c1d1c17d1_arm_1", "ta1ta12_arm_1", "surv1surv8_arm_1"}
    # no repeating form inside a repeating event (REDCap refuses it)
    assert not {r["event_name"] for r in repeating if r["form_name"]} & whole_events
    mapping = _read(folder / "redcap_form_event_mapping.csv")
    assert all(m["unique_event_name"] in unique for m in mapping)
    pairs = [(m["unique_event_name"], m["form"]) for m in mapping]
    assert len(pairs) == len(set(pairs))
    assert ("c1d1c17d1_arm_1", "vital_signs") in pairs
    assert ("surv1surv8_arm_1", "survival_status") in pairs
    arms = _read(folder / "redcap_arms.csv")
    assert [a["name"] for a in arms] == ["Drug Z"]


@pytest.mark.parametrize("stem", ["qls4131_sle_phase1b", "cdiscpilot01"])
def test_specs_without_series_have_no_repeating_events(stem: str, tmp_path: Path) -> None:
    redcap.build(load_spec(stem), tmp_path)
    repeating = _read(tmp_path / "crf" / "redcap_repeating_instruments.csv")
    assert all(r["form_name"] for r in repeating)


def test_annotated_crf_says_a_repeating_event_once(tmp_path: Path) -> None:
    from generators.crf import acrf

    (page,) = acrf.build(load_spec(ONCOLOGY), tmp_path)
    text = page.read_text(encoding="utf-8")
    assert (
        "Screening (SCR), Treatment cycle, Day 1 (C1D1–C17D1), Cycle 1 Day 8 (C1D8), "
        "Cycle 1 Day 15 (C1D15), End of treatment (EOT), Safety follow-up (SFU)." in text
    )
    assert "C5D1" not in text
