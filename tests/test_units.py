"""Tests for protocol_dsl.semantics.units: UCUM parsing, kinds, compatibility and conversion."""

from __future__ import annotations

import math
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_dsl.semantics.units import (
    ARBITRARY_UNITS,
    BASE_DIMENSIONS,
    DIMENSION_NAMES,
    Unit,
    UnitError,
    compatible,
    convert,
    describe_dimension,
    format_unit,
    is_dimensionless,
    is_time,
    parse_unit,
    time_unit,
)

DAY = 86400.0

# Every unit the language must accept, with its kind and its factor to base
# units (m, g, s, mol, K).
KNOWN = [
    ("g/L", "mass concentration", 1e3),
    ("mg/dL", "mass concentration", 10.0),
    ("mg", "mass", 1e-3),
    ("ug", "mass", 1e-6),
    ("ng/mL", "mass concentration", 1e-3),
    ("mg/kg", "mass per body mass", 1e-6),
    ("mg/d", "mass per time (dose rate)", 1e-3 / DAY),
    ("mg/m2", "mass per area", 1e-3),
    ("[IU]/mL", "arbitrary units per volume", 1e6),
    ("[iU]/mL", "arbitrary units per volume", 1e6),
    ("U/L", "catalytic activity concentration", 1e-6 / 60 / 1e-3),
    ("10*9/L", "count per volume", 1e12),
    ("10*12/L", "count per volume", 1e15),
    ("mmol/L", "amount concentration", 1.0),
    ("umol/L", "amount concentration", 1e-3),
    ("%", "dimensionless", 0.01),
    ("Cel", "temperature", 1.0),
    ("[degF]", "temperature", 5 / 9),
    ("kg", "mass", 1e3),
    ("cm", "length", 1e-2),
    ("m2", "area", 1.0),
    ("kg/m2", "mass per area", 1e3),
    ("mm[Hg]", "pressure", 133322.0),
    ("/[HPF]", "count per high-power field", 1.0),
    ("{cells}/uL", "count per volume", 1e9),
    ("/uL", "count per volume", 1e9),
    ("g/(24.h)", "mass per time (dose rate)", 1 / DAY),
    ("g/24.h", "mass·time", 3600 / 24),
    ("mL/min/{1.73_m2}", "volume per time (flow rate)", 1e-6 / 60),
    ("1", "dimensionless", 1.0),
    ("[arb'U]/mL", "arbitrary units per volume", 1e6),
    ("s", "time", 1.0),
    ("min", "time", 60.0),
    ("h", "time", 3600.0),
    ("d", "time", DAY),
    ("wk", "time", 7 * DAY),
    ("mo", "time", 30.4375 * DAY),
    ("a", "time", 365.25 * DAY),
    ("L", "volume", 1e-3),
    ("mL", "volume", 1e-6),
    ("mol", "amount of substance", 1.0),
    ("eq", "amount of substance", 1.0),
    ("meq/L", "amount concentration", 1.0),
    ("mm", "length", 1e-3),
    ("cm2", "area", 1e-4),
    ("km", "length", 1e3),
    ("/min", "frequency", 1 / 60),
    ("{beats}/min", "frequency", 1 / 60),
    ("mg/kg/d", "mass per body mass per time", 1e-6 / DAY),
    ("mL/kg", "volume per body mass", 1e-9),
    ("[IU]/kg", "arbitrary units per body mass", 1e-3),
    ("mg/g", "mass ratio", 1e-3),
    ("L/L", "volume fraction", 1.0),
    ("mmol/mol", "amount fraction", 1e-3),
    ("m[IU]/L", "arbitrary units per volume", 1.0),
    ("[pH]", "pH", 1.0),
    ("10^9/L", "count per volume", 1e12),
]


