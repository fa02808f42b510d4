"""The LALR parse table, kept ready to load between runs.

Lark's grammar cache stores the parse table as plain data and rebuilds its
~800 states in Python on every start (tens of milliseconds, the largest part
of loading the parser).  This module keeps a second file beside the grammar
cache: the built table pickled as it is, with its grammar rules and the two
action markers stored as references, so loading it is one `pickle.load`.

The references name rules by their position in the grammar cache's memo;
the file also records what each of those rules is, and is used only when
they are all the same rules, so a rebuilt or different grammar cache can
never be paired with a table that does not belong to it.  Any problem
reading or writing the file falls back to Lark's own loading.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import tempfile
from typing import Any, ClassVar

from lark.grammar import Rule
from lark.parsers.lalr_analysis import IntParseTable, Reduce, Shift
from lark.parsers.lalr_parser import LALR_Parser
from lark.parsers.lalr_parser import _Parser as LarkParser

_ACTIONS = {"shift": Shift, "reduce": Reduce}


def _fingerprint(memo: dict[int, Any]) -> list[tuple]:
    """What each memo rule is: enough to tell one grammar's numbering from another's."""
    return [
        (
            index,
            rule.origin.name,
            tuple(symbol.name for symbol in rule.expansion),
            rule.order,
            str(rule.alias),
        )
        for index, rule in sorted(memo.items())
        if isinstance(rule, Rule)
    ]


class _TablePickler(pickle.Pickler):
    def __init__(self, file: io.BufferedWriter, rule_index: dict[int, int]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.rule_index = rule_index

    def persistent_id(self, obj: object) -> object:
        if obj is Shift:
            return "shift"
        if obj is Reduce:
            return "reduce"
        if isinstance(obj, Rule):
            return self.rule_index[id(obj)]
        return None


class _TableUnpickler(pickle.Unpickler):
    def __init__(self, file: io.BufferedReader, memo: dict[int, Any]) -> None:
        super().__init__(file)
        self.memo_rules = memo

    def persistent_load(self, pid: object) -> object:
        if isinstance(pid, str):
            return _ACTIONS[pid]
        assert isinstance(pid, int)
        return self.memo_rules[pid]

    def find_class(self, module: str, name: str) -> Any:
        # The file holds only dicts, tuples, strings, numbers and the table itself.
        if (module, name) == ("lark.parsers.lalr_analysis", "IntParseTable"):
            return IntParseTable
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in the parse-table cache")


def load_table(path: str, memo: dict[int, Any]) -> IntParseTable | None:
    try:
        with open(path, "rb") as file:
            unpickler = _TableUnpickler(file, memo)
            fingerprint = unpickler.load()
            if fingerprint != _fingerprint(memo):
                return None
            table = unpickler.load()
    except Exception:  # missing, unreadable, foreign or stale: rebuild it
        return None
    return table if isinstance(table, IntParseTable) else None


def save_table(path: str, table: IntParseTable, memo: dict[int, Any]) -> None:
    rule_index = {id(rule): index for index, rule in memo.items() if isinstance(rule, Rule)}
    # One tuple object per distinct action, so the file (and loading it) shares them.
    shared: dict[tuple, tuple] = {}
    states = {
        state: {token: shared.setdefault(action, action) for token, action in actions.items()}
        for state, actions in table.states.items()
    }
    compact = IntParseTable(states, table.start_states, table.end_states)
    temporary: str | None = None
    try:
        with tempfile.NamedTemporaryFile("wb", dir=os.path.dirname(path), delete=False) as file:
            temporary = file.name
            pickler = _TablePickler(file, rule_index)  # type: ignore[arg-type]
            pickler.dump(_fingerprint(memo))
            pickler.dump(compact)
        os.replace(temporary, path)
    except Exception:  # a read-only or full cache folder: the next run tries again
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


class CachedTableParser(LALR_Parser):
    """Lark's LALR parser, loading its table from `table_path` when it can."""

    table_path: ClassVar[str | None] = None

    # Lark's `LALR_Parser.deserialize` takes `callbacks` and `debug` besides what
    # its base `Serialize.deserialize` declares; this keeps Lark's signature.
    @classmethod
    def deserialize(  # type: ignore[override]
        cls, data: Any, memo: Any, callbacks: Any, debug: bool = False
    ) -> Any:
        table = load_table(cls.table_path, memo) if cls.table_path else None
        if table is None:
            table = IntParseTable.deserialize(data, memo)
            if cls.table_path:
                save_table(cls.table_path, table, memo)
        parser = cls.__new__(cls)
        # Lark stores an IntParseTable here itself; mypy infers the attribute as a
        # ParseTable from Lark's constructor, a sibling class.
        parser._parse_table = table  # type: ignore[assignment]
        parser.parser = LarkParser(table, callbacks, debug)
        return parser


def parser_class(table_path: str | None) -> type[CachedTableParser]:
    """The parser plug-in for Lark, reading and writing the table at `table_path`."""
    return type("CachedTableParser", (CachedTableParser,), {"table_path": table_path})
