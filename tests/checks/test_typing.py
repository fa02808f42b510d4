"""The type of expressions (`protocol_dsl.semantics.types`), as the back ends see it through `infer`."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_dsl import model as m
from protocol_dsl.compiler import compile_spec
from protocol_dsl.semantics import types as t
from protocol_dsl.spec import Scope

HEADER = """
trial T { title "Types" }
visit SCR "Screening" day -14 .. -1
visit D1 "Day 1" day 1
anchor screening "Screening" = visit SCR
codelist sex "Sex" {
  female "Female"
  male "Male"
}
form f "Form" at SCR {
  born date "Born"
  sex choice sex "Sex"
  smoker yes_no "Smoker"
  c3 quantity g/L "C3"
  count integer "Count"
  ana titer "ANA"
  remark text "Remark"
}
form meds "Medications" repeating at SCR {
  dose quantity mg/d "Dose"
  start date "Start"
}
"""


def _define(expr: str) -> t.Type:
    result = compile_spec("types.trial", HEADER + f"define x = {expr}\n")
    assert result.spec is not None
    (define,) = result.spec.module.of_type(m.Define)
    return t.infer(define.expr, Scope(result.spec), result.spec)


def test_literals_and_items() -> None:
    assert _define("18") == t.Number(integer=True)
    assert _define("1.5") == t.Number()
    assert _define("12 weeks") == t.Quantity("wk")
    assert _define("f.c3") == t.Quantity("g/L")
    assert _define("f.born") == t.Date()
    assert _define("f.ana") == t.Titer()
    assert _define("f.smoker") == t.Boolean()
    assert _define("f.remark") == t.Text()
    assert _define("1:80") == t.Titer()
    choice = _define("f.sex")
    assert isinstance(choice, t.Choice) and choice.codelist is not None
    assert choice.codelist.name == "sex"
    assert _define("female") == t.CodeValue("female")


def test_dates_and_durations() -> None:
    assert _define("f.born + 18 years") == t.Date()
    assert _define("screening - f.born") == t.Quantity("d")
    assert _define("years_between(f.born, screening)") == t.Number(integer=True)
    assert _define("screening - f.born").is_duration  # type: ignore[attr-defined]


def test_arithmetic_and_aggregates() -> None:
    assert _define("f.c3 * 2") == t.Quantity("g/L")
    assert _define("f.c3 / f.c3") == t.Number()
    assert _define("f.count + 1") == t.Number(integer=True)
    assert _define("count(meds where dose > 10 mg/d)") == t.Number(integer=True, interval=True)
    assert _define("sum(meds.dose)") == t.Quantity("mg/d", interval=True)
    assert _define("min(meds.start)") == t.Date()
    assert _define("if f.smoker = yes then 1 else 2") == t.Number(integer=True)


def test_conditions() -> None:
    for expr in (
        "f.c3 < 0.9",
        "f.sex = female and f.smoker = yes",
        "not f.smoker",
        "any meds where dose > 10 mg/d",
        "f.remark is known",
        "f.born within 1 year before screening",
    ):
        assert _define(expr) == t.Boolean(), expr


def test_unknown_names_give_unknown_not_errors() -> None:
    assert _define("f.nothing + 1") == t.Unknown()


def test_describe_speaks_plain_words() -> None:
    assert t.describe(t.Quantity("g/L")) == "a quantity in g/L (mass concentration)"
    assert t.describe(t.Quantity("wk")) == "a duration in weeks"
    assert t.describe(t.Number(integer=True)) == "a whole number"


_UNITS = ["g/L", "mg/dL", "mg", "g", "kg", "mg/kg", "[IU]/mL", "[IU]/L", "d", "wk", "%", "mL"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_UNITS), st.sampled_from(_UNITS))
def test_a_threshold_is_an_error_exactly_when_its_unit_is_not_comparable(a: str, b: str) -> None:
    source = HEADER.replace('c3 quantity g/L "C3"', f"c3 quantity '{a}' \"C3\"")
    result = compile_spec("units.trial", source + f"inclusion I1 \"C3\" = f.c3 < 1 '{b}'\n")
    codes = {d.code for d in result.diagnostics if d.is_error}
    assert ("E0304" in codes) == (not t.units_comparable(a, b)), codes
    assert codes <= {"E0304"}
