"""Declarations moved between the trial and its libraries, read from real files on disk.

A code list, a definition or a form moved word for word from the trial into a
library it uses (or back), and a criterion moved from one library to another, is one
move reported at both places, not substantial, whichever way the diff is read;
what else changed in the same amendment is still reported.  A criterion moved
between the trial and a library leaves or joins the trial's eligibility (a
trial applies its own criteria only), and is reported as such.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generators.diff import moves
from generators.diff.changes import Change
from generators.diff.compare import diff
from protocol_dsl.commands.diff import compile_for_diff
from protocol_dsl.spec import Spec

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
SPEC = "qls4131_sle_phase1b.trial"

_ROUTE = (
    'codelist route "Route of administration" {\n'
    '  oral         "Oral"         [CDISC C38288]\n'
    '  subcutaneous "Subcutaneous" [CDISC C38299]\n'
    '  intravenous  "Intravenous"  [CDISC C38276]\n'
    "}\n"
)


def _compile(path: Path) -> Spec:
    result = compile_for_diff(str(path), path.read_text(encoding="utf-8"))
    errors = [f"{d.code}: {d.message}" for d in result.diagnostics if d.is_error]
    assert not errors, errors
    assert result.spec is not None
    return result.spec


def _edit(path: Path, *edits: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for find, replace in edits:
        assert text.count(find) == 1, find
        text = text.replace(find, replace)
    path.write_text(text, encoding="utf-8")


def _route_moved(tmp_path: Path, extra: str = "") -> Path:
    """specs/ copied, with the route code list moved into the glucocorticoids library."""
    copy = tmp_path / "amended"
    shutil.copytree(SPECS, copy)
    _edit(
        copy / SPEC,
        (_ROUTE + "\n", ""),
        ("choice route             ", "choice gc.route          "),
    )
    moved = _ROUTE.replace("}\n", extra + "}\n")
    _edit(copy / "lib" / "glucocorticoids.trial", ("\n# Factor that", f"\n{moved}\n# Factor that"))
    return copy / SPEC


def _view(changes: list[Change]) -> list[tuple[str, str, str, bool]]:
    return [(c.target, c.rule_id, c.direction, c.substantial_eu) for c in changes]


@pytest.fixture(scope="module")
def original() -> Spec:
    return _compile(SPECS / SPEC)


def test_a_code_list_moved_into_a_library_is_one_move(tmp_path: Path, original: Spec) -> None:
    amended = _compile(_route_moved(tmp_path))
    forward = diff(original, amended)
    assert _view(forward) == [("code list gc.route", "CODELIST_RELOCATED", "changed", False)]
    assert (forward[0].old, forward[0].new) == ("route", "gc.route")
    assert set(forward[0].keys) == {"route", "gc.route"}  # located at both places
    assert "from the trial to library gc" in forward[0].summary
    backward = diff(amended, original)
    assert _view(backward) == [("code list route", "CODELIST_RELOCATED", "changed", False)]
    assert "from library gc to the trial" in backward[0].summary


def test_a_code_list_moved_and_changed_reports_both(tmp_path: Path, original: Spec) -> None:
    extra = '  intramuscular "Intramuscular" [CDISC C28161]\n'
    changes = _view(diff(original, _compile(_route_moved(tmp_path, extra))))
    assert ("code list gc.route", "CODELIST_RELOCATED", "changed", False) in changes
    assert ("code list gc.route, value intramuscular", "CODELIST_VALUE_ADDED", "added", False) in (
        changes
    )
    assert len(changes) == 2


def test_a_code_list_that_cannot_be_read_where_it_went_is_not_a_move(original: Spec) -> None:
    """A library's list moved into the trial while the library still reads it: the library
    would not check; the pairing asks that every reference can follow."""
    assert moves.find(original, original) == []


_LIBRARY_A = (
    'exclusion X1 "Unsuitable for the trial in the opinion of the investigator"\n\n'
    'inclusion X2 "Classified as SLE"\n'
    "  = sle.eular_acr_2019_classified\n\n"
    'use "sle.trial" as sle\n'
)
_LIBRARY_B = 'use "sle.trial" as sle\n'


def _two_libraries(folder: Path, a: str, b: str) -> Path:
    shutil.copytree(SPECS, folder)
    (folder / "lib" / "standard_a.trial").write_text(a, encoding="utf-8")
    (folder / "lib" / "standard_b.trial").write_text(b, encoding="utf-8")
    _edit(
        folder / SPEC,
        (
            'use "lib/sle.trial"             as sle\n',
            'use "lib/sle.trial"             as sle\n'
            'use "lib/standard_a.trial"      as std_a\n'
            'use "lib/standard_b.trial"      as std_b\n',
        ),
    )
    return folder / SPEC


def test_criteria_moved_between_two_libraries(tmp_path: Path) -> None:
    criteria = _LIBRARY_A.replace('use "sle.trial" as sle\n', "")
    old = _compile(_two_libraries(tmp_path / "old", _LIBRARY_A, _LIBRARY_B))
    new = _compile(_two_libraries(tmp_path / "new", _LIBRARY_B, _LIBRARY_B + "\n" + criteria))
    forward = _view(diff(old, new))
    assert sorted(forward) == [
        ("criterion std_b.X1", "CRITERION_RELOCATED", "changed", False),
        ("criterion std_b.X2", "CRITERION_RELOCATED", "changed", False),
    ]
    assert sorted(_view(diff(new, old))) == [
        ("criterion std_a.X1", "CRITERION_RELOCATED", "changed", False),
        ("criterion std_a.X2", "CRITERION_RELOCATED", "changed", False),
    ]


def test_a_criterion_moved_out_of_the_trial_leaves_its_eligibility(
    tmp_path: Path, original: Spec
) -> None:
    copy = tmp_path / "amended"
    shutil.copytree(SPECS, copy)
    i6 = next(c for c in original.criteria if c.id == "I6")
    start, end = i6.span.start, i6.span.end
    text = (SPECS / SPEC).read_text(encoding="utf-8")
    (copy / SPEC).write_text(text[:start] + text[end:], encoding="utf-8")
    library = copy / "lib" / "sle.trial"
    library.write_text(library.read_text(encoding="utf-8") + "\n" + text[start:end] + "\n")
    amended = _compile(copy / SPEC)
    assert moves.find(original, amended) == []
    changes = _view(diff(original, amended))
    assert ("I6", "CRITERION_REMOVED", "removed", True) in changes
    assert not [c for c in changes if c[1].endswith("_RELOCATED")]


_VITAL_SIGNS_AT = 'form vital_signs "Vital signs" at SCR, D1, D2, D4, D8, D15, D29, W12, W24 {'


def _vital_signs_moved(tmp_path: Path, visits: str) -> Path:
    """The vital signs form moved into the SLE library, the trial collecting it at `visits`
    and reading it as sle.vital_signs."""
    copy = tmp_path / "amended"
    shutil.copytree(SPECS, copy)
    text = (copy / SPEC).read_text(encoding="utf-8")
    start = text.index(_VITAL_SIGNS_AT)
    end = text.index("}\n", start) + 2
    form = text[start:end].replace(_VITAL_SIGNS_AT, 'form vital_signs "Vital signs" {')
    text = text[:start] + f"collect sle.vital_signs at {visits}\n" + text[end:]
    text = re.sub(r"(?<![\w.])vital_signs\.", "sle.vital_signs.", text)
    (copy / SPEC).write_text(text, encoding="utf-8")
    library = copy / "lib" / "sle.trial"
    library.write_text(library.read_text(encoding="utf-8") + "\n" + form, encoding="utf-8")
    return copy / SPEC


def test_a_form_moved_into_a_library_and_collected_is_one_move(
    tmp_path: Path, original: Spec
) -> None:
    amended = _compile(_vital_signs_moved(tmp_path, "SCR, D1, D2, D4, D8, D15, D29, W12, W24"))
    assert _view(diff(original, amended)) == [
        ("form sle.vital_signs", "FORM_RELOCATED", "changed", False)
    ]
    assert _view(diff(amended, original)) == [
        ("form vital_signs", "FORM_RELOCATED", "changed", False)
    ]


def test_a_form_moved_and_collected_at_fewer_visits_reports_both(
    tmp_path: Path, original: Spec
) -> None:
    amended = _compile(_vital_signs_moved(tmp_path, "SCR, D1, D29, W12, W24"))
    assert _view(diff(original, amended)) == [
        ("form sle.vital_signs", "FORM_RELOCATED", "changed", False),
        ("form sle.vital_signs", "SAFETY_ASSESSMENT_VISITS_CHANGED", "removed", True),
    ]


def test_a_form_moved_with_its_code_list_is_two_moves(tmp_path: Path, original: Spec) -> None:
    """The study drug administration form and the dose-step list its `step` item reads, both
    moved into the SLE library: the form is the same once its list is read where it went."""
    copy = tmp_path / "amended"
    shutil.copytree(SPECS, copy)
    text = (copy / SPEC).read_text(encoding="utf-8")
    start = text.index('form exposure "Study drug administration" repeating at D1, D4, D8 {')
    form = text[start : text.index("}\n", start) + 2]
    start = text.index('codelist dose_step "Dose step" {')
    codelist = text[start : text.index("}\n", start) + 2]
    text = text.replace(form, "collect sle.exposure at D1, D4, D8\n").replace(codelist, "")
    # the SDTM mapping names the form where it now is
    text = text.replace("\n  exposure.", "\n  sle.exposure.")
    (copy / SPEC).write_text(text, encoding="utf-8")
    library = copy / "lib" / "sle.trial"
    moved = form.replace(" at D1, D4, D8 {", " {")
    library.write_text(
        library.read_text(encoding="utf-8") + "\n" + codelist + "\n" + moved, encoding="utf-8"
    )
    amended = _compile(copy / SPEC)
    assert sorted(_view(diff(original, amended))) == [
        ("code list sle.dose_step", "CODELIST_RELOCATED", "changed", False),
        ("form sle.exposure", "FORM_RELOCATED", "changed", False),
    ]
    assert sorted(_view(diff(amended, original))) == [
        ("code list dose_step", "CODELIST_RELOCATED", "changed", False),
        ("form exposure", "FORM_RELOCATED", "changed", False),
    ]
