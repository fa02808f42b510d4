"""Hand-computed cases of the shared semantics, checked on the SQL, the module and the interpreter.

Each case is a small spec, a few subjects and the status a protocol writer
expects for each, worked out by hand: Kleene logic over records, intervals
of counts and sums, completed years across a leap day, calendar windows,
unit conversion at a threshold, invalid values, and every subject appearing
whatever table it is found in.  The inputs are also read as CSV, Parquet and
DuckDB tables.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from generators.sql.run import screen_with_duckdb
from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import evaluate_subject
from protocol_dsl.spec import Spec
from tests.sql.test_differential import generated_module

HEADER = """
trial CASES {
  title "Cases"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1  "Day 1" day 1

anchor screening = visit SCR
anchor first_dose = visit D1

codelist drug_class "Class" {
  steroid "Steroid"
  other   "Other"
}

form demographics "Demographics" at SCR {
  birth_date date "Date of birth"
}

form labs "Laboratory" at SCR {
  c3     quantity g/L "C3" range 0 .. 10
  group_ choice drug_class "A choice"
  any_meds yes_no "Any medications?"
}

form meds "Medications" repeating at SCR none_recorded_by labs.any_meds {
  class   choice drug_class "Class"
  dose    quantity mg/d "Daily dose" range 0 .. 500
  ongoing yes_no "Ongoing"
  start   date "Start"
}
"""


def spec_with(rules: str) -> Spec:
    result = compile_spec("cases.trial", HEADER + rules)
    assert result.spec is not None
    errors = [d.message for d in result.diagnostics if d.severity == "error"]
    assert not errors, errors
    return result.spec


def statuses(spec: Spec, subjects: list[dict[str, Any]], criterion: str) -> list[str]:
    """The status of `criterion` for each subject; the three back ends must agree."""
    module = generated_module(spec)
    by_sql = {r["subject_id"]: r["criteria"][criterion] for r in screen_with_duckdb(spec, subjects)}
    found = []
    for subject in subjects:
        interpreted = evaluate_subject(spec, subject).criteria[criterion].status
        assert module.screen(subject)["criteria"][criterion] == interpreted, subject
        assert by_sql[subject["subject_id"]] == interpreted, subject
        found.append(interpreted)
    return found


def meds(*records: dict[str, Any]) -> dict[str, Any]:
    return {"visits": {"SCR": "2025-01-06", "D1": "2025-01-20"}, "forms": {"meds": list(records)}}


def no_meds() -> dict[str, Any]:
    """An empty log with "Any medications?" answered no: recorded as none."""
    record = meds()
    record["forms"]["labs"] = {"SCR": {"any_meds": "no"}}
    return record


def subjects(*records: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"subject_id": f"S{i}", **r} for i, r in enumerate(records, start=1)]


def test_any_over_records_keeps_unknown() -> None:
    spec = spec_with('exclusion E1 "High dose" = any meds where dose > 10 mg/d\n')
    cases = subjects(
        meds({"dose": 5}, {"class": "other"}),  # 5 no, missing unknown -> unknown
        meds({"dose": 20}, {"class": "other"}),  # one yes -> met
        meds(),  # no records, none not recorded -> unknown
        no_meds(),  # recorded as none -> not met
        meds({"dose": 5}, {"dose": 10}),  # all no -> not met
        {"visits": {"SCR": "2025-01-06"}},  # form absent -> unknown
    )
    assert statuses(spec, cases, "E1") == [
        "unknown", "met", "unknown", "not_met", "not_met", "unknown",
    ]  # fmt: skip


def test_all_over_records_is_an_implication_per_record() -> None:
    spec = spec_with(
        'inclusion I1 "Stable" = all meds where ongoing = yes '
        "satisfy start at least 4 weeks before first_dose\n"
    )
    cases = subjects(
        meds({"ongoing": True, "start": "2024-12-23"}),  # D1 - 28 days exactly -> met
        meds({"ongoing": True, "start": "2024-12-24"}),  # a day late -> not met
        meds({"ongoing": True}),  # no start -> unknown
        meds({"ongoing": False}),  # filtered out -> met
        meds({"start": "2025-01-10"}),  # ongoing unknown, start fails -> unknown
        meds(),  # no records, none not recorded -> unknown
        no_meds(),  # recorded as none -> met
    )
    assert statuses(spec, cases, "I1") == [
        "met", "not_met", "unknown", "met", "unknown", "unknown", "met",
    ]  # fmt: skip


def test_count_is_an_interval() -> None:
    spec = spec_with('inclusion I1 "At most one" = count(meds where ongoing = yes) <= 1\n')
    cases = subjects(
        meds({"ongoing": True}, {"dose": 5}),  # [1, 2] -> unknown
        meds({"ongoing": True}, {"ongoing": "yes"}),  # [2, 2] -> not met
        meds({"ongoing": True}, {"ongoing": "no"}),  # [1, 1] -> met
        meds(),  # not recorded: [0, inf] -> unknown
        no_meds(),  # recorded as none: [0, 0] -> met
    )
    assert statuses(spec, cases, "I1") == ["unknown", "not_met", "met", "unknown", "met"]


def test_sum_is_an_interval_unbounded_by_a_missing_value() -> None:
    spec = spec_with('inclusion I1 "Low total" = sum(meds.dose where ongoing = yes) <= 40 mg/d\n')
    cases = subjects(
        meds({"dose": 30, "ongoing": True}, {"dose": 20}),  # [30, 50] -> unknown
        meds({"dose": 30, "ongoing": True}, {"dose": 20, "ongoing": False}),  # 30 -> met
        meds({"dose": 30, "ongoing": True}, {"dose": 20, "ongoing": True}),  # 50 -> not met
        meds({"dose": 30, "ongoing": True}, {"ongoing": True}),  # [30, inf] -> unknown
        meds({"dose": 50, "ongoing": True}, {"ongoing": True}),  # [50, inf] -> not met
        meds({"dose": {"value": 0.045, "unit": "g/d"}, "ongoing": True}),  # 45 mg/d
    )
    assert statuses(spec, cases, "I1") == [
        "unknown", "met", "not_met", "unknown", "not_met", "not_met",
    ]  # fmt: skip


def test_smallest_value_is_an_interval() -> None:
    spec = spec_with('inclusion I1 "Low dose" = min(meds.dose where ongoing = yes) < 10 mg/d\n')
    cases = subjects(
        meds({"dose": 5, "ongoing": True}, {"dose": 20, "ongoing": True}),  # 5 -> met
        meds({"dose": 20, "ongoing": True}, {"ongoing": True}),  # [0, 20] -> unknown
        meds({"dose": 20, "ongoing": True}, {"dose": 5}),  # [5, 20] -> unknown
        meds({"dose": 20, "ongoing": True}, {"dose": 30}),  # 20 -> not met
        meds({"dose": 5}),  # no record surely counts -> unknown
        meds(),  # no records -> unknown
    )
    assert statuses(spec, cases, "I1") == [
        "met", "unknown", "unknown", "not_met", "unknown", "unknown",
    ]  # fmt: skip


def test_latest_date_is_known_only_when_no_record_is_in_doubt() -> None:
    spec = spec_with(
        'inclusion I1 "Stable" = max(meds.start where ongoing = yes) '
        "at least 4 weeks before first_dose\n"
        'inclusion I2 "Recent enough" = days_between(min(meds.start), first_dose) <= 60\n'
    )
    cases = subjects(
        # D1 2025-01-20: the latest ongoing start 2024-12-01 is 50 days before
        meds({"ongoing": True, "start": "2024-12-01"}, {"ongoing": True, "start": "2024-11-01"}),
        meds({"ongoing": True, "start": "2024-12-01"}, {"ongoing": True}),  # a start missing
        meds({"ongoing": True, "start": "2024-12-01"}, {"start": "2025-01-10"}),  # ongoing?
        meds({"ongoing": True, "start": "2024-12-01"}, {"ongoing": False}),  # filtered out
        meds({"ongoing": True, "start": "2025-01-10"}),  # too late
        meds({"ongoing": False, "start": "2024-12-01"}),  # no record counts
        meds({"ongoing": True, "start": "2024-11-31"}),  # not a calendar date
    )
    assert statuses(spec, cases, "I1") == [
        "met", "unknown", "unknown", "met", "not_met", "unknown", "unknown",
    ]  # fmt: skip
    # the earliest start over every record: 2024-11-01 is 80 days before D1
    assert statuses(spec, cases, "I2") == [
        "not_met", "unknown", "met", "unknown", "met", "met", "unknown",
    ]  # fmt: skip


def test_completed_years_across_a_leap_day() -> None:
    spec = spec_with(
        'inclusion I1 "Adult" = years_between(demographics.birth_date, screening) >= 18\n'
    )

    def born(birth: str, screening: str) -> dict[str, Any]:
        return {
            "visits": {"SCR": screening},
            "forms": {"demographics": {"SCR": {"birth_date": birth}}},
        }

    cases = subjects(
        born("2000-02-29", "2018-02-28"),  # 18 years: Feb 29 + 18 years is Feb 28
        born("2000-03-01", "2018-02-28"),  # a day short
        born("2000-02-28", "2018-02-28"),  # the birthday itself
        born("2000-02-29", "2018-02-27"),
        born("2000-02-29", "1990-01-01"),  # screened before birth: negative age
        born("2000-02-30", "2018-02-28"),  # not a calendar date: unknown
    )
    assert statuses(spec, cases, "I1") == [
        "met", "not_met", "met", "not_met", "not_met", "unknown",
    ]  # fmt: skip


def test_calendar_windows_clamp_to_the_month_end() -> None:
    spec = spec_with(
        'exclusion E1 "Recent" = any meds where start within 1 month before screening\n'
    )
    # screening 2025-03-31: one month before is 2025-02-28
    visits = {"SCR": "2025-03-31", "D1": "2025-04-14"}
    cases = subjects(
        {"visits": visits, "forms": {"meds": [{"start": "2025-02-28"}]}},
        {"visits": visits, "forms": {"meds": [{"start": "2025-02-27"}]}},
        {"visits": visits, "forms": {"meds": [{"start": "2025-03-31"}]}},
        {"visits": visits, "forms": {"meds": [{"start": "2025-04-01"}]}},
        {"forms": {"meds": [{"start": "2025-03-01"}]}},  # no screening date: unknown
    )
    assert statuses(spec, cases, "E1") == ["met", "not_met", "met", "not_met", "unknown"]


def test_units_convert_exactly_at_the_threshold() -> None:
    spec = spec_with('exclusion E1 "High C3" = labs.c3 > 110 mg/dL\n')

    def c3(value: Any) -> dict[str, Any]:
        return {"forms": {"labs": {"SCR": {"c3": value}}}}

    cases = subjects(
        c3(1.1),  # 1.1 g/L is exactly 110 mg/dL
        c3({"value": 110, "unit": "mg/dL"}),
        c3({"value": 110.1, "unit": "mg/dL"}),
        c3({"value": 1100, "unit": "mg/L"}),
        c3({"value": 1.2, "unit": "mmol/L"}),  # not a mass concentration: invalid
        c3({"value": 12, "unit": "g/L"}),  # outside the item's range 0 .. 10: invalid
        c3("1.2"),  # a number written as text is read
    )
    assert statuses(spec, cases, "E1") == [
        "not_met", "not_met", "met", "not_met", "unknown", "unknown", "met",
    ]  # fmt: skip


def test_invalid_codes_are_unknown_not_false() -> None:
    spec = spec_with('exclusion E1 "Other" = labs.group_ = other\n')
    cases = subjects(
        {"forms": {"labs": {"SCR": {"group_": "other"}}}},
        {"forms": {"labs": {"SCR": {"group_": "steroid"}}}},
        {"forms": {"labs": {"SCR": {"group_": "Other"}}}},  # codes are exact
        {"forms": {"labs": {"D1": {"group_": "other"}}}},  # labs are not collected at D1
    )
    assert statuses(spec, cases, "E1") == ["met", "not_met", "unknown", "unknown"]


# ---------------------------------------------------------------- tabular inputs

RULES = (
    'inclusion I1 "Adult" = years_between(demographics.birth_date, screening) >= 18\n'
    'exclusion E1 "High dose" = any meds where dose > 10 mg/d\n'
    'inclusion I2 "Consent" = attested\n'
)


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _tables(folder: Path) -> None:
    """The same subjects as `_records`, as CSV tables of text cells."""
    folder.mkdir()
    _write_csv(
        folder / "demographics.csv",
        [
            {"subject_id": "A", "visit": "SCR", "birth_date": "1990-01-01"},
            {"subject_id": "B", "visit": "SCR", "birth_date": "2010-13-01"},
        ],
    )
    _write_csv(folder / "labs.csv", [{"subject_id": "B", "visit": "SCR", "any_meds": "no"}])
    _write_csv(
        folder / "meds.csv",
        [
            {"subject_id": "A", "class": "steroid", "dose": "5", "dose__unit": "", "ongoing": "yes"},
            {"subject_id": "A", "class": "other", "dose": "0.02", "dose__unit": "g/d", "ongoing": "no"},
            {"subject_id": "C", "class": "other", "dose": "abc", "dose__unit": "", "ongoing": "1"},
        ],
    )  # fmt: skip
    _write_csv(
        folder / "visits.csv",
        [{"subject_id": "A", "visit": "SCR", "date": "2025-01-06"},
         {"subject_id": "B", "visit": "SCR", "date": "2025-01-06"}],
    )  # fmt: skip
    _write_csv(
        folder / "attestations.csv",
        [{"subject_id": "A", "criterion": "I2", "attested": "yes"},
         {"subject_id": "D", "criterion": "I2", "attested": "no"}],
    )  # fmt: skip


def _records() -> list[dict[str, Any]]:
    return [
        {
            "subject_id": "A",
            "visits": {"SCR": "2025-01-06"},
            "forms": {
                "demographics": {"SCR": {"birth_date": "1990-01-01"}},
                "meds": [
                    {"class": "steroid", "dose": 5, "ongoing": "yes"},
                    {"class": "other", "dose": {"value": 0.02, "unit": "g/d"}, "ongoing": "no"},
                ],
            },
            "attestations": {"I2": "yes"},
        },
        {
            "subject_id": "B",
            "visits": {"SCR": "2025-01-06"},
            "forms": {
                "demographics": {"SCR": {"birth_date": "2010-13-01"}},
                "labs": {"SCR": {"any_meds": "no"}},
            },
        },
        {"subject_id": "C", "forms": {"meds": [{"class": "other", "dose": "abc", "ongoing": 1}]}},
        {"subject_id": "D", "attestations": {"I2": "no"}},
    ]


EXPECTED = [
    {"subject_id": "A", "status": "ineligible", "criteria": {"I1": "met", "E1": "met", "I2": "met"}},
    {"subject_id": "B", "status": "indeterminate",
     "criteria": {"I1": "unknown", "E1": "not_met", "I2": "unknown"}},
    {"subject_id": "C", "status": "indeterminate",
     "criteria": {"I1": "unknown", "E1": "unknown", "I2": "unknown"}},
    {"subject_id": "D", "status": "ineligible",
     "criteria": {"I1": "unknown", "E1": "unknown", "I2": "not_met"}},
]  # fmt: skip


def test_every_input_subject_comes_out_of_json_records(tmp_path: Path) -> None:
    spec = spec_with(RULES)
    assert screen_with_duckdb(spec, _records()) == EXPECTED
    for record, expected in zip(_records(), EXPECTED, strict=True):
        assert evaluate_subject(spec, record).status == expected["status"]
    lines = tmp_path / "subjects.jsonl"
    lines.write_text("".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    assert screen_with_duckdb(spec, lines) == EXPECTED
    whole = tmp_path / "subjects.json"
    whole.write_text(json.dumps(_records(), indent=2), encoding="utf-8")
    assert screen_with_duckdb(spec, whole) == EXPECTED


@pytest.mark.parametrize("form", ["csv", "parquet", "duckdb"])
def test_tables_screen_like_json_records(tmp_path: Path, form: str) -> None:
    spec = spec_with(RULES)
    folder = tmp_path / "csv"
    _tables(folder)
    source: Path = folder
    if form != "csv":
        connection = duckdb.connect(
            str(tmp_path / "study.duckdb") if form == "duckdb" else ":memory:"
        )
        for file in sorted(folder.glob("*.csv")):
            relation = connection.read_csv(str(file), all_varchar=True)
            if form == "parquet":
                (tmp_path / "parquet").mkdir(exist_ok=True)
                relation.write_parquet(str(tmp_path / "parquet" / f"{file.stem}.parquet"))
            else:
                relation.create(file.stem)
        connection.close()
        source = tmp_path / "parquet" if form == "parquet" else tmp_path / "study.duckdb"
    assert screen_with_duckdb(spec, source) == EXPECTED
