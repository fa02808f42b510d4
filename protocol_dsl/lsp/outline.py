"""The outline of a spec (by section, as the protocol reads) and its folding ranges.

Declarations are grouped in the sections a protocol has: the trial (header,
libraries, amendments, mappings), the schedule, the data dictionary,
eligibility, the design and the endpoints, each declaration with its named
parts beneath it (a form's items, a code list's values).  Sections appear in
that order, whatever order the file declares things in.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from protocol_dsl import model as m
from protocol_dsl.lsp.index import declared_name, kind_of
from protocol_dsl.lsp.positions import LineIndex, span_range

K = types.SymbolKind

#: Section → the declarations it holds, in the order of the protocol document.
SECTIONS: tuple[tuple[str, tuple[type, ...]], ...] = (
    ("trial", (m.Trial, m.Use, m.Amendment, m.Mapping)),
    ("schedule", (m.Epoch, m.Visit, m.Cycle, m.Repeat, m.Activity, m.Collect, m.Anchor)),
    (
        "dictionary",
        (m.CodeList, m.Table, m.Form, m.Define, m.Conversion, m.Score, m.ScoreVariant),
    ),
    ("eligibility", (m.Criterion,)),
    (
        "design",
        (
            m.Element,
            m.Arm,
            m.Intervention,
            m.DoseFinding,
            m.Regimen,
            m.Randomisation,
            m.Masking,
            m.Population,
            m.Statistics,
        ),
    ),
    ("endpoints", (m.Objective,)),
)

_KINDS: dict[type, types.SymbolKind] = {
    m.Trial: K.Module,
    m.Use: K.Package,
    m.Form: K.Class,
    m.Item: K.Field,
    m.Derive: K.Property,
    m.CodeList: K.Enum,
    m.CodeListEntry: K.EnumMember,
    m.Table: K.Struct,
    m.Define: K.Function,
    m.Conversion: K.Function,
    m.Score: K.Function,
    m.ScoreVariant: K.Function,
    m.Criterion: K.Boolean,
    m.Visit: K.Event,
    m.CycleVisit: K.Event,
    m.Epoch: K.Namespace,
    m.Anchor: K.Event,
    m.Objective: K.Object,
    m.Endpoint: K.Property,
}


def document_symbols(module: m.Module, index: LineIndex) -> list[types.DocumentSymbol]:
    sections: list[types.DocumentSymbol] = []
    for section, classes in SECTIONS:
        members = [
            s
            for s in (_symbol(d, index) for d in module.declarations if isinstance(d, classes))
            if s is not None
        ]
        if not members:
            continue
        whole = types.Range(start=members[0].range.start, end=members[-1].range.end)
        sections.append(
            types.DocumentSymbol(
                name=section,
                kind=K.Namespace,
                range=_cover(members),
                selection_range=types.Range(start=whole.start, end=whole.start),
                children=members,
            )
        )
    return sections


def _symbol(node: Any, index: LineIndex) -> types.DocumentSymbol | None:
    span: m.Span | None = getattr(node, "span", None)
    if span is None:
        return None
    name = declared_name(node) or _unnamed(node)
    if name is None:
        return None
    whole = span_range(span, index)
    children = [s for s in (_symbol(c, index) for c in _parts(node)) if s is not None]
    label = getattr(node, "label", None) or (node.text if isinstance(node, m.Criterion) else None)
    return types.DocumentSymbol(
        name=name,
        detail=_short(label) if isinstance(label, str) else kind_of(node),
        kind=_KINDS.get(type(node), K.Object),
        range=whole,
        selection_range=_name_range(node, name, span, index),
        children=children or None,
    )


def _unnamed(node: Any) -> str | None:
    if isinstance(node, m.Collect):
        return "collect " + ".".join(node.form.parts)
    if isinstance(node, m.Use):
        return f"use {node.alias}"
    return kind_of(node).replace("_", " ") if hasattr(node, "span") else None


def _parts(node: Any) -> list[Any]:
    if isinstance(node, m.Form):
        return [*node.items, *node.derives]
    if isinstance(node, m.CodeList):
        return list(node.entries)
    if isinstance(node, m.Score):
        return list(node.domains)
    if isinstance(node, m.ScoreDomain):
        return list(node.items)
    if isinstance(node, m.Cycle):
        return list(node.visits)
    if isinstance(node, m.Objective):
        return list(getattr(node, "endpoints", ()))
    return []


def _name_range(node: Any, name: str, span: m.Span, index: LineIndex) -> types.Range:
    source = index.text
    start = source.find(name, span.start, span.end) if span.end > span.start else -1
    if start < 0:
        whole = span_range(span, index)
        return types.Range(start=whole.start, end=whole.start)
    return index.range(start, start + len(name))


def _cover(symbols: list[types.DocumentSymbol]) -> types.Range:
    start = min((s.range.start for s in symbols), key=lambda p: (p.line, p.character))
    end = max((s.range.end for s in symbols), key=lambda p: (p.line, p.character))
    return types.Range(start=start, end=end)


def _short(text: str, limit: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def folding_ranges(module: m.Module, index: LineIndex) -> list[types.FoldingRange]:
    """Every declaration (and form, code list, score) over several lines; comment blocks."""
    found: list[types.FoldingRange] = []
    for decl in module.declarations:
        start = span_range(decl.span, index)
        if start.end.line > start.start.line:
            found.append(types.FoldingRange(start_line=start.start.line, end_line=start.end.line))
        for part in _parts(decl):
            r = span_range(part.span, index)
            if r.end.line > r.start.line:
                found.append(types.FoldingRange(start_line=r.start.line, end_line=r.end.line))
    lines = index.text.split("\n")
    first: int | None = None
    for number, line in enumerate([*lines, ""]):
        if line.lstrip().startswith("#"):
            first = number if first is None else first
            continue
        if first is not None and number - 1 > first:
            found.append(
                types.FoldingRange(
                    start_line=first,
                    end_line=number - 1,
                    kind=types.FoldingRangeKind.Comment,
                )
            )
        first = None
    return sorted(found, key=lambda r: (r.start_line, r.end_line))
