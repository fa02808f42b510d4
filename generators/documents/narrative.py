"""A narrative section's Markdown as blocks of the document model, inert by construction.

The writer's prose (`narrative background` text blocks) is Markdown; it is read
with markdown-it in its "zero" preset with only what prose needs turned on:
paragraphs, bullet and numbered lists, headings, block quotes, code blocks,
emphasis, strong emphasis and inline code.  Raw HTML, links, images and
entities stay off, so `<script>`, `[x](javascript:…)` or `&#60;` are shown as
the characters written.  The tokens become `document.py` nodes (text, never
markup), which every renderer escapes for its own format: the spec's text can
never become live markup in HTML, Markdown or Word.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from generators.documents.document import (
    Block,
    Code,
    Emphasis,
    Inline,
    LineBreak,
    ListBlock,
    ListItem,
    Paragraph,
    Preformatted,
    Strong,
    Text,
)
from protocol_dsl.inert_text import printable

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_RULES = [
    "heading",
    "list",
    "blockquote",
    "code",
    "fence",
    "emphasis",
    "backticks",
    "escape",
    "newline",
]


@cache
def _reader() -> MarkdownIt:
    # imported on the first narrative: a spec without one builds without it
    from markdown_it import MarkdownIt

    return MarkdownIt("zero").enable(_RULES)


def narrative_blocks(text: str) -> list[Block]:
    """The blocks of a narrative text: paragraphs, lists and code, in order."""
    tokens = _reader().parse(printable(text))
    blocks, _ = _blocks(tokens, 0, None)
    return blocks


def _blocks(tokens: Sequence[Token], at: int, closing: str | None) -> tuple[list[Block], int]:
    """The blocks from `at` up to the token that closes the enclosing container."""
    blocks: list[Block] = []
    while at < len(tokens):
        token = tokens[at]
        if closing is not None and token.type == closing:
            return blocks, at + 1
        if token.type == "paragraph_open":
            blocks.append(Paragraph(_inlines(tokens[at + 1])))
            at += 3
        elif token.type == "heading_open":
            blocks.append(Paragraph(tuple(_strong(_inlines(tokens[at + 1])))))
            at += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            block, at = _list(tokens, at)
            blocks.append(block)
        elif token.type in ("code_block", "fence"):
            blocks.append(Preformatted(token.content.rstrip("\n")))
            at += 1
        else:
            # block quotes and anything else: their content, in order
            at += 1
    return blocks, at


def _list(tokens: Sequence[Token], at: int) -> tuple[ListBlock, int]:
    ordered = tokens[at].type == "ordered_list_open"
    closing = "ordered_list_close" if ordered else "bullet_list_close"
    start = int(tokens[at].attrs.get("start", 1) or 1) if ordered else 1
    items: list[ListItem] = []
    at += 1
    while tokens[at].type != closing:
        content, at = _blocks(tokens, at + 1, "list_item_close")
        # a list item holds paragraphs; a nested list reads as the paragraphs of its items
        paragraphs = tuple(_paragraphs(content))
        label = f"{start + len(items)}." if ordered else None
        items.append(ListItem(label, paragraphs))
    return ListBlock(tuple(items), labelled=ordered), at + 1


def _paragraphs(blocks: list[Block]) -> list[Paragraph]:
    out: list[Paragraph] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block)
        elif isinstance(block, ListBlock):
            for item in block.items:
                for index, paragraph in enumerate(item.blocks):
                    lead = f"{item.label} " if item.label else "– "
                    prefix = (Text(lead),) if index == 0 else ()
                    out.append(Paragraph(prefix + paragraph.inlines))
        elif isinstance(block, Preformatted):
            out.append(Paragraph((Code(block.text),)))
    return out


def _strong(inlines: tuple[Inline, ...]) -> list[Inline]:
    return [Strong(i.text) if isinstance(i, Text) else i for i in inlines]


def _inlines(inline: Token) -> tuple[Inline, ...]:
    out: list[Inline] = []
    style: list[str] = []
    for child in inline.children or ():
        if child.type == "text":
            out.append(_styled(child.content, style))
        elif child.type == "code_inline":
            out.append(Code(child.content))
        elif child.type == "softbreak":
            out.append(_styled(" ", style))
        elif child.type == "hardbreak":
            out.append(LineBreak())
        elif child.type in ("strong_open", "em_open"):
            style.append(child.type)
        elif child.type in ("strong_close", "em_close") and style:
            style.pop()
    return tuple(_merged(out))


def _styled(text: str, style: list[str]) -> Inline:
    if "strong_open" in style:
        return Strong(text)
    if "em_open" in style:
        return Emphasis(text)
    return Text(text)


def _merged(inlines: list[Inline]) -> list[Inline]:
    """Neighbouring runs of the same style as one (markdown-it splits text at every mark)."""
    out: list[Inline] = []
    for inline in inlines:
        previous = out[-1] if out else None
        if isinstance(inline, Text | Strong | Emphasis) and type(previous) is type(inline):
            out[-1] = type(inline)(previous.text + inline.text)
        else:
            out.append(inline)
    return out
