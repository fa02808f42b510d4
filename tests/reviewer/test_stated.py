"""The thresholds a criterion's text states (`semantics.stated`)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from protocol_dsl.semantics.stated import in_base, stated


def _read(text: str) -> list[tuple[Fraction, str | None, str | None]]:
    return [(s.value, s.unit, s.relation) for s in stated(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("treatment with ≤40 mg/day prednisone", [(Fraction(40), "mg/d", "<=")]),
        ("stable for at least 4 weeks prior", [(Fraction(4), "wk", ">=")]),
        ("within 12 weeks prior to the first dose", [(Fraction(12), "wk", "within")]),
        (
            "Aged 18 to 70 (inclusive)",
            [(Fraction(18), None, "range"), (Fraction(70), None, "range")],
        ),
        ("ALT > 1.5 × ULN", [(Fraction(3, 2), None, ">")]),
        ("eGFR below 30 mL/min/1.73 m2", [(Fraction(30), "mL/min/{1.73_m2}", "<")]),
        ("at least 50 years of age", [(Fraction(50), None, ">=")]),
        ("within the last 5 years", [(Fraction(5), "a", "within")]),
    ],
)
def test_reads_the_thresholds(text: str, expected: list) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the 2019 EULAR/ACR classification criteria",
        "SLEDAI-2K score",
        "positive ANA (≥ 1:80)",
        "1. For participants receiving an antimalarial",
        "Protocol Attachment LZZT.7",
        "CAR-T, CAR-NK or other gene therapy",
    ],
)
def test_reads_no_number_that_is_not_a_threshold(text: str) -> None:
    assert stated(text) == []


_WORDS = {"mg/day": "mg/d", "weeks": "wk", "days": "d", "months": "mo", "years": "a"}
_RELATIONS = {"≤": "<=", "at most": "<=", "at least": ">=", "≥": ">=", "within": "within"}


@given(
    st.integers(min_value=1, max_value=10_000),
    st.sampled_from(sorted(_WORDS)),
    st.sampled_from(sorted(_RELATIONS)),
    st.text(alphabet="abcdefghij ,;()", max_size=20),
    st.text(alphabet="abcdefghij ,;()", max_size=20),
)
def test_a_threshold_in_any_sentence_is_read_once(
    value: int, word: str, relation: str, before: str, after: str
) -> None:
    # a number of years after the word "age" is an age, which rules state as a plain
    # number (see test_age_after_the_word_age_is_a_plain_number)
    assume("age" not in before.lower())
    text = f"{before} {relation} {value} {word} {after}"
    [found] = stated(text)
    assert (found.value, found.unit, found.relation) == (
        Fraction(value),
        _WORDS[word],
        _RELATIONS[relation],
    )
    assert text[found.start : found.end] == str(value)


def test_age_after_the_word_age_is_a_plain_number() -> None:
    [found] = stated("age at least 1 years")
    assert (found.value, found.unit, found.relation) == (Fraction(1), None, ">=")
    [found] = stated("Participants aged at least 18 years")
    assert (found.value, found.unit, found.relation) == (Fraction(18), None, ">=")
    [found] = stated("at least 12 years since diagnosis")
    assert (found.value, found.unit, found.relation) == (Fraction(12), "a", ">=")


def test_durations_compare_in_base_units() -> None:
    assert in_base(Fraction(12), "wk") == in_base(Fraction(84), "d")
    assert in_base(Fraction(12), "wk") != in_base(Fraction(12), "d")
    assert in_base(Fraction(1), "g/d") == in_base(Fraction(1000), "mg/d")
