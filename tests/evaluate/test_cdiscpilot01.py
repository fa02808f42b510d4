"""Real data: the CDISC pilot's DM, ADSL, SV and EX screened against specs/cdiscpilot01.trial.

The datasets are vendored in tests/data/cdiscpilot01 (see its README).  Each
figure of the screening report is checked against an independent computation
on the raw datasets with pandas: ages and MMSE totals against the criteria,
actual visit days against the planned days of TV, and doses in EX against
each arm's elements (TA order, TE durations, the doses of TS).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from protocol_dsl.data import read_inputs
from protocol_dsl.diagnostics import has_errors
from protocol_dsl.evaluate import compile_spec_rules
from protocol_dsl.screening.run import ScreenRun, load_for_screening, screen_batch
from protocol_dsl.spec import Spec

from .conftest import CDISC_DATA, SPECS

pd = pytest.importorskip("pandas")
pyreadstat = pytest.importorskip("pyreadstat")

GOLDEN = Path(__file__).resolve().parent / "golden" / "cdiscpilot01_summary.json"

#: Doses of the trial elements: TS gives the doses (54 and 81 mg), TE the
#: element names (Placebo, Low, High_Start, High_Middle, High_End).
ELEMENT_DOSE = {"PBO": 0.0, "LO": 54.0, "HIS": 54.0, "HIM": 81.0, "HIE": 54.0}


def _read(name: str) -> Any:
    frame, _meta = pyreadstat.read_xport(str(CDISC_DATA / f"{name}.xpt"), encoding="cp1252")
    return frame


def _screen(spec: Spec) -> ScreenRun:
    screener = compile_spec_rules(spec)
    batch = read_inputs(spec, screener.dictionary, [str(CDISC_DATA)])
    return screen_batch(spec, batch, explain=True)


@pytest.fixture(scope="module")
def run(cdisc_spec: Spec) -> ScreenRun:
    return _screen(cdisc_spec)


def _findings(run: ScreenRun, rule: str) -> list[Any]:
    return [f for o in run.outcomes for f in o.findings if f.rule == rule]


# ---------------------------------------------------------------- independent computations


def _day1() -> Any:
    """Each subject's baseline date (visit 3, the first application of study drug)."""
    sv = _read("sv")
    baseline = sv[sv.VISITNUM == 3][["USUBJID", "SVSTDTC"]]
    return baseline.rename(columns={"SVSTDTC": "DAY1"})


def _offsets(frame: Any, date_column: str) -> Any:
    """Days from day 1 (day 1 → 0): the SDTM study day without its missing day 0."""
    return (pd.to_datetime(frame[date_column]) - pd.to_datetime(frame["DAY1"])).dt.days


def _visits_out_of_window(window: int) -> int:
    """Visits of SV more than `window` days from their planned day in TV."""
    sv = _read("sv").drop_duplicates(["USUBJID", "VISITNUM"], keep="first")
    tv = _read("tv")[["VISITNUM", "VISITDY"]].dropna()
    visits = sv.drop(columns=["VISITDY"]).merge(tv, on="VISITNUM").merge(_day1(), on="USUBJID")
    actual = _offsets(visits, "SVSTDTC")
    planned = visits["VISITDY"].where(visits["VISITDY"] < 0, visits["VISITDY"] - 1)
    return int(((actual - planned).abs() > window).sum())


def _arm_schedule() -> dict[str, list[tuple[int, int, float]]]:
    """Per arm: (first offset, last offset, dose) of its dosed elements, from TA and TE."""
    ta = _read("ta").sort_values(["ARMCD", "TAETORD"])
    te = _read("te").set_index("ETCD")
    schedule: dict[str, list[tuple[int, int, float]]] = {}
    for arm, elements in ta.groupby("ARMCD"):
        start = 0
        periods = []
        for etcd in elements.ETCD:
            if etcd not in ELEMENT_DOSE:
                continue
            weeks = int(str(te.loc[etcd, "TEDUR"]).removeprefix("P").removesuffix("W"))
            periods.append((start, start + 7 * weeks - 1, ELEMENT_DOSE[etcd]))
            start += 7 * weeks
        schedule[str(arm)] = periods
    return schedule


def _doses_not_as_planned() -> set[tuple[str, int]]:
    """EX records (subject, EXSEQ) whose dose differs from the arm's dose on their start day."""
    ex = (
        _read("ex")
        .merge(_read("dm")[["USUBJID", "ARMCD"]], on="USUBJID")
        .merge(_day1(), on="USUBJID")
    )
    ex["OFFSET"] = _offsets(ex, "EXSTDTC")
    schedule = _arm_schedule()
    wrong = set()
    for row in ex.itertuples():
        planned = [dose for first, last, dose in schedule[row.ARMCD] if first <= row.OFFSET <= last]
        if not planned or planned[0] != row.EXDOSE:
            wrong.add((row.USUBJID, int(row.EXSEQ)))
    return wrong


# ---------------------------------------------------------------- the checks


def test_every_subject_of_dm_comes_out(run: ScreenRun) -> None:
    dm = _read("dm")
    assert [o.subject_id for o in run.outcomes] == sorted(dm.USUBJID)
    assert run.counts["subjects"] == 306


