"""A sum of values that may be below zero.

Regression test: the interpreter computed the static lower bound of a sum by
multiplying the lowest value by a float infinity, which raised a TypeError when
that value was an exact decimal (a value derived on the record, `dose - 10 mg/d`),
so a criterion summing it could not be screened at all.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.sql.run import screen_with_duckdb
from protocol_dsl.evaluate import Quantity, evaluate_expr, evaluate_subject
from protocol_dsl.spec import Spec
from tests.evaluate.conftest import compiled
from tests.sql.test_differential import generated_module

SPEC = """\
trial BELOW {
  title "Sums below zero"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1

form doses "Doses" repeating at SCR {
  dose quantity mg/d "Dose"
  derive excess "Dose above 10 mg/d" = dose - 10 mg/d
}

inclusion I1 "Total excess" = sum(doses.excess) >= 3 mg/d
"""


@cache
def spec() -> Spec:
    return compiled("below.trial", SPEC)


def subject(doses: list[Any]) -> dict[str, Any]:
    return {
        "subject_id": "S1",
        "visits": {"SCR": "2025-01-06"},
        "forms": {"doses": [{"dose": d} for d in doses]},
    }


@pytest.mark.parametrize(
    ("doses", "expected"),
    [([20.1, 3], "met"), ([13], "met"), ([12.9], "not_met"), ([1, 2, 30], "met"), ([5], "not_met")],
)
def test_every_engine_screens_a_sum_of_values_below_zero(doses: list[float], expected: str) -> None:
    record = subject(doses)
    (row,) = screen_with_duckdb(spec(), [record])
    interpreted = evaluate_subject(spec(), record)
    engines = {
        "interpreter": {cid: c.status for cid, c in interpreted.criteria.items()},
        "module": generated_module(spec()).screen(record)["criteria"],
        "duckdb": row["criteria"],
    }
    assert engines["module"] == engines["interpreter"] == engines["duckdb"], engines
    assert engines["interpreter"]["I1"] == expected


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False),
        min_size=1,
        max_size=5,
    )
)
def test_the_sum_is_the_sum_of_the_derived_values(doses: list[Decimal]) -> None:
    # at least one record: an empty log without a "none" question is unknown
    value = evaluate_expr(spec(), "sum(doses.excess)", subject([str(d) for d in doses])).value
    expected = sum((d - 10 for d in doses), Decimal(0))
    assert value == Quantity(float(expected), "mg/d")
