"""Re-parsing only the declaration an edit is in.

Typing inside one declaration (a character in a criterion's rule) leaves every
other declaration as it was: those before it keep their spans, those after it
only move by the length the edit added or removed.  So the edited declaration
is parsed alone, at its place in the file (the text before it blanked out, line
breaks kept, so that its spans are those of the whole file), and the module is
put together from the three parts.

Whenever that could differ from parsing the whole file, the whole file is
parsed instead: an edit outside every declaration or across two, a
declaration that no longer parses alone, or that parses into anything but one
declaration.  The result is the module a full parse gives (tests compare them,
spans included).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import attrs

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic

ParseResult = tuple[m.Module | None, list[Diagnostic]]


def reparse(before: str, module: m.Module, after: str, parse: Any) -> ParseResult | None:
    """The module of `after`, from `module` (the parse of `before`); None: parse it all."""
    if before == after:
        return module, []
    edit_start, edit_end = edited_region(before, after)
    delta = len(after) - len(before)
    declarations = module.declarations
    inside = [
        number
        for number, d in enumerate(declarations)
        if d.span.start < edit_start and edit_end < d.span.end
    ]
    if len(inside) != 1 or "\n" not in after[edit_end + delta :]:
        return None  # (on the last line, the module's own span would change its column)
    number = inside[0]
    edited = declarations[number]
    start, end = edited.span.start, edited.span.end + delta
    following = (
        declarations[number + 1].span.start + delta if number + 1 < len(declarations) else None
    )
    if following is not None and "\n" not in after[edit_end + delta : following]:
        return None  # the next declaration starts on the edited line: its columns move
    blank = _NOT_A_LINE_BREAK.sub(" ", after[:start])
    alone, problems = parse(blank + after[start:end], module.path)
    if alone is None or problems or len(alone.declarations) != 1:
        return None
    lines = after.count("\n", edit_start, edit_end + delta) - before.count(
        "\n", edit_start, edit_end
    )
    if delta == 0 and lines == 0:
        later = declarations[number + 1 :]  # (a character replaced: nothing after it moves)
    else:
        later = tuple(_moved(d, delta, lines) for d in declarations[number + 1 :])
    span = module.span
    whole = m.Span(
        span.file,
        span.line,
        span.column,
        span.end_line + lines,
        span.end_column,
        span.start,
        span.end + delta,
    )
    rebuilt = m.Module(
        module.path,
        (*declarations[:number], alone.declarations[0], *later),
        span=whole,
    )
    return rebuilt, []


def edited_region(before: str, after: str) -> tuple[int, int]:
    """Where `before` and `after` differ: the longest common prefix and suffix left out,
    as (start, end) offsets in `before` (the edit replaced `before[start:end]`)."""
    limit = min(len(before), len(after))
    prefix = _common(before, after, limit, lambda n: before[:n] == after[:n])
    rest = limit - prefix
    suffix = _common(
        before, after, rest, lambda n: before[len(before) - n :] == after[len(after) - n :]
    )
    return prefix, len(before) - suffix


def _common(before: str, after: str, limit: int, same: Any) -> int:
    """The largest n <= limit with same(n), by halving (slices compare at C speed; a
    character-by-character loop over a long spec costs tens of milliseconds)."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if same(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _moved(node: Any, delta: int, lines: int) -> Any:
    """A copy of `node` with every span `delta` characters and `lines` lines further on.

    Every declaration after an edit goes through here on every keystroke, so the
    copy is shallow per node (the fields that cannot hold a span are shared).
    """
    kind = type(node)
    if kind is m.Span:
        # built as below for the nodes, without `__init__`: a long spec has hundreds of
        # thousands of spans after an edit near its top
        span = object.__new__(m.Span)
        fields = span.__dict__
        fields.update(node.__dict__)
        fields["start"] = node.start + delta
        fields["end"] = node.end + delta
        if lines:
            fields["line"] = node.line + lines
            fields["end_line"] = node.end_line + lines
        return span
    if kind is tuple:
        return tuple([_moved(element, delta, lines) for element in node]) if node else node
    is_node = _NODES.get(kind)
    if is_node is None:
        is_node = _NODES[kind] = attrs.has(kind) and hasattr(node, "__dict__")
    if not is_node:
        return node
    changes = {}
    # a model node's fields are its plain attributes (see `model.node`)
    for name, value in node.__dict__.items():
        if value is None or type(value) in _LEAVES:
            continue
        moved = _moved(value, delta, lines)
        if moved is not value:
            changes[name] = moved
    if not changes:
        return node
    # a frozen model node, copied field for field (they are plain attributes, see
    # `model.node`), with its moved fields replaced: what `attrs.evolve` makes, without
    # running `__init__` again on values it has already accepted
    copy = object.__new__(kind)
    copy.__dict__.update(node.__dict__)
    copy.__dict__.update(changes)
    return copy


_NOT_A_LINE_BREAK = re.compile(r"[^\n]")

#: Whether a class is a model node, whose fields are followed (a span can be in any).
_NODES: dict[type, bool] = {}
#: Values that never hold a span.
_LEAVES = frozenset({str, int, bool, float, Decimal})
