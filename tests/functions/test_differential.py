"""Differential property tests of the functions of numbers and of mean/median over records.

The interpreter, DuckDB SQL and the generated module give the same status for
every criterion on subjects whose values sit on, just below and just above
each threshold (halves for rounding, perfect squares for roots), outside a
function's domain (the root of a negative number, the logarithm of zero),
missing, and with logs whose records are in doubt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.compiler import compile_spec
from tests.sql.test_differential import three_ways

SPEC = """\
trial FUNCTIONS {
  title "Functions of numbers"
}

visit SCR "Screening" day -14 .. -1
visit D1 "Day 1" day 1

anchor screening "Screening" = visit SCR

form labs "Laboratory" at SCR {
  x quantity mg/dL "X" range -5 .. 100
  y number "Y" range -10 .. 10
  k integer "K" range -3 .. 3
  area quantity m2 "Area" range 0 .. 10
}

form ecg "ECG" repeating at SCR {
  qtcf quantity ms "QTcF" range 300 .. 600
  done yes_no "Done"
}

inclusion root "Root" = sqrt(labs.x / 1 mg/dL) > 5
inclusion half_up "Half up" = round(labs.y, 1) >= 2.5
inclusion whole "Whole" = round(labs.x, 0) = 10 mg/dL
inclusion tens "Tens" = round(labs.y * 100, -1) = 250
inclusion down "Down" = floor(labs.y) = 2
inclusion up "Up" = ceiling(labs.y) = 3
inclusion exponential "Exponential" = exp(labs.y) > 20
inclusion logarithm "Logarithm" = ln(labs.x / 1 mg/dL) < 2
inclusion whole_power "Whole power" = power(labs.y, labs.k) > 4
inclusion fractional_power "Fractional power" = power(labs.x / 1 mg/dL, 0.5) <= 3
inclusion squared "Squared" = power(labs.x, 2) > 0.0625 g2/L2
inclusion side "Side" = sqrt(labs.area) >= 150 cm
inclusion mean_qtc "Mean QTcF" = mean(ecg.qtcf where done = yes) > 450 ms
inclusion median_qtc "Median QTcF" = median(ecg.qtcf) >= 460 ms
inclusion mean_known "Mean known" = mean(ecg.qtcf) is known
"""

_X = [-1, 0, 1, 4, 7.389, 9, 9.49, 9.5, 10, 10.49, 10.5, 24.99, 25, 25.01, 100, None, "n/a"]
_Y = [-10, -2.45, -2, 0, 2, 2.449, 2.45, 2.5, 2.95, 2.9957, 3, 3.0001, 10, None]
_K = [-3, -2, -1, 0, 1, 2, 3, None]
_AREA = [0, 2.25, 2.2499, 2.2501, 4, None]
_QTCF = [440, 450, 450.5, 460, 470, None]


def _spec_path(tmp: Path) -> Path:
    path = tmp / "functions.trial"
    path.write_text(SPEC, encoding="utf-8")
    return path


_SPEC = None


def _spec() -> Any:
    global _SPEC
    if _SPEC is None:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            result = compile_spec(str(_spec_path(Path(folder))))
            assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
            _SPEC = result.spec
    return _SPEC


@st.composite
def _subject(draw: st.DrawFn, number: int) -> dict[str, Any]:
    labs = {
        "x": draw(st.sampled_from(_X)),
        "y": draw(st.sampled_from(_Y)),
        "k": draw(st.sampled_from(_K)),
        "area": draw(st.sampled_from(_AREA)),
    }
    forms: dict[str, Any] = {"labs": {"SCR": {k: v for k, v in labs.items() if v is not None}}}
    if draw(st.booleans()) or number == 0:
        records = draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "qtcf": st.sampled_from(_QTCF),
                        "done": st.sampled_from([True, True, False, None]),
                    }
                ),
                max_size=5,
            )
        )
        forms["ecg"] = records
    return {
        "subject_id": f"S{number}",
        "visits": {"SCR": "2025-01-06", "D1": "2025-01-20"},
        "forms": forms,
    }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_functions_agree_in_every_engine(data: st.DataObject) -> None:
    size = data.draw(st.integers(min_value=1, max_value=6))
    subjects = [data.draw(_subject(number)) for number in range(size)]
    three_ways(_spec(), subjects)


def test_every_status_occurs() -> None:
    """The values drawn decide each criterion both ways (the property test is not vacuous)."""
    from protocol_dsl.evaluate import evaluate_subject

    spec = _spec()
    statuses: dict[str, set[str]] = {}
    logs = ([440, 450], [460, 470, 450.5], [460, None])
    for number in range(len(_X) * 2):
        labs = {
            "x": _X[number % len(_X)],
            "y": _Y[number % len(_Y)],
            "k": _K[number % len(_K)],
            "area": _AREA[number % len(_AREA)],
        }
        subject = {
            "subject_id": "S",
            "visits": {"SCR": "2025-01-06", "D1": "2025-01-20"},
            "forms": {
                "labs": {"SCR": labs},
                "ecg": [{"qtcf": q, "done": True} for q in logs[number % len(logs)]],
            },
        }
        result = evaluate_subject(spec, subject)
        for cid, criterion in result.criteria.items():
            statuses.setdefault(cid, set()).add(criterion.status)
    lacking = {cid: found for cid, found in statuses.items() if not {"met", "not_met"} <= found}
    assert not lacking
