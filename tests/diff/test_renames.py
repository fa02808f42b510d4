"""Identity beyond criteria, and the direction of a change the solver can decide.

On the real QLS4131 spec and its libraries: a visit, an item or an endpoint
renamed (by content or by `was`) is one non-substantial rename and nothing
else; a definition moved out of a library is one move (see also test_moves); a changed lookup
value or definition threshold gets the direction of eligibility the solver
decides on the criteria read with each version's definitions, and the
re-screen of subject data is shown beside it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generators.diff import redefined, renames
from generators.diff.compare import diff
from protocol_dsl.cli import cli
from protocol_dsl.commands.diff import compile_for_diff
from protocol_dsl.spec import Spec

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
SPEC = "qls4131_sle_phase1b.trial"
SUBJECTS = ROOT / "tests" / "diff" / "subjects" / "qls4131_subjects.jsonl"

solver = pytest.importorskip("z3", reason="the solver extra decides directions")


def _compile(folder: Path, name: str = SPEC) -> Spec:
    path = folder / name
    result = compile_for_diff(str(path), path.read_text(encoding="utf-8"))
    errors = [f"{d.code}: {d.message}" for d in result.diagnostics if d.is_error]
    assert not errors, errors
    assert result.spec is not None
    return result.spec


def _amended(tmp_path: Path, file: str, *edits: tuple[str, str], words: bool = False) -> Path:
    """A copy of specs/ with `file` edited (each edit once, or as whole words everywhere)."""
    copy = tmp_path / "amended"
    shutil.copytree(SPECS, copy)
    target = copy / file
    text = target.read_text(encoding="utf-8")
    for find, replace in edits:
        if words:
            assert re.search(rf"\b{find}\b", text)
            text = re.sub(rf"\b{find}\b", replace, text)
        else:
            assert text.count(find) == 1, find
            text = text.replace(find, replace)
    target.write_text(text, encoding="utf-8")
    return copy


def _view(changes: list) -> list[tuple[str, str, str, bool]]:
    return [(c.target, c.rule_id, c.direction, c.substantial_eu) for c in changes]


@pytest.fixture(scope="module")
def original() -> Spec:
    return _compile(SPECS)


# ---------------------------------------------------------------- renamed by content


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("W12", "V9", ("visit V9", "VISIT_RENAMED")),
        ("diastolic_bp", "dbp", ("item vital_signs.dbp", "ITEM_RENAMED")),
        ("EP5", "EP6", ("endpoint EP6", "ENDPOINT_RENAMED")),
    ],
)
def test_a_renaming_everywhere_is_one_rename_and_nothing_else(
    tmp_path: Path, original: Spec, old: str, new: str, expected: tuple[str, str]
) -> None:
    """Every form scheduled at the visit, every rule reading the item (E4 reads the
    diastolic pressure) is read under the new name: none of them changed."""
    amended = _compile(_amended(tmp_path, SPEC, (old, new), words=True))
    assert _view(diff(original, amended)) == [(*expected, "changed", False)]


def test_a_renamed_visit_that_also_moved_is_not_taken_for_the_same_visit(
    tmp_path: Path, original: Spec
) -> None:
    """The day is part of what a visit is: another name and another day, without `was`, is
    a visit removed and another added."""
    folder = _amended(tmp_path, SPEC, ("W12", "V9"), words=True)
    target = folder / SPEC
    text = target.read_text(encoding="utf-8").replace("day 85 window", "day 86 window")
    target.write_text(text, encoding="utf-8")
    rules = {c.rule_id for c in diff(original, _compile(folder))}
    assert {"VISIT_ADDED", "VISIT_REMOVED"} <= rules
    assert "VISIT_RENAMED" not in rules


def test_was_pairs_a_renamed_visit_whatever_else_changed(tmp_path: Path, original: Spec) -> None:
    folder = _amended(tmp_path, SPEC, ("W12", "V9"), words=True)
    target = folder / SPEC
    text = target.read_text(encoding="utf-8").replace(
        "day 85 window -7 +7 in follow_up number 11 provisional",
        "day 86 window -7 +7 in follow_up number 11 provisional was W12",
    )
    target.write_text(text, encoding="utf-8")
    view = _view(diff(original, _compile(folder)))
    assert ("visit V9", "VISIT_RENAMED", "changed", False) in view
    assert [v for v in view if v[0] == "visit V9" and v[1] == "VISIT_MOVED"]
    assert not [v for v in view if v[1] in ("VISIT_ADDED", "VISIT_REMOVED")]


def test_two_identical_candidates_are_not_guessed_between() -> None:
    """Content pairs only what nothing else of the kind could be: two old items equal to
    each other (under different names) leave the new one unpaired."""
    from protocol_dsl import model as m

    span = m.Span("x.trial", 1, 1, 1, 1)

    def item(name: str) -> m.Item:
        return m.Item(name, m.ItemType("integer", span=span), "Count", span=span)

    olds = {"a": item("a"), "b": item("b")}
    assert renames._kind("item", olds, {"c": item("c")}, renames._plain_content) == []
    assert [
        (r.old, r.new)
        for r in renames._kind("item", {"a": item("a")}, {"c": item("c")}, renames._plain_content)
    ] == [("a", "c")]


def test_was_on_a_visit_naming_nothing_old_is_e0127(tmp_path: Path, original: Spec) -> None:
    folder = _amended(
        tmp_path,
        SPEC,
        (
            "day 85 window -7 +7 in follow_up number 11 provisional",
            "day 85 window -7 +7 in follow_up number 11 provisional was W13",
        ),
    )
    found = renames.unknown_previous_names(original, _compile(folder))
    assert [(d.code, d.message) for d in found] == [
        ("E0127", "W12 says it was W13, but the version it is compared with has no visit W13")
    ]


def test_two_visits_claiming_one_old_name_are_e0128(tmp_path: Path) -> None:
    folder = _amended(
        tmp_path,
        SPEC,
        (
            'visit W8  "Week 8"                     day 57 window -7 +7 in follow_up number 10 provisional',
            'visit W8  "Week 8"                     day 57 window -7 +7 in follow_up number 10 provisional '
            "was V1",
        ),
        (
            'visit W16 "Week 16"                    day 113 window -7 +7 in follow_up number 12 provisional',
            'visit W16 "Week 16"                    day 113 window -7 +7 in follow_up number 12 provisional '
            "was V1",
        ),
    )
    path = folder / SPEC
    result = compile_for_diff(str(path), path.read_text(encoding="utf-8"))
    assert [d.code for d in result.diagnostics if d.is_error] == ["E0128"]


def test_was_on_a_form_is_still_e0129(tmp_path: Path) -> None:
    folder = _amended(
        tmp_path,
        SPEC,
        (
            'form exposure "Study drug administration" repeating at D1, D4, D8 {',
            'form exposure "Study drug administration" repeating at D1, D4, D8 was dosing {',
        ),
    )
    path = folder / SPEC
    result = compile_for_diff(str(path), path.read_text(encoding="utf-8"))
    assert [(d.code, d.message) for d in result.diagnostics if d.is_error] == [
        ("E0129", "`was dosing` is read on criteria, visits, items and endpoints only")
    ]


# ---------------------------------------------------------------- moved between modules

_CLASSIFIED = (
    'define eular_acr_2019_classified "Classified as SLE by the 2019 EULAR/ACR criteria"\n'
    "  = eular_acr_2019_entry and eular_acr_2019 >= 10 and eular_acr_2019.clinical > 0\n"
)
_IN_THE_TRIAL = (
    'define eular_acr_2019_classified "Classified as SLE by the 2019 EULAR/ACR criteria"\n'
    "  = sle.eular_acr_2019_entry and sle.eular_acr_2019 >= 10\n"
    "    and sle.eular_acr_2019.clinical > {points}\n\n"
    "# ------------------------------------------------------------------ eligibility\n"
)


def _moved(tmp_path: Path, points: int) -> Path:
    folder = _amended(
        tmp_path,
        SPEC,
        ("  = sle.eular_acr_2019_classified\n", "  = eular_acr_2019_classified\n"),
        (
            "# ------------------------------------------------------------------ eligibility\n",
            _IN_THE_TRIAL.format(points=points),
        ),
    )
    library = folder / "lib" / "sle.trial"
    text = library.read_text(encoding="utf-8")
    assert text.count(_CLASSIFIED) == 1
    library.write_text(text.replace(_CLASSIFIED, ""), encoding="utf-8")
    return folder


def test_a_definition_moved_out_of_its_library_word_for_word_is_one_move(
    tmp_path: Path, original: Spec
) -> None:
    assert _view(diff(original, _compile(_moved(tmp_path, 0)))) == [
        ("definition eular_acr_2019_classified", "DEFINITION_RELOCATED", "changed", False)
    ]
    # and back again
    assert _view(diff(_compile(_moved(tmp_path / "back", 0)), original)) == [
        ("definition sle.eular_acr_2019_classified", "DEFINITION_RELOCATED", "changed", False)
    ]


def test_a_definition_moved_and_changed_is_reported(tmp_path: Path, original: Spec) -> None:
    rules = {c.rule_id for c in diff(original, _compile(_moved(tmp_path, 1)))}
    assert rules & {"DEFINITION_ADDED", "DEFINITION_REMOVED", "CRITERION_LOGIC_CHANGED"}


# ---------------------------------------------------------------- directions the solver decides


@pytest.mark.parametrize(
    ("glucocorticoid", "old", "new", "direction"),
    [
        ("prednisolone", "1", "1.25", "narrowed"),
        ("methylprednisolone", "5/4", "1", "widened"),
        # an exact ratio against another: 0.6 mg dexamethasone for 5 mg prednisone
        ("dexamethasone", "5/0.75", "5/0.6", "narrowed"),
    ],
)
def test_a_lookup_factor_moves_eligibility_the_way_the_solver_decides(
    tmp_path: Path, original: Spec, glucocorticoid: str, old: str, new: str, direction: str
) -> None:
    """A higher factor makes the same dose count as more prednisone: fewer subjects stay
    under I5's cap (narrowed); a lower one, more (widened)."""
    row = f"  {glucocorticoid:<18} {old}\n"
    folder = _amended(tmp_path, "lib/glucocorticoids.trial", (row, row.replace(old, new)))
    (change,) = diff(original, _compile(folder))
    assert (change.rule_id, change.direction) == ("ELIGIBILITY_DEPENDENCY_CHANGED", direction)
    assert "decided by the SMT solver" in change.summary
    assert change.substantial_eu


