"""Parse .trial text into the model, or into syntax diagnostics.

Lark stays inside this module: the LALR parser is built once per process (and
cached per user on disk), the syntax tree is turned into frozen model classes
here, and Lark's exceptions become diagnostics with plain-word expectations.
All syntax errors of a file are reported, not only the first: when the whole
file does not parse, each top-level declaration is parsed on its own.

A file is first parsed in one pass by `protocol_dsl.lalr.Driver`, which runs
Lark's tables and calls the model builder at each reduction (no tree); any
problem sends the file down the usual path (Lark's parse, then the builder
as a `Transformer`), so diagnostics are always that path's.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import itertools
import os
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import attrs
from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)
from lark.visitors import _vargs_meta

from protocol_dsl import model as m
from protocol_dsl import printer
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.keywords import GRAMMAR_PATH, declaration_keywords, keywords
from protocol_dsl.lalr import Driver, Fallback, Handler
from protocol_dsl.lexer import FastContextualLexer
from protocol_dsl.parse_table import parser_class
from protocol_dsl.user_cache import private_folder

#: Declaration keywords: a line starting with one of these at column 1 begins
#: a new top-level declaration (used to recover after a syntax error).
DECLARATION_KEYWORDS = list(declaration_keywords())


class SyntaxProblem(Exception):
    """A problem found while building the model that is a user error."""

    def __init__(self, code: str, message: str, span: m.Span, help: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.span = span
        self.help = help


#: Units that are also keywords, read as units all the same right after a number on
#: its line ("1 day" as "7 days", "5 min"); a keyword on the next line is a keyword.
KEYWORD_UNITS = frozenset({"day", "min"})


def grammar_text() -> str:
    text = GRAMMAR_PATH.read_text(encoding="utf-8")
    words = sorted(keywords() - KEYWORD_UNITS, key=lambda k: (-len(k), k))
    return text.replace("__KEYWORDS__", "|".join(words))


@lru_cache(maxsize=1)
def unit_word() -> re.Pattern[str]:
    """The grammar's pattern of a unit written without quotes (its UNIT_WORD terminal)."""
    found = re.search(r"^UNIT_WORD: /(.*)/$", GRAMMAR_PATH.read_text(encoding="utf-8"), re.M)
    assert found, "the grammar defines UNIT_WORD"
    return re.compile(found[1])


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
    text = grammar_text()
    cache = _cache_path(text)
    options: dict[str, Any] = {
        "parser": "lalr",
        "lexer": "contextual",
        "propagate_positions": True,
        "maybe_placeholders": False,
        "lexer_callbacks": {"COMMENT": _collect_comment},
        "_plugins": {
            "ContextualLexer": FastContextualLexer,
            "LALR_Parser": parser_class(cache + ".table" if cache else None),
        },
    }
    if cache:
        try:
            return Lark(text, cache=cache, **options)
        except Exception:  # an unreadable or foreign cache file: rebuild without it
            pass
    options["_plugins"]["LALR_Parser"] = parser_class(None)
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
    module = _fast_parse(source, path)
    if module is not None:
        return module, []
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
    for start, chunk in _declaration_chunks(source):
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


# ---------------------------------------------------------------- the one-pass path


@lru_cache(maxsize=1)
def _driver() -> Driver | None:
    """The lean driver over Lark's tables, or None if this grammar needs Lark's own."""
    try:
        driver = Driver(lark_parser())
    except ValueError:
        return None
    return driver if _builder_methods(driver.names) is not None else None


@lru_cache(maxsize=1)
def _builder_methods(names: frozenset[str]) -> dict[str, bool] | None:
    """For each node name, whether its `ModelBuilder` method takes the positions.

    None if a node has no method or a kind of `v_args` other than `meta=True`:
    the `Transformer` then does what only it does, so it builds every file.
    """
    takes_meta: dict[str, bool] = {}
    for name in names:
        method = getattr(ModelBuilder, name, None)
        if not callable(method):
            return None
        wrapper = getattr(method, "visit_wrapper", None)
        if wrapper is not None and wrapper is not _vargs_meta:
            return None
        takes_meta[name] = wrapper is not None
    return takes_meta


def _handlers(builder: ModelBuilder, takes_meta: dict[str, bool]) -> dict[str, Handler]:
    """The builder's methods as the driver calls them, as the `Transformer` would."""
    handlers: dict[str, Handler] = {}
    for name, meta in takes_meta.items():
        method = getattr(builder, name)
        if meta:
            handlers[name] = method.base_func
        else:
            handlers[name] = lambda _positions, children, method=method: method(children)
    return handlers


def _fast_parse(source: str, path: str) -> m.Module | None:
    """The module of a file that parses and builds without a problem, in one pass.

    None when the file needs the usual path: a syntax error, a problem the
    model builder reports, or nesting past `MAX_NESTING`.  That path then
    gives exactly its usual diagnostics; the comments seen here are dropped.
    """
    driver = _driver()
    if driver is None:
        return None
    takes_meta = _builder_methods(driver.names)
    assert takes_meta is not None
    seen = len(_comments)
    handlers = _handlers(ModelBuilder(path, source), takes_meta)
    try:
        module, _height = driver.parse(source, handlers, _name_instead, MAX_NESTING)
    except Fallback:
        del _comments[seen:]
        return None
    assert isinstance(module, m.Module)
    return module


def _declaration_chunks(source: str) -> list[tuple[int, str]]:
    starts = [0]
    pattern = re.compile(r"^(?:" + "|".join(DECLARATION_KEYWORDS) + r")\b", re.MULTILINE)
    for match in pattern.finditer(source):
        if match.start() and match.start() not in starts:
            starts.append(match.start())
    starts.append(len(source))
    chunks = []
    for begin, end in itertools.pairwise(starts):
        # pad with blank text so positions in the chunk are positions in the file
        chunk = _blank_prefix(source[:begin]) + source[begin:end]
        if source[begin:end].strip():
            chunks.append((begin, chunk))
    return chunks


