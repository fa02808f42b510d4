"""Notes: what a draft leaves open, listed so that a final protocol closes it.

N0901 one note per `provisional` mark (an illustrative value, not from the
source document), on the mark itself; N0902 one note per open `question`.
`protocol check --strict` turns both into errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import attrs

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    for owner in spec.all_specs():
        for decl in owner.module.declarations:
            yield from declaration_findings(decl)


def declaration_findings(decl: m.Declaration) -> Iterator[Diagnostic]:
    """The notes of one declaration's marks: they depend on nothing else (a language
    server keeps them for a declaration an edit did not touch)."""
    for mark, what in _marks(decl, partial(_describe, decl)):
        if mark.kind == "provisional":
            yield Diagnostic(
                "N0901",
                "note",
                f"provisional: {what} (illustrative, not from the source document)",
                mark.span,
                help="replace it with the value of the source document and remove "
                "`provisional` before the protocol is final",
            )
        elif mark.kind == "question":
            yield Diagnostic(
                "N0902",
                "note",
                f"open question on {what}: {mark.text}",
                mark.span,
                help="answer the question and remove it before the protocol is final",
            )


def _marks(node: object, what: Callable[[], str]) -> Iterator[tuple[m.Mark, str]]:
    """Every mark under `node`, with the plain-words name of what it marks.

    `what` names `node` when called: most nodes carry no mark, so names are made
    only for the ones that do.
    """
    for name in _fields(type(node)):
        value = getattr(node, name)
        if name == "marks":
            for mark in value:
                yield mark, what()
        elif name == "levels_marks":
            for mark in value:
                yield mark, "the dose levels"
        elif name == "ratio_marks":
            for mark in value:
                yield mark, "the allocation ratio"
        elif isinstance(value, tuple):
            for element in value:
                if _is_node(type(element)):
                    yield from _marks(element, _naming(element, what))
        elif _is_node(type(value)):
            yield from _marks(value, _naming(value, what))


def _naming(node: object, parent: Callable[[], str]) -> Callable[[], str]:
    return lambda: _describe(node, parent())


_FIELDS: dict[type, tuple[str, ...]] = {}
_NODES: dict[type, bool] = {}
_LEAVES = (m.Span, m.Mark, m.Code, m.Value, m.Quantity, *m.EXPR_TYPES)


def _fields(cls: type) -> tuple[str, ...]:
    """The fields of a model class that may hold marks or parts with marks."""
    names = _FIELDS.get(cls)
    if names is None:
        skip = {"span", "codes"}
        names = tuple(f.name for f in attrs.fields(cls) if f.name not in skip)
        _FIELDS[cls] = names
    return names


def _is_node(cls: type) -> bool:
    """A declaration part that may carry marks (not a span, mark, code, value or expression)."""
    known = _NODES.get(cls)
    if known is None:
        known = attrs.has(cls) and not issubclass(cls, _LEAVES)
        _NODES[cls] = known
    return known


#: how a node is named in a note, first match wins (`of` is " of PARENT" or empty)
_WORDS: tuple[tuple[type, Callable[[Any, str], str]], ...] = (
    (m.Trial, lambda node, of: "the trial header"),
    (m.Field, lambda node, of: f"'{node.key}'{of}"),
    (m.Criterion, lambda node, of: f"{node.kind} {node.id}"),
    (m.DoseLevel, lambda node, of: f"dose level {node.name}"),
    (m.EscalationDesign, lambda node, of: f"the escalation design ({node.kind})"),
    (m.DltWindow, lambda node, of: "the DLT window"),
    (m.DltDefinition, lambda node, of: "the DLT definition"),
    (m.StepUp, lambda node, of: f"the step-up schedule of {', '.join(node.levels)}"),
    (m.StepDose, lambda node, of: f"the step on day {node.day}{of}"),
    (m.DoseFinding, lambda node, of: f"dose finding of {node.intervention}"),
    (m.Endpoint, lambda node, of: f"endpoint {node.name}"),
    (m.Objective, lambda node, of: f"objective {node.name}"),
    (m.Amendment, lambda node, of: f"amendment {m.format_decimal(node.number)}"),
    (m.Item, lambda node, of: f"item '{node.name}'{of}"),
    (m.CodeListEntry, lambda node, of: f"value '{node.name}'{of}"),
    (m.TableRow, lambda node, of: f"row '{node.key}'{of}"),
    (m.ScoreItem, lambda node, of: f"score item '{node.name}'{of}"),
    (m.Collect, lambda node, of: f"the collection of {node.form.dotted}"),
    (m.Randomisation, lambda node, of: "the randomisation"),
    (m.AllocationMethod, lambda node, of: f"the allocation method ({node.kind})"),
    (m.StratificationFactor, lambda node, of: f"stratification factor {node.name}"),
    (m.Stratum, lambda node, of: f"stratum {node.name}{of}"),
    (m.Masking, lambda node, of: "the masking"),
    (m.MaskedRoles, lambda node, of: f"the blinding of {', '.join(node.roles)}"),
    (m.Unblinding, lambda node, of: "an unblinding rule"),
)


def _describe(node: object, parent: str = "") -> str:
    """What a node is, in words a protocol writer recognises."""
    name = getattr(node, "name", None)
    of = f" of {parent}" if parent else ""
    for cls, words in _WORDS:
        if isinstance(node, cls):
            return words(node, of)
    if name is not None:
        kind = type(node).__name__.lower().replace("codelist", "code list")
        return f"{kind} {name}"
    return parent or type(node).__name__.lower()