def test_the_solver_s_direction_holds_for_as_many_records_as_it_laid_out(
    tmp_path: Path, original: Spec
) -> None:
    """The dexamethasone factor of the benchmark: narrowed, for up to 9 records per log
    (the slots I5's quantifiers and aggregates need), not a smaller bound."""
    row = "  dexamethasone      5/0.75\n"
    amended = _compile(
        _amended(tmp_path, "lib/glucocorticoids.trial", (row, row.replace("5/0.75", "5/0.6")))
    )
    old, new = (next(c for c in s.criteria if c.id == "I5") for s in (original, amended))
    assert redefined.criterion_moved(old, new, original, amended) == redefined.Moved("narrower", 9)
    assert redefined.criterion_moved(new, old, amended, original) == redefined.Moved("wider", 9)
    (change,) = diff(original, amended)
    assert "for subjects with up to 9 records in each log" in change.summary


def test_versions_that_lay_out_different_record_slots_are_compared_on_the_slots_they_share(
    tmp_path: Path, original: Spec
) -> None:
    """The new version counts antimalarials too: its encoding lays out more slots of the
    medications log than the old one, over the same subject (slot by slot, by name)."""
    count = "  = count(medications where class = immunosuppressant and ongoing = yes) <= 1\n"
    folder = _amended(
        tmp_path,
        SPEC,
        (
            count,
            count
            + "    and count(medications where class = antimalarial and ongoing = yes) <= 2\n",
        ),
    )
    amended = _compile(folder)
    old, new = (next(c for c in s.criteria if c.id == "I5") for s in (original, amended))
    assert redefined.criterion_moved(old, new, original, amended) == redefined.Moved(
        "narrower", redefined.FEWER_RECORDS
    )


