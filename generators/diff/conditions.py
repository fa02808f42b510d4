"""Which way a changed condition moved: true for more subjects, for fewer, or unknown.

Two versions of a condition are compared as trees.  Where they differ only
in a literal of a comparison (a threshold), a window's duration, the values
of an `in {…}` test, or by an extra `and`/`or` term, the change has a
direction that can be read off the tree: `age <= 65` → `age <= 70` is true
for more subjects (wider), `x >= 160 mmHg` → `x >= 150 mmHg` too, an added
`or` term widens, an added `and` term narrows, a longer `within … before`
widens and a longer `at least … before` narrows.  The direction flips under
`not`, on the left of `implies` and in the filter of `none` and `all`.  Any
other difference (a new operand, another function, a changed `=` value) has
an unknown direction.

Each threshold is also described in words for the summary:
"age at screening ≤ 70 years → ≤ 75 years".  The effect is about the
condition itself; whether that widens or narrows eligibility depends on
whether it is an inclusion or an exclusion, which the caller knows.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import attrs

from protocol_dsl import model as m
from protocol_dsl.semantics import units
from protocol_dsl.semantics.words import quantity_in_words, rule_in_words
from protocol_dsl.spec import Scope, Spec, inner_scope

_SYMBOLS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "=": "=", "!=": "≠"}
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
_UPPER = ("<", "<=")
_LOWER = (">", ">=")
_IMPLICIT_UNITS = {"years_between": "years", "months_between": "months", "days_between": "days"}


@attrs.frozen
class Finding:
    """One place where the two conditions differ.

    `effect` is +1 when the new condition is true for more subjects, -1 for
    fewer, 0 when that cannot be told.  `words` describes a threshold, a
    window or a value list change; it is None for other differences.
    """

    effect: int
    words: str | None = None
    #: the same meaning written another way (3 g/d → 3000 mg/d, 4 weeks → 28 days)
    equivalent: bool = False


@attrs.frozen
class ConditionChange:
    findings: tuple[Finding, ...]

    @property
    def effect(self) -> int:
        """+1 wider, -1 narrower, 0 unknown or mixed."""
        effects = {f.effect for f in self.findings if not f.equivalent}
        if len(effects) == 1:
            return effects.pop()
        return 0

    @property
    def equivalent(self) -> bool:
        """Written differently, meaning the same (no finding changes anything)."""
        return all(f.equivalent for f in self.findings)

    @property
    def thresholds_only(self) -> bool:
        """Only literals of comparisons, windows or value lists changed (beside rewordings)."""
        changed = [f for f in self.findings if not f.equivalent]
        return bool(changed) and all(f.words is not None for f in changed)

    def describe(self) -> str:
        return "; ".join(f.words for f in self.findings if f.words is not None)


def compare(
    old: m.Expr,
    new: m.Expr,
    old_spec: Spec,
    new_spec: Spec,
    old_scope: Scope | None = None,
    new_scope: Scope | None = None,
) -> ConditionChange:
    """How `new` differs from `old` as a condition (empty findings when equal)."""
    walker = _Walker(old_spec, new_spec)
    findings = walker.walk(old, new, old_scope or Scope(old_spec), new_scope or Scope(new_spec), 1)
    return ConditionChange(tuple(findings))


class _Walker:
    def __init__(self, old_spec: Spec, new_spec: Spec) -> None:
        self.old_spec = old_spec
        self.new_spec = new_spec

    def walk(self, old: m.Expr, new: m.Expr, os: Scope, ns: Scope, sign: int) -> list[Finding]:
        if old == new:
            return []
        if sign == 0:
            return [Finding(0)]
        if isinstance(old, m.Compare) and isinstance(new, m.Compare):
            return self.comparison(old, new, ns, sign)
        if isinstance(old, m.Between) and isinstance(new, m.Between) and old.expr == new.expr:
            return self.between(old, new, ns, sign)
        # `x between a and b` is `a <= x and x <= b` (a chain or two comparisons): read as such
        if isinstance(old, m.Between) and _is_and(new):
            return self.walk(_as_comparisons(old), new, os, ns, sign)
        if isinstance(new, m.Between) and _is_and(old):
            return self.walk(old, _as_comparisons(new), os, ns, sign)
        if isinstance(old, (m.Within, m.AtLeast)) and type(old) is type(new):
            return self.window(old, new, ns, sign)
        if isinstance(old, m.MemberOf) and isinstance(new, m.MemberOf):
            return self.members(old, new, ns, sign)
        if isinstance(old, m.Not) and isinstance(new, m.Not):
            return self.walk(old.expr, new.expr, os, ns, -sign)
        if isinstance(old, m.Logic) and isinstance(new, m.Logic) and old.op == new.op:
            return self.logic(old, new, os, ns, sign)
        if isinstance(old, m.Logic) and old.op in ("and", "or") and _extends(new, old):
            return self.logic(old, new, os, ns, sign)
        if isinstance(new, m.Logic) and new.op in ("and", "or") and _extends(old, new):
            return self.logic(old, new, os, ns, sign)
        if isinstance(old, m.AtVisit) and isinstance(new, m.AtVisit) and old.visit == new.visit:
            return self.walk(old.expr, new.expr, os, ns, sign)
        if isinstance(old, m.Quantifier) and isinstance(new, m.Quantifier):
            return self.quantifier(old, new, os, ns, sign)
        if (
            isinstance(old, m.Conditional)
            and isinstance(new, m.Conditional)
            and old.condition == new.condition
        ):
            return self.walk(old.then, new.then, os, ns, sign) + self.walk(
                old.otherwise, new.otherwise, os, ns, sign
            )
        return [Finding(0)]

    # ------------------------------------------------------------ thresholds

    def comparison(self, old: m.Compare, new: m.Compare, ns: Scope, sign: int) -> list[Finding]:
        o = _normalised(old)
        n = _normalised(new)
        if o is None or n is None:
            return self.operator(old, new, ns, sign)
        if o[0] != n[0]:
            return [Finding(0)]
        subject, old_op, old_value = o
        _, new_op, new_value = n
        order = _order(old_value, new_value)
        local = 0
        if old_op in _UPPER and new_op in _UPPER:
            local = _bound_effect(order, old_op, new_op, upper=True)
        elif old_op in _LOWER and new_op in _LOWER:
            local = _bound_effect(order, old_op, new_op, upper=False)
        if old_value == new_value and old_op == new_op:
            return [Finding(0, None, True)]  # only the operands' order: `18 <= age`, `age >= 18`
        words = (
            f"{self.subject(subject, ns)} {_SYMBOLS[old_op]} {self.value(old_value, subject, ns)}"
            f" → {_SYMBOLS[new_op]} {self.value(new_value, subject, ns)}"
        )
        return [Finding(sign * local, words, order == 0 and old_op == new_op)]

    def operator(self, old: m.Compare, new: m.Compare, ns: Scope, sign: int) -> list[Finding]:
        """The same two operands under another comparison: `c3 < lln` → `c3 <= lln`."""
        if (old.left, old.right) == (new.right, new.left):
            new = m.Compare(_FLIPPED[new.op], new.right, new.left, span=new.span)  # type: ignore[arg-type]
        if (old.left, old.right) != (new.left, new.right):
            return [Finding(0)]
        if old.op == new.op:
            return []
        local = 0
        if old.op in _UPPER and new.op in _UPPER:
            local = _bound_effect(0, old.op, new.op, upper=True)
        elif old.op in _LOWER and new.op in _LOWER:
            local = _bound_effect(0, old.op, new.op, upper=False)
        words = (
            f"{self.subject(old.left, ns)} {_SYMBOLS[old.op]} → {_SYMBOLS[new.op]} "
            f"{self.subject(old.right, ns)}"
        )
        return [Finding(sign * local, words)]

    def between(self, old: m.Between, new: m.Between, ns: Scope, sign: int) -> list[Finding]:
        findings: list[Finding] = []
        subject = self.subject(old.expr, ns)
        if old.low != new.low:
            order = _order(old.low, new.low)
            local = 0 if order is None else -order
            words = (
                f"{subject} ≥ {self.value(old.low, old.expr, ns)}"
                f" → ≥ {self.value(new.low, old.expr, ns)}"
            )
            findings.append(Finding(sign * local, words, order == 0))
        if old.high != new.high:
            order = _order(old.high, new.high)
            local = 0 if order is None else order
            words = (
                f"{subject} ≤ {self.value(old.high, old.expr, ns)}"
                f" → ≤ {self.value(new.high, old.expr, ns)}"
            )
            findings.append(Finding(sign * local, words, order == 0))
        return findings

    def window(
        self, old: m.Within | m.AtLeast, new: m.Within | m.AtLeast, ns: Scope, sign: int
    ) -> list[Finding]:
        if (old.expr, old.direction, old.anchor) != (new.expr, new.direction, new.anchor):
            return [Finding(0)]
        order = _order(old.duration, new.duration)
        # a longer "within" admits more dates; a longer "at least" fewer
        local = 0 if order is None else (order if isinstance(old, m.Within) else -order)
        keyword = "within" if isinstance(old, m.Within) else "at least"
        words = (
            f"{self.subject(old.expr, ns)} {keyword} {self.value(old.duration, None, ns)}"
            f" → {self.value(new.duration, None, ns)} {old.direction} "
            f"{self.subject(old.anchor, ns)}"
        )
        return [Finding(sign * local, words, order == 0)]

    def members(self, old: m.MemberOf, new: m.MemberOf, ns: Scope, sign: int) -> list[Finding]:
        if old.expr != new.expr or old.codelist is not None or new.codelist is not None:
            return [Finding(0)]
        added = [v for v in new.values if v not in old.values]
        removed = [v for v in old.values if v not in new.values]
        local = 1 if added and not removed else -1 if removed and not added else 0
        if not added and not removed:  # the same values in another order
            return []
        parts = []
        if added:
            parts.append("added " + ", ".join(added))
        if removed:
            parts.append("removed " + ", ".join(removed))
        words = f"{self.subject(old.expr, ns)} values: " + "; ".join(parts)
        return [Finding(sign * local, words)]

    # ------------------------------------------------------------ structure

    def logic(self, old: m.Expr, new: m.Expr, os: Scope, ns: Scope, sign: int) -> list[Finding]:
        op = old.op if isinstance(old, m.Logic) else new.op  # type: ignore[union-attr]
        if op == "implies":
            assert isinstance(old, m.Logic) and isinstance(new, m.Logic)
            return self.walk(old.left, new.left, os, ns, -sign) + self.walk(
                old.right, new.right, os, ns, sign
            )
        old_terms = _flatten(old, op)
        new_terms = _flatten(new, op)
        if len(old_terms) == len(new_terms):
            findings: list[Finding] = []
            for o, n in zip(old_terms, new_terms, strict=True):
                findings += self.walk(o, n, os, ns, sign)
            return findings
        # one more term of "or" is true for more subjects; of "and", for fewer
        more = 1 if op == "or" else -1
        if _contains(new_terms, old_terms):
            return [Finding(sign * more)]
        if _contains(old_terms, new_terms):
            return [Finding(-sign * more)]
        return [Finding(0)]

    def quantifier(
        self, old: m.Quantifier, new: m.Quantifier, os: Scope, ns: Scope, sign: int
    ) -> list[Finding]:
        if old.kind != new.kind or old.form != new.form:
            return [Finding(0)]
        inner_old = inner_scope(old, os) or os
        inner_new = inner_scope(new, ns) or ns
        # a filter makes "any" true for fewer subjects; "none" and "all" for more
        where_sign = sign if old.kind == "any" else -sign
        findings: list[Finding] = []
        if old.where is not None and new.where is not None:
            findings += self.walk(old.where, new.where, inner_old, inner_new, where_sign)
        elif old.where is None and new.where is not None:
            findings.append(Finding(-where_sign))
        elif old.where is not None and new.where is None:
            findings.append(Finding(where_sign))
        if old.satisfy is not None and new.satisfy is not None:
            findings += self.walk(old.satisfy, new.satisfy, inner_old, inner_new, sign)
        return findings

    # ------------------------------------------------------------ words

    def subject(self, expr: m.Expr, scope: Scope) -> str:
        try:
            return rule_in_words(expr, self.new_spec, scope)
        except (TypeError, AttributeError, KeyError):
            from protocol_dsl.syntax.printer import expr as source

            return source(expr)

    def value(self, literal: m.Expr, subject: m.Expr | None, scope: Scope) -> str:
        if isinstance(literal, m.NumberLit):
            text = m.format_decimal(literal.value)
            unit = _implicit_unit(subject, self.new_spec, scope) if subject is not None else None
            return f"{text} {unit}" if unit else text
        if isinstance(literal, m.QuantityLit):
            return quantity_in_words(literal.quantity)
        return self.subject(literal, scope)


# ---------------------------------------------------------------- helpers


def _normalised(node: m.Compare) -> tuple[m.Expr, str, m.Expr] | None:
    """(subject, op, literal) with the literal on the right, or None if neither side is one."""
    if _is_literal(node.right):
        return node.left, node.op, node.right
    if _is_literal(node.left):
        return node.right, _FLIPPED[node.op], node.left
    return None


def _is_literal(node: m.Expr) -> bool:
    return isinstance(node, (m.NumberLit, m.QuantityLit, m.TiterLit, m.DateLit, m.BoolLit)) or (
        isinstance(node, m.Negate) and _is_literal(node.expr)
    )


def _bound_effect(order: int | None, old_op: str, new_op: str, *, upper: bool) -> int:
    """+1 if the bound now admits more values, -1 fewer, 0 unknown."""
    if order is None:
        return 0
    if order == 0:
        strict_before = old_op in ("<", ">")
        strict_after = new_op in ("<", ">")
        if strict_before == strict_after:
            return 0
        return 1 if strict_before else -1
    return order if upper else -order


def _order(old: m.Expr, new: m.Expr) -> int | None:
    """+1 if new > old, -1 if new < old, 0 if equal, None if they cannot be ordered."""
    a, b = _magnitude(old), _magnitude(new)
    if a is None or b is None:
        return None
    if isinstance(a, tuple) and isinstance(b, tuple):
        value_a, unit_a = a
        value_b, unit_b = b
        try:
            converted = units.convert(float(value_b), _unit(unit_b), _unit(unit_a))
        except units.UnitError:
            return None
        a_num, b_num = float(value_a), converted
    elif type(a) is type(b) and not isinstance(a, tuple):
        a_num, b_num = a, b  # type: ignore[assignment]
    else:
        return None
    return (b_num > a_num) - (b_num < a_num)


def _magnitude(node: m.Expr) -> Decimal | tuple[Decimal, str] | _dt.date | int | None:
    if isinstance(node, m.NumberLit):
        return node.value
    if isinstance(node, m.Negate):
        inner = _magnitude(node.expr)
        if isinstance(inner, Decimal):
            return -inner
        if isinstance(inner, tuple):
            return (-inner[0], inner[1])
        return None
    if isinstance(node, m.QuantityLit):
        return (node.quantity.value, node.quantity.unit)
    if isinstance(node, m.TiterLit):
        return node.denominator
    if isinstance(node, m.DateLit):
        return node.value
    return None


def _unit(text: str) -> units.Unit:
    try:
        return units.parse_unit(text)
    except units.UnitError:
        return units.time_unit(text)


def _implicit_unit(subject: m.Expr, spec: Spec, scope: Scope) -> str | None:
    """The unit a plain number compared with `subject` is counted in (age → years)."""
    if isinstance(subject, m.AtVisit):
        return _implicit_unit(subject.expr, spec, scope)
    if isinstance(subject, m.Call):
        return _IMPLICIT_UNITS.get(subject.function)
    if isinstance(subject, m.Ref):
        symbol = spec.resolve(subject.parts, scope)
        if symbol is not None and symbol.kind in ("define", "derive"):
            expr = symbol.decl.expr  # type: ignore[attr-defined]
            if isinstance(expr, m.Call):
                return _IMPLICIT_UNITS.get(expr.function)
    return None


def _flatten(node: m.Expr, op: str) -> list[m.Expr]:
    if isinstance(node, m.Logic) and node.op == op:
        return _flatten(node.left, op) + _flatten(node.right, op)
    return [node]


def _contains(bigger: list[m.Expr], smaller: list[m.Expr]) -> bool:
    """Every term of `smaller` is a term of `bigger` (as many times), and bigger has more."""
    if len(bigger) <= len(smaller):
        return False
    remaining = list(bigger)
    for term in smaller:
        if term not in remaining:
            return False
        remaining.remove(term)
    return True


def _extends(node: m.Expr, base: m.Logic) -> bool:
    """`node` is a single term that `base` (an and/or chain) contains."""
    return node in _flatten(base, base.op)


def _is_and(expr: m.Expr) -> bool:
    return isinstance(expr, m.Logic) and expr.op == "and"


def _as_comparisons(between: m.Between) -> m.Logic:
    """`x between a and b` written as `x >= a and x <= b` (inclusive at both ends)."""
    span = between.span
    return m.Logic(
        "and",
        m.Compare(">=", between.expr, between.low, span=span),
        m.Compare("<=", between.expr, between.high, span=span),
        span=span,
    )
