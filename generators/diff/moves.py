"""Definitions moved between the trial and its libraries: the same rule, kept where it is used.

A sponsor tidying an amendment may move a definition out of a library into the
protocol (or into a library, or from one library to another), word for word.
Matched by qualified name, that reads as one definition removed, another added
and every criterion using it changed; it is no change at all: the same rule
decides the same criteria.

A definition is taken to have moved when the old version has it only under one
qualified name (`sle.eular_acr_2019_classified`) and the new version only under
another of the same name (`eular_acr_2019_classified`), and the two say the
same once every name in them is read from the trial (`eular_acr_2019` in the
library is `sle.eular_acr_2019` in the trial).  A definition whose names
cannot all be read that way (one that reads a log record's items by their bare
names) is not taken to have moved, and is reported as before.

`apply(old, moves)` gives the old version with each moved definition where the
new version has it, and every reference to it following it, so that the rest
of the diff finds nothing to report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from protocol_dsl import model as m
from protocol_dsl.spec import Spec


@attrs.frozen
class Move:
    """A definition moved: its qualified names in each version, and the new declaration."""

    old: str
    new: str
    declaration: m.Define


def modules(spec: Spec) -> dict[str, Spec]:
    """The trial and its libraries by the prefix that qualifies their names in the trial
    ("" for the trial, "sle." for a library used as sle), breadth first."""
    found: dict[str, Spec] = {}
    queue: list[tuple[str, Spec]] = [("", spec)]
    seen: set[int] = set()
    while queue:
        prefix, current = queue.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        found.setdefault(prefix, current)
        for alias, library in current.libraries.items():
            queue.append((f"{prefix}{alias}.", library))
    return found


def _defines(spec: Spec) -> dict[str, tuple[str, m.Define]]:
    return {
        prefix + d.name: (prefix, d)
        for prefix, module in modules(spec).items()
        for d in module.module.of_type(m.Define)
    }


def find(old: Spec, new: Spec) -> list[Move]:
    old_defines = _defines(old)
    new_defines = _defines(new)
    gone = {q: v for q, v in old_defines.items() if q not in new_defines}
    came = {q: v for q, v in new_defines.items() if q not in old_defines}
    found = []
    for new_q, (new_prefix, new_d) in came.items():
        same = [
            old_q
            for old_q, (old_prefix, old_d) in gone.items()
            if old_d.name == new_d.name
            and _absolute(old_d, old_prefix, old) == _absolute(new_d, new_prefix, new)
        ]
        if len(same) == 1:
            found.append(Move(same[0], new_q, new_d))
    return found


def _absolute(define: m.Define, prefix: str, spec: Spec) -> object:
    """The definition with every name qualified from the trial; None where a name is not
    one of its module's declarations or libraries (then it cannot be read elsewhere)."""
    module = modules(spec)[prefix]
    local = {getattr(d, "name", None) for d in module.module.declarations}
    local |= set(module.libraries)
    parts = prefix.split(".")[:-1] if prefix else []
    refs: list[m.Ref] = []
    _collect_refs(define.expr, refs)
    if any(r.parts[0] not in local for r in refs):
        return None
    qualified = _rewrite(define.expr, lambda ref: (*parts, *ref), {})
    node: Any = define
    return attrs.evolve(node, name="", marks=(), expr=qualified)


def _collect_refs(value: Any, refs: list[m.Ref]) -> None:
    if isinstance(value, tuple):
        for v in value:
            _collect_refs(v, refs)
        return
    if not isinstance(value, m._Node) or isinstance(value, m.Span):
        return
    if isinstance(value, m.Ref):
        refs.append(value)
    for field in attrs.fields(type(value)):
        if field.name != "span":
            _collect_refs(getattr(value, field.name), refs)


def _rewrite(value: Any, parts_of: Any, nodes: dict[int, Any]) -> Any:
    """`value` with every `Ref`'s parts replaced by `parts_of(parts)`."""
    if isinstance(value, tuple):
        items = tuple(_rewrite(v, parts_of, nodes) for v in value)
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
        rebuilt = _rewrite(current, parts_of, nodes)
        if rebuilt is not current:
            changes[field.name] = rebuilt
    if isinstance(value, m.Ref):
        parts = tuple(parts_of(value.parts))
        if parts != value.parts:
            changes["parts"] = parts
    node: Any = value
    result = attrs.evolve(node, **changes) if changes else value
    nodes[id(value)] = result
    return result


def apply(old: Spec, moves: Sequence[Move]) -> Spec:
    """`old` with each moved definition where the new version has it and every reference
    to it following it (the same object when nothing moved, or when a reference could not
    follow: a library cannot name what the trial declares)."""
    if not moves:
        return old
    prefixes = modules(old)
    by_old = {tuple(mv.old.split(".")): tuple(mv.new.split(".")) for mv in moves}
    rebuilt: dict[str, m.Module] = {}
    for prefix, spec in prefixes.items():
        here = tuple(prefix.split(".")[:-1]) if prefix else ()
        follow = _Follow(here, by_old)
        declarations = []
        for d in spec.module.declarations:
            if isinstance(d, m.Define) and (*here, d.name) in by_old:
                continue  # it lives elsewhere in the new version
            declarations.append(_rewrite(d, follow, {}))
        declarations += [mv.declaration for mv in moves if mv.new.rsplit(".", 1)[0] + "." == prefix]
        declarations += [mv.declaration for mv in moves if not prefix and "." not in mv.new]
        if follow.stranded:
            return old
        module: Any = spec.module
        rebuilt[prefix] = attrs.evolve(module, declarations=tuple(declarations))
    return _respec(old, "", rebuilt, {})


class _Follow:
    """Reference parts as seen from the module at `here`, following the moves."""

    def __init__(self, here: tuple[str, ...], moved: Mapping[tuple[str, ...], tuple[str, ...]]):
        self.here = here
        self.moved = moved
        self.stranded = False

    def __call__(self, parts: tuple[str, ...]) -> tuple[str, ...]:
        absolute = (*self.here, *parts)
        for old_q, new_q in self.moved.items():
            if absolute[: len(old_q)] == old_q:
                target = (*new_q, *absolute[len(old_q) :])
                if target[: len(self.here)] != self.here:
                    self.stranded = True  # a library cannot reach where it went
                    return parts
                return target[len(self.here) :]
        return parts


def _respec(
    spec: Spec, prefix: str, modules_: Mapping[str, m.Module], done: dict[str, Spec]
) -> Spec:
    if prefix in done:
        return done[prefix]
    libraries = {
        alias: _respec(library, f"{prefix}{alias}.", modules_, done)
        for alias, library in spec.libraries.items()
    }
    done[prefix] = Spec(spec.path, modules_.get(prefix, spec.module), libraries)
    return done[prefix]
