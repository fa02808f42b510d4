"""`model.nodes_under`, the one walk over declarations the checks and back ends share.

Run on the real specs: it reaches every criterion, visit, form item and field the
module declares (however deeply nested), never yields a node's own span or a mark
from a declaration's `marks`, and yields parents before what they hold.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from protocol_dsl import model as m
from protocol_dsl.syntax.parser import parse_module

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "specs").glob("*.trial"))


def _module(path: Path) -> m.Module:
    module, diagnostics = parse_module(path.read_text("utf-8"), str(path))
    assert module is not None, diagnostics
    return module


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_every_declaration_is_reached_and_no_mark(path: Path) -> None:
    module = _module(path)
    found = list(m.nodes_under(module))
    assert found[0] is module
    own_spans = {id(getattr(node, "span", None)) for node in found}
    assert not own_spans & {id(node) for node in found}
    assert all(attrs.has(type(node)) for node in found)
    seen = {id(node) for node in found}
    on_declarations = {id(mark) for node in found for mark in getattr(node, "marks", ())}
    assert on_declarations and not on_declarations & seen
    for declaration in module.declarations:
        assert id(declaration) in seen
    for form in module.of_type(m.Form):
        assert all(id(item) in seen for item in form.items)


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_parents_come_before_what_they_hold(path: Path) -> None:
    for form in _module(path).of_type(m.Form):
        walked = {id(n): i for i, n in enumerate(m.nodes_under(form))}
        assert all(walked[id(form)] < walked[id(item)] for item in form.items)
