"""Impact of an amendment on subjects: re-screen them under both versions.

`rescreen(old, new, paths)` reads subject data (a JSON record or list, JSON
Lines, a folder of JSON / CSV / Parquet tables, a DuckDB file; the readers of
`protocol screen`), screens every subject under the old and the new version
with the three-valued interpreter, and lists the subjects whose status
(eligible, ineligible, indeterminate) changes, with the criteria whose
result changed.  Each version reads the data with its own data dictionary, so
a form or item only one version has is read where it exists.  The heavy
readers and the interpreter are imported here only, when `--subjects` is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from generators.diff.changes import Change
from protocol_dsl.errors import UserError
from protocol_dsl.spec import Spec


class SubjectDataError(UserError):
    """The subject data cannot be read (missing file, unknown format, not JSON)."""


@attrs.frozen
class CriterionShift:
    id: str
    old: str  # met / not_met / unknown / absent
    new: str

    def words(self) -> str:
        return f"{self.id} {_status_words(self.old)} → {_status_words(self.new)}"


@attrs.frozen
class StatusChange:
    subject_id: str
    old_status: str
    new_status: str
    criteria: tuple[CriterionShift, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "subject_id": self.subject_id,
            "old_status": self.old_status,
            "new_status": self.new_status,
            "criteria": [{"id": c.id, "old": c.old, "new": c.new} for c in self.criteria],
        }


@attrs.frozen
class Rescreen:
    screened: int
    changed: tuple[StatusChange, ...]
    #: subjects only one version's reading found (e.g. data for a form only one version has)
    unmatched: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "screened": self.screened,
            "changed": [c.to_json() for c in self.changed],
            "unmatched": list(self.unmatched),
        }


def rescreen(old: Spec, new: Spec, paths: Sequence[str]) -> Rescreen:
    """Screen the subjects in `paths` under both versions; who changes status, and why."""
    from protocol_dsl.data import InputError, read_inputs
    from protocol_dsl.evaluate import compile_spec_rules

    screeners = (compile_spec_rules(old), compile_spec_rules(new))
    results: list[dict[str, Any]] = []
    for spec, screener in zip((old, new), screeners, strict=True):
        try:
            batch = read_inputs(spec, screener.dictionary, list(paths))
        except InputError as error:
            raise SubjectDataError(str(error)) from None
        by_id: dict[str, Any] = {}
        for raw in batch.subjects:
            subject = screener.normalise(raw.record, raw.fallback_id)
            result = screener.screen(subject, explain=False)
            by_id.setdefault(result.subject_id, result)
        results.append(by_id)
    before, after = results
    changed: list[StatusChange] = []
    for subject_id in sorted(set(before) & set(after), key=_natural):
        old_result, new_result = before[subject_id], after[subject_id]
        if old_result.status == new_result.status:
            continue
        changed.append(
            StatusChange(
                subject_id,
                old_result.status,
                new_result.status,
                _shifts(old_result.criteria, new_result.criteria),
            )
        )
    unmatched = tuple(sorted(set(before) ^ set(after), key=_natural))
    return Rescreen(len(set(before) | set(after)), tuple(changed), unmatched)


#: the changes whose direction of eligibility the re-screen gives evidence for
_EVIDENCED = frozenset({"ELIGIBILITY_DEPENDENCY_CHANGED"})


def with_evidence(changes: Sequence[Change], rescreened: Rescreen) -> list[Change]:
    """Each change of something criteria read (a lookup value, a definition, a code list)
    with what the re-screen saw through those criteria: who is no longer eligible, who
    newly is.  It is evidence beside the direction, never the direction itself: a sample of
    subjects can show that eligibility moved one way for them, not that it cannot move the
    other way for someone else."""
    out = []
    for change in changes:
        if change.rule_id not in _EVIDENCED or not change.affects:
            out.append(change)
            continue
        reached = set(change.affects)
        moved = [c for c in rescreened.changed if any(s.id in reached for s in c.criteria)]
        words = _evidence_words(moved, rescreened.screened)
        out.append(attrs.evolve(change, summary=f"{change.summary}; {words}"))
    return out


def _evidence_words(moved: Sequence[StatusChange], screened: int) -> str:
    lost = [c.subject_id for c in moved if c.old_status == "eligible"]
    gained = [c.subject_id for c in moved if c.new_status == "eligible"]
    other = [c.subject_id for c in moved if c.subject_id not in lost + gained]
    parts = [
        f"{len(ids)} {what} ({', '.join(ids)})"
        for ids, what in (
            (lost, "no longer eligible"),
            (gained, "newly eligible"),
            (other, "with another status"),
        )
        if ids
    ]
    found = ", ".join(parts) if parts else "no subject's eligibility changes through it"
    return f"re-screen of {screened} subject{'s' if screened != 1 else ''}: {found}"


def _shifts(old: dict[str, Any], new: dict[str, Any]) -> tuple[CriterionShift, ...]:
    """The criteria responsible for a change of status (in the new version's order).

    A criterion counts when what it says about the subject changed: decided
    against them, open (unknown), or not against them.  A criterion that
    exists in one version only and is not against the subject there changes
    nothing and is left out.
    """
    shifts = []
    for criterion_id in [*new, *(c for c in old if c not in new)]:
        before, after = old.get(criterion_id), new.get(criterion_id)
        was, now = _verdict(before), _verdict(after)
        if was == now or {was, now} == {"absent", "for"}:
            continue
        shifts.append(
            CriterionShift(
                criterion_id,
                before.status if before is not None else "absent",
                after.status if after is not None else "absent",
            )
        )
    return tuple(shifts)


def _verdict(result: Any) -> str:
    if result is None:
        return "absent"
    if result.status == "unknown":
        return "open"
    against = (result.kind == "inclusion") == (result.status == "not_met")
    return "against" if against else "for"


def _status_words(status: str) -> str:
    return {"not_met": "not met", "absent": "(no such criterion)"}.get(status, status)


def _natural(text: str) -> tuple[Any, ...]:
    """S2 before S10."""
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))
