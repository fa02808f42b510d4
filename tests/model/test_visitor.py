"""The visitors (expressions, plan nodes): one method per node kind, and every walker has them all."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import generators
import protocol_dsl
from protocol_dsl import model as m
from protocol_dsl.plan import nodes as n
from protocol_dsl.plan.visitor import IntervalVisitor, PlanVisitor, _IntervalMethods
from protocol_dsl.visitor import (
    METHOD_NAMES,
    ExprVisitor,
    Visitor,
    method_name,
    out_of_step,
)
from tests.helpers import SPAN

#: Walkers of the package: the discovery below must find at least these.
KNOWN_WALKERS = {
    "_Compiler",
    "Encoder",
    "Typer",
    "_Words",
    "_Printer",
    "_Lowerer",
    "PythonCompiler",
    "_IntervalCompiler",
    "_QueryBuilder",
    "_Intervals",
    "StaticBounds",
}
#: The visitor bases, one per tree, and the node classes each has a method for.
BASES: dict[type, tuple[type, ...]] = {
    ExprVisitor: m.EXPR_TYPES,
    PlanVisitor: n.NODE_TYPES,
    IntervalVisitor: n.INTERVAL_TYPES,
}
#: Declarations two bases share (the plan's interval methods): neither a base nor a walker.
SHARED = {_IntervalMethods: n.INTERVAL_TYPES}


def _import_all() -> None:
    for package in (protocol_dsl, generators):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not module.name.endswith("__main__"):
                importlib.import_module(module.name)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _walkers() -> list[type]:
    _import_all()
    return [
        cls
        for cls in _subclasses(Visitor)
        if cls not in BASES
        and cls not in SHARED
        and cls.__module__.startswith(("protocol_dsl.", "generators."))
    ]


def test_the_walkers_are_found() -> None:
    assert {cls.__name__ for cls in _walkers()} >= KNOWN_WALKERS


@pytest.mark.parametrize("walker", _walkers(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_walker_handles_every_node_kind(walker: type) -> None:
    assert not inspect.isabstract(walker), sorted(walker.__abstractmethods__)
    (base,) = [base for base in BASES if issubclass(walker, base)]
    for cls in BASES[base]:
        assert getattr(walker, method_name(cls)) is not getattr(base, method_name(cls)), cls
        assert walker._dispatch[cls] is getattr(walker, method_name(cls))


def test_the_node_list_is_the_expr_alias() -> None:
    assert typing.get_args(m.Expr) == m.EXPR_TYPES
    assert len(set(m.EXPR_TYPES)) == len(m.EXPR_TYPES)
    assert list(METHOD_NAMES) == list(m.EXPR_TYPES)


@pytest.mark.parametrize("base", [*BASES, *SHARED], ids=lambda base: base.__name__)
def test_the_abstract_methods_are_exactly_the_node_list(base: type) -> None:
    node_types = {**BASES, **SHARED}[base]
    assert set(base.__abstractmethods__) == {method_name(cls) for cls in node_types}
    assert out_of_step(base, node_types) == (set(), set())


def test_the_plan_node_list_is_the_node_alias() -> None:
    assert typing.get_args(n.Node) == n.NODE_TYPES
    assert set(n.INTERVAL_TYPES) <= set(n.NODE_TYPES)


def test_every_class_always_of_kind_interval_has_an_interval_method() -> None:
    always = {cls for cls in n.NODE_TYPES if getattr(cls, "kind", None) == "interval"}
    assert always
    assert always <= set(n.INTERVAL_TYPES)


def test_children_include_constant_intervals() -> None:
    # the hand-kept list of plan node classes `children` used to test against lacked Bounds
    bounds = n.Bounds(0.0, 1.0)
    branch = n.If(n.TRUE, bounds, n.Bounds(2.0, 3.0), "interval")
    assert list(n.children(branch)) == [n.TRUE, bounds, n.Bounds(2.0, 3.0)]


def test_a_node_kind_without_a_method_is_out_of_step() -> None:
    @attrs.frozen
    class PreviousValue:
        expr: m.Expr

    missing, extra = out_of_step(ExprVisitor, (*m.EXPR_TYPES, PreviousValue))
    assert (missing, extra) == ({"visit_previous_value"}, set())
    missing, extra = out_of_step(ExprVisitor, m.EXPR_TYPES[1:])
    assert (missing, extra) == (set(), {"visit_number_lit"})


def test_a_visitor_without_a_method_for_a_class_of_its_tree_is_refused() -> None:
    @attrs.frozen
    class PreviousValue:
        expr: m.Expr

    methods = {**METHOD_NAMES, PreviousValue: method_name(PreviousValue)}
    with pytest.raises(TypeError, match="declares no visit_previous_value"):
        type("Outdated", (ExprVisitor,), {"_methods": methods})


def test_a_walker_missing_a_kind_cannot_be_instantiated() -> None:
    methods = {name: lambda self, node: None for name in METHOD_NAMES.values()}
    del methods["visit_member_of"]
    incomplete = type("Incomplete", (ExprVisitor,), methods)
    with pytest.raises(TypeError, match="visit_member_of"):
        incomplete()


@pytest.mark.parametrize(
    ("cls", "name"),
    [
        (m.NumberLit, "visit_number_lit"),
        (m.AtVisit, "visit_at_visit"),
        (m.MemberOf, "visit_member_of"),
        (m.IsKnown, "visit_is_known"),
        (m.Ref, "visit_ref"),
    ],
)
def test_method_names(cls: type, name: str) -> None:
    assert method_name(cls) == name


# ---------------------------------------------------------------- dispatch

_LEAF = st.builds(
    m.NumberLit, st.decimals(allow_nan=False, allow_infinity=False, places=2), span=st.just(SPAN)
)
_NAMES = st.text("abcdefghij_", min_size=1, max_size=8)


def _field_strategy(hint: Any) -> st.SearchStrategy[Any]:
    """Values for a field of the type `hint`: leaves for sub-expressions, short names."""
    if hint == m.Expr:
        return _LEAF
    if hint == m.Expr | None:
        return st.none() | _LEAF
    if hint == tuple[m.Expr, ...]:
        return st.lists(_LEAF, max_size=3).map(tuple)
    if hint == tuple[str, ...]:
        return st.lists(_NAMES, min_size=1, max_size=3).map(tuple)
    if hint is str:
        return _NAMES
    if hint is Decimal:
        return st.decimals(allow_nan=False, allow_infinity=False, places=2)
    if isinstance(hint, type) and attrs.has(hint):  # a quantity, a reference
        return _nodes_of(hint)
    return st.from_type(hint)  # dates, flags, counts, the operators' literals


def _nodes_of(cls: type) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls, vars(m))
    fields = {}
    for field in attrs.fields(cls):
        if field.name != "span":
            fields[field.name] = _field_strategy(hints[field.name])
    if "span" in attrs.fields_dict(cls):
        fields["span"] = st.just(SPAN)
    return st.builds(cls, **fields)


def _recording(name: str) -> Callable[..., tuple[str, m.Expr, tuple[Any, ...]]]:
    def method(self: object, node: m.Expr, *args: Any) -> tuple[str, m.Expr, tuple[Any, ...]]:
        return name, node, args

    return method


Recorder = type(
    "Recorder", (ExprVisitor,), {name: _recording(name) for name in METHOD_NAMES.values()}
)


@pytest.mark.parametrize("cls", m.EXPR_TYPES, ids=lambda cls: cls.__name__)
@given(data=st.data(), args=st.lists(st.integers(), max_size=2))
def test_visit_dispatches_each_kind_to_its_method(
    cls: type, data: st.DataObject, args: list[int]
) -> None:
    node = data.draw(_nodes_of(cls))
    name, seen, passed = Recorder().visit(node, *args)
    assert name == method_name(cls)
    assert seen is node
    assert passed == tuple(args)
