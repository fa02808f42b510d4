"""Heading numbers as Word numbering: a multilevel list linked to the heading styles.

The section numbers of the protocol ("5", "5.1", "8.3.1") are not typed into
the headings: each heading style Heading 1 … Heading 9 is linked to a level of
one multilevel list, so Word numbers the headings itself, renumbers them when
a writer inserts a section, and a cross-reference to a heading can show its
number.  The document model numbers its sections in order from 1 at every
level, which is how Word counts, so the printed numbers are the model's.
Headings without a number (front and back matter) switch the numbering off.
A reference template whose Heading 1 is already numbered keeps its own list.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from generators.documents.docx_fields import w

LEVELS = 9
_INDENT_TWIPS = 851  # 1.5 cm: the number, then the heading text at a tab stop
# the children of w:pPr that come before w:numPr in the schema
_BEFORE_NUMPR = {w(n) for n in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr")}
_BEFORE_NUMPR.add(w("widowControl"))


def heading_style_id(styles: Any, level: int) -> str:
    return str(styles[f"Heading {level}"].style_id)


def is_numbered(style_element: Any) -> bool:
    return style_element.find(f"{w('pPr')}/{w('numPr')}") is not None


def link_headings(document: Any) -> bool:
    """Number Heading 1–9 with a new multilevel list; False when the template already
    numbers its headings (its list is kept)."""
    styles = document.styles
    if is_numbered(styles["Heading 1"].element):
        return False
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(w("abstractNumId"))) for a in numbering.findall(w("abstractNum"))]
    num_ids = [int(n.get(w("numId"))) for n in numbering.findall(w("num"))]
    abstract_id = max(abstract_ids, default=-1) + 1
    num_id = max(num_ids, default=0) + 1
    abstract = etree.Element(w("abstractNum"), {w("abstractNumId"): str(abstract_id)})
    etree.SubElement(abstract, w("multiLevelType"), {w("val"): "multilevel"})
    for level in range(LEVELS):
        lvl = etree.SubElement(abstract, w("lvl"), {w("ilvl"): str(level)})
        etree.SubElement(lvl, w("start"), {w("val"): "1"})
        etree.SubElement(lvl, w("numFmt"), {w("val"): "decimal"})
        etree.SubElement(lvl, w("pStyle"), {w("val"): heading_style_id(styles, level + 1)})
        text = ".".join(f"%{i + 1}" for i in range(level + 1))
        etree.SubElement(lvl, w("lvlText"), {w("val"): text})
        etree.SubElement(lvl, w("lvlJc"), {w("val"): "left"})
        p_pr = etree.SubElement(lvl, w("pPr"))
        tabs = etree.SubElement(p_pr, w("tabs"))
        indent = str(_INDENT_TWIPS + 142 * level)
        etree.SubElement(tabs, w("tab"), {w("val"): "num", w("pos"): indent})
        etree.SubElement(p_pr, w("ind"), {w("left"): indent, w("hanging"): indent})
    # the schema puts every w:abstractNum before the first w:num
    first_num = numbering.find(w("num"))
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)
    num = etree.SubElement(numbering, w("num"), {w("numId"): str(num_id)})
    etree.SubElement(num, w("abstractNumId"), {w("val"): str(abstract_id)})
    for level in range(LEVELS):
        properties = styles[f"Heading {level + 1}"].element.get_or_add_pPr()
        _insert_numpr(properties, str(num_id), level)
    return True


def unnumbered(p_element: Any) -> None:
    """Switch the heading numbering off for one heading (numbering instance 0)."""
    properties = p_element.find(w("pPr"))
    _insert_numpr(properties, "0", None)


def _insert_numpr(properties: Any, num_id: str, level: int | None) -> None:
    num_pr = etree.Element(w("numPr"))
    if level is not None:
        etree.SubElement(num_pr, w("ilvl"), {w("val"): str(level)})
    etree.SubElement(num_pr, w("numId"), {w("val"): num_id})
    position = 0
    for index, child in enumerate(properties):
        if child.tag in _BEFORE_NUMPR:
            position = index + 1
    properties.insert(position, num_pr)
