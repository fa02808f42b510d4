"""Amendment metadata: which amendment describes this diff, and the rationale of each change.

The new version of a spec carries `amendment N { … change TARGET "…" rationale "…" }`
blocks.  The amendments that describe the diff are those the old version did
not have (or had in another form).  A change's rationale comes from a
`change` entry whose target names it (`I1`, `W12`, `DL7`, `maximum_age`, …);
without one, the amendment's reasons stand in for it.  `--require-rationale`
asks for more: every substantial change needs an entry of its own with a
`rationale`.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from generators.diff.changes import Change
from protocol_dsl import model as m
from protocol_dsl.spec import Spec


@attrs.frozen
class Rationale:
    text: str
    #: from a `change` entry naming this change (not the amendment's general reasons)
    specific: bool
    amendment: str


def current_amendments(old: Spec, new: Spec) -> tuple[m.Amendment, ...]:
    """The amendments of the new version that the old version does not already have."""
    previous = set(old.amendments)
    return tuple(a for a in new.amendments if a not in previous)


def rationale_for(change: Change, amendments: Sequence[m.Amendment]) -> Rationale | None:
    """The rationale of the entry naming the change (its most specific name first)."""
    for name in change.keys:
        for amendment in amendments:
            for entry in amendment.changes:
                reasons = _written(m.marks_of(entry.marks, "rationale"))
                if entry.target == name and reasons:
                    return Rationale(" ".join(reasons), True, m.format_decimal(amendment.number))
    for amendment in amendments:
        if general := _written(amendment.reasons):
            return Rationale(" ".join(general), False, m.format_decimal(amendment.number))
    return None


def unmatched_entries(
    changes: Sequence[Change], amendments: Sequence[m.Amendment]
) -> list[m.AmendmentChange]:
    """`change NAME` entries whose NAME is none of the changes between the two versions.

    A typo (`change DL8` for DL7) or an entry left over from an earlier draft
    would otherwise give its rationale to nothing, silently.
    """
    named = {key for change in changes for key in change.keys}
    return [
        entry
        for amendment in amendments
        for entry in amendment.changes
        if entry.target is not None and entry.target not in named
    ]


def _written(texts: Sequence[str]) -> tuple[str, ...]:
    """The texts that say something: `rationale ""` (or only spaces) is no rationale."""
    return tuple(text for text in texts if text.strip())


def missing_rationales(
    changes: Sequence[Change], amendments: Sequence[m.Amendment]
) -> list[Change]:
    """Substantial changes that no amendment entry gives a rationale for."""
    missing = []
    for change in changes:
        if not change.substantial:
            continue
        found = rationale_for(change, amendments)
        if found is None or not found.specific:
            missing.append(change)
    return missing
