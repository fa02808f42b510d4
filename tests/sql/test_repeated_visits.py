"""Subjects with one row per visit beside subjects with a repeated visit, in one table.

The query reads a form's rows as they are for the subjects with at most one
row at each visit read, and applies the agreement rule (values that agree
read once, different values unknown) only to the subjects with a repeated
visit, found by a key-only count.  Both kinds of subject in the same table,
for a form read at two visits (the pivot groups by subject in both branches)
and for a form read at one (the plain branch is not grouped at all): every
subject's statuses are the interpreter's.
"""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlglot import exp

from generators.sql.compile import screening_query
from generators.sql.run import screen_with_duckdb
from protocol_dsl.compiler import compile_spec
from protocol_dsl.data import read_inputs
from protocol_dsl.data.tables import write_csv_folder
from protocol_dsl.evaluate import compile_spec_rules
from protocol_dsl.screening.run import screen_batch
from protocol_dsl.spec import Spec

SOURCE = """
trial REPEATS {
  title "A form read at two visits"
  eligibility_visit D1
}

visit SCR "Screening" day -14 .. -1
visit D1  "Day 1" day 1

form labs "Laboratory" at SCR, D1 {
  hba1c  quantity % "HbA1c" range 3 .. 20
  fasted yes_no "Fasted"
}

form screening "Screening" at SCR {
  weight quantity kg "Weight" range 20 .. 300
  consent yes_no "Consent given"
}

inclusion I1 "Consent" = screening.consent at SCR = yes
inclusion I2 "Weight at least 40 kg" = screening.weight at SCR >= 40 kg
exclusion E1 "HbA1c above 9 % at screening" = labs.hba1c at SCR > 9 %
exclusion E2 "HbA1c risen by day 1" = labs.hba1c at D1 > labs.hba1c at SCR
inclusion I3 "Fasted on day 1" = labs.fasted at D1 = yes
"""


def _spec() -> Spec:
    result = compile_spec("repeats.trial", SOURCE)
    assert result.spec is not None
    errors = [d.message for d in result.diagnostics if d.severity == "error"]
    assert not errors, errors
    return result.spec


SPEC = _spec()

#: A cell as written: a number, a yes/no word, a missing cell, a value the item cannot hold.
HBA1C = st.sampled_from([6.5, 9.5, 12, None, 25, "abc"])
FASTED = st.sampled_from(["yes", "no", None, "maybe"])
WEIGHT = st.sampled_from([38, 72.5, None, 500])
CONSENT = st.sampled_from(["yes", "no", None])

#: The rows of one subject at one visit: none, one (the rule), or several.
ROWS = st.integers(min_value=0, max_value=3)


@st.composite
def subject_rows(draw: st.DrawFn) -> dict[str, list[list[Any]]]:
    """The rows of one subject in each table (without the subject id)."""
    labs = [
        [visit, draw(HBA1C), draw(FASTED)] for visit in ("SCR", "D1") for _ in range(draw(ROWS))
    ]
    screening = [["SCR", draw(WEIGHT), draw(CONSENT)] for _ in range(draw(ROWS))]
    return {"labs": labs, "screening": screening}


def _write(subjects: list[dict[str, list[list[Any]]]], folder: Path) -> None:
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {
        "subjects": (["subject_id", "arm", "dose_level"], []),
        "visits": (["subject_id", "visit", "date"], []),
        "attestations": (["subject_id", "criterion", "attested"], []),
        "labs": (["subject_id", "visit", "hba1c", "fasted"], []),
        "screening": (["subject_id", "visit", "weight", "consent"], []),
    }
    # rows of one subject far apart: every subject's first rows, then the others
    later: list[tuple[str, list[Any]]] = []
    for number, rows in enumerate(subjects):
        subject_id = f"R{number:02d}"
        tables["subjects"][1].append([subject_id, None, None])
        tables["visits"][1].extend(
            [[subject_id, "SCR", "2025-01-06"], [subject_id, "D1", "2025-01-20"]]
        )
        for table, table_rows in rows.items():
            seen: set[str] = set()
            for row in table_rows:
                if row[0] in seen:
                    later.append((table, [subject_id, *row]))
                else:
                    tables[table][1].append([subject_id, *row])
                    seen.add(row[0])
    for table, row in later:
        tables[table][1].append(row)
    write_csv_folder(tables, folder)


def _statuses_of_both(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    screener = compile_spec_rules(SPEC)
    batch = read_inputs(SPEC, screener.dictionary, [str(folder)])
    run = screen_batch(SPEC, batch, explain=False)
    interpreted = {
        o.subject_id: (o.result.status, {k: c.status for k, c in o.result.criteria.items()})
        for o in run.outcomes
    }
    by_sql = {
        row["subject_id"]: (row["status"], row["criteria"])
        for row in screen_with_duckdb(SPEC, folder)
    }
    return interpreted, by_sql


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(st.lists(subject_rows(), min_size=1, max_size=6))
def test_repeated_and_single_rows_in_one_table_read_as_the_interpreter(
    subjects: list[dict[str, list[list[Any]]]],
) -> None:
    with TemporaryDirectory() as folder:
        _write(subjects, Path(folder))
        interpreted, by_sql = _statuses_of_both(Path(folder))
    assert by_sql == interpreted


def test_a_subject_with_a_repeated_visit_beside_one_without(tmp_path: Path) -> None:
    """The same values, once written once and once written twice at SCR (the second
    row agreeing on HbA1c, missing the yes/no): the same statuses; a disagreeing row
    makes its item unknown for that subject only."""
    once = {
        "labs": [["SCR", 9.5, "yes"], ["D1", 12, "yes"]],
        "screening": [["SCR", 72.5, "yes"]],
    }
    twice = {
        "labs": [["SCR", 9.5, "yes"], ["SCR", 9.5, None], ["D1", 12, "yes"]],
        "screening": [["SCR", 72.5, "yes"], ["SCR", 72.5, "yes"]],
    }
    apart = {
        "labs": [["SCR", 9.5, "yes"], ["D1", 12, "yes"], ["D1", 6.5, "yes"]],
        "screening": [["SCR", 72.5, "yes"]],
    }
    _write([once, twice, apart], tmp_path)
    interpreted, by_sql = _statuses_of_both(tmp_path)
    assert by_sql == interpreted
    assert by_sql["R00"] == by_sql["R01"]
    assert by_sql["R00"][1]["E2"] == "met"
    assert by_sql["R02"][1]["E2"] == "unknown"  # 12 or 6.5 on day 1: not known
    assert by_sql["R02"][1]["E1"] == "met"  # the visit read once is read as it is


def test_the_repeated_keys_are_found_from_key_columns_only() -> None:
    """Finding the subjects with a repeated visit reads the subject id and the visit,
    never an item: the count is as narrow as the table's key."""
    query = screening_query(SPEC)
    ctes = {cte.alias: cte.this for cte in query.find_all(exp.CTE)}
    for table in ("labs", "screening"):
        keys = ctes[f"{table}_repeated"]
        assert {c.name for c in keys.find_all(exp.Column)} == {"subject_id", "visit"}
        pivot = ctes[f"{table}_by_visit"]
        assert isinstance(pivot, exp.Union) and not pivot.args.get("distinct")
