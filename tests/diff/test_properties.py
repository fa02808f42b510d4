"""Invariants of the semantic diff, over generated specs and amendments of the real ones.

* diff(A, A) is empty, and so is diff(A, A laid out differently) and diff(A, fmt(A));
* diff(A, B) and diff(B, A) report the same changes reversed (inverse rule and
  direction, old and new swapped), renames and moves included: the one way a diff
  read backwards reads differently is that the values it shows name a renamed
  visit, form, item, endpoint or value as the version read towards does
  (`tests.diff.util.in_old_names` says exactly how, and a test below shows it);
* diff(A, B) is empty exactly when the two models are equal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generators.diff.compare import diff
from protocol_dsl.commands.diff import compile_for_diff
from protocol_dsl.syntax.formatter import format_module, format_source
from protocol_dsl.syntax.parser import parse_module
from tests.diff.cases import ROWS, Row
from tests.diff.mutations import amendments, relaid
from tests.diff.util import reversed_view, view
from tests.strategies import specs

ROOT = Path(__file__).resolve().parents[2]
REAL = [ROOT / "specs" / "qls4131_sle_phase1b.trial", ROOT / "specs" / "cdiscpilot01.trial"]
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _compiled(path: Path, text: str | None = None):  # type: ignore[no-untyped-def]
    result = compile_for_diff(str(path), text)
    return result.spec if result.ok else None


def _real(path: Path):  # type: ignore[no-untyped-def]
    spec = _compiled(path)
    assert spec is not None, f"{path} does not check clean"
    return spec


# ---------------------------------------------------------------- layout never matters


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_spec_against_itself_and_its_formatting(path: Path) -> None:
    spec = _real(path)
    assert diff(spec, _real(path)) == []
    formatted = format_source(path.read_text(encoding="utf-8"), str(path))
    assert diff(spec, _compiled(path.with_name("formatted.trial"), formatted)) == []


@SETTINGS
@given(st.data())
def test_real_spec_relaid_has_no_changes(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(REAL))
    text = path.read_text(encoding="utf-8")
    noisy = data.draw(relaid(text))
    other = _compiled(path.with_name("relaid.trial"), noisy)
    assert other is not None
    assert diff(_real(path), other) == []
    assert diff(_real(path), _compiled(path.with_name("fmt.trial"), format_source(noisy))) == []


@SETTINGS
@given(specs(), st.data())
def test_generated_spec_against_itself_relaid_and_formatted(text: str, data: st.DataObject) -> None:
    path = ROOT / "specs" / "generated.trial"
    spec = _compiled(path, text)
    assume(spec is not None)
    assert diff(spec, _compiled(path, text)) == []
    noisy = data.draw(relaid(text))
    assert diff(spec, _compiled(path, noisy)) == []
    assert diff(spec, _compiled(path, format_source(noisy))) == []


# ---------------------------------------------------------------- reading a diff backwards


@pytest.mark.parametrize("case", ROWS, ids=lambda r: r.id)
def test_table_rows_reverse(case: Row) -> None:
    from tests.diff.util import compile_text

    old_text, new_text = case.texts()
    old, new = compile_text(old_text), compile_text(new_text)
    forward, backward = diff(old, new), diff(new, old)
    assert view(backward) == reversed_view(forward)


@SETTINGS
@given(specs(), specs())
def test_generated_specs_reverse(a: str, b: str) -> None:
    path = ROOT / "specs" / "generated.trial"
    first, second = _compiled(path, a), _compiled(path, b)
    assume(first is not None and second is not None)
    assert view(diff(second, first)) == reversed_view(diff(first, second))


def test_a_rename_read_backwards_names_the_visit_as_the_other_version_does() -> None:
    """The week 12 visit renamed V9 while a form collected at it is dropped: forward, the
    form "was at D29, V9" (the diff compares under the new names); backwards, it is added
    "at D29, W12".  The same change, each side in the names of the version read towards."""
    from tests.diff.cases import BASE, apply, sub
    from tests.diff.util import compile_text

    renamed = apply(
        BASE,
        (
            sub('visit W12 "Week 12"   day 85', 'visit V9 "Week 12"    day 85'),
            sub("at SCR, W12 {", "at SCR, V9 {"),
            sub("at D1, D8, D29, W12 {", "at D1, D8, D29, V9 {"),
            sub("disease_score at W12 -", "disease_score at V9 -"),
        ),
    )
    quality_of_life = BASE.replace(
        'form adverse_events "Adverse events"',
        'form quality_of_life "Quality of life" at D29, W12 {\n'
        '  qol_score integer "Score" range 0 .. 100\n'
        "}\n\n"
        'form adverse_events "Adverse events"',
    )
    old, new = compile_text(quality_of_life), compile_text(renamed)
    forward, backward = diff(old, new), diff(new, old)
    shown = [(c.target, c.rule_id, c.old, c.new) for c in forward]
    assert shown == [
        ("visit V9", "VISIT_RENAMED", "W12", "V9"),
        ("form quality_of_life", "ASSESSMENT_REMOVED", "D29, V9", None),
    ]
    assert [(c.target, c.rule_id, c.old, c.new) for c in backward] == [
        ("visit W12", "VISIT_RENAMED", "V9", "W12"),
        ("form quality_of_life", "ASSESSMENT_ADDED", None, "D29, W12"),
    ]
    assert view(backward) == reversed_view(forward)


@SETTINGS
@given(st.data())
def test_amendments_of_real_specs(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(REAL))
    original = _real(path)
    module, _ = parse_module(path.read_text(encoding="utf-8"), str(path))
    assert module is not None
    amended_module = data.draw(amendments(module))
    amended = _compiled(path.with_name("amended.trial"), format_module(amended_module))
    assume(amended is not None)
    forward = diff(original, amended)
    backward = diff(amended, original)
    assert view(backward) == reversed_view(forward)
    # empty exactly when nothing changed in the model
    assert (forward == []) == (amended.module.declarations == original.module.declarations)
