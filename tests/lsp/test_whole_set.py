"""The solver's check of the whole set of criteria asks again only about the criteria an
edit touched (`lsp.whole_set`), and always says what a check from scratch says: when an
edit makes nobody eligible, changes which items are tested with `is known`, or brings the
analysis near its effort limit, the whole set is analysed again."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from protocol_dsl.compiler import CompileResult, compile_spec
from protocol_dsl.lsp.checker import Checker
from protocol_dsl.solver import logic
from tests.lsp.conftest import SPECS
from tests.lsp.test_criterion_findings import SETTINGS
from tests.lsp.test_incremental import EDIT_LISTS, _report, _same_as_from_scratch

#: Criteria in independent parts: age (I1, I2: I1 redundant), weight (I3), ALT (I4, I5:
#: I4 redundant), eGFR tested for absence (I6), and sixteen exclusions over one log, a
#: part large enough to be analysed in a z3 context of its own (each exclusion but the
#: last redundant).  Each rule ends with a parenthesis or a name, so that an edit of its
#: numbers is inside the declaration (`reparse`).
HEADER = """trial PARTS {
  title "Criteria in independent parts"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1 "Day 1" day 1

anchor first_dose "First dose" = visit D1

codelist event_kind "Kind of event" {
  infection "Infection"
  other "Other"
}

form demographics "Demographics" at SCR {
  age    integer "Age (years)" range 0 .. 120 required
  weight integer "Weight (kg)" range 20 .. 300 required
}

form labs "Laboratory" at SCR {
  alt  number "ALT (U/L)" range 0 .. 1000
  egfr number "eGFR" range 0 .. 200
}

form events "Events" repeating at SCR {
  kind  choice event_kind "Kind" required
  onset date "Onset" required
}

inclusion I1 "Adults" = (demographics.age >= 18)
inclusion I2 "Aged 21 or over" = (demographics.age >= 21)
inclusion I3 "Weight" = (demographics.weight >= 40)
inclusion I4 "ALT" = (labs.alt <= 100)
inclusion I5 "ALT at most 80" = (labs.alt <= 80)
inclusion I6 "eGFR measured" = labs.egfr is known
"""
SPEC = HEADER + "".join(
    f'exclusion E{k} "Infection within {k + 1} weeks" = any events where kind = infection '
    f"and onset within {k + 1} weeks before first_dose\n"
    for k in range(1, 17)
)


def _read(name: str) -> bytes:
    return Path(name).read_bytes()


def _checked(tmp_path: Path) -> tuple[Checker, str]:
    path = tmp_path / "parts.trial"
    path.write_text(SPEC, encoding="utf-8")
    checker = Checker()
    first = checker.full(str(path), SPEC, _read)
    assert _report(first) == _report(compile_spec(str(path), SPEC))
    assert [d.code for d in first.diagnostics].count("W0404") == 2 + 15
    return checker, str(path)


def _full(checker: Checker, path: str, text: str) -> CompileResult:
    """The server's order: the quick check, the full one, then the tidying."""
    checker.quick(path, text, _read)
    found = checker.full(path, text, _read)
    checker.tidy()
    assert _report(found) == _report(compile_spec(path, text))
    return found


def test_a_threshold_changed_analyses_its_part_only(tmp_path: Path) -> None:
    checker, path = _checked(tmp_path)
    before = checker.whole_set.analysed
    text = SPEC.replace("age >= 21", "age >= 17")  # now I2 is the redundant one
    found = _full(checker, path, text)
    assert checker.whole_set.apart == 1
    assert checker.whole_set.analysed - before == 2  # I1 and I2
    assert "inclusion I2 is redundant" in " ".join(d.message for d in found.diagnostics)


def test_thresholds_typed_in_a_part_are_analysed_in_its_kept_context(tmp_path: Path) -> None:
    """The second and later edits of numbers in a part reuse its context (`solver.kept`);
    an edit that changes a rule's shape, or the whole set analysed, starts it afresh."""
    checker, path = _checked(tmp_path)
    text = SPEC
    for old, new in [("age >= 21", "age >= 17"), ("age >= 17", "age >= 25"), (">= 18", ">= 30")]:
        text = text.replace(old, new)
        _full(checker, path, text)
    assert checker.whole_set.apart == 3
    assert checker.whole_set.parts_kept == 2  # the first edit made the part's context
    text = text.replace("age >= 25", "age > 25")  # another comparison: a new context
    _full(checker, path, text)
    assert checker.whole_set.parts_kept == 2
    text = text.replace("(labs.alt <= 80)", "(labs.alt <= 100 - 1)")  # a new shape too
    _full(checker, path, text)
    text = text.replace("100 - 1", "100 - 2")
    _full(checker, path, text)
    assert checker.whole_set.parts_kept == 3
    # an edit outside the criteria: the whole set, and the kept parts are forgotten
    text = text.replace("range 20 .. 300", "range 20 .. 301")
    _full(checker, path, text)
    assert not checker.whole_set.parts.get(path)


def test_an_edit_in_the_large_part_analyses_it_in_a_context_of_its_own(tmp_path: Path) -> None:
    checker, path = _checked(tmp_path)
    before = checker.whole_set.analysed
    text = SPEC.replace("within 17 weeks", "within 1 weeks")  # E16 is now the narrowest
    found = _full(checker, path, text)
    assert checker.whole_set.apart == 1
    assert checker.whole_set.analysed - before == 16
    messages = " ".join(d.message for d in found.diagnostics)
    assert "exclusion E16 is redundant" in messages


def test_a_criterion_moved_to_another_part_takes_its_old_group_along(tmp_path: Path) -> None:
    checker, path = _checked(tmp_path)
    text = SPEC.replace("(demographics.age >= 21)", "(demographics.weight >= 50)")
    found = _full(checker, path, text)
    messages = " ".join(d.message for d in found.diagnostics)
    assert "inclusion I1 is redundant" not in messages  # I1 stands alone again
    assert "inclusion I3 is redundant" in messages  # weight 50 implies weight 40
    assert checker.whole_set.apart == 1


def test_an_edit_that_makes_nobody_eligible_analyses_the_whole_set(tmp_path: Path) -> None:
    checker, path = _checked(tmp_path)
    contradiction = SPEC.replace("(demographics.age >= 21)", "(demographics.age <= 17)")
    found = _full(checker, path, contradiction)
    assert "E0401" in [d.code for d in found.diagnostics]
    assert checker.whole_set.apart == 0
    # with an E0401 on record, the fix is analysed whole too, and the next edit apart
    fixed = contradiction.replace("age <= 17", "age <= 19")
    _full(checker, path, fixed)
    assert checker.whole_set.apart == 0
    _full(checker, path, fixed.replace("weight >= 40", "weight >= 41"))
    assert checker.whole_set.apart == 1


def test_with_nobody_eligible_an_edit_is_analysed_apart(tmp_path: Path) -> None:
    """With an E0401 on record that the edit leaves, every criterion is still only asked
    whether it is constant on its own: the edited parts are asked that, the others keep
    what they were told."""
    checker, path = _checked(tmp_path)
    text = SPEC.replace("(demographics.age >= 21)", "(demographics.age <= 17)")
    _full(checker, path, text)  # nobody eligible: the whole set
    assert checker.whole_set.apart == 0
    for old, new in [
        ("weight >= 40", "weight >= 41"),  # another part
        ("weight >= 41", "weight >= 20"),  # now always met (W0406), said even so
        ("alt <= 80", "alt <= 90"),
        ("age <= 17", "age <= 16"),  # the contradictory part itself
    ]:
        text = text.replace(old, new)
        found = _full(checker, path, text)
        assert "E0401" in [d.code for d in found.diagnostics]
    assert checker.whole_set.apart == 4
    assert "W0406" in [d.code for d in found.diagnostics]


def test_an_edit_that_changes_what_is_tested_for_absence_analyses_the_whole_set(
    tmp_path: Path,
) -> None:
    checker, path = _checked(tmp_path)
    before = checker.whole_set.analysed
    _full(checker, path, SPEC.replace("labs.egfr is known", "labs.egfr >= 30"))
    assert checker.whole_set.apart == 0
    assert checker.whole_set.analysed - before == 22


def test_a_rule_removed_analyses_the_whole_set(tmp_path: Path) -> None:
    """A criterion that loses its rule leaves the analysis: its findings go with it."""
    spec = SPEC.replace(
        'inclusion I1 "Adults" = (demographics.age >= 18)\n',
        ('inclusion I1 "Adults" = (demographics.age >= 18)\n  was I0\n'),
    )
    path = tmp_path / "parts.trial"
    path.write_text(spec, encoding="utf-8")
    checker = Checker()
    _full(checker, str(path), spec)
    found = _full(checker, str(path), spec.replace(" = (demographics.age >= 18)\n  was", "\n  was"))
    assert "inclusion I1 is redundant" not in " ".join(d.message for d in found.diagnostics)
    assert checker.whole_set.apart == 0


def test_near_the_effort_limit_the_whole_set_is_analysed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checker, path = _checked(tmp_path)
    work = sum(checker.whole_set.last(path).work_of)  # type: ignore[union-attr]
    # a limit the kept groups and the edited one reach together, but no check does
    monkeypatch.setattr(logic, "WORK_LIMIT", work)
    _full(checker, path, SPEC.replace("weight >= 40", "weight >= 41"))
    assert checker.whole_set.apart == 0


def test_a_layout_edit_moves_every_finding(tmp_path: Path) -> None:
    checker, path = _checked(tmp_path)
    before = checker.whole_set.analysed
    # a space in a title: the criterion is a new object, its rule the same
    _full(checker, path, SPEC.replace('"Weight"', '"Weight "'))
    assert checker.whole_set.analysed - before == 1


@SETTINGS
@given(edits=EDIT_LISTS)
def test_edits_to_a_spec_of_many_parts_are_checked_as_from_scratch(
    tmp_path: Path, edits: list[tuple[int, str, int]]
) -> None:
    path = tmp_path / "parts.trial"
    path.write_text(SPEC, encoding="utf-8")
    _same_as_from_scratch(path, edits, full=True)


@SETTINGS
@given(edits=EDIT_LISTS)
def test_edits_to_the_cdisc_pilot_are_checked_as_from_scratch(
    edits: list[tuple[int, str, int]],
) -> None:
    _same_as_from_scratch(SPECS / "cdiscpilot01.trial", edits, full=True)


def test_digit_edits_to_the_real_specs_analyse_apart_and_as_from_scratch() -> None:
    for name in ("cdiscpilot01", "bliss52_belimumab_sle", "qls4131_sle_phase1b"):
        path = SPECS / f"{name}.trial"
        text = path.read_text(encoding="utf-8")
        spec = compile_spec(str(path), text).spec
        assert spec is not None
        checker = Checker()
        _full(checker, str(path), text)
        digits = [
            next(i for i in range(c.rule.span.start, c.rule.span.end) if text[i].isdigit())
            for c in spec.criteria
            if c.rule is not None
            and c.span.file == str(path)
            and any(text[i].isdigit() for i in range(c.rule.span.start, c.rule.span.end))
        ]
        for at in digits:
            text = text[:at] + str((int(text[at]) + 1) % 10) + text[at + 1 :]
            _full(checker, str(path), text)
        assert checker.whole_set.apart > 0, name