@pytest.mark.parametrize(("text", "kind", "factor"), KNOWN)
def test_known_units_parse_with_kind_and_factor(text: str, kind: str, factor: float) -> None:
    unit = parse_unit(text)
    assert unit.text == text
    assert len(unit.dimension) == len(DIMENSION_NAMES)
    assert math.isclose(unit.factor, factor, rel_tol=1e-12)
    assert describe_dimension(unit) == kind


def test_dimension_axes_are_the_seven_bases_then_the_arbitrary_units() -> None:
    assert BASE_DIMENSIONS[:3] == ("length", "mass", "time")
    assert DIMENSION_NAMES == BASE_DIMENSIONS + ARBITRARY_UNITS
    assert parse_unit("mg/dL").dimension[:7] == (-3, 1, 0, 0, 0, 0, 0)
    assert parse_unit("[IU]/mL").arbitrary == frozenset({"[IU]"})
    assert parse_unit("[iU]/mL").arbitrary == frozenset({"[IU]"})
    assert parse_unit("mg/dL").arbitrary == frozenset()


def test_parse_is_cached() -> None:
    assert parse_unit("mg/dL") is parse_unit("mg/dL")


# ---------------------------------------------------------------- grammar


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("min", "60.s"),  # a whole atom, not milli-inch
        ("mo", "304375.d/10000"),  # not milli-o; 30.4375 d as an integer ratio
        ("cd", "cd"),
        ("Cel", "K"),
        ("cm", "m/100"),
        ("dam", "10.m"),  # deca before deci
        ("Mm", "1000.km"),
        ("kat", "mol/s"),
        ("N", "kg.m/s2"),  # '.' multiplication and exponents
        ("s-1", "/s"),
        ("Hz", "s-1"),
        ("10*-3", "/1000"),
        ("10*+3", "1000"),
        ("kg/m.s2", "kg.s2/m"),  # left-associative: (kg/m).s2
        ("kg/(m.s2)", "Pa"),
        ("g/(24.h)", "g/d"),
        ("g{Hb}/dL", "g/dL"),  # annotations are ignored
        ("{copies}/mL", "/mL"),
        ("(mg)", "mg"),
        ("/min.g", "g/min"),  # a leading '/' inverts only the unit after it
        ("/(min.g)", "/g/min"),
        ("mg%", "mg/dL"),
        ("/nL", "10*9/L"),
        ("mm[Hg]", "133322.Pa/1000"),
        ("a", "12.mo"),
        ("wk", "7.d"),
    ],
)
def test_equivalent_spellings(text: str, same_as: str) -> None:
    a, b = parse_unit(text), parse_unit(same_as)
    assert a.dimension == b.dimension
    assert math.isclose(a.factor, b.factor, rel_tol=1e-12)


def test_division_is_left_associative_so_g_per_24_dot_h_is_not_per_day() -> None:
    unit = parse_unit("g/24.h")
    assert unit.terms == (("g", 1), ("24", -1), ("h", 1))
    assert not compatible(unit, "g/d")
    with pytest.raises(UnitError) as raised:
        convert(1.0, unit, parse_unit("g/d"))
    assert "write 'g/(24.h)' for 'per 24 h'" in str(raised.value)


def test_terms_flatten_the_unit() -> None:
    assert parse_unit("mg/kg/d").terms == (("mg", 1), ("kg", -1), ("d", -1))
    assert parse_unit("10*9/L").terms == (("10*", 9), ("L", -1))
    assert parse_unit("/(m.s)").terms == (("m", -1), ("s", -1))


def test_whitespace_around_operators_is_tolerated_and_formatted_away() -> None:
    unit = parse_unit(" mg / dL ")
    assert unit.dimension == parse_unit("mg/dL").dimension
    assert format_unit(unit) == "mg/dL"
    assert format_unit("g{Hb} / ( 24 . h )") == "g{Hb}/(24.h)"
    assert format_unit(format_unit(unit)) == "mg/dL"


def test_unit_built_by_hand_gets_exact_numbers_from_its_floats() -> None:
    unit = Unit(text="x", dimension=parse_unit("g").dimension, factor=0.5)
    assert unit.exact_factor == (1, 2)
    assert unit.exact_offset == (0, 1)
    assert convert(3.0, unit, "g") == 1.5


