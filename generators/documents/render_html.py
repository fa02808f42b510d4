"""HTML rendering of the document model: one self-contained, printable file.

This module owns the HTML form of a document.  The Jinja2 templates beside
it (autoescape on for every template, undefined names are errors) print the
model; the stylesheet is embedded, nothing is fetched from elsewhere and no
script is needed, so the file opens the same offline, in a browser or when
printed.  Printed, pages are of the chosen paper; the schedule of activities
prints on landscape pages, in parts that fit (`soa_layout`).
"""

from __future__ import annotations

import functools
from pathlib import Path

from generators.documents.document import Document
from generators.documents.soa_layout import (
    A4,
    SOA_MARGIN_MM,
    Paper,
    landscape_text_width,
    split_soa_tables,
)

# The stylesheet's sans serif (Noto Sans, else DejaVu Sans) is about this much wider
# than the Helvetica metrics the layout estimates with.
HTML_WIDTH_SCALE = 1.05

TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def _environment():
    import jinja2

    from generators import templates

    env = templates.environment(
        TEMPLATES,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals["kind"] = lambda node: type(node).__name__
    return env


def render(
    document: Document, doc_kind: str, *, body_class: str, with_toc: bool, paper: Paper = A4
) -> str:
    """The document as one HTML page; `doc_kind` is printed above the title."""
    from markupsafe import Markup

    env = _environment()
    stylesheet = (TEMPLATES / "document.css").read_text(encoding="utf-8")
    css = Markup(stylesheet + _page_rules(paper))
    printed = split_soa_tables(document, landscape_text_width(paper), scale=HTML_WIDTH_SCALE)
    html = env.get_template("document.html.j2").render(
        doc=printed, doc_kind=doc_kind, body_class=body_class, with_toc=with_toc, css=css
    )
    # one trailing newline, no trailing spaces: stable bytes whatever the template layout
    return "\n".join(line.rstrip() for line in html.splitlines()).strip("\n") + "\n"


def _page_rules(paper: Paper) -> str:
    """The printed pages: the paper upright, and turned for the schedule of activities
    (a named page, so that the SoA inside the protocol gets its own landscape pages)."""
    return (
        f"@page {{ size: {paper.name}; margin: 18mm 16mm; }}\n"
        f"@page soa {{ size: {paper.name} landscape; margin: {SOA_MARGIN_MM}mm; }}\n"
    )
