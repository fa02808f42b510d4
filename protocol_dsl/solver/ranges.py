"""Thresholds against the allowed range of the item they are compared with.

A criterion that compares an item with a fixed value (``serology.c3 < 0.9``,
``age between 18 and 70``) is impossible when the value lies outside the
item's declared ``range`` on the wrong side (E0405: usually a unit mix-up,
90 written for 0.9 g/L), and pointless when every allowed value passes
(W0406).  Plain arithmetic, no solver: thresholds are converted exactly into
the item's unit (a plain number is read in the item's unit).  Only the rules
of criteria and the definitions and derived values they use are looked at.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from fractions import Fraction

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.semantics import scales, units
from protocol_dsl.semantics.conversions import threshold_on_item_scale
from protocol_dsl.spec import Scope, Spec, Symbol, walk_scoped
from protocol_dsl.syntax import printer

_FLIP: dict[m.CompareOp, m.CompareOp] = {
    "<": ">",
    "<=": ">=",
    ">": "<",
    ">=": "<=",
    "=": "=",
    "!=": "!=",
}


def check(spec: Spec, criteria: Iterable[m.Criterion] | None = None) -> Iterator[Diagnostic]:
    """The findings about the criteria's rules and what they read; `criteria`: only these
    criteria's (each definition's findings are the same whichever criterion reads it)."""
    resolved: dict[int, Symbol | None] = {}
    # the whole walk first: then every operand's name is resolved already
    chosen = spec.criteria if criteria is None else criteria
    tests = [
        (n, s)
        for n, s in _reachable(spec, chosen, resolved)
        if isinstance(n, (m.Compare, m.Between))
    ]
    for node, scope in tests:
        if isinstance(node, m.Compare):
            yield from _compare(spec, node, scope, resolved)
        else:
            yield from _between(spec, node, scope, resolved)


def _reachable(
    spec: Spec, criteria: Iterable[m.Criterion], resolved: dict[int, Symbol | None]
) -> Iterator[tuple[m.Expr, Scope]]:
    """Every node of the criteria, and of the definitions they read (each once).

    Each name is resolved once, here, into `resolved` (by node): a node is
    reached in one scope only, and the comparisons read their operands' symbols
    from there.
    """
    work: deque[tuple[Scope, m.Expr]] = deque(
        (Scope(spec, None, f"criterion {c.id}"), c.rule) for c in criteria if c.rule
    )
    seen: set[int] = set()
    while work:
        scope, expr = work.popleft()
        for node, inner in walk_scoped(expr, scope):
            if isinstance(node, m.Ref):
                symbol = resolved[id(node)] = spec.resolve(node.parts, inner)
            yield node, inner
            if not isinstance(node, m.Ref) or symbol is None or id(symbol.decl) in seen:
                continue
            if symbol.kind == "define":
                seen.add(id(symbol.decl))
                work.append((Scope(symbol.owner), symbol.decl.expr))  # type: ignore[attr-defined]
            elif symbol.kind == "derive":
                seen.add(id(symbol.decl))
                inner_scope = Scope(symbol.owner, symbol.form)
                work.append((inner_scope, symbol.decl.expr))  # type: ignore[attr-defined]


class _Ranged:
    """An item with an allowed range, in its own unit."""

    def __init__(self, name: str, item: m.Item, low: Fraction, high: Fraction, unit: str | None):
        self.name = name
        self.item = item
        self.low = low
        self.high = high
        self.unit = unit

    def text(self, value: Fraction) -> str:
        number = _text(value)
        return f"{number} {self.unit}" if self.unit else number


def _ranged(
    spec: Spec, node: m.Expr, scope: Scope, resolved: dict[int, Symbol | None]
) -> _Ranged | None:
    target = node.expr if isinstance(node, m.AtVisit) else node
    if not isinstance(target, m.Ref):
        return None
    key = id(target)
    symbol = resolved[key] if key in resolved else spec.resolve(target.parts, scope)
    if symbol is None or symbol.kind != "item":
        return None
    item: m.Item = symbol.decl  # type: ignore[assignment]
    if item.range is None or item.type.kind not in ("number", "integer", "quantity"):
        return None
    unit = item.type.unit if item.type.kind == "quantity" else None
    low = _in_unit(item.range.low, unit)
    high = _in_unit(item.range.high, unit)
    if low is None or high is None or low > high:
        return None
    return _Ranged(target.dotted, item, low, high, unit)


def _threshold(node: m.Expr, item: _Ranged) -> Fraction | None:
    """A fixed value in the item's unit (None when it is not fixed or not comparable)."""
    if isinstance(node, m.NumberLit):
        return Fraction(node.value)
    if isinstance(node, m.Negate):
        inner = _threshold(node.expr, item)
        return None if inner is None else -inner
    if isinstance(node, m.QuantityLit):
        return _in_unit(node.quantity, item.unit)
    return None


