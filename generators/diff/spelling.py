"""The two versions as the diff compares them: how a rule was spelled taken out.

The model keeps some choices of spelling that do not change a rule's
meaning, so that printing gives the text back: `chained` marks the `and` of
a comparison chain `18 <= age <= 70`, which means exactly `18 <= age and
age <= 70`.  Model equality sees that flag; the diff must not, or writing a
chain out (or folding two comparisons into one) would show as a change.
`plain(old, new)` gives both specs with every chain unmarked, sharing what
they shared (a library read once for both versions stays one object), and
returns the specs themselves when there is nothing to unmark.
"""

from __future__ import annotations

from typing import Any

import attrs

from protocol_dsl import model as m
from protocol_dsl.spec import Spec


def plain(old: Spec, new: Spec) -> tuple[Spec, Spec]:
    """`old` and `new` with comparison chains unmarked (the same objects if none is marked)."""
    specs: dict[int, Spec] = {}
    nodes: dict[int, Any] = {}
    return _spec(old, specs, nodes), _spec(new, specs, nodes)


def _spec(spec: Spec, specs: dict[int, Spec], nodes: dict[int, Any]) -> Spec:
    if id(spec) in specs:
        return specs[id(spec)]
    specs[id(spec)] = spec  # a library cycle is reported by the checks; stop here
    libraries = {alias: _spec(lib, specs, nodes) for alias, lib in spec.libraries.items()}
    module = _node(spec.module, nodes)
    same_libraries = all(libraries[a] is spec.libraries[a] for a in libraries)
    if module is not spec.module or not same_libraries:
        specs[id(spec)] = Spec(spec.path, module, libraries)
    return specs[id(spec)]


def _node(value: Any, nodes: dict[int, Any]) -> Any:
    """`value` with `chained` cleared throughout, rebuilt only where something changed."""
    if isinstance(value, tuple):
        items = tuple(_node(v, nodes) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if not isinstance(value, m._Node) or isinstance(value, m.Span):
        return value
    if id(value) in nodes:
        return nodes[id(value)]
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(value)):
        if field.name == "span":
            continue
        current = getattr(value, field.name)
        rebuilt = _node(current, nodes)
        if rebuilt is not current:
            changes[field.name] = rebuilt
    if isinstance(value, m.Logic) and value.chained:
        changes["chained"] = False
    result = attrs.evolve(value, **changes) if changes else value
    nodes[id(value)] = result
    return result
