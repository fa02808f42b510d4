"""`was NAME`: the name a criterion, visit, item or endpoint had in the previous version.

An amendment that renumbers criteria may say so on each one (`exclusion E11
"…" … was E10`), and `protocol diff` then pairs E11 with the old E10 whatever
either says; a renamed visit, item or endpoint may say so the same way.
Within one spec two things can be wrong, whatever the previous version: two
declarations of one kind claiming the same old name (E0128: only one of them
can be it; items within one form), and a `was` the diff never reads (E0129):
on a declaration of another kind, or twice on one declaration.  A `was`
naming nothing the compared version has is found by `protocol diff` (E0127),
which alone sees both versions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.spec import Spec

#: the declarations `protocol diff` pairs by a `was` mark, and what each is called
_READ: dict[type, str] = {
    m.Criterion: "criterion",
    m.Visit: "visit",
    m.Item: "item",
    m.Endpoint: "endpoint",
}


def check(spec: Spec) -> Iterable[Diagnostic]:
    return findings(spec, m.marked_nodes)


def findings(spec: Spec, marked: m.MarkedNodes) -> Iterator[Diagnostic]:
    """The check, reading the marked nodes of each declaration from `marked`."""
    claimed: dict[tuple[str, str], tuple[str, m.Span]] = {}
    node: Any
    for node, scope in _with_scope(spec, marked):
        marks = [mk for mk in getattr(node, "marks", ()) or () if mk.kind == "was"]
        if not marks:
            continue
        kind = _READ.get(type(node))
        if kind is None:
            yield Diagnostic(
                "E0129",
                "error",
                f"`was {marks[0].text}` is read on criteria, visits, items and endpoints only",
                marks[0].span,
                help="remove it: other declarations are matched by their names",
            )
            continue
        name = _name(node)
        if len(marks) > 1:
            yield Diagnostic(
                "E0129",
                "error",
                f"{name} gives more than one previous name ({', '.join(mk.text for mk in marks)})",
                marks[1].span,
                help=f"a {kind} was one {kind} of the previous version: keep one `was`",
            )
        mark = marks[0]
        first = claimed.get((scope, mark.text))
        if first is not None:
            yield Diagnostic(
                "E0128",
                "error",
                f"{name} and {first[0]} both say they were {mark.text}",
                mark.span,
                labels=(Label(first[1], f"{first[0]} claims {mark.text} first"),),
                help=f"keep `was {mark.text}` on the {kind} that was {mark.text}",
            )
        else:
            claimed[(scope, mark.text)] = (name, node.span)


def _name(node: m.Criterion | m.Visit | m.Item | m.Endpoint) -> str:
    return node.id if isinstance(node, m.Criterion) else node.name


def _with_scope(spec: Spec, marked: m.MarkedNodes) -> Iterable[tuple[object, str]]:
    """Every marked node with the scope its old names are unique in: its kind, and an
    item's form (two forms may each have had an item of one name)."""
    item_form = {id(i): f.name for f in spec.module.of_type(m.Form) for i in f.items}
    for declaration in spec.module.declarations:
        for node in marked(declaration):
            if isinstance(node, m.Item):
                yield node, f"item of {item_form.get(id(node), '')}"
            else:
                yield node, _READ.get(type(node), "")
