"""Units through functions of numbers, checked statically and converted at run time.

A ratio of two quantities of one kind is a number whatever their units
(1.7 m / 1 cm is 170), so a formula that divides its inputs by the units it
was fitted in reads values recorded in other units correctly; the root of an
area is a length and a square an area, compared with thresholds in other
units.  Every engine agrees.
"""

from __future__ import annotations

from typing import Any

import pytest

from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import evaluate_subject
from protocol_dsl.semantics.types import power_unit, root_unit
from tests.functions.test_organ_function import LIBRARY
from tests.sql.test_differential import three_ways

SPEC = """\
trial UNITS {
  title "Units"
}

use "LIBRARY" as organ

visit SCR "Screening" day -14 .. -1
visit D1 "Day 1" day 1

anchor screening "Screening" = visit SCR

form vitals "Vital signs" at SCR {
  height quantity m "Height"
  area quantity m2 "Area"
}

collect organ.organ_function_form at SCR

inclusion ratio "Height over 150 cm as a number" = vitals.height / 1 cm > 150
inclusion side "Side of the area" = sqrt(vitals.area) > 150 cm
inclusion square "Square of the height" = power(vitals.height, 2) <= 30000 cm2
inclusion bsa "BSA from pounds and inches" = round(organ.bsa_mosteller at SCR / 1 m2, 3) = 1.818
""".replace("LIBRARY", str(LIBRARY))


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("units") / "units.trial"
    path.write_text(SPEC, encoding="utf-8")
    result = compile_spec(str(path))
    assert not [d for d in result.diagnostics if d.severity == "error"]
    return result.spec


def _subject(height: float, area: float) -> dict[str, Any]:
    # 170 cm and 70 kg recorded as inches and pounds
    organ = {
        "age": 60,
        "sex": "male",
        "height": {"value": 66.929133858, "unit": "[in_i]"},
        "weight": {"value": 154.32358353, "unit": "[lb_av]"},
        "creatinine": 1.0,
    }
    return {
        "subject_id": f"U{height}-{area}",
        "visits": {"SCR": "2025-01-06", "D1": "2025-01-20"},
        "forms": {
            "vitals": {"SCR": {"height": height, "area": area}},
            "organ.organ_function_form": {"SCR": organ},
        },
    }


def test_units_convert_in_every_engine(spec: Any) -> None:
    tall = _subject(1.7, 2.3)
    result = evaluate_subject(spec, tall)
    assert {cid: c.status for cid, c in result.criteria.items()} == {
        "ratio": "met",
        "side": "met",
        "square": "met",
        "bsa": "met",
    }
    short = _subject(1.5, 2.25)
    result = evaluate_subject(spec, short)
    assert result.criteria["ratio"].status == "not_met"
    assert result.criteria["side"].status == "not_met"  # exactly 150 cm
    three_ways(spec, [tall, short, _subject(1.74, 3.0)])


def test_unit_of_a_root_and_of_a_power() -> None:
    assert root_unit("m2") == "m"
    assert root_unit("cm2.kg2") == "cm.kg"
    assert root_unit("m2/s2") == "m/s"
    assert root_unit("kg") is None
    assert root_unit("(cm).(kg)") is None
    assert power_unit("cm", 2) == "(cm).(cm)"
    assert power_unit("cm", -1) == "1/((cm))"
    assert power_unit("cm", 0) == "1"
