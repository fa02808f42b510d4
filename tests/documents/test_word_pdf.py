"""The Word protocol and SoA of the real specs, printed by LibreOffice and read page by page.

Each page is checked as a reader would hold it: no word outside the paper, no
type below 8 pt, every word of the SoA's activity names whole (never broken
letter by letter in a narrow column), the table of contents filled, the
protocol identifier at the top and "Page x of y" at the foot of every page.
Pictures of the first pages are kept with the test's files for review.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generators.documents.content import build_protocol
from generators.documents.document import Table
from generators.documents.protocol import running_head
from generators.documents.soa_layout import paragraph_text, words
from protocol_dsl.spec import Spec
from tests.documents.helpers import SPECS, build_documents, compile_clean
from tests.documents.word_pdf import Page, pages, screenshots, to_pdf, tools, type_sizes

pytest.importorskip("docx", reason="python-docx writes the Word files")
pytest.importorskip("pypdf", reason="pypdf reads the type sizes of the printed pages")

PRINTED_SPECS = (
    "qls4131_sle_phase1b.trial",
    "cdiscpilot01.trial",
    "mgc018_first_in_human.trial",
    "bliss52_belimumab_sle.trial",
)
SMALLEST_PT = 8.0


class Printed:
    """A spec, its Word documents, their PDFs and pages."""

    def __init__(self, spec: Spec, out: Path) -> None:
        soffice, self.pdftotext, self.pdftoppm = tools()
        self.spec = spec
        self.out = out
        documents = [p for p in build_documents(spec, out) if p.suffix == ".docx"]
        self.pdfs = {pdf.stem: pdf for pdf in to_pdf(soffice, documents, out)}
        self.pages = {stem: pages(self.pdftotext, pdf) for stem, pdf in self.pdfs.items()}


@pytest.fixture(scope="module", params=PRINTED_SPECS)
def printed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    name = request.param
    spec = compile_clean(SPECS / name)
    return Printed(spec, tmp_path_factory.mktemp(Path(name).stem))


def _all_pages(printed: Printed) -> list[tuple[str, Page]]:
    return [(stem, page) for stem, found in printed.pages.items() for page in found]


def test_both_documents_print(printed: Printed) -> None:
    assert set(printed.pages) == {"protocol", "soa"}
    assert all(printed.pages.values())


def test_no_text_outside_the_page(printed: Printed) -> None:
    outside = [
        (stem, page.number, word.text)
        for stem, page in _all_pages(printed)
        for word in page.words
        if word.x_min < 0 or word.y_min < 0 or word.x_max > page.width or word.y_max > page.height
    ]
    assert not outside


def test_no_type_below_8_pt(printed: Printed) -> None:
    small = {
        (stem, number): sorted(s for s in sizes if s < SMALLEST_PT)
        for stem, pdf in printed.pdfs.items()
        for number, sizes in type_sizes(pdf).items()
        if any(s < SMALLEST_PT for s in sizes)
    }
    assert not small


def _activity_names(spec: Spec) -> list[str]:
    """The activity and form names of the SoA grid, as the document model prints them."""
    document = build_protocol(spec)
    names: list[str] = []
    for section in document.all_sections():
        for block in section.blocks:
            if isinstance(block, Table) and block.kind == "soa":
                names += [" ".join(paragraph_text(p) for p in row[0]) for row in block.rows]
    assert names, "the protocol has a schedule of activities"
    return names


def test_activity_names_are_never_broken_inside_a_word(printed: Printed) -> None:
    """Each word of each activity name is printed whole: "Activity" never as A / c / t …"""
    names = _activity_names(printed.spec)
    for stem, found in printed.pages.items():
        printed_words = {w.text for page in found for w in page.words}
        broken = sorted(
            {
                piece
                for name in names
                for piece in words(name)
                if not any(piece in token for token in printed_words)
            }
        )
        assert not broken, (stem, broken)


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_contents_is_filled_before_word_updates_it(printed: Printed) -> None:
    """The contents lists every heading to level 3 in order, before the body repeats them."""
    text = _normal(" ".join(page.text() for page in printed.pages["protocol"]))
    document = build_protocol(printed.spec)
    listed = [s for s in document.all_sections() if s.depth <= 3]
    entries = [_normal(f"{s.number} {s.title}" if s.number else s.title) for s in listed]
    cursor = text.index("Contents")
    for entry in entries:
        found = text.find(entry, cursor)
        assert found >= 0, f"not in the contents: {entry}"
        cursor = found + len(entry)
    first_numbered = next(e for e, s in zip(entries, listed, strict=True) if s.number)
    assert text.find(first_numbered, cursor) > 0, "the headings follow the contents"


def test_every_page_has_the_running_head_and_page_x_of_y(printed: Printed) -> None:
    head = running_head(printed.spec)
    for stem, found in printed.pages.items():
        for page in found:
            text = page.text()
            assert head.protocol_id in text, (stem, page.number)
            assert f"Page {page.number} of {len(found)}" in text, (stem, page.number)


def test_the_soa_prints_on_landscape_pages(printed: Printed) -> None:
    assert all(page.width > page.height for page in printed.pages["soa"])
    # the protocol is portrait, with the SoA on landscape pages of its own
    protocol = printed.pages["protocol"]
    assert protocol[0].width < protocol[0].height
    assert any(page.width > page.height for page in protocol)


def test_screenshots_of_the_first_pages_are_kept(printed: Printed) -> None:
    folder = printed.out / "screenshots"
    for stem, pdf in printed.pdfs.items():
        pictures = screenshots(printed.pdftoppm, pdf, folder, last_page=4)
        assert pictures, stem
        for picture in pictures:
            assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