# ---------------------------------------------------------------- conversion


@pytest.mark.parametrize(
    ("value", "from_", "to", "expected"),
    [
        (1.0, "g/L", "mg/dL", 100.0),
        (100.0, "mg/dL", "g/L", 1.0),
        (0.9, "g/L", "mg/dL", 90.0),
        (1.1, "g/L", "mg/dL", 110.0),  # exact, not 110.00000000000001
        (18.0, "mg/dL", "g/L", 0.18),
        (500.0, "ug", "mg", 0.5),
        (0.3, "mg", "ug", 300.0),
        (12.0, "wk", "d", 84.0),
        (28.0, "d", "wk", 4.0),
        (1.0, "mo", "d", 30.4375),
        (1.0, "a", "d", 365.25),
        (6.0, "mo", "a", 0.5),
        (90.0, "min", "h", 1.5),
        (37.0, "Cel", "[degF]", 98.6),
        (98.6, "[degF]", "Cel", 37.0),
        (32.0, "[degF]", "Cel", 0.0),
        (-40.0, "Cel", "[degF]", -40.0),
        (0.0, "Cel", "K", 273.15),
        (300.0, "K", "Cel", 26.85),
        (4.5, "10*9/L", "/nL", 4.5),
        (4500.0, "/uL", "10*9/L", 4.5),
        (4500.0, "{cells}/uL", "10*9/L", 4.5),
        (2.0, "[IU]/mL", "[iU]/mL", 2.0),
        (250.0, "m[IU]/L", "[IU]/L", 0.25),
        (5.0, "mg/kg", "ug/kg", 5000.0),
        (5.0, "mg/kg", "mg/g", 0.005),
        (1.0, "meq/L", "mmol/L", 1.0),
        (50.0, "%", "1", 0.5),
        (2.0, "g/(24.h)", "mg/d", 2000.0),
        (120.0, "mm[Hg]", "kPa", 15.99864),
        (1.0, "[lb_av]", "kg", 0.45359237),
    ],
)
def test_convert(value: float, from_: str, to: str, expected: float) -> None:
    assert convert(value, parse_unit(from_), parse_unit(to)) == pytest.approx(expected, rel=1e-12)


def test_convert_is_exact_on_the_written_decimal() -> None:
    # A threshold "> 110 mg/dL" must not be met by exactly 1.1 g/L.
    assert convert(1.1, parse_unit("g/L"), parse_unit("mg/dL")) == 110.0
    assert convert(37.0, parse_unit("Cel"), parse_unit("[degF]")) == 98.6
    assert convert(0.18, parse_unit("g/L"), parse_unit("mg/dL")) == 18.0


def test_convert_to_the_same_unit_is_the_identity() -> None:
    assert convert(1.1, "mg", "mg") == 1.1
    assert math.isnan(convert(math.nan, "g/L", "mg/dL"))
    assert convert(math.inf, "g/L", "mg/dL") == math.inf
    assert convert(1e308, "Tg", "fg") == math.inf
    assert convert(-1e308, "Tg", "fg") == -math.inf


