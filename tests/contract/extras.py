"""Declarations that `tests/strategies.py` does not write, added to a generated spec.

Each extra reads the generated spec's context (its items, visits, code lists and
intervention) so that it checks clean, and each brings grammar rules and expression
forms of the reference that the canonical generator leaves out: libraries (`use`,
`collect`), lookup tables, mappings of source data, anchors on a date item, unscheduled
and early-termination visits with `when`/`starts`/`ends` rules, elements with a dose,
arms with branches and transitions, endpoints with a rule, item clauses (`collected
at`, `for_reporting`), comparison chains, `if … then … else`, unary minus,
subtraction, division, `min(…)`, `in LIST`, `(… ) at VISIT`, and literals of every
kind (text with escapes, dates, titers, `yes`/`no`).
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from protocol_dsl import model as m
from protocol_dsl.syntax import printer
from tests.strategies import ItemInfo, SpecParts, literal_for

#: The libraries a generated spec may `use` (copied next to it by the runner).
LIBRARIES = {"sle": "lib/sle.trial", "gc": "lib/glucocorticoids.trial"}


def _ref(item: ItemInfo) -> str:
    return f"{item.form}.{item.name}"


def _lit(draw: st.DrawFn, item: ItemInfo) -> str:
    return printer.expr(literal_for(draw, item))


def _numbers(parts: SpecParts) -> list[ItemInfo]:
    return [i for i in parts.context.items if i.kind in ("number", "integer")]


def _of_kind(parts: SpecParts, kind: str) -> list[ItemInfo]:
    return [i for i in parts.context.items if i.kind == kind]


def _expression_defines(draw: st.DrawFn, parts: SpecParts, names: list[str]) -> list[str]:
    """Definitions written with the expression forms the canonical generator omits."""
    ctx = parts.context
    out: list[str] = []
    numbers = _numbers(parts)
    if numbers:
        item = draw(st.sampled_from(numbers))
        ref = _ref(item)
        low, high = sorted([literal_for(draw, item), literal_for(draw, item)], key=_value)
        first, second = draw(st.sampled_from([("<", "<="), ("<=", "<"), ("<=", "<=")]))
        out.append(
            f"define {names.pop()} = {printer.expr(low)} {first} {ref} {second} "
            f"{printer.expr(high)}"
        )
        out.append(f"define {names.pop()} = -{ref} + {ref} / 2 - 1 < {_lit(draw, item)}")
        out.append(
            f"define {names.pop()} = (if {ref} > {_lit(draw, item)} then {ref} - 1 "
            f"else -({ref})) >= 0"
        )
        out.append(f"define {names.pop()} = {ref} > {_lit(draw, item)} implies {ref} > 0")
        if item.visits:
            out.append(f"define {names.pop()} = ({ref} * 2) at {ctx.eligibility_visit} > 1")
    for item in _of_kind(parts, "choice")[:1]:
        assert item.codelist is not None
        out.append(f"define {names.pop()} = {_ref(item)} in {item.codelist.name}")
    for item in _of_kind(parts, "text")[:1]:
        text = draw(st.text(st.sampled_from('ab"\\\t\n é#'), min_size=1, max_size=6))
        out.append(f"define {names.pop()} = {_ref(item)} != {printer.quote(text)}")
    for item in _of_kind(parts, "date")[:1]:
        out.append(
            f"define {names.pop()} = {_ref(item)} < 2031-01-01 and "
            f"days_between({_ref(item)}, screening) >= 0"
        )
        out.append(
            f"define {names.pop()} = {_ref(item)} within 4 weeks after screening "
            f"or {_ref(item)} at least 1 days after first_dose"
        )
    for item in _of_kind(parts, "titer")[:1]:
        out.append(f"define {names.pop()} = {_ref(item)} >= 1:{draw(st.sampled_from([40, 80]))}")
    for item in _of_kind(parts, "yes_no")[:1]:
        out.append(
            f"define {names.pop()} = if {_ref(item)} = yes then {_ref(item)} is known "
            f"else {_ref(item)} != no"
        )
    for form, items in ctx.repeating[:1]:
        out.append(f"define {names.pop()} = none {form}")
        summable = [i for i in items if i.kind in ("number", "integer", "quantity")]
        if summable:
            item = draw(st.sampled_from(summable))
            out.append(
                f"define {names.pop()} = min({form}.{item.name}) <= {_lit(draw, item)} "
                f"or max({form}.{item.name}) > {_lit(draw, item)}"
            )
            out.append(
                f"define {names.pop()} = sum({form}.{item.name} where {item.name} is known) "
                f">= {_lit(draw, item)} and count({form}) < 100"
            )
    return out


def _value(expr: m.Expr) -> Decimal:
    if isinstance(expr, m.NumberLit):
        return expr.value
    assert isinstance(expr, m.QuantityLit)
    factor = {"mg/dL": Decimal("0.01"), "mg/L": Decimal("0.001"), "g": Decimal(1000)}
    unit = expr.quantity.unit
    return expr.quantity.value * (factor.get(unit, Decimal(1)) if unit != "g" else Decimal(1))


def _score(form: str, score: str, variant: str, visit: str) -> str:
    """A score with every clause (form, rule, range, lookback, a tagged domain) on a
    form of its own, and a variant of it without one item."""
    return (
        f'form {form} "Score form" at {visit} {{\n'
        f'  q1{form} yes_no "Q1"\n  q2{form} yes_no "Q2"\n}}\n\n'
        f'score {score} "Score" {{\n  form {form}\n  rule sum_all\n  range 0 .. 3\n'
        f'  lookback 7 days\n  domain d{score} "Domain" clinical {{\n'
        f'    q1{form} 1 "Q1"\n    q2{form} 2 "Q2" = q2{form} = yes\n  }}\n}}\n\n'
        f'score {variant} "Variant" = {score} without q1{form}'
    )


def _often(draw: st.DrawFn) -> bool:
    """Three times in four: each extra is in most specs, and not all in every one."""
    return draw(st.integers(0, 3)) > 0


@st.composite
def extra_declarations(draw: st.DrawFn, parts: SpecParts) -> str:
    """Text of extra declarations that fit the generated spec (empty if none drawn)."""
    ctx = parts.context
    scr = ctx.eligibility_visit
    names = [f"x{k}_{draw(st.integers(0, 999))}" for k in range(40)]
    chunks: list[str] = []
    if _often(draw):
        chunks.append(f'use "{LIBRARIES["sle"]}" as sle\ncollect sle.sledai_2k_form at {scr}')
    if _often(draw):
        chunks.extend(_expression_defines(draw, parts, names))
    choices = _of_kind(parts, "choice")
    if choices and _often(draw):
        item = choices[0]
        assert item.codelist is not None
        # a factor as a decimal or as an exact ratio (a negative one reads as below 2)
        factors = st.one_of(
            st.builds(lambda a, b: f"{a}.{b}", st.integers(1, 9), st.integers(0, 9)),
            st.builds(lambda a, b: f"{a}/{b}", st.integers(1, 40), st.integers(1, 9)),
            st.builds(lambda a, b: f"-{a}/{b}", st.integers(1, 40), st.integers(1, 9)),
        )
        rows = "\n".join(f"  {e.name} {draw(factors)}" for e in item.codelist.entries)
        table = names.pop()
        chunks.append(
            f'table {table} "Factors" source "x" {{\n  version "1"\n'
            f"  keys {item.codelist.name}\n{rows}\n}}"
        )
        chunks.append(f"define {names.pop()} = lookup({table}, {_ref(item)}) > 2")
    dates = _of_kind(parts, "date")
    if dates and _often(draw):
        chunks.append(f'anchor {names.pop()} "On the date item" = {_ref(dates[0])}')
    if _often(draw):
        chunks.append(
            f'visit UNS{draw(st.integers(0, 99))} "Unscheduled" unscheduled window ± 2 '
            f'when "as needed" '
            f'starts "on request" ends "when done"'
        )
        chunks.append('visit ETV "Early termination" early_termination')
    if _often(draw):
        element = f"EL{draw(st.integers(0, 99))}X"
        chunks.append(
            f'element {element} "Extra" starts "day 1" ends "day 7" lasts 7 days dose 10 mg'
        )
        intervention = next(
            d.name for d in parts.module.declarations if isinstance(d, m.Intervention)
        )
        chunks.append(
            f'arm ARM{draw(st.integers(0, 99))}X "Extra arm" type experimental '
            f"receives {intervention} {{\n"
            f'  {element} in treatment branch "randomised" transition "after 7 days"\n}}'
        )
    numbers = _numbers(parts)
    if numbers and _often(draw):
        item = draw(st.sampled_from(numbers))
        chunks.append(
            f'objective OBJ{draw(st.integers(0, 99))}X exploratory "Extra" {{\n'
            f'  endpoint EPX "Extra endpoint" timeframe "at screening" = {_ref(item)} > 0\n}}'
        )
    if _often(draw):
        form = names.pop()
        chunks.append(
            f'form {form} "Extra form" at {scr} {{\n'
            f'  a{form} number "A" range 0 .. 10 collected at {scr} for_reporting\n'
            f'  b{form} integer "B" required\n}}'
        )
    if _often(draw):
        chunks.append(_score(names.pop(), names.pop(), names.pop(), scr))
    mappable = _of_kind(parts, "quantity") + numbers
    if mappable and _often(draw):
        item = draw(st.sampled_from(mappable))
        unit = " unit LB.LBSTRESU" if item.kind == "quantity" else ""
        numbered = any(
            isinstance(d, m.Visit) and d.number is not None for d in parts.module.declarations
        )
        visits = "  visits.date from SV.SVSTDTC visit SV.VISITNUM\n" if numbered else ""
        chunks.append(
            f'mapping {names.pop()} "Source data" {{\n{visits}'
            f'  {_ref(item)} from LB.LBSTRESN where "LBTESTCD" = "X" date LB.LBDTC{unit}\n}}'
        )
    return "\n\n".join(chunks)
