"""How recorded data are read, in the diff: conversions, logs' none questions, completeness,
and comparison chains (a spelling, never a change of meaning).

The table rows (`cases.py`) pin the rule and classification of each change;
these tests pin what the table cannot: the summary says plainly when the
direction cannot be computed, the change points at both versions' source,
a conversion brought in or taken away with a library is reported, the real
specs' none questions and `complete` lines are followed into their
criteria, every output format carries the changes, and a rule spelled as a
chain, as two comparisons or with `between` is one rule.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.diff import reading
from generators.diff.compare import diff
from protocol_dsl.cli import cli
from protocol_dsl.commands.diff import compile_for_diff
from tests.diff.cases import BASE, apply, sub
from tests.diff.util import amend, compile_text

ROOT = Path(__file__).resolve().parents[2]
QLS = ROOT / "specs" / "qls4131_sle_phase1b.trial"
CDISC = ROOT / "specs" / "cdiscpilot01.trial"

HB_CODE = sub('"Haemoglobin" range 0 .. 300', '"Haemoglobin" range 0 .. 300 [LOINC 718-7]')
CONVERSION = (
    'conversion hb_mmol "Haemoglobin: mmol/L to g/L" from mmol/L to g/L = 16.1 * value'
    ' [LOINC 718-7]\n  source "Haemoglobin (Fe) 1 mmol/L = 16.1 g/L"\n\n'
)
WITHOUT = apply(BASE, (HB_CODE,))
WITH = apply(WITHOUT, (sub("inclusion I1", CONVERSION + "inclusion I1"),))


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _real(path: Path, text: str | None = None):  # type: ignore[no-untyped-def]
    result = compile_for_diff(str(path), text)
    errors = [f"{d.code}: {d.message}" for d in result.diagnostics if d.is_error]
    assert not errors, errors
    return result.spec


# ---------------------------------------------------------------- conversions


def test_added_conversion_names_its_items_criteria_and_unknown_direction() -> None:
    (change,) = diff(compile_text(WITHOUT), compile_text(WITH))
    assert change.rule_id == "ELIGIBILITY_DEPENDENCY_CHANGED"
    assert change.target == "conversion hb_mmol"
    assert change.affects == ("E1",)
    assert "applies to labs.hb" in change.summary
    assert "the direction cannot be computed" in change.summary
    assert change.new == "from mmol/L to g/L = 16.1 * value [LOINC 718-7]"
    assert change.old_span is None
    assert change.new_span is not None
    assert change.new_span.line == _line_of(WITH, "conversion hb_mmol")
    assert change.substantial_eu and change.substantial_fda


def test_changed_formula_points_at_both_versions() -> None:
    new_text = WITH.replace("= 16.1 * value", "= 16.2 * value")
    (change,) = diff(compile_text(WITH), compile_text(new_text))
    assert change.direction == "changed"
    assert "formula 16.1 * value → 16.2 * value" in change.summary
    assert change.old_span is not None and change.new_span is not None
    assert change.old_span.line == change.new_span.line == _line_of(WITH, "conversion hb_mmol")


def test_units_and_codes_of_a_conversion_are_part_of_how_values_are_read() -> None:
    other_code = WITH.replace("value\n  [LOINC 718-7]", "value [LOINC 718-7] [LOINC 30350-3]")
    other_code = WITH.replace(
        " [LOINC 718-7]\n  source", " [LOINC 718-7] [LOINC 30350-3]\n  source"
    )
    (change,) = diff(compile_text(WITH), compile_text(other_code))
    assert change.rule_id == "ELIGIBILITY_DEPENDENCY_CHANGED"
    assert change.summary.startswith("codes ")
    per_dl = WITH.replace("from mmol/L to g/L = 16.1", "from mmol/L to g/dL = 1.61")
    (change,) = diff(compile_text(WITH), compile_text(per_dl))
    assert "units mmol/L → g/L became mmol/L → g/dL" in change.summary
    assert "formula 16.1 * value → 1.61 * value" in change.summary


def test_label_and_source_of_a_conversion_are_not_substantial() -> None:
    relabelled = WITH.replace('"Haemoglobin: mmol/L to g/L"', '"Hb"')
    resourced = WITH.replace('1 mmol/L = 16.1 g/L"', '1 mmol/L = 16.1 g/L (IFCC)"')
    for new_text, rule_id in (
        (relabelled, "CONVERSION_CHANGED"),
        (resourced, "ANNOTATION_CHANGED"),
    ):
        (change,) = diff(compile_text(WITH), compile_text(new_text))
        assert change.rule_id == rule_id
        assert not change.substantial


@settings(max_examples=20, deadline=None)
@given(
    slope=st.integers(1, 400),
    intercept=st.integers(-50, 50),
    spelling=st.sampled_from(["{a} * value + {b}", "{b} + value * {a}", "({a} * value) - -{b}"]),
)
def test_a_formula_spelled_another_way_is_a_rewording(
    slope: int, intercept: int, spelling: str
) -> None:
    """The formula is compared as the change of scale it is, not as it is written."""
    first = WITH.replace("16.1 * value", f"{slope} * value + {intercept}")
    second = WITH.replace("16.1 * value", spelling.format(a=slope, b=intercept))
    changes = diff(compile_text(first), compile_text(second))
    assert all(c.rule_id == "CONVERSION_CHANGED" for c in changes)
    assert all(c.direction == "reworded" and not c.substantial for c in changes)
    shifted = WITH.replace("16.1 * value", f"{slope} * value + {intercept + 1}")
    (change,) = diff(compile_text(first), compile_text(shifted))
    assert change.rule_id == "ELIGIBILITY_DEPENDENCY_CHANGED" and change.substantial


def test_conversion_brought_by_a_library() -> None:
    """`use lab_scales` adds the HbA1c conversion; the diff follows it into the criterion."""
    old_text = amend(
        BASE,
        r'^  alt quantity \[IU\]/L "Alanine aminotransferase"\n',
        '\\g<0>  hba1c quantity % "HbA1c" [LOINC 4548-4]\n',
    )
    old_text = amend(
        old_text,
        r"^exclusion E4",
        'exclusion E5 "Poor glycaemic control"\n  = labs.hba1c > 8 %\n\n\\g<0>',
    )
    new_text = amend(
        old_text,
        r'^use "\.\./\.\./\.\./specs/lib/glucocorticoids\.trial" as gc\n',
        '\\g<0>use "../../../specs/lib/lab_scales.trial" as scales\n',
    )
    changes = diff(compile_text(old_text), compile_text(new_text))
    assert [c.rule_id for c in changes] == ["ELIGIBILITY_DEPENDENCY_CHANGED", "LIBRARY_ADDED"]
    conversion = changes[0]
    assert conversion.target == "conversion scales.hba1c_ifcc_to_ngsp"
    assert conversion.affects == ("E5",)
    assert conversion.new_span is not None and conversion.new_span.file.endswith("lab_scales.trial")


def test_real_spec_without_its_lab_scales_library() -> None:
    text = QLS.read_text(encoding="utf-8")
    dropped = amend(text, r'^use "lib/lab_scales\.trial" +as lab_scales\n', "")
    changes = diff(_real(QLS), _real(QLS.with_name("amended.trial"), dropped))
    (conversion,) = [c for c in changes if c.target.startswith("conversion ")]
    assert conversion.target == "conversion lab_scales.hba1c_ifcc_to_ngsp"
    assert conversion.direction == "removed"
    assert conversion.affects  # the criterion reading screening_labs.hba1c
    assert "screening_assessments" not in conversion.summary
    assert "applies to screening_labs.hba1c" in conversion.summary


def test_bound_items_are_those_with_a_code_and_a_scale_of_the_conversion() -> None:
    spec = compile_text(WITH)
    (decl,) = reading.conversions_of(spec).values()
    assert reading.bound_items(spec, decl) == ["item labs.hb"]
    uncoded = compile_text(WITH.replace(" range 0 .. 300 [LOINC 718-7]", " range 0 .. 300"))
    assert reading.bound_items(uncoded, decl) == []


# ---------------------------------------------------------------- logs


def test_real_spec_log_without_its_none_question() -> None:
    text = CDISC.read_text(encoding="utf-8")
    dropped = amend(
        text,
        r'^(form medical_history "Medical history" repeating at \w+)\n'
        r"  none_recorded_by eligibility_assessments\.any_medical_history \{",
        r"\1 {",
    )
    changes = diff(_real(CDISC), _real(CDISC.with_name("amended.trial"), dropped))
    (change,) = changes
    assert change.rule_id == "ELIGIBILITY_DEPENDENCY_CHANGED"
    assert change.direction == "removed"
    assert change.target == "form medical_history"
    assert change.old == "eligibility_assessments.any_medical_history"
    assert change.affects and change.substantial
    assert "the direction cannot be computed" in change.summary
    assert change.old_span is not None
    assert change.old_span.line == _line_of(text, "none_recorded_by eligibility_assessments.any_m")


def test_real_spec_mapping_without_a_complete_line() -> None:
    text = CDISC.read_text(encoding="utf-8")
    dropped = amend(text, r"^  complete concomitant_medications for DM\n", "")
    (change,) = diff(_real(CDISC), _real(CDISC.with_name("amended.trial"), dropped))
    assert change.rule_id == "ELIGIBILITY_DEPENDENCY_CHANGED"
    assert change.direction == "removed"
    assert change.target.endswith(", complete concomitant_medications")
    assert change.old == "concomitant_medications for DM"
    assert change.affects
    assert change.old_span is not None
    assert change.old_span.line == _line_of(text, "complete concomitant_medications for DM")


def test_mapping_rules_and_completeness_are_reported_apart() -> None:
    new_text = BASE.replace(
        'mapping sdtm "SDTM datasets" {\n  labs.hb from LB.LBSTRESN where "LBTESTCD" = "HGB"\n',
        'mapping sdtm "SDTM datasets" {\n  complete history for DM\n'
        '  labs.hb from LB.LBSTRESN where "LBTESTCD" = "HB"\n',
    )
    changes = diff(compile_text(BASE), compile_text(new_text))
    assert sorted((c.rule_id, c.direction) for c in changes) == [
        ("ELIGIBILITY_DEPENDENCY_CHANGED", "added"),
        ("MAPPING_CHANGED", "changed"),
    ]


def test_a_new_mapping_with_a_complete_line_reports_both() -> None:
    old_text = BASE.replace(
        'mapping sdtm "SDTM datasets" {\n  labs.hb from LB.LBSTRESN where "LBTESTCD" = "HGB"\n}\n',
        "",
    )
    new_text = BASE.replace(
        'mapping sdtm "SDTM datasets" {\n',
        'mapping sdtm "SDTM datasets" {\n  complete history for DM\n',
    )
    changes = diff(compile_text(old_text), compile_text(new_text))
    assert sorted(c.rule_id for c in changes) == ["ELIGIBILITY_DEPENDENCY_CHANGED", "MAPPING_ADDED"]


# ---------------------------------------------------------------- comparison chains

SPELLINGS = {
    "between": "age between {lo} and {hi}",
    "chain": "{lo} <= age <= {hi}",
    "and": "{lo} <= age and age <= {hi}",
    "flipped": "age >= {lo} and age <= {hi}",
}


def _i1(spelling: str, lo: int, hi: int) -> str:
    return BASE.replace("= age between 18 and 65", "= " + SPELLINGS[spelling].format(lo=lo, hi=hi))


def test_chain_and_its_written_out_form_are_the_same_rule() -> None:
    assert diff(compile_text(_i1("chain", 18, 70)), compile_text(_i1("and", 18, 70))) == []
    assert diff(compile_text(_i1("and", 18, 70)), compile_text(_i1("chain", 18, 70))) == []


def test_chain_rewritten_with_the_operands_turned_is_a_rewording() -> None:
    (change,) = diff(compile_text(_i1("chain", 18, 70)), compile_text(_i1("flipped", 18, 70)))
    assert (change.rule_id, change.direction) == ("CRITERION_REWORDED", "reworded")
    assert change.summary == "rule rewritten with the same meaning"
    assert not change.substantial


def test_chain_in_a_definition_is_the_same_definition() -> None:
    old_text = BASE.replace("labs.hb at SCR < 100 g/L", "0 g/L < labs.hb at SCR < 100 g/L")
    new_text = BASE.replace(
        "labs.hb at SCR < 100 g/L", "0 g/L < labs.hb at SCR and labs.hb at SCR < 100 g/L"
    )
    assert diff(compile_text(old_text), compile_text(new_text)) == []


@settings(max_examples=30, deadline=None)
@given(
    first=st.sampled_from(sorted(SPELLINGS)),
    second=st.sampled_from(sorted(SPELLINGS)),
    lo=st.integers(16, 21),
    hi=st.integers(60, 75),
    new_lo=st.integers(16, 21),
    new_hi=st.integers(60, 75),
)
def test_age_range_however_spelled(
    first: str, second: str, lo: int, hi: int, new_lo: int, new_hi: int
) -> None:
    """The same bounds: never a change of meaning; other bounds: the direction of the bounds."""
    same = diff(compile_text(_i1(first, lo, hi)), compile_text(_i1(second, lo, hi)))
    assert all(c.rule_id == "CRITERION_REWORDED" and not c.substantial for c in same)
    changes = diff(compile_text(_i1(first, lo, hi)), compile_text(_i1(second, new_lo, new_hi)))
    if (new_lo, new_hi) == (lo, hi):
        return
    (change,) = changes
    assert change.rule_id == "CRITERION_THRESHOLD_CHANGED"
    if new_lo <= lo and new_hi >= hi:
        assert change.direction == "widened"
    elif new_lo >= lo and new_hi <= hi:
        assert change.direction == "narrowed"
    else:
        assert change.direction == "changed"


def test_real_spec_between_spelled_as_a_chain_is_a_rewording() -> None:
    text = CDISC.read_text(encoding="utf-8")
    chained = amend(text, r"(\S+) between (\S+) and (\S+)", r"\2 <= \1 <= \3")
    changes = diff(_real(CDISC), _real(CDISC.with_name("chained.trial"), chained))
    assert changes
    assert all(c.direction == "reworded" and not c.substantial for c in changes)


# ---------------------------------------------------------------- every output format


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """The two versions as files beside a copy of the libraries (the relative `use` resolves)."""
    shutil.copytree(ROOT / "specs" / "lib", tmp_path / "specs" / "lib")
    folder = tmp_path / "a" / "b" / "c"
    folder.mkdir(parents=True)
    old, new = folder / "old.trial", folder / "new.trial"
    old.write_text(WITHOUT, encoding="utf-8")
    new.write_text(
        WITH.replace(
            'form history "Medical history" repeating at SCR {',
            'form history "Medical history" repeating at SCR\n  none_recorded_by disease.rash {',
        ).replace(
            'mapping sdtm "SDTM datasets" {\n',
            'mapping sdtm "SDTM datasets" {\n  complete medications for DM\n',
        ),
        encoding="utf-8",
    )
    return old, new


def _run(monkeypatch: pytest.MonkeyPatch, *args: str):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    return CliRunner().invoke(cli, ["diff", *args], catch_exceptions=False)


def test_text_and_json(versions: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = versions
    text = _run(monkeypatch, str(old), str(new))
    assert text.exit_code == 4, text.output
    assert "conversion hb_mmol" in text.output
    assert "form history" in text.output
    assert "complete medications" in text.output
    assert text.output.count(reading.CONVERSION_EFFECT) == 1
    assert text.output.count(reading.LOG_EFFECT) == 2
    result = _run(monkeypatch, str(old), str(new), "--format", "json")
    data = json.loads(result.output)
    targets = {c["target"]: c for c in data["changes"]}
    conversion = targets["conversion hb_mmol"]
    assert conversion["rule_id"] == "ELIGIBILITY_DEPENDENCY_CHANGED"
    assert conversion["affects"] == ["E1"]
    assert conversion["new_span"]["line"] == _line_of(new.read_text(), "conversion hb_mmol")
    log = targets["form history"]
    assert log["direction"] == "added" and log["new"] == "disease.rash"
    assert log["new_span"]["line"] == _line_of(new.read_text(), "none_recorded_by")
    complete = targets["mapping sdtm, complete medications"]
    assert complete["affects"] == ["E2"]


def test_github_sarif_markdown_docx(
    versions: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    old, new = versions
    line = _line_of(new.read_text(), "conversion hb_mmol")
    github = _run(monkeypatch, str(old), str(new), "--format", "github").output
    (annotation,) = [a for a in github.splitlines() if "conversion hb_mmol" in a]
    assert annotation.startswith("::warning ")
    assert f"line={line}," in annotation
    assert "title=ELIGIBILITY_DEPENDENCY_CHANGED" in annotation
    sarif = json.loads(_run(monkeypatch, str(old), str(new), "--format", "sarif").output)
    results = sarif["runs"][0]["results"]
    (found,) = [r for r in results if r["message"]["text"].startswith("conversion hb_mmol")]
    assert found["level"] == "warning"
    assert found["locations"][0]["physicalLocation"]["region"]["startLine"] == line
    markdown = _run(monkeypatch, str(old), str(new), "--format", "markdown").output
    assert "conversion hb_mmol" in markdown
    assert "complete medications" in markdown
    pytest.importorskip("docx")
    out = tmp_path / "changes.docx"
    result = _run(monkeypatch, str(old), str(new), "--format", "docx", "-o", str(out))
    assert result.exit_code == 4, result.output
    import docx

    document = docx.Document(str(out))
    cells = " ".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "conversion hb_mmol" in cells
