"""Eligibility criteria free text split into numbered inclusion and exclusion criteria.

A registry's `eligibilityCriteria` is one text: usually an "Inclusion
Criteria:" heading and an "Exclusion Criteria:" heading, each followed by a
list.  The lists come in every layout writers use: `*`, `-` or `•` bullets,
`1.` or `1)` numbers, blank lines between items or none, and items with
sub-items (numbered or bulleted, indented beneath them).

The first item marker of a section sets its top level (the marker's kind and
indentation): a line with a marker of the same kind at that indentation or less
starts a new criterion; every other line (a sub-item, a wrapped line, a
paragraph after the list) belongs to the criterion above it, its own marker
kept, so that the criterion's text is exactly what the record says.  The field
is CommonMark: its escapes (`\\>=`, `1\\.`, `\\*`) stand for the characters
they escape, which is what the criterion's text keeps.  Lines
before the first marker of a section (an introduction) are kept as a
criterion of their own, flagged so that the writer decides what they are.
"""

from __future__ import annotations

import re

import attrs

from generators.registries.ctgov import escape_markup

#: a section heading: unindented, "Inclusion Criteria", "Key exclusion criteria:",
#: possibly wrapped in light markup (`**…**`, `#`, `_`)
_HEADING = re.compile(
    r"(?:#+[ \t]*|\*\*|__)?(?:key\s+|main\s+)?(?P<kind>inclusion|exclusion)\s+criteria"
    r"\s*:?\s*(?:\*\*|__)?\s*:?\s*",
    re.IGNORECASE,
)
#: an item marker at the start of a line, after its indentation; the registry's
#: markup may escape it (`\*`, `1\.`)
_MARKER = re.compile(
    r"(?P<indent>[ \t]*)(?:\\?(?P<bullet>[*\-•·▪◦o])|(?P<number>\d{1,3})\\?[.)]"
    r"|(?P<letter>[a-zA-Z])\\?[.)]|\\?\((?P<paren>[0-9a-zA-Z]{1,3})\\?\))(?:[ \t]+|$)"
)
#: a CommonMark escape: a backslash before ASCII punctuation stands for the punctuation
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape_markup(text: str) -> str:
    """The text a markup field of the record stands for (`\\>=` is `>=`)."""
    return _ESCAPE.sub(r"\1", text)


@attrs.frozen
class Criterion:
    kind: str  # "inclusion" or "exclusion"
    text: str
    #: no list marker introduced it: text before a section's first item, or a
    #: record without headings, whose kind is a guess
    guessed: bool = False


@attrs.frozen
class _Marker:
    kind: str
    indent: int
    end: int


def _marker(line: str) -> _Marker | None:
    found = _MARKER.match(line)
    if found is None:
        return None
    if found["bullet"] == "o" and not found.group(0).endswith((" ", "\t")):
        return None
    for kind in ("bullet", "number", "letter", "paren"):
        value = found[kind]
        if value is not None:
            label = f"bullet{value}" if kind == "bullet" else kind
            return _Marker(label, len(found["indent"].expandtabs(4)), found.end())
    return None


def split_criteria(text: str) -> list[Criterion]:
    """The criteria of an `eligibilityCriteria` text, inclusions then exclusions as written."""
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        heading = _HEADING.fullmatch(unescape_markup(line)) if line[:1] not in (" ", "\t") else None
        if heading is not None:
            sections.append((heading["kind"].lower(), []))
        else:
            sections[-1][1].append(line)
    criteria: list[Criterion] = []
    headed = any(kind is not None for kind, _ in sections)
    for kind, lines in sections:
        criteria.extend(_section(kind or "inclusion", lines, guessed=not headed))
    return criteria


def _section(kind: str, lines: list[str], *, guessed: bool) -> list[Criterion]:
    top: _Marker | None = None
    items: list[tuple[bool, list[str]]] = []  # (introduced by a marker, lines)
    for line in lines:
        if not line.strip():
            continue
        marker = _marker(line)
        if marker is not None and top is None:
            top = marker
        if (
            marker is not None
            and top is not None
            and marker.kind == top.kind
            and marker.indent <= top.indent
        ):
            items.append((True, [line[marker.end :].strip()]))
        elif not items or (top is None and line[:1] not in (" ", "\t")):
            # before any marker, each unindented line is an item (a list without markers)
            items.append((False, [line.strip()]))
        else:
            items[-1][1].append(line.strip())
    return [
        Criterion(
            kind, unescape_markup("\n".join(part for part in body if part)), guessed or not marked
        )
        for marked, body in items
        if any(body)
    ]


def registry_layout(inclusions: list[str], exclusions: list[str]) -> str:
    """Criteria texts back in the registry's layout (what `split_criteria` reads), as
    the registry record writes them (`registry.ctgov.eligibility_text`)."""
    sections = []
    for title, texts in (("Inclusion Criteria:", inclusions), ("Exclusion Criteria:", exclusions)):
        if texts:
            bullets = []
            for text in texts:
                first, *rest = escape_markup(text).split("\n")
                bullets.append("\n".join([f"* {first}"] + [f"    {r}" for r in rest]))
            sections.append(title + "\n\n" + "\n".join(bullets))
    return "\n\n".join(sections)
