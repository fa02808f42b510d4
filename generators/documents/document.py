"""The document model every renderer reads: sections, blocks and inline text.

This module owns the shape of a generated document, independent of its
format.  `content.py` and `schedule.py` build it once from a spec; the HTML,
Markdown and Word renderers walk it.  Text here is always plain text: each
renderer escapes it for its own format, so nothing from a spec is ever
interpreted as markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, TypeAlias

import attrs

# ---------------------------------------------------------------- inline text


@attrs.frozen
class Text:
    text: str


@attrs.frozen
class Strong:
    text: str


@attrs.frozen
class Emphasis:
    text: str


@attrs.frozen
class Code:
    """A name from the spec (an identifier a data manager searches for)."""

    text: str


BadgeKind = Literal["provisional", "question"]


@attrs.frozen
class Badge:
    """A visible status mark: PROVISIONAL or OPEN QUESTION, numbered, linked to the list."""

    kind: BadgeKind
    label: str
    target: str


@attrs.frozen
class Link:
    """A link to an anchor inside the same document."""

    text: str
    target: str


@attrs.frozen
class Note:
    """A footnote or reference marker, printed raised: "a", "[3]"."""

    text: str
    target: str | None = None


@attrs.frozen
class LineBreak:
    pass


Inline: TypeAlias = Text | Strong | Emphasis | Code | Badge | Link | Note | LineBreak

# ---------------------------------------------------------------- blocks

ParagraphStyle = Literal["body", "rule", "note", "question", "caveat", "small", "lead"]


@attrs.frozen
class Paragraph:
    inlines: tuple[Inline, ...]
    style: ParagraphStyle = "body"
    anchor: str | None = None


Cell: TypeAlias = tuple[Paragraph, ...]


@attrs.frozen
class TableNote:
    """A note of a table with the mark its cells carry ("a"): a renderer that has real
    footnotes (Word) links each mark to its note instead of printing the notes below."""

    key: str
    inlines: tuple[Inline, ...]


@attrs.frozen
class Table:
    """A table with one header row; `kind` lets renderers style e.g. the SoA grid."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str | None = None
    footnotes: tuple[Paragraph, ...] = ()
    kind: Literal["grid", "fields", "soa"] = "grid"
    anchors: tuple[str | None, ...] = ()  # an anchor per row, or empty
    groups: tuple[tuple[str, int], ...] = ()  # a row above the header: (label, columns spanned)
    subgroups: tuple[tuple[str, int], ...] = ()  # a second such row, under `groups`
    # the footnotes again, by the mark a `Note` in a cell shows ("a", or "a, c" for two)
    notes: tuple[TableNote, ...] = ()


@attrs.frozen
class ListItem:
    label: str | None
    blocks: tuple[Paragraph, ...]
    anchor: str | None = None


@attrs.frozen
class ListBlock:
    """A list; items with a label (I1, E3) print it instead of a bullet."""

    items: tuple[ListItem, ...]
    labelled: bool = False


@attrs.frozen
class Preformatted:
    text: str


Block: TypeAlias = Paragraph | Table | ListBlock | Preformatted


@attrs.frozen
class Section:
    id: str
    number: str  # "4.2", or "" for unnumbered front matter
    title: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()
    page_break: bool = False  # a major section starts on a new page

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def depth(self) -> int:
        return self.number.count(".") + 1 if self.number else 1

    def walk(self) -> Iterator[Section]:
        yield self
        for sub in self.subsections:
            yield from sub.walk()


@attrs.frozen
class Document:
    title: str
    subtitle: str
    title_blocks: tuple[Block, ...]
    sections: tuple[Section, ...]
    language: str = "en"

    def all_sections(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()


# ---------------------------------------------------------------- helpers


def text(*parts: str | Inline) -> tuple[Inline, ...]:
    """Inline content from strings (plain text) and inline nodes."""
    return tuple(Text(p) if isinstance(p, str) else p for p in parts if p != "")


def lines(value: str) -> tuple[Inline, ...]:
    """Text whose line breaks are kept (a criterion written as a numbered list)."""
    out: list[Inline] = []
    for index, line in enumerate(value.split("\n")):
        if index:
            out.append(LineBreak())
        if line:
            out.append(Text(line))
    return tuple(out)


def para(*parts: str | Inline, style: ParagraphStyle = "body") -> Paragraph:
    return Paragraph(text(*parts), style)


def cell(*parts: str | Inline) -> Cell:
    """A table cell with one paragraph; empty text makes an empty cell."""
    return (para(*parts),) if any(p != "" for p in parts) else ()


def header_cells(*titles: str) -> list[Cell]:
    """A table's header row: one plain cell per column title (a list: optional columns
    are appended after)."""
    return [cell(title) for title in titles]


def plain(inlines: tuple[Inline, ...]) -> str:
    """The text of inline content without marks of format (for search and tests)."""
    out: list[str] = []
    for inline in inlines:
        if isinstance(inline, LineBreak):
            out.append("\n")
        elif isinstance(inline, Badge):
            out.append(f"[{inline.label}]")
        elif isinstance(inline, Note):
            out.append(inline.text)
        else:
            out.append(inline.text)
    return "".join(out)


def block_text(block: Block) -> Iterator[str]:
    """Every piece of text in a block."""
    if isinstance(block, Paragraph):
        yield plain(block.inlines)
    elif isinstance(block, Table):
        if block.caption:
            yield block.caption
        for row in (block.header, *block.rows):
            for c in row:
                for p in c:
                    yield plain(p.inlines)
        for p in block.footnotes:
            yield plain(p.inlines)
    elif isinstance(block, ListBlock):
        for item in block.items:
            if item.label:
                yield item.label
            for p in item.blocks:
                yield plain(p.inlines)
    else:
        yield block.text


def document_text(document: Document) -> Iterator[str]:
    yield document.title
    yield document.subtitle
    for block in document.title_blocks:
        yield from block_text(block)
    for section in document.all_sections():
        yield section.heading
        for block in section.blocks:
            yield from block_text(block)
