"""Canonical source text of expressions and literals.

The formatter prints whole files with it, the semantic diff shows old and new
rules with it, and generated artefacts quote rules with it.  Printing then
parsing gives the same model: parentheses are added exactly where precedence
needs them.
"""

from __future__ import annotations

import inspect
import re
from decimal import Decimal
from fractions import Fraction

from protocol_dsl import model as m
from protocol_dsl.syntax.keywords import KEYWORD_UNITS, keywords, unit_word
from protocol_dsl.visitor import ExprVisitor

# Binding strength, loosest first; mirrors the grammar.
_LOWEST = 0  # any/none/all, if-then-else
_IMPLIES = 1
_OR = 2
_AND = 3
_COMPARE = 5
_SUM = 6
_PRODUCT = 7
_UNARY = 8
_POSTFIX = 9
_ATOM = 10


# What `quote` must escape: the backslash and the double quote, and every
# character a reader cannot see or an editor would turn into something else
# (tab, carriage return, other control characters, line and paragraph
# separators, lone surrogates).  A line break is kept as it is: long texts
# read better on several lines, and the lexer reads it back unchanged -- unless
# the line would end in a space, which editors strip: then it is written `\n`.
_MUST_ESCAPE = re.compile(r'[\\"\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]|(?<= )\n')
_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\r": "\\r", "\n": "\\n"}


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    return _SHORT_ESCAPES.get(char) or f"\\u{{{ord(char):x}}}"


def quote(text: str) -> str:
    """The string literal for `text`: the one printer of strings, the inverse of `unquote`.

    Escapes exactly what the lexer un-escapes (`builder.unquote`): `\\\\`, `\\"`,
    `\\t`, `\\r` and `\\u{HEX}` for any other invisible character; line breaks
    stay line breaks (`\\n` after a space).
    """
    return '"' + _MUST_ESCAPE.sub(_escape, text) + '"'


def number(value: Decimal) -> str:
    return m.format_decimal(value)


def is_bare_unit(unit: str) -> bool:
    """Whether a unit can follow its number unquoted (else it is written '…')."""
    if not unit_word().fullmatch(unit):
        return False
    return unit not in keywords() or unit in KEYWORD_UNITS


def unit(text: str) -> str:
    return text if is_bare_unit(text) else f"'{text}'"


def quantity(q: m.Quantity) -> str:
    return f"{number(q.value)} {unit(q.unit)}"


def position(p: m.Position) -> str:
    """A place on the time line as written: `day -3`, `week 12`, `2 weeks after first_dose`."""
    if p.anchor is None:
        if p.as_week and p.week is not None:
            return f"week {p.week}"
        return f"day {p.day}"
    if p.offset is None or p.direction is None:
        return p.anchor
    return f"{quantity(p.offset)} {p.direction} {p.anchor}"


def signed(value: Decimal) -> str:
    return number(value) if value >= 0 else f"-{number(-value)}"


def value(v: m.Value) -> str:
    """A field value as canonically written."""
    if v.kind == "string":
        return quote(str(v.value))
    if v.kind == "number":
        if isinstance(v.value, Fraction):
            return v.text  # a ratio as the protocol states it: 20/3, 5/0.75
        assert isinstance(v.value, Decimal)
        return signed(v.value)
    if v.kind == "quantity":
        assert isinstance(v.value, m.Quantity)
        # "phase 1b" is a number glued to a word: keep it as written
        if v.text and not any(c.isspace() for c in v.text):
            return v.text
        return quantity(v.value)
    if v.kind == "titer":
        return f"1:{v.value}"
    if v.kind == "date":
        return str(v.value)
    return str(v.value)


def code(c: m.Code) -> str:
    return f"[{c.system} {c.value}]"


def is_chain(node: m.Expr) -> bool:
    """Whether `node` is a comparison chain `a <= x < b`, printed as one comparison."""
    return (
        isinstance(node, m.Logic)
        and node.chained
        and node.op == "and"
        and isinstance(node.left, m.Compare)
        and isinstance(node.right, m.Compare)
        and node.left.right == node.right.left
    )


def _is_and(node: m.Expr) -> bool:
    """An `and` of two conditions (a chain reads as one comparison, not as an `and`)."""
    return isinstance(node, m.Logic) and node.op == "and" and not is_chain(node)


def expr(node: m.Expr) -> str:
    """The canonical source of an expression."""
    return _expr(node, _LOWEST)


def _wrap(text: str, own: int, context: int) -> str:
    return f"({text})" if own < context else text


def _expr(node: m.Expr, context: int) -> str:
    """The source of `node` where the surrounding binding strength is `context`."""
    return _PRINTER.visit(node, context)


