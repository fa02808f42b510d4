"""The schedule of activities is legible on paper: Word pages, widths, type sizes, parts.

No office suite is needed: the DOCX XML is read directly.  Each SoA table must
have a fixed layout whose column widths add up to no more than the width
between the margins of its (landscape) page, type of at least 8 pt, and an
activity column wide enough for its longest word.  The splitting into parts
is a property over any table: every visit column printed once, in order, in
as few parts as fit.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from generators.documents.document import Cell, Paragraph, Table, Text, cell, para
from generators.documents.soa_layout import (
    A4,
    LETTER,
    SOA_FONT_PT,
    Paper,
    landscape_text_width,
    soa_parts,
    text_width,
    words,
)
from tests.documents.helpers import (
    REAL_SPECS,
    SPECS,
    build_documents,
    compile_clean,
    fixture_spec,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS_PER_MM = 1440 / 25.4


def _xml(docx: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(docx) as archive:
        return etree.fromstring(archive.read(name))


def _sections(body: etree._Element) -> list[tuple[etree._Element, list[etree._Element]]]:
    """Each section's properties with the tables it holds (a section ends at its sectPr)."""
    out: list[tuple[etree._Element, list[etree._Element]]] = []
    tables: list[etree._Element] = []
    for child in body:
        if child.tag == f"{W}tbl":
            tables.append(child)
        properties = child if child.tag == f"{W}sectPr" else child.find(f"{W}pPr/{W}sectPr")
        if properties is not None:
            out.append((properties, tables))
            tables = []
    return out


def _text_width_twips(properties: etree._Element) -> int:
    size, margins = properties.find(f"{W}pgSz"), properties.find(f"{W}pgMar")
    return int(size.get(f"{W}w")) - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))


def _style_sizes(docx: Path) -> dict[str, int]:
    """Each paragraph style's type size in half-points, following its base styles."""
    styles = _xml(docx, "word/styles.xml")
    own: dict[str, tuple[int | None, str | None]] = {}
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}sz")
    for style in styles.iter(f"{W}style"):
        size = style.find(f"{W}rPr/{W}sz")
        based = style.find(f"{W}basedOn")
        own[style.get(f"{W}styleId")] = (
            int(size.get(f"{W}val")) if size is not None else None,
            based.get(f"{W}val") if based is not None else None,
        )

    def resolve(style_id: str | None) -> int:
        while style_id is not None:
            size, style_id = own.get(style_id, (None, None))
            if size is not None:
                return size
        return int(default.get(f"{W}val")) if default is not None else 22

    return {style_id: resolve(style_id) for style_id in own}


