"""The protocol's own wording of what a change touches, for the summary-of-changes table.

A summary of changes shows the old and the new protocol text side by side.
For a declaration with verbatim text (a criterion, an objective, an
endpoint, a header field) that is the text the protocol prints; for the
rest (a visit window, a dose level) the change's value in words is what the
protocol prints.  The declaration is found by the span the change records
in each version's source.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from generators.diff.changes import Change
from protocol_dsl import model as m
from protocol_dsl.spec import Spec


@attrs.frozen
class Wording:
    old: str | None
    new: str | None


def wordings(changes: Sequence[Change], old: Spec, new: Spec) -> tuple[Wording, ...]:
    """The old and new wording of each change (None where that version has none)."""
    old_texts, new_texts = _texts(old), _texts(new)
    return tuple(
        Wording(
            _at(old_texts, change.old_span) or change.old,
            _at(new_texts, change.new_span) or change.new,
        )
        for change in changes
    )


_Place = tuple[str, int, int]


def _texts(spec: Spec) -> dict[_Place, str]:
    """The verbatim text of every declaration that has one, by its place in the source."""
    found: dict[_Place, str] = {}
    # a mark has no wording of its own: the walk that skips marks finds every text
    for node in m.nodes_under(spec.module):
        span = getattr(node, "span", None)
        text = _verbatim(node)
        if isinstance(span, m.Span) and text is not None:
            found.setdefault((span.file, span.start, span.end), text)
    return found


def _at(texts: dict[_Place, str], span: m.Span | None) -> str | None:
    # spans are left out of node equality, so a declaration is found by its place
    return texts.get((span.file, span.start, span.end)) if span is not None else None


def _verbatim(node: object) -> str | None:
    if isinstance(node, m.Criterion):
        return node.text
    if isinstance(node, m.Objective | m.Endpoint):
        return node.text
    if isinstance(node, m.Field):
        return "; ".join(str(v.value) for v in node.values)
    return None
