"""Parse .trial text into the model, or into syntax diagnostics.

Lark's set-up stays inside this module: the LALR parser is built once per
process (and cached per user on disk), the syntax tree is turned into frozen
model classes by `protocol_dsl.syntax.builder`, and Lark's exceptions become
diagnostics with plain-word expectations.
All syntax errors of a file are reported, not only the first: when the whole
file does not parse, each top-level declaration is parsed on its own.

Only Lark's public API is used: `Lark.parse` builds the tree (with positions)
and the model builder is a `Transformer` over it.  Lark cannot apply a
transformer whose methods take the node's positions during the parse, and
every model node needs its span, so the tree is built and then transformed.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from functools import lru_cache
from typing import Any

import attrs
from lark import Lark, Token, Tree
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.syntax.builder import ModelBuilder, SyntaxProblem, _shown
from protocol_dsl.syntax.keywords import (
    KEYWORD_UNITS,
    declaration_keywords,
    grammar_source,
    keywords,
)
from protocol_dsl.user_cache import private_folder

#: Declaration keywords: a line starting with one of these at column 1 begins
#: a new top-level declaration (used to recover after a syntax error).
DECLARATION_KEYWORDS = list(declaration_keywords())


def grammar_text() -> str:
    text = grammar_source()
    words = sorted(keywords() - KEYWORD_UNITS, key=lambda k: (-len(k), k))
    return text.replace("__KEYWORDS__", "|".join(words))


def _cache_path(text: str) -> str | None:
    """A file in the per-user cache folder (never a shared temporary path: the cache is a
    pickle, so it is used only in a folder nobody else can write to)."""
    folder = private_folder()
    if folder is None:
        return None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return os.path.join(folder, f"grammar-{digest}.lark")


@attrs.frozen
class Comment:
    """A `# …` comment: the formatter puts it back where it was."""

    line: int
    column: int
    text: str
    start: int


# Comments seen by the lexer during the current parse (the parser is not re-entrant).
_comments: list[Token] = []


def _collect_comment(token: Token) -> Token:
    _comments.append(token)
    return token


@lru_cache(maxsize=1)
def lark_parser() -> Lark:
    """The parser of this process, loaded from the per-user cache folder when it can be."""
    return build_parser(_cache_path(grammar_text()))


def build_parser(cache: str | None) -> Lark:
    """The LALR parser of the grammar; with `cache`, Lark's own cache file of it (`cache=`).

    Lark keeps the analysed grammar and its parse table in that file, so a run
    after the first only loads them; without one it builds them from the grammar.
    """
    text = grammar_text()
    options: dict[str, Any] = {
        "parser": "lalr",
        "lexer": "contextual",
        "propagate_positions": True,
        "maybe_placeholders": False,
        "lexer_callbacks": {"COMMENT": _collect_comment},
    }
    if cache:
        try:
            return Lark(text, cache=cache, **options)
        except Exception:  # an unreadable or foreign cache file: rebuild without it
            pass
    return Lark(text, **options)


def strict_parser() -> Lark:
    """The grammar built with Lark's strict mode (conflicts and collisions are errors).

    Used by the test suite: strict checking needs `interegular` and costs time,
    so it is not paid on every `protocol check`.
    """
    return Lark(grammar_text(), parser="lalr", strict=True, propagate_positions=True)


# ---------------------------------------------------------------- entry points


def parse_module(source: str, path: str) -> tuple[m.Module | None, list[Diagnostic]]:
    """Parse one file.  Returns the module (None if it has syntax errors) and diagnostics."""
    module, diagnostics, _comments_found = parse_with_comments(source, path)
    return module, diagnostics


def parse_with_comments(
    source: str, path: str
) -> tuple[m.Module | None, list[Diagnostic], list[Comment]]:
    """Parse one file and also return its comments, in source order."""
    _comments.clear()
    module, diagnostics = _parse(source, path)
    comments = [
        Comment(t.line or 1, t.column or 1, str(t).rstrip(), t.start_pos or 0) for t in _comments
    ]
    _comments.clear()
    return module, diagnostics, comments


def _parse(source: str, path: str) -> tuple[m.Module | None, list[Diagnostic]]:
    if "\x00" in source:
        offset = source.index("\x00")
        return None, [_nul_diagnostic(source, path, offset)]
    parser = lark_parser()
    try:
        tree = parser.parse(source, on_error=_keyword_as_name)
    except UnexpectedInput:
        return None, _all_syntax_errors(parser, source, path)
    too_deep = _nesting_problem(tree, source, path)
    if too_deep is not None:
        return None, [too_deep]
    return _build(tree, source, path)


#: Deepest syntax tree accepted.  The model builder, the checks and the back
#: ends walk expressions recursively; a real rule is a few levels deep, and a
#: limit here turns a crash on machine-made input into a diagnostic.
MAX_NESTING = 100


def _nesting_problem(tree: Tree, source: str, path: str) -> Diagnostic | None:
    """E0010 at the first node nested deeper than `MAX_NESTING` (found without recursion)."""
    stack: list[tuple[Tree, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            meta = node.meta
            offset = 0 if getattr(meta, "empty", True) else meta.start_pos
            return Diagnostic(
                "E0010",
                "error",
                f"this rule is nested too deeply (more than {MAX_NESTING} operators inside "
                "one another)",
                _span_at(source, path, offset, 1),
                help="give parts of it a name with `define NAME = …` and combine the names",
            )
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))
    return None


def _build(tree: Tree, source: str, path: str) -> tuple[m.Module | None, list[Diagnostic]]:
    builder = ModelBuilder(path, source)
    try:
        module = builder.transform(tree)
    except VisitError as error:
        inner = error.orig_exc
        if isinstance(inner, SyntaxProblem):
            return None, [
                Diagnostic(inner.code, "error", inner.message, inner.span, help=inner.help)
            ]
        raise
    return module, []


def _all_syntax_errors(parser: Lark, source: str, path: str) -> list[Diagnostic]:
    """Report one syntax error per broken top-level declaration."""
    diagnostics: list[Diagnostic] = []
    for start, end in _declaration_bounds(source):
        # whether a declaration parses does not depend on the blank text before it (all
        # ignored): only a broken one is parsed again at its place, for the positions
        try:
            parser.parse(source[start:end], on_error=_keyword_as_name)
            continue
        except UnexpectedInput:
            pass
        chunk = _at_its_place(source, start, end)
        try:
            parser.parse(chunk, on_error=_keyword_as_name)
        except UnexpectedInput as error:
            diagnostics.append(syntax_diagnostic(error, source, path, start, len(chunk)))
    if not diagnostics:  # the chunks parse alone but not together; report the whole
        try:
            parser.parse(source, on_error=_keyword_as_name)
        except UnexpectedInput as error:
            diagnostics.append(syntax_diagnostic(error, source, path, 0))
    return diagnostics


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _keyword_as_name(error: UnexpectedInput) -> bool:
    """Read a keyword as a plain name where only a name fits (an item called `dose`).

    Keywords are contextual, but LALR shares parser states between contexts,
    so after some clauses the lexer still offers a keyword that only another
    context accepts.  When the parser then refuses it and a name would do,
    the word is fed again as a name; anything else stays a syntax error.
    """
    if not isinstance(error, UnexpectedToken):
        return False
    interactive = error.interactive_parser
    name = _name_instead(error.token, lambda terminal: terminal in interactive.accepts())
    if name is None:
        return False
    interactive.feed_token(name)
    return True


def _name_instead(token: Token, accepts: Any) -> Token | None:
    """The refused `token` as a NAME, if it is a word and the parser accepts a name here."""
    if token.type == "NAME" or not _WORD.fullmatch(str(token)) or not accepts("NAME"):
        return None
    return Token.new_borrow_pos("NAME", str(token), token)


def _declaration_bounds(source: str) -> list[tuple[int, int]]:
    """Where each top-level declaration starts and ends (blank ones left out)."""
    starts = [0]
    pattern = re.compile(r"^(?:" + "|".join(DECLARATION_KEYWORDS) + r")\b", re.MULTILINE)
    for match in pattern.finditer(source):
        if match.start():
            starts.append(match.start())
    starts.append(len(source))
    return [(begin, end) for begin, end in itertools.pairwise(starts) if source[begin:end].strip()]


def _at_its_place(source: str, begin: int, end: int) -> str:
    """The declaration `source[begin:end]` after blank text, so that positions in it are
    positions in the file: as many characters and line breaks as precede it, the last
    line break at the end (a declaration starts a line).

    Built by repetition, not by blanking the text before the declaration character by
    character, which made a spec of a thousand declarations with one syntax error take
    seconds."""
    lines = source.count("\n", 0, begin)
    return " " * (begin - lines) + "\n" * lines + source[begin:end]


# ---------------------------------------------------------------- syntax errors in plain words

_TERMINAL_WORDS = {
    "NAME": "a name",
    "STRING": 'a quoted text ("…")',
    "NUMBER": "a number",
    "QUANTITY": "a number with a unit (e.g. 40 mg/d)",
    "QUOTED_UNIT": "a quoted unit (e.g. '10*9/L')",
    "UNIT_WORD": "a unit (e.g. g/L)",
    "DATE": "a date (YYYY-MM-DD)",
    "TITER": "a titer (e.g. 1:80)",
    "CODE": "a code value",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "COMMA": "','",
    "COLON": "':'",
    "DOT": "'.'",
    "EQUAL": "'='",
    "MORETHAN": "'>'",
    "LESSTHAN": "'<'",
    "PLUS": "'+'",
    "MINUS": "'-'",
    "STAR": "'*'",
    "SLASH": "'/'",
    "$END": "the end of the file",
}


def _describe_terminal(name: str, parser: Lark) -> str:
    if name in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[name]
    try:
        pattern = parser.get_terminal(name).pattern
    except KeyError:
        return name.lower()
    if pattern.type == "str":
        return f"'{pattern.value}'"
    return name.lower().replace("_", " ")


def _expected_words(expected: set[str] | frozenset[str], parser: Lark) -> list[str]:
    words = sorted({_describe_terminal(n, parser) for n in expected})
    # keywords first, then kinds of token: easier to read
    return sorted(words, key=lambda w: (not w.startswith("'"), w))


def _join_or(words: list[str]) -> str:
    if len(words) > 12:
        words = [*words[:12], "…"]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _position(source: str, offset: int) -> tuple[int, int]:
    line = source.count("\n", 0, offset) + 1
    column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _span_at(source: str, path: str, offset: int, length: int) -> m.Span:
    line, column = _position(source, offset)
    end_line, end_column = _position(source, offset + max(length, 1))
    if end_line != line:
        end_line, end_column = line, column + 1
    return m.Span(path, line, column, end_line, end_column, offset, offset + max(length, 1))


def _nul_diagnostic(source: str, path: str, offset: int) -> Diagnostic:
    return Diagnostic(
        "E0003",
        "error",
        "this file contains a NUL byte; it is not a text file",
        _span_at(source, path, offset, 1),
        help="a .trial file must be plain UTF-8 text",
    )


def syntax_diagnostic(
    error: UnexpectedInput, source: str, path: str, base: int, end: int | None = None
) -> Diagnostic:
    """The diagnostic of a parse error; `end` is where the declaration parsed alone stops."""
    parser = lark_parser()
    if isinstance(error, UnexpectedCharacters):
        offset = error.pos_in_stream or 0
        char = source[offset] if offset < len(source) else ""
        message = f"unexpected character {char!r}"
        help_text = _character_help(char)
        return Diagnostic(
            "E0001", "error", message, _span_at(source, path, offset, 1), help=help_text
        )
    if isinstance(error, UnexpectedEOF):
        offset = len(source.rstrip())
        expected_text = _join_or(_expected_words(set(error.expected), parser))
        if end is not None and end < len(source):
            return _unfinished(source, path, end, expected_text)
        return Diagnostic(
            "E0002",
            "error",
            "the file ends in the middle of a declaration",
            _span_at(source, path, max(offset - 1, 0), 1),
            help=f"expected {expected_text}; is a closing '}}' or a quote missing?",
        )
    assert isinstance(error, UnexpectedToken)
    token = error.token
    expected = _expected_words(error.accepts or error.expected, parser)
    if token.type == "$END":
        offset = len(source.rstrip())
        if end is not None and end < len(source):
            return _unfinished(source, path, end, _join_or(expected))
        return Diagnostic(
            "E0002",
            "error",
            "the file ends in the middle of a declaration",
            _span_at(source, path, max(offset - 1, 0), 1),
            help=f"expected {_join_or(expected)}; is a closing '}}' missing?",
        )
    offset = token.start_pos if token.start_pos is not None else 0
    shown = str(token)
    what = f"'{shown}'" if len(shown) <= 40 else f"'{shown[:37]}…'"
    help_text = f"expected {_join_or(expected)}"
    hint = _token_hint(token, error) or _mark_word_hint(source, offset, error)
    if hint:
        help_text += f"; {hint}"
    marks_last = _marks_last_hint(source, offset, token)
    if marks_last and not hint:
        # the list of what may follow a finished declaration is no help here
        help_text = marks_last
    return Diagnostic(
        "E0001",
        "error",
        f"unexpected {what}",
        _span_at(source, path, offset, len(shown)),
        help=help_text,
    )


def _unfinished(source: str, path: str, end: int, expected: str) -> Diagnostic:
    """A declaration cut short where the next one starts (not at the end of the file)."""
    word = re.match(r"\w+", source[end:])
    shown = word[0] if word else source[end : end + 1]
    return Diagnostic(
        "E0001",
        "error",
        f"unexpected '{_shown(shown)}'",
        _span_at(source, path, end, len(shown)),
        help=f"the declaration before it is not finished: expected {expected}",
    )


def _character_help(char: str) -> str:
    if char == '"':
        return "a quoted text is not closed: add the closing '\"'"
    if char == "'":
        return "a quoted unit is not closed, or contains a line break"
    if char in "“”‘’":
        return 'use straight quotes (") rather than typographic quotes'
    if char in "≤≥≠":
        return "write comparisons as <=, >= or !="
    return "this character is not part of the language; remove it or put it inside quotes"


def _token_hint(token: Token, error: UnexpectedToken) -> str | None:
    if token.type == "QUANTITY":
        word = re.sub(r"^[\d.eE+-]+\s*", "", str(token))
        return (
            f"'{word}' is read as the unit of the number before it; "
            "if it is not a unit, start it on a new line"
        )
    if token.type in {"STRING"} and "NAME" in (error.accepts or error.expected):
        return "a name is written without quotes"
    return None


_MARK_WORDS = ("note", "question", "source", "rationale", "allow")

# A mark at the end of the text before a refused clause: `provisional`, `note "…"`, ….
_MARK_BEFORE = re.compile(
    r'(?:^|\s)(provisional|(?:note|question|source|rationale|allow\s+\w+)\s+"(?:[^"\\]|\\.)*")\s*\Z',
    re.DOTALL,
)


def _marks_last_hint(source: str, offset: int, token: Token) -> str | None:
    """`provisional when …`: a clause after a mark, where marks end a declaration."""
    clause = str(token)
    if clause != "=" and clause not in keywords():
        return None
    mark = _MARK_BEFORE.search(source, 0, offset)
    if mark is None:
        return None
    word = mark[1].split(None, 1)[0]
    return f"marks come last: write `{clause} …` before `{word}`"


def _mark_word_hint(source: str, offset: int, error: UnexpectedToken) -> str | None:
    """`note text "…"`: an item named like a mark is read as a mark of the line above."""
    previous = re.search(r"([A-Za-z_]+)\s*$", source[:offset])
    if previous and previous[1] in _MARK_WORDS and "STRING" in (error.accepts or error.expected):
        word = previous[1]
        return (
            f"'{word}' is read as a {word} on the declaration before it, so it cannot name "
            "an item here; choose another name"
        )
    return None
