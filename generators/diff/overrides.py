"""A reviewer's classification overrides, applied to the changes they name.

An amendment's `change NAME "…" override [eu|fda] substantial|not_substantial
"reason"` entry replaces the computed verdict of every change NAME names (the
same names a rationale uses: `I1`, `W12`, `maximum_age`, …).  The change
keeps the computed verdict and its reasoning beside the reviewer's, so every
output shows both (original → overridden, with the reason).  An override
whose NAME is none of the changes between the two versions decides nothing:
`protocol diff` refuses it (E0133) rather than let a recorded regulatory
decision apply to nothing unnoticed.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from generators.diff.changes import Change, Override
from protocol_dsl import model as m
from protocol_dsl.checks.amendments import REGULATIONS, VERDICTS, regulations_of


def apply_overrides(
    changes: Sequence[Change], amendments: Sequence[m.Amendment]
) -> tuple[list[Change], list[m.ClassificationOverride]]:
    """(the changes with the reviewer's verdicts, the overrides that name no change)."""
    named = {key for change in changes for key in change.keys}
    unmatched = [
        override
        for amendment in amendments
        for entry in amendment.changes
        for override in entry.overrides
        if entry.target is None or entry.target not in named
    ]
    return [_overridden(change, amendments) for change in changes], unmatched


def _overridden(change: Change, amendments: Sequence[m.Amendment]) -> Change:
    applied: dict[str, Override] = {}
    for amendment in amendments:
        for entry in amendment.changes:
            if entry.target is None or entry.target not in change.keys:
                continue
            for override in entry.overrides:
                if override.verdict not in VERDICTS:
                    continue
                for regulation in regulations_of(override):
                    if regulation not in REGULATIONS or regulation in applied:
                        continue
                    computed = (
                        change.substantial_eu if regulation == "eu" else change.substantial_fda
                    )
                    applied[regulation] = Override(
                        regulation=regulation,
                        computed=computed,
                        overridden=VERDICTS[override.verdict],
                        computed_reason=change.reason_eu
                        if regulation == "eu"
                        else change.reason_fda,
                        reason=override.reason,
                        amendment=m.format_decimal(amendment.number),
                        entry=entry.target,
                    )
    if not applied:
        return change
    eu, fda = applied.get("eu"), applied.get("fda")
    return attrs.evolve(
        change,
        substantial_eu=eu.overridden if eu else change.substantial_eu,
        substantial_fda=fda.overridden if fda else change.substantial_fda,
        reason_eu=_reason(eu) if eu else change.reason_eu,
        reason_fda=_reason(fda) if fda else change.reason_fda,
        overrides=tuple(o for o in (eu, fda) if o is not None),
    )


def _reason(override: Override) -> str:
    return (
        f"decided by the reviewer: {override.reason} (computed: "
        f"{'substantial' if override.computed else 'not substantial'}, {override.computed_reason})"
    )
