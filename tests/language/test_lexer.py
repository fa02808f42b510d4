"""The fast contextual lexer gives exactly the tokens and the errors Lark's own lexer gives.

The parser uses `protocol_dsl.syntax.lexer.FastContextualLexer`, which avoids
compiling one regular expression per parser state.  These tests drive the
same LALR tables with Lark's stock `ContextualLexer` and with ours, over the
real specs, generated specs, and mutated and truncated inputs, and compare
every token (type, text, position) and, for bad input, the syntax error
(its kind, position and the terminals it expected).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Lark
from lark.exceptions import UnexpectedInput
from lark.lexer import ContextualLexer

from protocol_dsl.syntax import parser as protocol_parser
from protocol_dsl.syntax.lexer import FastContextualLexer
from tests.language.test_fuzz import EXTREMES, SOURCES, mutated, truncated
from tests.strategies import specs


def lark_with(plugins: dict[str, type], cache: str | None = None) -> Lark:
    """The grammar with the parser's own options and the given Lark plug-ins."""
    return Lark(
        protocol_parser.grammar_text(),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
        cache=cache,
        _plugins=plugins,
    )


@lru_cache(maxsize=2)
def _parser(lexer: type) -> Lark:
    return lark_with({"ContextualLexer": lexer})


def _run(lexer: type, text: str) -> list[Any]:
    """Every token the parser consumed, then the error it stopped at (if any)."""
    parser = _parser(lexer)
    assert isinstance(parser.parser.lexer, lexer)
    seen: list[Any] = []
    interactive = parser.parse_interactive(text)
    try:
        for token in interactive.iter_parse():
            seen.append(
                (token.type, str(token), token.start_pos, token.line, token.column, token.end_pos)
            )
        interactive.feed_eof()
    except UnexpectedInput as error:
        expected = getattr(error, "expected", None) or getattr(error, "allowed", None)
        token = getattr(error, "token", None)
        seen.append(
            (
                type(error).__name__,
                error.line,
                error.column,
                sorted(expected or ()),
                None if token is None else (token.type, str(token)),
            )
        )
    return seen


def assert_same_tokens(text: str) -> None:
    assert _run(FastContextualLexer, text) == _run(ContextualLexer, text)


def test_the_parser_uses_the_fast_lexer() -> None:
    assert isinstance(protocol_parser.lark_parser().parser.lexer, FastContextualLexer)


def test_real_specs_give_the_same_tokens() -> None:
    for name, source in SOURCES.items():
        tokens = _run(FastContextualLexer, source)
        assert tokens == _run(ContextualLexer, source), name
        assert tokens and isinstance(tokens[-1][0], str) and tokens[-1][0].isupper()


def test_extreme_inputs_give_the_same_tokens_and_errors() -> None:
    for text in EXTREMES:
        assert_same_tokens(text)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(specs())
def test_generated_specs_give_the_same_tokens(source: str) -> None:
    assert_same_tokens(source)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(mutated(), truncated()))
def test_broken_inputs_give_the_same_tokens_and_errors(text: str) -> None:
    assert_same_tokens(text)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=st.sampled_from(list("az09_ .:-+*/()[]{}'\"#\n\t=<>≥é%")), max_size=60))
def test_random_text_gives_the_same_tokens_and_errors(text: str) -> None:
    assert_same_tokens(text)
