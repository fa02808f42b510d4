"""The protocol document artefact: protocol.html, protocol.md and protocol.docx.

`build(spec, out_dir)` builds the document model once (`content.py`) and
writes it in the three formats protocol writers and reviewers use.
"""

from __future__ import annotations

from pathlib import Path

from generators.documents import render_docx, render_html, render_markdown
from generators.documents.content import build_protocol
from generators.documents.document import Document
from generators.documents.docx_pages import RunningHead
from generators.documents.soa_layout import A4, PAPERS, Paper
from protocol_dsl.spec import Spec

DOC_KIND = "Clinical trial protocol"


def build(
    spec: Spec,
    out_dir: Path,
    *,
    reference_docx: bytes | None = None,
    paper_name: str | None = None,
) -> list[Path]:
    """Write protocol.html, protocol.md and protocol.docx; `reference_docx` is a Word
    template for the .docx, `paper_name` ("a4" or "letter") overrides the spec's paper."""
    document = build_protocol(spec)
    out_dir = Path(out_dir)
    markdown = out_dir / "protocol.md"
    markdown.write_text(
        render_markdown.render(document, DOC_KIND, with_toc=True), encoding="utf-8", newline="\n"
    )
    html, word = write_html_and_docx(
        spec,
        document,
        out_dir / "protocol",
        DOC_KIND,
        body_class="protocol",
        with_toc=True,
        reference_docx=reference_docx,
        paper_name=paper_name,
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
    reference_docx: bytes | None = None,
    paper_name: str | None = None,
) -> tuple[Path, Path]:
    """Write a document as `stem`.html and `stem`.docx (dated and signed by the spec)."""
    html = stem.with_suffix(".html")
    sheet = PAPERS[paper_name] if paper_name in PAPERS else paper(spec)
    html.write_text(
        render_html.render(
            document, doc_kind, body_class=body_class, with_toc=with_toc, paper=sheet
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
            paper=sheet,
            running_head=running_head(spec),
            reference=reference_docx,
        )
    )
    return html, word


def paper(spec: Spec) -> Paper:
    """The paper the trial prints on: `paper letter` in the header, else A4."""
    field = spec.trial_field("paper")
    return PAPERS.get(str(field.value.value), A4) if field is not None else A4


def running_head(spec: Spec) -> RunningHead:
    """The protocol identifier, version and version date every Word page is headed with."""
    identifier = spec.trial_field("sponsor_protocol_id")
    if identifier is not None:
        protocol_id = str(identifier.value.value)
    else:
        protocol_id = spec.trial.name if spec.trial is not None else ""
    version = spec.trial_field("version")
    when = version_date(spec)
    return RunningHead(
        protocol_id=protocol_id,
        version=str(version.value.value) if version is not None else "",
        date=when.isoformat() if when is not None else "",
    )


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
