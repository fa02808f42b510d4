"""Completion: what may come next where the cursor is.

The context is read from the text before the cursor:

- after `form.` the form's items and derived values (after `alias.` a library's
  forms and definitions);
- after `=`, `!=` or `in {` following an item with a code list, its values;
- after `at`, the visits (and the series of visits);
- after `before` or `after`, the anchors;
- after a number, units: those the spec and its libraries already use first;
- anywhere else, the keywords the grammar accepts at that point (Lark's
  interactive parser, fed the current declaration up to the cursor) and the
  names in scope.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from lark.exceptions import LarkError
from lsprotocol import types

from protocol_dsl import model as m
from protocol_dsl.semantics.words import unit_in_words
from protocol_dsl.spec import Scope, Spec
from protocol_dsl.syntax.parser import DECLARATION_KEYWORDS, lark_parser

_MEMBER = re.compile(r"([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\.([A-Za-z0-9_]*)$")
_VALUE = re.compile(
    r"([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)"
    r"(?:\s+at\s+[A-Za-z_][A-Za-z0-9_]*)?"
    r"\s*(?:!=|=|\bin\s*\{[^}]*)\s*([A-Za-z0-9_]*)$"
)
_AT = re.compile(r"\bat\s+(?:[A-Za-z_][A-Za-z0-9_]*\s*,\s*)*([A-Za-z0-9_]*)$")
_ANCHOR = re.compile(r"\b(?:before|after)\s+([A-Za-z0-9_]*)$")
_UNIT = re.compile(r"(?<![A-Za-z_.])\d+(?:\.\d+)?\s+([A-Za-z0-9_%/.\[\]{}*^']*)$")
_WORD_END = re.compile(r"[A-Za-z0-9_]*$")

#: Units people write in clinical specs, offered after those the spec already uses.
COMMON_UNITS = (
    "mg", "g", "kg", "ug", "mL", "L", "mg/dL", "g/dL", "g/L", "mmol/L", "umol/L",
    "mg/kg", "mg/m2", "mL/min", "mL/min/{1.73_m2}", "mm[Hg]", "/min", "Cel", "cm",
    "m2", "%", "[IU]/L", "10*9/L", "10*12/L", "days", "weeks", "months", "years",
    "h", "min",
)  # fmt: skip


def complete(text: str, offset: int, spec: Spec | None) -> list[types.CompletionItem]:
    line_start = text.rfind("\n", 0, offset) + 1
    before = text[line_start:offset]
    if spec is not None:
        for context in (_members, _values, _visits, _anchors, _units):
            found = context(before, spec)
            if found is not None:
                return found
    items = _keywords(text, offset)
    if spec is not None:
        items += _names(spec)
    return items


def _members(before: str, spec: Spec) -> list[types.CompletionItem] | None:
    match = _MEMBER.search(before)
    if match is None:
        return None
    parts = tuple(match[1].split("."))
    if len(parts) == 1 and parts[0] in spec.libraries:
        library = spec.libraries[parts[0]]
        return [
            *_items(library.forms.values(), types.CompletionItemKind.Class),
            *_items(library.defines.values(), types.CompletionItemKind.Function),
            *_items(library.scores.values(), types.CompletionItemKind.Function),
        ]
    symbol = spec.resolve(parts, Scope(spec))
    if symbol is None or symbol.kind != "form" or symbol.form is None:
        return []
    form = symbol.form
    return [
        *(
            _item(i.name, i.label, types.CompletionItemKind.Field, _item_detail(i))
            for i in form.items
        ),
        *_items(form.derives, types.CompletionItemKind.Property),
    ]


def _values(before: str, spec: Spec) -> list[types.CompletionItem] | None:
    match = _VALUE.search(before)
    if match is None:
        return None
    symbol = spec.resolve(tuple(match[1].split(".")), Scope(spec))
    codelist = symbol.codelist if symbol is not None else None
    if codelist is None:
        return None
    return [
        _item(e.name, e.label, types.CompletionItemKind.EnumMember, f"a value of {codelist.name}")
        for e in codelist.entries
    ]


def _visits(before: str, spec: Spec) -> list[types.CompletionItem] | None:
    if _AT.search(before) is None or re.search(r"\bat\s+least\b", before[-12:]):
        return None
    found = [
        _item(v.name, v.label, types.CompletionItemKind.Event, _day(v)) for v in spec.visit_order
    ]
    for series in spec.series_groups():
        found.append(
            _item(series.name, None, types.CompletionItemKind.Event, "every visit of the series")
        )
    return found


def _anchors(before: str, spec: Spec) -> list[types.CompletionItem] | None:
    if _ANCHOR.search(before) is None:
        return None
    found = _items(spec.anchors.values(), types.CompletionItemKind.Event)
    found.append(_item("first_dose", "the first dose", types.CompletionItemKind.Event, "anchor"))
    return found


def _units(before: str, spec: Spec) -> list[types.CompletionItem] | None:
    if _UNIT.search(before) is None:
        return None
    used = sorted(_spec_units(spec))
    names = used + [u for u in COMMON_UNITS if u not in used]
    return [
        types.CompletionItem(
            label=unit,
            kind=types.CompletionItemKind.Unit,
            detail=unit_in_words(unit),
            sort_text=f"{rank:03d}",
        )
        for rank, unit in enumerate(names)
    ]


def _spec_units(spec: Spec) -> set[str]:
    units: set[str] = set()
    for owner in spec.all_specs():
        for form in owner.forms.values():
            units.update(i.type.unit for i in form.items if i.type.unit)
    return units


def _names(spec: Spec) -> list[types.CompletionItem]:
    return [
        *_items(spec.forms.values(), types.CompletionItemKind.Class),
        *_items(spec.defines.values(), types.CompletionItemKind.Function),
        *_items(spec.anchors.values(), types.CompletionItemKind.Event),
        *_items(spec.scores.values(), types.CompletionItemKind.Function),
        *(
            _item(
                alias,
                None,
                types.CompletionItemKind.Module,
                f"the library {lib.path.rsplit('/', 1)[-1]}",
            )
            for alias, lib in spec.libraries.items()
        ),
    ]


def _keywords(text: str, offset: int) -> list[types.CompletionItem]:
    """The keywords the grammar accepts here, from the current declaration up to the cursor."""
    word = _WORD_END.search(text, 0, offset)
    end = word.start() if word else offset
    start = _declaration_start(text, end)
    parser = lark_parser()
    try:
        interactive = parser.parse_interactive(text[start:end])
        interactive.exhaust_lexer()
        accepted = interactive.accepts()
    except LarkError:
        accepted = set()
    words = _terminal_words()
    found = sorted({words[t] for t in accepted if t in words})
    if text[text.rfind("\n", 0, end) + 1 : end].strip():
        # a declaration may follow a finished rule, but writers start one on a new line
        found = [w for w in found if w not in DECLARATION_KEYWORDS]
    return [
        types.CompletionItem(label=w, kind=types.CompletionItemKind.Keyword, sort_text=f"~{w}")
        for w in found
    ]


def _declaration_start(text: str, end: int) -> int:
    """Where the declaration the cursor is in begins: a line opening with its keyword."""
    position = end
    while position > 0:
        line = text.rfind("\n", 0, position - 1) + 1
        head = text[line : line + 20].split(" ", 1)[0]
        if head in DECLARATION_KEYWORDS and line < end:
            return line
        position = line
        if line == 0:
            break
    return 0


@lru_cache(maxsize=1)
def _terminal_words() -> dict[str, str]:
    """Each keyword terminal of the grammar and its word (`INCLUSION` → `inclusion`)."""
    return {
        t.name: t.pattern.value
        for t in lark_parser().terminals
        if t.pattern.type == "str" and re.fullmatch(r"[a-z_]+", t.pattern.value)
    }


def _items(decls: Iterable[object], kind: types.CompletionItemKind) -> list[types.CompletionItem]:
    return [_item(getattr(d, "name"), getattr(d, "label", None), kind) for d in decls]  # noqa: B009


def _item(
    name: str, label: str | None, kind: types.CompletionItemKind, detail: str | None = None
) -> types.CompletionItem:
    return types.CompletionItem(
        label=name,
        kind=kind,
        detail=detail or label,
        documentation=label if detail and label else None,
    )


def _item_detail(item: m.Item) -> str:
    kind = item.type.kind + (f" {item.type.unit}" if item.type.unit else "")
    return f"{kind} — {item.label}" if item.label else kind


def _day(visit: m.Visit) -> str | None:
    if visit.day is None:
        return visit.label
    return f"day {visit.day}" + (f" — {visit.label}" if visit.label else "")
