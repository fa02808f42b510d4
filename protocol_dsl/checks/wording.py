"""Text versus rule: a number the criterion's quoted text states that its rule does not (W0413).

A criterion carries the protocol's wording and the rule that encodes it; an
edit to one of the two (an amendment that changes "45 mg/day" in the rule but
not "≤ 40 mg/day" in the text, "3 years" typed for "5 years", "12 days" for
"12 weeks") passes every other check.  The text's thresholds come from
`semantics.stated`; the rule's are the numbers it compares with, following the
definitions and derived values it reads.  Values are compared in base units,
so "12 weeks" and "84 days" agree.

Conservative by design: a stated number is compared only with the rule's
numbers of the same kind (durations with durations, doses with doses, plain
numbers with plain numbers), and only when the rule has some; a finding means
that no number of that kind in the rule equals it.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from protocol_dsl import model as m
from protocol_dsl.checks.criterion_question import CriterionQuestion
from protocol_dsl.diagnostics import Diagnostic, Fix, Label
from protocol_dsl.semantics.stated import Stated, in_base, stated
from protocol_dsl.spec import Scope, Spec, walk_scoped
from protocol_dsl.syntax import printer

Kind = tuple[int, ...] | None


def check(spec: Spec) -> list[Diagnostic]:
    return findings(spec, criterion_findings)


def findings(spec: Spec, about_criterion: CriterionQuestion) -> list[Diagnostic]:
    """The check, with the finding about each criterion asked of `about_criterion`."""
    found: list[Diagnostic] = []
    for criterion in spec.criteria:
        found.extend(about_criterion(spec, spec, criterion))
    for objective in spec.objectives:
        for endpoint in objective.endpoints:
            finding = _time_frame(endpoint)
            if finding is not None:
                found.append(finding)
    return found


def criterion_findings(spec: Spec, owner: Spec, criterion: m.Criterion) -> Iterator[Diagnostic]:
    """W0413 for one criterion: its text against its rule, which reads definitions and
    derived values, never another criterion."""
    if criterion.rule is None or criterion.attested:
        return
    finding = disagreement(spec, criterion)
    if finding is not None:
        yield finding


def _time_frame(endpoint: m.Endpoint) -> Diagnostic | None:
    """W0413 for an endpoint whose quoted time frame states durations, none of which is
    the `until` its data are read to ("Up to 24 weeks" over `until 12 weeks …`)."""
    if endpoint.timeframe is None or endpoint.until is None:
        return None
    until = in_base(Fraction(endpoint.until.value), endpoint.until.unit)
    if until is None or until[0] is None:
        return None
    durations = []
    for number in stated(endpoint.timeframe):
        base = in_base(number.value, number.unit)
        if base is not None and base[0] == until[0]:
            durations.append((number, base[1]))
    if not durations or any(value == until[1] for _n, value in durations):
        return None
    number = durations[0][0]
    return Diagnostic(
        "W0413",
        "warning",
        f"endpoint {endpoint.name}: the time frame states {number.written}, but its data "
        f"are read until {endpoint.until} after {endpoint.until_anchor or 'the anchor'}",
        endpoint.span,
        notes=(f'the time frame: "{endpoint.timeframe}"',),
        help="make the quoted time frame and `until` state the same duration",
    )


def rule_values(spec: Spec, rule: m.Expr) -> dict[Kind, dict[Fraction, m.Expr]]:
    """The numbers a rule compares with, by kind, in base units, with the literal."""
    values: dict[Kind, dict[Fraction, m.Expr]] = {}
    for literal in _literals(spec, rule, Scope(spec), set()):
        if isinstance(literal, m.QuantityLit):
            base = in_base(Fraction(literal.quantity.value), literal.quantity.unit)
        else:
            base = (None, Fraction(literal.value))
        if base is not None:
            values.setdefault(base[0], {}).setdefault(base[1], literal)
    return values


def _definition(spec: Spec, ref: m.Ref, here: Scope, seen: set[int]) -> tuple[m.Expr, Scope] | None:
    """The rule of the define or derived value `ref` names, with the scope it is read in;
    None for anything else, or for a definition already followed (each is read once)."""
    symbol = spec.resolve(ref.parts, here)
    decl = symbol.decl if symbol is not None else None
    inner = getattr(decl, "expr", None)
    if symbol is None or symbol.kind not in ("define", "derive") or inner is None:
        return None
    if id(decl) in seen:
        return None
    seen.add(id(decl))
    owner = Scope(symbol.owner, symbol.form) if symbol.kind == "derive" else Scope(symbol.owner)
    return inner, owner


def _literals(
    spec: Spec, expr: m.Expr, scope: Scope, seen: set[int]
) -> Iterator[m.QuantityLit | m.NumberLit]:
    for node, here in walk_scoped(expr, scope):
        if isinstance(node, m.QuantityLit):
            yield node
        elif isinstance(node, (m.Compare, m.Between)):
            operands = (
                (node.left, node.right) if isinstance(node, m.Compare) else (node.low, node.high)
            )
            for operand in operands:
                if isinstance(operand, m.NumberLit):
                    yield operand
                elif isinstance(operand, m.Negate) and isinstance(operand.expr, m.NumberLit):
                    yield m.NumberLit(-operand.expr.value, span=operand.span)
        elif isinstance(node, m.Ref) and (followed := _definition(spec, node, here, seen)):
            yield from _literals(spec, *followed, seen)


_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_WORDS = {"<": "below", "<=": "at most", ">": "above", ">=": "at least"}


def rule_directions(spec: Spec, rule: m.Expr) -> dict[tuple[Kind, Fraction], dict[str, m.Span]]:
    """How a rule compares with each of its numbers, following the definitions it reads:
    `x <= 40 mg/d` gives `<=` for 40 mg/d (the number on the right; `40 >= x` reads the
    same), `between a and b` gives `>=` for a and `<=` for b; nothing under a `not`."""
    directions: dict[tuple[Kind, Fraction], dict[str, m.Span]] = {}
    for node in _comparisons(spec, rule, Scope(spec), set()):
        if isinstance(node, m.Compare):
            right, left = _base(node.right), _base(node.left)
            if right is not None:
                directions.setdefault(right, {}).setdefault(node.op, node.span)
            elif left is not None:
                directions.setdefault(left, {}).setdefault(_FLIPPED[node.op], node.span)
        elif isinstance(node, m.Between):
            for end, relation in ((node.low, ">="), (node.high, "<=")):
                base = _base(end)
                if base is not None:
                    directions.setdefault(base, {}).setdefault(relation, node.span)
    return directions


def _comparisons(
    spec: Spec, expr: m.Expr, scope: Scope, seen: set[int]
) -> Iterator[m.Compare | m.Between]:
    """The comparisons a rule makes, definitions followed; none under a `not`, which
    turns every direction under it."""
    nodes = list(walk_scoped(expr, scope))
    negated = {
        id(inner)
        for node, here in nodes
        if isinstance(node, m.Not)
        for inner, _where in walk_scoped(node.expr, here)
    }
    for node, here in nodes:
        if id(node) in negated:
            continue
        if isinstance(node, m.Between) or (isinstance(node, m.Compare) and node.op in _FLIPPED):
            yield node
        elif isinstance(node, m.Ref) and (followed := _definition(spec, node, here, seen)):
            yield from _comparisons(spec, *followed, seen)


def _base(literal: m.Expr) -> tuple[Kind, Fraction] | None:
    if isinstance(literal, m.QuantityLit):
        return in_base(Fraction(literal.quantity.value), literal.quantity.unit)
    if isinstance(literal, m.NumberLit):
        return (None, Fraction(literal.value))
    return None


def _direction(spec: Spec, criterion: m.Criterion, numbers: list[Stated]) -> Diagnostic | None:
    """W0413 for a number text and rule both state (`numbers`, the text's), compared in
    opposite directions or one strictly and the other not ("more than 3 g/day" over
    `>= 3 g/d`)."""
    assert criterion.rule is not None
    if not any(number.relation in _FLIPPED for number in numbers):
        return None  # a text that compares with nothing: the rule's directions are moot
    directions = rule_directions(spec, criterion.rule)
    for number in numbers:
        base = in_base(number.value, number.unit)
        if base is None or number.relation not in _FLIPPED:
            continue
        written = directions.get(base)
        if not written or number.relation in written:
            continue
        relation, where = sorted(written.items())[0]
        return Diagnostic(
            "W0413",
            "warning",
            f"{criterion.kind} {criterion.id}: the text states {_WORDS[number.relation]} "
            f"{number.written} ({number.relation} {number.written}), but the rule compares "
            f"with {relation} {number.written}",
            criterion.rule.span,
            labels=(
                Label(_text_span(criterion), f"the text states {number.relation}"),
                Label(where, f"the rule compares with {relation}"),
            ),
            notes=(f'the text: "{_excerpt(criterion.text, number)}"',),
            help="make the text and the rule compare in the same direction, and both include "
            "the limit or both leave it out",
        )
    return None


def disagreement(spec: Spec, criterion: m.Criterion) -> Diagnostic | None:
    """W0413 for the first number of the text that the rule does not state, if any; else
    for a number both state in different directions."""
    assert criterion.rule is not None
    numbers = stated(criterion.text)
    if not numbers:  # a text that states no number disagrees with no rule
        return None
    values = rule_values(spec, criterion.rule)
    unmatched: list[tuple[Stated, Kind]] = []
    for number in numbers:
        base = in_base(number.value, number.unit)
        if base is None:
            continue
        kind, value = base
        if kind not in values or value in values[kind]:
            continue
        unmatched.append((number, kind))
    if not unmatched:
        return _direction(spec, criterion, numbers)
    number, kind = unmatched[0]
    others = sorted(values[kind].items())
    shown = ", ".join(_show(literal) for _value, literal in others)
    more = f" (and {len(unmatched) - 1} more)" if len(unmatched) > 1 else ""
    return Diagnostic(
        "W0413",
        "warning",
        f"{criterion.kind} {criterion.id}: the text states {number.written}{more}, "
        f"which the rule does not; the rule uses {shown}",
        criterion.rule.span,
        labels=(
            Label(_text_span(criterion), f"the text states {number.written}"),
            *(Label(literal.span, "the rule's value") for _value, literal in others[:3]),
        ),
        notes=(f'the text: "{_excerpt(criterion.text, number)}"',),
        help="make the text and the rule state the same thresholds: correct whichever "
        "an edit left behind",
        fix=_missing_unit(spec, criterion.rule, number, kind),
    )


def _missing_unit(spec: Spec, rule: m.Expr, number: Stated, kind: Kind) -> Fix | None:
    """The unit to write after a plain number of the rule that stands for the text's number.

    A plain number compared with an item that has a unit is read in the item's unit, and
    is no value of `kind` to compare the text with.  When that number, read in the item's
    unit, is the text's number, writing the item's unit keeps its meaning and says it;
    when the number is the text's number in the text's unit (`c3 >= 90` for "90 mg/dL" on
    an item recorded in g/L), the text's unit is the one the writer left out.
    """
    stated_base = in_base(number.value, number.unit)
    if kind is None or stated_base is None:
        return None
    for node, here in walk_scoped(rule, Scope(spec)):
        if isinstance(node, m.Compare):
            pairs = [(node.left, node.right), (node.right, node.left)]
        elif isinstance(node, m.Between):
            pairs = [(node.expr, node.low), (node.expr, node.high)]
        else:
            continue
        for item_side, literal in pairs:
            unit = _item_unit(spec, item_side, here)
            if not isinstance(literal, m.NumberLit) or unit is None:
                continue
            for candidate in (unit, number.unit):
                base = in_base(Fraction(literal.value), candidate) if candidate else None
                if candidate is None or base != stated_base:
                    continue
                written = printer.number(literal.value)
                return Fix(
                    literal.span,
                    f"{written} {printer.unit(candidate)}",
                    f"add the unit to {written}",
                )
    return None


def _item_unit(spec: Spec, node: m.Expr, scope: Scope) -> str | None:
    """The unit of the item `node` reads (through `at VISIT`), if it has one."""
    while isinstance(node, (m.AtVisit, m.AtPrevious)):
        node = node.expr
    if not isinstance(node, m.Ref):
        return None
    symbol = spec.resolve(node.parts, scope)
    if symbol is None or symbol.kind != "item" or not isinstance(symbol.decl, m.Item):
        return None
    return symbol.decl.type.unit


def _show(literal: m.Expr) -> str:
    if isinstance(literal, m.QuantityLit):
        return str(literal.quantity)
    assert isinstance(literal, m.NumberLit)
    return m.format_decimal(literal.value)


def _excerpt(text: str, number: Stated, width: int = 40) -> str:
    start = max(0, number.start - width)
    end = min(len(text), number.end + width)
    core = " ".join(text[start:end].split())
    return ("…" if start else "") + core + ("…" if end < len(text) else "")


def _text_span(criterion: m.Criterion) -> m.Span:
    """The criterion's first line (its id and quoted text), without the rule."""
    span = criterion.span
    return m.Span(
        span.file,
        span.line,
        span.column,
        span.line,
        span.column + len(criterion.kind) + len(criterion.id) + 1,
        span.start,
        span.start + len(criterion.kind) + len(criterion.id) + 1,
    )
