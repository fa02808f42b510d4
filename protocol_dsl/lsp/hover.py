"""Hover: what a name means, in the words of the protocol document.

An item shows its type, unit, allowed range, terminology codes and the visits
it is collected at; a criterion or a definition its rule in plain words
(`criterion_in_words`, `rule_in_words`: the wording the protocol document
prints); a unit after a number what it reads as; a diagnostic code (in an
`allow` mark) its title and page.  Text from the spec is shown as code or
escaped, never as live Markdown.
"""

from __future__ import annotations

import re
from typing import Any

from protocol_dsl import model as m
from protocol_dsl.codes import CODES
from protocol_dsl.lsp.index import Declared, Index
from protocol_dsl.semantics.words import (
    criterion_in_words,
    quantity_in_words,
    rule_in_words,
    unit_in_words,
)
from protocol_dsl.spec import Scope, Spec

_CODE = re.compile(r"[EWN]\d{4}")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


def plain(text: str) -> str:
    """Spec text shown as itself: every Markdown character escaped."""
    return _MARKDOWN.sub(r"\\\1", text)


def describe(declared: Declared, index: Index) -> str:
    """The hover text of a declaration, in Markdown."""
    node = declared.decl
    owner = declared.owner
    kind = node.kind if isinstance(node, m.Criterion) else declared.kind  # inclusion, exclusion
    title = f"**{kind}** `{_qualified(declared)}`"
    label = getattr(node, "label", None)
    lines = [title + (f" — {plain(label)}" if isinstance(label, str) and label else "")]
    if isinstance(node, m.Item):
        lines += _item(node, declared, index.spec)
    elif isinstance(node, m.Criterion):
        lines.append(plain(node.text))
        if node.rule is not None:
            lines.append("In words: " + plain(criterion_in_words(node, owner)))
    elif isinstance(node, m.Define | m.Derive):
        scope = Scope(owner, declared.parent if isinstance(node, m.Derive) else None)
        lines.append("In words: " + plain(rule_in_words(node.expr, owner, scope)))
    elif isinstance(node, m.Anchor) and node.expr is not None:
        lines.append("In words: " + plain(rule_in_words(node.expr, owner, Scope(owner))))
    elif isinstance(node, m.Visit):
        lines += _visit(node)
    elif isinstance(node, m.CodeListEntry):
        codelist = declared.parent
        if isinstance(codelist, m.CodeList):
            lines.append(f"a value of the code list `{codelist.name}`")
        lines += _codes(node.codes)
    elif isinstance(node, m.Form):
        lines += _form(node, index.spec)
    elif isinstance(node, m.CodeList):
        values = ", ".join(f"`{e.name}`" for e in node.entries)
        lines.append(f"values: {values}")
        lines += _codes(node.codes)
    if declared.file != index.spec.path:
        lines.append(f"declared in `{owner.path.rsplit('/', 1)[-1]}`")
    return "\n\n".join(lines)


def _qualified(declared: Declared) -> str:
    parent = declared.parent
    name = declared.name
    if parent is not None and isinstance(getattr(parent, "name", None), str):
        return f"{parent.name}.{name}"
    return name


def _item(item: m.Item, declared: Declared, spec: Spec) -> list[str]:
    kind = item.type.kind
    typed = f"type: `{kind}`"
    if item.type.unit:
        typed += f", unit `{item.type.unit}` ({plain(unit_in_words(item.type.unit))})"
    if item.type.codelist is not None:
        typed += f", values of `{'.'.join(item.type.codelist.parts)}`"
    lines = [typed]
    if item.range is not None:
        lines.append(f"range: {_bound(item.range.low)} to {_bound(item.range.high)} (inclusive)")
    if item.required:
        lines.append("required")
    lines += _codes(item.codes)
    visits = _item_visits(item, declared, spec)
    if visits is not None:
        lines.append(
            "collected at: " + (", ".join(_visit_name(spec, v) for v in visits) or "no visit")
        )
    return lines


def _item_visits(item: m.Item, declared: Declared, spec: Spec) -> tuple[str, ...] | None:
    for use in spec.form_uses:
        if use.form is declared.parent:
            found = use.item_visits(item)
            return found if found is not None else use.visits
    return None


def _visit_name(spec: Spec, name: str) -> str:
    visit = spec.visits.get(name)
    if visit is not None and visit.label:
        return f"`{name}` ({plain(visit.label)})"
    return f"`{name}`"


def _bound(value: Any) -> str:
    if isinstance(value, m.Quantity):
        return plain(quantity_in_words(value))
    return m.format_decimal(value)


def _visit(visit: m.Visit) -> list[str]:
    lines = []
    if visit.day is not None:
        day = f"day {visit.day}" + (f" to {visit.day_end}" if visit.day_end is not None else "")
        if visit.window_before or visit.window_after:
            day += f", window −{visit.window_before} / +{visit.window_after} days"
        lines.append(day)
    if visit.epoch:
        lines.append(f"in the epoch `{visit.epoch}`")
    return lines


def _form(form: m.Form, spec: Spec) -> list[str]:
    lines = [f"{len(form.items)} item{'s' if len(form.items) != 1 else ''}"]
    if form.repeating:
        lines.append("repeating (a log: any number of records)")
    for use in spec.form_uses:
        if use.form is form and use.visits:
            lines.append("collected at: " + ", ".join(_visit_name(spec, v) for v in use.visits))
            break
    return lines


def _codes(codes: tuple[m.Code, ...]) -> list[str]:
    if not codes:
        return []
    return ["codes: " + ", ".join(f"`{c.system} {c.value}`" for c in codes)]


def describe_code(code: str, docs: str | None) -> str | None:
    """A diagnostic code's title and, where the pages are known, a link to its page."""
    info = CODES.get(code)
    if info is None:
        return None
    text = f"**{code}** ({info.severity}): {info.title}"
    if docs:
        text += f"\n\n[{code} explained]({docs.rstrip('/')}/{code}.md)"
    return text


def describe_unit(unit: str) -> str:
    return f"unit `{unit}`: {plain(unit_in_words(unit))}"


def is_code(word: str) -> bool:
    return bool(_CODE.fullmatch(word))
