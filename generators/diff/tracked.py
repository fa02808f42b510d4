"""The protocol with tracked changes: two generated Word protocols compared with revision marks.

EU submissions of a substantial modification carry the protocol twice: a
clean new version and one that shows what changed.  This module takes the
Word protocol generated from the old and from the new version (the same
generator, so the same styles and layout) and writes the new one with real
revision marks, the ones Word's Review pane lists and can accept or reject:

* top-level paragraphs and tables are matched with `difflib` on their text
  (a table by its heading row, so a table whose rows changed is still the
  same table); rows of matched tables by their text, cells of matched rows
  by position, paragraphs of matched cells by their text;
* a changed paragraph is compared word by word: unchanged words stay plain
  runs, removed words become `w:del` runs (`w:delText`), new words `w:ins`
  runs, each keeping the character formatting it had;
* a paragraph of the new version only is inserted (its runs in `w:ins`, its
  paragraph mark marked inserted); one of the old version only is copied
  into the new document where it stood, deleted (`w:del`); a table row of
  one version only is marked as an inserted or deleted row.

Every revision carries the same author and date (the amendment's, from the
spec) and ids numbered in document order, so the same two specs give the
same bytes.  Accepting every revision gives the new protocol's text and
rejecting every one the old protocol's.
"""

from __future__ import annotations

import copy
import difflib
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCUMENT_PART = "word/document.xml"
_SETTINGS_PART = "word/settings.xml"
#: a word, a run of spaces, or one other character: the units a change is shown in
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
#: below this share of words in common two paragraphs are not one paragraph reworded
_SAME_PARAGRAPH = 0.5


def w(name: str) -> str:
    """A WordprocessingML tag or attribute in lxml's {namespace}name form."""
    return f"{{{W_NS}}}{name}"


@attrs.frozen
class Revision:
    """Who made the changes and when, as Word's Review pane shows them."""

    author: str
    #: ISO 8601 date-time (`2025-09-15T00:00:00Z`): the amendment's date
    date: str


class _Marker:
    """Makes revision elements with the amendment's author and date, ids in document order."""

    def __init__(self, revision: Revision) -> None:
        self.revision = revision
        self.next_id = 1

    def element(self, name: str) -> Any:
        from lxml import etree

        mark = etree.Element(w(name))
        mark.set(w("id"), str(self.next_id))
        mark.set(w("author"), self.revision.author)
        mark.set(w("date"), self.revision.date)
        self.next_id += 1
        return mark


# ---------------------------------------------------------------- the entry point


def compare_documents(old_docx: bytes, new_docx: bytes, revision: Revision) -> bytes:
    """The new Word document with the differences from the old one as revision marks."""
    from lxml import etree

    from generators.documents.render_docx import normalise_zip

    old_zip = zipfile.ZipFile(io.BytesIO(old_docx))
    new_zip = zipfile.ZipFile(io.BytesIO(new_docx))
    old_root = etree.fromstring(old_zip.read(_DOCUMENT_PART))
    new_root = etree.fromstring(new_zip.read(_DOCUMENT_PART))
    marker = _Marker(revision)
    _compare_blocks(_blocks(old_root.find(w("body"))), _blocks(new_root.find(w("body"))), marker)
    _number_in_document_order(new_root)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in new_zip.infolist():
            data = new_zip.read(info.filename)
            if info.filename == _DOCUMENT_PART:
                data = etree.tostring(
                    new_root, xml_declaration=True, encoding="UTF-8", standalone=True
                )
            elif info.filename == _SETTINGS_PART:
                data = _track_revisions(data)
            target.writestr(info.filename, data)
    return normalise_zip(out.getvalue())


def _track_revisions(settings_xml: bytes) -> bytes:
    """Settings that keep tracking on: further edits by a reviewer are revisions too."""
    from lxml import etree

    root = etree.fromstring(settings_xml)
    if root.find(w("trackRevisions")) is None:
        root.insert(0, etree.Element(w("trackRevisions")))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _number_in_document_order(root: Any) -> None:
    """Revision ids 1, 2, 3 … in the order the marks appear (deleted blocks are placed late)."""
    names = {w("ins"), w("del")}
    for number, mark in enumerate((e for e in root.iter() if e.tag in names), start=1):
        mark.set(w("id"), str(number))