def test_the_arm_comes_from_dm(run: ScreenRun, cdisc_spec: Spec) -> None:
    dm = _read("dm")
    screener = compile_spec_rules(cdisc_spec)
    batch = read_inputs(cdisc_spec, screener.dictionary, [str(CDISC_DATA)])
    arms = Counter(s.record.get("arm", "none") for s in batch.subjects)
    expected = Counter(dm.ARMCD.replace({"Scrnfail": "none"}))  # SCRNFAIL: no arm
    assert arms == expected


def test_randomised_subjects_who_did_not_meet_the_computable_criteria(run: ScreenRun) -> None:
    dm = _read("dm")
    adsl = _read("adsl")
    randomised = set(dm[dm.ARMCD != "Scrnfail"].USUBJID)
    too_young = set(dm[dm.AGE < 50].USUBJID)
    mmse_out = set(adsl[(adsl.MMSETOT < 10) | (adsl.MMSETOT > 23)].USUBJID)
    failed = {o.subject_id: set(o.result.failed) for o in run.outcomes if o.result.failed}
    assert {s for s in failed if s in randomised} == (too_young | mmse_out) & randomised
    assert {s for s, c in failed.items() if "INCL03" in c} == mmse_out
    assert {s for s, c in failed.items() if "INCL01" in c} == too_young
    assert len(mmse_out) == 2
    for subject in mmse_out:
        outcome = next(o for o in run.outcomes if o.subject_id == subject)
        criterion = outcome.result.criteria["INCL03"]
        mmse = float(adsl[adsl.USUBJID.eq(subject)].MMSETOT.iloc[0])
        assert criterion.evidence[0].value == mmse
        assert outcome.result.status == "ineligible"


def test_screen_failures_have_no_mmse_so_inclusion_3_is_unknown(run: ScreenRun) -> None:
    adsl_subjects = set(_read("adsl").USUBJID)
    unknown = {
        o.subject_id for o in run.outcomes if o.result.criteria["INCL03"].status == "unknown"
    }
    assert unknown == {o.subject_id for o in run.outcomes} - adsl_subjects
    missing = _findings(run, "MISSING_ASSESSMENT")
    assert {f.subject_id for f in missing} == unknown
    assert {(f.form, f.visit) for f in missing} == {("eligibility_assessments", "SCRN1")}


def test_visits_outside_their_windows(run: ScreenRun) -> None:
    findings = _findings(run, "VISIT_OUT_OF_WINDOW")
    # the spec gives the planned days of TV and no windows: any other day is outside
    assert len(findings) == _visits_out_of_window(0)
    assert len(findings) > 2000


def test_visits_outside_a_three_day_window(cdisc_spec: Spec) -> None:
    source = (SPECS / "cdiscpilot01.trial").read_text(encoding="utf-8")
    widened = source
    for visit in cdisc_spec.visit_order:
        if visit.day is None:
            continue
        line = next(x for x in source.splitlines() if x.startswith(f"visit {visit.name} "))
        marker = f" number {visit.number}"
        widened = widened.replace(line, line.replace(marker, f" window ±3{marker}", 1), 1)
    # windows this wide overlap (a schedule error for `protocol check`), but every
    # visit of SV is identified by its number, so each can still be judged
    loaded = load_for_screening(str(SPECS / "cdiscpilot01_widened.trial"), widened)
    assert loaded.spec is not None and not has_errors(loaded.diagnostics)
    spec = loaded.spec
    assert all(v.window_before == 3 for v in spec.visit_order if v.day is not None)
    findings = _findings(_screen(spec), "VISIT_OUT_OF_WINDOW")
    assert len(findings) == _visits_out_of_window(3)


def test_dosing_that_did_not_follow_the_arm(run: ScreenRun) -> None:
    ex = _read("ex").reset_index(drop=True)
    findings = _findings(run, "DOSE_NOT_AS_PLANNED")
    found = set()
    for finding in findings:
        records = ex[ex.USUBJID.eq(finding.subject_id)].reset_index(drop=True)
        found.add((finding.subject_id, int(records.EXSEQ[finding.record])))
    assert found == _doses_not_as_planned()
    assert len(found) == len(findings) > 0


def test_unmatched_rows_are_reported_with_their_dataset_row(run: ScreenRun) -> None:
    sv = _read("sv")
    tv_numbers = set(_read("tv").VISITNUM)
    unmatched = sv[~sv.VISITNUM.isin(tv_numbers)]
    problems = [
        p
        for o in run.outcomes
        for p in o.result.invalid
        if "is not the number of any visit" in p.reason
    ]
    assert len(problems) == len(unmatched)
    assert {p.source for p in problems} == {f"SV row {i + 1}" for i in unmatched.index}


def test_summary_matches_the_approved_golden_file(run: ScreenRun) -> None:
    summary = {
        "counts": run.counts,
        "funnel": [s.to_json() for s in run.funnel],
        "ineligible": {
            o.subject_id: {c: o.result.criteria[c].evidence[0].text for c in o.result.failed}
            for o in run.outcomes
            if o.result.status == "ineligible"
        },
        "findings_by_rule": dict(
            sorted(Counter(f.rule for o in run.outcomes for f in o.findings).items())
        ),
        "doses_not_as_planned": [f.message for f in _findings(run, "DOSE_NOT_AS_PLANNED")],
    }
    text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
