"""The protocol's own wording of what a change touches, for the summary-of-changes table.

A summary of changes shows the old and the new protocol text side by side.
For a declaration with verbatim text (a criterion, an objective, an
endpoint, a header field) that is the text the protocol prints; for the
rest (a visit window, a dose level) the change's value in words is what the
protocol prints.  The declaration is found by the span the change records
in each version's source.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import attrs

from generators.diff.changes import Change
from protocol_dsl import model as m
from protocol_dsl.spec import Spec


@attrs.frozen
class Wording:
    old: str | None
    new: str | None


def wording(change: Change, old: Spec, new: Spec) -> Wording:
    """The old and new wording of a change (None where that version has none)."""
    return Wording(
        _text_at(old, change.old_span) or change.old,
        _text_at(new, change.new_span) or change.new,
    )


def _text_at(spec: Spec, span: m.Span | None) -> str | None:
    if span is None:
        return None
    for node in _nodes(spec.module):
        if getattr(node, "span", None) == span or _same_place(getattr(node, "span", None), span):
            text = _verbatim(node)
            if text is not None:
                return text
    return None


def _same_place(candidate: object, span: m.Span) -> bool:
    # spans are excluded from equality of nodes but compared here as places in a file
    return (
        isinstance(candidate, m.Span)
        and candidate.file == span.file
        and candidate.start == span.start
        and candidate.end == span.end
    )


def _verbatim(node: object) -> str | None:
    if isinstance(node, m.Criterion):
        return node.text
    if isinstance(node, m.Objective | m.Endpoint):
        return node.text
    if isinstance(node, m.Field):
        return "; ".join(str(v.value) for v in node.values)
    return None


def _nodes(node: object) -> Iterator[object]:
    """Every model node under `node`, depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, tuple | list):
            stack.extend(reversed(current))
            continue
        if not attrs.has(type(current)):
            continue
        yield current
        instance = cast(attrs.AttrsInstance, current)
        for field in attrs.fields(type(instance)):
            if field.name == "span":
                continue
            value = getattr(current, field.name)
            if attrs.has(type(value)) or isinstance(value, tuple | list):
                stack.append(value)
