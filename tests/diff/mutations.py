"""Strategies for the diff's property tests: amendments of real specs, and layout noise.

`amendments(module)` draws one to three random edits of a real spec's model
(a criterion threshold moved, a visit day or window moved, a criterion added
or removed, a criterion reworded, a dose level, the enrolment or the maximum
age changed, an activity dropped from a visit, a log's none question or a
mapping's `complete` line dropped, a `between` spelled as a comparison chain,
a visit, form, item or code-list value renamed everywhere, as a search and
replace of the whole word does) and returns the edited model; the test prints it with the formatter and
compiles it, discarding edits that make the spec invalid.  `relaid(text)` draws the same spec with another
layout: other indentation, trailing and whole-line comments, blank lines; it
never touches the inside of a string or joins two lines.
"""

from __future__ import annotations

import re
import typing
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from protocol_dsl import model as m
from protocol_dsl.syntax.formatter import format_module
from protocol_dsl.syntax.parser import parse_module

_EXPR_TYPES = typing.get_args(m.Expr)


def _is_expr(value: object) -> bool:
    return isinstance(value, _EXPR_TYPES)


def replace_node(expr: m.Expr, target: m.Expr, new: m.Expr) -> m.Expr:
    """`expr` with the node `target` (by identity) replaced by `new`."""
    if expr is target:
        return new
    changes: dict[str, object] = {}
    for field in attrs.fields(type(expr)):
        value = getattr(expr, field.name)
        if isinstance(value, tuple) and any(_is_expr(v) for v in value):
            changed = tuple(replace_node(v, target, new) if _is_expr(v) else v for v in value)
            if changed != value or any(a is not b for a, b in zip(changed, value, strict=True)):
                changes[field.name] = changed
        elif _is_expr(value):
            replaced = replace_node(value, target, new)
            if replaced is not value:
                changes[field.name] = replaced
    return attrs.evolve(expr, **changes) if changes else expr


def _literals(expr: m.Expr) -> list[m.Expr]:
    return [
        node for node in m.walk(expr) if isinstance(node, (m.NumberLit, m.QuantityLit, m.TiterLit))
    ]


def _shifted(draw: st.DrawFn, node: m.Expr) -> m.Expr:
    step = draw(st.sampled_from([-10, -5, -2, -1, 1, 2, 5, 10]))
    if isinstance(node, m.NumberLit):
        return m.NumberLit(max(Decimal(0), node.value + step), span=node.span)
    if isinstance(node, m.QuantityLit):
        value = max(Decimal(1), node.quantity.value + step)
        return m.QuantityLit(m.Quantity(value, node.quantity.unit), span=node.span)
    assert isinstance(node, m.TiterLit)
    return m.TiterLit(draw(st.sampled_from([40, 80, 160, 320])), span=node.span)


def _betweens(expr: m.Expr) -> list[m.Between]:
    return [node for node in m.walk(expr) if isinstance(node, m.Between)]


def _chain(node: m.Between) -> m.Logic:
    """`low <= x <= high`, written as a chain (the middle operand shared, as parsed)."""
    return m.Logic(
        "and",
        m.Compare("<=", node.low, node.expr, span=node.span),
        m.Compare("<=", node.expr, node.high, span=node.span),
        chained=True,
        span=node.span,
    )


def _replace_decl(module: m.Module, old: object, new: object | None) -> m.Module:
    declarations = tuple(
        (new if d is old else d) for d in module.declarations if not (d is old and new is None)
    )
    return attrs.evolve(module, declarations=declarations)


