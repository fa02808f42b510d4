"""The page `protocol preview` shows: the protocol document of a spec, or why there is none.

The document is the one `protocol build` writes (`generators.documents`: the same
content and the same HTML renderer), generated in memory.  A spec that does not
check gets a page listing its errors, as `protocol check` prints them, so the
preview never goes blank or stops while the writer is half-way through an edit.
Spec text stays inert: the renderer escapes it, and so does the error page.

The live part (reloading after a save, scrolling to the cursor's declaration) is
one script tag added before `</body>`; the generated artefact itself needs no
script and is unchanged.
"""

from __future__ import annotations

import html
from pathlib import Path

import attrs

from protocol_dsl.spec import Spec


@attrs.frozen
class Preview:
    """One generation of the page, and what it was made from."""

    page: str
    #: The checked spec (to find the declaration at a line); None when it does not check.
    spec: Spec | None
    #: The anchors of the page, in document order.
    anchors: tuple[str, ...]
    #: The files read: the spec and every library it uses (what the preview watches).
    files: tuple[str, ...]


#: The script the server serves beside the page.
SCRIPT = Path(__file__).with_name("preview.js")


def build_preview(path: str) -> Preview:
    """The preview of the spec at `path`: its protocol document, or its errors."""
    from protocol_dsl.compiler import compile_spec
    from protocol_dsl.diagnostics import has_errors, render_text

    result = compile_spec(path)
    files = tuple(dict.fromkeys([path, *result.sources]))
    if result.spec is None or has_errors(result.diagnostics):
        errors = [d for d in result.diagnostics if d.severity == "error"]
        text = render_text(errors, result.sources, colour=False)
        return Preview(_problem_page(path, "does not check yet", text), None, (), files)
    try:
        page = _document(result.spec)
    except Exception as error:  # a generator failing on a checked spec: a bug, said so
        text = (
            f"error[E0999]: internal error while generating the protocol document: "
            f"{type(error).__name__}: {error}\n"
            "  = note: this is a bug in protocol-dsl, not in the spec\n"
            "  = help: please report it with the spec and this message\n"
        )
        return Preview(_problem_page(path, "could not be shown", text), None, (), files)
    from generators.documents.locate import page_anchors

    return Preview(page, result.spec, tuple(page_anchors(page)), files)


def _document(spec: Spec) -> str:
    """The protocol document's HTML, exactly as `protocol build` writes protocol.html."""
    from generators.documents import render_html
    from generators.documents.content import build_protocol
    from generators.documents.protocol import DOC_KIND, paper

    document = build_protocol(spec)
    return render_html.render(
        document, DOC_KIND, body_class="protocol", with_toc=True, paper=paper(spec)
    )


def _problem_page(path: str, what: str, text: str) -> str:
    title = html.escape(f"{Path(path).name} {what}")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        "<style>\n"
        "body { font-family: 'Noto Sans', 'DejaVu Sans', sans-serif; margin: 2rem; }\n"
        "pre { font-family: 'DejaVu Sans Mono', monospace; white-space: pre-wrap; "
        "background: #fbf3f2; border-left: 4px solid #b3261e; padding: 1rem; }\n"
        "</style>\n</head>\n"
        '<body class="preview-problems">\n'
        f"<h1>{title}</h1>\n"
        "<p>The protocol document appears here again as soon as the spec checks. "
        "The page follows every save.</p>\n"
        f'<pre class="diagnostics">{html.escape(text)}</pre>\n'
        "</body>\n</html>\n"
    )


def with_live_script(page: str, version: int, target: str | None) -> str:
    """The page with the preview's script: it reloads on a new `version` and scrolls to
    the anchor `target` (the section of the declaration under the writer's cursor)."""
    attributes = f' data-version="{version}"'
    if target is not None:
        attributes += f' data-target="{html.escape(target, quote=True)}"'
    tag = f'<script src="/preview.js"{attributes}></script>\n'
    at = page.rfind("</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag
