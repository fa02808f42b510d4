"""The protocol document artefact: protocol.html, protocol.md and protocol.docx.

`build(spec, out_dir)` builds the document model once (`content.py`) and
writes it in the three formats protocol writers and reviewers use.
"""

from __future__ import annotations

from pathlib import Path

from generators.documents import render_docx, render_html, render_markdown
from generators.documents.content import build_protocol
from protocol_dsl.spec import Spec

DOC_KIND = "Clinical trial protocol"


def build(spec: Spec, out_dir: Path) -> list[Path]:
    document = build_protocol(spec)
    out_dir = Path(out_dir)
    html = out_dir / "protocol.html"
    html.write_text(
        render_html.render(document, DOC_KIND, body_class="protocol", with_toc=True),
        encoding="utf-8",
        newline="\n",
    )
    markdown = out_dir / "protocol.md"
    markdown.write_text(
        render_markdown.render(document, DOC_KIND, with_toc=True), encoding="utf-8", newline="\n"
    )
    word = out_dir / "protocol.docx"
    word.write_bytes(
        render_docx.render(
            document, DOC_KIND, with_toc=True, author=sponsor(spec), when=version_date(spec)
        )
    )
    return [html, markdown, word]


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
