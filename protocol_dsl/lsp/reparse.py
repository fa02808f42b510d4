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

from typing import Any

import attrs

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic

ParseResult = tuple[m.Module | None, list[Diagnostic]]


def reparse(before: str, module: m.Module, after: str, parse: Any) -> ParseResult | None:
    """The module of `after`, from `module` (the parse of `before`); None: parse it all."""
    if before == after:
        return module, []
    prefix = 0
    limit = min(len(before), len(after))
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    edit_start, edit_end = prefix, len(before) - suffix
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
    blank = "".join("\n" if char == "\n" else " " for char in after[:start])
    alone, problems = parse(blank + after[start:end], module.path)
    if alone is None or problems or len(alone.declarations) != 1:
        return None
    lines = after.count("\n", edit_start, edit_end + delta) - before.count(
        "\n", edit_start, edit_end
    )
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


def _moved(node: Any, delta: int, lines: int) -> Any:
    """A copy of `node` with every span `delta` characters and `lines` lines further on."""
    if isinstance(node, m.Span):
        return m.Span(
            node.file,
            node.line + lines,
            node.column,
            node.end_line + lines,
            node.end_column,
            node.start + delta,
            node.end + delta,
        )
    if isinstance(node, tuple):
        return tuple(_moved(element, delta, lines) for element in node)
    if not attrs.has(type(node)):
        return node
    changes = {}
    for field in attrs.fields(type(node)):
        value = getattr(node, field.name)
        if isinstance(value, tuple | m.Span) or attrs.has(type(value)):
            moved = _moved(value, delta, lines)
            if moved is not value:
                changes[field.name] = moved
    return attrs.evolve(node, **changes) if changes else node
