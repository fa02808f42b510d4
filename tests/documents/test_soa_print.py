"""The HTML schedule of activities printed from the browser: landscape, every column, whole words.

Headless Chromium prints the page as its print dialogue would; the PDF is read
back.  The SoA's pages must be landscape pages of the chosen paper, each
visit's column must be there (its "NAME ·" line), and no word of a visit's
label may be broken inside itself (a word cut at the page edge or split by a
too-narrow column would not appear whole).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generators.documents.schedule import build_schedule
from generators.documents.soa_groups import group_schedule
from tests.chromium import needs_chromium
from tests.documents.helpers import FIXTURES, REAL_SPECS, build_documents, compile_clean
from tests.documents.print_pdf import pdf_pages, print_to_pdf

pytest.importorskip("pypdf", reason="pypdf reads the printed PDF")
pytestmark = needs_chromium

A4_LANDSCAPE = (842, 595)
A4_PORTRAIT = (595, 842)


def _size(page: tuple[tuple[float, float], str]) -> tuple[int, int]:
    (width, height), _text = page
    return round(width), round(height)


def printed_soa(spec_path: Path, html: str, tmp: Path) -> tuple[list, str]:
    spec = compile_clean(spec_path)
    build_documents(spec, tmp)
    pages = pdf_pages(_print(tmp / html, tmp))
    text = "\n".join(t for (w, h), t in pages if w > h)
    return pages, text


def _print(page: Path, tmp: Path) -> Path:
    pdf = tmp / (page.stem + ".pdf")
    print_to_pdf(page, pdf, tmp / "profile")
    return pdf


def assert_every_visit_whole(spec_path: Path, landscape_text: str) -> None:
    spec = compile_clean(spec_path)
    schedule = group_schedule(spec, build_schedule(spec))
    # a line may end after a hyphen or a dash: join it back before looking for whole words
    joined = re.sub(r"([-\u2013])\n", r"\1", landscape_text)
    flat = re.sub(r"\s+", " ", joined)
    tokens = set(joined.split())
    for column in schedule.columns:
        name = column.names or column.visit.name
        assert f"{name} ·" in flat, f"visit {name} lost in print"
        for word in column.label.split():
            # a footnote mark prints right after the last word
            whole = word in tokens or any(
                t.startswith(word) and re.fullmatch(r"[a-z]+,?", t[len(word) :]) for t in tokens
            )
            assert whole, f"{word!r} of {column.label!r} broken or lost in print"


@pytest.mark.parametrize(
    "spec_path", [*REAL_SPECS, FIXTURES / "oncology_cycles.trial"], ids=lambda p: p.stem
)
def test_soa_html_prints_every_column_on_landscape_a4(spec_path: Path, tmp_path: Path) -> None:
    pages, text = printed_soa(spec_path, "soa.html", tmp_path)
    assert {_size(p) for p in pages} == {A4_LANDSCAPE}
    assert_every_visit_whole(spec_path, text)


def test_the_protocol_prints_its_soa_on_landscape_pages(tmp_path: Path) -> None:
    spec_path = REAL_SPECS[-1]
    pages, text = printed_soa(spec_path, "protocol.html", tmp_path)
    sizes = [_size(p) for p in pages]
    assert sizes[0] == A4_PORTRAIT and A4_LANDSCAPE in sizes
    # the landscape pages are one run: the SoA, then the protocol goes on upright
    turned = [i for i, s in enumerate(sizes) if s == A4_LANDSCAPE]
    assert turned == list(range(turned[0], turned[-1] + 1)) and sizes[-1] == A4_PORTRAIT
    assert_every_visit_whole(spec_path, text)


def test_paper_letter_prints_the_soa_on_landscape_letter(tmp_path: Path) -> None:
    source = (FIXTURES / "oncology_cycles.trial").read_text(encoding="utf-8")
    letter = source.replace("trial ONC17 {", "trial ONC17 {\n  paper letter", 1)
    assert letter != source
    path = tmp_path / "letter.trial"
    path.write_text(letter, encoding="utf-8")
    pages, text = printed_soa(path, "soa.html", tmp_path / "out")
    assert {_size(p) for p in pages} == {(792, 612)}
    assert_every_visit_whole(path, text)
