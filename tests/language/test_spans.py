"""Every model node knows where it came from.

A node must be given its span when it is built (there is no default that
would let it lose its place silently), and every node of a parsed spec — a
real one, with its libraries, or one the contract's generator writes — has a
span inside the text of its own file, which starts where its line and column
say.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl import model as m
from protocol_dsl.spec import Spec
from protocol_dsl.syntax.loader import load
from protocol_dsl.syntax.parser import parse_module
from tests.contract.specs_gen import ORIGINS, contract_specs
from tests.helpers import SPAN

ROOT = Path(__file__).resolve().parents[2]
REAL_SPECS = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("specs/*.trial"))

#: Model classes that are values, not nodes: the node holding one carries the span.
VALUES = {m.Span, m.Quantity}

NODE_CLASSES = sorted(
    (
        cls
        for cls in vars(m).values()
        if isinstance(cls, type) and attrs.has(cls) and cls not in VALUES
    ),
    key=lambda cls: cls.__name__,
)


def test_the_node_classes_are_found() -> None:
    names = {cls.__name__ for cls in NODE_CLASSES}
    assert {"Module", "Trial", "Compare", "Value", "Mark", "Code", "Mapping"} <= names
    assert len(NODE_CLASSES) > 60


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda cls: cls.__name__)
def test_a_node_cannot_be_built_without_a_span(cls: type) -> None:
    fields = attrs.fields(cls)
    span = next((f for f in fields if f.name == "span"), None)
    assert span is not None, f"{cls.__name__} has no span field"
    assert span.default is attrs.NOTHING and span.kw_only
    assert not span.eq, "spans stay out of equality (the formatter and the diff rely on it)"
    # every other required field gets a value, so only the span is missing
    required = {f.name: None for f in fields if f.default is attrs.NOTHING and f.name != "span"}
    with pytest.raises(TypeError, match="'span'"):
        cls(**required)
    built = cls(**required, span=SPAN)
    assert built.span is SPAN


def _nodes(value: object) -> Iterator[object]:
    """Every model node inside `value` (any field, any depth), parents first."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple | list):
            stack.extend(reversed(item))
        elif attrs.has(type(item)) and not isinstance(item, m.Span):
            if not isinstance(item, m.Quantity):
                yield item
            stack.extend(reversed([getattr(item, f.name) for f in attrs.fields(type(item))]))


def _position(source: str, offset: int) -> tuple[int, int]:
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


def _assert_placed(module: m.Module, path: str, source: str) -> int:
    """Check every node of `module` against its file's text; the number of nodes seen."""
    lines = max(1, source.count("\n") + 1)
    seen = 0
    for node in _nodes(module):
        seen += 1
        span = node.span  # type: ignore[attr-defined]
        where = f"{type(node).__name__} {span!r}"
        assert span.file == path, where
        assert 1 <= span.line <= span.end_line <= lines, where
        assert span.column >= 1 and span.end_column >= 1, where
        assert 0 <= span.start <= span.end <= len(source), where
        assert _position(source, span.start) == (span.line, span.column), where
    return seen


def _modules(spec: Spec) -> Iterator[m.Module]:
    yield spec.module
    for library in spec.libraries.values():
        yield from _modules(library)


@pytest.mark.parametrize("path", REAL_SPECS)
def test_every_node_of_a_real_spec_and_its_libraries_has_its_place(path: str) -> None:
    spec, diagnostics, sources = load(path)
    assert spec is not None, diagnostics
    for module in _modules(spec):
        assert _assert_placed(module, module.path, sources[module.path]) > 10


#: Shipped libraries no real spec uses: their nodes are checked on their own below.
STANDALONE_LIBRARIES = ["specs/lib/organ_function.trial"]


def test_the_real_specs_use_every_library() -> None:
    used = set()
    for path in REAL_SPECS:
        spec, _diagnostics, _sources = load(path)
        assert spec is not None
        used |= {Path(module.path).resolve() for module in _modules(spec)}
    used |= {(ROOT / path).resolve() for path in STANDALONE_LIBRARIES}
    assert {p.resolve() for p in ROOT.glob("specs/lib/*.trial")} <= used


@pytest.mark.parametrize("path", STANDALONE_LIBRARIES)
def test_every_node_of_a_standalone_library_has_its_place(path: str) -> None:
    spec, diagnostics, sources = load(str(ROOT / path))
    assert spec is not None, diagnostics
    assert _assert_placed(spec.module, spec.module.path, sources[spec.module.path]) > 10


@pytest.mark.parametrize("origin", ORIGINS)
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_node_of_a_generated_spec_has_its_place(origin: str, data: st.DataObject) -> None:
    spec = data.draw(contract_specs(origin))
    for source in (spec.source, spec.new_version):
        module, diagnostics = parse_module(source, "generated.trial")
        if module is None:  # an edit may break the text: nothing is built then
            assert diagnostics
            continue
        _assert_placed(module, "generated.trial", source)


@pytest.mark.parametrize("source", ["", "\n\n", "# only a comment\n"])
def test_a_file_without_declarations_is_a_module_at_its_start(source: str) -> None:
    module, diagnostics = parse_module(source, "empty.trial")
    assert module is not None and not diagnostics
    assert module.span == m.Span("empty.trial", 1, 1, 1, 1, 0, 0)
    assert (module.span.file, module.span.line, module.span.start) == ("empty.trial", 1, 0)