def test_the_same_criteria_under_both_versions_are_equivalent(original: Spec) -> None:
    i5 = next(c for c in original.criteria if c.id == "I5")
    moved = redefined.criterion_moved(i5, i5, original, original)
    assert moved is not None and moved.outcome == "equivalent"


def test_a_define_threshold_widening_is_widened(tmp_path: Path, original: Spec) -> None:
    folder = _amended(
        tmp_path,
        SPEC,
        (
            "  = all medications where class = antimalarial and ongoing = yes\n"
            "      satisfy dose_start at least 4 weeks before first_dose",
            "  = all medications where class = antimalarial and ongoing = yes\n"
            "      satisfy dose_start at least 2 weeks before first_dose",
        ),
    )
    (change,) = diff(original, _compile(folder))
    assert change.target == "definition antimalarial_rule"
    assert change.direction == "widened"
    assert change.substantial_eu


def test_the_re_screen_is_shown_as_evidence(tmp_path: Path) -> None:
    """Every subject of the data set is on 10 mg/d prednisone: a factor of 5 puts them at
    50 mg/d, over I5's cap of 40."""
    folder = _amended(
        tmp_path,
        "lib/glucocorticoids.trial",
        ("  prednisone         1\n", "  prednisone         5\n"),
    )
    result = CliRunner().invoke(
        cli,
        ["diff", str(SPECS / SPEC), str(folder / SPEC), "--subjects", str(SUBJECTS)],
    )
    assert result.exit_code == 4, result.output
    line = next(x for x in result.output.splitlines() if "prednisone_factor" in x)
    assert "eligibility narrowed" in line
    assert re.search(r"re-screen of \d+ subjects: \d+ no longer eligible \(S\d+", line), line


