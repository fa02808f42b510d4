"""A contextual lexer for the grammar that compiles no per-state regular expressions.

Lark's `ContextualLexer` gives every parser state its own scanner: one regular
expression alternating every terminal the state accepts.  Compiling those
alternations is the largest single cost of `protocol check` on a real spec
(about 110 distinct states on QLS4131, ~1 ms each), and Python cannot keep a
compiled pattern between processes.

This lexer produces exactly the tokens Lark's would, without those compiles.
Each regular-expression terminal is compiled once on its own; literal terminals
(keywords, punctuation) are compared as strings.  For a state, the terminals
are tried in Lark's own order — priority, then maximum width, then pattern
length, then name — and the first that matches wins, which is what an
alternation of the same terminals in the same order does.  Keywords a
name-like terminal also matches are not tried as literals but recognised after
the match, as Lark's "unless" callbacks do, and only when the state accepts
them.  When no terminal matches, the state's ordinary Lark scanner takes over,
so syntax errors are raised exactly as Lark raises them.

`tests/language/test_lexer.py` checks the token streams against Lark's lexer
on the real specs and on generated and mutated inputs.
"""

from __future__ import annotations

import re
import re._constants as _sre  # the regex parser's opcodes (see `_first_characters`)
import re._parser as _sre_parse
from collections.abc import Iterator
from copy import copy
from functools import cache
from typing import Any

from lark.exceptions import UnexpectedCharacters, UnexpectedToken
from lark.lexer import (
    AbstractBasicLexer,
    BasicLexer,
    ContextualLexer,
    LexerState,
    PatternRE,
    PatternStr,
    TerminalDef,
    Token,
)

# One step of a state's program: a regular-expression terminal, or a run of
# consecutive literal terminals indexed by their first character.
_RegexStep = tuple[str, "re.Pattern[str]"]
_LiteralStep = dict[str, list[tuple[str, str]]]


# Opcodes of Python's own regular-expression parser, for `_first_characters`.
_LITERAL = _sre.LITERAL
_IN = _sre.IN
_RANGE = _sre.RANGE
_CATEGORY = _sre.CATEGORY
_BRANCH = _sre.BRANCH
_SUBPATTERN = _sre.SUBPATTERN
_ATOMIC_GROUP = getattr(_sre, "ATOMIC_GROUP", None)
_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)} - {None}
_ZERO_WIDTH = {_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT}
#: A category of characters (\d, \s, \w and their negations), tested as the regex itself.
_CATEGORIES = {
    _sre.CATEGORY_DIGIT: re.compile(r"\d"),
    _sre.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    _sre.CATEGORY_SPACE: re.compile(r"\s"),
    _sre.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    _sre.CATEGORY_WORD: re.compile(r"\w"),
    _sre.CATEGORY_NOT_WORD: re.compile(r"\W"),
}
#: Flags that change which characters a pattern matches.
_CHARACTER_FLAGS = re.IGNORECASE | re.ASCII | re.LOCALE

# What a pattern's match can start with: a list of characters, (low, high)
# code-point ranges and categories, or None for "any character".
_Start = list[Any] | None


@cache
def _first_characters(pattern: str, flags: int) -> _Start:
    """The characters a match of `pattern` can start with (None: any, or unknown)."""
    if flags & _CHARACTER_FLAGS:
        return None
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except Exception:  # a construct this reading does not know: any character
        return None
    if parsed.state.flags & _CHARACTER_FLAGS:
        return None
    start, can_be_empty = _sequence_start(list(parsed))
    return None if can_be_empty else start


def _sequence_start(items: list[tuple[Any, Any]]) -> tuple[_Start, bool]:
    found: list[Any] = []
    for op, arg in items:
        start, can_be_empty = _item_start(op, arg)
        if start is None:
            return None, False
        found.extend(start)
        if not can_be_empty:
            return found, False
    return found, True


def _item_start(op: Any, arg: Any) -> tuple[_Start, bool]:
    if op is _LITERAL:
        return [chr(arg)], False
    if op is _IN:
        found: list[Any] = []
        for kind, value in arg:
            if kind is _LITERAL:
                found.append(chr(value))
            elif kind is _RANGE:
                found.append(value)
            elif kind is _CATEGORY and value in _CATEGORIES:
                found.append(_CATEGORIES[value])
            else:  # a negated set, or something rarer
                return None, False
        return found, False
    if op is _BRANCH:
        found = []
        empty = False
        for alternative in arg[1]:
            start, can_be_empty = _sequence_start(list(alternative))
            if start is None:
                return None, False
            found.extend(start)
            empty = empty or can_be_empty
        return found, empty
    if op is _SUBPATTERN:
        _group, add_flags, del_flags, inner = arg
        if (add_flags | del_flags) & _CHARACTER_FLAGS:
            return None, False
        return _sequence_start(list(inner))
    if op is _ATOMIC_GROUP:
        return _sequence_start(list(arg))
    if op in _REPEATS:
        low, _high, inner = arg
        start, can_be_empty = _sequence_start(list(inner))
        return start, can_be_empty or low == 0
    if op in _ZERO_WIDTH:
        # An anchor or a look-around consumes nothing; ignoring what it asks
        # can only let more characters through.
        return [], True
    return None, False


