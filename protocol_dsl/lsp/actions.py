"""Quick fixes: a diagnostic that carries its fix, applied in one click.

Today that is the "did you mean" of a diagnostic (a misspelt name, field,
visit, value, unit): the name in the diagnostic's range closest to the
suggestion is replaced by it.  Only a close match is ever suggested (see
`did_you_mean`), so the fix is offered as the preferred one.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from lsprotocol import types

from protocol_dsl.lsp.positions import line_index

_DOTTED = re.compile(r"[A-Za-z_%\[\]{}][A-Za-z0-9_%.\-/\[\]{}*^']*")


def fixes(uri: str, text: str, diagnostics: list[types.Diagnostic]) -> list[types.CodeAction]:
    lines = line_index(text)
    found: list[types.CodeAction] = []
    for diagnostic in diagnostics:
        data: Any = diagnostic.data
        if not isinstance(data, dict) or not isinstance(data.get("suggestion"), str):
            continue
        suggestion: str = data["suggestion"]
        start = lines.offset(diagnostic.range.start)
        end = lines.offset(diagnostic.range.end)
        target = _closest(text, start, end, suggestion)
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


def _closest(text: str, start: int, end: int, suggestion: str) -> tuple[int, int] | None:
    """The word or dotted name in `text[start:end]` most like `suggestion`."""
    best: tuple[float, int, int] | None = None
    for match in _DOTTED.finditer(text, start, max(end, start + 1)):
        whole = match.group().rstrip(".")
        candidates = [(whole, match.start())]
        if "." not in suggestion:  # a part of `form.item`: the item alone
            offset = match.start()
            for part in whole.split("."):
                candidates.append((part, offset))
                offset += len(part) + 1
        for word, at in candidates:
            ratio = difflib.SequenceMatcher(None, word, suggestion).ratio()
            if word != suggestion and (best is None or ratio > best[0]):
                best = (ratio, at, at + len(word))
    return (best[1], best[2]) if best is not None and best[0] >= 0.5 else None
