"""Units found in the data: any UCUM unit on the item's scale, in all three engines.

A value may be recorded in any unit the interpreter accepts for its item,
not only the common ones or those the spec writes: ``L/min/{1.73_m2}`` or
``uL/s/{1.73_m2}`` for an eGFR in ``mL/min/{1.73_m2}``.  The generated module
reads such a unit with the compiler's UCUM tables and converts it by the same
exact factor as the interpreter; the SQL accepts it as well.  A unit the
interpreter refuses (not UCUM, another dimension, another scale without a
declared conversion) the module refuses with the same category, and the SQL
leaves the value unknown.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generators.sql.run import screen_with_duckdb
from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import compile_spec_rules, evaluate_subject
from protocol_dsl.spec import Spec
from tests.sql.problems import interpreter_problems, module_problems
from tests.sql.test_differential import generated_module

SPEC = """
trial UNITS {
  title "Units found in the data"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1  "Day 1" day 1

conversion hba1c_ifcc_to_ngsp from mmol/mol to % = 0.09148 * value + 2.152
  [LOINC 4548-4] [LOINC 59261-8]

form labs "Laboratory" at SCR {
  egfr  quantity mL/min/{1.73_m2} "eGFR" range 0 .. 200
  hba1c quantity %                "HbA1c (NGSP)" range 3 .. 20 [LOINC 4548-4]
  dose  quantity mg/d             "Daily dose" range 0 .. 5000
  temp  quantity Cel              "Temperature" range 30 .. 45
}

inclusion I1 "eGFR recorded" = labs.egfr is known
inclusion I2 "eGFR at least 60" = labs.egfr >= 60 mL/min/{1.73_m2}
inclusion I3 "HbA1c recorded" = labs.hba1c is known
inclusion I4 "HbA1c below 7" = labs.hba1c < 7 %
inclusion I5 "Dose recorded" = labs.dose is known
inclusion I6 "Dose at most 200" = labs.dose <= 200 mg/d
inclusion I7 "Temperature recorded" = labs.temp is known
inclusion I8 "No fever" = labs.temp < 38 Cel
"""

#: criterion saying whether the item's value was read, for the SQL (which lists nothing)
KNOWN = {"egfr": "I1", "hba1c": "I3", "dose": "I5", "temp": "I7"}


@pytest.fixture(scope="module")
def spec() -> Spec:
    result = compile_spec("units.trial", SPEC)
    errors = [d.message for d in result.diagnostics if d.severity == "error"]
    assert result.spec is not None and not errors, errors
    return result.spec


# ---------------------------------------------------------------- strategies


def _prefixed(atoms: list[str], prefixes: str = "") -> st.SearchStrategy[str]:
    choices = ["", *prefixes.split()] if prefixes else [""]
    return st.builds(lambda p, a: p + a, st.sampled_from(choices), st.sampled_from(atoms))


VOLUMES = st.one_of(
    _prefixed(["L", "l"], "m u n d c k h da"),
    _prefixed(["m3"], "c d m"),
    st.sampled_from(["[foz_us]", "[gal_us]", "[pt_us]", "[tsp_us]", "[cup_us]"]),
)
TIMES = st.one_of(
    _prefixed(["s"], "m k"),
    st.sampled_from(["min", "h", "d", "wk", "mo", "a", "(24.h)", "(10.min)", "(2.d)"]),
)
MASSES = st.one_of(_prefixed(["g"], "m u n k d c"), st.sampled_from(["[lb_av]", "[gr]", "t"]))
AMOUNT_FRACTIONS = st.builds(
    lambda a, b: f"{a}/{b}", _prefixed(["mol"], "m u n"), _prefixed(["mol"], "m k")
)
PER_BASIS = "{1.73_m2}"


@st.composite
def flow_per_area(draw: st.DrawFn) -> str:
    """A unit of the eGFR's scale: volume per time per {1.73_m2}, written many ways."""
    volume, time = draw(VOLUMES), draw(TIMES)
    shape = draw(st.integers(0, 4))
    if shape == 0:
        return f"{volume}/{time}/{PER_BASIS}"
    if shape == 1:
        return f"({volume}/{time})/{PER_BASIS}"
    if shape == 2:
        return f"{volume}/({time}.{PER_BASIS})"
    if shape == 3:  # an exponent instead of a line
        return f"{volume}.{draw(st.sampled_from(['s', 'ms', 'ks', 'min', 'h', 'd']))}-1/{PER_BASIS}"
    return f"/{time}.{volume}/{PER_BASIS}"


def dose_rate() -> st.SearchStrategy[str]:
    """A unit of the dose's scale: mass per time."""
    return st.one_of(
        st.builds(lambda m, t: f"{m}/{t}", MASSES, TIMES),
        st.builds(lambda m, t: f"{m}.{t}-1", MASSES, _prefixed(["s"], "m k")),
    )


#: units the interpreter accepts for each item
ACCEPTED: dict[str, st.SearchStrategy[str]] = {
    "egfr": flow_per_area(),
    "dose": dose_rate(),
    # % and numbers on its scale, and the declared conversion's scale (amount fractions)
    "hba1c": st.one_of(st.sampled_from(["%", "10*-2", "[ppth]", "1"]), AMOUNT_FRACTIONS),
    "temp": st.sampled_from(["Cel", "K", "[degF]"]),
}

#: pieces of unit text that the interpreter refuses in many ways
NOISE = st.sampled_from(
    [
        "mL/min",
        "mL/min/1.73m2",
        "1.73.m2",
        "mL/min/{1.73_m2",
        "mcg/d",
        "IU/L",
        "kg",
        "mg/dL",
        "1:80",
        "mCel",
        "Cel/d",
        "[degF]2",
        "pH",
        "m[Hg]",
        "mmol/mol",
        "mg/kg",
        "{cells}",
        "10*99999",
        "0",
        "mL//min",
        "()",
        " ",
        "mL/min/{1.73_m2}/{1.73_m2}",
        "mL.min-1.{1.73_m2}-1",
    ]
)


def any_unit(item: str) -> st.SearchStrategy[str]:
    """Units accepted, refused, or random text of the characters units are made of."""
    return st.one_of(
        ACCEPTED[item],
        NOISE,
        *(ACCEPTED[other] for other in ACCEPTED if other != item),
        st.text(alphabet="mLgdsinhu/.(){}[]_0123456789*-%", min_size=1, max_size=12),
    )


VALUES = st.one_of(
    st.integers(0, 300),
    st.decimals(min_value=0, max_value=1000, places=3).map(str),
    st.sampled_from([0.1, 1.5, 37.2, 98.6, 310.15]),
)


def _subject(item: str, value: Any, unit: str, sid: str = "S") -> dict[str, Any]:
    recorded = {item: {"value": value, "unit": unit}}
    return {
        "subject_id": sid,
        "visits": {"SCR": "2025-01-06"},
        "forms": {"labs": {"SCR": recorded}},
    }


def _read_by_interpreter(spec: Spec, subject: dict[str, Any], item: str) -> Any:
    data = compile_spec_rules(spec).normalise(subject)
    return data.values.get(("labs", "SCR"), {}).get(item)


# ---------------------------------------------------------------- tests


def test_a_unit_no_list_holds_is_read_by_every_engine(spec: Spec) -> None:
    subject = _subject("egfr", 0.075, "L/min/{1.73_m2}")
    module = generated_module(spec)
    assert _read_by_interpreter(spec, subject, "egfr") == Decimal(75)
    assert module.Subject(subject).item("labs", "SCR", "egfr") == Decimal(75)
    assert screen_with_duckdb(spec, [subject])[0]["criteria"]["I2"] == "met"
    assert module.screen(subject)["criteria"]["I2"] == "met"


@pytest.mark.parametrize("blank", ["", " ", "\t"])
def test_a_blank_unit_is_the_items_own_in_every_engine(spec: Spec, blank: str) -> None:
    """Regression: the SQL read a blank unit as none, the interpreter refused it."""
    subject = _subject("dose", 150, blank)
    assert _read_by_interpreter(spec, subject, "dose") == Decimal(150)
    assert generated_module(spec).Subject(subject).item("labs", "SCR", "dose") == Decimal(150)
    assert screen_with_duckdb(spec, [subject])[0]["criteria"]["I6"] == "met"
    assert evaluate_subject(spec, subject).invalid == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_module_reads_every_unit_the_interpreter_accepts_alike(
    spec: Spec, data: st.DataObject
) -> None:
    item = data.draw(st.sampled_from(sorted(ACCEPTED)))
    unit = data.draw(ACCEPTED[item])
    value = data.draw(VALUES)
    subject = _subject(item, value, unit)
    interpreted = evaluate_subject(spec, subject)
    refused = interpreter_problems(interpreted.invalid)
    # accepted by construction, unless the value falls outside the item's range
    assert all(problem == "out_of_range" for _where, problem in refused), (unit, refused)
    assume(not refused)
    expected = _read_by_interpreter(spec, subject, item)
    read = generated_module(spec).Subject(subject).item("labs", "SCR", item)
    assert read == expected, unit
    assert str(read) == str(expected), unit  # the same exact decimal, digit for digit


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_engines_refuse_the_units_the_interpreter_refuses(
    spec: Spec, data: st.DataObject
) -> None:
    batch = []
    for number in range(data.draw(st.integers(1, 4))):
        item = data.draw(st.sampled_from(sorted(ACCEPTED)))
        batch.append(
            (item, _subject(item, data.draw(VALUES), data.draw(any_unit(item)), f"S{number}"))
        )
    module = generated_module(spec)
    by_sql = {
        r["subject_id"]: r["criteria"] for r in screen_with_duckdb(spec, [s for _, s in batch])
    }
    for item, subject in batch:
        interpreted = evaluate_subject(spec, subject)
        generated = module.screen(subject)
        assert module_problems(generated) == interpreter_problems(interpreted.invalid), subject
        statuses = {c: r.status for c, r in interpreted.criteria.items()}
        assert generated["criteria"] == statuses, subject
        assert by_sql[subject["subject_id"]] == statuses, subject
        read = _read_by_interpreter(spec, subject, item)
        assert module.Subject(subject).item("labs", "SCR", item) == read, subject
        assert (statuses[KNOWN[item]] == "met") == (read is not None)
