"""The Word files open with python-docx and have real headings, tables and a TOC field."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx

from generators.documents.content import build_protocol
from generators.documents.document import Table
from generators.documents.docx_xml import row_element
from generators.documents.soa_layout import A4, SoaPart, landscape_text_width, soa_parts
from protocol_dsl.spec import Spec
from tests.documents.test_content import ICH_M11_ORDER


def _headings(document) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading") or p.style.name == "Title"
    ]


def test_protocol_headings_use_word_heading_styles(built_qls4131: Path, qls4131: Spec) -> None:
    document = docx.Document(str(built_qls4131 / "protocol.docx"))
    headings = _headings(document)
    assert headings[0] == (
        "Title",
        "A Phase Ib Study of QLS4131 in Subjects With Systemic Lupus Erythematosus",
    )
    # Word numbers the headings (a list linked to the heading styles): no typed numbers
    model = build_protocol(qls4131)
    sections = list(model.all_sections())
    numbers = _numbers(headings[1:], [bool(s.number) for s in sections])
    assert [
        f"{number} {text}" if number else text
        for (style, text), number in zip(headings[1:], numbers, strict=True)
        if style == "Heading 1"
    ] == ICH_M11_ORDER
    level_two = [text for style, text in headings if style == "Heading 2"]
    assert "Inclusion criteria" in level_two and "Dose escalation" in level_two
    assert ("Heading 3", "SLEDAI-2K") in headings
    # one heading per section of the model, in the same order, numbered as the model is
    assert [text for _style, text in headings[1:]] == [s.title for s in sections]
    assert numbers == [s.number for s in sections]


def _numbers(headings: list[tuple[str, str]], numbered: list[bool]) -> list[str]:
    """The numbers Word gives the headings: it counts each level from 1, and a deeper
    level starts again under each new heading above it."""
    counters = [0] * 9
    out: list[str] = []
    for index, (style, _text) in enumerate(headings):
        level = int(style.split()[-1])
        if not numbered[index]:
            out.append("")
            continue
        counters[level - 1] += 1
        counters[level:] = [0] * (9 - level)
        out.append(".".join(str(c) for c in counters[:level]))
    return out


def test_protocol_tables_are_real_tables_with_header_rows(
    built_qls4131: Path, qls4131: Spec
) -> None:
    document = docx.Document(str(built_qls4131 / "protocol.docx"))
    model = build_protocol(qls4131)
    tables = [b for t in (model.title_blocks,) for b in t if isinstance(b, Table)] + [
        b for s in model.all_sections() for b in s.blocks if isinstance(b, Table)
    ]
    # the SoA prints in parts that fit the landscape page
    width = landscape_text_width(A4)
    expected = [
        part.table
        for b in tables
        for part in (soa_parts(b, width) if b.kind == "soa" else [SoaPart(b, ())])
    ]
    assert len(document.tables) == len(expected)
    for table, block in zip(document.tables, expected, strict=True):
        header_rows = 2 if block.groups else 1
        assert len(table.rows) == header_rows + len(block.rows)
        first = row_element(table.rows[0])
        assert first.trPr is not None and first.trPr.xpath("./w:tblHeader")
    criteria = next(t for t in document.tables if t.rows[0].cells[0].text == "Level")
    assert criteria.rows[1].cells[0].text == "Primary"


def test_protocol_has_a_toc_field_word_fills(built_qls4131: Path) -> None:
    with zipfile.ZipFile(built_qls4131 / "protocol.docx") as archive:
        body = archive.read("word/document.xml").decode("utf-8")
        settings = archive.read("word/settings.xml").decode("utf-8")
    assert '<w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText>' in body
    assert '<w:updateFields w:val="true"/>' in settings
    # a page break before each major section, and one before the contents
    assert body.count('<w:br w:type="page"/>') >= 1 + 14


def test_fixed_dates_make_the_file_reproducible(built_qls4131: Path) -> None:
    document = docx.Document(str(built_qls4131 / "protocol.docx"))
    properties = document.core_properties
    version_date = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    assert properties.created == version_date and properties.modified == version_date
    assert properties.last_modified_by == "protocol-dsl" and properties.revision == 1
    with zipfile.ZipFile(built_qls4131 / "protocol.docx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_soa_docx_is_landscape_with_the_grid(built_qls4131: Path, qls4131: Spec) -> None:
    document = docx.Document(str(built_qls4131 / "soa.docx"))
    section = document.sections[0]
    assert section.page_width > section.page_height
    # the grid is printed in parts, each repeating the activity column
    parts = [t for t in document.tables if t.rows[1].cells[0].text == "Activity or form"]
    assert len(parts) == 2
    visits = [v.name for v in qls4131.visit_order]
    headers = [c.text for grid in parts for c in grid.rows[1].cells[1:]]
    assert [h.split("\n")[1].split(" · ")[0] for h in headers] == visits
    assert parts[0].rows[0].cells[1].text == "Screening"  # the epoch row spans its visits
    crosses = sum(c.text == "X" for grid in parts for row in grid.rows[2:] for c in row.cells)
    expected = sum(len(a.visits) for a in qls4131.activities.values()) + sum(
        len(use.visits) for use in qls4131.form_uses
    )
    assert crosses == expected
