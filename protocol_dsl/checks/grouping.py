"""One root cause, one diagnostic: findings grouped by what the writer must edit.

A score of 24 items read at a visit where its form is not collected is one
mistake, not 24: the findings that differ only in the names they quote (the
items), with one code on one primary line, become one diagnostic whose note
counts the repeats ("and 23 more items of the same form").

When several rules read a form's items at one visit the form is not
collected at (E0501, E0502), the line to edit is the form's collection
schedule, which lacks that visit: the findings become one diagnostic there,
each rule that reads the data labelled.  Every rendering (text, JSON, SARIF)
shows the grouped list, so each of them reports one mistake once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.model import Span

_QUOTED = re.compile(r"'[^']*'")
#: Findings of data not collected when needed: the collection is the line to edit.
_COLLECTION_CODES = ("E0501", "E0502")
#: The reason a collection line fixes: an item read at a visit its form is not collected at
#: (a rule that reads too late, or outside its time frame, is fixed in the rule).
_NOT_COLLECTED_AT = re.compile(r"' at (\w+)(?: \(day -?\d+\))?, where it is not collected")
#: Quoted names shown in a group's note before "…".
_SHOWN = 4


def grouped(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The findings with repeats of one form folded, and a shared collection cause merged."""
    return _by_collection(_repeats(list(diagnostics)))


def _where(span: Span) -> tuple[str, int, int]:
    return (span.file, span.start, span.end)


def _repeats(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    groups: dict[tuple[object, ...], list[Diagnostic]] = {}
    for d in diagnostics:
        key = (d.code, d.severity, _where(d.span), _QUOTED.sub("'…'", d.message), d.allowed)
        groups.setdefault(key, []).append(d)
    out: list[Diagnostic] = []
    for members in groups.values():
        first = members[0]
        if len(members) == 1:
            out.append(first)
            continue
        names = _first_quoted(members[1:])
        out.append(
            attrs.evolve(
                first,
                notes=(
                    *first.notes,
                    f"and {len(members) - 1} more of the same form: {names}",
                ),
            )
        )
    return out


def _first_quoted(members: list[Diagnostic]) -> str:
    quoted: list[str] = []
    for d in members:
        for q in _QUOTED.findall(d.message):
            if q not in quoted:
                quoted.append(q)
    # the names every member quotes alike (the form, the visit) say nothing: keep the others
    common = set.intersection(*(set(_QUOTED.findall(d.message)) for d in members))
    varying = [q for q in quoted if q not in common] or quoted
    shown = ", ".join(varying[:_SHOWN])
    return shown + (", …" if len(varying) > _SHOWN else "")


def _collection_label(d: Diagnostic) -> Label | None:
    if d.code not in _COLLECTION_CODES or d.allowed is not None:
        return None
    for label in d.labels:
        if " is collected at " in label.message or " is not collected" in label.message:
            return label
    return None


def _by_collection(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    causes: dict[tuple[object, ...], list[Diagnostic]] = {}
    for d in diagnostics:
        label = _collection_label(d)
        missing = _NOT_COLLECTED_AT.search(d.message)
        if label is not None and missing is not None:
            causes.setdefault((_where(label.span), missing[1]), []).append(d)
    merged: dict[int, Diagnostic] = {}
    dropped: set[int] = set()
    for members in causes.values():
        if len({_where(d.span) for d in members}) < 2:
            continue  # one rule: its own line is the place to edit
        first = members[0]
        label = _collection_label(first)
        assert label is not None
        readers = tuple(
            Label(d.span, _reader_words(d)) for d in members if _where(d.span) != _where(label.span)
        )
        repeats = sum(_count(d) for d in members) - 1
        codes = sorted({d.code for d in members})
        merged[id(first)] = attrs.evolve(
            first,
            message=f"{label.message}, but {_rules(members)} read its items at visits where it "
            "is not collected",
            span=label.span,
            labels=readers,
            notes=(
                f"and {repeats} more findings of the same cause ({', '.join(codes)}), "
                "one per item and rule that reads it",
                *(note for d in members for note in d.notes if not note.startswith("and ")),
            ),
        )
        dropped.update(id(d) for d in members[1:])
    return [merged.get(id(d), d) for d in diagnostics if id(d) not in dropped]


def _count(d: Diagnostic) -> int:
    for note in d.notes:
        found = re.match(r"and (\d+) more of the same form", note)
        if found:
            return 1 + int(found[1])
    return 1


def _reader_words(d: Diagnostic) -> str:
    """The rule that reads the data, in the words of its finding's first clause."""
    return d.message.split(";", 1)[0]


def _rules(members: list[Diagnostic]) -> str:
    """`I4, E2 and endpoint EP5`: the rules, as their findings name them."""
    names: list[str] = []
    for d in members:
        name = d.message.split(" reads ", 1)[0]
        if name not in names:
            names.append(name)
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
