"""The model builder: a Lark syntax tree → model nodes.

`ModelBuilder` has one method per grammar rule; each turns the rule's children
into a `protocol_dsl.model` node that carries the span of the text it was
built from, or into a tagged `(option, value)` pair that the declaration
around it collects.  `protocol_dsl.syntax.parser` runs it as a Lark
`Transformer` over the parsed tree.  Problems that only the builder can see
(a number too large, a date that is not a calendar date) are raised as
`SyntaxProblem`, which the parser turns into a diagnostic.

This module knows the grammar's rule names but not how the parser is set up:
it never imports `protocol_dsl.syntax.parser`.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import attrs
from lark import Token, Transformer, v_args

from protocol_dsl import durations
from protocol_dsl import model as m
from protocol_dsl.errors import UserError
from protocol_dsl.syntax import printer


class SyntaxProblem(UserError):
    """A problem found while building the model that is a user error."""

    def __init__(self, code: str, message: str, span: m.Span, help: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.span = span
        self.help = help


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
    (`\\"`, `\\\\`) stands for that character.  A line break written in the
    literal is a line feed whatever the file's line endings: a spec saved with
    Windows line endings says the same thing.
    """
    return _ESCAPE.sub(_unescape, token[1:-1].replace("\r\n", "\n"))


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


#: A builder method for a rule that only tags its value for the declaration around it.
Clause = Callable[[Any, list[Any]], Any]


def _flag(option: str) -> Clause:
    """A clause whose presence turns `option` on (`required`, `unscheduled`)."""

    def clause(self: Any, children: list[Any]) -> tuple[str, bool]:
        return (option, True)

    return clause


def _option(option: str) -> Clause:
    """A clause whose one child, already built, is the value of `option`."""

    def clause(self: Any, children: list[Any]) -> tuple[str, Any]:
        return (option, children[0])

    return clause


def _text_option(option: str) -> Clause:
    """A clause whose quoted text is the value of `option`."""

    def clause(self: Any, children: list[Any]) -> tuple[str, str]:
        return (option, unquote(children[0]))

    return clause


def _name_option(option: str) -> Clause:
    """A clause whose name is the value of `option`."""

    def clause(self: Any, children: list[Any]) -> tuple[str, str]:
        return (option, str(children[0]))

    return clause


def _quantity_option(option: str) -> Clause:
    """A clause whose quantity is the value of `option`."""

    def clause(self: Any, children: list[Any]) -> tuple[str, m.Quantity]:
        return (option, children[0].quantity)

    return clause


def _word(word: str) -> Clause:
    """A keyword rule (`<=`, `primary`, `before`): the word the model stores for it."""

    def clause(self: Any, children: list[Any]) -> str:
        return word

    return clause


