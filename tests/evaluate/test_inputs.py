"""Every input format gives the same results; bad rows are reported with their row numbers."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from protocol_dsl.data import InputError, read_inputs
from protocol_dsl.data.tables import (
    subjects_to_tables,
    write_csv_folder,
    write_duckdb,
    write_parquet_folder,
)
from protocol_dsl.evaluate import compile_spec_rules
from protocol_dsl.screening.run import ScreenRun, screen_batch
from protocol_dsl.spec import Spec

from .conftest import SPECS, SUBJECTS, compiled, load_subject


def _subjects() -> list[dict[str, Any]]:
    subjects = [load_subject(p.name)["subject"] for p in sorted(SUBJECTS.glob("*.json"))]
    broken = copy.deepcopy(subjects[0])
    broken["subject_id"] = "QLS-BROKEN"
    serology = broken["forms"]["serology"]["SCR"]
    serology["c3"] = "abc"  # wrong type
    serology["anti_dsdna"] = "weakly"  # unknown code
    serology["c4"] = {"value": 0.2, "unit": "mmol/L"}  # a unit C4 cannot have
    broken["forms"]["medications"][0]["dose_start"] = "2024-02-30"  # impossible date
    broken["forms"]["vital_signs"]["SCR"]["systolic_bp"] = 400  # outside its range
    broken["forms"]["serology"]["SCR"]["c3_lln"] = {"value": 90, "unit": "mg/dL"}
    return [*subjects, broken]


def _key(run: ScreenRun) -> dict[str, Any]:
    """What must not depend on the input format: statuses, data needed, problems, findings."""
    out: dict[str, Any] = {}
    for outcome in run.outcomes:
        result = outcome.result
        out[result.subject_id] = {
            "status": result.status,
            "criteria": {k: c.status for k, c in result.criteria.items()},
            "data_needed": result.data_needed,
            "invalid": sorted(
                (p.form or "", str(p.visit_or_record_index), p.item or "", p.reason)
                for p in result.invalid
            ),
            "findings": sorted(
                (f.rule, f.form or "", f.item or "", str(f.visit), str(f.record))
                for f in outcome.findings
            ),
        }
    return out


def _screen(spec: Spec, paths: list[str]) -> ScreenRun:
    screener = compile_spec_rules(spec)
    batch = read_inputs(spec, screener.dictionary, paths)
    return screen_batch(spec, batch, explain=False)


@pytest.fixture(scope="module")
def written(qls_spec: Spec, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("inputs")
    subjects = _subjects()
    (folder / "subjects.json").write_text(json.dumps(subjects), encoding="utf-8")
    (folder / "subjects.jsonl").write_text(
        "\n".join(json.dumps(s) for s in subjects) + "\n", encoding="utf-8"
    )
    tables = subjects_to_tables(compile_spec_rules(qls_spec).dictionary, subjects)
    write_csv_folder(tables, folder / "csv")
    write_parquet_folder(tables, folder / "parquet")
    write_duckdb(tables, folder / "subjects.duckdb")
    return {
        "json": folder / "subjects.json",
        "jsonl": folder / "subjects.jsonl",
        "csv": folder / "csv",
        "parquet": folder / "parquet",
        "duckdb": folder / "subjects.duckdb",
    }


def test_every_format_gives_the_same_results(qls_spec: Spec, written: dict[str, Path]) -> None:
    reference = _key(_screen(qls_spec, [str(written["json"])]))
    assert len(reference) == len(_subjects())
    assert reference["QLS-001"]["status"] == "eligible"
    broken = reference["QLS-BROKEN"]
    assert len(broken["invalid"]) == 5 and broken["status"] != "eligible"
    for kind in ("jsonl", "csv", "parquet", "duckdb"):
        assert _key(_screen(qls_spec, [str(written[kind])])) == reference, kind


def test_invalid_values_name_the_row_they_came_from(
    qls_spec: Spec, written: dict[str, Path]
) -> None:
    run = _screen(qls_spec, [str(written["csv"])])
    broken = next(o for o in run.outcomes if o.subject_id == "QLS-BROKEN")
    sources = {p.item: p.source for p in broken.result.invalid}
    assert sources["c3"] is not None and sources["c3"].startswith("serology.csv line ")
    assert sources["dose_start"] is not None and sources["dose_start"].startswith(
        "medications.csv line "
    )
    jsonl = _screen(qls_spec, [str(written["jsonl"])])
    broken = next(o for o in jsonl.outcomes if o.subject_id == "QLS-BROKEN")
    assert {p.source for p in broken.result.invalid} == {f"subjects.jsonl line {len(_subjects())}"}


def test_bad_rows_are_reported_and_every_subject_comes_out(qls_spec: Spec, tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "visits.csv").write_text(
        "subject_id,visit,date\n"
        "S1,SCR,2025-01-06\n"
        ",SCR,2025-01-07\n"  # no subject id
        "S1,SCR,2025-01-08\n"  # another date for the same visit: unknown
        "S2,XYZ,2025-01-06\n"  # not a visit of the spec
        "S3,SCR,2025-01-06,extra\n",  # a cell too many
        encoding="utf-8",
    )
    (folder / "demographics.csv").write_text(
        "subject_id,visit,birth_date,sex,shoe_size\n"
        "S1,SCR,1980-01-01,female,38\n"
        "S4,,1990-01-01,male,44\n",  # no visit
        encoding="utf-8",
    )
    (folder / "lab_results.csv").write_text("subject_id,x\nS5,1\n", encoding="utf-8")
    run = _screen(qls_spec, [str(folder)])
    assert [o.subject_id for o in run.outcomes] == ["S1", "S2", "S4"]
    reasons = {(p.source, p.reason) for p in run.input_problems}
    assert ("visits.csv line 3", "the row has no subject id; it is skipped") in reasons
    assert ("visits.csv line 6", "the row has 4 cells and the header 3; it is skipped") in reasons
    assert any(s == "lab_results" and "not a form of the spec" in r for s, r in reasons)
    assert any(s == "demographics" and "'shoe_size' is not a column" in r for s, r in reasons)
    s1 = next(o for o in run.outcomes if o.subject_id == "S1").result.invalid
    assert any(p.source == "visits.csv line 4" and "second row" in p.reason for p in s1)
    assert any(
        p.source == "visits.csv line 4" and "the rows disagree on the date of SCR" in p.reason
        for p in s1
    )
    s2 = next(o for o in run.outcomes if o.subject_id == "S2").result.invalid
    assert any(p.source == "visits.csv line 5" and "not a visit" in p.reason for p in s2)
    s4 = next(o for o in run.outcomes if o.subject_id == "S4").result.invalid
    assert any(p.source == "demographics.csv line 3" and "no visit" in p.reason for p in s4)


def test_a_bad_json_line_is_reported_and_the_rest_is_read(qls_spec: Spec, tmp_path: Path) -> None:
    path = tmp_path / "subjects.jsonl"
    path.write_text(
        '{"subject_id": "A"}\n{"subject_id": "B",\n[1, 2]\n\n{"visits": {}}\n', encoding="utf-8"
    )
    run = _screen(qls_spec, [str(path)])
    assert [o.subject_id for o in run.outcomes] == [
        "A",
        "subjects.jsonl line 3",
        "subjects.jsonl line 5",
    ]
    assert [(p.source, p.reason.split(" (")[0]) for p in run.input_problems] == [
        ("subjects.jsonl line 2", "not valid JSON")
    ]
    no_id = run.outcomes[2].result.invalid
    assert [p.reason for p in no_id] == ["the subject id is missing"]


def test_unreadable_inputs_are_user_errors(qls_spec: Spec, tmp_path: Path) -> None:
    screener = compile_spec_rules(qls_spec)
    with pytest.raises(InputError, match="does not exist"):
        read_inputs(qls_spec, screener.dictionary, [str(tmp_path / "nothing.json")])
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        read_inputs(qls_spec, screener.dictionary, [str(bad)])
    other = tmp_path / "data.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="unknown kind of input"):
        read_inputs(qls_spec, screener.dictionary, [str(other)])
    (tmp_path / "dm.xpt").write_bytes(b"")
    with pytest.raises(InputError, match="as a SAS transport file"):
        read_inputs(qls_spec, screener.dictionary, [str(tmp_path / "dm.xpt")])
    # SDTM datasets need a mapping to say where the spec's items are
    unmapped = compiled(str(SPECS / "mgc018_first_in_human.trial"))
    with pytest.raises(InputError, match="declares no mapping"):
        read_inputs(unmapped, compile_spec_rules(unmapped).dictionary, [str(tmp_path / "dm.xpt")])
