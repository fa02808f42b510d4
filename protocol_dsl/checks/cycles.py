"""Values defined through themselves (E0115).

A definition, derived value, score or anchor that needs its own value, directly
or through other named values, has no value at all: evaluating it never ends.
Every back end would have to guard against that, so the check refuses it, and
names the whole chain so that the link to cut is easy to see.

Each cycle is reported once, at the declaration that comes first in the source,
with the other declarations of the chain as labels.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.spec import Scope, Spec, walk_scoped

#: Symbol kinds whose value is computed from an expression.
_COMPUTED = ("define", "derive", "score", "score_part", "anchor")


@attrs.frozen
class _Node:
    """A named value computed from expressions: the graph's vertex."""

    kind: str
    name: str
    decl: object = attrs.field(eq=False)
    owner: Spec = attrs.field(eq=False, repr=False)
    form: m.Form | None = attrs.field(default=None, eq=False, repr=False)
    key: int = 0

    @property
    def span(self) -> m.Span:
        return self.decl.span  # type: ignore[attr-defined]  # every decl in the graph has a span

    @property
    def described(self) -> str:
        words = {"define": "definition", "derive": "derived value"}
        return f"{words.get(self.kind, self.kind)} {self.name}"


def check(spec: Spec) -> Iterator[Diagnostic]:
    graph = _Graph(spec)
    for cycle in graph.cycles():
        yield _diagnostic(cycle)


class _Graph:
    def __init__(self, spec: Spec):
        self.nodes: dict[int, _Node] = {}
        self.order: list[int] = []
        for owner in spec.all_specs():
            for decl in owner.module.declarations:
                self._declare(owner, decl)
        self.edges: dict[int, list[int]] = {k: self._depends(self.nodes[k]) for k in self.order}

    def _declare(self, owner: Spec, decl: object) -> None:
        if isinstance(decl, m.Define):
            self._add(_Node("define", decl.name, decl, owner))
        elif isinstance(decl, m.Score | m.ScoreVariant):
            self._add(_Node("score", decl.name, decl, owner))
        elif isinstance(decl, m.Anchor) and decl.expr is not None:
            self._add(_Node("anchor", decl.name, decl, owner))
        elif isinstance(decl, m.Form):
            for derive in decl.derives:
                self._add(_Node("derive", f"{decl.name}.{derive.name}", derive, owner, decl))

    def _add(self, node: _Node) -> None:
        key = id(node.decl)
        if key not in self.nodes:
            self.nodes[key] = attrs.evolve(node, key=key)
            self.order.append(key)

    def _depends(self, node: _Node) -> list[int]:
        """The computed values `node` reads, in source order, each once."""
        found: dict[int, None] = {}
        for expr, scope in self._expressions(node):
            for ref_node, here in walk_scoped(expr, scope):
                refs = [ref_node] if isinstance(ref_node, m.Ref) else []
                if isinstance(ref_node, m.Aggregate):
                    refs.append(ref_node.target)  # resolved in the outer scope
                for ref in refs:
                    symbol = here.owner.resolve(ref.parts, here)
                    if symbol is not None and symbol.kind in _COMPUTED:
                        target = id(symbol.decl)
                        if target in self.nodes:
                            found[target] = None
        return list(found)

    def _expressions(self, node: _Node) -> Iterator[tuple[m.Expr, Scope]]:
        decl, owner = node.decl, node.owner
        if isinstance(decl, m.Define | m.Derive):
            yield decl.expr, Scope(owner, node.form)
        elif isinstance(decl, m.Anchor) and decl.expr is not None:
            yield decl.expr, Scope(owner)
        elif isinstance(decl, m.ScoreVariant):
            yield decl.base, Scope(owner)
        elif isinstance(decl, m.Score):
            form = owner.score_form(decl)
            for _domain, item in decl.items():
                if item.expr is not None:
                    yield item.expr, Scope(owner, form)

    def cycles(self) -> Iterator[list[_Node]]:
        """One cycle per strongly connected component that has one, in source order."""
        reported: set[int] = set()
        for start in self.order:
            if start in reported:
                continue
            path = self._cycle_from(start)
            if path is None:
                continue
            component = self._component(start)
            reported |= component
            yield [self.nodes[k] for k in path]

    def _cycle_from(self, start: int) -> list[int] | None:
        """The shortest chain from `start` back to itself (breadth first), or None."""
        previous: dict[int, int] = {}
        frontier = [start]
        while frontier:
            following: list[int] = []
            for key in frontier:
                for target in self.edges.get(key, ()):
                    if target == start:
                        chain = [key]
                        while chain[-1] != start:
                            chain.append(previous[chain[-1]])
                        return list(reversed(chain))
                    if target not in previous:
                        previous[target] = key
                        following.append(target)
            frontier = following
        return None

    def _component(self, start: int) -> set[int]:
        """Every value on some cycle through `start` (reachable from it and reaching it)."""
        forward = self._reachable(start, self.edges)
        backward_edges: dict[int, list[int]] = {}
        for source, targets in self.edges.items():
            for target in targets:
                backward_edges.setdefault(target, []).append(source)
        return forward & self._reachable(start, backward_edges)

    @staticmethod
    def _reachable(start: int, edges: dict[int, list[int]]) -> set[int]:
        seen = {start}
        stack = [start]
        while stack:
            for target in edges.get(stack.pop(), ()):
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return seen


def _diagnostic(cycle: list[_Node]) -> Diagnostic:
    first = cycle[0]
    chain = " → ".join(n.name for n in [*cycle, first])
    if len(cycle) == 1:
        message = f"{first.described} refers to itself: it has no value"
    else:
        message = f"{first.described} refers to itself through {_others(cycle)}: {chain}"
    return Diagnostic(
        "E0115",
        "error",
        message,
        first.span,
        labels=tuple(
            Label(n.span, f"{n.described} uses {cycle[(i + 1) % len(cycle)].name}")
            for i, n in enumerate(cycle)
            if i > 0
        ),
        notes=(f"evaluating {first.name} needs {chain}, which never ends",),
        help="compute one of these values from collected items instead of from the others",
    )


def _others(cycle: list[_Node]) -> str:
    names = [n.name for n in cycle[1:]]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
