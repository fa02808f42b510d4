"""The protocol document artefact: protocol.html, protocol.md and protocol.docx.

`build(spec, out_dir)` builds the document model once (`content.py`) and
writes it in the three formats protocol writers and reviewers use.
"""

from __future__ import annotations

from pathlib import Path

from generators.documents import render_docx, render_html, render_markdown
from generators.documents.content import build_protocol
from generators.documents.document import Document
from generators.documents.soa_layout import A4, PAPERS, Paper
from protocol_dsl.spec import Spec

DOC_KIND = "Clinical trial protocol"


def build(spec: Spec, out_dir: Path) -> list[Path]:
    document = build_protocol(spec)
    out_dir = Path(out_dir)
    markdown = out_dir / "protocol.md"
    markdown.write_text(
        render_markdown.render(document, DOC_KIND, with_toc=True), encoding="utf-8", newline="\n"
    )
    html, word = write_html_and_docx(
        spec, document, out_dir / "protocol", DOC_KIND, body_class="protocol", with_toc=True
    )
    return [html, markdown, word]


def write_html_and_docx(
    spec: Spec,
    document: Document,
    stem: Path,
    doc_kind: str,
    *,
    body_class: str,
    with_toc: bool,
    landscape: bool = False,
) -> tuple[Path, Path]:
    """Write a document as `stem`.html and `stem`.docx (dated and signed by the spec)."""
    html = stem.with_suffix(".html")
    html.write_text(
        render_html.render(
            document, doc_kind, body_class=body_class, with_toc=with_toc, paper=paper(spec)
        ),
        encoding="utf-8",
        newline="\n",
    )
    word = stem.with_suffix(".docx")
    word.write_bytes(
        render_docx.render(
            document,
            doc_kind,
            with_toc=with_toc,
            author=sponsor(spec),
            when=version_date(spec),
            landscape=landscape,
            paper=paper(spec),
        )
    )
    return html, word


def paper(spec: Spec) -> Paper:
    """The paper the trial prints on: `paper letter` in the header, else A4."""
    field = spec.trial_field("paper")
    return PAPERS.get(str(field.value.value), A4) if field is not None else A4


def sponsor(spec: Spec) -> str:
    field = spec.trial_field("sponsor")
    return str(field.value.value) if field is not None else ""


def version_date(spec: Spec):
    """The protocol version date (recorded as the Word file's date), if the spec gives one."""
    import datetime as dt

    field = spec.trial_field("version_date")
    if field is not None and isinstance(field.value.value, dt.date):
        return field.value.value
    return None
