"""The Word files' structure: numbered headings, bookmarks, links and cross-references,
the pre-filled contents, running header and footer, table widths, reference template."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import RGBColor
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from generators.documents import protocol, soa
from generators.documents.content import build_protocol
from generators.documents.document import Paragraph, Table, Text
from generators.documents.docx_pages import NotAWordTemplate
from generators.documents.docx_xml import table_element
from generators.documents.table_widths import content_widths
from protocol_dsl.cli import cli
from protocol_dsl.spec import Spec
from tests.documents.helpers import SPECS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


def _part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def _parts_named(path: Path, pattern: str) -> list[etree._Element]:
    with zipfile.ZipFile(path) as archive:
        return [
            etree.fromstring(archive.read(n)) for n in archive.namelist() if re.match(pattern, n)
        ]


def test_heading_styles_are_linked_to_one_multilevel_list(built_qls4131: Path) -> None:
    numbering = _part(built_qls4131 / "protocol.docx", "word/numbering.xml")
    styles = _part(built_qls4131 / "protocol.docx", "word/styles.xml")
    linked = {
        lvl.find("w:pStyle", NS).get(f"{W}val"): lvl.find("w:lvlText", NS).get(f"{W}val")
        for lvl in numbering.iterfind(".//w:lvl", NS)
        if lvl.find("w:pStyle", NS) is not None
    }
    assert linked["Heading1"] == "%1"
    assert linked["Heading2"] == "%1.%2"
    assert linked["Heading3"] == "%1.%2.%3"
    num_ids = set()
    for level in (1, 2, 3):
        style = styles.find(f"w:style[@w:styleId='Heading{level}']", NS)
        num_pr = style.find("w:pPr/w:numPr", NS)
        assert num_pr.find("w:ilvl", NS).get(f"{W}val") == str(level - 1)
        num_ids.add(num_pr.find("w:numId", NS).get(f"{W}val"))
    assert len(num_ids) == 1


def test_every_section_is_bookmarked_and_every_link_lands(
    built_qls4131: Path, qls4131: Spec
) -> None:
    body = _part(built_qls4131 / "protocol.docx", "word/document.xml")
    names = [b.get(f"{W}name") for b in body.iterfind(".//w:bookmarkStart", NS)]
    assert len(names) == len(set(names))
    assert all(len(n) <= 40 and n[0].isalpha() for n in names)
    headings = [
        p
        for p in body.iterfind(".//w:p", NS)
        if (p.find("w:pPr/w:pStyle", NS) is not None)
        and p.find("w:pPr/w:pStyle", NS).get(f"{W}val").startswith("Heading")
    ]
    sections = list(build_protocol(qls4131).all_sections())
    assert len(headings) == len(sections)
    for heading in headings:
        assert heading.find("w:bookmarkStart", NS) is not None
    targets = {h.get(f"{W}anchor") for h in body.iterfind(".//w:hyperlink", NS)}
    assert targets and targets <= set(names)


def test_section_references_are_ref_fields_to_heading_numbers(built_qls4131: Path) -> None:
    body = _part(built_qls4131 / "protocol.docx", "word/document.xml")
    instructions = [t.text.strip() for t in body.iterfind(".//w:instrText", NS)]
    references = [i for i in instructions if i.startswith("REF ")]
    assert "REF escalation \\r \\h" in references and "REF population \\r \\h" in references
    bookmarks = {b.get(f"{W}name") for b in body.iterfind(".//w:bookmarkStart", NS)}
    assert {r.split()[1] for r in references} <= bookmarks
    text = "".join(t.text or "" for t in body.iterfind(".//w:t", NS))
    # the field's stored result is the section's number, shown before Word updates it
    assert "Escalation between levels is described in section 4.5." in text


def test_the_contents_is_a_toc_field_holding_its_entries(
    built_qls4131: Path, qls4131: Spec
) -> None:
    body = _part(built_qls4131 / "protocol.docx", "word/document.xml")
    entries = [
        p
        for p in body.iterfind(".//w:p", NS)
        if p.find("w:pPr/w:pStyle", NS) is not None
        and p.find("w:pPr/w:pStyle", NS).get(f"{W}val").lower().startswith("toc")
        and p.find("w:pPr/w:pStyle", NS).get(f"{W}val") != "TOCHeading"
    ]
    expected = [s for s in build_protocol(qls4131).all_sections() if s.depth <= 3]
    assert len(entries) == len(expected)
    for paragraph, section in zip(entries, expected, strict=True):
        words = "".join(t.text for t in paragraph.iterfind(".//w:t", NS))
        assert words == f"{section.number}{section.title}"
    # the field opens in the first entry and closes in the last
    assert entries[0].find(".//w:fldChar[@w:fldCharType='begin']", NS) is not None
    assert entries[-1].find(".//w:fldChar[@w:fldCharType='end']", NS) is not None


@pytest.mark.parametrize("name", ["protocol.docx", "soa.docx"])
def test_header_names_the_protocol_and_footer_counts_pages(built_qls4131: Path, name: str) -> None:
    document = docx.Document(str(built_qls4131 / name))
    header = document.sections[0].header.paragraphs[0].text
    assert header == "QLS4131_SLE_1B · Version 1.0 · 2025-06-01"
    footers = _parts_named(built_qls4131 / name, r"word/footer\d+\.xml")
    instructions = [t.text.strip() for f in footers for t in f.iterfind(".//w:instrText", NS)]
    assert instructions == ["PAGE", "NUMPAGES"]
    footer_text = "".join(t.text for f in footers for t in f.iterfind(".//w:t", NS))
    assert footer_text.startswith("Page ") and " of " in footer_text


def test_tables_get_widths_from_their_content(built_qls4131: Path) -> None:
    document = docx.Document(str(built_qls4131 / "protocol.docx"))
    section = document.sections[0]
    text_width = (section.page_width - section.left_margin - section.right_margin) / 12700
    unequal = 0
    for table in document.tables:
        tbl = table_element(table)
        widths = [int(c.get(f"{W}w")) / 20 for c in tbl.tblGrid.iterfind("w:gridCol", NS)]
        assert tbl.tblPr.find("w:tblLayout", NS).get(f"{W}type") == "fixed"
        assert sum(widths) <= max(text_width, 800) + 1
        unequal += len(set(widths)) > 1
    assert unequal >= len(document.tables) * 0.9


def _table(columns: list[list[str]]) -> Table:
    header = tuple((Paragraph((Text(f"Column {i}"),)),) for i in range(len(columns)))
    height = max(len(c) for c in columns)
    rows = tuple(
        tuple((Paragraph((Text(c[r] if r < len(c) else ""),)),) for c in columns)
        for r in range(height)
    )
    return Table(header, rows)


words_ = st.text(alphabet="abcdefghij XYZ-0123", min_size=0, max_size=60)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(words_, min_size=1, max_size=5), min_size=1, max_size=6),
    st.floats(min_value=200, max_value=800),
)
def test_content_widths_fill_the_line_and_keep_words_whole(
    columns: list[list[str]], available: float
) -> None:
    from generators.documents.soa_layout import CELL_PADDING_PT, cell_longest_word

    table = _table(columns)
    widths = content_widths(table, available)
    assert len(widths) == len(columns)
    assert abs(sum(widths) - available) < 0.6
    least = [
        max(
            cell_longest_word(row[i], 9.0, bold=row is table.header)
            for row in (table.header, *table.rows)
        )
        + CELL_PADDING_PT
        for i in range(len(columns))
    ]
    if sum(least) < available:
        # every column holds its longest word (to the rounding of half a point)
        assert all(w >= low - 0.6 for w, low in zip(widths, least, strict=True))


def _template() -> bytes:
    template = docx.Document()
    template.styles["Heading 1"].font.color.rgb = RGBColor(0x80, 0x00, 0x00)
    template.sections[0].header.paragraphs[0].text = "ACME Pharma · Confidential"
    template.add_paragraph("text of the template, not of the protocol")
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def test_a_reference_template_gives_styles_and_header(tmp_path: Path, qls4131: Spec) -> None:
    reference = _template()
    protocol.build(qls4131, tmp_path, reference_docx=reference)
    document = docx.Document(str(tmp_path / "protocol.docx"))
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0x80, 0x00, 0x00)
    assert document.sections[0].header.paragraphs[0].text == "ACME Pharma · Confidential"
    texts = [p.text for p in document.paragraphs]
    assert "text of the template, not of the protocol" not in texts
    # built again from the same template: the same bytes
    first = (tmp_path / "protocol.docx").read_bytes()
    protocol.build(qls4131, tmp_path, reference_docx=reference)
    assert (tmp_path / "protocol.docx").read_bytes() == first


def test_letter_paper_by_option(tmp_path: Path, qls4131: Spec) -> None:
    soa.build(qls4131, tmp_path, paper_name="letter")
    section = docx.Document(str(tmp_path / "soa.docx")).sections[0]
    assert (round(section.page_width.inches, 2), round(section.page_height.inches, 2)) == (
        11.0,
        8.5,
    )


def test_a_file_that_is_not_word_is_refused_in_plain_words(tmp_path: Path) -> None:
    from generators.documents.docx_pages import open_document

    with pytest.raises(NotAWordTemplate):
        open_document(b"not a zip at all")
    bad = tmp_path / "template.docx"
    bad.write_text("a text file named .docx", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "build",
            str(SPECS / "qls4131_sle_phase1b.trial"),
            "-o",
            str(tmp_path / "out"),
            "--only",
            "protocol",
            "--reference-docx",
            str(bad),
        ],
    )
    assert result.exit_code == 2
    assert "is not a Word document (.docx)" in result.output
    assert "Traceback" not in result.output


def test_a_template_with_numbered_headings_keeps_its_list(tmp_path: Path, qls4131: Spec) -> None:
    from generators.documents.docx_numbering import link_headings

    template = docx.Document()
    assert link_headings(template)  # a template numbered as the sponsor wants
    buffer = io.BytesIO()
    template.save(buffer)
    protocol.build(qls4131, tmp_path, reference_docx=buffer.getvalue())
    numbering = _part(tmp_path / "protocol.docx", "word/numbering.xml")
    linked = [
        style.get(f"{W}val")
        for style in numbering.iterfind(".//w:lvl/w:pStyle", NS)
        if style.get(f"{W}val").startswith("Heading")
    ]
    assert len(linked) == 9  # the template's one list, not a second


def test_control_characters_in_the_running_head_are_dropped() -> None:
    from generators.documents.docx_pages import RunningHead

    head = RunningHead("P\x01-1", "1.0\x0b", "2025-06-01")
    assert head.text() == "P-1 · Version 1.0 · 2025-06-01"
