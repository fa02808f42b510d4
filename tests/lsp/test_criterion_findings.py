"""The checks that find their findings criterion by criterion ask again only about the
criteria an edit did not keep, the marks of a declaration are looked for only in new
declarations, and both always say what a check from scratch says."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings

from protocol_dsl.compiler import compile_spec
from protocol_dsl.lsp.checker import Checker
from protocol_dsl.lsp.criterion_findings import PER_CRITERION
from tests.lsp.conftest import QLS4131
from tests.lsp.test_incremental import (
    EDIT_LISTS,
    _quick_checks,
    _report,
    _same_as_from_scratch,
)

#: One finding of each check split per criterion in its own criterion (an unknown name,
#: a partial date read where its period is unknown, a rounded fraction, an ongoing
#: condition counted by its onset, a text stating another age than its rule), criteria
#: without findings, an `allow` that
#: silences a finding and one that silences nothing (N0905, a finding of the full check
#: only), and previous names (one claimed twice).
SPEC = """trial EXAMPLE {
  title "Findings in several criteria"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1 "Day 1" day 1

anchor first_dose "First dose" = visit D1
anchor screening "Screening" = visit SCR

codelist history_category "Category" {
  opportunistic_infection "Opportunistic infection"
  other "Other"
}

form demographics "Demographics" at SCR {
  age      integer "Age (years)" range 0 .. 120 required
  weight   integer "Weight (kg)" range 20 .. 300 required
  diagnosis date "Date of diagnosis" partial
}

form medical_history "Medical history" repeating at SCR {
  category choice history_category "Category" required
  onset    date "Onset date" required
  ongoing  yes_no "Ongoing"
}

inclusion I1 "Adults" = demographics.age >= 18
  was I9

inclusion I2 "Weight" = demographics.wieght >= 40

inclusion I3 "Diagnosed at least 1 year before screening"
  = years_between(demographics.diagnosis, screening) >= 1

inclusion I4 "A third of the weight" = demographics.weight * 0.33 >= 15
  allow W0419 "the protocol writes the factor so"

inclusion I5 "Not too heavy" = demographics.weight * 0.67 <= 120

exclusion E1 "Opportunistic infection within 12 weeks prior to the first dose."
  = any medical_history where category = opportunistic_infection
      and onset within 12 weeks before first_dose
  was I9

exclusion E2 "Age > 80" = demographics.age > 85
  allow W0406 "stale"
"""


def _read(name: str) -> bytes:
    return Path(name).read_bytes()


def _checked(tmp_path: Path) -> tuple[Checker, str]:
    path = tmp_path / "criteria.trial"
    path.write_text(SPEC, encoding="utf-8")
    checker = Checker()
    first = checker.quick(str(path), SPEC, _read)
    codes = {d.code for d in first.diagnostics} | {d.code for d in first.allowed}
    # every kind of finding the split checks and the marks give is there to be kept
    assert {"E0101", "W0409", "W0419", "W0414", "E0128", "W0413"} <= codes
    return checker, str(path)


def test_a_threshold_changed_asks_again_about_that_criterion_only(tmp_path: Path) -> None:
    checker, path = _checked(tmp_path)
    text = SPEC.replace("age > 85", "age > 86")  # in E2, the last criterion
    found = checker.quick(path, text, _read)
    assert _report(found) == _report(compile_spec(path, text, checks=_quick_checks()))
    # each split check gave back its findings about the six criteria the edit kept
    assert checker.criteria.reused == len(PER_CRITERION) * 6
    # the marks of every declaration but the edited one, for the allow marks and `was`
    declarations = SPEC.count("\n\n") + 1
    assert checker.declarations.marks_reused >= 2 * (declarations - 1)


def test_the_fix_of_a_finding_in_one_criterion_clears_it_and_keeps_the_others(
    tmp_path: Path,
) -> None:
    checker, path = _checked(tmp_path)
    text = SPEC.replace("demographics.wieght", "demographics.weight")
    found = checker.quick(path, text, _read)
    assert "E0101" not in {d.code for d in found.diagnostics}
    assert {"W0409", "W0414", "E0128"} <= {d.code for d in found.diagnostics}
    assert _report(found) == _report(compile_spec(path, text, checks=_quick_checks()))


def test_an_edit_outside_the_criteria_asks_about_every_criterion(tmp_path: Path) -> None:
    checker, path = _checked(tmp_path)
    # the imputation rule declared: the partial date is no longer unknown where I3 reads it
    text = SPEC.replace('"Date of diagnosis" partial', '"Date of diagnosis" partial impute first')
    found = checker.quick(path, text, _read)
    assert checker.criteria.reused == 0
    assert "W0409" not in {d.code for d in found.diagnostics}
    assert _report(found) == _report(compile_spec(path, text, checks=_quick_checks()))


def test_the_findings_of_kept_criteria_follow_them_through_many_edits(tmp_path: Path) -> None:
    """Table-driven: each threshold of the spec changed in turn, then changed back."""
    checker, path = _checked(tmp_path)
    text = SPEC
    for old, new in [(">= 18", ">= 19"), (">= 40", ">= 41"), (">= 1\n", ">= 2\n"),
                     ("<= 120", "<= 121"), ("> 85", "> 84"), (">= 19", ">= 18")]:  # fmt: skip
        assert old in text
        text = text.replace(old, new, 1)
        found = checker.quick(path, text, _read)
        assert _report(found) == _report(compile_spec(path, text, checks=_quick_checks()))
        assert _report(checker.full(path, text, _read)) == _report(compile_spec(path, text))
    assert checker.criteria.reused > 0


SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(edits=EDIT_LISTS)
def test_edits_to_a_spec_with_findings_in_its_criteria_are_checked_as_from_scratch(
    tmp_path: Path, edits: list[tuple[int, str, int]]
) -> None:
    path = tmp_path / "criteria.trial"
    path.write_text(SPEC, encoding="utf-8")
    _same_as_from_scratch(path, edits)


def test_digit_edits_in_qls4131_reuse_the_findings_of_the_other_criteria() -> None:
    text = QLS4131.read_text(encoding="utf-8")
    spec = compile_spec(str(QLS4131), text).spec
    assert spec is not None
    checker = Checker()
    checker.quick(str(QLS4131), text, _read)
    at = next(
        i
        for c in spec.criteria
        if c.rule is not None
        for i in range(c.rule.span.start, c.rule.span.end)
        if text[i].isdigit()
    )
    text = text[:at] + str((int(text[at]) + 1) % 10) + text[at + 1 :]
    found = checker.quick(str(QLS4131), text, _read)
    assert _report(found) == _report(compile_spec(str(QLS4131), text, checks=_quick_checks()))
    criteria = [c for c in spec.criteria if c.span.file == str(QLS4131)]
    assert checker.criteria.reused >= len(PER_CRITERION) * (len(criteria) - 1)


@SETTINGS
@given(edits=EDIT_LISTS)
def test_full_checks_of_a_spec_with_findings_in_its_criteria_are_as_from_scratch(
    tmp_path: Path, edits: list[tuple[int, str, int]]
) -> None:
    """The quick check and then the full one after each edit, as the server runs them
    (a stale `allow` is N0905 in the full check only)."""
    path = tmp_path / "criteria.trial"
    path.write_text(SPEC, encoding="utf-8")
    _same_as_from_scratch(path, edits, full=True)


def test_a_digit_typed_in_the_first_criterion_moves_the_findings_of_those_after_it(
    tmp_path: Path,
) -> None:
    """Typed, not replaced: every later declaration stands one character further on, and
    the findings about the later criteria (an unknown name in I2, a partial date in I3,
    rounded fractions in I4 and I5 …) move with them instead of being asked again."""
    checker, path = _checked(tmp_path)
    text = SPEC.replace("age >= 18", "age >= 118")  # in I1, the first criterion
    found = checker.quick(path, text, _read)
    assert _report(found) == _report(compile_spec(path, text, checks=_quick_checks()))
    assert checker.criteria.reused == len(PER_CRITERION) * 6
    assert {"E0101", "W0409", "W0419", "W0414"} <= {d.code for d in found.diagnostics}


def test_findings_follow_criteria_through_texts_parsed_but_not_checked(tmp_path: Path) -> None:
    """An editor asks for the outline of each text, which parses it: the next check's
    modules are then several re-parses away from those its findings were found on."""
    checker, path = _checked(tmp_path)
    text = SPEC
    for old, new in [(">= 18", ">= 118"), ("* 0.33", "* 0.133"), ("> 85", "> 815")]:
        text = text.replace(old, new, 1)
        checker.parse(text, path)
    found = checker.quick(path, text, _read)
    assert _report(found) == _report(compile_spec(path, text, checks=_quick_checks()))
    # the three criteria edited are asked again, the four others are not
    assert checker.criteria.reused == len(PER_CRITERION) * 4


def test_a_line_break_typed_before_the_criteria_asks_about_every_one(tmp_path: Path) -> None:
    """Moving a finding to another line could leave a line it names wrong: not followed."""
    checker, path = _checked(tmp_path)
    text = SPEC.replace("age >= 18", "age >=\n    18")
    found = checker.quick(path, text, _read)
    assert checker.criteria.reused == 0
    assert _report(found) == _report(compile_spec(path, text, checks=_quick_checks()))


def test_digits_typed_in_qls4131_move_the_findings_of_the_other_criteria() -> None:
    text = QLS4131.read_text(encoding="utf-8")
    spec = compile_spec(str(QLS4131), text).spec
    assert spec is not None
    criteria = [c for c in spec.criteria if c.span.file == str(QLS4131) and c.rule is not None]
    checker = Checker()
    checker.quick(str(QLS4131), text, _read)
    # from the last criterion up, so that each digit typed leaves the next point where it was
    points = [
        next((i for i in range(c.rule.span.start, c.rule.span.end) if text[i].isdigit()), None)
        for c in reversed(criteria)
        if c.rule is not None
    ]
    typed = [at for at in points if at is not None][:4]
    assert len(typed) == 4
    for number, at in enumerate(typed):
        text = text[:at] + "1" + text[at:]
        before = checker.criteria.reused
        found = checker.quick(str(QLS4131), text, _read)
        assert _report(found) == _report(
            compile_spec(str(QLS4131), text, checks=_quick_checks())
        ), number
        assert checker.criteria.reused - before >= len(PER_CRITERION) * (len(criteria) - 1)