# ---------------------------------------------------------------- blocks: paragraphs and tables


def _blocks(container: Any) -> list[Any]:
    """The paragraphs and tables of a body or a cell, in order (not the section properties)."""
    return [child for child in container if child.tag in (w("p"), w("tbl"))]


def _block_key(block: Any) -> tuple[str, str]:
    if block.tag == w("tbl"):
        rows = block.findall(w("tr"))
        return ("tbl", _row_text(rows[0]) if rows else "")
    return ("p", _style(block) + "\x00" + paragraph_text(block))


def _style(paragraph: Any) -> str:
    style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    return style.get(w("val"), "") if style is not None else ""


def _compare_blocks(old: Sequence[Any], new: Sequence[Any], marker: _Marker) -> None:
    """Mark the new blocks against the old ones (the new document is edited in place)."""
    matcher = difflib.SequenceMatcher(
        None, [_block_key(b) for b in old], [_block_key(b) for b in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for old_block, new_block in zip(old[i1:i2], new[j1:j2], strict=True):
                if new_block.tag == w("tbl"):
                    _compare_tables(old_block, new_block, marker)
            continue
        _compare_unmatched(old[i1:i2], new[j1:j2], _anchor_after(new, j1, j2), marker)


def _anchor_after(new: Sequence[Any], j1: int, j2: int) -> tuple[Any, Any]:
    """Where blocks of the old version only go: after the block before the gap, or first."""
    previous = new[j1 - 1] if j1 > 0 else None
    following = new[j2] if j2 < len(new) else None
    return previous, following


def _compare_unmatched(
    old: Sequence[Any], new: Sequence[Any], anchor: tuple[Any, Any], marker: _Marker
) -> None:
    """A run of blocks that differ: pair those that are one block reworded, the rest in or out."""
    pairs = _pair(old, new)
    paired_new = {j for _i, j in pairs}
    paired_old = {i for i, _j in pairs}
    previous, following = anchor
    old_index = 0
    for j, block in enumerate(new):
        # the old-only blocks before this pair go just before its new block
        match = next((i for i, jj in pairs if jj == j), None)
        if match is not None:
            while old_index < match:
                if old_index not in paired_old:
                    block.addprevious(_deleted_block(old[old_index], marker))
                old_index += 1
            old_index = match + 1
            if block.tag == w("tbl"):
                _compare_tables(old[match], block, marker)
            else:
                _compare_paragraphs(old[match], block, marker)
        elif j not in paired_new:
            _mark_inserted_block(block, marker)
    rest = [
        _deleted_block(old[i], marker) for i in range(old_index, len(old)) if i not in paired_old
    ]
    _place_after(rest, new[-1] if new else previous, following)


def _place_after(blocks: Sequence[Any], previous: Any, following: Any) -> None:
    """Put blocks, in their order, after `previous` (or, at the start, before `following`)."""
    if previous is not None:
        for block in reversed(blocks):
            previous.addnext(block)
    elif following is not None:
        for block in blocks:
            following.addprevious(block)


def _pair(old: Sequence[Any], new: Sequence[Any]) -> list[tuple[int, int]]:
    """Blocks of the same kind, in order, similar enough to be one block changed."""
    pairs: list[tuple[int, int]] = []
    start = 0
    for i, old_block in enumerate(old):
        for j in range(start, len(new)):
            if new[j].tag != old_block.tag:
                continue
            if old_block.tag == w("tbl") or _similar(old_block, new[j]):
                pairs.append((i, j))
                start = j + 1
                break
    return pairs


def _similar(old_paragraph: Any, new_paragraph: Any) -> bool:
    old_words = _TOKEN.findall(paragraph_text(old_paragraph))
    new_words = _TOKEN.findall(paragraph_text(new_paragraph))
    if not old_words and not new_words:
        return True
    ratio = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).ratio()
    return ratio >= _SAME_PARAGRAPH


# ---------------------------------------------------------------- tables


def _row_text(row: Any) -> str:
    return "\x1f".join(
        "\x1e".join(paragraph_text(p) for p in cell.iter(w("p"))) for cell in row.findall(w("tc"))
    )


def _compare_tables(old_table: Any, new_table: Any, marker: _Marker) -> None:
    old_rows = old_table.findall(w("tr"))
    new_rows = new_table.findall(w("tr"))
    matcher = difflib.SequenceMatcher(
        None, [_row_text(r) for r in old_rows], [_row_text(r) for r in new_rows], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = old_rows[i1:i2], new_rows[j1:j2]
        # rows changed in place (same number of cells) are compared cell by cell
        paired = 0
        while paired < min(len(olds), len(news)) and len(olds[paired].findall(w("tc"))) == len(
            news[paired].findall(w("tc"))
        ):
            for old_cell, new_cell in zip(
                olds[paired].findall(w("tc")), news[paired].findall(w("tc")), strict=True
            ):
                _compare_blocks(_blocks(old_cell), _blocks(new_cell), marker)
            paired += 1
        for row in news[paired:]:
            _mark_row(row, "ins", marker)
        deleted = [_deleted_row(row, marker) for row in olds[paired:]]
        anchor = news[-1] if news else (new_rows[j1 - 1] if j1 > 0 else None)
        following = new_rows[j2] if j2 < len(new_rows) else None
        _place_after(deleted, anchor, following)


def _mark_row(row: Any, kind: str, marker: _Marker) -> None:
    """A whole row inserted or deleted: the row itself and every paragraph in it."""
    from lxml import etree

    properties = row.find(w("trPr"))
    if properties is None:
        properties = etree.Element(w("trPr"))
        position = 1 if row.find(w("tblPrEx")) is not None else 0
        row.insert(position, properties)
    properties.append(marker.element(kind))
    for paragraph in row.iter(w("p")):
        if kind == "ins":
            _mark_inserted_paragraph(paragraph, marker)
        else:
            _mark_deleted_paragraph(paragraph, marker)


def _deleted_row(old_row: Any, marker: _Marker) -> Any:
    row = _old_copy(old_row)
    _mark_row(row, "del", marker)
    return row


def _old_copy(element: Any) -> Any:
    """A copy of old content for the new document, without its footnote references: their
    ids number the old document's footnotes, not the new one's.  The mark stays, deleted
    with the rest (a custom mark is the text of its run)."""
    copied = copy.deepcopy(element)
    for reference in list(copied.iter(w("footnoteReference"))):
        reference.getparent().remove(reference)
    return copied


# ---------------------------------------------------------------- whole blocks in or out


def _mark_inserted_block(block: Any, marker: _Marker) -> None:
    if block.tag == w("tbl"):
        for row in block.findall(w("tr")):
            _mark_row(row, "ins", marker)
    else:
        _mark_inserted_paragraph(block, marker)


def _deleted_block(old_block: Any, marker: _Marker) -> Any:
    block = _old_copy(old_block)
    if block.tag == w("tbl"):
        for row in block.findall(w("tr")):
            _mark_row(row, "del", marker)
    else:
        _mark_deleted_paragraph(block, marker)
    return block


def _paragraph_mark(paragraph: Any, kind: str, marker: _Marker) -> None:
    """Mark the paragraph mark itself (`w:pPr/w:rPr/w:ins|w:del`): the paragraph came or went."""
    from lxml import etree

    properties = paragraph.find(w("pPr"))
    if properties is None:
        properties = etree.Element(w("pPr"))
        paragraph.insert(0, properties)
    # a section break belongs to the new document's layout, not to a deleted copy
    for section in properties.findall(w("sectPr")):
        if kind == "del":
            properties.remove(section)
    run_properties = properties.find(w("rPr"))
    if run_properties is None:
        run_properties = etree.SubElement(properties, w("rPr"))
        # rPr comes after every other paragraph property but sectPr and pPrChange
        anchor = properties.find(w("sectPr"))
        if anchor is not None:
            anchor.addprevious(run_properties)
    run_properties.insert(0, marker.element(kind))


def _mark_inserted_paragraph(paragraph: Any, marker: _Marker) -> None:
    _paragraph_mark(paragraph, "ins", marker)
    for child in list(paragraph):
        if child.tag in _CONTENT:
            wrapper = marker.element("ins")
            child.addprevious(wrapper)
            wrapper.append(child)


def _mark_deleted_paragraph(paragraph: Any, marker: _Marker) -> None:
    _paragraph_mark(paragraph, "del", marker)
    for child in list(paragraph):
        if child.tag in _CONTENT:
            for text in child.iter(w("t")):
                text.tag = w("delText")
            for field in child.iter(w("instrText")):
                field.tag = w("delInstrText")
            wrapper = marker.element("del")
            child.addprevious(wrapper)
            wrapper.append(child)


#: paragraph children that carry content (runs, hyperlinks, simple fields)
_CONTENT = {w("r"), w("hyperlink"), w("fldSimple")}


# ---------------------------------------------------------------- one paragraph, word by word


@attrs.frozen
class _Token:
    text: str
    #: the run's character properties, serialised (tokens of one format join into one run)
    format: bytes
    #: a tab or a line break, kept as its own element
    special: str | None = None


def paragraph_text(paragraph: Any) -> str:
    """The visible text of a paragraph as it stands (tabs and line breaks as \\t and \\n)."""
    parts = []
    for element in paragraph.iter(w("t"), w("tab"), w("br"), w("delText")):
        if element.tag == w("t"):
            parts.append(element.text or "")
        elif element.tag == w("tab"):
            parts.append("\t")
        elif element.tag == w("br"):
            parts.append("\n")
    return "".join(parts)


def _tokens(paragraph: Any) -> list[_Token] | None:
    """The paragraph as tokens with their formatting, or None if it holds more than plain runs."""
    from lxml import etree

    tokens: list[_Token] = []
    for child in paragraph:
        if child.tag == w("pPr"):
            continue
        if child.tag != w("r"):
            return None
        properties = child.find(w("rPr"))
        form = etree.tostring(properties) if properties is not None else b""
        for part in child:
            if part.tag == w("rPr"):
                continue
            if part.tag == w("t"):
                tokens += [_Token(t, form) for t in _TOKEN.findall(part.text or "")]
            elif part.tag in (w("tab"), w("br")):
                tokens.append(_Token("\t" if part.tag == w("tab") else "\n", form, part.tag))
            else:
                return None
    return tokens


def _compare_paragraphs(old: Any, new: Any, marker: _Marker) -> None:
    """Rewrite the new paragraph's runs as unchanged, deleted and inserted words."""
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    if paragraph_text(old) == paragraph_text(new) and old_tokens == new_tokens:
        return
    if old_tokens is None or new_tokens is None:
        # not plain runs (a field, a link): the old paragraph out, the new one in
        new.addprevious(_deleted_block(old, marker))
        _mark_inserted_paragraph(new, marker)
        return
    for child in list(new):
        if child.tag != w("pPr"):
            new.remove(child)
    matcher = difflib.SequenceMatcher(
        None, [t.text for t in old_tokens], [t.text for t in new_tokens], autojunk=False
    )
    pieces: list[tuple[str, list[_Token]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("same", new_tokens[j1:j2]))
            continue
        if i2 > i1:
            pieces.append(("del", old_tokens[i1:i2]))
        if j2 > j1:
            pieces.append(("ins", new_tokens[j1:j2]))
    for kind, tokens in pieces:
        runs = list(_runs(tokens, deleted=kind == "del"))
        if kind == "same":
            for run in runs:
                new.append(run)
            continue
        wrapper = marker.element(kind)
        for run in runs:
            wrapper.append(run)
        new.append(wrapper)


def _runs(tokens: Sequence[_Token], *, deleted: bool) -> Iterator[Any]:
    """Runs for consecutive tokens of one format (text joined, tabs and breaks their own)."""
    from lxml import etree

    text_tag = w("delText") if deleted else w("t")
    run = None
    current: bytes | None = None
    for token in tokens:
        if run is None or token.format != current:
            if run is not None:
                yield run
            run = etree.Element(w("r"))
            if token.format:
                run.append(etree.fromstring(token.format))
            current = token.format
        if token.special is not None:
            etree.SubElement(run, token.special)
            continue
        last = run[-1] if len(run) else None
        if last is not None and last.tag == text_tag:
            last.text = (last.text or "") + token.text
        else:
            element = etree.SubElement(run, text_tag)
            element.text = token.text
        if run[-1].text != run[-1].text.strip():
            run[-1].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    if run is not None:
        yield run
