"""SDTM logs declared complete for the subjects of DM (`complete FORM for DM`).

A subject of DM without MH rows has no medical history when the mapping
declares MH complete, and an unknown one otherwise; a subject that DM does
not list, or every subject when MH itself is not among the inputs, stays
unknown.  Checked on small datasets, then on the CDISC pilot's own data
when they are beside the project (52 of its 306 subjects have no MH rows,
77 no CM rows).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from protocol_dsl.data import read_inputs
from protocol_dsl.evaluate import compile_spec_rules
from protocol_dsl.screening.run import ScreenRun, screen_batch
from protocol_dsl.spec import Spec

from .conftest import ROOT, SPECS, compiled

pd = pytest.importorskip("pandas")
pyreadstat = pytest.importorskip("pyreadstat")

PILOT_DATA = ROOT.parent / "shared" / "data" / "cdiscpilot01"

SPEC = """
trial COMPLETE {
  title "Logs declared complete in the mapping"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1 number 1
visit D1  "Day 1" day 1 number 2

form demographics "Demographics" at SCR {
  age integer "Age"
}

form history "Medical history" repeating at SCR {
  term text "Term"
}

inclusion I1 "Adults" = demographics.age >= 18
exclusion E1 "Any medical history" = any history
exclusion E2 "Cancer" = any history where term = "CANCER"

mapping sdtm "SDTM" {
  demographics.age from DM.AGE
  history.term     from MH.MHTERM
  {complete}
}
"""


def _write(folder: Path, name: str, rows: list[dict[str, Any]]) -> None:
    pyreadstat.write_xport(pd.DataFrame(rows), str(folder / f"{name}.xpt"), table_name=name.upper())


def _screen(spec: Spec, folder: Path) -> ScreenRun:
    screener = compile_spec_rules(spec)
    batch = read_inputs(spec, screener.dictionary, [str(folder)])
    return screen_batch(spec, batch, explain=True)


def _statuses(run: ScreenRun, criterion: str) -> dict[str, str]:
    return {o.subject_id: o.result.criteria[criterion].status for o in run.outcomes}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    _write(tmp_path, "dm", [{"USUBJID": "S1", "AGE": 40.0}, {"USUBJID": "S2", "AGE": 50.0}])
    _write(
        tmp_path,
        "mh",
        [{"USUBJID": "S1", "MHTERM": "ASTHMA"}, {"USUBJID": "S3", "MHTERM": "CANCER"}],
    )
    return tmp_path


def test_a_subject_of_dm_without_rows_has_none_when_declared(folder: Path) -> None:
    spec = compiled("complete.trial", SPEC.replace("{complete}", "complete history for DM"))
    run = _screen(spec, folder)
    # S1: a record; S2: in DM, no MH rows -> none; S3: MH rows but not in DM
    assert _statuses(run, "E1") == {"S1": "met", "S2": "not_met", "S3": "met"}
    assert _statuses(run, "E2") == {"S1": "not_met", "S2": "not_met", "S3": "met"}


def test_without_the_declaration_no_rows_is_unknown(folder: Path) -> None:
    spec = compiled("complete.trial", SPEC.replace("{complete}", ""))
    run = _screen(spec, folder)
    assert _statuses(run, "E1") == {"S1": "met", "S2": "unknown", "S3": "met"}
    needed = next(o for o in run.outcomes if o.subject_id == "S2").result.data_needed
    assert "history records" in needed


def test_a_declared_log_whose_dataset_is_absent_stays_unknown(folder: Path) -> None:
    (folder / "mh.xpt").unlink()
    spec = compiled("complete.trial", SPEC.replace("{complete}", "complete history for DM"))
    run = _screen(spec, folder)
    assert _statuses(run, "E1") == {"S1": "unknown", "S2": "unknown"}
    assert any("no MH dataset" in p.reason for p in run.input_problems)


@pytest.mark.skipif(
    not (PILOT_DATA / "mh.xpt").exists(),
    reason="the CDISC pilot's SDTM datasets are not beside the project (../shared/data)",
)
def test_the_cdisc_pilot_clears_history_exclusions_only_for_subjects_without_rows() -> None:
    spec = compiled(str(SPECS / "cdiscpilot01.trial"))
    run = _screen(spec, PILOT_DATA)
    assert len(run.outcomes) == 306
    # the history exclusions read the protocol's categories, which MH does not code:
    # unknown for the 254 subjects with MH rows, not met for the 52 without
    assert Counter(_statuses(run, "EXCL11").values()) == {"unknown": 254, "not_met": 52}
    assert Counter(_statuses(run, "EXCL10").values()) == {"unknown": 229, "not_met": 77}
