"""Word revisions applied as Word's "Accept all" and "Reject all" do, for the tests.

Accepting keeps inserted runs, rows and paragraph marks and drops deleted
ones; rejecting does the reverse.  A paragraph whose mark goes away joins the
next paragraph (its remaining runs move there), as in Word.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree

from generators.diff.tracked import paragraph_text, w


def document_root(docx_bytes: bytes) -> Any:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(docx_bytes)).read("word/document.xml"))


def paragraphs(root: Any) -> list[str]:
    """The text of every paragraph of the body (table cells included), in order."""
    return [paragraph_text(p) for p in root.find(w("body")).iter(w("p"))]


def accept_all(root: Any) -> Any:
    return _resolve(root, keep="ins", drop="del")


def reject_all(root: Any) -> Any:
    return _resolve(root, keep="del", drop="ins")


def _marker_parent(mark: Any) -> str:
    return etree.QName(mark.getparent()).localname


def _resolve(root: Any, *, keep: str, drop: str) -> Any:
    import copy

    root = copy.deepcopy(root)
    # rows
    for mark in list(root.iter(w(drop))):
        if _marker_parent(mark) == "trPr":
            row = mark.getparent().getparent()
            row.getparent().remove(row)
    for mark in list(root.iter(w(keep))):
        if _marker_parent(mark) == "trPr":
            mark.getparent().remove(mark)
    # runs
    for mark in list(root.iter(w(drop))):
        if _marker_parent(mark) not in ("rPr", "trPr"):
            mark.getparent().remove(mark)
    for mark in list(root.iter(w(keep))):
        if _marker_parent(mark) in ("rPr", "trPr"):
            continue
        for text in mark.iter(w("delText")):
            text.tag = w("t")
        parent = mark.getparent()
        position = parent.index(mark)
        for child in reversed(list(mark)):
            parent.insert(position, child)
        parent.remove(mark)
    # paragraph marks
    for mark in list(root.iter(w(keep))):
        if _marker_parent(mark) == "rPr":
            mark.getparent().remove(mark)
    for mark in list(root.iter(w(drop))):
        if _marker_parent(mark) != "rPr":
            continue
        paragraph = mark.getparent().getparent().getparent()
        following = paragraph.getnext()
        runs = [c for c in paragraph if etree.QName(c).localname != "pPr"]
        if runs and following is not None and etree.QName(following).localname == "p":
            anchor = following.find(w("pPr"))
            position = 0 if anchor is None else following.index(anchor) + 1
            for run in reversed(runs):
                following.insert(position, run)
        paragraph.getparent().remove(paragraph)
    return root
