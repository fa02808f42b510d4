"""`was NAME`: the name a criterion had in the previous version of the protocol.

An amendment that renumbers criteria may say so on each one (`exclusion E11
"…" … was E10`), and `protocol diff` then pairs E11 with the old E10 whatever
either says.  Within one spec two things can be wrong, whatever the previous
version: two criteria claiming the same old name (E0128: only one of them can
be it), and a `was` the diff never reads (E0129): on a declaration other
than a criterion, or twice on one criterion.  A `was` naming a criterion the
compared version does not have is found by `protocol diff` (E0127), which
alone sees both versions.
"""

from __future__ import annotations

from collections.abc import Iterable

from protocol_dsl import model as m
from protocol_dsl.checks.allows import declared_nodes
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.spec import Spec


def check(spec: Spec) -> Iterable[Diagnostic]:
    claimed: dict[str, m.Criterion] = {}
    for node in declared_nodes(spec.module):
        marks = [mk for mk in getattr(node, "marks", ()) or () if mk.kind == "was"]
        if not marks:
            continue
        if not isinstance(node, m.Criterion):
            yield Diagnostic(
                "E0129",
                "error",
                f"`was {marks[0].text}` is read on criteria only",
                marks[0].span,
                help="remove it: other declarations are matched by their names",
            )
            continue
        if len(marks) > 1:
            yield Diagnostic(
                "E0129",
                "error",
                f"{node.id} gives more than one previous name "
                f"({', '.join(mk.text for mk in marks)})",
                marks[1].span,
                help="a criterion was one criterion of the previous version: keep one `was`",
            )
        mark = marks[0]
        first = claimed.get(mark.text)
        if first is not None:
            yield Diagnostic(
                "E0128",
                "error",
                f"{node.id} and {first.id} both say they were {mark.text}",
                mark.span,
                labels=(Label(first.span, f"{first.id} claims {mark.text} first"),),
                help=f"keep `was {mark.text}` on the criterion that was {mark.text}",
            )
        else:
            claimed[mark.text] = node
