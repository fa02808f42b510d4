"""HTML rendering of the document model: one self-contained, printable file.

This module owns the HTML form of a document.  The Jinja2 templates beside
it (autoescape on for every template, undefined names are errors) print the
model; the stylesheet is embedded, nothing is fetched from elsewhere and no
script is needed, so the file opens the same offline, in a browser or when
printed.
"""

from __future__ import annotations

import functools
from pathlib import Path

from generators.documents.document import Document

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


def render(document: Document, doc_kind: str, *, body_class: str, with_toc: bool) -> str:
    """The document as one HTML page; `doc_kind` is printed above the title."""
    from markupsafe import Markup

    env = _environment()
    css = Markup((TEMPLATES / "document.css").read_text(encoding="utf-8"))
    html = env.get_template("document.html.j2").render(
        doc=document, doc_kind=doc_kind, body_class=body_class, with_toc=with_toc, css=css
    )
    # one trailing newline, no trailing spaces: stable bytes whatever the template layout
    return "\n".join(line.rstrip() for line in html.splitlines()).strip("\n") + "\n"
