"""Which way a changed condition moved, read off the two trees (true for more or fewer subjects).

Each row is an old and a new condition over the names of `cases/base.trial`
and the expected effect: +1 true for more subjects, -1 for fewer, 0 unknown.
Read backwards, every row gives the opposite effect.
"""

from __future__ import annotations

import pytest

from generators.diff.conditions import compare
from protocol_dsl import model as m
from protocol_dsl.syntax.parser import parse_module
from tests.diff.cases import BASE
from tests.diff.util import compile_text

ROWS = [
    # thresholds, either side, strictness, units
    ("age <= 65", "age <= 70", 1),
    ("age < 65", "age <= 65", 1),
    ("age >= 18", "age >= 21", -1),
    ("18 <= age", "21 <= age", -1),
    ("age > 65", "age >= 65", 1),
    ("labs.hb at SCR < 100 g/L", "labs.hb at SCR < 11 g/dL", 1),
    ("labs.hb at SCR < 100 g/L", "labs.hb at SCR < 9 g/dL", -1),
    ("age between 18 and 65", "age between 16 and 65", 1),
    ("age between 18 and 65", "age between 18 and 60", -1),
    ("age between 18 and 65", "age between 21 and 70", 0),
    ("count(history) <= 1", "count(history) <= 2", 1),
    ("age = 65", "age = 70", 0),
    ("labs.hb at SCR < labs.alt at SCR", "labs.hb at SCR <= labs.alt at SCR", 1),
    # windows: longer "within" admits more dates, longer "at least" fewer
    (
        "any history where onset within 12 weeks before first_dose",
        "any history where onset within 3 months before first_dose",
        1,
    ),
    (
        "any history where onset at least 4 weeks before first_dose",
        "any history where onset at least 6 weeks before first_dose",
        -1,
    ),
    # value lists
    ("any history where infection in {tb}", "any history where infection in {tb, hiv}", 1),
    # terms of and / or
    ("anaemia or age > 65", "anaemia", -1),
    ("anaemia", "anaemia or age > 65", 1),
    ("anaemia and age > 65", "anaemia", 1),
    ("anaemia", "anaemia and age > 65", -1),
    # negation flips: not, implies (left), none and all (filter)
    ("not (age > 65)", "not (age > 70)", 1),
    ("age > 65 implies anaemia", "age > 70 implies anaemia", 1),
    ("any history where infection = tb", "any history where infection = tb and onset is known", -1),
    (
        "none history where infection = tb",
        "none history where infection = tb and onset is known",
        1,
    ),
    (
        "all history where infection = tb satisfy onset at least 4 weeks before first_dose",
        "all history where infection = tb satisfy onset at least 2 weeks before first_dose",
        1,
    ),
    # other differences have no direction
    ("disease_score at SCR >= 4", "disease_score at W12 >= 4", 0),
    ("age > 65", "liver_injury", 0),
]


def _expr(text: str) -> m.Expr:
    module, diagnostics = parse_module(f"define condition_under_test = {text}\n", "<test>")
    assert module is not None, diagnostics
    (define,) = module.declarations
    assert isinstance(define, m.Define)
    return define.expr


@pytest.mark.parametrize(("old", "new", "effect"), ROWS)
def test_direction(old: str, new: str, effect: int) -> None:
    spec = compile_text(BASE)
    forward = compare(_expr(old), _expr(new), spec, spec)
    backward = compare(_expr(new), _expr(old), spec, spec)
    assert forward.effect == effect
    assert backward.effect == -effect


def test_equal_conditions_have_no_findings() -> None:
    spec = compile_text(BASE)
    change = compare(_expr("age between 18 and 65"), _expr("age between 18 and 65"), spec, spec)
    assert change.findings == () and change.equivalent


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("steroid_dose > 20 mg/d", "steroid_dose > 0.02 g/d"),
        ("labs.hb at SCR < 100 g/L", "100 g/L > labs.hb at SCR"),
        (
            "any history where onset within 4 weeks before first_dose",
            "any history where onset within 28 days before first_dose",
        ),
        ("any history where infection in {tb, hiv}", "any history where infection in {hiv, tb}"),
    ],
)
def test_the_same_meaning_written_another_way(old: str, new: str) -> None:
    spec = compile_text(BASE)
    change = compare(_expr(old), _expr(new), spec, spec)
    assert change.equivalent and change.effect == 0


def test_threshold_in_words() -> None:
    spec = compile_text(BASE)
    change = compare(_expr("age between 18 and 65"), _expr("age between 18 and 70"), spec, spec)
    assert change.thresholds_only
    assert change.describe() == "age at screening ≤ 65 years → ≤ 70 years"