def _blank_prefix(prefix: str) -> str:
    return re.sub(r"[^\n]", " ", prefix)


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
        expected = _join_or(_expected_words(set(error.expected), parser))
        if end is not None and end < len(source):
            return _unfinished(source, path, end, expected)
        return Diagnostic(
            "E0002",
            "error",
            "the file ends in the middle of a declaration",
            _span_at(source, path, max(offset - 1, 0), 1),
            help=f"expected {expected}; is a closing '}}' or a quote missing?",
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


_MARK_WORDS = ("note", "question", "source", "rationale")

# A mark at the end of the text before a refused clause: `provisional`, `note "…"`, ….
_MARK_BEFORE = re.compile(
    r'(?:^|\s)(provisional|(?:note|question|source|rationale)\s+"(?:[^"\\]|\\.)*")\s*\Z', re.DOTALL
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


# ---------------------------------------------------------------- tree → model


def _text(token: Token) -> str:
    return str(token)


# `\u{HEX}` is a code point; any other backslash stands for the character after it.
_ESCAPE = re.compile(r"\\(?:u\{([0-9A-Fa-f]{1,6})\}|(.))", re.DOTALL)
_NAMED_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}


def _unescape(match: re.Match[str]) -> str:
    if match[1] is not None:
        code = int(match[1], 16)
        # beyond Unicode: the text as written, as for any escape the lexer does not know
        return chr(code) if code <= 0x10FFFF else f"u{{{match[1]}}}"
    return _NAMED_ESCAPES.get(match[2], match[2])


def unquote(token: str) -> str:
    """The text of a string literal (the inverse of `printer.quote`).

    Escapes: `\\n` line break, `\\t` tab, `\\r` carriage return, `\\u{HEX}` the
    character with that code point; a backslash before any other character
    (`\\"`, `\\\\`) stands for that character.
    """
    return _ESCAPE.sub(_unescape, token[1:-1])


def _shown(text: str) -> str:
    """Source text quoted in a message, cut short if it is very long."""
    return text if len(text) <= 40 else text[:37] + "…"


def _decimal(text: str, span: m.Span) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise SyntaxProblem("E0004", f"'{_shown(text)}' is not a number", span) from error
    if not value.is_finite() or abs(value.adjusted()) > 30:
        raise SyntaxProblem(
            "E0004",
            f"the number {_shown(text)} is too large or too small",
            span,
            help="numbers in a protocol stay between 1e-30 and 1e30",
        )
    if "e" in text or "E" in text:
        # 1e3 is the number 1000, whatever the spelling (a value, not 1E+3)
        value = Decimal(format(value, "f"))
    return value


# The unit starts as the QUANTITY token's unit does, so that both split "1e40" alike.
_QUANTITY = re.compile(r"^(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)[ \t]*([A-Za-z%\[{].*)$")


class ModelBuilder(Transformer):
    """Turns the Lark tree into model nodes, with a span on every node."""

    def __init__(self, path: str, source: str):
        super().__init__(visit_tokens=False)
        self.path = path
        self.source = source
        # Lark wraps a `v_args` method anew on every attribute access, that is for
        # every tree node; binding each once here keeps that cost per file.
        for name, method in vars(type(self)).items():
            if hasattr(method, "visit_wrapper") and hasattr(method, "base_func"):
                setattr(self, name, getattr(self, name))

    # -- spans

    def span(self, meta: Any) -> m.Span:
        if getattr(meta, "empty", True):
            return m.Span.unknown(self.path)
        return m.Span(
            self.path,
            meta.line,
            meta.column,
            meta.end_line,
            meta.end_column,
            meta.start_pos,
            meta.end_pos,
        )

    def tspan(self, token: Token) -> m.Span:
        return m.Span(
            self.path,
            token.line or 1,
            token.column or 1,
            token.end_line or token.line or 1,
            token.end_column or token.column or 1,
            token.start_pos or 0,
            token.end_pos or 0,
        )

    # -- helpers to split children by kind

    @staticmethod
    def _marks(children: list[Any]) -> m.Marks:
        return tuple(c for c in children if isinstance(c, m.Mark))

    @staticmethod
    def _codes(children: list[Any]) -> tuple[m.Code, ...]:
        return tuple(c for c in children if isinstance(c, m.Code))

    @staticmethod
    def _strings(children: list[Any]) -> list[str]:
        return [unquote(c) for c in children if isinstance(c, Token) and c.type == "STRING"]

    @staticmethod
    def _names(children: list[Any]) -> list[str]:
        return [str(c) for c in children if isinstance(c, Token) and c.type == "NAME"]

    def _quantity(self, token: Token) -> m.Quantity:
        match = _QUANTITY.match(str(token))
        assert match, token
        return m.Quantity(_decimal(match[1], self.tspan(token)), match[2].strip())

    # -- module

    @v_args(meta=True)
    def start(self, meta: Any, children: list[Any]) -> m.Module:
        return m.Module(self.path, tuple(children), span=self.span(meta))

    # -- shared

    @v_args(meta=True)
    def provisional_mark(self, meta: Any, children: list[Any]) -> m.Mark:
        return m.Mark("provisional", "", span=self.span(meta))

    def _mark(self, kind: m.MarkKind, meta: Any, children: list[Any]) -> m.Mark:
        return m.Mark(kind, unquote(children[0]), span=self.span(meta))

    @v_args(meta=True)
    def note_mark(self, meta: Any, children: list[Any]) -> m.Mark:
        return self._mark("note", meta, children)

    @v_args(meta=True)
    def question_mark(self, meta: Any, children: list[Any]) -> m.Mark:
        return self._mark("question", meta, children)

    @v_args(meta=True)
    def source_mark(self, meta: Any, children: list[Any]) -> m.Mark:
        return self._mark("source", meta, children)

    @v_args(meta=True)
    def rationale_mark(self, meta: Any, children: list[Any]) -> m.Mark:
        return self._mark("rationale", meta, children)

    @v_args(meta=True)
    def code(self, meta: Any, children: list[Any]) -> m.Code:
        return m.Code(str(children[0]), str(children[1]), span=self.span(meta))

    def name_list(self, children: list[Any]) -> tuple[str, ...]:
        return tuple(str(c) for c in children)

    @v_args(meta=True)
    def dotted(self, meta: Any, children: list[Any]) -> m.Ref:
        return m.Ref(tuple(str(c) for c in children), span=self.span(meta))

    def unsigned(self, children: list[Any]) -> tuple[Decimal, m.Span]:
        return _decimal(str(children[0]), self.tspan(children[0])), self.tspan(children[0])

    def negative(self, children: list[Any]) -> tuple[Decimal, m.Span]:
        return -_decimal(str(children[0]), self.tspan(children[0])), self.tspan(children[0])

    positive = unsigned

    @v_args(meta=True)
    def quantity(self, meta: Any, children: list[Any]) -> m.QuantityLit:
        if len(children) == 1:
            q = self._quantity(children[0])
        else:
            q = m.Quantity(
                _decimal(str(children[0]), self.tspan(children[0])), str(children[1])[1:-1]
            )
        return m.QuantityLit(q, span=self.span(meta))

    def _value(self, child: Any) -> m.Value:
        if isinstance(child, m.QuantityLit):
            # as written, but one space however it was spaced: layout is not meaning
            # (inside a quoted unit the spaces are the unit's own)
            number, quote_mark, unit = self.source[child.span.start : child.span.end].partition("'")
            text = " ".join(number.split())
            text = f"{text} '{unit}" if quote_mark else text
            return m.Value("quantity", child.quantity, text, span=child.span)
        if isinstance(child, tuple):  # signed number
            value, span = child
            return m.Value("number", value, m.format_decimal(value), span=span)
        assert isinstance(child, Token)
        span = self.tspan(child)
        if child.type == "STRING":
            # the one canonical spelling: how an escape was written is not meaning
            value = unquote(child)
            return m.Value("string", value, printer.quote(value), span=span)
        if child.type == "DATE":
            return m.Value("date", self._date(child), str(child), span=span)
        if child.type == "TITER":
            return m.Value("titer", self._titer(child), str(child), span=span)
        return m.Value("name", str(child), str(child), span=span)

    def field_key(self, children: list[Any]) -> Token:
        return children[0]

    @v_args(meta=True)
    def field(self, meta: Any, children: list[Any]) -> m.Field:
        key = str(children[0])
        values = tuple(self._value(c) for c in children[1:] if not isinstance(c, (m.Code, m.Mark)))
        return m.Field(
            key, values, self._codes(children), self._marks(children), span=self.span(meta)
        )

    def _date(self, token: Token) -> _dt.date:
        try:
            return _dt.date.fromisoformat(str(token))
        except ValueError as error:
            raise SyntaxProblem(
                "E0005",
                f"'{token}' is not a calendar date",
                self.tspan(token),
                help="write dates as YYYY-MM-DD with a real month and day",
            ) from error

    def _titer(self, token: Token) -> int:
        numerator, denominator = str(token).split(":")
        # a denominator past 30 digits is no dilution (and too long for int())
        if numerator != "1" or len(denominator) > 30 or int(denominator) == 0:
            raise SyntaxProblem(
                "E0006",
                f"'{_shown(str(token))}' is not a titer",
                self.tspan(token),
                help="write titers as 1:N, e.g. 1:80",
            )
        return int(denominator)

    # -- header

    @v_args(meta=True)
    def trial_decl(self, meta: Any, children: list[Any]) -> m.Trial:
        return m.Trial(str(children[0]), tuple(children[1:]), span=self.span(meta))

    @v_args(meta=True)
    def use_decl(self, meta: Any, children: list[Any]) -> m.Use:
        return m.Use(unquote(children[0]), str(children[1]), span=self.span(meta))

    # -- terminology

    @v_args(meta=True)
    def codelist_entry(self, meta: Any, children: list[Any]) -> m.CodeListEntry:
        strings = self._strings(children)
        return m.CodeListEntry(
            str(children[0]),
            strings[0] if strings else None,
            self._codes(children),
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def codelist_decl(self, meta: Any, children: list[Any]) -> m.CodeList:
        strings = self._strings(children)
        return m.CodeList(
            str(children[0]),
            strings[0] if strings else None,
            tuple(c for c in children if isinstance(c, m.CodeListEntry)),
            self._codes(children),
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def table_version(self, meta: Any, children: list[Any]) -> tuple[str, str]:
        return ("version", unquote(children[0]))

    @v_args(meta=True)
    def table_keys(self, meta: Any, children: list[Any]) -> tuple[str, m.Ref]:
        return ("keys", children[0])

    @v_args(meta=True)
    def table_row(self, meta: Any, children: list[Any]) -> m.TableRow:
        return m.TableRow(
            str(children[0]),
            self._value(children[1]),
            self._marks(children[2:]),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def table_decl(self, meta: Any, children: list[Any]) -> m.Table:
        name = str(children[0])
        label = None
        version = None
        keys = None
        rows = []
        marks = []
        for child in children[1:]:
            if isinstance(child, Token) and child.type == "STRING":
                label = unquote(child)
            elif isinstance(child, m.Mark):
                marks.append(child)
            elif isinstance(child, m.TableRow):
                rows.append(child)
            elif isinstance(child, tuple) and child[0] == "version":
                version = child[1]
            elif isinstance(child, tuple) and child[0] == "keys":
                keys = child[1]
        return m.Table(name, label, tuple(rows), version, keys, tuple(marks), span=self.span(meta))

    # -- data dictionary

    @v_args(meta=True)
    def number_type(self, meta: Any, children: list[Any]) -> m.ItemType:
        return m.ItemType("number", span=self.span(meta))

    @v_args(meta=True)
    def integer_type(self, meta: Any, children: list[Any]) -> m.ItemType:
        return m.ItemType("integer", span=self.span(meta))

    @v_args(meta=True)
    def quantity_type(self, meta: Any, children: list[Any]) -> m.ItemType:
        return m.ItemType("quantity", unit=children[0], span=self.span(meta))

    def unit(self, children: list[Any]) -> str:
        text = str(children[0])
        return text[1:-1] if text.startswith("'") else text

    @v_args(meta=True)
    def date_type(self, meta: Any, children: list[Any]) -> m.ItemType:
        return m.ItemType("date", span=self.span(meta))

    @v_args(meta=True)
    def datetime_type(self, meta: Any, children: list[Any]) -> m.ItemType:
        return m.ItemType("datetime", span=self.span(meta))

    @v_args(meta=True)
    def yes_no_type(self, meta: Any, children: list[Any]) -> m.ItemType:
        return m.ItemType("yes_no", span=self.span(meta))

    @v_args(meta=True)
    def choice_type(self, meta: Any, children: list[Any]) -> m.ItemType:
        return m.ItemType("choice", codelist=children[0], span=self.span(meta))

    @v_args(meta=True)
    def titer_type(self, meta: Any, children: list[Any]) -> m.ItemType:
        return m.ItemType("titer", span=self.span(meta))

    @v_args(meta=True)
    def text_type(self, meta: Any, children: list[Any]) -> m.ItemType:
        return m.ItemType("text", span=self.span(meta))

    def _bound(self, child: Any) -> Decimal | m.Quantity:
        if isinstance(child, m.QuantityLit):
            return child.quantity
        return child[0]

    @v_args(meta=True)
    def item_range(self, meta: Any, children: list[Any]) -> m.Range:
        return m.Range(self._bound(children[0]), self._bound(children[1]), span=self.span(meta))

    def item_required(self, children: list[Any]) -> tuple[str, bool]:
        return ("required", True)

    def item_for_reporting(self, children: list[Any]) -> tuple[str, bool]:
        return ("for_reporting", True)

    def item_when(self, children: list[Any]) -> tuple[str, Any]:
        return ("when", children[0])

    def item_at(self, children: list[Any]) -> tuple[str, Any]:
        return ("visits", children[0])

    @v_args(meta=True)
    def item_decl(self, meta: Any, children: list[Any]) -> m.Item:
        name = str(children[0])
        item_type = children[1]
        label = None
        options: dict[str, Any] = {}
        for child in children[2:]:
            if isinstance(child, Token) and child.type == "STRING":
                label = unquote(child)
            elif isinstance(child, m.Range):
                options["range"] = child
            elif isinstance(child, tuple):
                options[child[0]] = child[1]
        return m.Item(
            name,
            item_type,
            label,
            options.get("range"),
            options.get("required", False),
            options.get("when"),
            options.get("visits"),
            options.get("for_reporting", False),
            None,
            self._codes(children),
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def item_group(self, meta: Any, children: list[Any]) -> tuple[m.ItemGroup, list[m.Item]]:
        strings = self._strings(children[1:2])
        group = m.ItemGroup(str(children[0]), strings[0] if strings else None, span=self.span(meta))
        items = [attrs.evolve(i, group=group.name) for i in children if isinstance(i, m.Item)]
        return group, items

    @v_args(meta=True)
    def derive_decl(self, meta: Any, children: list[Any]) -> m.Derive:
        strings = self._strings(children[1:2])
        expr = next(c for c in children[1:] if _is_expr(c))
        return m.Derive(
            str(children[0]),
            strings[0] if strings else None,
            expr,
            self._marks(children),
            span=self.span(meta),
        )

    def repeating(self, children: list[Any]) -> tuple[str, bool]:
        return ("repeating", True)

    def collected_at(self, children: list[Any]) -> tuple[str, Any]:
        return ("visits", children[0])

    def none_recorded_by(self, children: list[Any]) -> tuple[str, Any]:
        return ("none_recorded_by", children[0])

    @v_args(meta=True)
    def form_decl(self, meta: Any, children: list[Any]) -> m.Form:
        name = str(children[0])
        label = None
        items: list[m.Item] = []
        groups: list[m.ItemGroup] = []
        derives: list[m.Derive] = []
        options: dict[str, Any] = {}
        for child in children[1:]:
            if isinstance(child, Token) and child.type == "STRING":
                label = unquote(child)
            elif isinstance(child, m.Item):
                items.append(child)
            elif isinstance(child, m.Derive):
                derives.append(child)
            elif isinstance(child, tuple) and isinstance(child[0], m.ItemGroup):
                groups.append(child[0])
                items.extend(child[1])
            elif isinstance(child, tuple):
                options[child[0]] = child[1]
        return m.Form(
            name,
            label,
            tuple(items),
            options.get("repeating", False),
            options.get("visits", ()),
            tuple(groups),
            tuple(derives),
            self._codes(children),
            self._marks(children),
            span=self.span(meta),
            none_recorded_by=options.get("none_recorded_by"),
        )

    @v_args(meta=True)
    def collect_decl(self, meta: Any, children: list[Any]) -> m.Collect:
        return m.Collect(children[0], children[1], self._marks(children), span=self.span(meta))

    # -- definitions and scores

    @v_args(meta=True)
    def define_decl(self, meta: Any, children: list[Any]) -> m.Define:
        strings = self._strings(children[1:2])
        expr = next(c for c in children[1:] if _is_expr(c))
        return m.Define(
            str(children[0]),
            strings[0] if strings else None,
            expr,
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def conversion_decl(self, meta: Any, children: list[Any]) -> m.Conversion:
        strings = self._strings(children[1:2])
        source, target = (
            c for c in children[1:] if isinstance(c, str) and not isinstance(c, Token)
        )
        return m.Conversion(
            str(children[0]),
            strings[0] if strings else None,
            source,
            target,
            next(c for c in children[1:] if _is_expr(c)),
            self._codes(children),
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def score_item(self, meta: Any, children: list[Any]) -> m.ScoreItem:
        strings = self._strings(children[2:3])
        expr = next((c for c in children[2:] if _is_expr(c)), None)
        return m.ScoreItem(
            str(children[0]),
            _decimal(str(children[1]), self.tspan(children[1])),
            strings[0] if strings else None,
            expr,
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def score_domain(self, meta: Any, children: list[Any]) -> m.ScoreDomain:
        name = str(children[0])
        label = None
        tags = []
        items = []
        for child in children[1:]:
            if isinstance(child, Token) and child.type == "STRING":
                label = unquote(child)
            elif isinstance(child, Token) and child.type == "NAME":
                tags.append(str(child))
            elif isinstance(child, m.ScoreItem):
                items.append(child)
        return m.ScoreDomain(name, label, tuple(tags), tuple(items), span=self.span(meta))

    def score_lookback(self, children: list[Any]) -> tuple[str, Any]:
        return ("lookback", children[0].quantity)

    def score_range(self, children: list[Any]) -> tuple[str, Any]:
        low = _decimal(str(children[0]), self.tspan(children[0]))
        high = _decimal(str(children[1]), self.tspan(children[1]))
        return ("range", (low, high))

    def score_rule(self, children: list[Any]) -> tuple[str, Any]:
        return ("rule", str(children[0]))

    def score_form(self, children: list[Any]) -> tuple[str, Any]:
        return ("form", children[0])

    @v_args(meta=True)
    def score_decl(self, meta: Any, children: list[Any]) -> m.Score:
        name = str(children[0])
        label = None
        domains = []
        options: dict[str, Any] = {}
        for child in children[1:]:
            if isinstance(child, Token) and child.type == "STRING":
                label = unquote(child)
            elif isinstance(child, m.ScoreDomain):
                domains.append(child)
            elif isinstance(child, tuple):
                options[child[0]] = child[1]
        return m.Score(
            name,
            label,
            tuple(domains),
            options.get("form"),
            options.get("lookback"),
            options.get("range"),
            options.get("rule", "sum_all"),
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def score_variant(self, meta: Any, children: list[Any]) -> m.ScoreVariant:
        strings = self._strings(children[1:2])
        base = next(c for c in children if isinstance(c, m.Ref))
        without = next(c for c in children if isinstance(c, tuple))
        return m.ScoreVariant(
            str(children[0]),
            strings[0] if strings else None,
            base,
            without,
            self._marks(children),
            span=self.span(meta),
        )

    # -- eligibility

    def inclusion(self, children: list[Any]) -> str:
        return "inclusion"

    def exclusion(self, children: list[Any]) -> str:
        return "exclusion"

    def formal_rule(self, children: list[Any]) -> tuple[str, Any]:
        return ("formal", children[0])

    def attested_rule(self, children: list[Any]) -> tuple[str, Any]:
        return ("attested", unquote(children[0]) if children else None)

    @v_args(meta=True)
    def criterion_decl(self, meta: Any, children: list[Any]) -> m.Criterion:
        kind, ident, text = children[0], str(children[1]), unquote(children[2])
        rule = None
        attested = False
        attestation = None
        for child in children[3:]:
            if isinstance(child, tuple) and child[0] == "formal":
                rule = child[1]
            elif isinstance(child, tuple) and child[0] == "attested":
                attested, attestation = True, child[1]
        return m.Criterion(
            kind,
            ident,
            text,
            rule,
            attested,
            attestation,
            self._marks(children),
            span=self.span(meta),
        )

    # -- schedule

    def anchor_visit(self, children: list[Any]) -> tuple[str, Any]:
        return ("visit", str(children[0]))

    def anchor_expr(self, children: list[Any]) -> tuple[str, Any]:
        return ("expr", children[0])

    @v_args(meta=True)
    def anchor_decl(self, meta: Any, children: list[Any]) -> m.Anchor:
        strings = self._strings(children[1:2])
        target = next(c for c in children if isinstance(c, tuple))
        return m.Anchor(
            str(children[0]),
            strings[0] if strings else None,
            target[1] if target[0] == "visit" else None,
            target[1] if target[0] == "expr" else None,
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def epoch_decl(self, meta: Any, children: list[Any]) -> m.Epoch:
        strings = self._strings(children[1:2])
        return m.Epoch(
            str(children[0]),
            strings[0] if strings else None,
            self._marks(children),
            span=self.span(meta),
        )

    def _int(self, value: tuple[Decimal, m.Span]) -> int:
        number, span = value
        if number != number.to_integral_value():
            raise SyntaxProblem("E0007", f"a study day must be a whole number, not {number}", span)
        return int(number)

    def visit_day(self, children: list[Any]) -> tuple[str, Any]:
        day = self._int(children[0])
        end = self._int(children[1]) if len(children) > 1 else None
        return ("day", (day, end))

    def visit_window(self, children: list[Any]) -> tuple[str, Any]:
        before, after = self._int(children[0]), self._int(children[1])
        return ("window", (abs(before), abs(after)))

    def visit_window_sym(self, children: list[Any]) -> tuple[str, Any]:
        span = self.tspan(children[0])
        width = self._int((_decimal(str(children[0]), span), span))
        return ("window", (width, width))

    def visit_epoch(self, children: list[Any]) -> tuple[str, Any]:
        return ("epoch", str(children[0]))

    def visit_number(self, children: list[Any]) -> tuple[str, Any]:
        return ("number", _decimal(str(children[0]), self.tspan(children[0])))

    def visit_unscheduled(self, children: list[Any]) -> tuple[str, Any]:
        return ("unscheduled", True)

    def visit_early_termination(self, children: list[Any]) -> tuple[str, Any]:
        return ("early_termination", True)

    def visit_condition(self, children: list[Any]) -> tuple[str, Any]:
        return ("condition", unquote(children[0]))

    def visit_start_rule(self, children: list[Any]) -> tuple[str, Any]:
        return ("start_rule", unquote(children[0]))

    def visit_end_rule(self, children: list[Any]) -> tuple[str, Any]:
        return ("end_rule", unquote(children[0]))

    @v_args(meta=True)
    def visit_decl(self, meta: Any, children: list[Any]) -> m.Visit:
        name = str(children[0])
        label = None
        options: dict[str, Any] = {}
        for child in children[1:]:
            if isinstance(child, Token) and child.type == "STRING":
                label = unquote(child)
            elif isinstance(child, tuple):
                options[child[0]] = child[1]
        day, day_end = options.get("day", (None, None))
        before, after = options.get("window", (0, 0))
        return m.Visit(
            name,
            label,
            day,
            day_end,
            before,
            after,
            options.get("epoch"),
            options.get("number"),
            options.get("unscheduled", False),
            options.get("early_termination", False),
            options.get("condition"),
            options.get("start_rule"),
            options.get("end_rule"),
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def activity_decl(self, meta: Any, children: list[Any]) -> m.Activity:
        name = str(children[0])
        label = None
        condition = None
        visits: tuple[str, ...] = ()
        for child in children[1:]:
            if isinstance(child, Token) and child.type == "STRING":
                if visits:
                    condition = unquote(child)
                else:
                    label = unquote(child)
            elif isinstance(child, tuple):
                visits = child
        return m.Activity(
            name, label, visits, condition, self._marks(children), span=self.span(meta)
        )

    def element_start(self, children: list[Any]) -> tuple[str, Any]:
        return ("start", unquote(children[0]))

    def element_end(self, children: list[Any]) -> tuple[str, Any]:
        return ("end", unquote(children[0]))

    def element_duration(self, children: list[Any]) -> tuple[str, Any]:
        return ("duration", children[0].quantity)

    def element_dose(self, children: list[Any]) -> tuple[str, Any]:
        return ("dose", children[0].quantity)

    @v_args(meta=True)
    def element_decl(self, meta: Any, children: list[Any]) -> m.Element:
        name = str(children[0])
        label = None
        options: dict[str, Any] = {}
        for child in children[1:]:
            if isinstance(child, Token) and child.type == "STRING":
                label = unquote(child)
            elif isinstance(child, tuple):
                options[child[0]] = child[1]
        return m.Element(
            name,
            label,
            options.get("start"),
            options.get("end"),
            options.get("duration"),
            options.get("dose"),
            self._marks(children),
            span=self.span(meta),
        )

    def arm_type(self, children: list[Any]) -> tuple[str, Any]:
        return ("type", str(children[0]))

    def arm_receives(self, children: list[Any]) -> tuple[str, Any]:
        return ("receives", children[0])

    def arm_description(self, children: list[Any]) -> tuple[str, Any]:
        return ("description", unquote(children[0]))

    def arm_branch(self, children: list[Any]) -> tuple[str, str]:
        return ("branch", unquote(children[0]))

    def arm_transition(self, children: list[Any]) -> tuple[str, str]:
        return ("transition", unquote(children[0]))

    @v_args(meta=True)
    def arm_step(self, meta: Any, children: list[Any]) -> m.ArmStep:
        options = dict(c for c in children[2:] if isinstance(c, tuple))
        return m.ArmStep(
            str(children[0]),
            str(children[1]),
            options.get("branch"),
            options.get("transition"),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def arm_decl(self, meta: Any, children: list[Any]) -> m.Arm:
        name = str(children[0])
        label = None
        options: dict[str, Any] = {}
        steps = []
        for child in children[1:]:
            if isinstance(child, Token) and child.type == "STRING":
                label = unquote(child)
            elif isinstance(child, m.ArmStep):
                steps.append(child)
            elif isinstance(child, tuple):
                options[child[0]] = child[1]
        return m.Arm(
            name,
            label,
            options.get("type"),
            options.get("receives", ()),
            options.get("description"),
            tuple(steps),
            self._marks(children),
            span=self.span(meta),
        )

    # -- intervention and dose finding

    @v_args(meta=True)
    def intervention_decl(self, meta: Any, children: list[Any]) -> m.Intervention:
        strings = self._strings(children[1:2])
        fields = tuple(c for c in children if isinstance(c, m.Field))
        return m.Intervention(
            str(children[0]), strings[0] if strings else None, fields, span=self.span(meta)
        )

    @v_args(meta=True)
    def dose_level(self, meta: Any, children: list[Any]) -> m.DoseLevel:
        return m.DoseLevel(
            str(children[0]), children[1].quantity, self._marks(children), span=self.span(meta)
        )

    @v_args(meta=True)
    def dose_levels(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        levels = tuple(c for c in children if isinstance(c, m.DoseLevel))
        return ("levels", (levels, self._marks(children)))

    @v_args(meta=True)
    def escalation_design(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        fields = tuple(c for c in children if isinstance(c, m.Field))
        design = m.EscalationDesign(
            str(children[0]), fields, self._marks(children), span=self.span(meta)
        )
        return ("design", design)

    @v_args(meta=True)
    def dlt_window(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        window = m.DltWindow(
            children[0].quantity, str(children[1]), self._marks(children), span=self.span(meta)
        )
        return ("dlt_window", window)

    @v_args(meta=True)
    def dlt_definition(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        return (
            "dlt_definition",
            m.DltDefinition(unquote(children[0]), self._marks(children), span=self.span(meta)),
        )

    @v_args(meta=True)
    def step_dose(self, meta: Any, children: list[Any]) -> m.StepDose:
        day = _decimal(str(children[0]), self.tspan(children[0]))
        return m.StepDose(
            self._int((day, self.tspan(children[0]))),
            children[1].quantity,
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def step_up(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        steps = tuple(c for c in children if isinstance(c, m.StepDose))
        step_up = m.StepUp(children[0], steps, self._marks(children), span=self.span(meta))
        return ("step_up", step_up)

    @v_args(meta=True)
    def scenario(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        strings = self._strings(children[1:2])
        rates = tuple(c[0] for c in children if isinstance(c, tuple))
        return (
            "scenario",
            m.Scenario(
                str(children[0]),
                strings[0] if strings else None,
                rates,
                self._marks(children),
                span=self.span(meta),
            ),
        )

    @v_args(meta=True)
    def dose_finding_decl(self, meta: Any, children: list[Any]) -> m.DoseFinding:
        levels: tuple[m.DoseLevel, ...] = ()
        levels_marks: m.Marks = ()
        design = dlt_window = dlt_definition = None
        step_ups = []
        scenarios = []
        fields = []
        for child in children[1:]:
            if isinstance(child, m.Field):
                fields.append(child)
                continue
            kind, value = child
            if kind == "levels":
                levels, levels_marks = value
            elif kind == "design":
                design = value
            elif kind == "dlt_window":
                dlt_window = value
            elif kind == "dlt_definition":
                dlt_definition = value
            elif kind == "step_up":
                step_ups.append(value)
            elif kind == "scenario":
                scenarios.append(value)
        return m.DoseFinding(
            str(children[0]),
            levels,
            levels_marks,
            design,
            dlt_window,
            dlt_definition,
            tuple(step_ups),
            tuple(scenarios),
            tuple(fields),
            span=self.span(meta),
        )

    # -- objectives

    def primary(self, children: list[Any]) -> str:
        return "primary"

    def secondary(self, children: list[Any]) -> str:
        return "secondary"

    def exploratory(self, children: list[Any]) -> str:
        return "exploratory"

    def endpoint_timeframe(self, children: list[Any]) -> tuple[str, Any]:
        return ("timeframe", unquote(children[0]))

    def endpoint_until(self, children: list[Any]) -> tuple[str, Any]:
        return ("until", (children[0].quantity, str(children[1])))

    def endpoint_rule(self, children: list[Any]) -> tuple[str, Any]:
        return ("rule", children[0])

    @v_args(meta=True)
    def endpoint_decl(self, meta: Any, children: list[Any]) -> m.Endpoint:
        options: dict[str, Any] = {}
        for child in children[2:]:
            if isinstance(child, tuple):
                options[child[0]] = child[1]
        until, anchor = options.get("until", (None, None))
        return m.Endpoint(
            str(children[0]),
            unquote(children[1]),
            options.get("timeframe"),
            until,
            anchor,
            options.get("rule"),
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def objective_decl(self, meta: Any, children: list[Any]) -> m.Objective:
        endpoints = tuple(c for c in children if isinstance(c, m.Endpoint))
        return m.Objective(
            str(children[0]),
            children[1],
            unquote(children[2]),
            endpoints,
            self._marks(children),
            span=self.span(meta),
        )

    # -- amendments

    def amendment_date(self, children: list[Any]) -> tuple[str, Any]:
        return ("date", self._date(children[0]))

    def amendment_summary(self, children: list[Any]) -> tuple[str, Any]:
        return ("summary", unquote(children[0]))

    def amendment_reason(self, children: list[Any]) -> tuple[str, Any]:
        return ("reason", unquote(children[0]))

    @v_args(meta=True)
    def amendment_change(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        names = self._names(children)
        strings = self._strings(children)
        change = m.AmendmentChange(
            names[0] if names else None, strings[0], self._marks(children), span=self.span(meta)
        )
        return ("change", change)

    @v_args(meta=True)
    def amendment_decl(self, meta: Any, children: list[Any]) -> m.Amendment:
        number = _decimal(str(children[0]), self.tspan(children[0]))
        date = summary = None
        reasons = []
        changes = []
        for kind, value in children[1:]:
            if kind == "date":
                date = value
            elif kind == "summary":
                summary = value
            elif kind == "reason":
                reasons.append(value)
            elif kind == "change":
                changes.append(value)
        return m.Amendment(
            number, date, summary, tuple(reasons), tuple(changes), span=self.span(meta)
        )

    # -- mapping

    def map_where(self, children: list[Any]) -> tuple[str, Any]:
        return ("where", (unquote(children[0]), unquote(children[1])))

    def map_date(self, children: list[Any]) -> tuple[str, Any]:
        return ("date", children[0])

    def map_visit(self, children: list[Any]) -> tuple[str, Any]:
        return ("visit", children[0])

    def map_unit(self, children: list[Any]) -> tuple[str, Any]:
        return ("unit", children[0])

    @v_args(meta=True)
    def map_rule(self, meta: Any, children: list[Any]) -> m.MapRule:
        options = dict(c for c in children[2:] if isinstance(c, tuple))
        return m.MapRule(
            children[0],
            children[1],
            options.get("where"),
            options.get("date"),
            options.get("visit"),
            options.get("unit"),
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def map_complete(self, meta: Any, children: list[Any]) -> m.MapComplete:
        return m.MapComplete(children[0], str(children[1]), span=self.span(meta))

    @v_args(meta=True)
    def mapping_decl(self, meta: Any, children: list[Any]) -> m.Mapping:
        strings = self._strings(children[1:2])
        rules = tuple(c for c in children if isinstance(c, m.MapRule))
        complete = tuple(c for c in children if isinstance(c, m.MapComplete))
        return m.Mapping(
            str(children[0]),
            strings[0] if strings else None,
            rules,
            span=self.span(meta),
            complete=complete,
        )

    # -- expressions

    @v_args(meta=True)
    def any_(self, meta: Any, children: list[Any]) -> m.Quantifier:
        return m.Quantifier(
            "any",
            str(children[0]),
            children[1] if len(children) > 1 else None,
            span=self.span(meta),
        )

    @v_args(meta=True)
    def none_(self, meta: Any, children: list[Any]) -> m.Quantifier:
        return m.Quantifier(
            "none",
            str(children[0]),
            children[1] if len(children) > 1 else None,
            span=self.span(meta),
        )

    @v_args(meta=True)
    def all_(self, meta: Any, children: list[Any]) -> m.Quantifier:
        where = children[1] if len(children) > 2 else None
        return m.Quantifier("all", str(children[0]), where, children[-1], span=self.span(meta))

    @v_args(meta=True)
    def conditional(self, meta: Any, children: list[Any]) -> m.Conditional:
        return m.Conditional(children[0], children[1], children[2], span=self.span(meta))

    @v_args(meta=True)
    def implies(self, meta: Any, children: list[Any]) -> m.Logic:
        return m.Logic("implies", children[0], children[1], span=self.span(meta))

    @v_args(meta=True)
    def or_(self, meta: Any, children: list[Any]) -> m.Logic:
        return m.Logic("or", children[0], children[1], span=self.span(meta))

    @v_args(meta=True)
    def and_(self, meta: Any, children: list[Any]) -> m.Logic:
        return m.Logic("and", children[0], children[1], span=self.span(meta))

    @v_args(meta=True)
    def not_(self, meta: Any, children: list[Any]) -> m.Not:
        return m.Not(children[0], span=self.span(meta))

    def le(self, children: list[Any]) -> str:
        return "<="

    def ge(self, children: list[Any]) -> str:
        return ">="

    def ne(self, children: list[Any]) -> str:
        return "!="

    def lt(self, children: list[Any]) -> str:
        return "<"

    def gt(self, children: list[Any]) -> str:
        return ">"

    def eq(self, children: list[Any]) -> str:
        return "="

    @v_args(meta=True)
    def compare(self, meta: Any, children: list[Any]) -> m.Compare:
        return m.Compare(children[1], children[0], children[2], span=self.span(meta))

    @v_args(meta=True)
    def compare_chain(self, meta: Any, children: list[Any]) -> m.Logic:
        a, op1, b, op2, c = children
        first = m.Compare(op1, a, b, span=_join(a, b))
        second = m.Compare(op2, b, c, span=_join(b, c))
        return m.Logic("and", first, second, chained=True, span=self.span(meta))

    @v_args(meta=True)
    def between(self, meta: Any, children: list[Any]) -> m.Between:
        return m.Between(children[0], children[1], children[2], span=self.span(meta))

    @v_args(meta=True)
    def member_of(self, meta: Any, children: list[Any]) -> m.MemberOf:
        return m.MemberOf(children[0], values=children[1], span=self.span(meta))

    @v_args(meta=True)
    def member_of_list(self, meta: Any, children: list[Any]) -> m.MemberOf:
        return m.MemberOf(children[0], codelist=children[1], span=self.span(meta))

    @v_args(meta=True)
    def is_known(self, meta: Any, children: list[Any]) -> m.IsKnown:
        return m.IsKnown(children[0], False, span=self.span(meta))

    @v_args(meta=True)
    def is_missing(self, meta: Any, children: list[Any]) -> m.IsKnown:
        return m.IsKnown(children[0], True, span=self.span(meta))

    def before(self, children: list[Any]) -> str:
        return "before"

    def after(self, children: list[Any]) -> str:
        return "after"

    @v_args(meta=True)
    def within(self, meta: Any, children: list[Any]) -> m.Within:
        return m.Within(children[0], children[1], children[2], children[3], span=self.span(meta))

    @v_args(meta=True)
    def at_least(self, meta: Any, children: list[Any]) -> m.AtLeast:
        expr, _at_least, duration, direction, anchor = children
        return m.AtLeast(expr, duration, direction, anchor, span=self.span(meta))

    def _arith(self, op: m.ArithOp, meta: Any, children: list[Any]) -> m.Arith:
        return m.Arith(op, children[0], children[1], span=self.span(meta))

    @v_args(meta=True)
    def add(self, meta: Any, children: list[Any]) -> m.Arith:
        return self._arith("+", meta, children)

    @v_args(meta=True)
    def subtract(self, meta: Any, children: list[Any]) -> m.Arith:
        return self._arith("-", meta, children)

    @v_args(meta=True)
    def multiply(self, meta: Any, children: list[Any]) -> m.Arith:
        return self._arith("*", meta, children)

    @v_args(meta=True)
    def divide(self, meta: Any, children: list[Any]) -> m.Arith:
        return self._arith("/", meta, children)

    @v_args(meta=True)
    def neg(self, meta: Any, children: list[Any]) -> m.Negate:
        return m.Negate(children[0], span=self.span(meta))

    @v_args(meta=True)
    def at_visit(self, meta: Any, children: list[Any]) -> m.AtVisit:
        return m.AtVisit(children[0], str(children[1]), span=self.span(meta))

    @v_args(meta=True)
    def number(self, meta: Any, children: list[Any]) -> m.NumberLit:
        return m.NumberLit(
            _decimal(str(children[0]), self.tspan(children[0])), span=self.span(meta)
        )

    @v_args(meta=True)
    def string(self, meta: Any, children: list[Any]) -> m.TextLit:
        return m.TextLit(unquote(children[0]), span=self.span(meta))

    @v_args(meta=True)
    def date(self, meta: Any, children: list[Any]) -> m.DateLit:
        return m.DateLit(self._date(children[0]), span=self.span(meta))

    @v_args(meta=True)
    def titer(self, meta: Any, children: list[Any]) -> m.TiterLit:
        return m.TiterLit(self._titer(children[0]), span=self.span(meta))

    @v_args(meta=True)
    def yes(self, meta: Any, children: list[Any]) -> m.BoolLit:
        return m.BoolLit(True, span=self.span(meta))

    @v_args(meta=True)
    def no(self, meta: Any, children: list[Any]) -> m.BoolLit:
        return m.BoolLit(False, span=self.span(meta))

    def reference(self, children: list[Any]) -> m.Ref:
        return children[0]

    def arguments(self, children: list[Any]) -> tuple[Any, ...]:
        return tuple(children)

    @v_args(meta=True)
    def call(self, meta: Any, children: list[Any]) -> m.Call:
        args = children[1] if len(children) > 1 and children[1] is not None else ()
        return m.Call(str(children[0]), args, span=self.span(meta))

    def count(self, children: list[Any]) -> str:
        return "count"

    def total(self, children: list[Any]) -> str:
        return "sum"

    def minimum(self, children: list[Any]) -> str:
        return "min"

    def maximum(self, children: list[Any]) -> str:
        return "max"

    @v_args(meta=True)
    def aggregate(self, meta: Any, children: list[Any]) -> m.Aggregate:
        return m.Aggregate(
            children[0],
            children[1],
            children[2] if len(children) > 2 else None,
            span=self.span(meta),
        )


def _join(a: Any, b: Any) -> m.Span:
    sa, sb = a.span, b.span
    return m.Span(sa.file, sa.line, sa.column, sb.end_line, sb.end_column, sa.start, sb.end)


def _is_expr(value: object) -> bool:
    return isinstance(value, m._EXPR_TYPES)
