"""The pilot's own derivations reproduced from its SDTM data by the spec's endpoints.

specs/cdiscpilot01.trial writes the derivations of the CDISC pilot's ADaM
datasets as endpoints (docs/endpoints.md, "The CDISC pilot"); `protocol
endpoints` computes them from the SDTM datasets (AE, DS, DM, SV, EX) and every
value is compared with the pilot's own, record by record:

* ADAE.TRTEMFL of all 1,191 adverse events (`flag per adverse_events`);
* ADTTE PARAMCD TTDE (AVAL, CNSR, ADT) of all 254 randomised subjects;
* the number of treatment-emergent dermatologic adverse events of each of the
  254 (`count of`), against ADAE's records with TRTEMFL Y in the query CQ01NAM;
* ADSL COMP8FL, COMP16FL, COMP24FL (from SV), DSRAEFL (from DS), ITTFL and
  SAFFL of all 254 (the completers and the analysis sets are the spec's
  populations, each written as the ADSL column NAMEFL).

EFFFL is not compared: the efficacy population reads the ADAS-Cog and CIBIC+
scores, which the published subset of the pilot's data does not include (QS
is absent), and its rule asks `… is known`, which is two-valued: without the
scores every subject is outside it (N where the pilot has Y for 234).

Where the pilot leaves a flag empty for "no" (DSRAEFL) an empty cell is read as
N; our flags are Y or N, empty only when unknown (none of these is).  The
disagreements, if any, are listed by `EXPECTED_DISAGREEMENTS` with their
reason; today there are none.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import pytest

from protocol_dsl.analysis.derive import Deriver, subjects_of
from protocol_dsl.analysis.plan import plan_endpoints
from protocol_dsl.analysis.results import SubjectValues
from protocol_dsl.data import read_inputs
from protocol_dsl.diagnostics import has_errors
from protocol_dsl.screening.run import load_for_screening
from protocol_dsl.spec import Spec

pd = pytest.importorskip("pandas")
pyreadstat = pytest.importorskip("pyreadstat")

ROOT = Path(__file__).resolve().parents[2]
CDISC_DATA = ROOT / "tests" / "data" / "cdiscpilot01"
SAS_EPOCH = _dt.date(1960, 1, 1)

#: (dataset, key) → why our value differs from the pilot's.  Empty: every record agrees.
EXPECTED_DISAGREEMENTS: dict[tuple[str, str], str] = {}


def _read(name: str) -> Any:
    frame, _meta = pyreadstat.read_xport(str(CDISC_DATA / f"{name}.xpt"), encoding="cp1252")
    return frame


def _sas_date(value: Any) -> _dt.date | None:
    """A date as pyreadstat reads it (a date, or a SAS day number without a format)."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if value is None or value != value:  # NaN
        return None
    return SAS_EPOCH + _dt.timedelta(days=int(value))


@pytest.fixture(scope="module")
def spec() -> Spec:
    result = load_for_screening(str(ROOT / "specs" / "cdiscpilot01.trial"))
    assert result.spec is not None and not has_errors(result.diagnostics)
    return result.spec


@pytest.fixture(scope="module")
def derived(spec: Spec) -> tuple[dict[str, SubjectValues], dict[tuple[str, int], int]]:
    """Every subject's values, and the AESEQ of each (subject, record number) of its log."""
    deriver = Deriver(spec, plan_endpoints(spec))
    batch = read_inputs(spec, deriver.dictionary, [str(CDISC_DATA)])
    subjects = subjects_of(deriver, batch)
    values = {s.subject_id: deriver.subject(s) for s in subjects}
    sequence = {
        (s.subject_id, number): int(record["sequence"])
        for s in subjects
        for number, record in enumerate(s.records.get("adverse_events", ()), start=1)
    }
    return values, sequence


