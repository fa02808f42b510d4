"""Rules in plain words: every expression node type, units, labels, and totality."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_dsl import model as m
from protocol_dsl.semantics.words import (
    _Words,
    criterion_in_words,
    label_phrase,
    quantity_in_words,
    rule_in_words,
    unit_in_words,
)
from protocol_dsl.spec import Scope
from protocol_dsl.visitor import ExprVisitor
from tests.documents.helpers import fixture_spec
from tests.helpers import SPAN

SPEC = fixture_spec("words.trial")


def words(define: str) -> str:
    return rule_in_words(SPEC.defines[define].expr, SPEC)


# One expected wording per construct of the fixture (tests/documents/fixtures/words.trial).
EXPECTED = {
    # literals, names, labels
    "w_number": "18",
    "w_quantity": "body weight is greater than 40 kg",
    "w_text": "comment is “none”",
    "w_date": "visit date is on or after 2025-01-01",
    "w_titer": "ANA titer is at least 1:80",
    "w_bool": "“Pregnant or breastfeeding” is recorded as no",
    "w_ref_value": "sex is Female",
    "w_at_visit": "body weight at day 1 is less than body weight at screening",
    # arithmetic
    "w_negate": "minus body weight is less than minus 5 kg",
    "w_arith": "(body weight times 2) plus (1 divided by 4) minus 3",
    "w_date_arith": "visit date is on or before 12 weeks before the first dose of study drug",
    # logic: a different connective inside is always bracketed
    "w_not": (
        "not (age at screening is at least 18 and “Pregnant or breastfeeding” is recorded as yes)"
    ),
    "w_not_eq": "sex is not Female",
    "w_logic": (
        "age at screening is at least 18 and "
        "(“Pregnant or breastfeeding” is recorded as no or sex is Male)"
    ),
    "w_implies": "if sex is Female, then “Pregnant or breastfeeding” is recorded as no",
    "w_if": "(45 kg if sex is Female, otherwise 50 kg) is at most body weight",
    # comparisons
    "w_compare": "platelet count is less than 100 ×10⁹/L or body weight is not 70 kg",
    "w_between": "age at screening is between 18 and 70 (inclusive)",
    "w_member": "sex is one of Female or Male",
    "w_member_list": "sex is any value of the list “Sex”",
    "w_known": "body weight is recorded and comment is missing",
    "w_contains": "comment contains “rash” (ignoring case)",
    "w_previous": "body weight at day 1 minus body weight at the previous visit",
    "w_any_visit": (
        "at any visit from screening to day 1 (inclusive): body weight is greater than 100 kg"
    ),
    "w_all_visits": (
        "at every visit after screening: “Pregnant or breastfeeding” is recorded as no"
    ),
    # time windows say which ends they include
    "w_within": "visit date is within 3 days after the first dose of study drug (inclusive)",
    "w_within_before": "visit date is within 2 weeks before the screening visit (inclusive)",
    "w_at_least": "date of birth is on or before 12 weeks before the screening visit",
    "w_at_least_after": "visit date is on or after 1 week after the first dose of study drug",
    # records
    "w_any": (
        "any medical history record where category is Malignancy and onset date is within "
        "5 years before the screening visit (inclusive)"
    ),
    "w_any_bare": "any medical history record",
    "w_none": "no medical history record where category is “Infection, opportunistic”",
    "w_all": (
        "for every medical history record where ongoing is yes: onset date is on or "
        "before 4 weeks before the first dose of study drug"
    ),
    "w_count": "the number of medical history records where ongoing is yes is at most 1",
    "w_sum": (
        "the sum of prednisone-equivalent dose over medical history records where ongoing "
        "is yes is at most 40 mg/day"
    ),
    "w_min": "the lowest onset date over medical history records is on or after 2020-01-01",
    "w_max": "the highest daily dose over medical history records is less than 100 mg/day",
    # built-in functions
    "age": "the completed years from date of birth to the screening visit",
    "w_math": (
        "(the square root of (body weight divided by 1 kg)) rounded to 1 decimal plus 2 to the "
        "power 3 minus e to the power (the natural logarithm of (1.5 rounded down to a whole "
        "number)) is greater than 0.5 rounded up to a whole number"
    ),
    "w_average": (
        "the mean of daily dose over medical history records where ongoing is yes is "
        "less than the median of daily dose over medical history records"
    ),
    "w_calls": (
        "the absolute value of (the smaller of body weight and 100 kg minus the larger of body "
        "weight and 50 kg) is greater than the number of days from date of birth to the "
        "screening visit"
    ),
    "w_months": (
        "the completed months from date of birth to the first dose of study drug is at least 6"
    ),
    "w_unknown_call": "the completed years from date of birth to 2025-06-30 is at least 18",
    # scores and library definitions
    "w_score": "SLEDAI-2K at screening is at least 6",
    "w_score_domain": "SLEDAI-2K (central nervous system domain) at screening is greater than 0",
    "w_score_tag": "SLEDAI-2K (clinical domains only) at screening is at least 4",
    "w_define": "classified as SLE by the 2019 EULAR/ACR criteria",
}


@pytest.mark.parametrize("define", sorted(EXPECTED))
def test_wording(define: str) -> None:
    assert words(define) == EXPECTED[define]


def test_fixture_covers_every_expression_node_type() -> None:
    seen = {type(node) for name in EXPECTED for node in m.walk(SPEC.defines[name].expr)}
    assert seen >= set(m._EXPR_TYPES)


def test_every_node_type_has_a_wording() -> None:
    # an ExprVisitor with no abstract method left handles every node kind of the model
    assert issubclass(_Words, ExprVisitor)
    assert not _Words.__abstractmethods__


def test_record_scope_reads_the_records_items() -> None:
    form = SPEC.forms["history"]
    derive = form.derive("prednisone")
    assert derive is not None
    text = rule_in_words(derive.expr, SPEC, Scope(SPEC, form))
    assert (
        text
        == "daily dose times the glucocorticoid dose factor to prednisone equivalent for glucocorticoid"
    )


def test_unknown_names_fall_back_to_the_name() -> None:
    expr = m.Compare(
        ">", m.Ref(("no_such_thing",), span=SPAN), m.NumberLit(Decimal(3), span=SPAN), span=SPAN
    )
    assert rule_in_words(expr, SPEC) == "no such thing is greater than 3"


def test_an_unknown_function_keeps_its_arguments() -> None:
    expr = m.Call(
        "frobnicate", (m.NumberLit(Decimal(1), span=SPAN), m.Ref(("age",), span=SPAN)), span=SPAN
    )
    assert rule_in_words(expr, SPEC) == "frobnicate(1, age at screening)"


# ---------------------------------------------------------------- criteria


def test_criterion_in_words() -> None:
    by_id = {c.id: c for c in SPEC.criteria}
    assert criterion_in_words(by_id["I1"], SPEC) == (
        "Rule: age at screening is between 18 and 70 (inclusive)"
    )
    assert criterion_in_words(by_id["I2"], SPEC) == "Confirmed by: Signed informed consent"
    assert criterion_in_words(by_id["I3"], SPEC).startswith("Confirmed by: the investigator")
    assert criterion_in_words(by_id["E1"], SPEC) == (
        "Rule: none; judged by the investigator from the text"
    )


def test_real_spec_criteria(qls4131) -> None:
    by_id = {c.id: c for c in qls4131.criteria}
    assert criterion_in_words(by_id["I1"], qls4131) == (
        "Rule: age at screening is between 18 and 70 (inclusive)"
    )
    assert criterion_in_words(by_id["E6"], qls4131) == (
        "Rule: any medical history record where category is Malignancy and (onset date is "
        "within 5 years before the screening visit (inclusive) or ongoing is yes)"
    )
    assert criterion_in_words(by_id["I2"], qls4131).endswith(
        "is on or before 12 weeks before the screening visit"
    )
    # the rule's own "or" is bracketed, English has no precedence
    assert "or (SLEDAI-2K at screening is at least 6 and (" in criterion_in_words(
        by_id["I4"], qls4131
    )


# ---------------------------------------------------------------- units and labels


@pytest.mark.parametrize(
    ("unit", "printed"),
    [
        ("mg/d", "mg/day"),
        ("10*9/L", "×10⁹/L"),
        ("10^3/uL", "×10³/µL"),
        ("mm[Hg]", "mmHg"),
        ("Cel", "°C"),
        ("[IU]/mL", "IU/mL"),
        ("ug/L", "µg/L"),
        ("m[IU]/L", "mIU/L"),
        ("umol/L", "µmol/L"),
        ("mg", "mg"),
        ("mm", "mm"),
        ("mL/min/{1.73_m2}", "mL/min/1.73 m²"),
        ("kg/m2", "kg/m²"),
        ("{cells}/uL", "cells/µL"),
        ("g/L", "g/L"),
        ("mg/kg", "mg/kg"),
        ("%", "%"),
        ("/uL", "1/µL"),
        ("weeks", "weeks"),
        ("wk", "weeks"),
        ("a", "years"),
    ],
)
def test_units(unit: str, printed: str) -> None:
    assert unit_in_words(unit) == printed


def test_time_units_are_singular_for_one() -> None:
    assert quantity_in_words(m.Quantity(Decimal(1), "weeks")) == "1 week"
    assert quantity_in_words(m.Quantity(Decimal(12), "wk")) == "12 weeks"
    assert quantity_in_words(m.Quantity(Decimal("8"), "%")) == "8%"
    assert quantity_in_words(m.Quantity(Decimal("0.50"), "g/d")) == "0.5 g/day"


@pytest.mark.parametrize(
    ("label", "phrase"),
    [
        ("Complement C3", "complement C3"),
        ("ANA titer", "ANA titer"),
        ("SLEDAI-2K", "SLEDAI-2K"),
        ("Anti-dsDNA antibody", "Anti-dsDNA antibody"),
        ("Treatment-emergent", "treatment-emergent"),
        ("A single immunosuppressant", "a single immunosuppressant"),
        ("C3 lower limit", "C3 lower limit"),
        ("24-hour urine protein", "24-hour urine protein"),
    ],
)
def test_label_phrase(label: str, phrase: str) -> None:
    assert label_phrase(label, "x") == phrase


def test_label_phrase_without_label_uses_the_name() -> None:
    assert label_phrase(None, "birth_date") == "birth date"


# ---------------------------------------------------------------- totality and determinism

_NAMES = [
    ("age",),
    ("demographics", "weight"),
    ("demographics", "sex"),
    ("demographics", "visit_date"),
    ("female",),
    ("screening",),
    ("sle", "sledai_2k"),
    ("sle", "sledai_2k", "cns"),
    ("nothing_named_so",),
]

_leaves = st.one_of(
    st.decimals(min_value=-1000, max_value=1000, places=2).map(partial(m.NumberLit, span=SPAN)),
    st.sampled_from(["kg", "mg/d", "weeks", "10*9/L", "%"]).map(
        lambda u: m.QuantityLit(m.Quantity(Decimal(5), u), span=SPAN)
    ),
    st.text(alphabet="ab <>&\"'=", max_size=8).map(partial(m.TextLit, span=SPAN)),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1)).map(
        partial(m.DateLit, span=SPAN)
    ),
    st.integers(min_value=1, max_value=5120).map(partial(m.TiterLit, span=SPAN)),
    st.booleans().map(partial(m.BoolLit, span=SPAN)),
    st.sampled_from(_NAMES).map(partial(m.Ref, span=SPAN)),
)


def _extend(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.builds(partial(m.AtVisit, span=SPAN), children, st.sampled_from(["SCR", "D1", "NOPE"])),
        st.builds(partial(m.Negate, span=SPAN), children),
        st.builds(partial(m.Not, span=SPAN), children),
        st.builds(
            partial(m.Arith, span=SPAN), st.sampled_from(["+", "-", "*", "/"]), children, children
        ),
        st.builds(
            partial(m.Logic, span=SPAN),
            st.sampled_from(["and", "or", "implies"]),
            children,
            children,
        ),
        st.builds(
            partial(m.Compare, span=SPAN),
            st.sampled_from(["<", "<=", ">", ">=", "=", "!="]),
            children,
            children,
        ),
        st.builds(partial(m.Between, span=SPAN), children, children, children),
        st.builds(partial(m.MemberOf, span=SPAN), children, st.just(("female", "male"))),
        st.builds(partial(m.IsKnown, span=SPAN), children, st.booleans()),
        st.builds(partial(m.Contains, span=SPAN), children, children),
        st.builds(partial(m.AtPrevious, span=SPAN), children),
        st.builds(
            partial(m.VisitQuantifier, span=SPAN),
            st.sampled_from(["any", "all"]),
            st.just("SCR"),
            st.sampled_from(["D1", None]),
            children,
        ),
        st.builds(
            partial(m.Within, span=SPAN),
            children,
            children,
            st.sampled_from(["before", "after"]),
            children,
        ),
        st.builds(
            partial(m.AtLeast, span=SPAN),
            children,
            children,
            st.sampled_from(["before", "after"]),
            children,
        ),
        st.builds(partial(m.Quantifier, span=SPAN), st.just("any"), st.just("history"), children),
        st.builds(
            partial(m.Quantifier, span=SPAN), st.just("all"), st.just("history"), children, children
        ),
        st.builds(
            partial(m.Aggregate, span=SPAN),
            st.sampled_from(["count", "sum", "min", "max"]),
            st.just(m.Ref(("history", "dose"), span=SPAN)),
            children,
        ),
        st.builds(
            partial(m.Call, span=SPAN),
            st.sampled_from(["years_between", "abs", "least", "lookup", "unknown_fn"]),
            st.lists(children, min_size=1, max_size=2).map(tuple),
        ),
        st.builds(partial(m.Conditional, span=SPAN), children, children, children),
    )


expressions = st.recursive(_leaves, _extend, max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(expressions)
def test_any_expression_has_words(expr: m.Expr) -> None:
    """Total and deterministic: every tree gets words, the same words each time, brackets balanced."""
    first = rule_in_words(expr, SPEC)
    assert first == rule_in_words(expr, SPEC)
    assert first.strip() == first and first
    assert "None" not in first
    depth = 0
    for char in first:
        depth += {"(": 1, ")": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
