"""The parse-table file: loads the very table Lark builds, and is refused when it does not fit."""

from __future__ import annotations

import pickle
from pathlib import Path

from lark import Lark
from lark.parsers.lalr_analysis import IntParseTable, Reduce, Shift

from protocol_dsl.syntax.lexer import FastContextualLexer
from protocol_dsl.syntax.parse_table import load_table, parser_class, save_table
from tests.language.test_fuzz import SOURCES
from tests.language.test_lexer import lark_with


def _lark(tmp_path: Path, table: str | None, parser: type | None = None) -> Lark:
    return lark_with(
        {"ContextualLexer": FastContextualLexer, "LALR_Parser": parser or parser_class(table)},
        cache=str(tmp_path / "grammar.lark"),
    )


def _memo_and_table(tmp_path: Path) -> tuple[dict, IntParseTable]:
    """The memo and table Lark itself deserialises from its cache."""
    seen: dict = {}

    class Spy(parser_class(None)):  # type: ignore[misc]
        @classmethod
        def deserialize(cls, data, memo, callbacks, debug=False):  # type: ignore[no-untyped-def]
            built = super().deserialize(data, memo, callbacks, debug)
            seen["memo"], seen["table"] = memo, built._parse_table
            return built

    _lark(tmp_path, None)  # writes Lark's cache
    _lark(tmp_path, None, parser=Spy)  # reads it
    return seen["memo"], seen["table"]


def test_a_saved_table_loads_as_the_same_table(tmp_path: Path) -> None:
    memo, table = _memo_and_table(tmp_path)
    path = str(tmp_path / "table")
    save_table(path, table, memo)
    loaded = load_table(path, memo)
    assert loaded is not None
    assert loaded.start_states == table.start_states
    assert loaded.end_states == table.end_states
    assert loaded.states.keys() == table.states.keys()
    for state, actions in table.states.items():
        for token, (action, argument) in actions.items():
            got_action, got_argument = loaded.states[state][token]
            assert got_action is action and action in (Shift, Reduce)
            # rules are the grammar's own objects, so Lark's callbacks find them
            assert got_argument is argument if action is Reduce else got_argument == argument


def test_parsing_with_the_saved_table_gives_the_same_trees(tmp_path: Path) -> None:
    table = str(tmp_path / "grammar.lark.table")
    plain = _lark(tmp_path, None)
    _lark(tmp_path, table)  # from Lark's cache: writes the table
    assert Path(table).exists()
    cached = _lark(tmp_path, table)  # loads it
    assert type(cached.parser.parser).__name__ == "CachedTableParser"
    for name, source in SOURCES.items():
        assert cached.parse(source) == plain.parse(source), name


def test_a_table_for_other_rules_is_refused(tmp_path: Path) -> None:
    memo, table = _memo_and_table(tmp_path)
    path = str(tmp_path / "table")
    save_table(path, table, memo)
    rules = sorted(k for k, v in memo.items() if type(v).__name__ == "Rule")
    shuffled = dict(memo)
    shuffled[rules[0]], shuffled[rules[1]] = memo[rules[1]], memo[rules[0]]
    assert load_table(path, shuffled) is None


def test_damaged_or_foreign_files_are_refused(tmp_path: Path) -> None:
    memo, _ = _memo_and_table(tmp_path)
    damaged = tmp_path / "damaged"
    damaged.write_bytes(b"\x80\x05not a pickle")
    assert load_table(str(damaged), memo) is None
    foreign = tmp_path / "foreign"
    foreign.write_bytes(pickle.dumps(Path("x")))  # a class the table never holds
    assert load_table(str(foreign), memo) is None
    assert load_table(str(tmp_path / "missing"), memo) is None


def test_an_unwritable_folder_only_costs_the_cache(tmp_path: Path) -> None:
    memo, table = _memo_and_table(tmp_path)
    save_table(str(tmp_path / "no-such-folder" / "table"), table, memo)
    assert not (tmp_path / "no-such-folder").exists()
