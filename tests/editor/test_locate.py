"""The section of the protocol document that shows the declaration at a source line."""

from __future__ import annotations

import itertools

import pytest

from generators.documents.locate import anchor_for_line, declaration_at, page_anchors
from protocol_dsl import model as m
from protocol_dsl.commands.preview_page import build_preview
from protocol_dsl.spec import Spec
from tests.documents.helpers import REAL_SPECS, SPECS

#: Declarations the protocol document does not show (how data are read, libraries).
UNSHOWN = (m.Use, m.Mapping)


@pytest.fixture(scope="module", params=REAL_SPECS, ids=lambda p: p.stem)
def previewed(request: pytest.FixtureRequest) -> tuple[Spec, tuple[str, ...]]:
    preview = build_preview(str(request.param))
    assert preview.spec is not None, preview.page
    return preview.spec, preview.anchors


def test_every_declaration_has_a_section_of_the_page(
    previewed: tuple[Spec, tuple[str, ...]],
) -> None:
    spec, anchors = previewed
    missing = []
    for declaration in spec.module.declarations:
        if isinstance(declaration, UNSHOWN):
            continue
        for line in {declaration.span.line, declaration.span.end_line}:
            anchor = anchor_for_line(spec, line, anchors)
            if anchor is None:
                missing.append(f"{type(declaration).__name__} at line {line}")
    assert missing == []


def test_a_criterion_goes_to_its_own_entry(previewed: tuple[Spec, tuple[str, ...]]) -> None:
    spec, anchors = previewed
    criteria = spec.module.of_type(m.Criterion)
    assert criteria
    for criterion in criteria:
        middle = (criterion.span.line + criterion.span.end_line) // 2
        assert anchor_for_line(spec, middle, anchors) == f"criterion-{criterion.id}"


def test_a_form_goes_to_its_own_section(previewed: tuple[Spec, tuple[str, ...]]) -> None:
    spec, anchors = previewed
    for form in spec.module.of_type(m.Form):
        assert anchor_for_line(spec, form.span.end_line, anchors) == f"form-{form.name}"


def test_a_line_between_declarations_belongs_to_the_one_before() -> None:
    path = SPECS / "qls4131_sle_phase1b.trial"
    lines = path.read_text(encoding="utf-8").splitlines()
    preview = build_preview(str(path))
    assert preview.spec is not None
    declarations = preview.spec.module.declarations
    first = declarations[0].span.line
    # the header comment above the first declaration is in no declaration
    assert first > 1 and declaration_at(preview.spec, first - 1) is None
    gaps = [
        (before, line)
        for before, after in itertools.pairwise(declarations)
        for line in range(before.span.end_line + 1, after.span.line)
        if not lines[line - 1].strip() or lines[line - 1].lstrip().startswith("#")
    ]
    assert gaps
    for before, line in gaps:
        assert declaration_at(preview.spec, line) is before


def test_the_anchors_are_the_page_ids_in_order() -> None:
    page = '<h2 id="one">1</h2><p class="x" id="two">2</p><a href="#three">3</a>'
    assert page_anchors(page) == ["one", "two"]


def test_a_library_declaration_is_never_taken_for_the_spec_s_own() -> None:
    """Lines of the previewed file only: a library's declarations have spans of their own
    file, with line numbers that mean nothing in the spec."""
    path = SPECS / "qls4131_sle_phase1b.trial"
    preview = build_preview(str(path))
    assert preview.spec is not None
    for library in preview.spec.libraries.values():
        for declaration in library.module.declarations:
            found = declaration_at(preview.spec, declaration.span.line)
            assert found is None or found.span.file == preview.spec.path
