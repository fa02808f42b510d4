"""Runs and cell paragraphs the Word writer builds directly are the XML python-docx would build.

The writer makes runs, character formatting and table-cell paragraphs with
lxml instead of python-docx's slower proxies; python-docx's own API is the
reference here, for every kind of inline text the document model has.
"""

from __future__ import annotations

import pytest
from lxml import etree

from generators.documents.document import (
    Badge,
    Code,
    Emphasis,
    Inline,
    LineBreak,
    Link,
    Note,
    Paragraph,
    Strong,
    Text,
)
from generators.documents.docx_xml import paragraph_element, run_element, table_element
from generators.documents.render_docx import _inline_text, _Writer

pytest.importorskip("docx", reason="python-docx writes the Word files")


def _python_docx_runs(writer: _Writer, items: tuple[Inline, ...]) -> bytes:
    """The paragraph as python-docx's Run API makes it (the way the writer used to).

    python-docx has no API for a link inside the document or for a raised position:
    a link's run is moved into a `w:hyperlink` to the target's bookmark, and a footnote
    mark gets its `w:position` after python-docx set its size."""
    from docx.enum.text import WD_COLOR_INDEX
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = writer.doc.add_paragraph()
    for item in items:
        if isinstance(item, LineBreak):
            paragraph.add_run().add_break()
            continue
        run = paragraph.add_run()
        text = _inline_text(item)
        if text:
            run.text = text
        if isinstance(item, Strong):
            run.bold = True
        elif isinstance(item, Emphasis):
            run.italic = True
        elif isinstance(item, Code):
            run.font.name = "Consolas"
        elif isinstance(item, Badge):
            run.bold = True
            colour = {"provisional": WD_COLOR_INDEX.YELLOW, "question": WD_COLOR_INDEX.TURQUOISE}
            run.font.highlight_color = colour[item.kind]
        elif isinstance(item, Note):
            run.font.size = Pt(8)
            raised = OxmlElement("w:position")
            raised.set(qn("w:val"), "6")
            run_element(run).rPr.find(qn("w:sz")).addprevious(raised)
        elif isinstance(item, Link):
            run.underline = True
        if isinstance(item, Link):
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), writer.bookmarks.name(item.target))
            link.set(qn("w:history"), "1")
            paragraph_element(paragraph).append(link)
            link.append(run_element(run))
    return etree.tostring(paragraph_element(paragraph))


def _direct_runs(writer: _Writer, items: tuple[Inline, ...]) -> bytes:
    p_element = writer.add_paragraph()
    writer.element_runs(p_element, items)
    return etree.tostring(p_element)


INLINES: list[Inline] = [
    Text("plain words"),
    Text(" leading and trailing space "),
    Text("two\tcolumns"),
    Strong("strong"),
    Emphasis("emphasis"),
    Code("sledai.total >= 6"),
    Badge("provisional", "P1", "p-1"),
    Badge("question", "Q2", "q-2"),
    Note("3"),
    Link("section 5", "eligibility"),
    LineBreak(),
]


@pytest.mark.parametrize("item", INLINES, ids=lambda item: type(item).__name__)
def test_each_inline_kind_as_python_docx_writes_it(item: Inline) -> None:
    writer = _Writer(landscape_soa=False)
    assert _direct_runs(writer, (item,)) == _python_docx_runs(writer, (item,))


def test_a_mixed_paragraph_as_python_docx_writes_it() -> None:
    writer = _Writer(landscape_soa=False)
    items = tuple(INLINES)
    assert _direct_runs(writer, items) == _python_docx_runs(writer, items)


def test_cell_paragraphs_as_python_docx_writes_them() -> None:
    from docx.table import _Cell

    writer = _Writer(landscape_soa=False)
    table = writer.doc.add_table(rows=1, cols=2)
    direct, reference = table_element(table).tr_lst[0].tc_lst
    content = (Paragraph((Strong("Visit"), Text(" day 1"))), Paragraph((Text("note"),), "small"))
    writer.cell(direct, content, "Table Text")
    cell = _Cell(reference, table)
    for index, p in enumerate(content):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.style = writer.doc.styles["Table Small" if p.style == "small" else "Table Text"]
        writer.element_runs(paragraph_element(paragraph), p.inlines)
    assert etree.tostring(direct) == etree.tostring(reference)