def _disagreements(found: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    return {key: why for key, why in found.items() if key not in EXPECTED_DISAGREEMENTS}


def test_treatment_emergent_flag_of_every_adverse_event(derived: Any) -> None:
    values, sequence = derived
    adae = _read("adae")
    pilot = {(row.USUBJID, int(row.AESEQ)): row.TRTEMFL.strip() for row in adae.itertuples()}
    ours: dict[tuple[str, int], str] = {}
    for subject_id, subject in values.items():
        for number, record in enumerate(subject.records.get("adverse_events", ()), start=1):
            flag = record["TRTEMFL"].value
            ours[(subject_id, sequence[(subject_id, number)])] = (
                "Y" if flag is True else "N" if flag is False else ""
            )
    assert len(pilot) == 1191
    assert set(ours) == set(pilot)
    found = {
        ("ADAE", f"{key[0]} AESEQ {key[1]}"): f"ours {ours[key]!r}, pilot {pilot[key]!r}"
        for key in pilot
        if ours[key] != pilot[key]
    }
    assert _disagreements(found) == {}
    assert sum(1 for flag in ours.values() if flag == "Y") == 1126


def test_time_to_first_dermatologic_event_of_every_randomised_subject(derived: Any) -> None:
    values, _sequence = derived
    adtte = _read("adtte")
    adtte = adtte[adtte.PARAMCD == "TTDE"]
    assert len(adtte) == 254
    found: dict[tuple[str, str], str] = {}
    for row in adtte.itertuples():
        event = values[row.USUBJID].events["TTDE"]
        pilot = (int(row.AVAL), round(row.CNSR), _sas_date(row.ADT), _sas_date(row.STARTDT))
        ours = (event.days, None if event.censored is None else int(event.censored),
                event.date, event.start)  # fmt: skip
        if ours != pilot:
            found[("ADTTE", row.USUBJID)] = f"ours {ours}, pilot {pilot}"
    assert _disagreements(found) == {}
    censored = sum(1 for row in adtte.itertuples() if values[row.USUBJID].events["TTDE"].censored)
    assert censored == 102


def test_number_of_dermatologic_events_of_every_randomised_subject(derived: Any) -> None:
    """`count of adverse_events where dermatologic and start >= first_exposure` against the
    pilot's ADAE: its treatment-emergent records in the dermatologic query (CQ01NAM), per
    subject; a subject without adverse events has 0 (AE is declared complete for DM)."""
    values, _sequence = derived
    adae = _read("adae")
    emergent = adae[(adae.TRTEMFL.str.strip() == "Y") & (adae.CQ01NAM.str.strip() != "")]
    pilot = emergent.groupby("USUBJID").size().to_dict()
    adsl = _read("adsl")
    found: dict[tuple[str, str], str] = {}
    for subject_id in adsl.USUBJID:
        ours = values[subject_id].counts["NDERM"].events
        if ours != pilot.get(subject_id, 0):
            found[("ADAE", f"{subject_id} NDERM")] = (
                f"ours {ours}, pilot {pilot.get(subject_id, 0)}"
            )
    assert _disagreements(found) == {}
    assert sum(pilot.values()) == 476 and len(pilot) == 152  # 102 subjects with none: 0


@pytest.mark.parametrize("flag", ["COMP8FL", "COMP16FL", "COMP24FL", "DSRAEFL", "ITTFL", "SAFFL"])
def test_subject_level_flags_of_every_randomised_subject(derived: Any, flag: str) -> None:
    values, _sequence = derived
    adsl = _read("adsl")
    assert len(adsl) == 254
    found: dict[tuple[str, str], str] = {}
    for row in adsl.itertuples():
        pilot = getattr(row, flag).strip() or "N"  # the pilot leaves "no" empty in DSRAEFL
        value = values[row.USUBJID].values[flag].value
        ours = "Y" if value is True else "N" if value is False else ""
        if ours != pilot:
            found[("ADSL", f"{row.USUBJID} {flag}")] = f"ours {ours!r}, pilot {pilot!r}"
    assert _disagreements(found) == {}


def test_every_value_has_its_evidence(derived: Any) -> None:
    """Each flag says what decided it (the interpreter's evidence, as in screening)."""
    values, _sequence = derived
    subject = values["01-701-1023"]  # discontinued at week 4 because of an adverse event
    assert subject.values["DSRAEFL"].value is True
    assert "disposition" in subject.values["DSRAEFL"].why
    assert subject.values["COMP8FL"].value is False
    assert "randomised and week8 is known: no" in subject.values["COMP8FL"].why
