"""Rules in plain words: any expression as English a protocol writer can read.

This module owns the wording of rules in generated documents and in the
semantic diff: `rule_in_words` renders an expression, `criterion_in_words`
the line printed beneath a criterion's verbatim text.  Names become the
labels the spec gives them (items, definitions, scores, visits, anchors,
code-list values), falling back to the name itself; units are written the way
people read them (mg/d as mg/day, '10*9/L' as ×10⁹/L).  Every window says
which ends it includes, because "3 days before" read as "exactly 3 days" is
the mistake the language exists to prevent.

The wording is deterministic (same expression, same text) and uses the
standard library only: it is imported by documents and by the diff.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from protocol_dsl import model as m
from protocol_dsl.durations import time_code
from protocol_dsl.functions import FUNCTIONS, MATH_FUNCTIONS
from protocol_dsl.spec import (
    Scope,
    Spec,
    Symbol,
    endpoint_expressions,
    endpoint_log,
    inner_scope,
    walk_scoped,
)
from protocol_dsl.visitor import ExprVisitor

__all__ = [
    "criterion_in_words",
    "endpoint_in_words",
    "label_phrase",
    "quantity_in_words",
    "rule_in_words",
    "unit_in_words",
]


# ---------------------------------------------------------------- units


_TIME_WORDS: dict[str, tuple[str, str]] = {
    # unit as written or UCUM code -> (singular, plural)
    **{w: ("second", "seconds") for w in ("s", "second", "seconds")},
    **{w: ("minute", "minutes") for w in ("min", "minute", "minutes")},
    **{w: ("hour", "hours") for w in ("h", "hour", "hours")},
    **{w: ("day", "days") for w in ("d", "day", "days")},
    **{w: ("week", "weeks") for w in ("wk", "week", "weeks")},
    **{w: ("month", "months") for w in ("mo", "month", "months")},
    **{w: ("year", "years") for w in ("a", "year", "years")},
}

# UCUM symbols with a conventional printed form.
_ATOMS: dict[str, str] = {
    "Cel": "°C",
    "[degF]": "°F",
    "mm[Hg]": "mmHg",
    "[IU]": "IU",
    "[iU]": "IU",
    "[arb'U]": "arbitrary units",
    "[HPF]": "high-power field",
    "[LPF]": "low-power field",
    "[pH]": "pH",
    "[in_i]": "in",
    "[lb_av]": "lb",
}
# A metric prefix before an atom: m[IU] is mIU, ug is µg (UCUM writes micro as u).
_PREFIXED = re.compile(r"^([kcmunpf]|da|u)(\[[^\]]+\]|g|L|mol|m|s|kat|U|Eq)$")

# Denominator time atoms read as words ("mg/day").
_PER_TIME: dict[str, str] = {
    "d": "day",
    "h": "hour",
    "min": "min",
    "wk": "week",
    "mo": "month",
    "a": "year",
}

_SUPERSCRIPTS = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")
_POWER_OF_TEN = re.compile(r"^10[*^]([+-]?\d+)$")
_ANNOTATION = re.compile(r"\{([^}]*)\}")


def unit_in_words(unit: str, value: Decimal | None = None) -> str:
    """A UCUM unit (or a time word) as printed in a document.

    Time units become words, singular for a value of exactly 1 ("1 week",
    "12 weeks"); other units keep their symbols with the conventional
    spelling (°C, mmHg, µg, ×10⁹/L, mg/day).
    """
    time = _TIME_WORDS.get(unit.strip())
    if time is not None:
        return time[0] if value is not None and value == 1 else time[1]
    parts = _split_outside_braces(unit, "/")
    printed: list[str] = []
    for index, part in enumerate(parts):
        if index > 0 and part in _PER_TIME:
            printed.append(_PER_TIME[part])
            continue
        printed.append(".".join(_term(t) for t in _split_outside_braces(part, ".")) if part else "")
    text = "/".join(printed)
    return "1/" + text[1:] if text.startswith("/") else text


def _split_outside_braces(text: str, separator: str) -> list[str]:
    """Split a UCUM string, leaving annotations such as {1.73_m2} whole."""
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == separator and depth == 0:
            pieces.append(text[start:index])
            start = index + 1
    pieces.append(text[start:])
    return pieces


def _term(term: str) -> str:
    power = _POWER_OF_TEN.match(term)
    if power:
        return "×10" + power[1].translate(_SUPERSCRIPTS)
    annotation = _ANNOTATION.fullmatch(term)
    if annotation:
        return _annotation(annotation[1])
    if term in _ATOMS:
        return _ATOMS[term]
    prefixed = _PREFIXED.match(term)
    if prefixed:
        prefix = "µ" if prefixed[1] == "u" else prefixed[1]
        return prefix + _ATOMS.get(prefixed[2], prefixed[2])
    # a trailing integer is an exponent: m2 -> m²
    exponent = re.fullmatch(r"([A-Za-z\[\]'_]+?)(-?\d+)", term)
    if exponent and not term.startswith("10"):
        base = _ATOMS.get(exponent[1], exponent[1])
        return base + exponent[2].translate(_SUPERSCRIPTS)
    return term


def _annotation(text: str) -> str:
    """`{1.73_m2}` -> "1.73 m²"; `{cells}` -> "cells"."""
    words = text.replace("_", " ").split(" ")
    return " ".join(_term(word) if re.fullmatch(r"[A-Za-z]+\d", word) else word for word in words)


def quantity_in_words(quantity: m.Quantity) -> str:
    """A quantity as printed: "40 mg/day", "12 weeks", "8%", "100 ×10⁹/L"."""
    number = m.format_decimal(quantity.value)
    unit = unit_in_words(quantity.unit, quantity.value)
    if unit == "%":
        return number + "%"
    return f"{number} {unit}"


# ---------------------------------------------------------------- labels


def label_phrase(label: str | None, name: str) -> str:
    """A label as it reads inside a sentence.

    The first letter is lowered when the first word is an ordinary
    capitalised word ("Complement C3" -> "complement C3", "Treatment-emergent"
    -> "treatment-emergent") and kept when it is an acronym or a symbol
    ("ANA titer", "SLEDAI-2K", "Anti-dsDNA antibody").  Without a label the
    name is used, underscores read as spaces.
    """
    text = (label or name.replace("_", " ")).strip()
    first = text.split(" ", 1)[0].rstrip(",;:.")
    if (first == "A" and len(text) > 2) or _ordinary_word(first):
        return text[0].lower() + text[1:]
    return text


def _ordinary_word(word: str) -> bool:
    """Capitalised, and every hyphenated part after the first is lower case."""
    parts = word.split("-")
    head = parts[0]
    if len(head) < 2 or not (head[0].isupper() and head[1:].isalpha() and head[1:].islower()):
        return False
    return all(part.isalpha() and part.islower() for part in parts[1:])


_CONNECTIVES = re.compile(r",|;| and | or | not ")


def _quoted_if_needed(phrase: str, label: str | None) -> str:
    """A label that has its own commas or and/or is quoted, as written.

    Without quotes "allergy to X or Y is recorded as yes or …" would mix the
    label's "or" with the rule's.
    """
    if label is not None and _CONNECTIVES.search(phrase):
        return f"“{label.strip()}”"
    return phrase


def _value_phrase(label: str | None, name: str) -> str:
    """A value's label inside a sentence; a trailing ", in <unit>" qualifier is dropped.

    Labels of values often end with the unit they are counted in ("Age at
    screening, in completed years"); in a sentence that compares the value
    with a number the qualifier only gets in the way.
    """
    if label is not None:
        label = re.sub(r",\s+in\s+[^,]+$", "", label.strip())
    return _quoted_if_needed(label_phrase(label, name), label)


# ---------------------------------------------------------------- expressions

# Binding strength, loosest first (mirrors the grammar); used to decide where
# the words need parentheses.
_LOWEST, _IMPLIES, _OR, _AND, _NOT, _COMPARE, _SUM, _PRODUCT, _UNARY, _ATOM = range(10)

_COMPARISONS: dict[str, str] = {
    "<": "is less than",
    "<=": "is at most",
    ">": "is greater than",
    ">=": "is at least",
    "=": "is",
    "!=": "is not",
}
_DATE_COMPARISONS: dict[str, str] = {
    "<": "is before",
    "<=": "is on or before",
    ">": "is after",
    ">=": "is on or after",
    "=": "is on",
    "!=": "is not on",
}
_FUNCTIONS: dict[str, Callable[[list[str]], str]] = {
    "years_between": lambda a: f"the completed years from {a[0]} to {a[1]}",
    "months_between": lambda a: f"the completed months from {a[0]} to {a[1]}",
    "days_between": lambda a: f"the number of days from {a[0]} to {a[1]}",
    "abs": lambda a: f"the absolute value of {a[0]}",
    "least": lambda a: f"the smaller of {a[0]} and {a[1]}",
    "greatest": lambda a: f"the larger of {a[0]} and {a[1]}",
    "sqrt": lambda a: f"the square root of {a[0]}",
    "power": lambda a: f"{a[0]} to the power {a[1]}",
    "exp": lambda a: f"e to the power {a[0]}",
    "ln": lambda a: f"the natural logarithm of {a[0]}",
    "round": lambda a: f"{a[0]} {_rounded_to(a[1])}",
    "floor": lambda a: f"{a[0]} rounded down to a whole number",
    "ceiling": lambda a: f"{a[0]} rounded up to a whole number",
}
_AGGREGATES: dict[str, str] = {
    "sum": "the sum of",
    "min": "the lowest",
    "max": "the highest",
    "mean": "the mean of",
    "median": "the median of",
}


class _Words(ExprVisitor[tuple[str, int], [Scope, bool]]):
    """Renders one expression tree; one method per node type, each giving the text and its
    precedence level (`filt`: the expression is a `where` filter on records, worded as a
    condition on each record: "records where serious is yes").
    """

    def __init__(self, spec: Spec) -> None:
        self.spec = spec

    def render(
        self, node: m.Expr, scope: Scope, context: int = _LOWEST, *, filt: bool = False
    ) -> str:
        text, own = self.visit(node, scope, filt)
        return f"({text})" if own < context else text

    # ------------------------------------------------------------ literals

    def visit_number_lit(self, node: m.NumberLit, scope: Scope, filt: bool) -> tuple[str, int]:
        return m.format_decimal(node.value), _ATOM

    def visit_quantity_lit(self, node: m.QuantityLit, scope: Scope, filt: bool) -> tuple[str, int]:
        return quantity_in_words(node.quantity), _ATOM

    def visit_text_lit(self, node: m.TextLit, scope: Scope, filt: bool) -> tuple[str, int]:
        return f"“{node.value}”", _ATOM

    def visit_date_lit(self, node: m.DateLit, scope: Scope, filt: bool) -> tuple[str, int]:
        return node.value.isoformat(), _ATOM

    def visit_titer_lit(self, node: m.TiterLit, scope: Scope, filt: bool) -> tuple[str, int]:
        return f"1:{node.denominator}", _ATOM

    def visit_bool_lit(self, node: m.BoolLit, scope: Scope, filt: bool) -> tuple[str, int]:
        return ("yes" if node.value else "no"), _ATOM

    # ------------------------------------------------------------ names

    def visit_ref(self, node: m.Ref, scope: Scope, filt: bool) -> tuple[str, int]:
        return self.name(node, scope), _ATOM

    def name(self, node: m.Ref, scope: Scope, codelist: m.CodeList | None = None) -> str:
        if codelist is not None and len(node.parts) == 1:
            entry = codelist.entry(node.parts[0])
            if entry is not None:
                return _quoted_if_needed(entry.label or entry.name, entry.label)
        symbol = self.spec.resolve(node.parts, scope)
        if symbol is None:
            return node.parts[-1].replace("_", " ")
        return self.symbol_phrase(symbol, node.parts[-1])

    def symbol_phrase(self, symbol: Symbol, name: str) -> str:
        decl = symbol.decl
        if symbol.kind == "value":
            assert isinstance(decl, m.CodeListEntry)
            return _quoted_if_needed(decl.label or decl.name, decl.label)
        if symbol.kind == "anchor":
            assert isinstance(decl, m.Anchor)
            return "the " + label_phrase(decl.label, decl.name)
        if symbol.kind == "score_part":
            return self._score_part(symbol)
        if symbol.kind == "library":
            return name
        label = getattr(decl, "label", None)
        return _value_phrase(label, getattr(decl, "name", name))

    def _score_part(self, symbol: Symbol) -> str:
        score = symbol.decl
        assert isinstance(score, m.Score | m.ScoreVariant)
        whole = label_phrase(score.label, score.name)
        base = symbol.owner.base_score(score)
        part = symbol.part or ""
        if base is not None:
            for domain in base.domains:
                if domain.name == part:
                    return f"{whole} ({label_phrase(domain.label, domain.name)} domain)"
        return f"{whole} ({part.replace('_', ' ')} domains only)"

    def visit_at_previous(self, node: m.AtPrevious, scope: Scope, filt: bool) -> tuple[str, int]:
        return f"{self.render(node.expr, scope, _ATOM)} at the previous visit", _ATOM

    def visit_at_visit(self, node: m.AtVisit, scope: Scope, filt: bool) -> tuple[str, int]:
        return f"{self.render(node.expr, scope, _ATOM)} at {self._visit_label(node.visit)}", _ATOM

    def _visit_label(self, name: str) -> str:
        """A visit of the schedule in words: its label, else "visit NAME"."""
        visit = self.spec.visits.get(name)
        if visit is None:
            return f"visit {name}"
        return label_phrase(visit.label, visit.name)

    # ------------------------------------------------------------ arithmetic

    def visit_negate(self, node: m.Negate, scope: Scope, filt: bool) -> tuple[str, int]:
        return f"minus {self.render(node.expr, scope, _UNARY)}", _UNARY

    def visit_arith(self, node: m.Arith, scope: Scope, filt: bool) -> tuple[str, int]:
        if node.op in "+-" and self.is_date(node.left, scope) and self.is_duration(node.right):
            direction = "after" if node.op == "+" else "before"
            left = self.render(node.left, scope, _PRODUCT)
            return f"{self.render(node.right, scope, _PRODUCT)} {direction} {left}", _SUM
        level = _SUM if node.op in "+-" else _PRODUCT
        word = {"+": "plus", "-": "minus", "*": "times", "/": "divided by"}[node.op]
        # Readers do not apply precedence to words: a nested calculation is bracketed,
        # except the left side of a chain at the same level ("a plus b minus c").
        chained = isinstance(node.left, m.Arith) and (node.left.op in "+-") == (node.op in "+-")
        left = self.render(node.left, scope, level if chained else _ATOM)
        right = self.render(node.right, scope, _ATOM)
        return f"{left} {word} {right}", level

    # ------------------------------------------------------------ logic

    def visit_not(self, node: m.Not, scope: Scope, filt: bool) -> tuple[str, int]:
        inner = node.expr
        if isinstance(inner, m.Compare) and inner.op in ("=", "!="):
            flipped = m.Compare(
                "!=" if inner.op == "=" else "=", inner.left, inner.right, span=node.span
            )
            return self.visit_compare(flipped, scope, filt)
        if isinstance(inner, m.IsKnown):
            flipped_known = m.IsKnown(inner.expr, not inner.missing, span=node.span)
            return self.visit_is_known(flipped_known, scope, filt)
        return f"not {self.render(inner, scope, _NOT, filt=filt)}", _NOT

    def visit_logic(self, node: m.Logic, scope: Scope, filt: bool) -> tuple[str, int]:
        if node.op == "implies":
            condition = self.render(node.left, scope, _OR, filt=filt)
            consequence = self.render(node.right, scope, _OR, filt=filt)
            return f"if {condition}, then {consequence}", _IMPLIES
        level = _OR if node.op == "or" else _AND
        # English has no precedence: a different connective inside is always bracketed
        terms = [
            self.render(t, scope, _ATOM if isinstance(t, m.Logic) else level + 1, filt=filt)
            for t in _flatten(node, node.op)
        ]
        return f" {node.op} ".join(terms), level

    def visit_conditional(self, node: m.Conditional, scope: Scope, filt: bool) -> tuple[str, int]:
        condition = self.render(node.condition, scope, _OR, filt=filt)
        then = self.render(node.then, scope, _OR, filt=filt)
        otherwise = self.render(node.otherwise, scope, _OR, filt=filt)
        return f"{then} if {condition}, otherwise {otherwise}", _LOWEST

    # ------------------------------------------------------------ comparisons

    def visit_compare(self, node: m.Compare, scope: Scope, filt: bool) -> tuple[str, int]:
        left_list = self.codelist_of(node.left, scope)
        right_list = self.codelist_of(node.right, scope)
        left = self.operand(node.left, scope, right_list)
        right = self.operand(node.right, scope, left_list)
        if node.op in ("=", "!=") and _is_bool(node.right):
            verb = "recorded as" if node.op == "=" else "not recorded as"
            if filt:
                # a condition on each record: "records where serious is yes"
                return f"{left} {'is' if node.op == '=' else 'is not'} {right}", _COMPARE
            return f"{left} is {verb} {right}", _COMPARE
        if (
            filt
            and node.op == "="
            and _is_literal(node.right)
            and self.is_record_item(node.left, scope)
        ):
            return f"{left} is {right}", _COMPARE
        dates = self.is_date(node.left, scope) or self.is_date(node.right, scope)
        verb = (_DATE_COMPARISONS if dates else _COMPARISONS)[node.op]
        return f"{left} {verb} {right}", _COMPARE

    def operand(self, node: m.Expr, scope: Scope, codelist: m.CodeList | None) -> str:
        if isinstance(node, m.Ref):
            return self.name(node, scope, codelist)
        return self.render(node, scope, _SUM)

    def visit_between(self, node: m.Between, scope: Scope, filt: bool) -> tuple[str, int]:
        value = self.render(node.expr, scope, _SUM)
        low = self.render(node.low, scope, _SUM)
        high = self.render(node.high, scope, _SUM)
        return f"{value} is between {low} and {high} (inclusive)", _COMPARE

    def visit_member_of(self, node: m.MemberOf, scope: Scope, filt: bool) -> tuple[str, int]:
        value = self.render(node.expr, scope, _SUM)
        if node.codelist is not None:
            symbol = self.spec.resolve(node.codelist.parts, scope)
            listed = (
                symbol.codelist.label or symbol.codelist.name
                if symbol is not None and symbol.codelist is not None
                else node.codelist.dotted
            )
            return f"{value} is any value of the list “{listed}”", _COMPARE
        codelist = self.codelist_of(node.expr, scope)
        names = [self.name(m.Ref((v,), span=node.span), scope, codelist) for v in node.values]
        if len(names) == 1:
            return f"{value} is {names[0]}", _COMPARE
        return f"{value} is one of {', '.join(names[:-1])} or {names[-1]}", _COMPARE

    def visit_visit_quantifier(
        self, node: m.VisitQuantifier, scope: Scope, filt: bool
    ) -> tuple[str, int]:
        start = self._visit_label(node.start)
        span = (
            f"from {start} to {self._visit_label(node.end)} (inclusive)"
            if node.end is not None
            else f"after {start}"
        )
        which = "at any visit" if node.kind == "any" else "at every visit"
        return f"{which} {span}: {self.render(node.cond, scope, _LOWEST)}", _LOWEST

    def visit_contains(self, node: m.Contains, scope: Scope, filt: bool) -> tuple[str, int]:
        text = self.render(node.text, scope, _SUM)
        part = self.render(node.part, scope, _SUM)
        return f"{text} contains {part} (ignoring case)", _COMPARE

    def visit_is_known(self, node: m.IsKnown, scope: Scope, filt: bool) -> tuple[str, int]:
        word = "is missing" if node.missing else "is recorded"
        return f"{self.render(node.expr, scope, _SUM)} {word}", _COMPARE

    def visit_within(self, node: m.Within, scope: Scope, filt: bool) -> tuple[str, int]:
        value, duration, anchor = self._window(node, scope)
        return f"{value} is within {duration} {node.direction} {anchor} (inclusive)", _COMPARE

    def visit_at_least(self, node: m.AtLeast, scope: Scope, filt: bool) -> tuple[str, int]:
        value, duration, anchor = self._window(node, scope)
        bound = "on or before" if node.direction == "before" else "on or after"
        return f"{value} is {bound} {duration} {node.direction} {anchor}", _COMPARE

    def _window(self, node: m.Within | m.AtLeast, scope: Scope) -> tuple[str, str, str]:
        """The value, the duration and the anchor of a time window, as operands."""
        return (
            self.render(node.expr, scope, _SUM),
            self.render(node.duration, scope, _SUM),
            self.render(node.anchor, scope, _SUM),
        )

    # ------------------------------------------------------------ records

    def visit_quantifier(self, node: m.Quantifier, scope: Scope, filt: bool) -> tuple[str, int]:
        inner = inner_scope(node, scope) or scope
        form = scope.owner.forms.get(node.form)
        records = _value_phrase(form.label if form else None, node.form) + " record"
        where = ""
        if node.where is not None:
            where = " where " + self.render(node.where, inner, _IMPLIES, filt=True)
        if node.kind == "any":
            return f"any {records}{where}", _LOWEST
        if node.kind == "none":
            return f"no {records}{where}", _LOWEST
        assert node.satisfy is not None
        condition = self.render(node.satisfy, inner, _LOWEST)
        return f"for every {records}{where}: {condition}", _LOWEST

    def visit_aggregate(self, node: m.Aggregate, scope: Scope, filt: bool) -> tuple[str, int]:
        inner = inner_scope(node, scope) or scope
        symbol = self.spec.resolve(node.target.parts, scope)
        where = ""
        if node.where is not None:
            where = " where " + self.render(node.where, inner, _IMPLIES, filt=True)
        if node.kind == "count":
            form = symbol.form if symbol is not None and symbol.kind == "form" else None
            records = _value_phrase(form.label if form else None, node.target.parts[-1])
            return f"the number of {records} records{where}", _ATOM
        value = self.name(node.target, scope)
        form = symbol.form if symbol is not None else None
        records = _value_phrase(form.label if form else None, node.target.parts[0])
        return f"{_AGGREGATES[node.kind]} {value} over {records} records{where}", _ATOM

    def visit_call(self, node: m.Call, scope: Scope, filt: bool) -> tuple[str, int]:
        applied = scope.owner.application(node)
        if applied is not None and applied.expansion is not None:
            # the rule as applied, down to its items: a document defines what it uses
            return self.visit(applied.expansion, scope, filt)
        if node.function == "lookup" and len(node.args) == 2:
            table, key = node.args
            table_text = self.render(table, scope, _ATOM)
            return f"the {table_text} for {self.render(key, scope, _ATOM)}", _ATOM
        args = [self.render(a, scope, _ATOM) for a in node.args]
        if node.function in MATH_FUNCTIONS:
            # a function of a function: brackets say which applies first
            args = [
                f"({text})" if isinstance(a, m.Call | m.Aggregate) else text
                for a, text in zip(node.args, args, strict=True)
            ]
        wording = _FUNCTIONS.get(node.function)
        if wording is not None and len(args) == _arity(node.function):
            return wording(args), _ATOM
        return f"{node.function.replace('_', ' ')}({', '.join(args)})", _ATOM

    # ------------------------------------------------------------ what a name is

    def codelist_of(self, node: m.Expr, scope: Scope) -> m.CodeList | None:
        if isinstance(node, m.AtVisit):
            return self.codelist_of(node.expr, scope)
        if isinstance(node, m.Ref):
            symbol = self.spec.resolve(node.parts, scope)
            if symbol is not None and symbol.kind == "item":
                return symbol.codelist
        return None

    def is_record_item(self, node: m.Expr, scope: Scope) -> bool:
        return (
            isinstance(node, m.Ref)
            and scope.record is not None
            and len(node.parts) == 1
            and (scope.record.item(node.parts[0]) is not None)
        )

    def is_date(self, node: m.Expr, scope: Scope) -> bool:
        if isinstance(node, m.DateLit):
            return True
        if isinstance(node, m.AtVisit):
            return self.is_date(node.expr, scope)
        if isinstance(node, m.Arith) and node.op in "+-":
            return self.is_date(node.left, scope) and self.is_duration(node.right)
        if isinstance(node, m.Ref):
            symbol = self.spec.resolve(node.parts, scope)
            if symbol is None:
                return False
            if symbol.kind == "anchor":
                return True
            if symbol.kind == "item":
                assert isinstance(symbol.decl, m.Item)
                return symbol.decl.type.kind in ("date", "datetime")
        return False

    @staticmethod
    def is_duration(node: m.Expr) -> bool:
        return isinstance(node, m.QuantityLit) and node.quantity.unit in _TIME_WORDS


def _flatten(node: m.Expr, op: str) -> list[m.Expr]:
    """`a and (b and c)` as [a, b, c]: a chain of one connective reads as one list."""
    if isinstance(node, m.Logic) and node.op == op:
        return _flatten(node.left, op) + _flatten(node.right, op)
    return [node]


def _is_bool(node: m.Expr) -> bool:
    return isinstance(node, m.BoolLit)


def _is_literal(node: m.Expr) -> bool:
    return isinstance(
        node, m.Ref | m.NumberLit | m.QuantityLit | m.TextLit | m.DateLit | m.TiterLit
    ) and not (isinstance(node, m.Ref) and len(node.parts) > 1)


def _rounded_to(digits: str) -> str:
    """How round(x, d) rounds, in words (halves away from zero, see the reference)."""
    if digits == "0":
        return "rounded to a whole number"
    if digits == "1":
        return "rounded to 1 decimal"
    if digits.startswith("-"):
        return (
            f"rounded to a multiple of 1{'0' * int(digits[1:])}"
            if digits[1:].isdigit()
            else (f"rounded to {digits} decimals")
        )
    return f"rounded to {digits} decimals"


def _arity(function: str) -> int:
    known = FUNCTIONS.get(function)
    return known.arity if known is not None else 2


# ---------------------------------------------------------------- public entry points


def rule_in_words(expr: m.Expr, spec: Spec, scope: Scope | None = None) -> str:
    """The expression as plain English, names replaced by the spec's labels.

    `scope` is where the expression's names are resolved (by default the
    spec's top level); pass the record scope for an item's `when` condition
    or a form's derived value.
    """
    return _Words(spec).render(expr, scope or Scope(spec))


def criterion_in_words(criterion: m.Criterion, spec: Spec) -> str:
    """The line printed beneath a criterion's verbatim text.

    A formal criterion gives its rule ("Rule: …"), an attested one who or
    what confirms it ("Confirmed by: …"); a criterion with neither is judged
    from its text alone.
    """
    if criterion.rule is not None:
        return "Rule: " + rule_in_words(criterion.rule, spec)
    if criterion.attested:
        return "Confirmed by: " + (
            criterion.attestation or "the investigator's attestation on the case report form"
        )
    return "Rule: none; judged by the investigator from the text"


def endpoint_in_words(endpoint: m.Endpoint, spec: Spec) -> tuple[str, list[str]]:
    """An endpoint's full derivation: what it computes, and every definition it reads.

    The first part says what is computed (for a time to event: from when, to
    which first record, censored where); the list gives each definition,
    derived value and anchor the endpoint reaches, down to the items, in the
    order they are first read.  ("", []) for an endpoint without a derivation.
    """
    words = _Words(spec)
    event = endpoint.event
    if endpoint.kind == "time_to_event" and isinstance(event, m.TimeToEvent):
        log = endpoint_log(spec, event.log)
        log_name = label_phrase(log.label, log.name) if log is not None else event.log
        date = log.item(event.date) if log is not None else None
        date_name = label_phrase(date.label, date.name) if date is not None else event.date
        record = Scope(spec, log)
        which = (
            f" among those where {words.render(event.where, record)}"
            if event.where is not None
            else ""
        )
        text = (
            f"days from {words.render(event.origin, Scope(spec))} (day 1) to the earliest "
            f"{date_name} of the records of {log_name}{which}; a subject without such a "
            f"record, or whose first one is later, is censored at "
            f"{words.render(event.censor, Scope(spec))}"
        )
    elif isinstance(event, m.EventCount):
        text = _event_count_in_words(words, spec, endpoint.kind, event)
    elif endpoint.rule is None:
        return "", []
    elif endpoint.kind == "record_flag":
        log = endpoint_log(spec, endpoint.per)
        log_name = label_phrase(log.label, log.name) if log is not None else str(endpoint.per)
        text = f"for each record of {log_name}: yes when {words.render(endpoint.rule, Scope(spec, log))}"
    else:
        text = rule_in_words(endpoint.rule, spec)
    return text, _reached_in_words(words, spec, endpoint)


#: The length of each unit of time a rate may be per, as the protocol states it.
_UNIT_LENGTHS = {
    "d": "a day", "wk": "a week of 7 days", "mo": "a month of 30.4375 days",
    "a": "a year of 365.25 days",
}  # fmt: skip


def _event_count_in_words(
    words: _Words, spec: Spec, kind: str | None, counted: m.EventCount
) -> str:
    """A count or a rate as the protocol states its derivation, the conventions included."""
    log = endpoint_log(spec, counted.log)
    log_name = label_phrase(log.label, log.name) if log is not None else counted.log
    record = Scope(spec, log)
    which = f" where {words.render(counted.where, record)}" if counted.where is not None else ""
    unknown = (
        "unknown when the log is not recorded (never 0); 0 when the log is recorded, "
        "answered none or declared complete and no record counts"
    )
    if kind == "count" or counted.per is None or counted.start is None or counted.end is None:
        return f"the number of records of {log_name}{which}; {unknown}"
    date = log.item(counted.date) if log is not None and counted.date else None
    date_name = label_phrase(date.label, date.name) if date is not None else str(counted.date)
    start = words.render(counted.start, Scope(spec))
    end = words.render(counted.end, Scope(spec))
    if counted.fallback is not None:
        end += f" (when that is unknown, {words.render(counted.fallback, Scope(spec))})"
    else:
        end += " (the rate is unknown when that is unknown)"
    per = counted.per
    code = time_code(per.unit) or ""
    unit = str(per) if per.value != 1 else per.unit
    length = _UNIT_LENGTHS.get(code)
    convention = f", {length}" if length else ""
    return (
        f"the number of records of {log_name}{which} whose {date_name} falls within the "
        f"time at risk, per {unit}{convention}; the time at risk runs from {start} to "
        f"{end}, both days included; {unknown}, and unknown when a record's "
        f"{date_name} is missing and could fall within it"
    )


def _reached_in_words(words: _Words, spec: Spec, endpoint: m.Endpoint) -> list[str]:
    """Each definition, derived value and computed anchor an endpoint reads, in words."""
    seen: set[int] = set()
    lines: list[str] = []
    stack = list(reversed(list(endpoint_expressions(spec, endpoint))))
    while stack:
        scope, expr = stack.pop()
        found: list[tuple[Scope, m.Expr]] = []
        for node, here in walk_scoped(expr, scope):
            if not isinstance(node, m.Ref):
                continue
            symbol = spec.resolve(node.parts, here)
            if symbol is None or id(symbol.decl) in seen:
                continue
            decl = symbol.decl
            if isinstance(decl, m.Define):
                inner = Scope(symbol.owner)
            elif isinstance(decl, m.Derive):
                inner = Scope(symbol.owner, symbol.form)
            elif isinstance(decl, m.Anchor) and decl.expr is not None:
                inner = Scope(symbol.owner)
            else:
                continue
            seen.add(id(decl))
            body = decl.expr
            assert body is not None
            name = label_phrase(decl.label, decl.name)
            lines.append(f"{name}: {words.render(body, inner)}")
            found.append((inner, body))
        stack.extend(reversed(found))
    return lines