def _is_soa(table: etree._Element) -> bool:
    return any(t.text == "Activity or form" for t in table.iter(f"{W}t"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in REAL_SPECS:
        folder = tmp_path_factory.mktemp(path.stem)
        build_documents(compile_clean(path), folder)
        out[path.stem] = folder
    source = REAL_SPECS[0].read_text(encoding="utf-8")
    head, brace, rest = source.partition("{")
    assert head.rstrip().split("\n")[-1].startswith("trial ")
    folder = tmp_path_factory.mktemp("letter")
    spec = compile_clean(SPECS / "_letter.trial", head + brace + "\n  paper letter" + rest)
    build_documents(spec, folder)
    out["letter"] = folder
    folder = tmp_path_factory.mktemp("oncology")
    build_documents(fixture_spec("oncology_cycles.trial"), folder)
    out["oncology_cycles"] = folder
    return out


def _check_soa_pages(docx: Path, paper: Paper) -> int:
    body = _xml(docx, "word/document.xml").find(f"{W}body")
    sizes = _style_sizes(docx)
    soa_tables = 0
    for properties, tables in _sections(body):
        size = properties.find(f"{W}pgSz")
        width, height = int(size.get(f"{W}w")), int(size.get(f"{W}h"))
        assert sorted((width, height)) == sorted(
            (round(paper.width_mm * TWIPS_PER_MM), round(paper.height_mm * TWIPS_PER_MM))
        )
        for table in tables:
            if not _is_soa(table):
                continue
            soa_tables += 1
            assert width > height, "the SoA is on a landscape page"
            layout = table.find(f"{W}tblPr/{W}tblLayout")
            assert layout is not None and layout.get(f"{W}type") == "fixed"
            grid = [int(c.get(f"{W}w")) for c in table.iter(f"{W}gridCol")]
            assert sum(grid) <= _text_width_twips(properties)
            first_row = table.find(f"{W}tr")
            assert first_row is not None
            for tc in table.iter(f"{W}tc"):
                for p in tc.iter(f"{W}p"):
                    style = p.find(f"{W}pPr/{W}pStyle")
                    assert style is not None and sizes[style.get(f"{W}val")] >= 16
            assert all(int(sz.get(f"{W}val")) >= 16 for sz in table.iter(f"{W}sz"))
            # the activity column holds the longest word of its labels
            labels = [
                "".join(t.text or "" for t in tr.findall(f"{W}tc")[0].iter(f"{W}t"))
                for tr in table.findall(f"{W}tr")
            ]
            longest = max(text_width(w, SOA_FONT_PT, bold=True) for x in labels for w in words(x))
            assert grid[0] / 20 >= longest
            # every column holds the longest word of each of its cells: no word is broken
            for tr in table.findall(f"{W}tr"):
                cells = tr.findall(f"{W}tc")
                if len(cells) != len(grid):
                    continue  # a row of merged group cells
                for tc, column in zip(cells, grid, strict=True):
                    for p in tc.iter(f"{W}p"):
                        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
                        need = max((text_width(w, SOA_FONT_PT) for w in words(text)), default=0)
                        assert column / 20 >= need, text
    return soa_tables


@pytest.mark.parametrize("stem", [*(p.stem for p in REAL_SPECS), "oncology_cycles"])
@pytest.mark.parametrize("name", ["soa.docx", "protocol.docx"])
def test_the_word_soa_fits_an_a4_landscape_page(built: dict[str, Path], stem: str, name: str):
    assert _check_soa_pages(built[stem] / name, A4) >= 1


@pytest.mark.parametrize("name", ["soa.docx", "protocol.docx"])
def test_paper_letter_prints_on_letter(built: dict[str, Path], name: str) -> None:
    assert _check_soa_pages(built["letter"] / name, LETTER) >= 1
    assert "size: letter landscape" in (built["letter"] / "soa.html").read_text(encoding="utf-8")


def test_the_protocol_turns_back_to_portrait_after_the_soa(built: dict[str, Path]) -> None:
    body = _xml(built[REAL_SPECS[0].stem] / "protocol.docx", "word/document.xml").find(f"{W}body")
    orientations = []
    for properties, _tables in _sections(body):
        size = properties.find(f"{W}pgSz")
        orientations.append(int(size.get(f"{W}w")) > int(size.get(f"{W}h")))
    assert orientations == [False, True, False]


# ---------------------------------------------------------------- parts, for any table

_word = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P"]), min_size=1, max_size=14
)
_label = st.lists(_word, min_size=1, max_size=6).map(" ".join)


def _header(label: str) -> Cell:
    return (Paragraph((Text(label),)), para("V · Day 1", style="small"))


@st.composite
def soa_tables(draw: st.DrawFn) -> Table:
    visits = draw(st.lists(_label, min_size=0, max_size=40))
    activities = draw(st.lists(_label, min_size=1, max_size=8))
    epochs = draw(st.lists(st.integers(1, 4), min_size=1, max_size=6))
    groups: list[tuple[str, int]] = [("Epoch", 1)]
    left = len(visits)
    for index, span in enumerate(epochs):
        if left <= 0:
            break
        span = min(span, left) if index < len(epochs) - 1 else left
        groups.append((f"E{index}", span))
        left -= span
    if left > 0:
        groups.append(("Other", left))
    rows = tuple(
        (cell(a), *(cell("X") if draw(st.booleans()) else () for _ in visits)) for a in activities
    )
    return Table(
        (cell("Activity or form"), *(_header(v) for v in visits)),
        rows,
        "Schedule of activities",
        (para("a  note", style="small"),),
        kind="soa",
        groups=tuple(groups),
    )


@settings(max_examples=150, deadline=None)
@given(soa_tables(), st.sampled_from([A4, LETTER]), st.sampled_from([1.0, 1.05]))
def test_parts_print_every_visit_once_and_fit(table: Table, paper: Paper, scale: float) -> None:
    available = landscape_text_width(paper)
    parts = soa_parts(table, available, scale=scale)
    assert parts
    printed = [c for p in parts for c in p.table.header[1:]]
    assert printed == list(table.header[1:])
    for number, part in enumerate(parts):
        t = part.table
        assert t.header[0] == table.header[0]
        assert [row[0] for row in t.rows] == [row[0] for row in table.rows]
        assert len(part.widths) == len(t.header)
        assert sum(span for _label, span in t.groups) == len(t.header)
        if len(t.header) > 2:
            assert sum(part.widths) <= available + 0.01
        assert (t.footnotes == table.footnotes) == (number == len(parts) - 1) or not table.footnotes
        assert t.caption == (
            "Schedule of activities" if number == 0 else "Schedule of activities (continued)"
        )
    # the epochs over the parts, joined, are the epochs of the table
    labels = [label for p in parts for label, span in p.table.groups[1:] for _ in range(span)]
    assert labels == [label for label, span in table.groups[1:] for _ in range(span)]


def test_a_table_that_fits_is_one_part() -> None:
    table = Table(
        (cell("Activity or form"), _header("Screening"), _header("Day 1")),
        ((cell("Vital signs"), cell("X"), ()),),
        "Schedule of activities",
        kind="soa",
        groups=(("Epoch", 1), ("Screening", 1), ("Treatment", 1)),
    )
    (part,) = soa_parts(table, landscape_text_width(A4))
    assert part.table == table
