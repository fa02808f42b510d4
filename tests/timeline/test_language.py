"""The time structure in the language: syntax problems, names in `at` lists, comments."""

from __future__ import annotations

from pathlib import Path

from protocol_dsl.compiler import compile_spec
from protocol_dsl.syntax.formatter import format_source
from protocol_dsl.syntax.parser import parse_module

SCHEDULE = """trial T {
  title "T"
}
epoch treatment "Treatment"
cycle treatment_cycle "Treatment cycle" lasts 21 days in treatment count 2 {
  visit D1 "Day 1" day 1
}
repeat TA "Tumour assessment" every 6 weeks after first_dose at_most 2
"""


def _diagnostics(text: str, tmp_path: Path) -> list:
    path = tmp_path / "t.trial"
    path.write_text(text, encoding="utf-8")
    return compile_spec(str(path)).diagnostics


def test_a_cycle_number_is_a_whole_number_from_one() -> None:
    _module, diagnostics = parse_module(
        "cycle c lasts 7 days count 2 { visit D1 day 1 cycles 0 }\n", "t.trial"
    )
    assert [d.code for d in diagnostics] == ["E0007"]
    _module, diagnostics = parse_module("repeat R every 1 weeks from day 1 at_most 0\n", "t.trial")
    assert [d.code for d in diagnostics] == ["E0007"]


def test_unknown_names_in_at_lists_suggest_cycles_templates_and_repeats(tmp_path: Path) -> None:
    text = SCHEDULE + (
        'activity a "A" at treatment_cycl\n'
        'activity b "B" at treatment_cycle.D9\n'
        'activity c "C" at TAX\n'
        'activity d "D" at C2D1, treatment_cycle.D1, TA\n'
    )
    found = {d.message: d.suggestion for d in _diagnostics(text, tmp_path) if d.code == "E0106"}
    assert found == {
        "there is no visit 'treatment_cycl'": "treatment_cycle",
        "there is no visit 'treatment_cycle.D9'": "treatment_cycle.D1",
        "there is no visit 'TAX'": "TA",
    }


def test_an_expression_may_read_a_value_at_a_yielded_visit(tmp_path: Path) -> None:
    text = SCHEDULE + (
        'form vitals "Vitals" at treatment_cycle, TA {\n'
        '  sbp quantity mm[Hg] "SBP" range 50 .. 250\n'
        "}\n"
        'inclusion I1 "x" = vitals.sbp at C1D1 < 150 mm[Hg] and vitals.sbp at TA2 < 160 mm[Hg]\n'
    )
    errors = [d for d in _diagnostics(text, tmp_path) if d.is_error]
    assert errors == []


def test_comments_in_cycles_stay_where_they_are() -> None:
    source = (
        'cycle c "Cycle" lasts 21 days count 4 {  # length\n'
        "  # before D1\n"
        '  visit D1 "Day 1" day 1 {  # opening\n'
        "    # before predose\n"
        '    timepoint predose "Pre" 1 h before dose  # trailing\n'
        '    timepoint eoi     "EOI" 1 h after dose\n'
        "    # after the time points\n"
        "  }\n"
        "\n"
        "  visit D8 day 8  # trailing D8\n"
        "  # at the end of the cycle\n"
        "}\n"
    )
    assert format_source(source, "t.trial") == source