def _can_start(start: _Start, char: str) -> bool:
    if start is None:
        return True
    for piece in start:
        if piece.__class__ is str:
            if piece == char:
                return True
        elif piece.__class__ is tuple:
            if piece[0] <= ord(char) <= piece[1]:
                return True
        elif piece.match(char):
            return True
    return False


class _StateProgram:
    """How one parser state scans: its terminals in Lark's order, ready to try.

    `at` gives, for the character at the scanning position, only the steps
    that can match there, in the same order: a regular expression whose
    matches cannot start with that character is not tried (the whitespace
    between tokens no longer tries every terminal before the blank one).
    """

    __slots__ = ("at", "callbacks", "ignore", "keywords", "newline", "starts", "steps")

    def __init__(
        self,
        steps: list[_RegexStep | _LiteralStep],
        keywords: dict[str, dict[str, str]],
        callbacks: dict[str, Any],
        ignore: frozenset[str],
        newline: frozenset[str],
    ) -> None:
        self.steps = steps
        self.keywords = keywords  # regex terminal -> {literal value: keyword terminal}
        self.callbacks = callbacks
        self.ignore = ignore
        self.newline = newline
        self.starts = [
            _first_characters(step[1].pattern, step[1].flags) if isinstance(step, tuple) else None
            for step in steps
        ]
        #: First character -> the steps to try: (name, regex) or a list of (literal, name).
        self.at: dict[str, list[_RegexStep | list[tuple[str, str]]]] = {}

    def steps_at(self, char: str) -> list[_RegexStep | list[tuple[str, str]]]:
        steps = self.at.get(char)
        if steps is None:
            steps = []
            for step, start in zip(self.steps, self.starts, strict=True):
                if isinstance(step, tuple):
                    if _can_start(start, char):
                        steps.append(step)
                elif char in step:
                    steps.append(step[char])
            self.at[char] = steps
        return steps

    def match(self, text: str, pos: int, end: int) -> tuple[str, str] | None:
        for step in self.steps_at(text[pos]):
            if isinstance(step, tuple):
                name, pattern = step
                found = pattern.match(text, pos, end)
                if found:
                    return found.group(0), name
            else:
                for value, name in step:
                    if text.startswith(value, pos, end):
                        return value, name
        return None


class _StateLexers(dict[int, AbstractBasicLexer]):  # the type Lark gives `lexers`
    """Lark's per-state lexers, built only for a state that needs one (a syntax error)."""

    def __init__(self, owner: FastContextualLexer) -> None:
        super().__init__()
        self.owner = owner

    def __missing__(self, state: int) -> BasicLexer:
        lexer = self.owner._basic_lexer(state)
        self[state] = lexer
        return lexer


