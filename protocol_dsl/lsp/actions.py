"""Quick fixes: a diagnostic that carries its fix, applied in one click.

Two kinds.  The "did you mean" of a diagnostic (a misspelt name, field,
visit, value, unit): the name in the diagnostic's range closest to the
suggestion is replaced by it.  Only a close match is ever suggested (see
`did_you_mean`), so the fix is offered as the preferred one.  And the fix a
check worked out itself (`Diagnostic.fix`, shown by `protocol check` as a help
line): the guard of an item read outside its condition (W0411), the unit of a
number the text states with one (W0413).  Its edit is applied only while the
text it replaces is still the text the check saw.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from protocol_dsl.diagnostics import closest_name
from protocol_dsl.lsp.positions import LineIndex, line_index


def fixes(uri: str, text: str, diagnostics: list[types.Diagnostic]) -> list[types.CodeAction]:
    lines = line_index(text)
    found: list[types.CodeAction] = []
    for diagnostic in diagnostics:
        data: Any = diagnostic.data
        if not isinstance(data, dict):
            continue
        own = _own_fix(uri, lines, diagnostic, data.get("fix"))
        if own is not None:
            found.append(own)
        if not isinstance(data.get("suggestion"), str):
            continue
        suggestion: str = data["suggestion"]
        start = lines.offset(diagnostic.range.start)
        end = lines.offset(diagnostic.range.end)
        target = closest_name(text, start, end, suggestion)
        if target is None:
            continue
        edit = types.TextEdit(range=lines.range(*target), new_text=suggestion)
        found.append(
            types.CodeAction(
                title=f"Replace '{text[target[0] : target[1]]}' with '{suggestion}'",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                is_preferred=True,
                edit=types.WorkspaceEdit(changes={uri: [edit]}),
            )
        )
    return found


def _own_fix(
    uri: str, lines: LineIndex, diagnostic: types.Diagnostic, fix: Any
) -> types.CodeAction | None:
    """The check's own fix, as an edit of the current text (none once that text moved)."""
    if not isinstance(fix, dict):
        return None
    start, end, text, title, was = (
        fix.get(key) for key in ("start", "end", "text", "title", "was")
    )
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
        return None
    if not (isinstance(text, str) and isinstance(title, str)) or lines.text[start:end] != was:
        return None
    edit = types.TextEdit(range=lines.range(start, end), new_text=text)
    return types.CodeAction(
        title=title[:1].upper() + title[1:],
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=True,
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
    )
