"""Word rendering of the document model (python-docx), with byte-identical rebuilds.

This module owns the DOCX form of a document: real Word heading styles
(Heading 1–3 and below), real tables with a repeating header row, a table of
contents field that Word fills when the file is opened, and a page break
before each major section.  Pages are of the trial's paper (A4 unless it says
`paper letter`); a schedule-of-activities table gets landscape pages, narrow
margins, and fixed column widths from its content, in parts when it is wider
than the page (`soa_layout`).  Word files normally carry the time they were written twice (in the
core properties and in every zip entry); both are fixed here, so building
the same spec twice gives the same bytes.  Runs, their character formatting
and the paragraphs of table cells are built with lxml directly, as the same
XML python-docx makes: its proxy objects cost more than the text they carry.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from generators.documents.document import (
    Badge,
    Block,
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
    TableNote,
    Text,
)
from generators.documents.docx_fields import (
    Bookmarks,
    field,
    field_close,
    field_open,
    hyperlink,
    text_run,
    w,
)
from generators.documents.docx_footnotes import Footnotes, add_styles
from generators.documents.docx_numbering import link_headings, unnumbered
from generators.documents.docx_pages import RunningHead, open_document, running_head_and_foot
from generators.documents.docx_xml import paragraph_element, table_element
from generators.documents.soa_layout import (
    A4,
    SOA_FONT_PT,
    SOA_MARGIN_MM,
    Paper,
    landscape_text_width,
    soa_parts,
)
from generators.documents.table_widths import content_widths
from protocol_dsl.inert_text import printable

# Characters XML 1.0 cannot carry; they are dropped rather than corrupting the file.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'


def _clean(text: str) -> str:
    return printable(_NOT_XML.sub("", text))


class _Writer:
    def __init__(
        self,
        landscape_soa: bool,
        paper: Paper = A4,
        reference: bytes | None = None,
        section_numbers: dict[str, str] | None = None,
    ) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_COLOR_INDEX
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt, RGBColor
        from lxml import etree

        self.doc = open_document(reference)
        self.bookmarks = Bookmarks()
        # numbered sections by id: a link to one whose text is its number is a cross-reference
        self.section_numbers = section_numbers or {}
        self.landscape_soa = landscape_soa
        self.paper = paper
        # python-docx's template is US Letter; the paper is a choice of the trial
        first = self.doc.sections[0]
        first.page_width, first.page_height = Mm(paper.width_mm), Mm(paper.height_mm)
        self.highlight = {
            "provisional": WD_COLOR_INDEX.YELLOW.xml_value,
            "question": WD_COLOR_INDEX.TURQUOISE.xml_value,
        }
        self.Pt = Pt
        self.element = OxmlElement
        self.qn = qn
        self.caveat_colour = RGBColor(0x6B, 0x4E, 0x00)
        normal = self.doc.styles["Normal"]
        existing = {style.name for style in self.doc.styles}
        if reference is None:
            normal.font.name = "Calibri"
            normal.font.size = Pt(10.5)
        # Formatting lives in paragraph styles, not on each run: smaller files, and
        # a writer can restyle the whole document in Word at once.
        for name, size, bold, indent in (
            ("Table Text", 9, False, 0),
            ("Table Heading", 9, True, 0),
            ("Table Small", 8, False, 0),
            ("SoA Text", SOA_FONT_PT, False, 0),
            ("SoA Heading", SOA_FONT_PT, True, 0),
            ("Small Print", 8.5, False, 0),
            ("Indented", None, False, 18),
            ("Indented Note", None, False, 18),
            ("Lead", None, True, 0),
            ("Caveat", None, True, 0),
            ("Caption", None, True, 0),
            ("Title", 24, True, 0),
            ("Subtitle", 13, False, 0),
            ("List Bullet", None, False, 18),
            ("TOC Heading", 14, True, 0),
            *((f"Heading {level}", None, True, 0) for level in range(1, 10)),
            ("toc 1", None, True, 0),  # Word's own names for the contents levels
            ("toc 2", None, False, 12),
            ("toc 3", None, False, 24),
        ):
            # a reference template's own style of that name is used as it is
            if name in existing:
                continue
            style = self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            if size is not None:
                style.font.size = Pt(size)
            style.font.bold = bold or None
            if name.startswith("toc "):
                # the number hangs, the title starts at the same place on every line
                style.paragraph_format.left_indent = Pt(indent + 40)
                style.paragraph_format.first_line_indent = Pt(-40)
                style.paragraph_format.space_after = Pt(2)
            elif indent:
                style.paragraph_format.left_indent = Pt(indent)
            if name.startswith(("Table", "SoA")):
                style.paragraph_format.space_after = Pt(0)
            if name == "Indented Note":
                style.font.italic = True
            if name == "Caveat":
                style.font.color.rgb = self.caveat_colour
        if "Table Grid" not in existing:
            grid = self.doc.styles.add_style("Table Grid", WD_STYLE_TYPE.TABLE)
            grid.base_style = None
        self.numbered_headings = link_headings(self.doc)
        self.footnote_styles = add_styles(self.doc, existing)
        # the footnotes part, made with the first table that has notes; None when the
        # template has its own (the notes are then printed after the table)
        self.footnotes: Footnotes | None = None
        self.footnotes_opened = False
        # while a table with notes is written: its notes by mark, and the marks that
        # already have their footnote in this table
        self.table_notes: dict[str, TableNote] = {}
        self.noted: set[str] = set()
        # Looking a style up by name walks every style each time; look each up once.
        self.style_ids = {style.name: style.style_id for style in self.doc.styles}
        # Elements built in place with lxml (python-docx's element classes still apply),
        # and their tag names in lxml's {namespace}name form.
        self.sub = etree.SubElement
        self.tag = {
            name: qn(name)
            for name in (
                *("w:p", "w:pPr", "w:pStyle", "w:val", "w:r", "w:t", "w:br", "w:tab"),
                *("w:rPr", "w:b", "w:i", "w:rFonts", "w:ascii", "w:hAnsi", "w:highlight"),
                *("w:vertAlign", "w:u", "xml:space", "w:position", "w:sz"),
            )
        }

    def set_style(self, p_element: Any, style: str) -> None:
        """Give a paragraph a style; built directly, python-docx's setter is slow."""
        if p_element.pPr is not None:
            p_element.style = self.style_ids[style]
            return
        self.style_new(p_element, style)

    def style_new(self, p_element: Any, style: str) -> None:
        """Give a paragraph that has no properties yet (a new one) a style."""
        tag = self.tag
        properties = self.sub(p_element, tag["w:pPr"])
        self.sub(properties, tag["w:pStyle"], {tag["w:val"]: self.style_ids[style]})
        p_element.insert(0, properties)

    def add_paragraph(self, style: str | None = None, text: str = "") -> Any:
        """A new paragraph of the document body: its `w:p` element."""
        p_element = paragraph_element(self.doc.add_paragraph())
        if style is not None:
            self.style_new(p_element, style)
        if text:
            self.add_text(p_element, text)
        return p_element

    # ------------------------------------------------------------ inline text

    def add_text(self, p_element: Any, text: str) -> Any:
        """A run with the text, built directly: python-docx's run.text goes char by char,
        and making each element apart and then appending it costs more than the text."""
        tag = self.tag
        run = self.sub(p_element, tag["w:r"])
        lines = _clean(text).split("\n")
        for index, line in enumerate(lines):
            if index:
                self.sub(run, tag["w:br"])
            for part_index, part in enumerate(line.split("\t")):
                if part_index:
                    self.sub(run, tag["w:tab"])
                if part:
                    t = self.sub(run, tag["w:t"])
                    t.text = part
                    if part != part.strip():
                        t.set(tag["xml:space"], "preserve")
        return run

    def element_runs(self, p_element: Any, items: tuple[Inline, ...]) -> None:
        """The inline items as runs of the paragraph element `p_element`."""
        for item in items:
            if isinstance(item, LineBreak):
                self.sub(self.sub(p_element, self.tag["w:r"]), self.tag["w:br"])
                continue
            # A badge stays a plain run: a paragraph of plain runs is what the tracked
            # changes of an amendment compare word by word (generators/diff).
            parent = p_element
            if isinstance(item, Note) and self.footnote_marks(p_element, item):
                continue
            if isinstance(item, Link):
                if self.cross_reference(p_element, item):
                    continue
                parent = hyperlink(p_element, self.bookmarks.name(item.target))
            run = self.add_text(parent, _inline_text(item))
            if not isinstance(item, Text):
                self.format_run(run, item)

    def footnote_marks(self, p_element: Any, note: Note) -> bool:
        """The marks of a note of the table being written ("a", "a, c") as references to
        real footnotes: the first mark of each note in the table gets the footnote, a
        repeated one shows the same letter.  False when the note is not the table's."""
        keys = note.text.split(", ")
        if self.footnotes is None or not all(key in self.table_notes for key in keys):
            return False
        for index, key in enumerate(keys):
            if index:
                self.footnotes.separator_run(p_element, ", ")
            if key in self.noted:
                self.footnotes.mark_run(p_element, key)
                continue
            self.noted.add(key)
            number, paragraph = self.footnotes.add()
            self.footnotes.reference(p_element, number, key)
            self.element_runs(paragraph, self.table_notes[key].inlines)
        return True

    def open_footnotes(self) -> Footnotes | None:
        if not self.footnotes_opened:
            self.footnotes_opened = True
            self.footnotes = Footnotes.open(self.doc, *self.footnote_styles)
        return self.footnotes

    def cross_reference(self, p_element: Any, link: Link) -> bool:
        """A link whose text is the number of a section is a REF field to the heading's
        bookmark showing its paragraph number: Word keeps it right when sections move."""
        if self.section_numbers.get(link.target) != link.text or not self.numbered_headings:
            return False
        name = self.bookmarks.name(link.target)
        field(p_element, f"REF {name} \\r \\h", _clean(link.text))
        return True

    def format_run(self, run: Any, item: Inline) -> None:
        """Character formatting, built directly as python-docx writes it: w:rPr first in
        the run, its children in schema order (bold, italic, fonts, highlight, underline,
        raised position, size), on/off properties without a value."""
        tag, sub = self.tag, self.sub
        properties = sub(run, tag["w:rPr"])
        run.insert(0, properties)
        if isinstance(item, Strong):
            sub(properties, tag["w:b"])
        elif isinstance(item, Emphasis):
            sub(properties, tag["w:i"])
        elif isinstance(item, Code):
            sub(
                properties,
                tag["w:rFonts"],
                {tag["w:ascii"]: "Consolas", tag["w:hAnsi"]: "Consolas"},
            )
        elif isinstance(item, Badge):
            sub(properties, tag["w:b"])
            sub(properties, tag["w:highlight"], {tag["w:val"]: self.highlight[item.kind]})
        elif isinstance(item, Note):
            # raised by 3 pt at 8 pt rather than Word's superscript, which shrinks the
            # mark to about 5 pt: a footnote mark in the SoA must stay legible in print
            sub(properties, tag["w:position"], {tag["w:val"]: "6"})
            sub(properties, tag["w:sz"], {tag["w:val"]: "16"})
        elif isinstance(item, Link):
            sub(properties, tag["w:u"], {tag["w:val"]: "single"})

    def paragraph(self, p: Paragraph, first: Any = None) -> Any:
        style = _PARAGRAPH_STYLES.get(p.style)
        p_element = first if first is not None else self.add_paragraph(style)
        if first is not None and style is not None:
            self.set_style(p_element, style)
        self.element_runs(p_element, p.inlines)
        if p.anchor:
            self.bookmarks.wrap(p_element, p.anchor)
        return p_element

    # ------------------------------------------------------------ blocks

    def block(self, b: Block) -> None:
        if isinstance(b, Paragraph):
            self.paragraph(b)
        elif isinstance(b, Table):
            if b.kind == "soa":
                self.soa(b)
            else:
                self.table(b)
        elif isinstance(b, ListBlock):
            self.list_block(b)
        elif isinstance(b, Preformatted):
            self.element_runs(self.add_paragraph(), (Code(b.text),))
        else:
            raise TypeError(f"no Word rendering for {type(b).__name__}")

    def soa(self, t: Table) -> None:
        """The SoA on landscape pages, in parts that fit, with column widths from content."""
        if self.landscape_soa:
            self.orientation(landscape=True, margin_mm=SOA_MARGIN_MM)
        for part in soa_parts(t, landscape_text_width(self.paper)):
            self.table(part.table, part.widths)
        if self.landscape_soa:
            self.orientation(landscape=False)

    def table(self, t: Table, widths: tuple[float, ...] | None = None) -> None:
        if t.caption:
            self.add_paragraph("Caption", t.caption)
        columns = len(t.header)
        group_rows = [groups for groups in (t.groups, t.subgroups) if groups]
        extra = len(group_rows)
        tbl = table_element(self.doc.add_table(rows=1 + extra + len(t.rows), cols=columns))
        tbl.tblPr.style = self.style_ids["Table Grid"]
        rows = tbl.tr_lst
        for header_row in rows[: 1 + extra]:
            repeat = self.element("w:tblHeader")
            repeat.set(self.qn("w:val"), "true")
            header_row.get_or_add_trPr().append(repeat)
        # the notes become footnotes of the page each part of the table is printed on
        linked = bool(t.notes) and self.open_footnotes() is not None
        self.table_notes = {note.key: note for note in t.notes} if linked else {}
        self.noted = set()
        soa = t.kind == "soa"
        heading = "SoA Heading" if soa else "Table Heading"
        body = "SoA Text" if soa else "Table Text"
        for index, groups in enumerate(group_rows):
            self.group_row(rows[index], groups, heading)
        rows = rows[extra:]
        for tc, content in zip(rows[0].tc_lst, t.header, strict=False):
            self.cell(tc, content, heading)
        for tr, row in zip(rows[1:], t.rows, strict=True):
            for tc, content in zip(tr.tc_lst, row[:columns], strict=False):
                self.cell(tc, content, body)
        if widths is None:
            widths = content_widths(t, self.text_width_pt())
        self.fix_widths(tbl, widths)
        self.table_notes = {}
        if linked:
            return
        for note in t.footnotes:
            self.paragraph(Paragraph(note.inlines, "small"))

    def text_width_pt(self) -> float:
        """The width between the margins of the current page, in points."""
        section = self.doc.sections[-1]
        width = section.page_width - section.left_margin - section.right_margin
        return float(width) / 12700  # English Metric Units per point

    def fix_widths(self, tbl: Any, widths: tuple[float, ...]) -> None:
        """A fixed layout with the given column widths (points): Word then neither
        shrinks a column below its longest word nor spreads columns evenly."""
        twips = [round(w * 20) for w in widths]
        w_type, w_w = self.qn("w:type"), self.qn("w:w")
        tbl_width = tbl.tblPr.find(self.qn("w:tblW"))
        tbl_width.set(w_type, "dxa")
        tbl_width.set(w_w, str(sum(twips)))
        tbl.tblPr.get_or_add_tblLayout().type = "fixed"
        for grid_col, width in zip(tbl.tblGrid.gridCol_lst, twips, strict=True):
            grid_col.set(w_w, str(width))
        for tr in tbl.tr_lst:
            column = 0
            for tc in tr.tc_lst:
                span = tc.grid_span
                tc_width = tc.get_or_add_tcPr().get_or_add_tcW()
                tc_width.set(w_type, "dxa")
                tc_width.set(w_w, str(sum(twips[column : column + span])))
                column += span

    def group_row(self, tr: Any, groups: tuple[tuple[str, int], ...], style: str) -> None:
        """A row of column groups: each label in one cell merged across its columns."""
        cells = list(tr.tc_lst)
        start = 0
        for label, span in groups:
            first = cells[start]
            if span > 1:
                first = first.merge(cells[start + span - 1])
            self.cell(first, (Paragraph((Text(label),)),), style)
            start += span

    def cell(self, tc: Any, content: tuple[Paragraph, ...], style: str) -> None:
        """Fill a table cell (which holds one empty paragraph), built directly on the XML."""
        first = tc.find(self.tag["w:p"])
        for index, p in enumerate(content):
            p_element = first if index == 0 else self.sub(tc, self.tag["w:p"])
            self.style_new(p_element, "Table Small" if p.style == "small" else style)
            self.element_runs(p_element, p.inlines)
        if not content:
            self.style_new(first, style)

    def list_block(self, block: ListBlock) -> None:
        for item in block.items:
            if not item.blocks:
                continue
            if item.label:
                first = self.add_paragraph()
                self.indent(first, self.Pt(36), hanging=self.Pt(36))
                self.element_runs(first, (Strong(item.label + "\t"),))
                self.paragraph(item.blocks[0], first=first)
                for p in item.blocks[1:]:
                    self.indent(self.paragraph(p), self.Pt(36))
            else:
                first = self.add_paragraph("List Bullet")
                self.paragraph(item.blocks[0], first=first)
                for p in item.blocks[1:]:
                    self.indent(self.paragraph(p), self.Pt(36))

    def indent(self, p_element: Any, left: Any, hanging: Any = None) -> None:
        """Indent a paragraph; a hanging first line starts `hanging` to the left of the rest."""
        from docx.text.paragraph import Paragraph as WordParagraph

        paragraph_format = WordParagraph(p_element, self.doc).paragraph_format
        paragraph_format.left_indent = left
        if hanging is not None:
            paragraph_format.first_line_indent = -hanging

    def orientation(self, landscape: bool, margin_mm: float | None = None) -> None:
        """A new section on a new page, turned; its side margins `margin_mm`, or those
        of the first section."""
        from docx.enum.section import WD_ORIENT, WD_SECTION
        from docx.shared import Mm

        current = self.doc.sections[-1]
        width, height = current.page_width, current.page_height
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        wanted = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.orientation = wanted
        # python-docx reads None for a size the document does not set; the default
        # template sets both
        if width is not None and height is not None and (width > height) != landscape:
            section.page_width, section.page_height = height, width
        first = self.doc.sections[0]
        if margin_mm is None:
            section.left_margin, section.right_margin = first.left_margin, first.right_margin
        else:
            section.left_margin = section.right_margin = Mm(margin_mm)

    # ------------------------------------------------------------ structure

    def toc(self, sections: tuple[Section, ...]) -> None:
        """A TOC field whose result is already the list of headings (levels 1–3), each a
        link to its heading: LibreOffice shows it as written, Word rebuilds it with page
        numbers when it updates the fields."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        # Word's TOC Heading is based on Heading 1, whose numbering it would inherit
        unnumbered(self.add_paragraph("TOC Heading", "Contents"))
        entries = [s for top in sections for s in top.walk() if s.depth <= 3]
        paragraphs = [self.add_paragraph(f"toc {s.depth}") for s in entries]
        if not paragraphs:
            paragraphs = [self.add_paragraph()]
        field_open(paragraphs[0], _TOC_INSTRUCTION)
        for p_element, entry in zip(paragraphs, entries, strict=False):
            link = hyperlink(p_element, self.bookmarks.name(entry.id))
            if entry.number:
                text_run(link, entry.number)
                self.sub(self.sub(link, w("r")), w("tab"))
            text_run(link, _clean(entry.title))
        field_close(paragraphs[-1])
        # ask Word to update fields (and so fill the table of contents) on opening
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)

    def section(self, section: Section) -> None:
        if section.page_break:
            self.doc.add_page_break()
        level = min(section.depth, 9)
        # Word numbers the headings (docx_numbering): the number is not typed in
        heading = self.add_paragraph(f"Heading {level}", _clean(section.title))
        if not section.number:
            unnumbered(heading)
        self.bookmarks.wrap(heading, section.id)
        for b in section.blocks:
            self.block(b)
        for sub in section.subsections:
            self.section(sub)

    def core_properties(self, title: str, author: str, when: dt.datetime) -> None:
        props = self.doc.core_properties
        props.title = _clean(title)[:255]
        props.author = _clean(author)[:255]
        props.last_modified_by = "protocol-dsl"
        props.created = when
        props.modified = when
        props.last_printed = when
        props.revision = 1
        props.comments = "Generated from the protocol specification; edit the specification."


_PARAGRAPH_STYLES: dict[str, str] = {
    "small": "Small Print",
    "rule": "Indented",
    "question": "Indented",
    "note": "Indented Note",
    "lead": "Lead",
    "caveat": "Caveat",
}


def _inline_text(item: Inline) -> str:
    if isinstance(item, Badge):
        return f"[{item.label}]"
    if isinstance(item, LineBreak):
        return ""
    return item.text


def render(
    document: Document,
    doc_kind: str,
    *,
    with_toc: bool,
    author: str,
    when: dt.date | None,
    landscape: bool = False,
    landscape_soa: bool = True,
    paper: Paper = A4,
    running_head: RunningHead | None = None,
    reference: bytes | None = None,
) -> bytes:
    """The document as DOCX bytes; `when` fixes the recorded creation date.  A landscape
    document has the SoA's narrow margins throughout.  `running_head` is printed at the
    top of every page (the footer numbers the pages); `reference` is a Word template
    whose styles, header, footer and heading numbering the document uses.

    Raises `NotAWordTemplate` when `reference` is not a Word document."""
    numbers = {s.id: s.number for s in document.all_sections() if s.number}
    writer = _Writer(
        landscape_soa=landscape_soa and not landscape,
        paper=paper,
        reference=reference,
        section_numbers=numbers,
    )
    running_head_and_foot(writer.doc.sections[0], running_head, 8.5)
    if landscape:
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm

        page = writer.doc.sections[0]
        page.orientation = WD_ORIENT.LANDSCAPE
        page.page_width, page.page_height = page.page_height, page.page_width
        page.left_margin = page.right_margin = Mm(SOA_MARGIN_MM)
    writer.add_paragraph("Subtitle", _clean(doc_kind).upper())
    writer.add_paragraph("Title", _clean(document.title))
    if document.subtitle:
        writer.add_paragraph("Subtitle", _clean(document.subtitle))
    for b in document.title_blocks:
        writer.block(b)
    if with_toc:
        writer.doc.add_page_break()
        writer.toc(document.sections)
    for section in document.sections:
        writer.section(section)
    stamp = dt.datetime.combine(when or dt.date(2000, 1, 1), dt.time(), tzinfo=dt.UTC)
    writer.core_properties(document.title, author, stamp)
    buffer = io.BytesIO()
    writer.doc.save(buffer)
    return normalise_zip(buffer.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """The same zip with fixed entry dates and attributes, entries in their written order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            fixed.create_system = 3
            target.writestr(fixed, source.read(info.filename), compresslevel=6)
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
