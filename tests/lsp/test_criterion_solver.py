"""The solver checks about single criteria (collection, alternatives) are asked again only
when what they encode changed, the full check of a text after its quick check runs only
the solver's check again, and both always say what a check from scratch says."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings

from protocol_dsl.compiler import compile_spec
from protocol_dsl.lsp.checker import Checker
from tests.lsp.conftest import QLS4131
from tests.lsp.test_incremental import (
    EDIT_LISTS,
    _anchors,
    _edit,
    _quick_checks,
    _report,
    _same_as_from_scratch,
)

#: A dead alternative in I1 (W0415), and I2, which neither check selects.
SPEC = """trial EXAMPLE {
  title "Dead alternative"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1

form disease "Disease activity" at SCR {
  sledai         integer "SLEDAI-2K" range 0 .. 105 required
  low_complement yes_no  "Low complement" required
  age            integer "Age" range 0 .. 120 required
}

inclusion I2 "Adult." = disease.age >= 18

inclusion I1 "SLEDAI-2K >= 8, or >= 6 with low complement."
  = disease.sledai >= 6
    or (disease.sledai >= 6 and disease.low_complement = yes)
"""


def _checked(tmp_path: Path) -> tuple[Checker, str, str]:
    path = tmp_path / "dead.trial"
    path.write_text(SPEC, encoding="utf-8")
    checker = Checker()
    first = checker.full(str(path), SPEC, lambda name: Path(name).read_bytes())
    assert "W0415" in [d.code for d in first.diagnostics]
    return checker, str(path), SPEC


def test_an_edit_to_a_criterion_neither_check_reads_moves_their_findings(tmp_path: Path) -> None:
    checker, path, text = _checked(tmp_path)
    # 18 → 180: a rule that now means something else, one character longer, before I1
    text = text.replace(">= 18", ">= 180")
    found = checker.full(path, text, lambda name: Path(name).read_bytes())
    assert checker.criterion_solver.reused == 1
    assert checker.reused == 0  # the spec means something else: the other checks ran again
    assert _report(found) == _report(compile_spec(path, text))
    assert any(d.code == "W0415" for d in found.diagnostics)


def test_an_edit_to_a_criterion_they_read_asks_the_solver_again(tmp_path: Path) -> None:
    checker, path, text = _checked(tmp_path)
    text = text.replace("disease.sledai >= 6\n", "disease.sledai >= 8\n")  # the fix
    found = checker.full(path, text, lambda name: Path(name).read_bytes())
    assert checker.criterion_solver.reused == 0
    assert _report(found) == _report(compile_spec(path, text))
    assert not any(d.code == "W0415" for d in found.diagnostics)


def test_an_edit_outside_the_criteria_asks_the_solver_again(tmp_path: Path) -> None:
    checker, path, text = _checked(tmp_path)
    text = text.replace("range 0 .. 105", "range 0 .. 106")
    found = checker.full(path, text, lambda name: Path(name).read_bytes())
    assert checker.criterion_solver.reused == 0
    assert _report(found) == _report(compile_spec(path, text))


def test_the_shared_encoder_works_in_a_context_made_between_checks(tmp_path: Path) -> None:
    """z3 takes milliseconds to make and free a context: the server does both in `tidy`."""
    from protocol_dsl.solver import collection

    checker, path, text = _checked(tmp_path)
    checker.tidy()
    spare = checker.criterion_solver.context()
    checker.criterion_solver._spare = [spare]  # the one the next check is to use
    text = text.replace("disease.sledai >= 6\n", "disease.sledai >= 7\n")
    found = checker.full(path, text, lambda name: Path(name).read_bytes())
    assert _report(found) == _report(compile_spec(path, text))
    assert found.spec is not None
    assert collection.shared_encoder(found.spec).ctx is spare
    # the earlier texts' encoders are freed between checks, not in the next check
    del found
    checker.tidy()
    assert all(ref() is not None for ref, _ in collection._ENCODERS.values())
    assert checker.criterion_solver._spare  # and the next context is made


FULL_SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FULL_SETTINGS
@given(edits=EDIT_LISTS)
def test_full_checks_of_edited_qls4131_are_as_from_scratch(
    edits: list[tuple[int, str, int]],
) -> None:
    _same_as_from_scratch(QLS4131, edits, full=True)


@FULL_SETTINGS
@given(edits=EDIT_LISTS)
def test_full_checks_of_the_edited_tutorial_spec_are_as_from_scratch(
    tutorial_spec: Path, edits: list[tuple[int, str, int]]
) -> None:
    _same_as_from_scratch(tutorial_spec, edits, full=True)


def test_digit_edits_in_each_qls4131_rule_are_checked_as_from_scratch() -> None:
    """Table-driven: the last digit of each rule changed in turn, a different criterion
    each time, as a writer correcting thresholds does."""
    text = QLS4131.read_text(encoding="utf-8")
    spec = compile_spec(str(QLS4131), text).spec
    assert spec is not None
    checker = Checker()

    def read(name: str) -> bytes:
        return Path(name).read_bytes()

    checker.quick(str(QLS4131), text, read)
    digits = [
        max(i for i in range(c.rule.span.start, c.rule.span.end) if text[i].isdigit())
        for c in spec.criteria
        if c.rule is not None
        and c.span.file == str(QLS4131)
        and any(ch.isdigit() for ch in text[c.rule.span.start : c.rule.span.end])
    ]
    assert len(digits) > 5
    for at in digits:  # one character replaced by one: later points stay where they are
        text = text[:at] + str((int(text[at]) + 1) % 10) + text[at + 1 :]
        quick = checker.quick(str(QLS4131), text, read)
        assert _report(quick) == _report(compile_spec(str(QLS4131), text, checks=_quick_checks()))
    assert checker.criterion_solver.reused > 0
    # every declaration but the edited one is kept as it was: its details not checked again
    assert checker.declarations.reused >= len(digits) * (len(spec.module.declarations) - 1)


def test_the_full_check_after_the_quick_one_runs_only_the_solver_again() -> None:
    text = QLS4131.read_text(encoding="utf-8")
    anchors = _anchors(QLS4131, text)
    checker = Checker()

    def read(name: str) -> bytes:
        return Path(name).read_bytes()

    checker.quick(str(QLS4131), text, read)
    text = _edit(text, anchors, 5, "digit", 0)
    checker.quick(str(QLS4131), text, read)
    before = checker.same_text.reused
    full = checker.full(str(QLS4131), text, read)
    # every check but the solver's gave back what the quick check found
    assert checker.same_text.reused - before == len(_quick_checks())
    assert _report(full) == _report(compile_spec(str(QLS4131), text))


def test_digits_typed_in_qls4131_rules_move_what_was_found_about_later_declarations() -> None:
    """Typed, not replaced: every declaration after the edit stands one character further
    on; its details, its marks and the solver's choice of criteria are kept all the same."""
    text = QLS4131.read_text(encoding="utf-8")
    spec = compile_spec(str(QLS4131), text).spec
    assert spec is not None
    checker = Checker()

    def read(name: str) -> bytes:
        return Path(name).read_bytes()

    checker.full(str(QLS4131), text, read)
    criteria = [c for c in spec.criteria if c.span.file == str(QLS4131)]
    digits = [
        max(i for i in range(c.rule.span.start, c.rule.span.end) if text[i].isdigit())
        for c in criteria
        if c.rule is not None
        and any(ch.isdigit() for ch in text[c.rule.span.start : c.rule.span.end])
    ]
    typed = sorted(digits, reverse=True)[::3]  # from the end: earlier points stay put
    assert len(typed) > 3
    declarations = len(spec.module.declarations)
    for at in typed:
        text = text[:at] + "1" + text[at:]
        before = (checker.declarations.reused, checker.criterion_solver.selection.reused)
        quick = checker.quick(str(QLS4131), text, read)
        assert _report(quick) == _report(compile_spec(str(QLS4131), text, checks=_quick_checks()))
        assert checker.declarations.reused - before[0] >= declarations - 1
        assert checker.criterion_solver.selection.reused - before[1] >= len(criteria) - 1
        full = checker.full(str(QLS4131), text, read)
        assert _report(full) == _report(compile_spec(str(QLS4131), text))