def test_was_on_an_item_and_an_endpoint_is_read_and_is_no_change_itself(
    tmp_path: Path, original: Spec
) -> None:
    """The item's label changed as well: reported on its own, under the new name."""
    folder = _amended(
        tmp_path,
        SPEC,
        ("or vital_signs.diastolic_bp at SCR", "or vital_signs.dbp at SCR"),
        ("  vital_signs.diastolic_bp   from", "  vital_signs.dbp            from"),
    )
    target = folder / SPEC
    text = target.read_text(encoding="utf-8")
    text = text.replace(
        '  diastolic_bp quantity mm[Hg] "Diastolic blood pressure" range 30 .. 150 required '
        "[LOINC 8462-4]",
        '  dbp quantity mm[Hg] "Diastolic BP" range 30 .. 150 required [LOINC 8462-4] '
        "was diastolic_bp",
    )
    text = text.replace('  endpoint EP5 "Change', '  endpoint EP6 "Change').replace(
        "sle.sledai_2k at SCR\n    provisional\n",
        "sle.sledai_2k at SCR\n    provisional\n    was EP5\n",
    )
    target.write_text(text, encoding="utf-8")
    view = [(c.target, c.rule_id, c.substantial_eu) for c in diff(original, _compile(folder))]
    assert view == [
        ("endpoint EP6", "ENDPOINT_RENAMED", False),
        ("item vital_signs.dbp", "ITEM_RENAMED", False),
        ("vital_signs.dbp", "ITEM_CHANGED", False),
    ]


def test_an_item_renamed_is_followed_into_the_records_rules_read(original: Spec) -> None:
    """`ongoing` renamed `ongoing_v2` in both logs that have it: E6 and E8 read it by its bare
    name inside `any medical_history where …`, I5's definitions inside `all medications
    where …` and `sum(… where …)`; all of them follow the rename, none shows as changed."""
    from protocol_dsl.syntax.formatter import format_module
    from protocol_dsl.syntax.parser import parse_module
    from tests.diff.mutations import _renamed

    path = SPECS / SPEC
    module, _ = parse_module(path.read_text(encoding="utf-8"), str(path))
    assert module is not None
    text = format_module(_renamed(module, "ongoing"))
    result = compile_for_diff(str(path.with_name("renamed.trial")), text)
    assert result.spec is not None and not [d for d in result.diagnostics if d.is_error]
    assert sorted(_view(diff(original, result.spec))) == [
        ("item medical_history.ongoing_v2", "ITEM_RENAMED", "changed", False),
        ("item medications.ongoing_v2", "ITEM_RENAMED", "changed", False),
    ]
