"""`change TARGET "…"` entries of an amendment must name what they describe.

An amendment's `change` entry gives one change of `protocol diff` its
description and rationale, found by the name it gives (`change I1 "…"`).
An entry that names nothing (`change "Upper age limit raised"`) can be given
to no change: its rationale would be read by no one, `--require-rationale`
would still fail on the change it meant, and the writer would not know why.
It is refused (E0130); a description of the amendment as a whole belongs in
its `summary` or `reason`.
"""

from __future__ import annotations

from collections.abc import Iterable

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec


def check(spec: Spec) -> Iterable[Diagnostic]:
    for amendment in spec.module.of_type(m.Amendment):
        for entry in amendment.changes:
            if entry.target is None:
                number = m.format_decimal(amendment.number)
                yield Diagnostic(
                    "E0130",
                    "error",
                    f"a change entry of amendment {number} names no change",
                    entry.span,
                    notes=(
                        "a change entry describes one change that `protocol diff` reports, "
                        "found by its name (a criterion id, a visit, a dose level, a header "
                        "field)",
                    ),
                    help='name it: `change I1 "…"`; or say it in the amendment\'s `summary` '
                    "or `reason`",
                )
