"""The exact prednisone-equivalence ratios of QLS4131, at the 40 mg/d cap, in three engines.

The glucocorticoid table states its factors as the sources do (5 mg
prednisone = 0.75 mg dexamethasone: `5/0.75`).  For each glucocorticoid, the
daily dose whose prednisone equivalent is exactly 40 mg/d meets inclusion 5,
and a dose just above it does not; the interpreter, the DuckDB SQL and the
generated Python module agree on every such subject.  With the factor
rounded (6.67), 6 mg/d dexamethasone would be 40.02 mg/d and fail the cap.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from generators.sql.run import screen_with_duckdb
from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import evaluate_subject
from protocol_dsl.spec import Spec
from tests.sql.cases import BASELINES, QLS4131
from tests.sql.test_differential import SPECS, generated_module

_COMPILED = SPECS[QLS4131.name]
assert _COMPILED is not None
SPEC: Spec = _COMPILED
CAP = Fraction(40)


def _factors() -> dict[str, Fraction]:
    table = SPEC.libraries["gc"].tables["prednisone_factor"]
    factors = {}
    for row in table.rows:
        assert isinstance(row.value.value, (Decimal, Fraction))
        factors[row.key] = Fraction(row.value.value)
    return factors


FACTORS = _factors()


def _subject(name: str, *doses: tuple[str, Fraction | Decimal | int]) -> dict[str, Any]:
    subject: dict[str, Any] = copy.deepcopy(BASELINES[QLS4131.name])
    subject["subject_id"] = name
    medications = subject["forms"]["medications"]
    steroid = medications[0]
    medications[:1] = [
        {**copy.deepcopy(steroid), "glucocorticoid": agent, "daily_dose": _number(dose)}
        for agent, dose in doses
    ]
    return subject


def _number(dose: Fraction | Decimal | int) -> int | float:
    exact = Fraction(dose)
    return int(exact) if exact.denominator == 1 else float(Decimal(str(float(exact))))


def _at_the_cap() -> list[dict[str, Any]]:
    """Per glucocorticoid: the dose at exactly 40 mg/d, and 0.01 mg/d above it."""
    subjects = []
    for agent, factor in FACTORS.items():
        dose = CAP / factor
        if dose.denominator not in (1, 2, 4, 5, 10, 20, 25, 50, 100):
            continue  # no decimal dose lands exactly on the cap
        subjects.append(_subject(f"{agent}-at-cap", (agent, dose)))
        subjects.append(_subject(f"{agent}-above", (agent, dose + Fraction(1, 100))))
    # two records whose exact sum is the cap: 3 mg/d dexamethasone (20) + 20 mg/d prednisone
    subjects.append(_subject("mixed-at-cap", ("dexamethasone", Fraction(3)), ("prednisone", 20)))
    subjects.append(_subject("deflazacort-and-dexa", ("deflazacort", 24), ("dexamethasone", 3)))
    return subjects


SUBJECTS = _at_the_cap()


def test_the_table_states_exact_ratios() -> None:
    assert FACTORS["dexamethasone"] == Fraction(20, 3)
    assert FACTORS["deflazacort"] == Fraction(5, 6)
    table = SPEC.libraries["gc"].tables["prednisone_factor"]
    texts = {row.key: row.value.text for row in table.rows}
    assert texts["dexamethasone"] == "5/0.75"
    assert all(isinstance(r.value.value, (Decimal, Fraction)) for r in table.rows)


def test_every_glucocorticoid_has_a_dose_at_the_cap() -> None:
    at_cap = {s["subject_id"].removesuffix("-at-cap") for s in SUBJECTS}
    assert set(FACTORS) <= at_cap


@pytest.fixture(scope="module")
def by_sql() -> dict[str, dict[str, Any]]:
    return {row["subject_id"]: row for row in screen_with_duckdb(SPEC, SUBJECTS)}


@pytest.mark.parametrize("subject", SUBJECTS, ids=lambda s: s["subject_id"])
def test_interpreter_sql_and_module_agree_at_the_cap(
    subject: dict[str, Any], by_sql: dict[str, dict[str, Any]]
) -> None:
    interpreted = evaluate_subject(SPEC, subject).criteria["I5"].status
    expected = "not_met" if subject["subject_id"].endswith("above") else "met"
    assert interpreted == expected
    assert by_sql[subject["subject_id"]]["criteria"]["I5"] == interpreted
    assert generated_module(SPEC).screen(subject)["criteria"]["I5"] == interpreted


def test_six_mg_dexamethasone_is_exactly_forty() -> None:
    """The protocol's own example: 6 mg/d × 20/3 = 40 mg/d, evidence in the ratio's words."""
    result = evaluate_subject(SPEC, _subject("dexa-6", ("dexamethasone", Fraction(6))))
    texts = " | ".join(e.text for e in result.criteria["I5"].evidence)
    assert "gc.prednisone_factor[dexamethasone] = 20/3" in texts
    assert "6 mg/d × 20/3 = 40 mg/d" in texts
    assert result.criteria["I5"].status == "met"


_LITERAL = """\
trial LITERAL {
  title "A ratio written in a rule"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1

form meds "Medication" at SCR {
  dexamethasone quantity mg/d "Dexamethasone daily dose" range 0 .. 100
}

inclusion I1 "At most 40 mg/d prednisone equivalent" = meds.dexamethasone * (5/0.75) <= 40 mg/d
"""


def test_a_ratio_written_in_a_rule_is_exact_in_every_engine(tmp_path: Path) -> None:
    path = tmp_path / "literal.trial"
    path.write_text(_LITERAL, encoding="utf-8")
    spec = compile_spec(str(path)).spec
    assert spec is not None
    doses = {6: "met", 6.01: "not_met", 4.5: "met", 0.75: "met"}
    subjects = [
        {
            "subject_id": f"dose-{dose}",
            "visits": {"SCR": "2025-01-06"},
            "forms": {"meds": {"SCR": {"dexamethasone": dose}}},
        }
        for dose in doses
    ]
    by_sql = {row["subject_id"]: row for row in screen_with_duckdb(spec, subjects)}
    module = generated_module(spec)
    for subject, expected in zip(subjects, doses.values(), strict=True):
        assert evaluate_subject(spec, subject).criteria["I1"].status == expected, subject
        assert by_sql[subject["subject_id"]]["criteria"]["I1"] == expected, subject
        assert module.screen(subject)["criteria"]["I1"] == expected, subject
