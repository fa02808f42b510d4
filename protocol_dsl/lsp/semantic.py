"""Semantic highlighting: each word coloured by what it names, not only by its spelling.

A TextMate grammar can tell a keyword from a name; only the compiler knows that
`SCR` is a visit, `positive` a code-list value and `sle.sledai_2k` a score in a
library.  Tokens come from the scanner (keywords, strings, numbers, comments,
codes) and the index (names, by the kind of their declaration).
"""

from __future__ import annotations

from lsprotocol import types

from protocol_dsl.lsp.index import Index
from protocol_dsl.lsp.positions import line_index
from protocol_dsl.lsp.tokens import scan
from protocol_dsl.syntax.keywords import keywords

TOKEN_TYPES = [
    "keyword",
    "string",
    "comment",
    "number",
    "macro",
    "class",
    "property",
    "enumMember",
    "event",
    "function",
    "type",
    "variable",
    "namespace",
]
TOKEN_MODIFIERS = ["declaration"]

LEGEND = types.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=TOKEN_MODIFIERS)

#: The kind of a declaration → the token type its names are shown as.
_BY_KIND = {
    "form": "class",
    "item": "property",
    "derive": "property",
    "group": "property",
    "value": "enumMember",
    "codelist": "type",
    "table": "type",
    "visit": "event",
    "anchor": "event",
    "epoch": "namespace",
    "define": "function",
    "score": "function",
    "conversion": "function",
    "criterion": "variable",
}

_TYPE = {name: number for number, name in enumerate(TOKEN_TYPES)}


def semantic_tokens(text: str, index: Index | None, path: str) -> list[int]:
    """The tokens of `text`, encoded as the protocol asks (relative positions, five numbers each)."""
    lines = line_index(text)
    words = keywords()
    named = {}
    if index is not None and index.sources.get(path) == text:
        named = {(o.start): o for o in index.occurrences.get(path, ())}
    data: list[int] = []
    last_line = last_column = 0
    for token in scan(text):
        modifiers = 0
        if token.kind == "word":
            occurrence = named.get(token.start)
            if occurrence is not None:
                kind = _BY_KIND.get(occurrence.key.kind, "variable")
                modifiers = 1 if occurrence.declaration else 0
            elif token.text in words:
                kind = "keyword"
            else:
                continue
        elif token.kind == "code":
            kind = "macro"
        elif token.kind == "punctuation":
            continue
        else:
            kind = token.kind
        # a token over several lines (a long string) is sent line by line
        start = token.start
        for piece in token.text.split("\n"):
            position = lines.position(start)
            length = lines.position(start + len(piece)).character - position.character
            if length > 0:
                delta_line = position.line - last_line
                delta_column = position.character - (last_column if delta_line == 0 else 0)
                data += [delta_line, delta_column, length, _TYPE[kind], modifiers]
                last_line, last_column = position.line, position.character
            start += len(piece) + 1
    return data
