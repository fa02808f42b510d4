"""Which way eligibility moves when a code list a rule reads gains or loses a value.

A rule that tests a code list as a whole (`demographics.sex in sex`) is true for
one more recorded value when the list gains one, and for one fewer when it loses
one: an inclusion that tests it widens or narrows, an exclusion the other way,
and `not` turns both round.  A rule that names its values (`in {tb, hiv}`) moves
when a value is added to or removed from its own set, and does not move when
another value joins the code list: it never reads that value.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.diff.compare import diff
from tests.diff.util import compile_text

BASE = (Path(__file__).parent / "cases" / "base.trial").read_text(encoding="utf-8")

_ANAEMIA = 'exclusion E1 "Anaemia"\n  = anaemia'
_CONSENT = 'inclusion I3 "Informed consent"\n  = attested'
_MALE = '  male   "Male"\n'
_INTERSEX = '  male   "Male"\n  intersex "Intersex"\n'


def _spec(criterion: tuple[str, str] | None = None, intersex: bool = False) -> str:
    text = BASE if criterion is None else BASE.replace(*criterion)
    return text.replace(_MALE, _INTERSEX) if intersex else text


def _changes(old: str, new: str) -> list[tuple[str, str, str, bool]]:
    return [
        (c.target, c.rule_id, c.direction, c.substantial_eu)
        for c in diff(compile_text(old), compile_text(new))
    ]


VALUE = "code list sex, value intersex"


@pytest.mark.parametrize(
    ("criterion", "added", "removed"),
    [
        (
            (_CONSENT, 'inclusion I3 "Sex recorded"\n  = demographics.sex in sex'),
            "widened",
            "narrowed",
        ),
        (
            (_ANAEMIA, 'exclusion E1 "Sex recorded"\n  = demographics.sex in sex'),
            "narrowed",
            "widened",
        ),
        (
            (_CONSENT, 'inclusion I3 "Sex not recorded"\n  = not (demographics.sex in sex)'),
            "narrowed",
            "widened",
        ),
        (
            (_ANAEMIA, 'exclusion E1 "Sex not recorded"\n  = not (demographics.sex in sex)'),
            "widened",
            "narrowed",
        ),
    ],
    ids=["inclusion", "exclusion", "inclusion-not", "exclusion-not"],
)
def test_a_value_added_to_or_removed_from_a_list_tested_whole(
    criterion: tuple[str, str], added: str, removed: str
) -> None:
    without, with_ = _spec(criterion), _spec(criterion, intersex=True)
    assert _changes(without, with_) == [(VALUE, "ELIGIBILITY_DEPENDENCY_CHANGED", added, True)]
    assert _changes(with_, without) == [(VALUE, "ELIGIBILITY_DEPENDENCY_CHANGED", removed, True)]


def test_a_value_joining_a_list_a_rule_names_values_of_does_not_move_it() -> None:
    criterion = (_CONSENT, 'inclusion I3 "Women"\n  = demographics.sex = female')
    changes = _changes(_spec(criterion), _spec(criterion, intersex=True))
    assert changes == [(VALUE, "CODELIST_VALUE_ADDED", "added", False)]


def test_two_criteria_pulling_opposite_ways_leave_no_direction() -> None:
    both = _spec((_CONSENT, 'inclusion I3 "Sex recorded"\n  = demographics.sex in sex'))
    both = both.replace(_ANAEMIA, 'exclusion E1 "Sex recorded"\n  = demographics.sex in sex')
    changes = _changes(both, both.replace(_MALE, _INTERSEX))
    # the inclusion widens, the exclusion narrows: no one direction for the amendment
    assert changes == [(VALUE, "ELIGIBILITY_DEPENDENCY_CHANGED", "added", True)]


_E3 = "any history where infection in {tb, hiv}\n      and onset"


@pytest.mark.parametrize(
    ("kind", "values", "direction"),
    [
        ("exclusion", "{tb}", "widened"),
        ("exclusion", "{tb, hiv, hbv}", "narrowed"),
        ("inclusion", "{tb}", "narrowed"),
        ("inclusion", "{tb, hiv, hbv}", "widened"),
    ],
)
def test_a_value_added_to_or_removed_from_a_set_in_the_rule(
    kind: str, values: str, direction: str
) -> None:
    hbv = '  hiv "HIV infection"\n  hbv "Hepatitis B"\n'
    text = BASE.replace('  hiv "HIV infection"\n', hbv)
    text = text.replace('exclusion E3 "Serious', f'{kind} E3 "Serious')
    amended = text.replace(_E3, _E3.replace("{tb, hiv}", values))
    [(target, rule_id, found, substantial)] = _changes(text, amended)
    assert (target, rule_id, found, substantial) == (
        "E3",
        "CRITERION_THRESHOLD_CHANGED",
        direction,
        True,
    )
    [(_, _, back, _)] = _changes(amended, text)
    assert back == {"widened": "narrowed", "narrowed": "widened"}[direction]
