"""The mapping semantics of docs/mapping.md, on SDTM datasets written for its example spec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from protocol_dsl.data import InputError, read_inputs
from protocol_dsl.data.sdtm import plan
from protocol_dsl.evaluate import compile_spec_rules
from protocol_dsl.screening.run import ScreenRun, screen_batch
from protocol_dsl.spec import Spec
from tests.docs_examples import DOCS, examples

from .conftest import compiled

pd = pytest.importorskip("pandas")
pyreadstat = pytest.importorskip("pyreadstat")


@pytest.fixture(scope="module")
def mapped_spec() -> Spec:
    example = next(e for e in examples(DOCS / "mapping.md") if e.section == "Example")
    return compiled("mapped.trial", example.text)


def _write(folder: Path, name: str, rows: list[dict[str, Any]]) -> None:
    frame = pd.DataFrame(rows)
    pyreadstat.write_xport(frame, str(folder / f"{name}.xpt"), table_name=name.upper())


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sdtm")
    _write(
        folder,
        "dm",
        [
            {"USUBJID": "S1", "AGE": 45.0, "SEX": "M", "ARMCD": "ACTIVE"},
            {"USUBJID": "S2", "AGE": 17.0, "SEX": "F", "ARMCD": "PLACEBO"},
            {"USUBJID": "S3", "AGE": 60.0, "SEX": "X", "ARMCD": "SCRNFAIL"},
            {"USUBJID": "", "AGE": 50.0, "SEX": "F", "ARMCD": "ACTIVE"},
        ],
    )
    _write(
        folder,
        "sv",
        [
            {"USUBJID": "S1", "VISITNUM": 1.0, "VISIT": "SCREENING", "SVSTDTC": "2025-01-06"},
            {"USUBJID": "S1", "VISITNUM": 2.0, "VISIT": "DAY 1", "SVSTDTC": "2025-01-20"},
            {"USUBJID": "S1", "VISITNUM": 3.0, "VISIT": "WEEK 2", "SVSTDTC": "2025-02-07"},
            {"USUBJID": "S2", "VISITNUM": 1.0, "VISIT": "SCREENING", "SVSTDTC": "2025-01-08"},
            {"USUBJID": "S2", "VISITNUM": 2.0, "VISIT": "DAY 1", "SVSTDTC": "2025-01-21T09:30"},
            {"USUBJID": "S3", "VISITNUM": 1.0, "VISIT": "SCREENING", "SVSTDTC": "2025-01-09"},
            {"USUBJID": "S3", "VISITNUM": 1.1, "VISIT": "UNSCHEDULED 1.1", "SVSTDTC": "2025-01-12"},
        ],
    )
    lb = []
    for subject, alt, unit in (("S1", 40.0, "U/L"), ("S2", 2.5, "ukat/L"), ("S3", 30.0, "mg")):
        lb.append(
            {"USUBJID": subject, "LBTESTCD": "ALT", "VISITNUM": 1.0, "LBSTRESN": alt,
             "LBSTNRHI": 40.0 if unit != "ukat/L" else 0.667, "LBSTRESU": unit}
        )  # fmt: skip
        lb.append(
            {"USUBJID": subject, "LBTESTCD": "AST", "VISITNUM": 1.0, "LBSTRESN": 999.0,
             "LBSTNRHI": 40.0, "LBSTRESU": "U/L"}
        )  # fmt: skip
    lb.append(
        {"USUBJID": "S1", "LBTESTCD": "ALT", "VISITNUM": 1.0, "LBSTRESN": 41.0, "LBSTNRHI": 40.0,
         "LBSTRESU": "U/L"}
    )  # fmt: skip
    _write(folder, "lb", lb)
    _write(
        folder,
        "vs",
        [
            {"USUBJID": "S1", "VSTESTCD": "SYSBP", "VSSTRESN": 150.0, "VSSTRESU": "mmHg",
             "VSDTC": "2025-01-06"},
            {"USUBJID": "S2", "VSTESTCD": "SYSBP", "VSSTRESN": 165.0, "VSSTRESU": "mm[Hg]",
             "VSDTC": "2025-01-08T10:00"},
            {"USUBJID": "S2", "VSTESTCD": "SYSBP", "VSSTRESN": 120.0, "VSSTRESU": "mm[Hg]",
             "VSDTC": "2025-01-15"},
        ],
    )  # fmt: skip
    _write(
        folder,
        "ex",
        [
            {"USUBJID": "S1", "EXDOSE": 10.0, "EXDOSU": "mg", "EXSTDTC": "2025-01-20"},
            {"USUBJID": "S1", "EXDOSE": 20.0, "EXDOSU": "mg", "EXSTDTC": "2025-02-07"},
            {"USUBJID": "S2", "EXDOSE": 0.0, "EXDOSU": "mg", "EXSTDTC": "2025-01-21"},
        ],
    )
    return folder


@pytest.fixture(scope="module")
def run(mapped_spec: Spec, datasets: Path) -> ScreenRun:
    screener = compile_spec_rules(mapped_spec)
    batch = read_inputs(mapped_spec, screener.dictionary, [str(datasets)])
    return screen_batch(mapped_spec, batch, explain=True)


def _outcome(run: ScreenRun, subject: str) -> Any:
    return next(o for o in run.outcomes if o.subject_id == subject)


def test_every_subject_comes_out_in_usubjid_order(run: ScreenRun) -> None:
    assert [o.subject_id for o in run.outcomes] == ["S1", "S2", "S3"]
    assert [(p.source, p.reason) for p in run.input_problems] == [
        ("DM row 4", "the row has no USUBJID; it is skipped")
    ]  # once, whatever the number of rules that read DM


def test_values_are_placed_converted_and_selected(run: ScreenRun) -> None:
    s1 = _outcome(run, "S1").result
    assert s1.criteria["I1"].status == "met"
    # ALT 40 U/L, upper limit 40 U/L (the AST row is not selected by `where`)
    assert s1.criteria["E1"].status == "not_met"
    e2 = s1.criteria["E2"]
    assert e2.status == "not_met"  # 150 mmHg (CDISC unit term), placed by its date at SCR
    assert any("vital_signs.systolic_bp at SCR = 150 mm[Hg]" in e.text for e in e2.evidence)
    s2 = _outcome(run, "S2").result
    assert s2.criteria["I1"].status == "not_met"  # 17 years old
    e1 = s2.criteria["E1"]
    assert e1.status == "met"  # 2.5 ukat/L = 150 U/L > 3 × 40.02 U/L
    assert any("2.5 ukat/L = 150 U/L" in e.text for e in e1.evidence), [e.text for e in e1.evidence]
    assert s2.criteria["E2"].status == "met"  # the VS date-time matches the SCR date


def test_codes_arms_and_rows_that_cannot_be_placed(
    run: ScreenRun, mapped_spec: Spec, datasets: Path
) -> None:
    screener = compile_spec_rules(mapped_spec)
    batch = read_inputs(mapped_spec, screener.dictionary, [str(datasets)])
    records = {s.record["subject_id"]: s.record for s in batch.subjects}
    assert records["S1"]["arm"] == "ACTIVE" and records["S2"]["arm"] == "PLACEBO"
    assert "arm" not in records["S3"]  # SCRNFAIL: no arm
    assert records["S2"]["visits"]["D1"] == "2025-01-21"  # the date of a date-time
    s3 = {p.reason: p for p in _outcome(run, "S3").result.invalid}
    assert any("VISITNUM 1.1 (UNSCHEDULED 1.1)" in r for r in s3)
    assert any("'X' is not a code" in r for r in s3)
    assert any("the unit mg (mass) cannot be converted" in r for r in s3)
    s2 = [p for p in _outcome(run, "S2").result.invalid]
    assert any(p.source == "VS row 3" and "attended no visit on 2025-01-15" in p.reason for p in s2)
    s1 = [p for p in _outcome(run, "S1").result.invalid]
    assert any(p.source == "LB row 7" and "a second value" in p.reason for p in s1)


def test_edit_checks_see_the_arm_and_the_doses(run: ScreenRun) -> None:
    findings = [(f.subject_id, f.rule, f.record) for o in run.outcomes for f in o.findings]
    assert ("S1", "DOSE_NOT_AS_PLANNED", 1) in findings
    assert not any(f[1] == "DOSE_NOT_AS_PLANNED" and f[0] == "S2" for f in findings)
    # W2 on 2025-02-07 is study day 19, planned day 15 ± 2
    assert ("S1", "VISIT_OUT_OF_WINDOW", None) in findings
    # a required item the mapping supplies, missing for nobody; none it does not supply
    assert not any(f[1] == "REQUIRED_ITEM_MISSING" for f in findings)


def test_a_mapping_is_resolved_against_the_dictionary(mapped_spec: Spec) -> None:
    rules = plan(compile_spec_rules(mapped_spec).dictionary, mapped_spec.mappings[0])
    kinds = [(r.target, r.domain, r.variable) for r in rules]
    assert kinds[:3] == [("visit_date", "SV", "SVSTDTC"), ("arm", "DM", "ARMCD"),
                         ("item", "DM", "AGE")]  # fmt: skip
    assert rules[4].where == ("LBTESTCD", "ALT") and rules[4].visit == "VISITNUM"
    assert rules[6].date == "VSDTC" and rules[6].unit == "VSSTRESU"


def test_a_dataset_the_mapping_needs_is_reported_when_absent(
    mapped_spec: Spec, datasets: Path, tmp_path: Path
) -> None:
    (tmp_path / "dm.xpt").write_bytes((datasets / "dm.xpt").read_bytes())
    screener = compile_spec_rules(mapped_spec)
    batch = read_inputs(mapped_spec, screener.dictionary, [str(tmp_path / "dm.xpt")])
    absent = sorted(p.value for p in batch.problems if "among the inputs" in p.reason)
    assert absent == ["EX", "LB", "SV", "VS"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="holds no subject data"):
        read_inputs(mapped_spec, screener.dictionary, [str(empty)])
