"""Markdown rendering of the document model (CommonMark with GitHub tables).

This module owns the Markdown form of a document.  Text from the spec is
escaped so that it is always read as text: Markdown punctuation is
backslash-escaped and `<` can never open raw HTML, so a criterion that
happens to contain markup prints as written.
"""

from __future__ import annotations

import re

from generators.documents.document import (
    Badge,
    Block,
    Cell,
    Code,
    Document,
    Emphasis,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Note,
    Paragraph,
    Preformatted,
    Section,
    Strong,
    Table,
    Text,
)

_ESCAPE = re.compile(r"([\\`*_\[\]<>|#!~])")
# At the start of a line these would begin a list, a rule or a heading underline.
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)](?=\s|$))", re.MULTILINE)


def escape(text: str) -> str:
    """Plain text as Markdown that renders as exactly that text."""
    text = _ESCAPE.sub(r"\\\1", text).replace("&", "&amp;")
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    marker = match[2]
    if marker[0].isdigit():  # "12." -> "12\." (the escape goes before the dot)
        return match[1] + marker[:-1] + "\\" + marker[-1]
    return match[1] + "\\" + marker


def _code(text: str) -> str:
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _delimited(text: str, marker: str) -> str:
    """Plain text in emphasis markers."""
    return _wrap(escape(text), marker)


def _wrap(markdown: str, marker: str) -> str:
    """Markdown in emphasis markers, with its spaces outside them (CommonMark ignores
    "**a **"); blank text gets no markers, which would otherwise draw a rule."""
    core = markdown.strip()
    if not core:
        return markdown
    lead = markdown[: len(markdown) - len(markdown.lstrip())]
    trail = markdown[len(markdown.rstrip()) :]
    return f"{lead}{marker}{core}{marker}{trail}"


def inlines(items: tuple[Inline, ...], in_table: bool = False) -> str:
    out: list[str] = []
    for item in items:
        if isinstance(item, Text):
            out.append(escape(item.text))
        elif isinstance(item, Strong):
            out.append(_delimited(item.text, "**"))
        elif isinstance(item, Emphasis):
            out.append(_delimited(item.text, "*"))
        elif isinstance(item, Code):
            out.append(_code(item.text).replace("|", "\\|") if in_table else _code(item.text))
        elif isinstance(item, Badge):
            out.append(f"**\\[{escape(item.label)}\\]**")
        elif isinstance(item, Link):
            out.append(f"[{escape(item.text)}](#{item.target})")
        elif isinstance(item, Note):
            out.append(f"<sup>{escape(item.text)}</sup>")
        elif isinstance(item, LineBreak):
            out.append("<br>" if in_table else "\\\n")
    text = "".join(out)
    if in_table:
        text = text.replace("\n", "<br>")
    return text


def _paragraph(p: Paragraph) -> str:
    # four leading spaces would make an indented code block
    text = "\n".join(line.lstrip() for line in inlines(p.inlines).split("\n"))
    if p.style == "rule":
        return "> " + text.replace("\n", "\n> ")
    if p.style in ("note", "small"):
        return text if text.startswith("*") else _wrap(text, "*")
    if p.style == "caveat":
        return "> " + text.replace("\n", "\n> ")
    if p.style == "lead":
        return text if text.startswith("**") else _wrap(text, "**")
    return text


def _cell(c: Cell) -> str:
    return "<br>".join(inlines(p.inlines, in_table=True).strip() for p in c) or " "


def _table(t: Table) -> str:
    lines: list[str] = []
    if t.caption:
        lines += [_delimited(t.caption, "**"), ""]
    lines.append("| " + " | ".join(_cell(c) for c in t.header) + " |")
    lines.append("|" + "|".join("---" for _ in t.header) + "|")
    for groups in (t.groups, t.subgroups):
        if not groups:
            continue
        # GitHub tables have no spanning cells: the groups become the first rows
        cells: list[str] = []
        for label, span in groups:
            cells += [_delimited(label, "*") if label else " "] + [" "] * (span - 1)
        lines.append("| " + " | ".join(cells) + " |")
    for row in t.rows:
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    for note in t.footnotes:
        lines += ["", _paragraph(note)]
    return "\n".join(lines)


def _list(block: ListBlock) -> str:
    items: list[str] = []
    for item in block.items:
        paragraphs = [_paragraph(p) for p in item.blocks]
        if not paragraphs:
            continue
        first = paragraphs[0]
        if item.label:
            first = f"**{escape(item.label)}** {first}"
        body = "\n\n".join([first, *paragraphs[1:]])
        items.append("- " + body.replace("\n", "\n  "))
    return "\n".join(items) if all(len(i.blocks) <= 1 for i in block.items) else "\n\n".join(items)


def block(b: Block) -> str:
    if isinstance(b, Paragraph):
        return _paragraph(b)
    if isinstance(b, Table):
        return _table(b)
    if isinstance(b, ListBlock):
        return _list(b)
    if isinstance(b, Preformatted):
        fence = "```"
        while fence in b.text:
            fence += "`"
        return f"{fence}text\n{b.text}\n{fence}"
    raise TypeError(f"no Markdown for {type(b).__name__}")


def _section(section: Section, parts: list[str]) -> None:
    level = min(section.depth + 1, 6)
    parts.append(f"{'#' * level} {escape(section.heading)}")
    parts.extend(block(b) for b in section.blocks)
    for sub in section.subsections:
        _section(sub, parts)


def _toc(sections: tuple[Section, ...], depth: int = 0) -> list[str]:
    lines: list[str] = []
    for section in sections:
        lines.append(f"{'  ' * depth}- {escape(section.heading)}")
        if section.depth < 2:
            lines += _toc(section.subsections, depth + 1)
    return lines


def render(document: Document, doc_kind: str, *, with_toc: bool) -> str:
    parts = [f"# {escape(document.title)}"]
    if document.subtitle:
        parts.append(_delimited(document.subtitle, "*"))
    parts.append(_delimited(doc_kind, "*"))
    parts.extend(block(b) for b in document.title_blocks)
    if with_toc:
        parts.append("## Contents")
        parts.append("\n".join(_toc(document.sections)))
    for section in document.sections:
        _section(section, parts)
    text = "\n\n".join(p.rstrip() for p in parts if p.strip())
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
