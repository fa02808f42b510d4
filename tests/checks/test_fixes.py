"""The fixes checks carry (`Diagnostic.fix`): applied to the source, the finding is gone
and the rule says what the writer meant.

W0411's guard is tried on its own documentation page: the fix of the bad example
must give the good example's spec (the model, layout aside).  W0413's missing unit
on a threshold written without the unit the criterion's text states.
"""

from __future__ import annotations

from pathlib import Path

from protocol_dsl.compiler import compile_spec
from protocol_dsl.diagnostics import Diagnostic, render_text
from tests.docs_examples import DOCS, examples


def _applied(text: str, finding: Diagnostic) -> str:
    assert finding.fix is not None
    span = finding.fix.span
    return text[: span.start] + finding.fix.replacement + text[span.end :]


def _page(code: str) -> tuple[str, str]:
    found = {e.section: e.text for e in examples(DOCS / "diagnostics" / f"{code}.md")}
    return found["Bad"], found["Good"]


def test_the_guard_of_w0411_turns_the_bad_example_into_the_good_one(tmp_path: Path) -> None:
    bad, good = _page("W0411")
    path = str(tmp_path / "example.trial")
    result = compile_spec(path, bad)
    (finding,) = [d for d in result.diagnostics if d.code == "W0411"]
    assert finding.fix is not None
    assert finding.fix.replacement == (
        "(demographics.childbearing_potential = yes and labs.pregnancy_test = positive)"
    )
    fixed = compile_spec(path, _applied(bad, finding))
    assert fixed.spec is not None and not [d for d in fixed.diagnostics if d.code == "W0411"]
    wanted = compile_spec(path, good).spec
    assert wanted is not None and fixed.spec.criteria == wanted.criteria  # the titles differ
    # `protocol check` shows the same fix as a help line
    shown = render_text(result.diagnostics, result.sources)
    assert f"write `{finding.fix.replacement}` instead (line {finding.fix.span.line})" in shown


def test_no_guard_is_offered_through_a_definition(tmp_path: Path) -> None:
    """The item read inside a `define`: the guard would belong there, not in the rule."""
    bad, _good = _page("W0411")
    rule = "demographics.sex = female and (labs.pregnancy_test = positive or labs.lactating = yes)"
    assert rule in bad
    moved = bad.replace(rule, "demographics.sex = female and (pregnant or labs.lactating = yes)")
    moved += "\ndefine pregnant = labs.pregnancy_test = positive\n"
    result = compile_spec(str(tmp_path / "example.trial"), moved)
    findings = [d for d in result.diagnostics if d.code == "W0411"]
    assert findings and all(d.fix is None for d in findings)


SERUM = """\
trial EXAMPLE {{
  title "Complement C3"
}}

visit SCR "Screening" day -14 .. -1

form serology "Serology" at SCR {{
  c3 quantity {unit} "Complement C3"
}}

inclusion I1 "{text}" = {rule}
"""


def test_the_missing_unit_of_w0413_is_the_texts(tmp_path: Path) -> None:
    """`c3 >= 90` on an item in g/L reads 90 g/L; the text says 90 mg/dL."""
    path = str(tmp_path / "example.trial")
    text = SERUM.format(
        unit="g/L",
        text="C3 at least 90 mg/dL and at most 180 mg/dL",
        rule="serology.c3 >= 90 and serology.c3 <= 180 mg/dL",
    )
    (finding,) = [d for d in compile_spec(path, text).diagnostics if d.code == "W0413"]
    assert finding.fix is not None and finding.fix.replacement == "90 mg/dL"
    fixed = compile_spec(path, _applied(text, finding))
    assert fixed.ok and not [d for d in fixed.diagnostics if d.code == "W0413"]


def test_the_missing_unit_of_w0413_is_the_items_when_the_number_means_it(
    tmp_path: Path,
) -> None:
    """`c3 >= 90` already reads 90 mg/dL, as the text says: the unit makes it say so."""
    path = str(tmp_path / "example.trial")
    text = SERUM.format(
        unit="mg/dL",
        text="C3 at least 90 mg/dL and at most 180 mg/dL",
        rule="serology.c3 >= 90 and serology.c3 <= 180 mg/dL",
    )
    (finding,) = [d for d in compile_spec(path, text).diagnostics if d.code == "W0413"]
    assert finding.fix is not None and finding.fix.replacement == "90 mg/dL"
    fixed = compile_spec(path, _applied(text, finding))
    assert fixed.ok and not [d for d in fixed.diagnostics if d.code == "W0413"]


def test_no_unit_is_offered_for_a_number_the_text_does_not_state(tmp_path: Path) -> None:
    path = str(tmp_path / "example.trial")
    text = SERUM.format(
        unit="g/L",
        text="C3 at least 75 mg/dL and at most 180 mg/dL",
        rule="serology.c3 >= 90 and serology.c3 <= 180 mg/dL",
    )
    (finding,) = [d for d in compile_spec(path, text).diagnostics if d.code == "W0413"]
    assert finding.fix is None
