"""The compiler's diagnostics as the editor shows them.

One `Diagnostic` becomes one LSP diagnostic: the same code, severity, message
and primary range; its labels become related locations (in whatever file they
point to); its notes, "did you mean" and help follow the message, as
`protocol check` prints them beneath it; the code links to its page.  The
suggestion also travels in `data`, for the quick fix that applies it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.lsp.positions import LineIndex, span_offsets

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "note": types.DiagnosticSeverity.Information,
}

SOURCE = "protocol"


def default_docs() -> str | None:
    """The diagnostics pages beside the package (a source checkout), as a file URI."""
    folder = Path(__file__).resolve().parents[2] / "docs" / "diagnostics"
    return folder.as_uri() if folder.is_dir() else None


def to_lsp(
    diagnostics: Iterable[Diagnostic],
    path: str,
    sources: dict[str, str],
    lines: Callable[[str], LineIndex | None],
    docs: str | None,
) -> list[types.Diagnostic]:
    """The diagnostics of `path` (those whose primary span is in that file)."""
    own = lines(path)
    found: list[types.Diagnostic] = []
    for d in diagnostics:
        if d.span.file != path or own is None:
            continue
        start, end = span_offsets(d.span, own)
        related = []
        for label in d.labels:
            where = lines(label.span.file)
            if where is None:
                continue
            uri = from_fs_path(label.span.file) or label.span.file
            related.append(
                types.DiagnosticRelatedInformation(
                    location=types.Location(
                        uri=uri, range=where.range(*span_offsets(label.span, where))
                    ),
                    message=label.message,
                )
            )
        found.append(
            types.Diagnostic(
                range=own.range(start, end),
                message=_message(d),
                severity=_SEVERITY[d.severity],
                code=d.code,
                code_description=(
                    types.CodeDescription(href=f"{docs.rstrip('/')}/{d.code}.md") if docs else None
                ),
                source=SOURCE,
                related_information=related or None,
                data=_data(d, start, end, own),
            )
        )
    return found


def _data(d: Diagnostic, start: int, end: int, own: LineIndex) -> dict[str, object] | None:
    """What the quick fixes need: the suggestion, and the diagnostic's own fix (offsets in
    the file, as the check saw it)."""
    data: dict[str, object] = {}
    if d.suggestion:
        data.update(suggestion=d.suggestion, start=start, end=end)
    if d.fix is not None and d.fix.span.file == d.span.file:
        fix_start, fix_end = span_offsets(d.fix.span, own)
        data["fix"] = {
            "title": d.fix.title,
            "start": fix_start,
            "end": fix_end,
            "text": d.fix.replacement,
            "was": own.text[fix_start:fix_end],
        }
    return data or None


def _message(d: Diagnostic) -> str:
    lines = [d.message]
    lines += [f"note: {note}" for note in d.notes]
    if d.suggestion:
        lines.append(f"help: did you mean '{d.suggestion}'?")
    if d.help:
        lines.append(f"help: {d.help}")
    return "\n".join(lines)