class _Details(tuple[m.Field, ...]):
    """The `{ … }` details of a field, told apart from its values while it is built."""


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
            # only `start` can match no text (a file of blanks and comments): the
            # module is then where the file starts
            return m.Span(self.path, 1, 1, 1, 1, 0, 0)
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
    def _label(children: list[Any], at: int = 1) -> str | None:
        """The optional quoted label right after a declaration's name."""
        if len(children) > at:
            child = children[at]
            if isinstance(child, Token) and child.type == "STRING":
                return unquote(child)
        return None

    @staticmethod
    def _label_and_options(parts: list[Any]) -> tuple[str | None, dict[str, Any]]:
        """A declaration's quoted label and its tagged `(option, value)` clauses."""
        label = None
        options: dict[str, Any] = {}
        for part in parts:
            if isinstance(part, Token) and part.type == "STRING":
                label = unquote(part)
            elif isinstance(part, tuple):
                options[part[0]] = part[1]
        return label, options

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
    def allow_mark(self, meta: Any, children: list[Any]) -> m.Mark:
        return m.Mark("allow", unquote(children[1]), str(children[0]), span=self.span(meta))

    @v_args(meta=True)
    def was_mark(self, meta: Any, children: list[Any]) -> m.Mark:
        return m.Mark("was", str(children[0]), span=self.span(meta))

    @v_args(meta=True)
    def code(self, meta: Any, children: list[Any]) -> m.Code:
        return m.Code(str(children[0]), str(children[1]), span=self.span(meta))

    def name_list(self, children: list[Any]) -> tuple[str, ...]:
        return tuple(str(c) for c in children)

    @v_args(meta=True)
    def dotted(self, meta: Any, children: list[Any]) -> m.Ref:
        return m.Ref(tuple(str(c) for c in children), span=self.span(meta))

    def visit_list(self, children: list[Any]) -> tuple[str, ...]:
        # kept as text: `treatment_cycle.D1` names a cycle's template visit
        return tuple(ref.dotted for ref in children)

    def unsigned(self, children: list[Any]) -> tuple[Decimal, m.Span]:
        return _decimal(str(children[0]), self.tspan(children[0])), self.tspan(children[0])

    def negative(self, children: list[Any]) -> tuple[Decimal, m.Span]:
        return -_decimal(str(children[0]), self.tspan(children[0])), self.tspan(children[0])

    positive = unsigned

    @v_args(meta=True)
    def ratio(self, meta: Any, children: list[Any]) -> m.Value:
        return self._ratio(meta, children, 1)

    @v_args(meta=True)
    def negative_ratio(self, meta: Any, children: list[Any]) -> m.Value:
        return self._ratio(meta, children, -1)

    def _ratio(self, meta: Any, children: list[Any], sign: int) -> m.Value:
        numerator, denominator = children
        top = _decimal(str(numerator), self.tspan(numerator))
        bottom = _decimal(str(denominator), self.tspan(denominator))
        if bottom == 0:
            raise SyntaxProblem(
                "E0142",
                f"the ratio {numerator}/{denominator} divides by zero",
                self.span(meta),
                help="write the ratio as the protocol states it, e.g. 20/3 or 5/0.75",
            )
        # kept exact: 20/3 is not 6.67, and the difference decides at a threshold
        value = sign * Fraction(top) / Fraction(bottom)
        text = f"{'-' if sign < 0 else ''}{numerator}/{denominator}"
        return m.Value("number", value, text, span=self.span(meta))

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
        if isinstance(child, m.Value):  # a ratio, built whole
            return child
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
        details = next((c for c in children if isinstance(c, _Details)), _Details())
        values = tuple(
            self._value(c) for c in children[1:] if not isinstance(c, (m.Code, m.Mark, _Details))
        )
        return m.Field(
            key,
            values,
            self._codes(children),
            self._marks(children),
            tuple(details),
            span=self.span(meta),
        )

    def field_details(self, children: list[Any]) -> _Details:
        return _Details(children)

    #: a regimen's `key value` settings are fields (their own rule: `dose` is a clause there)
    regimen_setting = field

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

    item_required = _flag("required")
    item_for_reporting = _flag("for_reporting")
    item_when = _option("when")
    item_at = _option("visits")

    @v_args(meta=True)
    def item_partial(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        rule = next((str(c) for c in children if c is not None), None)
        return ("partial", (True, rule))

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
            *options.get("partial", (False, None)),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def item_group(self, meta: Any, children: list[Any]) -> tuple[m.ItemGroup, list[m.Item]]:
        group = m.ItemGroup(str(children[0]), self._label(children), span=self.span(meta))
        # mypy's attrs plugin knows only attrs' own decorators, not `model.node`
        items = [
            attrs.evolve(i, group=group.name)  # type: ignore[misc]
            for i in children
            if isinstance(i, m.Item)
        ]
        return group, items

    @v_args(meta=True)
    def derive_decl(self, meta: Any, children: list[Any]) -> m.Derive:
        expr = next(c for c in children[1:] if _is_expr(c))
        return m.Derive(
            str(children[0]),
            self._label(children),
            expr,
            self._marks(children),
            span=self.span(meta),
        )

    repeating = _flag("repeating")
    collected_at = _option("visits")
    none_recorded_by = _option("none_recorded_by")

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
        expr = next(c for c in children[1:] if _is_expr(c))
        params = children[1] if isinstance(children[1], tuple) else ()
        return m.Define(
            str(children[0]),
            self._label(children, 2 if params else 1),
            expr,
            self._marks(children),
            params,
            span=self.span(meta),
        )

    def parameters(self, children: list[Any]) -> tuple[str, ...]:
        return tuple(str(c) for c in children)

    @v_args(meta=True)
    def conversion_decl(self, meta: Any, children: list[Any]) -> m.Conversion:
        source, target = (
            c for c in children[1:] if isinstance(c, str) and not isinstance(c, Token)
        )
        return m.Conversion(
            str(children[0]),
            self._label(children),
            source,
            target,
            next(c for c in children[1:] if _is_expr(c)),
            self._codes(children),
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def score_item(self, meta: Any, children: list[Any]) -> m.ScoreItem:
        expr = next((c for c in children[2:] if _is_expr(c)), None)
        return m.ScoreItem(
            str(children[0]),
            _decimal(str(children[1]), self.tspan(children[1])),
            self._label(children, 2),
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

    score_lookback = _quantity_option("lookback")

    def score_range(self, children: list[Any]) -> tuple[str, Any]:
        low = _decimal(str(children[0]), self.tspan(children[0]))
        high = _decimal(str(children[1]), self.tspan(children[1]))
        return ("range", (low, high))

    score_rule = _name_option("rule")
    score_form = _option("form")

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
        base = next(c for c in children if isinstance(c, m.Ref))
        without = next(c for c in children if isinstance(c, tuple))
        return m.ScoreVariant(
            str(children[0]),
            self._label(children),
            base,
            without,
            self._marks(children),
            span=self.span(meta),
        )

    # -- eligibility

    inclusion = _word("inclusion")
    exclusion = _word("exclusion")
    formal_rule = _option("formal")

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

    anchor_visit = _name_option("visit")
    anchor_expr = _option("expr")

    @v_args(meta=True)
    def anchor_decl(self, meta: Any, children: list[Any]) -> m.Anchor:
        target = next(c for c in children if isinstance(c, tuple))
        return m.Anchor(
            str(children[0]),
            self._label(children),
            target[1] if target[0] == "visit" else None,
            target[1] if target[0] == "expr" else None,
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def epoch_decl(self, meta: Any, children: list[Any]) -> m.Epoch:
        return m.Epoch(
            str(children[0]),
            self._label(children),
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

    def visit_week(self, children: list[Any]) -> tuple[str, Any]:
        return ("week", self._week(children[0]))

    def visit_window(self, children: list[Any]) -> tuple[str, Any]:
        before, after = self._int(children[0]), self._int(children[1])
        return ("window", (abs(before), abs(after)))

    def visit_window_sym(self, children: list[Any]) -> tuple[str, Any]:
        span = self.tspan(children[0])
        width = self._int((_decimal(str(children[0]), span), span))
        return ("window", (width, width))

    visit_epoch = _name_option("epoch")

    def visit_number(self, children: list[Any]) -> tuple[str, Any]:
        return ("number", _decimal(str(children[0]), self.tspan(children[0])))

    visit_unscheduled = _flag("unscheduled")
    visit_early_termination = _flag("early_termination")
    visit_condition = _text_option("condition")
    visit_start_rule = _text_option("start_rule")
    visit_end_rule = _text_option("end_rule")

    @v_args(meta=True)
    def visit_after(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        return ("after", self._offset(meta, children))

    # -- time structure

    def _count(self, token: Token, what: str) -> int:
        span = self.tspan(token)
        number = _decimal(str(token), span)
        if number != number.to_integral_value() or number < 1:
            raise SyntaxProblem(
                "E0007", f"{what} must be a whole number from 1, not {_shown(str(token))}", span
            )
        return int(number)

    @v_args(meta=True)
    def position_day(self, meta: Any, children: list[Any]) -> m.Position:
        return m.Position(day=self._int(children[0]), span=self.span(meta))

    @v_args(meta=True)
    def position_week(self, meta: Any, children: list[Any]) -> m.Position:
        return m.Position(day=self._week(children[0]), as_week=True, span=self.span(meta))

    @staticmethod
    def _week(number_and_span: tuple[Decimal, m.Span]) -> int:
        """The study day of `week N` (7N + 1: week 0 is day 1)."""
        number, span = number_and_span
        if number != number.to_integral_value():
            raise SyntaxProblem("E0007", f"a week must be a whole number, not {number}", span)
        if abs(number) > 100_000:
            raise SyntaxProblem("E0004", f"week {number} is too far from day 1", span)
        return durations.week_day(int(number))

    @v_args(meta=True)
    def position_anchor(self, meta: Any, children: list[Any]) -> m.Position:
        return m.Position(anchor=str(children[0]), span=self.span(meta))

    @v_args(meta=True)
    def position_offset(self, meta: Any, children: list[Any]) -> m.Position:
        return self._offset(meta, children)

    def _offset(self, meta: Any, children: list[Any]) -> m.Position:
        return m.Position(
            anchor=str(children[2]),
            offset=children[0].quantity,
            direction=children[1],
            span=self.span(meta),
        )

    cycle_epoch = _name_option("epoch")
    cycle_until = _text_option("until")
    series_names = _text_option("names")
    cycle_start = _option("start")

    def cycle_count(self, children: list[Any]) -> tuple[str, Any]:
        return ("count", self._count(children[0], "a number of cycles"))

    def cycle_up_to(self, children: list[Any]) -> tuple[str, Any]:
        return ("up_to", self._count(children[0], "a number of cycles"))

    def cycles_one(self, children: list[Any]) -> tuple[str, Any]:
        cycle = self._count(children[0], "a cycle number")
        return ("cycles", (cycle, cycle, True))

    def cycles_range(self, children: list[Any]) -> tuple[str, Any]:
        first = self._count(children[0], "a cycle number")
        last = self._count(children[1], "a cycle number") if len(children) > 1 else None
        return ("cycles", (first, last, False))

    def timepoint_ref(self, children: list[Any]) -> str:
        return str(children[0])

    @v_args(meta=True)
    def timepoint(self, meta: Any, children: list[Any]) -> m.TimePoint:
        name = str(children[0])
        label = self._label(children)
        offset = direction = reference = window = None
        rest = [c for c in children[1:] if not isinstance(c, (Token, m.Mark))]
        quantities = [c for c in rest if isinstance(c, m.QuantityLit)]
        words = [c for c in rest if isinstance(c, str)]
        if len(words) == 2:
            # `QUANTITY before|after REFERENCE`: the first quantity is the offset
            offset, direction, reference = quantities[0].quantity, words[0], words[1]
            quantities = quantities[1:]
        if quantities:
            window = quantities[0].quantity
        return m.TimePoint(
            name,
            label,
            offset,
            direction,  # type: ignore[arg-type]
            reference,
            window,
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def cycle_visit(self, meta: Any, children: list[Any]) -> m.CycleVisit:
        name = str(children[0])
        label, options = self._label_and_options(children[1:])
        day, day_end = options.get("day", (None, None))
        before, after = options.get("window", (0, 0))
        first, last, single = options.get("cycles", (None, None, False))
        return m.CycleVisit(
            name,
            label,
            day,
            day_end,
            before,
            after,
            options.get("epoch"),
            options.get("condition"),
            first,
            last,
            tuple(c for c in children if isinstance(c, m.TimePoint)),
            self._marks(children),
            span=self.span(meta),
            single_cycle=single,
        )

    @v_args(meta=True)
    def cycle_decl(self, meta: Any, children: list[Any]) -> m.Cycle:
        name = str(children[0])
        label, options = self._label_and_options(children[1:])
        length = next(c for c in children if isinstance(c, m.QuantityLit)).quantity
        return m.Cycle(
            name,
            label,
            length,
            options.get("epoch"),
            options.get("count"),
            options.get("up_to"),
            options.get("until"),
            options.get("names"),
            options.get("start"),
            tuple(c for c in children if isinstance(c, m.CycleVisit)),
            self._marks(children),
            span=self.span(meta),
        )

    repeat_from = _option("from")
    repeat_after = _option("after")
    repeat_to = _option("to")
    repeat_until = _text_option("until")

    def repeat_at_most(self, children: list[Any]) -> tuple[str, Any]:
        return ("at_most", self._count(children[0], "a number of visits"))

    @v_args(meta=True)
    def repeat_decl(self, meta: Any, children: list[Any]) -> m.Repeat:
        name = str(children[0])
        label, options = self._label_and_options(children[1:])
        every = next(c for c in children if isinstance(c, m.QuantityLit)).quantity
        inclusive = "from" in options
        before, after = options.get("window", (0, 0))
        return m.Repeat(
            name,
            label,
            every,
            options["from"] if inclusive else options["after"],
            inclusive,
            options.get("to"),
            options.get("until"),
            options.get("at_most"),
            before,
            after,
            options.get("epoch"),
            options.get("condition"),
            options.get("names"),
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def visit_decl(self, meta: Any, children: list[Any]) -> m.Visit:
        name = str(children[0])
        label, options = self._label_and_options(children[1:])
        day, day_end = options.get("day", (None, None))
        if "week" in options:  # `week N`: one day, the first of that week
            if "day" in options:
                raise SyntaxProblem(
                    "E0616",
                    f"visit {name} is planned twice: on a day and at a week",
                    self.span(meta),
                    help="keep one: `day N` or `week N` (week N is day 7N + 1)",
                )
            day, day_end = options["week"], None
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
            after=options.get("after"),
            as_week="week" in options,
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

    element_start = _text_option("start")
    element_end = _text_option("end")

    def element_duration(self, children: list[Any]) -> tuple[str, m.QuantityLit]:
        return ("duration", children[0])  # the literal: its span places W0417/W0418

    element_dose = _quantity_option("dose")
    element_regimen = _name_option("regimen")

    @v_args(meta=True)
    def element_decl(self, meta: Any, children: list[Any]) -> m.Element:
        name = str(children[0])
        label, options = self._label_and_options(children[1:])
        lasts: m.QuantityLit | None = options.get("duration")
        return m.Element(
            name,
            label,
            options.get("start"),
            options.get("end"),
            lasts.quantity if lasts is not None else None,
            options.get("dose"),
            self._marks(children),
            span=self.span(meta),
            regimen=options.get("regimen"),
            duration_span=lasts.span if lasts is not None else None,
        )

    arm_type = _name_option("type")
    arm_receives = _option("receives")
    arm_description = _text_option("description")
    arm_regimen = _option("regimens")
    arm_branch = _text_option("branch")
    arm_transition = _text_option("transition")

    @v_args(meta=True)
    def arm_step(self, meta: Any, children: list[Any]) -> m.ArmStep:
        options: dict[str, Any] = dict(c for c in children[2:] if isinstance(c, tuple))
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
            regimens=options.get("regimens", ()),
        )

    # -- intervention and dose finding

    @v_args(meta=True)
    def intervention_decl(self, meta: Any, children: list[Any]) -> m.Intervention:
        fields = tuple(c for c in children if isinstance(c, m.Field))
        return m.Intervention(str(children[0]), self._label(children), fields, span=self.span(meta))

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
    def dlt_window_cycle(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        span = self.tspan(children[0])
        cycle = self._int((_decimal(str(children[0]), span), span))
        window = m.DltWindow(
            None, "first_dose", self._marks(children), span=self.span(meta), cycle=cycle
        )
        return ("dlt_window", window)

    dose_regimen = _name_option("regimen")

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
        rates = tuple(c[0] for c in children if isinstance(c, tuple))
        return (
            "scenario",
            m.Scenario(
                str(children[0]),
                self._label(children),
                rates,
                self._marks(children),
                span=self.span(meta),
            ),
        )

    @v_args(meta=True)
    def dose_finding_decl(self, meta: Any, children: list[Any]) -> m.DoseFinding:
        levels: tuple[m.DoseLevel, ...] = ()
        levels_marks: m.Marks = ()
        design = dlt_window = dlt_definition = regimen = None
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
            elif kind == "regimen":
                regimen = value
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
            regimen=regimen,
        )

    # -- dosing regimens

    def day_unit_day(self, children: list[Any]) -> str:
        return "day"

    def day_unit_week(self, children: list[Any]) -> str:
        return "week"

    def _whole(self, token: Token) -> int:
        span = self.tspan(token)
        return self._int((_decimal(str(token), span), span))

    @v_args(meta=True)
    def dosing_repeat(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        until = None
        if len(children) > 1:
            unit, number = children[1], children[2]
            # the day's span is its number's: the `to` and unit words keep no node
            until = m.StudyTime(unit, self._whole(number), span=self.tspan(number))
        return ("repeat", (children[0].quantity, until))

    def dosing_cycle(self, children: list[Any]) -> tuple[str, Any]:
        return ("cycle", str(children[0]))

    @v_args(meta=True)
    def dosing_days(self, meta: Any, children: list[Any]) -> m.DosingDays:
        unit = children[0]
        numbers = tuple(self._whole(c) for c in children[1:] if isinstance(c, Token))
        options: dict[str, Any] = dict(c for c in children[1:] if isinstance(c, tuple))
        every, until = options.get("repeat", (None, None))
        return m.DosingDays(unit, numbers, every, until, options.get("cycle"), span=self.span(meta))

    @v_args(meta=True)
    def regimen_dose(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        per = children[1] if len(children) > 1 else None
        return ("dose", (children[0].quantity, per))

    def regimen_dose_per(self, children: list[Any]) -> tuple[str, Any]:
        # `dose per vitals.weight`: the dose levels give the amount, the item converts it
        return ("dose", (None, children[0]))

    def regimen_days(self, children: list[Any]) -> tuple[str, Any]:
        return ("days", children[0])

    def regimen_at_most(self, children: list[Any]) -> tuple[str, Any]:
        return ("at_most", self._whole(children[0]))

    def regimen_reductions(self, children: list[Any]) -> tuple[str, Any]:
        return ("reductions", tuple(children))

    @v_args(meta=True)
    def dose_reduction(self, meta: Any, children: list[Any]) -> m.DoseReduction:
        return m.DoseReduction(
            str(children[0]),
            children[1].quantity,
            self._label(children, 2),
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def regimen_decl(self, meta: Any, children: list[Any]) -> m.Regimen:
        name = str(children[0])
        label = self._label(children)
        rest = children[2:] if label is not None else children[1:]
        intervention = str(rest[0])
        options: dict[str, Any] = {}
        fields = []
        for child in rest[1:]:
            if isinstance(child, m.Field):
                fields.append(child)
            elif isinstance(child, tuple):
                options.setdefault(child[0], child[1])
        dose, per = options.get("dose", (None, None))
        return m.Regimen(
            name,
            label,
            intervention,
            dose,
            per,
            options.get("days"),
            options.get("at_most"),
            options.get("reductions", ()),
            tuple(fields),
            self._marks(rest),
            span=self.span(meta),
        )

    # -- objectives

    primary = _word("primary")
    secondary = _word("secondary")
    exploratory = _word("exploratory")
    endpoint_timeframe = _text_option("timeframe")

    def endpoint_until(self, children: list[Any]) -> tuple[str, Any]:
        return ("until", (children[0].quantity, str(children[1])))

    endpoint_rule = _option("rule")

    def endpoint_visits(self, children: list[Any]) -> tuple[str, Any]:
        return ("visits", tuple(children[0]))

    def endpoint_responder(self, children: list[Any]) -> tuple[str, Any]:
        return ("kind", ("responder", None, None))

    def endpoint_value(self, children: list[Any]) -> tuple[str, Any]:
        return ("kind", ("value", None, None))

    def endpoint_flag(self, children: list[Any]) -> tuple[str, Any]:
        return ("kind", ("flag", None, None))

    def endpoint_record_flag(self, children: list[Any]) -> tuple[str, Any]:
        return ("kind", ("record_flag", str(children[0]), None))

    @v_args(meta=True)
    def endpoint_time_to_event(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        origin, target, *rest = children
        where = rest[0] if len(rest) == 2 else None
        parts = target.parts
        event = m.TimeToEvent(
            origin,
            ".".join(parts[:-1]),
            parts[-1],
            where,
            rest[-1],
            span=self.span(meta),
        )
        return ("kind", ("time_to_event", None, event))

    @v_args(meta=True)
    def endpoint_count(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        target, *rest = children
        where = rest[0] if rest else None
        counted = m.EventCount(".".join(target.parts), where=where, span=self.span(meta))
        return ("kind", ("count", None, counted))

    @v_args(meta=True)
    def endpoint_rate(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        at = next(i for i, c in enumerate(children) if isinstance(c, m.Quantity))
        target, where = children[0], (children[1] if at == 2 else None)
        start, end, *fallback = children[at + 1 :]
        parts = target.parts
        counted = m.EventCount(
            ".".join(parts[:-1]),
            parts[-1],
            where,
            children[at],
            start,
            end,
            fallback[0] if fallback else None,
            span=self.span(meta),
        )
        return ("kind", ("rate", None, counted))

    def rate_unit(self, children: list[Any]) -> m.Quantity:
        """`per year` is one year; `per 100 years` is written as a quantity."""
        child = children[0]
        if isinstance(child, m.QuantityLit):
            return child.quantity
        return m.Quantity(Decimal(1), str(child))

    @v_args(meta=True)
    def endpoint_decl(self, meta: Any, children: list[Any]) -> m.Endpoint:
        options: dict[str, Any] = {}
        for child in children[2:]:
            if isinstance(child, tuple):
                options[child[0]] = child[1]
        until, anchor = options.get("until", (None, None))
        kind, per, event = options.get("kind", (None, None, None))
        return m.Endpoint(
            str(children[0]),
            unquote(children[1]),
            options.get("timeframe"),
            until,
            anchor,
            options.get("rule"),
            self._marks(children),
            kind,
            per,
            event,
            options.get("visits", ()),
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
            estimands=tuple(c for c in children if isinstance(c, m.Estimand)),
        )

    # -- analysis sets, estimands, sample size

    analysis_population = _word("population")
    subgroup_population = _word("subgroup")

    @v_args(meta=True)
    def population_decl(self, meta: Any, children: list[Any]) -> m.Population:
        expr = next(c for c in children[2:] if _is_expr(c))
        return m.Population(
            children[0],
            str(children[1]),
            self._label(children, 2),
            expr,
            self._codes(children),
            self._marks(children),
            span=self.span(meta),
        )

    def estimand_arms(self, children: list[Any]) -> tuple[m.Ref, ...]:
        return tuple(m.Ref((str(c),), span=self.tspan(c)) for c in children)

    def estimand_treatment(self, children: list[Any]) -> tuple[str, Any]:
        # a single-arm trial's estimand may have no comparator
        return ("treatment", (children[0], children[1] if len(children) > 1 else ()))

    def estimand_population(self, children: list[Any]) -> tuple[str, Any]:
        return ("population", m.Ref((str(children[0]),), span=self.tspan(children[0])))

    def estimand_variable(self, children: list[Any]) -> tuple[str, Any]:
        return ("variable", m.Ref((str(children[0]),), span=self.tspan(children[0])))

    estimand_summary = _text_option("summary")
    no_intercurrent = _flag("no_intercurrent")

    @v_args(meta=True)
    def intercurrent_event(self, meta: Any, children: list[Any]) -> m.IntercurrentEvent:
        strings = self._strings(children)
        return m.IntercurrentEvent(
            strings[0],
            str(children[1]),
            strings[1] if len(strings) > 1 else None,
            self._marks(children),
            next((c for c in children if _is_expr(c)), None),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def estimand_decl(self, meta: Any, children: list[Any]) -> m.Estimand:
        options: dict[str, Any] = {}
        for child in children[1:]:
            if isinstance(child, tuple):
                # a clause written twice: the last one stands (the check reports it)
                options[child[0]] = child[1]
        treatment, comparator = options.get("treatment", ((), ()))
        return m.Estimand(
            str(children[0]),
            self._label(children),
            treatment,
            comparator,
            options.get("population"),
            options.get("variable"),
            tuple(c for c in children if isinstance(c, m.IntercurrentEvent)),
            bool(options.get("no_intercurrent", False)),
            options.get("summary"),
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def sample_size(self, meta: Any, children: list[Any]) -> m.SampleSize:
        return m.SampleSize(
            str(children[0]),
            self._label(children),
            tuple(c for c in children if isinstance(c, m.Field)),
            self._marks(children),
            span=self.span(meta),
        )

    def statistics_analysis(self, children: list[Any]) -> tuple[str, str]:
        return ("analysis", unquote(children[0]))

    @v_args(meta=True)
    def statistics_decl(self, meta: Any, children: list[Any]) -> m.Statistics:
        return m.Statistics(
            tuple(c for c in children if isinstance(c, m.SampleSize)),
            tuple(c[1] for c in children if isinstance(c, tuple)),
            self._marks(children),
            span=self.span(meta),
        )

    # -- narrative sections

    @v_args(meta=True)
    def narrative_decl(self, meta: Any, children: list[Any]) -> m.Narrative:
        body = children[1]
        text = printer.block_text(body) if body.type == "TEXT_BLOCK" else unquote(body)
        return m.Narrative(str(children[0]), text, self._marks(children), span=self.span(meta))

    # -- amendments

    def amendment_date(self, children: list[Any]) -> tuple[str, Any]:
        return ("date", self._date(children[0]))

    amendment_summary = _text_option("summary")
    amendment_reason = _text_option("reason")

    @v_args(meta=True)
    def amendment_change(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        names = self._names(children)
        strings = self._strings(children)
        change = m.AmendmentChange(
            names[0] if names else None,
            strings[0],
            self._marks(children),
            tuple(c for c in children if isinstance(c, m.ClassificationOverride)),
            span=self.span(meta),
        )
        return ("change", change)

    @v_args(meta=True)
    def amendment_override(self, meta: Any, children: list[Any]) -> m.ClassificationOverride:
        words = self._names(children)
        regulation, verdict = (words[0], words[1]) if len(words) == 2 else (None, words[0])
        return m.ClassificationOverride(
            regulation, verdict, self._strings(children)[0], span=self.span(meta)
        )

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

    map_date = _option("date")
    map_visit = _option("visit")
    map_unit = _option("unit")

    def map_impute_first(self, children: list[Any]) -> tuple[str, Any]:
        return ("impute", "first")

    def map_impute_last(self, children: list[Any]) -> tuple[str, Any]:
        return ("impute", "last")

    @v_args(meta=True)
    def map_rule(self, meta: Any, children: list[Any]) -> m.MapRule:
        options: dict[str, Any] = dict(c for c in children[2:] if isinstance(c, tuple))
        return m.MapRule(
            children[0],
            children[1],
            options.get("where"),
            options.get("date"),
            options.get("visit"),
            options.get("unit"),
            self._marks(children),
            options.get("impute"),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def map_complete(self, meta: Any, children: list[Any]) -> m.MapComplete:
        return m.MapComplete(children[0], str(children[1]), span=self.span(meta))

    @v_args(meta=True)
    def mapping_decl(self, meta: Any, children: list[Any]) -> m.Mapping:
        rules = tuple(c for c in children if isinstance(c, m.MapRule))
        complete = tuple(c for c in children if isinstance(c, m.MapComplete))
        return m.Mapping(
            str(children[0]),
            self._label(children),
            rules,
            span=self.span(meta),
            complete=complete,
        )

    # -- randomisation and blinding

    @v_args(meta=True)
    def ratio_entry(self, meta: Any, children: list[Any]) -> m.RatioEntry:
        weight = _decimal(str(children[1]), self.tspan(children[1]))
        return m.RatioEntry(str(children[0]), weight, span=self.span(meta))

    @v_args(meta=True)
    def allocation_ratio(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        entries = tuple(c for c in children if isinstance(c, m.RatioEntry))
        return ("ratio", (entries, self._marks(children)))

    def simple_method(self, children: list[Any]) -> dict[str, Any]:
        return {"kind": "simple"}

    def permuted_blocks_method(self, children: list[Any]) -> dict[str, Any]:
        sizes = tuple(_decimal(str(c), self.tspan(c)) for c in children)
        return {"kind": "permuted_blocks", "block_sizes": sizes}

    def minimisation_method(self, children: list[Any]) -> dict[str, Any]:
        measure = str(children[2]) if len(children) > 2 else None
        probability = _decimal(str(children[1]), self.tspan(children[1]))
        return {
            "kind": "minimisation",
            "factors": children[0],
            "probability": probability,
            "measure": measure,
        }

    @v_args(meta=True)
    def method_clause(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        method = m.AllocationMethod(
            **children[0], marks=self._marks(children), span=self.span(meta)
        )
        return ("method", method)

    @v_args(meta=True)
    def stratum(self, meta: Any, children: list[Any]) -> m.Stratum:
        rule = next(c for c in children[1:] if _is_expr(c))
        return m.Stratum(
            str(children[0]),
            self._label(children),
            rule,
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def stratification_factor(self, meta: Any, children: list[Any]) -> tuple[str, Any]:
        factor = m.StratificationFactor(
            str(children[0]),
            self._label(children),
            tuple(c for c in children if isinstance(c, m.Stratum)),
            self._marks(children[1:]),
            span=self.span(meta),
        )
        return ("factor", factor)

    @v_args(meta=True)
    def randomisation_decl(self, meta: Any, children: list[Any]) -> m.Randomisation:
        ratio: tuple[m.RatioEntry, ...] = ()
        ratio_marks: m.Marks = ()
        method = None
        factors = []
        for child in children:
            if not isinstance(child, tuple):
                continue
            kind, value = child
            if kind == "ratio":
                ratio, ratio_marks = value
            elif kind == "method":
                method = value
            elif kind == "factor":
                factors.append(value)
        return m.Randomisation(
            ratio,
            ratio_marks,
            method,
            tuple(factors),
            self._marks(children),
            span=self.span(meta),
        )

    @v_args(meta=True)
    def blinded_roles(self, meta: Any, children: list[Any]) -> m.MaskedRoles:
        return m.MaskedRoles(children[0], self._marks(children), span=self.span(meta))

    @v_args(meta=True)
    def unblinding_rule(self, meta: Any, children: list[Any]) -> m.Unblinding:
        return m.Unblinding(unquote(children[0]), self._marks(children), span=self.span(meta))

    @v_args(meta=True)
    def masking_decl(self, meta: Any, children: list[Any]) -> m.Masking:
        return m.Masking(
            tuple(c for c in children if isinstance(c, m.MaskedRoles)),
            tuple(c for c in children if isinstance(c, m.Unblinding)),
            self._marks(children),
            span=self.span(meta),
        )

    # -- expressions

    def _exists(self, kind: m.QuantifierKind, meta: Any, children: list[Any]) -> m.Quantifier:
        where = children[1] if len(children) > 1 else None
        return m.Quantifier(kind, str(children[0]), where, span=self.span(meta))

    @v_args(meta=True)
    def any_(self, meta: Any, children: list[Any]) -> m.Quantifier:
        return self._exists("any", meta, children)

    @v_args(meta=True)
    def none_(self, meta: Any, children: list[Any]) -> m.Quantifier:
        return self._exists("none", meta, children)

    @v_args(meta=True)
    def all_(self, meta: Any, children: list[Any]) -> m.Quantifier:
        where = children[1] if len(children) > 2 else None
        return m.Quantifier("all", str(children[0]), where, children[-1], span=self.span(meta))

    def visits_from_to(self, children: list[Any]) -> tuple[str, str | None]:
        return (str(children[0]), str(children[1]))

    def visits_after(self, children: list[Any]) -> tuple[str, str | None]:
        return (str(children[0]), None)

    @v_args(meta=True)
    def any_visit(self, meta: Any, children: list[Any]) -> m.VisitQuantifier:
        (start, end), cond = children
        return m.VisitQuantifier("any", start, end, cond, span=self.span(meta))

    @v_args(meta=True)
    def all_visits(self, meta: Any, children: list[Any]) -> m.VisitQuantifier:
        (start, end), cond = children
        return m.VisitQuantifier("all", start, end, cond, span=self.span(meta))

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

    le = _word("<=")
    ge = _word(">=")
    ne = _word("!=")
    lt = _word("<")
    gt = _word(">")
    eq = _word("=")

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
    def contains(self, meta: Any, children: list[Any]) -> m.Contains:
        return m.Contains(children[0], children[1], span=self.span(meta))

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

    before = _word("before")
    after = _word("after")

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
    def at_previous(self, meta: Any, children: list[Any]) -> m.AtPrevious:
        return m.AtPrevious(children[0], span=self.span(meta))

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

    count = _word("count")
    total = _word("sum")
    minimum = _word("min")
    maximum = _word("max")
    average = _word("mean")
    middle = _word("median")

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