# ---------------------------------------------------------------- compatibility


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ("mg", "mg/kg", "mg (mass) cannot be compared with mg/kg (mass per body mass)"),
        (
            "g/L",
            "[IU]/mL",
            "g/L (mass concentration) cannot be compared with [IU]/mL (arbitrary units per volume)",
        ),
        ("d", "mg", "d (time) cannot be compared with mg (mass)"),
        ("mg/d", "mg", "mg/d (mass per time (dose rate)) cannot be compared with mg (mass)"),
        ("mmol/L", "mg/dL", "mmol/L (amount concentration) cannot be compared with mg/dL"),
        ("{cells}/uL", "mmol/L", "{cells}/uL (count per volume) cannot be compared with mmol/L"),
        ("[IU]/mL", "[arb'U]/mL", "[IU]/mL (arbitrary units per volume) cannot be compared"),
        ("/[HPF]", "/[LPF]", "/[HPF] (count per high-power field) cannot be compared"),
        ("[pH]", "1", "[pH] (pH) cannot be compared with 1 (dimensionless)"),
        ("U/L", "[IU]/L", "U/L (catalytic activity concentration) cannot be compared"),
    ],
)
def test_incompatible_units(a: str, b: str, message: str) -> None:
    ua, ub = parse_unit(a), parse_unit(b)
    assert not compatible(ua, ub)
    assert not compatible(ub, ua)
    with pytest.raises(UnitError) as raised:
        convert(1.0, ua, ub)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("mg/dL", "g/L"),
        ("10*9/L", "/nL"),
        ("[IU]/mL", "[iU]/mL"),
        ("{beats}/min", "/min"),
        ("mL/min/{1.73_m2}", "mL/min"),
        ("Cel", "[degF]"),
        ("Cel", "K"),
        ("d", "wk"),
    ],
)
def test_compatible_units(a: str, b: str) -> None:
    assert compatible(parse_unit(a), parse_unit(b))
    assert compatible(a, b)  # strings are parsed on the way in


def test_time_and_dimensionless_predicates() -> None:
    for text in ("s", "min", "h", "d", "wk", "mo", "a"):
        assert is_time(parse_unit(text))
    assert not is_time(parse_unit("/d"))
    assert not is_time(parse_unit("mg"))
    for text in ("1", "%", "{cells}", "mg/kg", "10*3"):
        assert is_dimensionless(parse_unit(text))
    assert not is_dimensionless(parse_unit("[IU]"))
    assert not is_dimensionless(parse_unit("/uL"))


def test_describe_falls_back_to_a_formula() -> None:
    assert describe_dimension("g/24.h") == "mass·time"
    assert describe_dimension("m.s") == "length·time"
    assert describe_dimension("[IU].[HPF]") == "[IU]·[HPF]"
    assert describe_dimension("mol/s2") == "amount/time^2"


# ---------------------------------------------------------------- time words


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("day", "d"),
        ("days", "d"),
        ("week", "wk"),
        ("weeks", "wk"),
        ("Weeks", "wk"),
        ("month", "mo"),
        ("months", "mo"),
        ("year", "a"),
        ("years", "a"),
        ("hour", "h"),
        ("hours", "h"),
        ("minutes", "min"),
        ("wk", "wk"),
        ("mo_j", "mo_j"),
    ],
)
def test_time_unit_words(word: str, code: str) -> None:
    unit = time_unit(word)
    assert unit == parse_unit(code)
    assert is_time(unit)


