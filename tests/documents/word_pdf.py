"""The Word documents as LibreOffice prints them: PDF pages, their words and type sizes.

LibreOffice converts a .docx to PDF without updating its fields, so what it
prints is what the file carries: the pre-filled contents, the cross-reference
numbers, and the page numbers it lays out itself.  Words and their boxes come
from poppler's `pdftotext -bbox`, type sizes from pypdf's text visitor, the
page pictures from `pdftoppm`.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
from pathlib import Path

import attrs
import pytest
from lxml import etree

XHTML = "{http://www.w3.org/1999/xhtml}"
_SAME_LINE_PT = 2.0  # words whose boxes end this close vertically are on one line


@attrs.frozen
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@attrs.frozen
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]

    def text(self) -> str:
        """The words in reading order: lines from the top, each from the left (a PDF may
        hold a line's words in another order, a hanging number after its text)."""
        lines: list[list[Word]] = []
        for word in sorted(self.words, key=lambda w: w.y_max):
            if lines and abs(lines[-1][0].y_max - word.y_max) <= _SAME_LINE_PT:
                lines[-1].append(word)
            else:
                lines.append([word])
        return " ".join(w.text for line in lines for w in sorted(line, key=lambda w: w.x_min))


def tools() -> tuple[str, str, str]:
    """soffice, pdftotext and pdftoppm, or skip the test with the reason."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the Word pages cannot be printed")
    pdftotext, pdftoppm = shutil.which("pdftotext"), shutil.which("pdftoppm")
    if pdftotext is None or pdftoppm is None:
        pytest.skip("poppler-utils (pdftotext, pdftoppm) is not installed: pages cannot be read")
    if not _has_calibri_metrics():
        pytest.skip(
            "neither Calibri nor Carlito (fonts-crosextra-carlito) is installed: LibreOffice "
            "would print the Word documents in a wider substitute font than Word uses"
        )
    return soffice, pdftotext, pdftoppm


def _has_calibri_metrics() -> bool:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return False
    found = subprocess.run(
        [fc_match, "Calibri"], capture_output=True, text=True, check=False, timeout=60
    ).stdout
    return any(name in found for name in ("Calibri", "Carlito"))


def to_pdf(soffice: str, documents: list[Path], out: Path) -> list[Path]:
    """Convert the documents to PDF with a LibreOffice profile of their own."""
    profile = out / "libreoffice-profile"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, documents),
        ],
        capture_output=True,
        timeout=600,
        check=False,
        env={**os.environ, "HOME": str(out)},
    )
    pdfs = [out / f"{d.stem}.pdf" for d in documents]
    missing = [p.name for p in pdfs if not p.exists()]
    assert not missing, (missing, done.stderr.decode(errors="replace"))
    return pdfs


def pages(pdftotext: str, pdf: Path) -> list[Page]:
    """Every page with its words and their boxes (points, origin at the top left)."""
    xml = subprocess.run(
        [pdftotext, "-bbox", str(pdf), "-"], capture_output=True, check=True, timeout=120
    ).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True))
    out: list[Page] = []
    for number, page in enumerate(root.iter(f"{XHTML}page"), start=1):
        words = tuple(
            Word(
                w.text or "",
                float(w.get("xMin")),
                float(w.get("yMin")),
                float(w.get("xMax")),
                float(w.get("yMax")),
            )
            for w in page.iter(f"{XHTML}word")
        )
        out.append(Page(number, float(page.get("width")), float(page.get("height")), words))
    return out


def type_sizes(pdf: Path) -> dict[int, set[float]]:
    """The printed size of every piece of visible text, in points, by page."""
    from pypdf import PdfReader

    sizes: dict[int, set[float]] = {}
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        found: set[float] = set()

        def visit(text, cm, tm, font, size, found=found):  # type: ignore[no-untyped-def]
            if text.strip():
                scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
                found.add(round(size * scale, 2))

        page.extract_text(visitor_text=visit)
        sizes[number] = found
    return sizes


def screenshots(pdftoppm: str, pdf: Path, out: Path, last_page: int) -> list[Path]:
    """PNG pictures of the first pages, small enough to keep."""
    out.mkdir(parents=True, exist_ok=True)
    prefix = out / pdf.stem
    subprocess.run(
        [pdftoppm, "-r", "50", "-png", "-l", str(last_page), str(pdf), str(prefix)],
        check=True,
        timeout=120,
    )
    return sorted(out.glob(f"{pdf.stem}-*.png"))
