"""The page furniture of the Word documents: the template they start from, and the
running header and footer.

A writer may give a reference template (a .docx made in Word with the
sponsor's styles, header, footer and heading numbering): the document is
written into it, its body emptied, so its styles are used by name.  Without
one, python-docx's own template is the start, restyled in code, so the result
is the same on every machine.  The header carries the protocol identifier,
version and date; the footer "Page x of y" as PAGE and NUMPAGES fields, which
Word and LibreOffice compute as they lay the pages out.  A template whose
header or footer already has text keeps its own.
"""

from __future__ import annotations

import io
import re
from typing import Any

import attrs
from lxml import etree

from generators.documents.docx_fields import field, text_run, w
from generators.documents.docx_xml import paragraph_element
from protocol_dsl.errors import UserError
from protocol_dsl.inert_text import printable

# Characters XML 1.0 cannot carry (the spec's text is dropped of them, not the file broken)
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@attrs.frozen
class RunningHead:
    """What every page says at its top: protocol identifier, version and date."""

    protocol_id: str = ""
    version: str = ""
    date: str = ""

    def text(self) -> str:
        parts = [self.protocol_id]
        if self.version:
            parts.append(f"Version {self.version}")
        if self.date:
            parts.append(self.date)
        return printable(_NOT_XML.sub("", " · ".join(p for p in parts if p)))


class NotAWordTemplate(UserError, ValueError):
    """The reference template is not a Word document python-docx can open: the user's file."""


def open_document(reference: bytes | None) -> Any:
    """A python-docx document to write into: the reference template emptied, or the default."""
    import docx

    if reference is None:
        return docx.Document()
    try:
        document = docx.Document(io.BytesIO(reference))
    except Exception as error:  # python-docx raises several kinds for a file it cannot read
        raise NotAWordTemplate(
            f"the reference template is not a Word (.docx) document: {error}"
        ) from error
    body = document.element.body
    for child in list(body):
        if child.tag != w("sectPr"):
            body.remove(child)
    return document


def running_head_and_foot(section: Any, head: RunningHead | None, font_pt: float) -> None:
    """Fill the section's header and footer unless the template already gave them text."""
    header = section.header
    if head is not None and head.text() and not _has_text(header):
        paragraph = _first_paragraph(header)
        text_run(paragraph, head.text(), _run_properties(font_pt))
    footer = section.footer
    if not _has_text(footer):
        paragraph = _first_paragraph(footer)
        properties = paragraph.find(w("pPr"))
        if properties is None:
            properties = etree.SubElement(paragraph, w("pPr"))
            paragraph.insert(0, properties)
        etree.SubElement(properties, w("jc"), {w("val"): "center"})
        size = _run_properties(font_pt)
        text_run(paragraph, "Page ", size)
        field(paragraph, "PAGE", "1", size)
        text_run(paragraph, " of ", size)
        field(paragraph, "NUMPAGES", "1", size)


def _has_text(part: Any) -> bool:
    return not part.is_linked_to_previous and any(
        p.text.strip() or paragraph_element(p).xpath(".//w:fldSimple|.//w:instrText")
        for p in part.paragraphs
    )


def _first_paragraph(part: Any) -> Any:
    part.is_linked_to_previous = False
    return paragraph_element(part.paragraphs[0])


def _run_properties(font_pt: float) -> Any:
    properties = etree.Element(w("rPr"))
    half_points = str(round(font_pt * 2))
    etree.SubElement(properties, w("sz"), {w("val"): half_points})
    etree.SubElement(properties, w("szCs"), {w("val"): half_points})
    return properties
