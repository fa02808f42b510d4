"""`model.node_fields`: the fields of a model class, read once per class.

The walks over whole declarations (`model.nodes_under`, the field details)
ask it of every value they meet instead of asking attrs; these tests
hold it to what attrs says, and the walkers to what a walk through attrs finds.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import cast

import attrs
import pytest

from protocol_dsl import model as m
from protocol_dsl.checks import field_details
from protocol_dsl.syntax.loader import load

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "specs").glob("*.trial"))

MODEL_CLASSES = [cls for _name, cls in inspect.getmembers(m, inspect.isclass) if attrs.has(cls)]


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
def test_the_fields_of_every_model_class_are_those_attrs_declares(cls: type) -> None:
    expected = tuple(f.name for f in attrs.fields(cls))
    assert m.node_fields(cls) == expected
    assert m.node_fields(cls) is m.node_fields(cls)  # read once, then kept


@pytest.mark.parametrize("value", ["text", 3, Decimal("1.5"), (), None, [1]])
def test_a_value_that_is_no_model_class_has_no_fields(value: object) -> None:
    assert m.node_fields(type(value)) is None


def _nodes_through_attrs(node: object) -> Iterator[object]:
    """Every model node under `node`, depth first, as attrs itself lists the fields."""
    if isinstance(node, tuple | list):
        for item in node:
            yield from _nodes_through_attrs(item)
        return
    if not attrs.has(type(node)):
        return
    yield node
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(node))):
        if field.name not in {"span", "marks"}:
            yield from _nodes_through_attrs(getattr(node, field.name))


def _fields_through_attrs(node: object) -> Iterator[m.Field]:
    if isinstance(node, m.Field):
        yield node
    elif isinstance(node, m.EXPR_TYPES):
        return
    elif isinstance(node, tuple):
        for item in node:
            yield from _fields_through_attrs(item)
    elif attrs.has(type(node)):
        for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(node))):
            yield from _fields_through_attrs(getattr(node, field.name))


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_the_walkers_find_the_nodes_a_walk_through_attrs_finds(path: Path) -> None:
    spec, diagnostics, _sources = load(str(path))
    assert spec is not None, diagnostics
    found = list(m.nodes_under(spec.module))
    expected = list(_nodes_through_attrs(spec.module))
    # the same nodes, each once (the walk's order is its own: a stack)
    assert sorted(map(id, found)) == sorted(map(id, expected))
    assert len(set(map(id, found))) == len(found)
    assert len(found) > 100  # a real spec: the walk went somewhere
    for decl in spec.module.declarations:
        walked = list(field_details._fields_in(decl))
        # in source order: the order their diagnostics are reported in
        assert [id(f) for f in walked] == [id(f) for f in _fields_through_attrs(decl)]
