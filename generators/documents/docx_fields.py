"""Word fields, bookmarks and links, built as WordprocessingML elements.

A Word field is a run that opens it, a run with its instruction, a run that
separates it from its result, the result as it was last computed, and a run
that closes it.  The result written here is the one the field will show
until Word updates it: page numbers in running footers, section numbers in
cross-references, the entries of the table of contents.  LibreOffice shows
that stored result when it converts a document, so every field here carries
a result that is already right (or, for page numbers, that Word and
LibreOffice compute as they lay out the page).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_BOOKMARK_SAFE = re.compile(r"[^A-Za-z0-9_]")
_BOOKMARK_MAX = 40  # Word drops a bookmark with a longer name


def w(name: str) -> str:
    """The lxml tag of a WordprocessingML element."""
    return f"{{{W}}}{name}"


def text_run(parent: Any, text: str, properties: Any = None) -> Any:
    """A run with `text` (spaces kept), and a copy of the run properties if given."""
    run = etree.SubElement(parent, w("r"))
    if properties is not None:
        run.append(_copy(properties))
    t = etree.SubElement(run, w("t"))
    t.text = text
    if text != text.strip():
        t.set(XML_SPACE, "preserve")
    return run


def field(parent: Any, instruction: str, result: str, properties: Any = None) -> None:
    """A complex field in the paragraph (or hyperlink) `parent`: its instruction and the
    result it shows until updated."""
    for kind in ("begin", None, "separate", "result", "end"):
        if kind == "result":
            if result:
                text_run(parent, result, properties)
            continue
        run = etree.SubElement(parent, w("r"))
        if properties is not None:
            run.append(_copy(properties))
        if kind is None:
            instr = etree.SubElement(run, w("instrText"))
            instr.text = f" {instruction} "
            instr.set(XML_SPACE, "preserve")
        else:
            etree.SubElement(run, w("fldChar"), {w("fldCharType"): kind})


def field_open(parent: Any, instruction: str) -> None:
    """The start of a field whose result spans paragraphs (a table of contents)."""
    etree.SubElement(etree.SubElement(parent, w("r")), w("fldChar"), {w("fldCharType"): "begin"})
    instr = etree.SubElement(etree.SubElement(parent, w("r")), w("instrText"))
    instr.text = f" {instruction} "
    instr.set(XML_SPACE, "preserve")
    etree.SubElement(etree.SubElement(parent, w("r")), w("fldChar"), {w("fldCharType"): "separate"})


def field_close(parent: Any) -> None:
    etree.SubElement(etree.SubElement(parent, w("r")), w("fldChar"), {w("fldCharType"): "end"})


def hyperlink(parent: Any, bookmark: str) -> Any:
    """A link to a bookmark of the same document; its runs are added by the caller."""
    return etree.SubElement(parent, w("hyperlink"), {w("anchor"): bookmark, w("history"): "1"})


def _copy(element: Any) -> Any:
    return etree.fromstring(etree.tostring(element))


class Bookmarks:
    """Word bookmark names and ids for the document's anchors, stable from build to build.

    An anchor (a section id, a criterion's id) becomes a bookmark name Word
    accepts: letters, digits and underscores, starting with a letter, at most 40
    characters, unique.  A name is given the first time an anchor is met,
    whether at its target or at a link to it, so links before their target work.
    """

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.taken: set[str] = set()
        self.placed: set[str] = set()
        self.next_id = 0

    def name(self, anchor: str) -> str:
        found = self.names.get(anchor)
        if found is not None:
            return found
        base = _BOOKMARK_SAFE.sub("_", anchor)
        if not base[:1].isalpha():
            base = "a_" + base
        name = base[:_BOOKMARK_MAX]
        counter = 1
        while name in self.taken:
            counter += 1
            suffix = f"_{counter}"
            name = base[: _BOOKMARK_MAX - len(suffix)] + suffix
        self.names[anchor] = name
        self.taken.add(name)
        return name

    def wrap(self, p_element: Any, anchor: str) -> str | None:
        """Put the paragraph's content inside a bookmark for `anchor` (once per anchor)."""
        if anchor in self.placed:
            return None
        self.placed.add(anchor)
        name = self.name(anchor)
        ident = str(self.next_id)
        self.next_id += 1
        start = etree.Element(w("bookmarkStart"), {w("id"): ident, w("name"): name})
        properties = p_element.find(w("pPr"))
        p_element.insert(0 if properties is None else 1, start)
        etree.SubElement(p_element, w("bookmarkEnd"), {w("id"): ident})
        return name
