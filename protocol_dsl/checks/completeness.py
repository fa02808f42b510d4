"""Document completeness: what every protocol needs, for specs with a trial header.

W0801 no primary endpoint; W0802 no inclusion criterion; W0803 no schedule
(no scheduled visit).  Libraries (files without a `trial` header) are exempt:
they hold parts that trials assemble.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    trial = spec.trial
    if trial is None:
        return
    header = trial.span
    primary = [
        endpoint
        for objective in spec.objectives
        if objective.level == "primary"
        for endpoint in objective.endpoints
    ]
    if not primary:
        yield Diagnostic(
            "W0801",
            "warning",
            f"the trial {trial.name} has no primary endpoint",
            header,
            help='add `objective NAME primary "…" { endpoint NAME "…" until … after … }`',
        )
    if not spec.inclusions:
        yield Diagnostic(
            "W0802",
            "warning",
            f"the trial {trial.name} has no inclusion criterion",
            header,
            help='add at least one `inclusion I1 "verbatim text" = rule` (or `= attested`)',
        )
    if not any(v.day is not None for v in spec.visits.values()):
        yield Diagnostic(
            "W0803",
            "warning",
            f"the trial {trial.name} has no schedule of visits",
            header,
            help='add visits with their planned day: `visit SCR "Screening" day -28 .. -1`',
        )