def test_time_unit_errors() -> None:
    with pytest.raises(UnitError, match="did you mean 'week'") as raised:
        time_unit("weekz")
    assert raised.value.suggestion == "week"
    with pytest.raises(UnitError, match=r"'mg' \(mass\) is not a unit of time"):
        time_unit("mg")
    with pytest.raises(UnitError, match="unknown unit of time 'fortnight'"):
        time_unit("fortnight")


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "position", "suggestion", "message"),
    [
        ("mgg/dL", 0, "mg", "unknown unit 'mgg' in 'mgg/dL'; did you mean 'mg'?"),
        ("g/mgg", 2, "mg", "unknown unit 'mgg' in 'g/mgg'; did you mean 'mg'?"),
        ("  mgg", 2, "mg", "unknown unit 'mgg'"),
        ("MG/dL", 0, "mg", "did you mean 'mg'?"),  # UCUM is case-sensitive
        ("mg/DL", 3, "dL", "did you mean 'dL'?"),
        ("[iu]/mL", 0, "[iU]", "did you mean '[iU]'?"),
        ("beats/min", 0, "{beats}", "write it as an annotation in braces, e.g. '{beats}'"),
        ("cells/uL", 0, "{cells}", "unknown unit 'cells'"),
        ("IU/mL", 0, "[IU]", "did you mean '[IU]'?"),
        ("mIU/L", 0, "m[IU]", "did you mean 'm[IU]'?"),
        ("mcg/kg", 0, "ug", "did you mean 'ug'?"),
        ("µg/L", 0, "ug", "did you mean 'ug'?"),
        ("mmHg", 0, "mm[Hg]", "did you mean 'mm[Hg]'?"),
        ("days", 0, "d", "did you mean 'd'?"),
        ("pH", 0, "[pH]", "would be UCUM for picohenry"),
        ("xyzzy/L", 0, "{xyzzy}", "unknown unit 'xyzzy'"),
        ("q#/L", 0, None, "unknown unit 'q#' in 'q#/L'"),
        ("kh", 0, None, "'h' (hour) cannot take the prefix 'k'"),
        ("mmo", 0, None, "'mo' (month) cannot take the prefix 'm'"),
        ("g//L", 2, None, "expected a unit before '/'"),
        ("g/", 2, None, "expected a unit after '/'"),
        ("/", 1, None, "expected a unit after '/'"),
        (".g", 0, None, "expected a unit before '.'"),
        ("g.", 2, None, "expected a unit after '.'"),
        ("(g/L", 0, None, "'(' is never closed"),
        ("g/L)", 3, None, "')' closes nothing"),
        ("g(L)", 1, None, "expected '.' or '/' before '('"),
        ("(g)L", 3, None, "expected '.' or '/' before 'L'"),
        ("(g L)", 3, None, "expected '.' or '/' before 'L'"),
        ("m g", 2, None, "expected '.' or '/' before 'g'"),
        ("g {Hb}", 2, None, "expected '.' or '/' before '{Hb}'"),
        ("g{Hb", 1, None, "'{' in 'g{Hb' is never closed"),
        ("g}", 1, None, "'}' in 'g}' closes nothing"),
        ("{a{b}}", 0, None, "annotations cannot be nested"),
        ("[IU/mL", 0, None, "'[' in '[IU/mL' is never closed"),
        ("", 0, None, "empty unit"),
        ("   ", 3, None, "empty unit"),
        ("1:80", 1, None, "titers are not units"),
        ("mL/min/1.73.m2", 7, "{1.73}", "units have no decimal point"),
        ("0/L", 0, None, "a unit cannot be zero"),
        ("10*999", 0, None, "exponent 999 of '10*' is too large"),
        ("10*99.10*99.10*99.10*99", 0, None, "too large or too small"),
        ("-1", 0, None, "an exponent needs a unit before it"),
        ("1" * 40 + "/L", 0, None, "is too long"),
        ("10*" + "9" * 40, 0, None, "is too long"),
        ("mCel", 0, None, "'Cel' is a temperature scale with an offset"),
        ("Cel/h", 0, None, "must be the whole unit"),
        ("/Cel", 1, None, "must be the whole unit"),
        ("Cel2", 0, None, "must be the whole unit"),
        ("mg.[degF]", 3, None, "'[degF]' is a temperature scale"),
    ],
)
def test_errors_name_the_position_and_suggest_fixes(
    text: str, position: int, suggestion: str | None, message: str
) -> None:
    with pytest.raises(UnitError) as raised:
        parse_unit(text)
    error = raised.value
    assert message in str(error)
    assert error.unit == text
    assert error.position == position
    assert error.suggestion == suggestion


def test_no_suggestion_for_far_matches() -> None:
    with pytest.raises(UnitError) as raised:
        parse_unit("q#")
    assert "did you mean" not in str(raised.value)


def test_unit_error_is_a_value_error_and_pickles() -> None:
    with pytest.raises(ValueError, match="mgg"):
        parse_unit("mgg")
    error = UnitError("message", "mgg/dL", 0, "mg")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.unit, copy.position, copy.suggestion) == (
        "message",
        "mgg/dL",
        0,
        "mg",
    )


# ---------------------------------------------------------------- properties

