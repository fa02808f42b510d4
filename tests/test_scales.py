"""Scales: which units UCUM relates by a factor measure the same thing, and declared formulas."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocol_dsl import model as m
from protocol_dsl.semantics import scales
from protocol_dsl.semantics.conversions import Affine, NotAffine, affine
from protocol_dsl.semantics.units import annotations, compatible, convert
from protocol_dsl.syntax.parser import parse_module


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("%", "1"),  # a fraction is a fraction, whichever way it is written
        ("%", "10*-2"),
        ("%", "[ppm]"),
        ("mmol/mol", "umol/mol"),
        ("mg/g", "ug/mg"),
        ("mL/min/{1.73_m2}", "L/min/{1.73_m2}"),
        ("mL/min/{1.73_m2}", "mL/(min.{1.73_m2})"),
        ("{cells}/uL", "10*9/L"),  # a label above the line names what is counted
        ("{beats}/min", "/min"),
        ("mg/dL", "g/L"),
        ("Cel", "[degF]"),
    ],
)
def test_one_scale(a: str, b: str) -> None:
    assert scales.same_scale(a, b)
    assert scales.same_scale(b, a)
    assert not scales.different_scales(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("%", "mmol/mol"),  # HbA1c NGSP and IFCC
        ("1", "mmol/mol"),
        ("%", "L/L"),  # a volume fraction says what it is a fraction of
        ("mg/g", "mmol/mol"),
        ("mg/kg", "%"),
        ("mL/min", "mL/min/{1.73_m2}"),  # a clearance and an eGFR
        ("mg/g", "mg/g{creat}"),
        ("mg/g{creat}", "mg/g{Hb}"),
    ],
)
def test_other_scales(a: str, b: str) -> None:
    assert compatible(a, b), "UCUM alone would convert these by a factor"
    assert not scales.same_scale(a, b)
    assert scales.different_scales(a, b)
    assert scales.different_scales(b, a)


def test_units_of_other_dimensions_are_not_other_scales_of_one_measurement() -> None:
    assert not scales.same_scale("mg/dL", "mmol/L")
    assert not scales.different_scales("mg/dL", "mmol/L")
    assert not scales.same_scale("mg", "not a unit")
    assert not scales.different_scales("mg", "not a unit")


def test_annotations_know_their_side_of_the_line() -> None:
    assert annotations("mL/min/{1.73_m2}") == (("{1.73_m2}", -1),)
    assert annotations("mL/(min.{1.73_m2})") == (("{1.73_m2}", -1),)
    assert annotations("{cells}/uL") == (("{cells}", 1),)
    assert annotations("mg/g{creat}") == (("{creat}", -1),)
    assert annotations("/({x}.m)") == (("{x}", -1),)
    assert annotations("g{Hb}/dL") == (("{Hb}", 1),)
    assert annotations("%") == ()


def test_describe_scale_names_the_basis() -> None:
    assert scales.describe_scale("mmol/mol") == "mmol/mol (amount fraction)"
    assert scales.describe_scale("mL/min/{1.73_m2}") == (
        "mL/min/{1.73_m2} (volume per time (flow rate) per {1.73_m2})"
    )


_POOL = (
    "%", "1", "10*-2", "[ppm]", "mmol/mol", "umol/mol", "mg/g", "g/g", "L/L", "mL/L",
    "mg/kg", "mL/min", "L/h", "mL/min/{1.73_m2}", "L/min/{1.73_m2}", "{cells}/uL",
    "10*9/L", "/nL", "mg/g{creat}", "ug/g{creat}", "g/L", "mg/dL", "Cel", "K",
)  # fmt: skip


@given(st.sampled_from(_POOL), st.sampled_from(_POOL), st.sampled_from(_POOL))
def test_one_scale_is_an_equivalence_finer_than_ucum(a: str, b: str, c: str) -> None:
    assert scales.same_scale(a, a)
    assert scales.same_scale(a, b) == scales.same_scale(b, a)
    if scales.same_scale(a, b) and scales.same_scale(b, c):
        assert scales.same_scale(a, c)
    if scales.same_scale(a, b):
        assert compatible(a, b)
    # every pair UCUM relates is either one scale or other scales, never both
    assert compatible(a, b) == (scales.same_scale(a, b) or scales.different_scales(a, b))


def test_units_convert_still_follows_ucum() -> None:
    # the UCUM layer is unchanged: scales are a rule on top of it
    assert convert(4500.0, "{cells}/uL", "10*9/L") == pytest.approx(4.5)
    assert convert(50.0, "%", "1") == 0.5


# ---------------------------------------------------------------- formulas


def _formula(text: str) -> m.Expr:
    module, diagnostics = parse_module(
        f"conversion c from mmol/mol to % = {text} [LOINC 4548-4]\n", "c.trial"
    )
    assert module is not None and not diagnostics, diagnostics
    decl = module.declarations[0]
    assert isinstance(decl, m.Conversion)
    return decl.expr


@pytest.mark.parametrize(
    ("text", "slope", "intercept"),
    [
        ("0.09148 * value + 2.152", "0.09148", "2.152"),
        ("value * 0.09148 + 2.152", "0.09148", "2.152"),
        ("2.152 + 0.09148 * value", "0.09148", "2.152"),
        ("(value - 23.5) / 10.93", "1/10.93", "-23.5/10.93"),
        ("value / 18.016", "1/18.016", "0"),
        ("-value + 10", "-1", "10"),
        ("10 - 2 * (value + 1)", "-2", "8"),
    ],
)
def test_formula_is_read_as_a_change_of_scale(text: str, slope: str, intercept: str) -> None:
    def exact(part: str) -> Fraction:
        top, _, bottom = part.partition("/")
        return Fraction(Decimal(top)) / Fraction(Decimal(bottom or "1"))

    assert affine(_formula(text)) == Affine(exact(slope), exact(intercept))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("value * value", "`value` times `value`"),
        ("1 / value", "dividing by `value`"),
        ("value / 0", "division by zero"),
        ("0 * value + 7", "does not depend on `value`"),
        ("value - value + 7", "does not depend on `value`"),
        ("labs.hba1c + 1", "`labs.hba1c` is not known"),
        ("value + 2 mmol/mol", "have no unit"),
        ("abs(value)", "arithmetic on `value` and numbers"),
    ],
)
def test_formula_that_is_not_a_change_of_scale(text: str, reason: str) -> None:
    with pytest.raises(NotAffine) as raised:
        affine(_formula(text))
    assert reason in raised.value.message


def test_the_hba1c_master_equation() -> None:
    ngsp = affine(_formula("0.09148 * value + 2.152"))
    # the case: 75 mmol/mol is 9.0 % NGSP, not the 7.5 % a factor would give
    assert ngsp(Fraction(75)) == Fraction("9.013")
    assert ngsp(Fraction(64)) == Fraction("8.00672")
    # the published inverse, IFCC = 10.93 * NGSP - 23.50, agrees to the rounding of its factors
    assert abs(ngsp.inverse()(Fraction(8)) - (Fraction("10.93") * 8 - Fraction("23.50"))) < 0.1


_DECIMALS = st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False).map(Fraction)


@given(_DECIMALS.filter(bool), _DECIMALS, _DECIMALS, _DECIMALS.filter(bool), _DECIMALS, _DECIMALS)
def test_affine_maps_compose_and_invert_exactly(
    a: Fraction, b: Fraction, x: Fraction, c: Fraction, d: Fraction, y: Fraction
) -> None:
    f, g = Affine(a, b), Affine(c, d)
    assert f.inverse()(f(x)) == x
    assert f(f.inverse()(x)) == x
    assert f.then(g)(x) == g(f(x))
    assert f.then(g).inverse()(y) == f.inverse()(g.inverse()(y))


def test_cdisc_egfr_unit_reads_on_the_egfr_scale() -> None:
    from protocol_dsl.data.sdtm import CDISC_UNITS

    egfr = CDISC_UNITS["mL/min/1.73m2"]
    assert scales.same_scale(egfr, "mL/min/{1.73_m2}")
    assert scales.different_scales(egfr, "mL/min")
    for ucum in CDISC_UNITS.values():  # every mapped term is a unit the checker accepts
        assert scales.scale_of(ucum) is not None


def test_the_loinc_code_names_the_scale() -> None:
    assert scales.code_scale([("LOINC", "4548-4")]) == ("4548-4", "%")
    assert scales.code_scale([("loinc", "59261-8")]) == ("59261-8", "mmol/mol")
    assert scales.code_scale([("SNOMED", "4548-4"), ("LOINC", "62238-1")]) == (
        "62238-1",
        "mL/min/{1.73_m2}",
    )
    assert scales.code_scale([("LOINC", "4485-9")]) is None  # C3: one scale only
    # the table's units are valid UCUM, on the scales the comments say
    assert scales.different_scales(scales.LOINC_SCALES["4548-4"], scales.LOINC_SCALES["59261-8"])
    assert scales.different_scales(scales.LOINC_SCALES["62238-1"], scales.LOINC_SCALES["2164-2"])


# ---------------------------------------------------------------- the solver reads thresholds too

_SOLVER_SPEC = """
trial SOLVER {
  title "Solver"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1  "Day 1" day 1

anchor screening = visit SCR
anchor first_dose = visit D1

conversion hba1c_ifcc_to_ngsp from mmol/mol to % = 0.09148 * value + 2.152 [LOINC 4548-4]

form labs "Laboratory" at SCR {
  hba1c quantity % "HbA1c (NGSP)" range 3 .. 20 [LOINC 4548-4]
}
"""


def _codes_of(rules: str) -> list[str]:
    from protocol_dsl.compiler import compile_spec

    result = compile_spec("solver.trial", _SOLVER_SPEC + rules)
    return sorted(d.code for d in result.diagnostics if d.code[1:3] in ("03", "04"))


def test_solver_and_range_check_read_the_threshold_through_the_formula() -> None:
    pytest.importorskip("z3")
    # 8.005 % < HbA1c < 64 mmol/mol (8.00672 %) is possible: a factor (6.4 %) would say no
    # subject can be eligible
    both = 'inclusion I1 "a" = labs.hba1c > 8.005 %\ninclusion I2 "b" = labs.hba1c < 64 mmol/mol\n'
    assert _codes_of(both) == []
    # 197 mmol/mol is 20.17 %, above the range (a factor would read 19.7 %, within it)
    assert _codes_of('inclusion I1 "a" = labs.hba1c > 197 mmol/mol\n') == ["E0405"]
    assert _codes_of('inclusion I1 "a" = labs.hba1c > 195 mmol/mol\n') == []
