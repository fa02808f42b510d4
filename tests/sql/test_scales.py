"""Values on another scale than their item's, in the interpreter, the SQL and the module.

A value recorded on another scale (HbA1c in mmol/mol for an item in %) is read
through the item's declared conversion, identically by the three engines; a
value on another scale with no declared conversion (an eGFR in mL/min for an
item in mL/min/{1.73_m2}) is a data problem: unknown everywhere, and reported
by the interpreter, never converted by a factor.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.sql.run import screen_with_duckdb
from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import evaluate_subject
from protocol_dsl.spec import Spec
from tests.sql.cases import QLS4131
from tests.sql.test_differential import generated_module, three_ways

HEADER = """
trial SCALES {
  title "Scales"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1  "Day 1" day 1

anchor screening = visit SCR
anchor first_dose = visit D1

conversion hba1c_ifcc_to_ngsp from mmol/mol to % = 0.09148 * value + 2.152
  [LOINC 4548-4] [LOINC 59261-8]

form labs "Laboratory" at SCR {
  hba1c      quantity %                "HbA1c (NGSP)" range 3 .. 20 [LOINC 4548-4]
  hba1c_ifcc quantity mmol/mol         "HbA1c (IFCC)" range 9 .. 195 [LOINC 59261-8]
  egfr       quantity mL/min/{1.73_m2} "eGFR" range 0 .. 200
}
"""


def spec_with(rules: str) -> Spec:
    result = compile_spec("scales.trial", HEADER + rules)
    assert result.spec is not None
    errors = [d.message for d in result.diagnostics if d.severity == "error"]
    assert not errors, errors
    return result.spec


def labs(**values: Any) -> dict[str, Any]:
    return {"visits": {"SCR": "2025-01-06"}, "forms": {"labs": {"SCR": values}}}


def subjects(*records: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"subject_id": f"S{i}", **r} for i, r in enumerate(records, start=1)]


def statuses(spec: Spec, batch: list[dict[str, Any]], criterion: str) -> list[str]:
    """The status of `criterion` for each subject; the three engines must agree."""
    module = generated_module(spec)
    by_sql = {r["subject_id"]: r["criteria"][criterion] for r in screen_with_duckdb(spec, batch)}
    found = []
    for subject in batch:
        interpreted = evaluate_subject(spec, subject).criteria[criterion].status
        assert module.screen(subject)["criteria"][criterion] == interpreted, subject
        assert by_sql[subject["subject_id"]] == interpreted, subject
        found.append(interpreted)
    return found


def ifcc(value: float, unit: str = "mmol/mol") -> dict[str, Any]:
    return {"value": value, "unit": unit}


def test_values_in_mmol_per_mol_convert_through_the_master_equation() -> None:
    spec = spec_with('exclusion E1 "Poorly controlled diabetes" = labs.hba1c > 8 %\n')
    batch = subjects(
        labs(hba1c=ifcc(75)),  # 9.013 %: a factor would have read 7.5 %
        labs(hba1c=ifcc(64)),  # 8.00672 %
        labs(hba1c=ifcc(63.9)),  # 7.997572 %
        labs(hba1c=ifcc(63900, "umol/mol")),  # another unit of the IFCC scale
        labs(hba1c=7.5),
        labs(hba1c=ifcc(0.085, "1")),  # 8.5 %: 1 and % are one scale
    )
    assert statuses(spec, batch, "E1") == ["met", "met", "not_met", "not_met", "not_met", "met"]


def test_an_item_on_the_to_side_reads_the_formula_backwards() -> None:
    spec = spec_with('exclusion E1 "Poorly controlled diabetes" = labs.hba1c_ifcc > 64 mmol/mol\n')
    batch = subjects(
        labs(hba1c_ifcc=ifcc(8.00673, "%")),  # 64.0001... mmol/mol
        labs(hba1c_ifcc=ifcc(8, "%")),  # 63.9265... mmol/mol
        labs(hba1c_ifcc=75),
    )
    assert statuses(spec, batch, "E1") == ["met", "not_met", "met"]


def test_a_threshold_on_the_other_scale_reads_through_the_formula() -> None:
    spec = spec_with('exclusion E1 "Poorly controlled diabetes" = labs.hba1c > 64 mmol/mol\n')
    batch = subjects(
        labs(hba1c=8.0067),
        labs(hba1c=8.00672),  # exactly the threshold: not above it
        labs(hba1c=8.00673),
        labs(hba1c=ifcc(64.001)),
    )
    assert statuses(spec, batch, "E1") == ["not_met", "not_met", "met", "met"]


def test_a_value_on_another_scale_without_a_conversion_is_unknown_and_reported() -> None:
    spec = spec_with('exclusion E1 "Severe renal impairment" = labs.egfr < 30 mL/min/{1.73_m2}\n')
    batch = subjects(
        labs(egfr=ifcc(25, "mL/min")),  # a clearance: not an eGFR, whatever its factor
        labs(egfr=ifcc(25, "mL/min/{1.73_m2}")),
        labs(egfr=ifcc(0.025, "L/min")),
    )
    assert statuses(spec, batch, "E1") == ["unknown", "met", "unknown"]
    problems = evaluate_subject(spec, batch[0]).invalid
    assert [(p.item, p.value) for p in problems] == [("egfr", {"value": 25, "unit": "mL/min"})]
    assert "another scale than the item's unit mL/min/{1.73_m2}" in problems[0].reason
    assert "no conversion is declared" in problems[0].reason
    assert evaluate_subject(spec, batch[1]).invalid == []


def test_hba1c_without_its_code_has_no_conversion() -> None:
    spec = compile_spec(
        "scales.trial",
        HEADER.replace("range 3 .. 20 [LOINC 4548-4]", "range 3 .. 20")
        + 'exclusion E1 "Poorly controlled diabetes" = labs.hba1c > 8 %\n',
    ).spec
    assert spec is not None
    batch = subjects(labs(hba1c=ifcc(75)))
    assert statuses(spec, batch, "E1") == ["unknown"]
    reason = evaluate_subject(spec, batch[0]).invalid[0].reason
    assert "mmol/mol (amount fraction) is another scale than the item's unit % " in reason


# ---------------------------------------------------------------- the real spec


@pytest.fixture(scope="module")
def qls4131() -> Spec:
    spec = compile_spec(str(QLS4131)).spec
    assert spec is not None
    return spec


def _diabetic(hba1c: Any) -> dict[str, Any]:
    return {
        "visits": {"SCR": "2025-01-06"},
        "forms": {
            "vital_signs": {"SCR": {"systolic_bp": 120, "diastolic_bp": 80}},
            "screening_assessments": {"SCR": {"diabetes": True}},
            "screening_labs": {"SCR": {"hba1c": hba1c}},
        },
    }


def test_qls4131_e4_reads_hba1c_in_mmol_per_mol_on_the_ngsp_scale(qls4131: Spec) -> None:
    batch = subjects(_diabetic(ifcc(75)), _diabetic(ifcc(60)), _diabetic(9.0), _diabetic(7.5))
    # 75 mmol/mol is 9.0 %: a diabetic above 8 % is excluded (a factor read 7.5 % and let
    # them pass); 60 mmol/mol is 7.64 %
    assert statuses(qls4131, batch, "E4") == ["met", "not_met", "met", "not_met"]


def test_qls4131_egfr_in_ml_per_min_is_not_an_egfr(qls4131: Spec) -> None:
    subject = {
        "subject_id": "S1",
        "visits": {"SCR": "2025-01-06"},
        "forms": {
            "screening_labs": {"SCR": {"proteinuria": 0.1, "egfr": ifcc(20, "mL/min")}},
        },
    }
    assert statuses(qls4131, [subject], "E5") == ["unknown"]


# ---------------------------------------------------------------- generated values


_NGSP = st.decimals(min_value=3, max_value=20, places=3).map(float)
_IFCC = st.decimals(min_value=9, max_value=195, places=2).map(float)
_RECORDED = st.one_of(
    _NGSP,
    _NGSP.map(lambda v: ifcc(v, "%")),
    _IFCC.map(ifcc),
    _IFCC.map(lambda v: ifcc(v * 1000, "umol/mol")),
    _NGSP.map(lambda v: ifcc(v, "mL/L")),  # a volume fraction: another scale, no conversion
)
_THRESHOLDS = st.one_of(
    st.decimals(min_value=4, max_value=15, places=2).map(lambda d: f"{d} %"),
    st.decimals(min_value=20, max_value=140, places=1).map(lambda d: f"{d} mmol/mol"),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    threshold=_THRESHOLDS,
    op=st.sampled_from(["<", "<=", ">", ">=", "="]),
    values=st.lists(st.tuples(_RECORDED, _RECORDED), min_size=1, max_size=6),
)
def test_engines_agree_on_values_in_either_unit(
    threshold: str, op: str, values: list[tuple[Any, Any]]
) -> None:
    spec = spec_with(
        f'exclusion E1 "NGSP item" = labs.hba1c {op} {threshold}\n'
        f'exclusion E2 "IFCC item" = labs.hba1c_ifcc {op} {threshold}\n'
    )
    batch = subjects(*(labs(hba1c=a, hba1c_ifcc=b) for a, b in values))
    three_ways(spec, batch)
    # and the interpreter's reading is the master equation, exactly
    for subject, (a, _b) in zip(batch, values, strict=True):
        if isinstance(a, dict) and a["unit"] == "mmol/mol":
            expected = Fraction("0.09148") * Fraction(repr(a["value"])) + Fraction("2.152")
            result = evaluate_subject(spec, subject)
            if not (3 <= expected <= 20):
                # out of the NGSP item's range (the IFCC item's own value may be too)
                assert "hba1c" in [p.item for p in result.invalid]
            else:
                assert result.invalid == [] or all(p.item != "hba1c" for p in result.invalid)


def test_threshold_is_converted_exactly() -> None:
    # 64 mmol/mol is 8.00672 % exactly: the rewritten threshold keeps every digit
    from protocol_dsl.semantics.conversions import threshold_on_item_scale
    from protocol_dsl.spec import Scope

    spec = spec_with('exclusion E1 "x" = labs.hba1c > 64 mmol/mol\n')
    rule = spec.criteria[0].rule
    rewritten = threshold_on_item_scale(spec, Scope(spec), rule)
    assert rewritten.right.quantity.value == Decimal("8.00672")
    assert rewritten.right.quantity.unit == "%"
