"""The type pass (shared by the type, unit and unused-item checks) is put together from the
last one after an edit that changed criteria only, typing only the changed criteria
(`lsp.typed`), and always gives what a check from scratch gives."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given

from protocol_dsl.compiler import compile_spec
from protocol_dsl.lsp.checker import Checker
from tests.lsp.test_criterion_findings import SETTINGS
from tests.lsp.test_incremental import (
    EDIT_LISTS,
    _quick_checks,
    _report,
    _same_as_from_scratch,
)

#: A date compared with a number in I1 (E0201), millilitres added to kilograms in I2
#: (E0303), a definition that is no condition where a condition is needed (E0205 in the
#: rule that reads it: the definition is typed on the way), an item no rule reads
#: (`creatinine`, W0504), and a rule that reads an item through a definition.
SPEC = """trial TYPED {
  title "Types and units in criteria"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1

form demographics "Demographics" at SCR {
  age         integer "Age (years)" range 0 .. 120 required
  birth_date  date "Date of birth" required
  weight      quantity kg "Weight" range 20 kg .. 300 kg required
}

form labs "Laboratory" at SCR {
  alt        number "ALT (U/L)" range 0 .. 1000
  creatinine number "Creatinine (umol/L)" range 0 .. 2000
}

define alt_level "ALT level" = labs.alt * 2

inclusion I1 "Born before" = (demographics.birth_date > 5)
inclusion I2 "Heavy enough" = (demographics.weight + 1 mL >= 40 kg)
inclusion I3 "ALT" = (alt_level)
inclusion I4 "Adults" = (demographics.age >= 18)
"""


def _read(name: str) -> bytes:
    return Path(name).read_bytes()


def _quick(checker: Checker, path: str, text: str) -> set[str]:
    found = checker.quick(path, text, _read)
    assert _report(found) == _report(compile_spec(path, text, checks=_quick_checks()))
    checker.full(path, text, _read)
    return {d.code for d in found.diagnostics}


def test_an_edit_to_one_criterion_types_that_criterion_only(tmp_path: Path) -> None:
    path = str(tmp_path / "typed.trial")
    Path(path).write_text(SPEC, encoding="utf-8")
    checker = Checker()
    codes = _quick(checker, path, SPEC)
    assert {"E0201", "E0303", "E0205", "W0504"} <= codes
    text = SPEC.replace("age >= 18", "age >= 19")
    _quick(checker, path, text)
    assert checker.typed.assembled == 1
    assert checker.typed.typed == 1  # I4 only


def test_the_fix_of_a_type_error_clears_it_and_keeps_the_others(tmp_path: Path) -> None:
    path = str(tmp_path / "typed.trial")
    Path(path).write_text(SPEC, encoding="utf-8")
    checker = Checker()
    _quick(checker, path, SPEC)
    text = SPEC.replace("weight + 1 mL >= 40 kg", "weight + 1 kg >= 40 kg")
    codes = _quick(checker, path, text)
    assert "E0303" not in codes
    assert {"E0201", "E0205", "W0504"} <= codes


def test_an_item_read_by_an_edited_rule_is_no_longer_unused(tmp_path: Path) -> None:
    path = str(tmp_path / "typed.trial")
    Path(path).write_text(SPEC, encoding="utf-8")
    checker = Checker()
    _quick(checker, path, SPEC)
    text = SPEC.replace(
        "(demographics.age >= 18)", "(demographics.age >= 18 and labs.creatinine <= 120)"
    )
    codes = _quick(checker, path, text)
    assert "W0504" not in codes
    assert checker.typed.assembled == 1


def test_an_edit_to_a_definition_types_the_whole_spec(tmp_path: Path) -> None:
    path = str(tmp_path / "typed.trial")
    Path(path).write_text(SPEC, encoding="utf-8")
    checker = Checker()
    _quick(checker, path, SPEC)
    _quick(checker, path, SPEC.replace("labs.alt * 2", "labs.alt * 3"))
    assert checker.typed.assembled == 0


@SETTINGS
@given(edits=EDIT_LISTS)
def test_edits_to_a_spec_with_type_problems_are_checked_as_from_scratch(
    tmp_path: Path, edits: list[tuple[int, str, int]]
) -> None:
    path = tmp_path / "typed.trial"
    path.write_text(SPEC, encoding="utf-8")
    _same_as_from_scratch(path, edits, full=True)
