"""Printing a generated HTML page to PDF in headless Chromium, and reading the PDF back."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from tests.chromium import run


def print_to_pdf(page: Path, pdf: Path, profile: Path) -> None:
    """Print `page` as the browser's print dialogue would, without header or footer."""
    result = run(page, profile, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", timeout=180)
    assert result.returncode == 0 and pdf.exists(), result.stderr[-2000:]


def pdf_pages(pdf: Path) -> list[tuple[tuple[float, float], str]]:
    """Each page's size in points (width, height) and its text (ligatures undone)."""
    import pypdf

    reader = pypdf.PdfReader(str(pdf))
    return [
        (
            (float(page.mediabox.width), float(page.mediabox.height)),
            unicodedata.normalize("NFKC", page.extract_text()),
        )
        for page in reader.pages
    ]