class _Printer(ExprVisitor[str, [int]]):
    """Prints one node kind per method; `context` is the binding strength around it."""

    def visit_number_lit(self, node: m.NumberLit, context: int) -> str:
        return number(node.value)

    def visit_quantity_lit(self, node: m.QuantityLit, context: int) -> str:
        return quantity(node.quantity)

    def visit_text_lit(self, node: m.TextLit, context: int) -> str:
        return quote(node.value)

    def visit_date_lit(self, node: m.DateLit, context: int) -> str:
        return str(node.value)

    def visit_titer_lit(self, node: m.TiterLit, context: int) -> str:
        return f"1:{node.denominator}"

    def visit_bool_lit(self, node: m.BoolLit, context: int) -> str:
        return "yes" if node.value else "no"

    def visit_ref(self, node: m.Ref, context: int) -> str:
        return node.dotted

    def visit_at_previous(self, node: m.AtPrevious, context: int) -> str:
        # like "at VISIT": after a name or a parenthesised expression only
        inner = (
            node.expr.dotted if isinstance(node.expr, m.Ref) else f"({self.visit(node.expr, 0)})"
        )
        return f"{inner} at previous visit"

    def visit_at_visit(self, node: m.AtVisit, context: int) -> str:
        # "at VISIT" follows a name or a parenthesised expression only
        inner = (
            node.expr.dotted if isinstance(node.expr, m.Ref) else f"({self.visit(node.expr, 0)})"
        )
        return f"{inner} at {node.visit}"

    def visit_negate(self, node: m.Negate, context: int) -> str:
        return _wrap(f"-{self.visit(node.expr, _UNARY)}", _UNARY, context)

    def visit_not(self, node: m.Not, context: int) -> str:
        return _wrap(f"not {self.visit(node.expr, _COMPARE)}", _COMPARE, context)

    def visit_arith(self, node: m.Arith, context: int) -> str:
        level = _SUM if node.op in "+-" else _PRODUCT
        text = f"{self.visit(node.left, level)} {node.op} {self.visit(node.right, level + 1)}"
        return _wrap(text, level, context)

    def visit_logic(self, node: m.Logic, context: int) -> str:
        if is_chain(node):
            first, second = node.left, node.right
            assert isinstance(first, m.Compare) and isinstance(second, m.Compare)
            text = (
                f"{self.visit(first.left, _SUM)} {first.op} {self.visit(first.right, _SUM)} "
                f"{second.op} {self.visit(second.right, _SUM)}"
            )
            return _wrap(text, _COMPARE, context)
        if node.op == "implies":
            text = f"{self.visit(node.left, _OR)} implies {self.visit(node.right, _OR)}"
            return _wrap(text, _IMPLIES, context)
        level = _OR if node.op == "or" else _AND
        # "a or (b and c)": not needed by the grammar, but no reader should need to know that
        left, right = level, level + 1
        if node.op == "or":
            left = _AND + 1 if _is_and(node.left) else left
            right = _AND + 1 if _is_and(node.right) else right
        text = f"{self.visit(node.left, left)} {node.op} {self.visit(node.right, right)}"
        return _wrap(text, level, context)

    def visit_compare(self, node: m.Compare, context: int) -> str:
        text = f"{self.visit(node.left, _SUM)} {node.op} {self.visit(node.right, _SUM)}"
        return _wrap(text, _COMPARE, context)

    def visit_between(self, node: m.Between, context: int) -> str:
        text = (
            f"{self.visit(node.expr, _SUM)} between {self.visit(node.low, _SUM)} "
            f"and {self.visit(node.high, _SUM)}"
        )
        return _wrap(text, _COMPARE, context)

    def visit_member_of(self, node: m.MemberOf, context: int) -> str:
        target = (
            node.codelist.dotted
            if node.codelist is not None
            else "{" + ", ".join(node.values) + "}"
        )
        return _wrap(f"{self.visit(node.expr, _SUM)} in {target}", _COMPARE, context)

    def visit_contains(self, node: m.Contains, context: int) -> str:
        text = f"{self.visit(node.text, _SUM)} contains {self.visit(node.part, _SUM)}"
        return _wrap(text, _COMPARE, context)

    def visit_is_known(self, node: m.IsKnown, context: int) -> str:
        word = "missing" if node.missing else "known"
        return _wrap(f"{self.visit(node.expr, _SUM)} is {word}", _COMPARE, context)

    def visit_within(self, node: m.Within, context: int) -> str:
        return self._window(node, "within", context)

    def visit_at_least(self, node: m.AtLeast, context: int) -> str:
        return self._window(node, "at least", context)

    def _window(self, node: m.Within | m.AtLeast, keyword: str, context: int) -> str:
        text = (
            f"{self.visit(node.expr, _SUM)} {keyword} {self.visit(node.duration, _SUM)} "
            f"{node.direction} {self.visit(node.anchor, _SUM)}"
        )
        return _wrap(text, _COMPARE, context)

    def visit_quantifier(self, node: m.Quantifier, context: int) -> str:
        text = f"{node.kind} {node.form}"
        if node.where is not None:
            text += f" where {self.visit(node.where, _IMPLIES)}"
        if node.kind == "all":
            assert node.satisfy is not None
            text += f" satisfy {self.visit(node.satisfy, _LOWEST)}"
        # extends to the right: parenthesise unless it is the whole expression
        return f"({text})" if context > _LOWEST else text

    def visit_visit_quantifier(self, node: m.VisitQuantifier, context: int) -> str:
        span = f"from {node.start} to {node.end}" if node.end is not None else f"after {node.start}"
        if node.kind == "any":
            text = f"any visit {span} where {self.visit(node.cond, _LOWEST)}"
        else:
            text = f"all visits {span} satisfy {self.visit(node.cond, _LOWEST)}"
        # extends to the right: parenthesise unless it is the whole expression
        return f"({text})" if context > _LOWEST else text

    def visit_aggregate(self, node: m.Aggregate, context: int) -> str:
        inner = node.target.dotted
        if node.where is not None:
            inner += f" where {self.visit(node.where, _LOWEST)}"
        return f"{node.kind}({inner})"

    def visit_call(self, node: m.Call, context: int) -> str:
        return f"{node.function}({', '.join(self.visit(a, _LOWEST) for a in node.args)})"

    def visit_conditional(self, node: m.Conditional, context: int) -> str:
        text = (
            f"if {self.visit(node.condition, _LOWEST)} then {self.visit(node.then, _LOWEST)} "
            f"else {self.visit(node.otherwise, _LOWEST)}"
        )
        return f"({text})" if context > _LOWEST else text