# (atom, takes a prefix); 10* always carries an exponent, see _simple_unit.
ATOMS = [
    ("g", True),
    ("m", True),
    ("L", True),
    ("mol", True),
    ("s", True),
    ("eq", True),
    ("U", True),
    ("Pa", True),
    ("K", True),
    ("[IU]", True),
    ("min", False),
    ("h", False),
    ("d", False),
    ("wk", False),
    ("mo", False),
    ("a", False),
    ("%", False),
    ("[lb_av]", False),
    ("[in_i]", False),
    ("[arb'U]", False),
    ("[HPF]", False),
    ("10*", False),
]
PREFIXES = ["", "da", "h", "k", "M", "G", "T", "d", "c", "m", "u", "n", "p", "f"]


@st.composite
def _simple_unit(draw: st.DrawFn) -> tuple[str, str]:
    """The same simple unit spelled twice, with possibly different prefixes."""
    atom, metric = draw(st.sampled_from(ATOMS))
    exponent = draw(st.sampled_from([None, 1, 2, -1, -2, 3]))
    if atom == "10*":
        power = draw(st.integers(-12, 12))
        return f"10*{power}", f"10*{power}"
    suffix = "" if exponent is None else str(exponent)
    if metric:
        first, second = draw(st.sampled_from(PREFIXES)), draw(st.sampled_from(PREFIXES))
    else:
        first = second = ""
    return f"{first}{atom}{suffix}", f"{second}{atom}{suffix}"


@st.composite
def unit_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Two compatible unit strings of the same shape (operators, groups, annotations)."""
    parts = draw(st.lists(_simple_unit(), min_size=1, max_size=4))
    operators = draw(
        st.lists(st.sampled_from([".", "/"]), min_size=len(parts), max_size=len(parts))
    )
    annotate = draw(st.lists(st.booleans(), min_size=len(parts), max_size=len(parts)))
    group = draw(st.booleans()) and len(parts) > 1
    texts: list[str] = ["", ""]
    for i, ((one, two), operator, note) in enumerate(zip(parts, operators, annotate, strict=True)):
        lead = "" if i == 0 and operator == "." else operator
        tail = "{x}" if note else ""
        opening = "(" if group and i == 1 else ""
        texts[0] += f"{lead}{opening}{one}{tail}"
        texts[1] += f"{lead}{opening}{two}{tail}"
    if group:
        texts = [text + ")" for text in texts]
    return texts[0], texts[1]


# Magnitudes stay well inside the float range: a pair such as g3 and Tg3 is
# 36 orders of magnitude apart, and subnormal results lose precision.
VALUES = st.one_of(
    st.just(0.0),
    st.floats(min_value=1e-6, max_value=1e6),
    st.floats(min_value=-1e6, max_value=-1e-6),
)


@settings(max_examples=300, deadline=None)
@given(unit_pairs(), VALUES)
def test_round_trip_conversion(pair: tuple[str, str], value: float) -> None:
    a, b = parse_unit(pair[0]), parse_unit(pair[1])
    assert compatible(a, b)
    there = convert(value, a, b)
    assert there == pytest.approx(value * a.factor / b.factor, rel=1e-9)
    assert convert(there, b, a) == pytest.approx(value, rel=1e-9)


@settings(max_examples=300, deadline=None)
@given(unit_pairs(), st.lists(st.sampled_from(["", " ", "  "]), min_size=2, max_size=2))
def test_format_then_parse_keeps_dimension_and_factor(
    pair: tuple[str, str], spaces: list[str]
) -> None:
    text = pair[0].replace("/", f"{spaces[0]}/{spaces[1]}").replace(".", f"{spaces[1]}.")
    unit = parse_unit(text)
    formatted = format_unit(unit)
    again = parse_unit(formatted)
    assert " " not in formatted
    assert format_unit(again) == formatted
    assert again.dimension == unit.dimension
    assert again.factor == unit.factor
    assert again.exact_factor == unit.exact_factor
