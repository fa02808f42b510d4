"""The notes of the SoA are real Word footnotes, in protocol.docx and soa.docx alike.

Each note is a footnote of word/footnotes.xml, marked in the table cell with
its letter (a custom mark), listed by LibreOffice as a footnote and printed at
the foot of the page under the table.  A reference template that brings its
own footnotes part keeps the notes printed after the table, as before.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from generators.documents.docx_fields import w
from generators.documents.docx_footnotes import Footnotes, add_styles
from generators.documents.schedule import build_schedule
from generators.documents.soa import build as build_soa
from protocol_dsl.spec import Spec
from tests.documents.word_pdf import pages, to_pdf, tools

DOCUMENTS = ("protocol.docx", "soa.docx")


def _notes(spec: Spec) -> dict[str, str]:
    return {note.key: note.text for note in build_schedule(spec).footnotes}


def _part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def _footnote_texts(path: Path) -> dict[str, str]:
    """The text of every footnote (separators left out), by id."""
    root = _part(path, "word/footnotes.xml")
    return {
        note.get(w("id")): "".join(t.text or "" for t in note.iter(w("t"))).strip()
        for note in root.iter(w("footnote"))
        if note.get(w("type")) is None
    }


def _references(path: Path) -> list[tuple[str, str]]:
    """(footnote id, mark) of every footnote reference of the body, in order."""
    body = _part(path, "word/document.xml")
    found = []
    for reference in body.iter(w("footnoteReference")):
        run = reference.getparent()
        assert reference.get(w("customMarkFollows")) == "1"
        mark = "".join(t.text or "" for t in run.iter(w("t")))
        found.append((reference.get(w("id")), mark))
    return found


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_soa_note_is_a_footnote_marked_in_the_table(
    built_qls4131: Path, qls4131: Spec, name: str
) -> None:
    path = built_qls4131 / name
    notes = _notes(qls4131)
    assert notes, "QLS4131's schedule has notes"
    texts = _footnote_texts(path)
    references = _references(path)
    # one footnote per reference, and every reference inside a table cell
    assert sorted(texts, key=int) == [ref for ref, _ in references]
    body = _part(path, "word/document.xml")
    for reference in body.iter(w("footnoteReference")):
        assert any(a.tag == w("tc") for a in reference.iterancestors()), "a mark outside the table"
    # each footnote says the note its mark stands for, and every note is a footnote
    for ref, mark in references:
        assert texts[ref] == notes[mark], (mark, texts[ref])
    assert {mark for _, mark in references} == set(notes)
    # the notes are no longer printed as paragraphs after the table
    document = docx.Document(str(path))
    printed = [p.text for p in document.paragraphs]
    for key, text in notes.items():
        assert f"{key}  {text}" not in printed


def test_the_footnotes_part_is_declared(built_qls4131: Path) -> None:
    with zipfile.ZipFile(built_qls4131 / "soa.docx") as package:
        types = package.read("[Content_Types].xml").decode()
        relations = package.read("word/_rels/document.xml.rels").decode()
    assert (
        'PartName="/word/footnotes.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"'
        in types
    )
    relation = re.search(r"<Relationship [^>]*relationships/footnotes[^>]*>", relations)
    assert relation is not None and 'Target="footnotes.xml"' in relation.group(0)


def test_a_template_with_footnotes_of_its_own_keeps_the_notes_after_the_table(
    qls4131: Spec, tmp_path: Path
) -> None:
    """python-docx loads a template's footnotes as bytes it cannot extend: the notes are
    then printed after the table, as they were before Word footnotes."""
    template = docx.Document()
    reference_style, text_style = add_styles(template, {s.name for s in template.styles})
    assert Footnotes.open(template, reference_style, text_style) is not None
    buffer = io.BytesIO()
    template.save(buffer)
    reopened = docx.Document(io.BytesIO(buffer.getvalue()))
    assert Footnotes.open(reopened, reference_style, text_style) is None

    build_soa(qls4131, tmp_path, reference_docx=buffer.getvalue())
    path = tmp_path / "soa.docx"
    assert _references(path) == []
    assert _footnote_texts(path) == {}  # the template's own part, untouched
    printed = [p.text for p in docx.Document(str(path)).paragraphs]
    for key, text in _notes(qls4131).items():
        assert f"{key}  {text}" in printed


def test_libreoffice_prints_the_notes_at_the_foot_of_the_page(
    built_qls4131: Path, qls4131: Spec, tmp_path: Path
) -> None:
    """Each note is printed on a page that carries its mark, in the block of footnotes
    between the table and the page number: below its first word there is nothing but
    footnotes (their marks and words) down to the footer."""
    soffice, pdftotext, _ = tools()
    (pdf,) = to_pdf(soffice, [built_qls4131 / "soa.docx"], tmp_path)
    printed = pages(pdftotext, pdf)
    notes = _notes(qls4131)
    footnote_words = set(notes) | {word for text in notes.values() for word in text.split()}
    for key, text in notes.items():
        words = text.split()
        on = [page for page in printed if " ".join(words) in page.text()]
        assert on, f"note {key} is printed on no page"
        for page in on:
            note = max((w for w in page.words if w.text == words[0]), key=lambda w: w.y_min)
            footer = min(w.y_min for w in page.words if w.text == "Page")
            below = [w.text for w in page.words if note.y_min - 1 <= w.y_min < footer]
            assert set(below) <= footnote_words, (key, page.number, set(below) - footnote_words)
            mark = [
                w
                for w in page.words
                if w.text == key and abs(w.y_min - note.y_min) < 3 and w.x_max <= note.x_min
            ]
            assert mark, f"note {key} on page {page.number} without its mark"
