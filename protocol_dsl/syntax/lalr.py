"""A lean LALR driver for text that parses: Lark's tables, our lexer, one loop.

Lark's parser is general: every token goes through a lexer thread and a
generator, every reduction through a chain of wrapper objects (child filter,
single-child expansion, position propagation), and the tree it builds is then
walked again by a `Transformer`.  For a file without syntax errors all of that
can be one loop.  This module drives the parse table Lark has already built
(or loaded from its cache), scans with the states' programs of
`FastContextualLexer`, and performs each reduction with a plan computed once
per process from the grammar's rules: which children to keep, which `_rule`
children to inline, whether a `?rule` passes its single child through, and
the node's position exactly as `propagate_positions=True` computes it (a
node starts where its first child's text starts and ends where its last
one's ends, counting the keywords and punctuation Lark filters out of the
tree).

The caller says what a node becomes: `handlers` maps a node name to a
function of (positions, children).  With `tree_handlers` the result is the
very tree Lark builds; the model builder of `protocol_dsl.syntax.builder` passes its
own methods, so no tree is built at all.

Anything this driver does not handle the way Lark would — an unexpected
token or character, a handler that raises — raises `Fallback`, and the
caller parses again with Lark, whose errors and diagnostics are then exactly
the usual ones.  Side effects of the attempt (the lexer's comment callback)
are the caller's to undo.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from lark import Lark, Token, Tree
from lark.grammar import Rule, Terminal
from lark.parsers.lalr_analysis import Shift
from lark.tree import Meta

from protocol_dsl.errors import ControlFlow
from protocol_dsl.syntax.lexer import FastContextualLexer

#: A node's maker: (its positions, its children) -> the node.
Handler = Callable[["Positions", list[Any]], Any]
#: Called when the parser refuses a token: a replacement token to feed in its
#: place, or None.  The second argument tells whether a terminal would be accepted.
Rescue = Callable[[Token, Callable[[str], bool]], "Token | None"]


class Fallback(ControlFlow):
    """This input needs Lark's own parser (a syntax error, or a handler that raised)."""


class Positions:
    """Where a node is in the text (the attributes of Lark's `Meta` that positions use).

    `height` is the height of the node's tree: 1 for a node without nodes
    below it, 0 for a token passed up by a `?rule`.
    """

    __slots__ = (
        "column",
        "empty",
        "end_column",
        "end_line",
        "end_pos",
        "height",
        "line",
        "start_pos",
    )

    def __init__(self, first: Any, last: Any, height: int) -> None:
        self.line = first.line
        self.column = first.column
        self.start_pos = first.start_pos
        self.end_line = last.end_line
        self.end_column = last.end_column
        self.end_pos = last.end_pos
        self.empty = False
        self.height = height


class _NoPositions:
    """The positions of a node without text (an empty file's module)."""

    __slots__ = ()
    empty = True


NO_POSITIONS: Any = _NoPositions()


class _Plan:
    """What one grammar rule's reduction does, worked out once."""

    __slots__ = (
        "child",
        "expand1",
        "include",
        "inline",
        "name",
        "nonterminals",
        "origin",
        "passes",
        "size",
        "token_child",
    )

    def __init__(self, rule: Rule) -> None:
        options = rule.options
        if options.template_source is not None:
            raise ValueError(f"templates are not supported: {rule}")
        self.size = len(rule.expansion)
        self.origin = rule.origin.name
        self.name = rule.alias or rule.origin.name
        self.inline = self.name.startswith("_")
        self.expand1 = bool(options.expand1) and not rule.alias
        #: Offsets (from the end of the stack) of the children that are rules.
        self.nonterminals = tuple(
            index - self.size for index, symbol in enumerate(rule.expansion) if not symbol.is_term
        )
        include: list[tuple[int, bool]] = []
        for index, symbol in enumerate(rule.expansion):
            if options.keep_all_tokens or not (isinstance(symbol, Terminal) and symbol.filter_out):
                include.append((index, not symbol.is_term and symbol.name.startswith("_")))
        #: None when the children are the symbols as they are (nothing dropped or inlined).
        self.include: tuple[tuple[int, bool], ...] | None = (
            None
            if len(include) == self.size and not any(expand for _, expand in include)
            else tuple(include)
        )
        #: Whether the rule always passes its one child through (a `?rule` of one symbol kept).
        self.passes = self.expand1 and len(include) == 1
        #: The index of that child, and whether it is a token of the rule itself.
        self.child = include[0][0] if self.passes else -1
        self.token_child = self.passes and rule.expansion[self.child].is_term
        if self.inline and (rule.alias or self.expand1):
            raise ValueError(f"an inlined rule cannot be aliased or expanded: {rule}")
        if self.expand1 and any(expand for _, expand in include):
            # A passed-through child must be a symbol of the rule itself (see `_parse`).
            raise ValueError(f"a ?rule with an inlined child is not supported: {rule}")
        if self.expand1 and not self.passes:
            # Whether it makes a node would depend on how many children the
            # inlined rules bring; this grammar has no such rule.
            raise ValueError(f"a ?rule keeping several symbols is not supported: {rule}")