@st.composite
def _edit(draw: st.DrawFn, module: m.Module) -> m.Module:
    criteria = [d for d in module.declarations if isinstance(d, m.Criterion)]
    formal = [c for c in criteria if c.rule is not None and _literals(c.rule)]
    visits = [d for d in module.declarations if isinstance(d, m.Visit) and d.day is not None]
    activities = [d for d in module.declarations if isinstance(d, m.Activity) and d.visits]
    findings = [d for d in module.declarations if isinstance(d, m.DoseFinding) and d.levels]
    trial = next((d for d in module.declarations if isinstance(d, m.Trial)), None)
    kinds = ["reword", "remove", "add"] if criteria else []
    kinds += ["threshold"] * 3 if formal else []
    kinds += ["visit"] if visits else []
    kinds += ["activity"] if activities else []
    kinds += ["dose"] if findings else []
    kinds += ["header"] if trial is not None else []
    logs = [d for d in module.declarations if isinstance(d, m.Form) and d.none_recorded_by]
    complete = [d for d in module.declarations if isinstance(d, m.Mapping) and d.complete]
    spans = [c for c in criteria if c.rule is not None and _betweens(c.rule)]
    kinds += ["none_question"] if logs else []
    kinds += ["complete"] if complete else []
    kinds += ["chain"] if spans else []
    names = _renameable(module)
    kinds += ["rename"] if names else []
    kind = draw(st.sampled_from(kinds))
    if kind == "rename":
        return _renamed(module, draw(st.sampled_from(names)))
    if kind == "none_question":
        log = draw(st.sampled_from(logs))
        return _replace_decl(module, log, attrs.evolve(log, none_recorded_by=None))
    if kind == "complete":
        mapping = draw(st.sampled_from(complete))
        dropped = draw(st.sampled_from(mapping.complete))
        kept = tuple(c for c in mapping.complete if c is not dropped)
        return _replace_decl(module, mapping, attrs.evolve(mapping, complete=kept))
    if kind == "chain":  # `x between a and b` spelled `a <= x <= b`: the same rule
        criterion = draw(st.sampled_from(spans))
        assert criterion.rule is not None
        node = draw(st.sampled_from(_betweens(criterion.rule)))
        rule = replace_node(criterion.rule, node, _chain(node))
        return _replace_decl(module, criterion, attrs.evolve(criterion, rule=rule))
    if kind == "threshold":
        criterion = draw(st.sampled_from(formal))
        assert criterion.rule is not None
        node = draw(st.sampled_from(_literals(criterion.rule)))
        rule = replace_node(criterion.rule, node, _shifted(draw, node))
        return _replace_decl(module, criterion, attrs.evolve(criterion, rule=rule))
    if kind == "reword":
        criterion = draw(st.sampled_from(criteria))
        return _replace_decl(
            module, criterion, attrs.evolve(criterion, text=criterion.text + " (amended)")
        )
    if kind == "remove":
        return _replace_decl(module, draw(st.sampled_from(criteria)), None)
    if kind == "add":
        template = draw(st.sampled_from(criteria))
        kind_word = draw(st.sampled_from(["inclusion", "exclusion"]))
        added = attrs.evolve(template, id="X99", kind=kind_word, text="Added by the amendment")
        return attrs.evolve(module, declarations=(*module.declarations, added))
    if kind == "visit":
        visit = draw(st.sampled_from(visits))
        field = draw(st.sampled_from(["day", "window_before", "window_after"]))
        step = draw(st.sampled_from([-3, -1, 1, 3]))
        value = max(0, getattr(visit, field) + step) if field != "day" else visit.day + step  # type: ignore[operator]
        return _replace_decl(module, visit, attrs.evolve(visit, **{field: value}))
    if kind == "activity":
        activity = draw(st.sampled_from(activities))
        dropped = draw(st.sampled_from(activity.visits))
        kept = tuple(v for v in activity.visits if v != dropped)
        if not kept:
            return module
        return _replace_decl(module, activity, attrs.evolve(activity, visits=kept))
    if kind == "dose":
        finding = draw(st.sampled_from(findings))
        level = draw(st.sampled_from(finding.levels))
        factor = draw(st.sampled_from([Decimal("0.5"), Decimal(2), Decimal(3)]))
        changed = attrs.evolve(level, dose=m.Quantity(level.dose.value * factor, level.dose.unit))
        levels = tuple(changed if lv is level else lv for lv in finding.levels)
        return _replace_decl(module, finding, attrs.evolve(finding, levels=levels))
    assert trial is not None
    keys = [f.key for f in trial.fields if f.key in ("enrolment", "maximum_age", "title")]
    if not keys:
        return module
    key = draw(st.sampled_from(keys))
    fields = []
    for field in trial.fields:
        if field.key == key:
            value = field.value
            if value.kind == "string":
                value = m.Value("string", str(value.value) + " (amended)", "", span=value.span)
            elif value.kind == "number":
                number = value.value + draw(st.sampled_from([-6, 6, 12]))  # type: ignore[operator]
                value = m.Value("number", number, m.format_decimal(number), span=value.span)
            elif value.kind == "quantity":
                q = value.value
                assert isinstance(q, m.Quantity)
                bumped = m.Quantity(q.value + draw(st.sampled_from([-5, 5])), q.unit)
                value = m.Value("quantity", bumped, str(bumped), span=value.span)
            field = attrs.evolve(field, values=(value,))
        fields.append(field)
    return _replace_decl(module, trial, attrs.evolve(trial, fields=tuple(fields)))


