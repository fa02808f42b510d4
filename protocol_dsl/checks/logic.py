"""Eligibility logic: thresholds outside items' ranges, and what the solver proves.

E0405/W0406 compare each threshold with the allowed range of the item it is
compared with (plain arithmetic).  E0401 and W0402–W0404 come from the SMT
solver (`protocol_dsl.solver.logic`): contradictory, constant and redundant
criteria.  The solver is imported only for a spec with formal criteria, so a
spec without them (a library, a draft) costs nothing here.

When a whole rule is one comparison already reported against its item's
range, the solver's finding about that rule alone says the same thing again
and is left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec

if TYPE_CHECKING:  # the solver (z3) is imported only for a spec with formal criteria
    from protocol_dsl.solver.logic import Workspace

#: Solver findings about one criterion on its own (no other criterion involved).
_SINGLE = ("E0401", "W0402", "W0403")


class Remembered(Protocol):
    """The two parts of the check, found by a caller that remembers its last findings."""

    def thresholds(self, spec: Spec) -> list[Diagnostic]: ...

    def analysis(self, spec: Spec) -> list[Diagnostic]: ...


def check(
    spec: Spec,
    *,
    thorough: bool = False,
    workspace: Workspace | None = None,
    remembered: Remembered | None = None,
) -> list[Diagnostic]:
    """`workspace`: where a long-lived caller has the solver work (`solver.logic.Workspace`);
    `remembered`: what it has find the findings instead, from what it found before
    (`lsp.whole_set`).  The findings are the same either way."""
    if not any(c.rule is not None for c in spec.criteria):
        return []
    from protocol_dsl.solver import ranges
    from protocol_dsl.solver.logic import analyse

    found = list(ranges.check(spec) if remembered is None else remembered.thresholds(spec))
    covered = {(d.span.file, d.span.start, d.span.end) for d in found}
    if remembered is None:
        analysed = analyse(spec, thorough=thorough, workspace=workspace)
    else:
        analysed = remembered.analysis(spec)
    for diagnostic in analysed:
        span = diagnostic.span
        alone = diagnostic.code in _SINGLE and not diagnostic.labels
        if alone and (span.file, span.start, span.end) in covered:
            continue
        found.append(diagnostic)
    return found


def check_thorough(spec: Spec) -> list[Diagnostic]:
    """`protocol check --thorough`: the solver analysis without its effort limit."""
    return check(spec, thorough=True)
