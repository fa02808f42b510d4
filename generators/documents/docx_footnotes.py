"""Real Word footnotes: the part `word/footnotes.xml` and the marks that refer to it.

python-docx reads and writes footnotes through no API of its own, so the part
is made with its public packaging API: an `XmlPart` of the footnotes content
type, related to the document part by the footnotes relationship.  Word and
LibreOffice then list each note as a footnote and print it at the foot of the
page that carries its mark.

The SoA marks its notes with letters ("a", "b"): each footnote keeps its letter
as a custom mark (`w:customMarkFollows`) instead of Word's running numbers, so
the mark in the table, the footnote and the HTML edition agree.

A reference template that already has a footnotes part brings it as bytes
python-docx cannot extend through its public API; `Footnotes.open` then gives
None and the caller prints the notes after the table instead.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from generators.documents.docx_fields import XML_SPACE, W, w

PART_NAME = "/word/footnotes.xml"
# the raised mark, as the SoA's other marks: 3 pt up at 8 pt (Word's superscript
# shrinks a mark to about 5 pt, too small to read in print)
REFERENCE_STYLE = "footnote reference"
TEXT_STYLE = "footnote text"


class Footnotes:
    """The footnotes of one document, numbered from 1 in the order they are added."""

    def __init__(self, root: Any, reference_style: str, text_style: str) -> None:
        self.root = root
        self.reference_style = reference_style
        self.text_style = text_style
        self.count = 0

    @classmethod
    def open(cls, document: Any, reference_style: str, text_style: str) -> Footnotes | None:
        """A new footnotes part of `document` (a python-docx Document), or None when
        its template already has one."""
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import XmlPart
        from docx.oxml import parse_xml

        main = document.part
        if any(rel.reltype == RT.FOOTNOTES for rel in main.rels.values()):
            return None
        root = parse_xml(_skeleton())
        part = XmlPart(PackURI(PART_NAME), CT.WML_FOOTNOTES, root, main.package)
        main.relate_to(part, RT.FOOTNOTES)
        return cls(root, reference_style, text_style)

    def add(self) -> tuple[int, Any]:
        """A new footnote: its id, and its paragraph for the caller to write the note's
        text into.  The paragraph starts with `w:footnoteRef`, the mark of the footnote's
        reference (its custom mark): a literal copy of the mark would print twice in
        LibreOffice, which shows the custom mark there itself."""
        self.count += 1
        note = etree.SubElement(self.root, w("footnote"), {w("id"): str(self.count)})
        paragraph = etree.SubElement(note, w("p"))
        properties = etree.SubElement(paragraph, w("pPr"))
        etree.SubElement(properties, w("pStyle"), {w("val"): self.text_style})
        run = etree.SubElement(paragraph, w("r"))
        self.style_run(run)
        etree.SubElement(run, w("footnoteRef"))
        _text(paragraph, " ")
        return self.count, paragraph

    def reference(self, parent: Any, footnote: int, mark: str) -> Any:
        """The run of the mark that refers to footnote `footnote`."""
        run = etree.SubElement(parent, w("r"))
        self.style_run(run)
        etree.SubElement(
            run,
            w("footnoteReference"),
            {w("customMarkFollows"): "1", w("id"): str(footnote)},
        )
        etree.SubElement(run, w("t")).text = mark
        return run

    def mark_run(self, parent: Any, mark: str) -> Any:
        """A run showing `mark` as a footnote mark without a footnote of its own: the
        same note marked a second time in one table."""
        run = etree.SubElement(parent, w("r"))
        self.style_run(run)
        etree.SubElement(run, w("t")).text = mark
        return run

    def separator_run(self, parent: Any, text: str) -> Any:
        """The ", " between two marks, raised like them but formatted directly: a run
        of the mark's own style after a custom mark would be read by LibreOffice as
        part of the mark ("f," for "f")."""
        run = etree.SubElement(parent, w("r"))
        properties = etree.SubElement(run, w("rPr"))
        etree.SubElement(properties, w("position"), {w("val"): "6"})
        etree.SubElement(properties, w("sz"), {w("val"): "16"})
        t = etree.SubElement(run, w("t"))
        t.text = text
        t.set(XML_SPACE, "preserve")
        return run

    def style_run(self, run: Any) -> None:
        properties = etree.SubElement(run, w("rPr"))
        etree.SubElement(properties, w("rStyle"), {w("val"): self.reference_style})


def add_styles(document: Any, existing: set[str]) -> tuple[str, str]:
    """The style ids of the footnote mark and text: Word's built-in names, added when the
    template lacks them."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    styles = document.styles
    if REFERENCE_STYLE not in existing:
        reference = styles.add_style(REFERENCE_STYLE, WD_STYLE_TYPE.CHARACTER)
        reference.style_id = "FootnoteReference"  # the id Word gives its built-in style
        reference.font.size = Pt(8)
        properties = reference.element.get_or_add_rPr()
        # the schema puts w:position before w:sz (which the font size wrote)
        properties.find(w("sz")).addprevious(etree.Element(w("position"), {w("val"): "6"}))
        # explicitly not superscript: LibreOffice's own footnote anchor style is, and
        # would shrink the 8 pt mark to under 5 pt
        etree.SubElement(properties, w("vertAlign"), {w("val"): "baseline"})
    if TEXT_STYLE not in existing:
        text = styles.add_style(TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        text.style_id = "FootnoteText"
        text.base_style = styles["Normal"]
        text.font.size = Pt(8.5)
        text.paragraph_format.space_after = Pt(0)
    return styles[REFERENCE_STYLE].style_id, styles[TEXT_STYLE].style_id


def _skeleton() -> bytes:
    """The part with the separator lines Word draws above the footnotes (ids -1 and 0)."""
    root = etree.Element(w("footnotes"), nsmap={"w": W})
    for number, kind, line in (
        ("-1", "separator", "separator"),
        ("0", "continuationSeparator", "continuationSeparator"),
    ):
        note = etree.SubElement(root, w("footnote"), {w("type"): kind, w("id"): number})
        paragraph = etree.SubElement(note, w("p"))
        properties = etree.SubElement(paragraph, w("pPr"))
        etree.SubElement(
            properties, w("spacing"), {w("after"): "0", w("line"): "240", w("lineRule"): "auto"}
        )
        etree.SubElement(etree.SubElement(paragraph, w("r")), w(line))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _text(parent: Any, text: str) -> None:
    t = etree.SubElement(etree.SubElement(parent, w("r")), w("t"))
    t.text = text
    t.set(XML_SPACE, "preserve")