def _renameable(module: m.Module) -> list[str]:
    """The names of the spec's visits, forms, items and code-list values, except a value
    spelled like a word of a field's vocabulary (`route subcutaneous`): renaming that word
    everywhere would change the field as well."""
    names: set[str] = set()
    for d in module.declarations:
        if isinstance(d, m.Visit | m.Form):
            names.add(d.name)
        if isinstance(d, m.Form):
            names |= {i.name for i in d.items}
        if isinstance(d, m.CodeList):
            names |= {e.name for e in d.entries}
    return sorted(names - _words(module))


def _words(value: object) -> set[str]:
    """Every word a field of the spec states (a `Value` of kind name)."""
    if isinstance(value, tuple):
        return set().union(*(_words(v) for v in value)) if value else set()
    if not isinstance(value, m._Node) or isinstance(value, m.Span):
        return set()
    if isinstance(value, m.Value):
        return {value.value} if isinstance(value.value, str) else set()
    return set().union(
        *(_words(getattr(value, f.name)) for f in attrs.fields(type(value)) if f.name != "span")
    )


def _renamed(module: m.Module, name: str) -> m.Module:
    """`name` spelled `name_v2` wherever it stands as a whole word outside a string, as a
    search and replace of the spec's names does; the module unchanged when the result does
    not parse."""
    text = format_module(module)
    pieces = re.split(r'("(?:[^"\\]|\\.)*")', text)
    word = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    text = "".join(
        piece if index % 2 else word.sub(f"{name}_v2", piece) for index, piece in enumerate(pieces)
    )
    renamed, _ = parse_module(text, "renamed.trial")
    return renamed if renamed is not None else module


@st.composite
def amendments(draw: st.DrawFn, module: m.Module) -> m.Module:
    """One to three random edits of a spec's model (the result may not check clean)."""
    for _ in range(draw(st.integers(1, 3))):
        module = draw(_edit(module))
    return module


@st.composite
def relaid(draw: st.DrawFn, text: str) -> str:
    """The same source with other indentation, comments and blank lines."""
    out: list[str] = []
    inside = False  # inside a string literal that spans lines
    for line in text.split("\n"):
        starts_inside = inside
        inside = _ends_inside(line, inside)
        if not starts_inside:
            if draw(st.booleans()) and draw(st.booleans()):
                out.append(
                    "# a comment line " + draw(st.sampled_from(["", 'with "quotes"', "x = 1"]))
                )
            if draw(st.booleans()) and not draw(st.booleans()):
                out.append("")
            line = " " * draw(st.integers(0, 6)) + line.lstrip(" ")
        if not inside and line.strip() and draw(st.booleans()):
            line += draw(st.sampled_from(["  # trailing", " #", "\t# tab"]))
        out.append(line)
    return "\n".join(out)


def _ends_inside(line: str, inside: bool) -> bool:
    """Whether a string literal is still open at the end of `line`."""
    index = 0
    while index < len(line):
        char = line[index]
        if inside:
            if char == "\\":
                index += 1
            elif char == '"':
                inside = False
        elif char == '"':
            inside = True
        elif char == "#":
            return False  # a comment runs to the end of the line
        index += 1
    return inside