class FastContextualLexer(ContextualLexer):
    """Lark's contextual lexer with scanners built from once-compiled terminals."""

    root_lexer: BasicLexer  # Lark declares the abstract base; this class builds a BasicLexer

    def __init__(self, conf: Any, states: Any, always_accept: Any = ()) -> None:
        # Lark's constructor builds a lexer for each of the ~200 distinct states up
        # front; here a state gets its program when the parser first reaches it.
        self._conf = copy(conf)
        self._conf.terminals = list(conf.terminals)
        self._conf.skip_validation = True
        extra = frozenset(conf.ignore) | frozenset(always_accept)
        self._accepts = {state: frozenset(accepts) | extra for state, accepts in states.items()}
        self.lexers = _StateLexers(self)
        self._lexer_by_accepts: dict[frozenset[str], BasicLexer] = {}
        self.root_lexer = BasicLexer(self._conf)
        self._order = list(self.root_lexer.terminals)  # Lark's order, over every terminal
        self._compiled: dict[str, re.Pattern[str]] = {}
        self._fullmatches: dict[tuple[str, str], bool] = {}
        self._programs: dict[frozenset[str], _StateProgram] = {}
        self._program_of: dict[int, _StateProgram] = {}
        self._flags = conf.g_regex_flags

    def _basic_lexer(self, state: int) -> BasicLexer:
        accepts = self._accepts[state]
        lexer = self._lexer_by_accepts.get(accepts)
        if lexer is None:
            conf = copy(self._conf)
            conf.terminals = [t for t in self._order if t.name in accepts]
            lexer = BasicLexer(conf)
            self._lexer_by_accepts[accepts] = lexer
        return lexer

    # ------------------------------------------------------------ programs

    def _pattern(self, terminal: TerminalDef) -> re.Pattern[str]:
        pattern = self._compiled.get(terminal.name)
        if pattern is None:
            pattern = re.compile(terminal.pattern.to_regexp(), self._flags)
            self._compiled[terminal.name] = pattern
        return pattern

    def _covers(self, regex_terminal: TerminalDef, literal: TerminalDef) -> bool:
        """Whether the regex terminal matches the whole literal (Lark's "unless" test)."""
        key = (regex_terminal.name, literal.name)
        covered = self._fullmatches.get(key)
        if covered is None:
            value = literal.pattern.value
            found = self._pattern(regex_terminal).match(value)
            covered = found is not None and found.group(0) == value
            self._fullmatches[key] = covered
        return covered

    def _program(self, state: int) -> _StateProgram:
        program = self._program_of.get(state)
        if program is not None:
            return program
        accepts = self._accepts[state]
        program = self._programs.get(accepts)
        if program is None:
            program = self._build_program([t for t in self._order if t.name in accepts])
            self._programs[accepts] = program
        self._program_of[state] = program
        return program

    def _build_program(self, terminals: list[TerminalDef]) -> _StateProgram:
        root = self.root_lexer
        regexes = [t for t in terminals if isinstance(t.pattern, PatternRE)]
        literals = [t for t in terminals if isinstance(t.pattern, PatternStr)]
        embedded: set[str] = set()
        keywords: dict[str, dict[str, str]] = {}
        for regex_terminal in regexes:
            unless: dict[str, str] = {}
            for literal in literals:
                if literal.priority != regex_terminal.priority:
                    continue
                if self._covers(regex_terminal, literal):
                    unless.setdefault(literal.pattern.value, literal.name)
                    if set(literal.pattern.flags).issubset(regex_terminal.pattern.flags):
                        embedded.add(literal.name)
            if unless:
                keywords[regex_terminal.name] = unless
        steps: list[_RegexStep | _LiteralStep] = []
        for terminal in terminals:
            if terminal.name in embedded:
                continue
            if isinstance(terminal.pattern, PatternRE) or terminal.pattern.flags:
                steps.append((terminal.name, self._pattern(terminal)))
                continue
            if not steps or isinstance(steps[-1], tuple):
                steps.append({})
            run = steps[-1]
            assert isinstance(run, dict)
            value = terminal.pattern.value
            run.setdefault(value[0], []).append((value, terminal.name))
        return _StateProgram(
            steps, keywords, dict(root.user_callbacks), root.ignore_types, root.newline_types
        )

    # ------------------------------------------------------------ lexing

    def _next_token(self, lex_state: LexerState, parser_state: Any) -> Token:
        program = self._program(parser_state.position)
        line_ctr = lex_state.line_ctr
        text = lex_state.text
        while line_ctr.char_pos < text.end:
            found = program.match(text.text, line_ctr.char_pos, text.end)
            if found is None:
                # Lark's own scanner for this state raises the syntax error.
                return self.lexers[parser_state.position].next_token(lex_state, parser_state)
            value, type_ = found
            ignored = type_ in program.ignore
            callback = program.callbacks.get(type_)
            token = None
            if not ignored or callback is not None:
                token = Token(type_, value, line_ctr.char_pos, line_ctr.line, line_ctr.column)
            line_ctr.feed(value, type_ in program.newline)
            if token is None:
                continue
            token.end_line = line_ctr.line
            token.end_column = line_ctr.column
            token.end_pos = line_ctr.char_pos
            keyword = program.keywords.get(type_)
            if keyword is not None:
                token.type = keyword.get(value, type_)
            # As Lark chains them: a user callback sees only tokens that kept its type.
            if callback is not None and token.type == type_:
                token = callback(token)
            if not ignored:
                lex_state.last_token = token
                return token
        raise EOFError(self)

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        try:
            while True:
                yield self._next_token(lexer_state, parser_state)
        except EOFError:
            pass
        except UnexpectedCharacters as e:
            # As Lark does: a terminal defined elsewhere in the grammar but not
            # accepted here is reported as an unexpected token, for a clearer error.
            try:
                last_token = lexer_state.last_token
                token = self.root_lexer.next_token(lexer_state, parser_state)
                raise UnexpectedToken(
                    token,
                    e.allowed,
                    state=parser_state,
                    token_history=[last_token],
                    terminals_by_name=self.root_lexer.terminals_by_name,
                ) from None
            except UnexpectedCharacters:
                raise e from None
