"""Findings of one text moved onto the next, when the edit between them changed nothing
the checks read.

Spans are not part of a model's meaning (two nodes that differ only in where they
stand are equal), so when every module a spec is made of is equal to the one
checked before, every check would say the same again: only where it points has
moved.  Typing a space in a rule, re-indenting a line or joining two spaces are
such edits.  The findings are then moved with the text rather than found again.

Moving is exact only for an edit that keeps every line where it was: a span's
line and column, and the lines some messages name ("first on line 12"), would
change with a line break added or removed.  Such an edit, or a finding that
starts or ends inside the edited text, is checked again from scratch.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Fix, Label
from protocol_dsl.lsp.reparse import edited_region


class Edit:
    """The one region where two texts differ, and how offsets move across it."""

    def __init__(self, before: str, after: str) -> None:
        self.after = after
        self.start, self.end = edited_region(before, after)
        self.delta = len(after) - len(before)
        #: the line the edit is on (one line: see `keeps_lines`)
        self.line = before.count("\n", 0, self.start) + 1
        self.keeps_lines = "\n" not in before[self.start : self.end] and (
            "\n" not in after[self.start : self.end + self.delta]
        )

    def span(self, span: m.Span) -> m.Span | None:
        """`span` in the new text: a start at the edit belongs to what follows it, an end
        at the edit to what precedes it; None when either falls inside the edited text."""
        if span.start < self.start or (span.start == self.start == self.end):
            start = span.start if span.start < self.start else span.start + self.delta
        elif span.start >= self.end:
            start = span.start + self.delta
        else:
            return None
        if span.end <= self.start:
            end = span.end
        elif span.end >= self.end:
            end = span.end + self.delta
        else:
            return None
        if (start, end) == (span.start, span.end):
            return span
        # the edit keeps every line: only columns after it on its own line move
        column = span.column + (start - span.start if span.line == self.line else 0)
        end_column = span.end_column + (end - span.end if span.end_line == self.line else 0)
        return m.Span(span.file, span.line, column, span.end_line, end_column, start, end)


def moved(
    found: list[Diagnostic], before: dict[str, str], after: dict[str, str]
) -> list[Diagnostic] | None:
    """`found` (about the texts `before`) moved onto the texts `after`; None when one
    edit adds or removes a line break, or a finding cannot be moved exactly."""
    if before.keys() != after.keys():
        return None
    edits: dict[str, Edit] = {}
    for path, text in after.items():
        if before[path] != text:
            edit = Edit(before[path], text)
            if not edit.keeps_lines:
                return None
            edits[path] = edit
    if not edits:
        return list(found)
    result: list[Diagnostic] = []
    for finding in found:
        one = _moved_finding(finding, edits)
        if one is None:
            return None
        result.append(one)
    return result


def _moved_finding(finding: Diagnostic, edits: dict[str, Edit]) -> Diagnostic | None:
    def move(span: m.Span) -> m.Span | None:
        edit = edits.get(span.file)
        return span if edit is None else edit.span(span)

    return moved_finding(finding, move)


def moved_finding(
    finding: Diagnostic, move: Callable[[m.Span], m.Span | None]
) -> Diagnostic | None:
    """`finding` with every span it holds (its own, its labels', its fix's) moved by
    `move`; None when one cannot be moved."""
    span = move(finding.span)
    labels = [(move(label.span), label.message) for label in finding.labels]
    fix = None
    if finding.fix is not None:
        fix_span = move(finding.fix.span)
        if fix_span is None:
            return None
        fix = Fix(fix_span, finding.fix.replacement, finding.fix.title)
    if span is None or any(where is None for where, _message in labels):
        return None
    return attrs.evolve(
        finding,
        span=span,
        labels=tuple(Label(where, message) for where, message in labels if where is not None),
        fix=fix,
    )
