"""What a run of the contract exercised: grammar rules, expression kinds, commands, codes.

Grammar rules are the node names of Lark parse trees of the project's own grammar
(aliases included: `compare_chain`, `visit_window_sym`, …); a rule written with `?`
that always has a single child is inlined by Lark and never appears in a tree, so it
is not counted.  Expression kinds are the classes of `protocol_dsl.model` that make up
the model's expressions.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from typing import Any

import attrs
from lark import Lark, Tree

from protocol_dsl import model as m
from protocol_dsl.syntax.parser import grammar_text

#: Expression classes of the model (every kind an expression node can be).
EXPRESSION_KINDS: frozenset[str] = frozenset(t.__name__ for t in m._EXPR_TYPES)


@functools.cache
def _plain_parser() -> Lark:
    """The grammar with a plain Lark parser that builds trees (the compiler's own driver
    builds the model directly and keeps no tree)."""
    return Lark(grammar_text(), parser="lalr", lexer="contextual", maybe_placeholders=False)


@functools.cache
def grammar_rules() -> frozenset[str]:
    """Every node name a parse tree of the grammar can have."""
    names: set[str] = set()
    for rule in _plain_parser().rules:
        name = rule.alias or rule.origin.name
        if str(name).startswith("_"):
            continue
        if rule.options.expand1 and not rule.alias:
            kept = [s for s in rule.expansion if not (s.is_term and s.filter_out)]
            if len(kept) == 1:  # inlined: the child takes its place in the tree
                continue
        names.add(str(name))
    return frozenset(names)


def rules_used(source: str) -> set[str]:
    """The grammar rules of the parse tree of `source` (empty if it does not parse)."""
    try:
        tree = _plain_parser().parse(source)
    except Exception:  # a syntax error: the compiler reports it, the harness only counts
        return set()
    return {str(t.data) for t in tree.iter_subtrees() if isinstance(t, Tree)}


def expression_kinds(module: Any) -> set[str]:
    """The expression classes found anywhere in a model (a module, a spec, a node)."""
    found: set[str] = set()
    for node in _nodes(module):
        if isinstance(node, m._EXPR_TYPES):
            found.add(type(node).__name__)
    return found


def _nodes(root: Any) -> Iterator[Any]:
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, tuple | list):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif attrs.has(type(node)):
            yield node
            stack.extend(
                getattr(node, f.name) for f in attrs.fields(type(node)) if f.name != "span"
            )


@attrs.define
class Coverage:
    """Counts of what was exercised; `merge` adds another run's counts (for shards)."""

    rules: Counter[str] = attrs.Factory(Counter)
    expressions: Counter[str] = attrs.Factory(Counter)
    commands: Counter[str] = attrs.Factory(Counter)
    outcomes: Counter[str] = attrs.Factory(Counter)
    codes: Counter[str] = attrs.Factory(Counter)
    sources: Counter[str] = attrs.Factory(Counter)

    def merge(self, other: Coverage) -> None:
        for field in attrs.fields(Coverage):
            getattr(self, field.name).update(getattr(other, field.name))

    def to_json(self) -> dict[str, dict[str, int]]:
        return {f.name: dict(getattr(self, f.name)) for f in attrs.fields(Coverage)}

    @classmethod
    def from_json(cls, data: dict[str, dict[str, int]]) -> Coverage:
        return cls(**{k: Counter(v) for k, v in data.items()})

    def missing_rules(self) -> set[str]:
        return set(grammar_rules()) - set(self.rules)

    def missing_expressions(self) -> set[str]:
        return set(EXPRESSION_KINDS) - set(self.expressions)