_PRINTER = _Printer()


def endpoint_kind(endpoint: m.Endpoint) -> tuple[str, ...]:
    """The source of an endpoint's kind: one clause, or the four of a time to event."""
    if endpoint.kind is None:
        return ()
    if endpoint.kind == "record_flag":
        return (f"flag per {endpoint.per}",)
    if isinstance(endpoint.event, m.EventCount):
        return _event_count(endpoint.kind, endpoint.event)
    if endpoint.kind != "time_to_event" or not isinstance(endpoint.event, m.TimeToEvent):
        return (endpoint.kind,)
    event = endpoint.event
    first = f"event first {event.log}.{event.date}"
    if event.where is not None:
        first += f" where {_expr(event.where, _IMPLIES)}"
    return (
        f"time_to_event from {_expr(event.origin, _SUM)}",
        first,
        f"censored_at {_expr(event.censor, _SUM)}",
    )


def _event_count(kind: str, counted: m.EventCount) -> tuple[str, ...]:
    """`count of LOG [where …]`, or a rate's clauses: what is counted, per what, over when."""
    where = f" where {_expr(counted.where, _IMPLIES)}" if counted.where is not None else ""
    if kind == "count" or counted.per is None or counted.start is None or counted.end is None:
        return (f"count of {counted.log}{where}",)
    per = counted.per
    unit = per.unit if per.value == 1 else str(per)
    until = f"to {_expr(counted.end, _SUM)}"
    if counted.fallback is not None:
        until += f" else {_expr(counted.fallback, _SUM)}"
    return (
        f"rate of {counted.log}.{counted.date}{where}",
        f"per {unit}",
        f"from {_expr(counted.start, _SUM)}",
        until,
    )


def block_text(token: str) -> str:
    """The text of a `\"\"\"…\"\"\"` block as the writer meant it (the inverse of `text_block`).

    Taken as written, without escapes; the line breaks right inside the quotes,
    the indentation common to the lines (the block sits indented in the file)
    and the spaces at the ends of lines are not part of the text.
    """
    body = inspect.cleandoc(token[3:-3].replace("\r\n", "\n"))
    return "\n".join(line.rstrip() for line in body.split("\n")).strip("\n")


def text_block(text: str, indent: str) -> list[str] | None:
    """The lines of `text` as a `\"\"\"…\"\"\"` block, its lines indented by `indent`.

    None when the block would not read back as the same text (`block_text` drops
    leading indentation and spaces at line ends, and three quotes end the
    block): such a text is written as a quoted string instead.
    """
    lines = ['"""', *(f"{indent}{line}" if line else "" for line in text.split("\n")), '"""']
    if '"""' in text or block_text("\n".join(lines)) != text:
        return None
    return lines
