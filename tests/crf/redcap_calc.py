"""An evaluator of the subset of REDCap's calculation syntax the REDCap back end writes.

No maintained package on PyPI evaluates REDCap logic, so the tests carry this
small one.  It follows REDCap's documentation of calculated fields and
branching logic for what it covers:

- field values are text; a blank field is the empty text `''`;
- `[field]` reads a field of the current record and event;
- numbers, quoted text ('…' or "…"), `+ - * /`, parentheses;
- comparisons `= <> < <= > >=`: text compared with text (`[x] = '1'`), numbers
  as numbers when both sides read as numbers; a blank never equals a non-blank;
- `and`, `or`;
- `if(condition, then, else)`; `isblankormissingcode(x)`: x is blank;
- `sum(…)`, `max(…)`, `min(…)`: blanks are left out, so `sum()` counts a blank
  as zero (REDCap documents this), and `max()` of blanks only is blank;
- arithmetic with a blank operand gives blank (REDCap's calc stays empty).

The result is a `Decimal`, a text, or `''` for a blank calc.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

Value = Decimal | str | bool

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<text>'[^']*'|\"[^\"]*\")|(?P<field>\[[a-z0-9_]+\])"
    r"|(?P<word>[A-Za-z_]+)|(?P<op><>|<=|>=|[-+*/=<>(),]))"
)


def evaluate(formula: str, record: Mapping[str, str]) -> Value:
    tokens = _tokens(formula)
    parser = _Parser(tokens, record)
    value = parser.expression()
    assert parser.position == len(tokens), f"trailing tokens in {formula!r}"
    return value


def _tokens(formula: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    position = 0
    formula = formula.rstrip()
    while position < len(formula):
        match = _TOKEN.match(formula, position)
        assert match is not None and match.end() > position, formula[position:]
        kind = match.lastgroup
        assert kind is not None
        out.append((kind, match[kind]))
        position = match.end()
    return out


def _number(value: Value) -> Decimal | None:
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(value) if value != "" else None
    except InvalidOperation:
        return None


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], record: Mapping[str, str]) -> None:
        self.tokens = tokens
        self.position = 0
        self.record = record

    def peek(self) -> str | None:
        return self.tokens[self.position][1] if self.position < len(self.tokens) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        token = self.tokens[self.position]
        assert expected is None or token[1].lower() == expected, (token, expected)
        self.position += 1
        return token

    def expression(self) -> Value:
        value = self.conjunction()
        while (self.peek() or "").lower() == "or":
            self.take()
            right = self.conjunction()
            value = bool(value) or bool(right)
        return value

    def conjunction(self) -> Value:
        value = self.comparison()
        while (self.peek() or "").lower() == "and":
            self.take()
            right = self.comparison()
            value = bool(value) and bool(right)
        return value

    def comparison(self) -> Value:
        left = self.additive()
        op = self.peek()
        if op not in ("=", "<>", "<", "<=", ">", ">="):
            return left
        self.take()
        right = self.additive()
        a, b = _number(left), _number(right)
        if a is not None and b is not None:
            pair: tuple[Decimal | str, Decimal | str] = (a, b)
        else:
            pair = (str(left), str(right))
        compare: dict[str, Callable[[object, object], bool]] = {
            "=": lambda x, y: x == y,
            "<>": lambda x, y: x != y,
            "<": lambda x, y: x < y,  # type: ignore[operator]
            "<=": lambda x, y: x <= y,  # type: ignore[operator]
            ">": lambda x, y: x > y,  # type: ignore[operator]
            ">=": lambda x, y: x >= y,  # type: ignore[operator]
        }
        if "" in pair and op not in ("=", "<>"):
            return False
        return compare[op](*pair)

    def additive(self) -> Value:
        value = self.multiplicative()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            value = _arith(op, value, self.multiplicative())
        return value

    def multiplicative(self) -> Value:
        value = self.unary()
        while self.peek() in ("*", "/"):
            op = self.take()[1]
            value = _arith(op, value, self.unary())
        return value

    def unary(self) -> Value:
        if self.peek() == "-":
            self.take()
            return _arith("-", Decimal(0), self.unary())
        return self.primary()

    def primary(self) -> Value:
        kind, text = self.take()
        if kind == "number":
            return Decimal(text)
        if kind == "text":
            return text[1:-1]
        if kind == "field":
            return self.record.get(text[1:-1], "")
        if text == "(":
            value = self.expression()
            self.take(")")
            return value
        assert kind == "word", text
        name = text.lower()
        self.take("(")
        if name == "if":
            condition = self.expression()
            self.take(",")
            then = self.expression()
            self.take(",")
            otherwise = self.expression()
            self.take(")")
            return then if condition else otherwise
        arguments = [self.expression()]
        while self.peek() == ",":
            self.take()
            arguments.append(self.expression())
        self.take(")")
        if name == "isblankormissingcode":
            return arguments[0] == ""
        numbers = [n for n in map(_number, arguments) if n is not None]
        if name == "sum":
            return sum(numbers, Decimal(0))
        if name in ("max", "min"):
            return (max if name == "max" else min)(numbers) if numbers else ""
        raise AssertionError(f"function {name} is outside the subset")


def _arith(op: str, left: Value, right: Value) -> Value:
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return ""
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return a / b if b != 0 else ""
