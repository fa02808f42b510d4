"""Identity across versions, editorial changes and solver proofs in the diff.

Criteria renumbered (with or without `was`), prose retypeset, rules rewritten
with the same meaning: each is reported as what the sponsor did, never as a
criterion removed and another added, and never as substantial.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generators.diff.compare import diff
from generators.diff.editorial import only_editorial, prose
from generators.diff.identity import unknown_previous_names
from protocol_dsl import model as m
from tests.diff.cases import BASE, CASES, apply, sub
from tests.diff.util import compile_text


def _changes(*edits: tuple[str, str], old: tuple[tuple[str, str], ...] = ()) -> list:
    return diff(compile_text(apply(BASE, old)), compile_text(apply(BASE, tuple(edits))))


def _view(changes: list) -> list[tuple[str, str, bool]]:
    return [(c.target, c.rule_id, c.substantial) for c in changes]


# ---------------------------------------------------------------- identity


def test_insertion_and_renumbering_is_one_addition_and_renumberings() -> None:
    new_e1 = 'exclusion E1 "Under 40 kg"\n  = anaemia\n\n'
    changes = _changes(
        ('exclusion E4 "', 'exclusion E5 "'),
        ('exclusion E3 "', 'exclusion E4 "'),
        ('exclusion E2 "', 'exclusion E3 "'),
        ('exclusion E1 "Anaemia"', 'exclusion E2 "Anaemia"'),
        ('exclusion E2 "Anaemia"', new_e1 + 'exclusion E2 "Anaemia"'),
    )
    view = _view(changes)
    assert ("E1", "CRITERION_ADDED", True) in view
    renumbered = [c for c in changes if c.rule_id == "CRITERION_RENUMBERED"]
    assert [(c.keys[1], c.keys[0]) for c in renumbered] == [
        ("E1", "E2"),
        ("E2", "E3"),
        ("E3", "E4"),
        ("E4", "E5"),
    ]
    assert not any(c.substantial for c in renumbered)
    assert all("added" not in c.summary for c in renumbered)
    assert len(changes) == 5, view


def test_was_pairs_criteria_whatever_they_say() -> None:
    # E2's rule and text both rewritten: only `was` can say it is the old E2
    changes = _changes(
        (
            'exclusion E2 "Oral corticosteroid above 20 mg/day prednisone equivalent"\n'
            "  = steroid_dose > 20 mg/d",
            'exclusion E9 "Systemic corticosteroid above 30 mg/day"\n'
            "  = steroid_dose > 30 mg/d\n  was E2",
        ),
    )
    view = _view(changes)
    assert ("E9", "CRITERION_RENUMBERED", False) in view
    threshold = [c for c in changes if c.rule_id == "CRITERION_THRESHOLD_CHANGED"]
    assert [(c.target, c.direction) for c in threshold] == [("E9", "widened")]
    assert "E2" in threshold[0].keys  # a `change E2 …` entry still finds it
    assert not [c for c in changes if c.rule_id in ("CRITERION_ADDED", "CRITERION_REMOVED")]


def test_was_mark_already_in_the_old_version_is_not_read_again() -> None:
    marked = ("  = anaemia\n", "  = anaemia\n  was E7\n")
    assert _changes(marked, old=(marked,)) == []


def test_was_naming_no_old_criterion_is_e0127() -> None:
    """The command refuses to compare (the diagnostics page runs it end to end)."""
    new = apply(BASE, (sub("  = anaemia\n", "  = anaemia\n  was E8\n"),))
    found = unknown_previous_names(compile_text(BASE), compile_text(new))
    assert [(d.code, d.message) for d in found] == [
        ("E0127", "E1 says it was E8, but the version it is compared with has no criterion E8")
    ]


def test_two_claims_of_one_old_name_are_refused() -> None:
    from protocol_dsl.commands.diff import compile_for_diff

    text = apply(
        BASE,
        (
            sub("  = anaemia\n", "  = anaemia\n  was E9\n"),
            sub("  = steroid_dose > 20 mg/d\n", "  = steroid_dose > 20 mg/d\n  was E9\n"),
        ),
    )
    result = compile_for_diff(str(CASES / "case.trial"), text)
    assert [d.code for d in result.diagnostics if d.is_error] == ["E0128"]


# ---------------------------------------------------------------- editorial


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Qilu Pharmaceutical Co., Ltd.", "Qilu Pharmaceutical Co. Ltd"),
        ("Incidence of adverse events", "Incidence of adverse events (AEs)"),
        ("treatment-emergent adverse events", "Treatment emergent adverse events"),
        ("Pregnant or lactating women;", "pregnant or lactating women."),
        ("“quoted”  text", '"quoted" text'),
    ],
)
def test_typesetting_is_editorial(old: str, new: str) -> None:
    assert prose(old) == prose(new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a dose of 1.5 mg", "a dose of 15 mg"),
        ("ANA titer 1:80", "ANA titer 180"),
        ("1,000 subjects", "1000 subjects"),
        ("adverse events (SAEs)", "adverse events"),  # not the initials of the words before
        ("aged 18 to 70", "aged 18 to 75"),
    ],
)
def test_numbers_and_other_words_are_not_editorial(old: str, new: str) -> None:
    assert prose(old) != prose(new)


def test_units_and_names_are_never_normalised() -> None:
    span = m.Span.unknown()
    assert not only_editorial(m.Quantity(Decimal(1), "mg"), m.Quantity(Decimal(1), "Mg"))
    note = m.Mark("note", "a note", span=span)
    # notes differ, the text does not: a change of annotations, not of wording
    plain = m.Criterion("inclusion", "I1", "Adults", span=span)
    noted = m.Criterion("inclusion", "I1", "Adults", marks=(note,), span=span)
    assert not only_editorial(plain, noted)


@given(st.text(alphabet="abcdefghij ,.;:()-ABC", max_size=40))
def test_editorial_normal_form_is_idempotent(text: str) -> None:
    assert prose(prose(text)) == prose(text)


# ---------------------------------------------------------------- proofs


def test_reordered_rule_is_proved_equivalent() -> None:
    pytest.importorskip("z3", reason="the proof needs the solver extra")
    changes = _changes(
        ("  = anaemia\n", "  = anaemia or steroid_dose > 20 mg/d\n"),
        old=(("  = anaemia\n", "  = steroid_dose > 20 mg/d or anaemia\n"),),
    )
    assert _view(changes) == [("E1", "CRITERION_REWORDED", False)]
    assert "proved by the SMT solver" in changes[0].summary


def test_rule_rewritten_from_scratch_gets_its_direction_from_the_solver() -> None:
    pytest.importorskip("z3", reason="the proof needs the solver extra")
    # the exclusion now needs both: true for fewer subjects, so fewer are excluded
    changes = _changes(
        ("  = anaemia\n", "  = not (not anaemia or steroid_dose <= 20 mg/d)\n"),
        old=(("  = anaemia\n", "  = anaemia or steroid_dose > 20 mg/d\n"),),
    )
    assert [(c.target, c.direction) for c in changes] == [("E1", "widened")]
    assert "proved by the SMT solver" in changes[0].summary


# ---------------------------------------------------------------- change entries


def test_change_entry_naming_nothing_is_refused() -> None:
    from protocol_dsl.commands.diff import compile_for_diff

    amendment = '\namendment 1 {\n  change "Threshold raised" rationale "Recruitment"\n}\n'
    result = compile_for_diff(str(CASES / "case.trial"), BASE + amendment)
    errors = [(d.code, d.message) for d in result.diagnostics if d.is_error]
    assert errors == [("E0130", "a change entry of amendment 1 names no change")]
    named = amendment.replace('change "', 'change E2 "')
    assert not [
        d
        for d in compile_for_diff(str(CASES / "case.trial"), BASE + named).diagnostics
        if d.is_error
    ]
