"""QLS4131's SDTM mapping read back: datasets written to its rules screen as the rules say.

No SDTM datasets of QLS4131 are public; these are written for two subjects
with the variables and controlled terms the mapping names (CDISC units such
as mmHg and mg/day, Y/N flags, character toxicity grades), so that every rule
of the spec's mapping is exercised by `protocol screen`'s reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from protocol_dsl.data import read_inputs
from protocol_dsl.evaluate import compile_spec_rules
from protocol_dsl.screening.run import ScreenRun, screen_batch
from protocol_dsl.spec import Spec

from .conftest import compiled

pd = pytest.importorskip("pandas")
pyreadstat = pytest.importorskip("pyreadstat")

SPEC = Path(__file__).resolve().parents[2] / "specs" / "qls4131_sle_phase1b.trial"


def _write(folder: Path, name: str, rows: list[dict[str, Any]]) -> None:
    pyreadstat.write_xport(pd.DataFrame(rows), str(folder / f"{name}.xpt"), table_name=name.upper())


@pytest.fixture(scope="module")
def spec() -> Spec:
    return compiled(str(SPEC))


@pytest.fixture(scope="module")
def run(spec: Spec, tmp_path_factory: pytest.TempPathFactory) -> ScreenRun:
    folder = tmp_path_factory.mktemp("qls4131_sdtm")
    _write(folder, "dm", [
        {"USUBJID": "Q1", "BRTHDTC": "1980-05-01", "SEX": "F"},
        {"USUBJID": "Q2", "BRTHDTC": "2010-02-01", "SEX": "M"},
    ])  # fmt: skip
    _write(folder, "sv", [
        {"USUBJID": "Q1", "VISITNUM": 1.0, "SVSTDTC": "2025-10-01"},
        {"USUBJID": "Q1", "VISITNUM": 2.0, "SVSTDTC": "2025-10-20"},
        {"USUBJID": "Q2", "VISITNUM": 1.0, "SVSTDTC": "2025-10-02"},
    ])  # fmt: skip
    _write(folder, "vs", [
        {"USUBJID": "Q1", "VISITNUM": 1.0, "VSTESTCD": "SYSBP", "VSSTRESN": 172.0, "VSSTRESU": "mmHg"},
        {"USUBJID": "Q1", "VISITNUM": 1.0, "VSTESTCD": "DIABP", "VSSTRESN": 96.0, "VSSTRESU": "mmHg"},
        {"USUBJID": "Q1", "VISITNUM": 1.0, "VSTESTCD": "TEMP", "VSSTRESN": 36.8, "VSSTRESU": "C"},
        {"USUBJID": "Q2", "VISITNUM": 1.0, "VSTESTCD": "SYSBP", "VSSTRESN": 118.0, "VSSTRESU": "mmHg"},
        {"USUBJID": "Q2", "VISITNUM": 1.0, "VSTESTCD": "DIABP", "VSSTRESN": 76.0, "VSSTRESU": "mmHg"},
    ])  # fmt: skip
    _write(folder, "lb", [
        {"USUBJID": "Q2", "VISITNUM": 1.0, "LBTESTCD": "HBA1C", "LBSTRESN": 6.1, "LBSTRESU": "%"},
    ])  # fmt: skip
    _write(folder, "mh", [
        {"USUBJID": "Q1", "MHTERM": "Breast carcinoma", "MHCAT": "Malignancy", "MHSTDTC": "2023-03-15"},
        {"USUBJID": "Q2", "MHTERM": "Asthma", "MHCAT": "Other", "MHSTDTC": "2001-06-01"},
    ])  # fmt: skip
    _write(folder, "cm", [
        {"USUBJID": "Q1", "CMTRT": "Prednisone", "CMCAT": "Oral corticosteroid",
         "CMDECOD": "PREDNISONE", "CMDOSTOT": 10.0, "CMDOSU": "mg/day", "CMROUTE": "ORAL",
         "CMSTDTC": "2025-06-01"},
    ])  # fmt: skip
    _write(folder, "ex", [
        {"USUBJID": "Q1", "EXDOSE": 0.01, "EXDOSU": "mg", "EXSTDTC": "2025-10-20"},
    ])  # fmt: skip
    _write(folder, "ae", [
        {"USUBJID": "Q1", "AETERM": "Headache", "AESTDTC": "2025-10-21", "AETOXGR": "1",
         "AESER": "N"},
    ])  # fmt: skip
    screener = compile_spec_rules(spec)
    batch = read_inputs(spec, screener.dictionary, [str(folder)])
    return screen_batch(spec, batch, explain=True)


def _criteria(run: ScreenRun, subject: str) -> Any:
    return next(o for o in run.outcomes if o.subject_id == subject).result.criteria


def test_every_row_is_read_and_placed(run: ScreenRun) -> None:
    assert [o.subject_id for o in run.outcomes] == ["Q1", "Q2"]
    assert [(p.source, p.reason) for p in run.input_problems] == []


def test_the_mapped_values_decide_the_criteria_that_read_them(run: ScreenRun) -> None:
    q1, q2 = _criteria(run, "Q1"), _criteria(run, "Q2")
    assert q1["I1"].status == "met"  # born 1980: 45 at screening
    assert q2["I1"].status == "not_met"  # born 2010: 15
    # 172 mmHg read as 172 mm[Hg] at the screening visit (VISITNUM 1)
    assert q1["E4"].status == "met"
    assert any("172 mm[Hg]" in e.text for e in q1["E4"].evidence), [
        e.text for e in q1["E4"].evidence
    ]
    # a malignancy (MHCAT) starting within 5 years before screening (MHSTDTC)
    assert q1["E6"].status == "met"
    assert q2["E6"].status != "met"
    # DM.SEX holds the CDISC submission values: M is the entry male [CDISC C20197], so
    # the exclusion of pregnant or lactating women is not met; F is female, and the
    # exclusion waits for the pregnancy test and lactation, which DM does not give
    assert q2["E10"].status == "not_met"
    assert q1["E10"].status == "unknown"
    assert "demographics.sex at SCR" not in q1["E10"].missing