class Driver:
    """The parse of one grammar: its table, its lexer and its reduction plans."""

    def __init__(self, lark: Lark, start: str = "start") -> None:
        options = lark.options
        if (
            options.parser != "lalr"
            or options.maybe_placeholders
            or not options.propagate_positions
        ):
            raise ValueError("the driver mirrors LALR with propagate_positions and no placeholders")
        if options.keep_all_tokens or options.tree_class not in (None, Tree):
            raise ValueError("the driver mirrors the default tree shape only")
        if not isinstance(lark.parser.lexer, FastContextualLexer):
            raise ValueError("the driver scans with FastContextualLexer")
        table = lark.parser.parser._parse_table
        self.lexer: FastContextualLexer = lark.parser.lexer
        self.states: dict[int, dict[str, tuple[Any, Any]]] = table.states
        self.start_state: int = table.start_states[start]
        self.end_state: int = table.end_states[start]
        self.plans: dict[Rule, _Plan] = {rule: _Plan(rule) for rule in lark.rules}
        nullable = [plan.origin for plan in self.plans.values() if plan.size == 0]
        if any(origin != start for origin in nullable):
            # Only the start rule may be empty: an empty node passed through or
            # kept beside tokens would get positions after it was built.
            raise ValueError(f"rules that can be empty are not supported: {nullable}")
        #: Every name a node of the tree can have (a `?rule` of one child makes none).
        self.names = frozenset(
            plan.name for plan in self.plans.values() if not plan.inline and not plan.passes
        )
        #: Each visited state's actions: the next state (an int) or the rule to reduce.
        self._rows: dict[int, dict[str, int | _Plan]] = {}

    def _row(self, state: int) -> dict[str, int | _Plan]:
        row = self._rows.get(state)
        if row is None:
            plans = self.plans
            row = {
                symbol: arg if kind is Shift else plans[arg]
                for symbol, (kind, arg) in self.states[state].items()
            }
            self._rows[state] = row
        return row

    def accepts(self, state_stack: list[int], terminal: str) -> bool:
        """Whether `terminal` would be shifted from this stack (after any reductions)."""
        stack = list(state_stack)
        while True:
            action = self._row(stack[-1]).get(terminal)
            if action is None:
                return False
            if isinstance(action, int):
                return True
            if action.size:
                del stack[-action.size :]
            goto = self._row(stack[-1])[action.origin]
            assert isinstance(goto, int)
            stack.append(goto)

    def parse(
        self,
        text: str,
        handlers: dict[str, Handler],
        rescue: Rescue | None = None,
        max_height: int | None = None,
    ) -> tuple[Any, int]:
        """The root node of `text` and the height of the tree it stands for.

        The height counts the tree nodes on the longest path from the root (a
        tree of one node has height 1), as Lark's tree would have them; past
        `max_height` the driver steps aside (`Fallback`).
        """
        try:
            return self._parse(text, handlers, rescue, max_height or sys.maxsize)
        except Fallback:
            raise
        except Exception as error:  # a handler refused its node: Lark reports it
            raise Fallback(repr(error)) from error

    def _parse(
        self, text: str, handlers: dict[str, Handler], rescue: Rescue | None, max_height: int
    ) -> tuple[Any, int]:
        lexer = self.lexer
        program_of = lexer._program_of
        rows = self._rows
        row_of = self._row
        end_state = self.end_state
        new_token = Token._future_new
        end = len(text)
        pos = 0
        line = 1
        line_start = 0
        state_stack = [self.start_state]
        values: list[Any] = []
        # Per value, what Lark's positions read for it: the token itself, or
        # the node's outer positions (with its height).
        places: list[Any] = []
        value: Any  # a token's text while scanning, then what a reduction makes
        place: Positions | None
        while True:
            # ---- scan one token in the state the parser is in (as FastContextualLexer)
            token = None
            if pos < end:
                state = state_stack[-1]
                program = program_of.get(state) or lexer._program(state)
                ignore = program.ignore
                callbacks = program.callbacks
                match = program.match
                while pos < end:
                    found = match(text, pos, end)
                    if found is None:
                        raise Fallback("unexpected character")
                    value, type_ = found
                    ignored = type_ in ignore
                    callback = callbacks.get(type_)
                    start_pos = pos
                    start_line = line
                    start_column = pos - line_start + 1
                    if type_ in program.newline:
                        newlines = value.count("\n")
                        if newlines:
                            line += newlines
                            line_start = pos + value.rindex("\n") + 1
                    pos += len(value)
                    if ignored and callback is None:
                        continue
                    token = new_token(
                        type_,
                        value,
                        start_pos,
                        start_line,
                        start_column,
                        line,
                        pos - line_start + 1,
                        pos,
                    )
                    keyword = program.keywords.get(type_)
                    if keyword is not None:
                        token.type = keyword.get(value, type_)
                    if callback is not None and token.type == type_:
                        token = callback(token)
                    if not ignored:
                        break
                    token = None
            is_end = token is None
            ttype = "$END" if token is None else token.type
            # ---- feed it: reduce until it can be shifted (or the input is accepted)
            while True:
                state = state_stack[-1]
                row = rows.get(state) or row_of(state)
                action = row.get(ttype)
                if action is None:
                    replacement = None
                    if rescue is not None and token is not None:
                        replacement = rescue(
                            token, lambda terminal: self.accepts(state_stack, terminal)
                        )
                    if replacement is None:
                        raise Fallback("unexpected token")
                    token = replacement
                    ttype = token.type
                    continue
                if isinstance(action, int):
                    state_stack.append(action)
                    values.append(token)
                    places.append(token)
                    break
                plan = action
                size = plan.size
                height = 0
                for offset in plan.nonterminals:
                    below = places[offset].height
                    if below > height:
                        height = below
                if size:
                    first = places[-size]
                    final = places[-1]
                    if first is None or final is None:
                        kept = [p for p in places[-size:] if p is not None]
                        first, final = (kept[0], kept[-1]) if kept else (None, None)
                    if plan.passes:
                        child_place = places[plan.child - size]
                    raw = values[-size:]
                    del values[-size:], places[-size:], state_stack[-size:]
                else:
                    raw = []
                    first = final = None
                include = plan.include
                if include is None:
                    children = raw
                else:
                    children = []
                    for index, expand in include:
                        if expand:
                            children.extend(raw[index])
                        else:
                            children.append(raw[index])
                if plan.passes:
                    value = children[0]
                    if plan.token_child:
                        place = Positions(value, value, 0)
                    elif size == 1 or height == 0:
                        # A node alone in the rule keeps its outer positions; so
                        # does a token passed up (Lark moves only a node's).
                        place = child_place
                    else:
                        # A node's outer positions grow to the rule's text
                        # (e.g. the parentheses around an expression).
                        place = Positions(first, final, height)
                elif plan.inline:
                    value = children
                    place = None if first is None else Positions(first, final, height)
                else:
                    height += 1
                    if height > max_height:
                        raise Fallback("nested too deeply")
                    place = NO_POSITIONS if first is None else Positions(first, final, height)
                    value = handlers[plan.name](place, children)
                    if first is None:
                        place = None
                goto = (rows.get(state_stack[-1]) or row_of(state_stack[-1]))[plan.origin]
                state_stack.append(goto)  # type: ignore[arg-type]
                values.append(value)
                places.append(place)
                if is_end and goto == end_state:
                    return value, height


def _lark_meta(positions: Any) -> Meta:
    meta = Meta()
    if not positions.empty:
        meta.line = positions.line
        meta.column = positions.column
        meta.start_pos = positions.start_pos
        meta.end_line = positions.end_line
        meta.end_column = positions.end_column
        meta.end_pos = positions.end_pos
        meta.empty = False
    return meta


def tree_handlers(driver: Driver) -> dict[str, Handler]:
    """Handlers that build Lark's own tree (the tests compare it with Lark's)."""

    def maker(name: str) -> Handler:
        return lambda positions, children: Tree(name, children, _lark_meta(positions))

    return {name: maker(name) for name in driver.names}