def _in_unit(value: Decimal | m.Quantity, unit: str | None) -> Fraction | None:
    if not isinstance(value, m.Quantity):
        return Fraction(value)
    if unit is None:
        return None
    try:
        source, target = _unit(value.unit), _unit(unit)
    except units.UnitError:
        return None
    if source.dimension != target.dimension or not scales.same_scale(value.unit, unit):
        return None
    base = Fraction(value.value) * Fraction(*source.exact_factor) + Fraction(*source.exact_offset)
    return (base - Fraction(*target.exact_offset)) / Fraction(*target.exact_factor)


def _unit(text: str) -> units.Unit:
    try:
        return units.parse_unit(text)
    except units.UnitError:
        return units.time_unit(text)


def _compare(
    spec: Spec, node: m.Compare, scope: Scope, resolved: dict[int, Symbol | None]
) -> Iterator[Diagnostic]:
    # a threshold on another scale is read through the item's declared conversion, and
    # reported as written
    scaled = threshold_on_item_scale(spec, scope, node)
    op = scaled.op
    item = _ranged(spec, scaled.left, scope, resolved)
    other = scaled.right
    if item is None:
        item = _ranged(spec, scaled.right, scope, resolved)
        other, op = scaled.left, _FLIP[op]
    if item is None:
        return
    value = _threshold(other, item)
    if value is None:
        return
    never = _NEVER[op](value, item.low, item.high)
    always = _ALWAYS[op](value, item.low, item.high)
    yield from _report(node, other, item, never, always)


#: Per operator (the item on the left): whether `item op value` holds for no allowed
#: value, and for every allowed value (only the operator's own test is computed).
_NEVER: dict[str, Callable[[Fraction, Fraction, Fraction], bool]] = {
    ">": lambda value, low, high: value >= high,
    ">=": lambda value, low, high: value > high,
    "<": lambda value, low, high: value <= low,
    "<=": lambda value, low, high: value < low,
    "=": lambda value, low, high: value < low or value > high,
    "!=": lambda value, low, high: low == high == value,
}
_ALWAYS: dict[str, Callable[[Fraction, Fraction, Fraction], bool]] = {
    ">": lambda value, low, high: value < low,
    ">=": lambda value, low, high: value <= low,
    "<": lambda value, low, high: value > high,
    "<=": lambda value, low, high: value >= high,
    "=": lambda value, low, high: low == high == value,
    "!=": lambda value, low, high: value < low or value > high,
}


def _between(
    spec: Spec, node: m.Between, scope: Scope, resolved: dict[int, Symbol | None]
) -> Iterator[Diagnostic]:
    item = _ranged(spec, node.expr, scope, resolved)
    if item is None:
        return
    low, high = _threshold(node.low, item), _threshold(node.high, item)
    if low is None or high is None or low > high:
        return  # an empty interval is the solver's finding, whatever the range
    never = high < item.low or low > item.high
    always = low <= item.low and item.high <= high
    yield from _report(node, node.low, item, never, always)


def _report(
    node: m.Expr, threshold: m.Expr, item: _Ranged, never: bool, always: bool
) -> Iterator[Diagnostic]:
    if not (never or always):
        return  # most comparisons: nothing to say, and their texts cost more than the test
    assert item.item.range is not None
    allowed = f"{item.name} is between {item.text(item.low)} and {item.text(item.high)}"
    label = Label(item.item.range.span, f"the allowed range of {item.name}")
    rule = printer.expr(node)
    if never:
        yield Diagnostic(
            "E0405",
            "error",
            f"'{rule}' can never hold: {allowed}",
            node.span,
            labels=(label, Label(threshold.span, "this threshold is outside the range")),
            help="check the threshold and its unit against the item's range "
            f"(the item is recorded in {item.unit or 'plain numbers'})",
        )
    elif always:
        yield Diagnostic(
            "W0406",
            "warning",
            f"'{rule}' always holds: {allowed}",
            node.span,
            labels=(label,),
            help="every allowed value passes this comparison; check the threshold, "
            "or remove the comparison",
        )


def _text(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return m.format_decimal(Decimal(value.numerator) / Decimal(value.denominator))
